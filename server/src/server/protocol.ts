/**
 * Custom requests the server answers beyond standard LSP (the VS Code client uses them; any editor may).
 * Types only, shared by server and client; the answers' types come from the service's (types.ts).
 */
import type { TierId } from '../knowledge/microsoft';
import type { MicrosoftConfiguration, MicrosoftConfigurationOptions, ReplyExplanation, TierInfo } from '../types';

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
  tier: TierId;
  textDocument?: { uri: string };
  /** indentation unit (default a tab) and line break (default \n) */
  options?: MicrosoftConfigurationOptions;
}

/**
 * `pmta/readFiles`, from the server to the client, sent only by the server that runs in the browser
 * (VS Code for the Web), which has no disk: the texts of files an `include` may name. The answer has one
 * entry per URI: the text, or null when the file is missing, unreadable, over 16 MB or outside the
 * workspace folders (the client reads nothing else).
 */
export const READ_FILES = 'pmta/readFiles';
export interface ReadFilesParams {
  uris: string[];
}
export type ReadFilesResult = Array<string | null>;

/** `pmta/readDirectory`, like `pmta/readFiles`: the names of the files (not folders) in a folder, for `include conf.d/*.conf`; null when it is missing or outside the workspace folders. */
export const READ_DIRECTORY = 'pmta/readDirectory';
export interface ReadDirectoryParams {
  uri: string;
}
export type ReadDirectoryResult = string[] | null;
