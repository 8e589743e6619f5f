/**
 * The Microsoft delivery report's data: the options it is built with and the report itself, which is
 * also the stable JSON contract of `pmta-lint report --format json` (its JSON Schema is
 * schemas/report.schema.json; a test validates real output against it). Pure types, no code.
 */
import type { MicrosoftRemovalPath, MicrosoftSystem } from '../knowledge/microsoft';

/** PowerMTA's accounting record types (`records d,b,t,tq,r,f,rb,rs` in an `<acct-file>` block). */
export const RECORD_TYPES = ['d', 'b', 't', 'tq', 'r', 'f', 'rb', 'rs'] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

/** What the report is built from besides the files. */
export interface ReportOptions {
  /** only records logged at or after this time (ms since 1970, UTC) */
  since?: number;
  /** only records logged before this time (ms since 1970, UTC) */
  until?: number;
  /**
   * The regex bodies of the `reply` rules of the pattern lists attached to the Microsoft queue: the
   * Microsoft replies none of them matches are counted per code (ReportBuilder.unmatched).
   */
  replyRules?: readonly string[];
}

/** Microsoft replies that no rule of the given pattern lists matches, for one code. */
export interface UnmatchedReplies {
  code: string;
  /** deferred + bounced */
  count: number;
  deferred: number;
  bounced: number;
  /** the first such reply, as logged */
  example: string;
}

/** How a Microsoft code bears on the IP that sent the mail (see sourceIpEffect in the knowledge). */
export type IpEffect = 'block' | 'throttle';

export type IpStatus = 'blocked' | 'throttled' | 'ok';

export interface FileSummary {
  /** the name the file was given as (a path, or `-` for standard input) */
  file: string;
  /** how its records were read; `unknown` when no header row and no JSON record was found */
  format: 'csv' | 'json' | 'unknown';
  /** records read (every well-formed row of a known record type, in or out of the time range) */
  records: number;
  /** malformed rows skipped: wrong number of fields, a broken quote, an unknown record type, bad JSON */
  skipped: number;
  /** the line numbers (1-based) of the first skipped rows, at most {@link MAX_SKIPPED_LINES} */
  skippedLines: number[];
  /** records left out because they lie outside --since/--until (or have no time, when one is given) */
  outsideRange: number;
  /**
   * records whose timeLogged is not a time (`2026-02-30`, `yesterday`; an empty one is no time given):
   * counted in the figures without --since/--until, left out with them (not in outsideRange)
   */
  unreadableTime: number;
  /** the line numbers (1-based) of the first of them, at most {@link MAX_SKIPPED_LINES} */
  unreadableTimeLines: number[];
  /** the columns the report uses that this file lacks (see `warnings` for what that leaves out) */
  missingColumns: string[];
  /** why the file could not be read (an I/O error, not an accounting file); absent when it was read */
  error?: string;
}

/** How many skipped line numbers a file keeps. */
export const MAX_SKIPPED_LINES = 10;

interface RecipientCounts {
  /** `d` records */
  delivered: number;
  /** `t` records */
  deferred: number;
  /** `b` records */
  bounced: number;
}

export interface CodeSummary {
  /** the code as the reply gives it: an S-code (`S3140`), an Outlook.com code (`RP-001`), the name of a reply the knowledge base tells by its words (`block-list`, `policy-reasons`, `msgs-per-connection`), an enhanced status (`5.7.606`), else the basic reply code (`421`), else `unknown` */
  code: string;
  /** deferred + bounced */
  count: number;
  /** t records, and tq records (queue-level deferrals) */
  deferred: number;
  /** b records, and rb records (bounces a remote server sent back later) */
  bounced: number;
  /** the first and last time it was logged (ISO 8601, UTC); null without a readable timeLogged */
  first: string | null;
  last: string | null;
  /** how many replies came to each source IP */
  sourceIps: Record<string, number>;
  /** how many replies came to each virtual MTA */
  vmtas: Record<string, number>;
  /** what the knowledge base calls it; null for a code it does not explain */
  title: string | null;
  /** what to do about it; null for a code the knowledge base does not explain */
  action: string | null;
  /** the knowledge base's grouping (throttle, block, auth, recipient…); null when unknown */
  category: string | null;
  /** the Microsoft system that sends it (outlook.com, microsoft-365 or either); null when unknown */
  system: MicrosoftSystem | null;
  /** how the block or listing behind it is lifted (for a code that lists nothing, the steps say so); null when unknown */
  removal: RemovalPath | null;
  /** how it bears on the sending IP; null when it does not */
  effect: IpEffect | null;
  /** the first reply text that carried it, as logged */
  example: string;
}

/** How a block or listing is lifted: the knowledge base's entry, in the words the hover uses. */
export interface RemovalPath {
  /** the kind of path: outlook-sender-support, office-delist-portal, delist-mail, microsoft-support, tenant-admin, spamhaus, recipient-organisation or none */
  path: MicrosoftRemovalPath;
  /** the page, portal or address to use, when there is one */
  where?: string;
  /** who lifts it, where, and what to do, in words (the hover's "Removal" line) */
  how: string;
}

