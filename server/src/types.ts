/**
 * The types the language service's callers share: the context every request is answered in, and the
 * answers that are not LSP types (the client protocol, server/protocol.ts, sends them as they are).
 * Types only.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range, WorkspaceEdit } from 'vscode-languageserver-types';
import type { MicrosoftSystem, TierId } from './knowledge/microsoft';
import type { IncludeHost } from './hosts/includeHost';
import type { LimitName } from './microsoft/recommend';
import type { Settings } from './settings';

export interface ServiceOptions {
  /** Follows `include` directives; omit where there is no file system. */
  host?: IncludeHost;
}

/**
 * What a document is checked with, the same for every request: the settings that apply to it, the files
 * checked together with it, and the configuration it is part of.
 */
export interface RequestContext {
  /**
   * The settings that apply to the document. Without them: the defaults, for the checks and for the
   * requests that depend on settings (hover, completion, code actions and lenses, the Microsoft requests);
   * for the others (outline, folding, navigation, formatting, links), the model already built for this
   * version of the document and the size limit it was last checked with.
   */
  settings?: Settings;
  /** Other files checked together (the open documents, the CLI's other arguments): their names count. */
  siblings?: readonly TextDocument[];
  /**
   * The configuration the document is part of (a file that includes it, see
   * PmtaLanguageService.includers): names defined anywhere in it count, the Microsoft queues are judged
   * in it, and what is reported still lies in the document. Ignored when it does not include the document.
   */
  root?: TextDocument;
}

export interface TierInfo {
  tier: TierId;
  /** e.g. "Under 100,000 messages/day to Microsoft" */
  label: string;
  /** where the tier comes from */
  source: 'annotation' | 'setting' | 'inferred' | 'assumed';
  /** why, in a sentence */
  why: string;
  /** some block of this file (or its includes) shapes Microsoft consumer mail */
  active: boolean;
  /** the Microsoft queue (e.g. `outlook.com`), when active */
  queue?: string;
  /** the tier's advised limits, in PowerMTA syntax */
  limits: Record<LimitName, string>;
  /** simultaneous connections the Microsoft queue may open, when it can be computed */
  connections?: { total: number; perIp: number; text: string; budget: number };
  /** Microsoft consumer domains rolled into the queue / checked */
  rolledUp?: { count: number; of: number };
  /** every tier, for a picker */
  tiers: Array<{ id: TierId; label: string; limits: Record<LimitName, string> }>;
}

// the Microsoft configuration to insert for a volume tier ("Insert Microsoft domain configuration")

export interface MicrosoftConfiguration {
  /** the text to insert (ends with a line break) */
  text: string;
  /** parts left out because the document already has them, in words */
  notes: string[];
  /** reasons to ask before inserting (an existing `<domain outlook.com>` block, another tier annotation) */
  conflicts: string[];
}

export interface MicrosoftConfigurationOptions {
  /** one level of indentation (default a tab) */
  indent?: string;
  /** line break (default `\n`) */
  eol?: string;
}

// a Microsoft code explained, field by field (the delivery report's view)

export interface CodeExplanation {
  /** the knowledge base's id (`RP-001`, `5.7.606-649`, `S3150`) */
  id: string;
  /** how the reply writes it (`421 RP-001`, `550 5.7.1 S3150`) */
  label: string;
  title: string;
  /** the system that sends it, in a few words (`Outlook.com`, `Microsoft 365 / Exchange Online`) */
  system: string;
  /** the same, in a sentence (the hover's "Sent by") */
  sentBy: string;
  /** a 4xx reply: PowerMTA keeps the message and retries */
  temporary: boolean;
  /** what it means (Markdown: `code` spans) */
  meaning: string;
  /** where Microsoft documents it */
  documented: string;
  /** how its block or listing is lifted (the hover's "Removal") */
  removal: string;
  /** what to do */
  action: string;
  /** what to do in PowerMTA */
  pmta: string;
  /** how a widely copied PowerMTA guide describes it, where it does */
  guideSays?: string;
  /** the sources, in words, and how sure the entry is */
  source: string;
}

// "Explain SMTP reply"

export interface ExplainedCode {
  /** the code id in the knowledge table, e.g. `RP-001`, `5.7.606-649` */
  id: string;
  /** the text as written in the reply, e.g. `421 4.7.0 RP-001` */
  written: string;
  title: string;
  temporary: boolean;
  /** the system that sends it, from the code's entry: `outlook.com` (consumer), `microsoft-365` or `either` */
  system: MicrosoftSystem;
}

export interface ReplyExplanation {
  /** Markdown for a person. */
  markdown: string;
  /** The Microsoft codes found, in order. */
  codes: ExplainedCode[];
  /** The basic SMTP code found (first one), e.g. `550`. */
  basic?: string;
  /** The enhanced status code found (first one), e.g. `5.7.1`. */
  enhanced?: string;
  /** True when the reply asks to try again later (4xx), false for a refusal (5xx), undefined when unknown. */
  temporary?: boolean;
}

// the configuration's side of the Microsoft delivery report

/**
 * What the delivery report needs of a configuration (the one a document is part of, includes
 * followed): its Microsoft queue and the rules of the pattern lists attached to it, the source IPs of
 * its virtual MTAs, and where those are defined.
 */
export interface ReportConfigFacts {
  /** the Microsoft queue */
  queue: string;
  /** the smtp pattern lists attached to it */
  patternLists: string[];
  /** the regex bodies of their `reply` rules */
  replyRules: string[];
  /** the list new rules go into: the first attached list the configuration defines in a block that can take lines */
  ruleList?: { name: string; uri: string };
  /** per source IP (as written in `smtp-source-host`, lower-case), the virtual MTAs sending from it and their pools */
  sourceIps: Record<string, { vmtas: string[]; pools: string[] }>;
  /** where each `<virtual-mta>` is defined, by lower-case name */
  vmtas: Record<string, { name: string; uri: string; range: Range }>;
  /** what cannot be judged, and why */
  warnings: string[];
}

/** Rules added to a configuration's pattern list. */
export interface PatternRulesEdit {
  edit: WorkspaceEdit;
  /** the list they go into */
  list: string;
  /** the file it is in */
  uri: string;
  /** the `reply` lines added */
  added: string[];
}
