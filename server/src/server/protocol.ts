/**
 * Custom requests the server answers beyond standard LSP (the VS Code client uses them; any editor may).
 * Types and names only, shared by server and client; the answers' types come from the service's (types.ts)
 * and the report's (accounting/types.ts).
 */
import type { Range } from 'vscode-languageserver-types';
import type { Report } from '../accounting/types';
import type { TierId } from '../knowledge/microsoft';
import type {
  CodeExplanation,
  MicrosoftConfiguration,
  MicrosoftConfigurationOptions,
  PatternRulesEdit,
  ReplyExplanation,
  TierInfo,
} from '../types';

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

// ---- PowerMTA accounting files and the Microsoft delivery report ----

/** The language of PowerMTA accounting files (`acct*.csv`, `.csv` files under a `pmta` folder): hover on Microsoft codes only. */
export const ACCOUNTING_LANGUAGE = 'powermta-accounting';

/**
 * `pmta/deliveryReport`: the Microsoft delivery report on accounting files (CSV, JSON records, gzip),
 * streamed: the Node server reads `file:` URIs itself, any other file (and every file, for the server in
 * a web worker) is read through the client in chunks (`pmta/readFileChunk`). With a configuration (an
 * open PowerMTA document; the configuration it is part of counts), the report's `config` part: its
 * source IPs mapped, the replies its pattern lists miss. Send a `workDoneToken` to get `$/progress`
 * (begin, percentages, end); cancel the request to stop reading (error RequestCancelled).
 */
export const DELIVERY_REPORT = 'pmta/deliveryReport';
export interface DeliveryReportParams {
  /** the files' URIs, in the report's order */
  files: string[];
  /** a document of the configuration */
  config?: { uri: string };
  workDoneToken?: string | number;
}
export interface DeliveryReportResult {
  /** the report, the JSON contract of `pmta-lint report --format json` (files named by their paths, or URIs) */
  report: Report;
  /** the codes of the report the knowledge base explains, each explained */
  explanations: Record<string, CodeExplanation>;
  /** with a configuration: where its `<virtual-mta>` blocks are, by lower-case name */
  vmtas: Record<string, { name: string; uri: string; range: Range }>;
  /** with a configuration: the document the rules are added through (`pmta/addPatternRules`) */
  config?: { uri: string };
}

/**
 * `pmta/readFileChunk`, from the server to the client: `length` bytes (at most 4 MB) of a file the
 * report asked for, from `offset`, base64-encoded, with the file's size; an error says why the file
 * cannot be read. The client reads only the files of the reports it asked for.
 */
export const READ_FILE_CHUNK = 'pmta/readFileChunk';
export interface ReadFileChunkParams {
  uri: string;
  offset: number;
  length: number;
}
export type ReadFileChunkResult = { data: string; size: number } | { error: string };

/**
 * `pmta/addPatternRules`: the edit that adds recommended rules (by their ids, the report's
 * `config.rules[].id`) at the end of the pattern list of the Microsoft queue of the configuration a
 * document is part of; the reason when there is no list to add them to or nothing to add. The client
 * applies the edit.
 */
export const ADD_PATTERN_RULES = 'pmta/addPatternRules';
export interface AddPatternRulesParams {
  textDocument: { uri: string };
  ruleIds: string[];
}
export type AddPatternRulesResult = PatternRulesEdit | { error: string };