export interface Removal extends RemovalPath {
  /** the block code the IP got */
  code: string;
}

export interface SourceIpSummary {
  ip: string;
  /** the virtual MTA that sent most of its Microsoft mail; null without a vmta column */
  vmta: string | null;
  /** every virtual MTA seen sending from it, with its records */
  vmtas: Record<string, number>;
  delivered: number;
  /** t records, and tq records with a reply (queue-level deferrals) */
  deferred: number;
  /** b records, and rb records with a reply (bounces a remote server sent back later) */
  bounced: number;
  /** blocked: a Microsoft bounce from it carried a block code; throttled: a deferral carried a throttle code */
  status: IpStatus;
  /** the time (ISO 8601, UTC) of its last bounce that carried a block code; null: none, or none with a readable timeLogged */
  lastBlocked: string | null;
  /** the time of its last deferral that carried a throttle code; null: none, or none with a readable timeLogged */
  lastThrottled: string | null;
  /** the time of its last delivery; null: none, or none with a readable timeLogged */
  lastDelivered: string | null;
  /**
   * a delivery came after the last refusal that set its status (lastBlocked for a blocked IP,
   * lastThrottled for a throttled one): the block or throttling may have been lifted since. False for an
   * ok IP, and when either time is unknown. The status stays: it says what the files show.
   */
  deliveredSinceRefused: boolean;
  codes: Record<string, number>;
  /** for a blocked IP, how to get it removed, per block code it got; empty otherwise */
  removal: Removal[];
}

export interface VmtaSummary {
  vmta: string;
  delivered: number;
  deferred: number;
  bounced: number;
  codes: Record<string, number>;
}

/** One hour's Microsoft deferrals and bounces (records with a readable time only). */
export interface HourSummary {
  /** the start of the hour, ISO 8601 UTC (`2026-01-15T08:00:00Z`) */
  hour: string;
  deferred: number;
  bounced: number;
  /** per code, those of this hour */
  codes: Record<string, { deferred: number; bounced: number }>;
}

export interface Report {
  /** the version of this contract; fields are only ever added within a version */
  version: 1;
  files: FileSummary[];
  /** every record read in the time range, all recipients, by record type */
  records: Record<RecordType, number>;
  /** the first and last timeLogged of those records (ISO 8601, UTC) */
  period: { first: string | null; last: string | null };
  microsoft: {
    /** records to Microsoft consumer recipients (Outlook.com, Hotmail, Live, MSN) */
    recipients: RecipientCounts;
    /** the codes of their deferrals and bounces, most frequent first */
    codes: CodeSummary[];
    /** per source IP (dlvSourceIp), blocked first, then throttled, then by deferrals and bounces */
    sourceIps: SourceIpSummary[];
    /** per virtual MTA (vmta), by name */
    vmtas: VmtaSummary[];
    /** per hour (UTC) with deferrals or bounces, in order: how many, per code */
    hourly: HourSummary[];
  };
  /** what could not be computed, and why (missing columns, caps reached) */
  warnings: string[];
  /** with a configuration (`--config`): how it maps the source IPs, and the replies its pattern lists miss */
  config?: ReportConfig;
}

/** A source IP as the configuration maps it: the `<virtual-mta>` blocks whose `smtp-source-host` it is, and their pools. */
interface ConfigSourceIp {
  ip: string;
  /** the virtual MTAs sending from it (none: the configuration does not name it) */
  vmtas: string[];
  /** the pools those virtual MTAs belong to */
  pools: string[];
}

/** Microsoft replies no rule matched, with the recommended rule that matches them, if any. */
export interface ConfigUnmatched extends UnmatchedReplies {
  /** the `reply` line of the recommended list that handles them; null when it has none (an ordinary bounce or deferral) */
  rule: string | null;
}

/** A rule to add to the pattern list. */
export interface ConfigRule {
  /** the recommended rule's name: the code it is written for (`4.7.650`, `5.7.606-649`) */
  id: string;
  /** the codes of the unmatched replies it handles */
  codes: string[];
  /** the `reply /regex/ actions` line */
  reply: string;
  /** the comment line that goes above it (`# RP-001: …`) */
  comment: string;
}

/** The configuration's part of the report (`--config`). */
export interface ReportConfig {
  /** the configuration as given */
  file: string;
  /** the Microsoft queue (the queue outlook.com and its sister domains go into) */
  queue: string;
  /** the smtp pattern lists attached to it (from its block, or inherited from `<domain *>`) */
  patternLists: string[];
  /** the report's source IPs, in its order, as the configuration maps them */
  sourceIps: ConfigSourceIp[];
  /** the Microsoft replies from the remote servers that no rule of those lists matches, per code, most first */
  unmatched: ConfigUnmatched[];
  /** the recommended rules that handle them, in the recommended list's order (PowerMTA applies the first rule that matches) */
  rules: ConfigRule[];
  /** the pattern list the rules go into (the first attached list the configuration defines); null when there is none */
  ruleList: string | null;
  /** what could not be judged, and why */
  warnings: string[];
}
