/**
 * Custom requests the server answers beyond standard LSP (the VS Code client uses them; any editor may).
 * Types only, shared by server and client.
 */
import type { MicrosoftConfiguration, ReplyExplanation, TierInfo } from './service';

export type { MicrosoftConfiguration, ReplyExplanation, TierInfo };

/** `pmta/explainReply`: explain a pasted SMTP reply, bounce or log line. */
export const EXPLAIN_REPLY = 'pmta/explainReply';
export interface ExplainReplyParams {
  text: string;
}

/** `pmta/tier`: the Microsoft volume tier in force for a document, and why. Null when the document is not open or not analysed. */
export const TIER = 'pmta/tier';
export interface TierParams {
  textDocument: { uri: string };
}

/**
 * `pmta/microsoftConfiguration`: the configuration to insert for a volume tier. With a document, the parts it
 * already has are left out. Null for an unknown tier.
 */
export const MICROSOFT_CONFIGURATION = 'pmta/microsoftConfiguration';
export interface MicrosoftConfigurationParams {
  tier: 'under-100k' | '100k-500k' | '500k-plus';
  textDocument?: { uri: string };
  /** indentation unit (default a tab) and line break (default \n) */
  options?: { indent?: string; eol?: string };
}
