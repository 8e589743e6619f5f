/**
 * One accounting file, fed in chunks: CSV with its header row (columns found by name, in any order, any
 * subset; unknown columns such as `header_x-id` ignored; a header row further down, as when rotated
 * files are concatenated, starts the columns again) or JSON records one per line. The format is told by
 * the first byte that is not blank: `{` for JSON. Well-formed records of a known type go to the shared
 * counters; the others are skipped and counted, with their first line numbers.
 *
 * The CSV path is the fast one: it reads the few fields it needs as byte offsets and decodes a string
 * only for a value it has not seen (source IPs and virtual MTAs repeat; codes come from the reply cache).
 */
import { ByteStrings, decodeBytes, encodeText } from './bytes';
import { Aggregator, TYPE_D, TYPE_RB, TYPE_T, TYPE_TQ } from './aggregate';
import { CsvTokenizer, FIELD_ESCAPED, MAX_FIELDS, MAX_RECORD, type CsvSink, type Malformed } from './csv';
import { isConsumerMx, isConsumerMxBytes, isMicrosoftAddress, isMicrosoftAddressBytes } from './recipients';
import { ReplyCodes, type ReplyCode } from './replies';
import { parseTimeCodes, parseTimeText, unixTime } from './time';
import { MAX_SKIPPED_LINES, RECORD_TYPES, type FileSummary, type ReportOptions } from './types';

/** What the files of one report share: the counters, the caches and the options. */
export interface Shared {
  readonly agg: Aggregator;
  readonly replies: ReplyCodes;
  readonly ips: ByteStrings;
  readonly vmtas: ByteStrings;
  readonly options: ReportOptions;
}

/** The columns the report reads besides `type` (what a missing one leaves out: AccountingFile.warnings). */
const REPORT_COLUMNS = ['timeLogged', 'rcpt', 'dsnStatus', 'dsnDiag', 'dsnMta', 'dlvSourceIp', 'vmta'] as const;
type Column = (typeof REPORT_COLUMNS)[number];

/** Record type index (into RECORD_TYPES) of buf[s..e), or -1. */
function recordType(buf: Uint8Array, s: number, e: number): number {
  const n = e - s;
  const a = buf[s] | 0x20;
  if (n === 1) return a === 100 ? 0 : a === 98 ? 1 : a === 116 ? 2 : a === 114 ? 4 : a === 102 ? 5 : -1;
  if (n !== 2) return -1;
  const b = buf[s + 1] | 0x20;
  if (a === 116 && b === 113) return 3;
  if (a === 114 && b === 98) return 6;
  if (a === 114 && b === 115) return 7;
  return -1;
}

const TYPE_INDEX: ReadonlyMap<string, number> = new Map(RECORD_TYPES.map((t, i) => [t, i]));

/** A CSV field's text, its doubled quotes made single. */
function fieldText(buf: Uint8Array, s: number, e: number, quoting: number): string {
  const t = decodeBytes(buf, s, e);
  return quoting === FIELD_ESCAPED ? t.replace(/""/g, '"') : t;
}

export class AccountingFile {
  private format: FileSummary['format'] = 'unknown';
  private records = 0;
  private skipped = 0;
  private readonly skippedLines: number[] = [];
  private outside = 0;
  private unreadable = 0;
  private readonly unreadableLines: number[] = [];
  private missing = new Set<Column>();
  private error: string | undefined;
  /** chunks held until the format is known (the first bytes, then blank ones) */
  private held: Uint8Array[] = [];
  private heldBytes = 0;
  /** whether the first bytes were looked at for a compression */
  private sniffed = false;
  private csv: CsvTokenizer | undefined;
  private json: JsonLines | undefined;
  private csvRows: CsvRows | undefined;
  private started = false;
  private ended = false;
  /**
   * Why the first row could not be read as a CSV record: a quote never closed, or closed inside a field
   * (`quote`), a line longer than any record (`long`); or as a header: more fields than a record may have
   * (`wide`).
   */
  private firstRowUnread: FirstRowProblem | undefined;

  constructor(
    readonly name: string,
    private readonly shared: Shared,
  ) {}

  /** The next bytes (or text) of the file. */
  push(chunk: Uint8Array | string): void {
    if (this.ended || this.error !== undefined) return;
    const bytes = typeof chunk === 'string' ? encodeText(chunk) : chunk;
    if (this.started) {
      this.feed(bytes);
      return;
    }
    if (!bytes.length) return;
    this.held.push(bytes);
    this.heldBytes += bytes.length;
    this.start(false);
  }

  /**
   * Starts reading once the first bytes have come (or the file ended, `atEnd`): a compressed file is
   * told by them and refused; else the format is told by the first byte that is not blank, and the
   * chunks held until then are read.
   */
  private start(atEnd: boolean): void {
    if (!this.sniffed) {
      if (this.heldBytes < SNIFF_BYTES && !atEnd) return;
      this.sniffed = true;
      let head = this.held.length === 1 ? this.held[0] : joinBytes(this.held);
      const packed = compression(head);
      if (packed) {
        this.held = [];
        this.error = `compressed with ${packed.name}, which the report does not read: decompress it first (${packed.tool}), or compress it with gzip`;
        return;
      }
      // a byte order mark is no part of the first column's name
      if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) head = head.subarray(3);
      this.held = head.length ? [head] : [];
    }
    const last = this.held[this.held.length - 1];
    const first = last ? firstNonBlank(last) : -1;
    if (first < 0) return;
    this.started = true;
    this.begin(last[first] === 123);
    const held = this.held;
    this.held = [];
    for (const h of held) this.feed(h);
  }

  /** The end of the file. */
  end(): void {
    if (this.ended) return;
    if (!this.started && this.error === undefined) this.start(true);
    this.ended = true;
    if (this.error !== undefined) return;
    this.csv?.end();
    this.json?.end();
    if (this.error === undefined) this.error = this.notAccounting();
  }

  /** Why the file, read to its end, is no accounting file; undefined when it is one. */
  private notAccounting(): string | undefined {
    const not = 'not a PowerMTA accounting file: ';
    switch (this.format) {
      case 'unknown':
        return this.held.length
          ? `${not}it holds only blank lines (no header row, no JSON record)`
          : `${not}it is empty (no header row, no JSON record)`;
      case 'json':
        if (this.records > 0) return undefined;
        return this.json!.splitFirst
          ? `${not}its first JSON record spans several lines: records must be one per line (JSON Lines)`
          : `${not}no JSON record in it (an object with a "type" such as "d" or "b", one per line)`;
      case 'csv':
        if (this.csvRows!.hasHeader || this.skipped === 0) return undefined;
        return this.firstRowUnread
          ? `${not}its first row, which should name the columns ("type", "timeLogged", …), ${firstRowProblem(this.firstRowUnread)}`
          : `${not}no header row naming a "type" column, and no JSON records`;
    }
  }

  /** The file could not be read (an I/O error): what was read so far stays counted. */
  fail(message: string): void {
    this.error = message;
    this.ended = true;
  }

  summary(): FileSummary {
    const s: FileSummary = {
      file: this.name,
      format: this.format,
      records: this.records,
      skipped: this.skipped,
      skippedLines: this.skippedLines.slice(),
      outsideRange: this.outside,
      unreadableTime: this.unreadable,
      unreadableTimeLines: this.unreadableLines.slice(),
      missingColumns: this.records > 0 ? REPORT_COLUMNS.filter((c) => this.missing.has(c)) : [],
    };
    if (this.error !== undefined) s.error = this.error;
    return s;
  }

  /** What this file's missing columns leave out, as sentences. */
  warnings(): string[] {
    const m = this.summary().missingColumns;
    const lacks = (c: Column) => m.includes(c);
    const out: string[] = [];
    const note = (text: string) => out.push(`${this.name}: ${text}`);
    const o = this.shared.options;
    if (this.unreadable > 0 && (o.since !== undefined || o.until !== undefined))
      note(
        `${this.unreadable === 1 ? 'a record whose time cannot be read is' : `${this.unreadable.toLocaleString('en-US')} records whose time cannot be read are`} left out by the time range`,
      );
    if (lacks('timeLogged')) {
      note(
        o.since !== undefined || o.until !== undefined
          ? 'no timeLogged column: its records have no time, so the time range leaves them all out'
          : 'no timeLogged column: its records have no time (no first or last time for them)',
      );
    }
    if (lacks('rcpt') && lacks('dsnMta'))
      note(
        'no rcpt or dsnMta column: Microsoft recipients cannot be told apart, so its records count in the totals by type only',
      );
    else if (lacks('rcpt'))
      note('no rcpt column: Microsoft recipients are recognised by the Outlook.com host that answered (dsnMta) only');
    if (lacks('dsnDiag') && lacks('dsnStatus'))
      note(
        'no dsnDiag or dsnStatus column: the codes of its deferrals and bounces cannot be computed, nor whether its source IPs are blocked or throttled',
      );
    else if (lacks('dsnDiag'))
      note(
        'no dsnDiag column: codes come from dsnStatus alone (enhanced status codes, no Microsoft codes such as RP-001 or S3140)',
      );
    if (lacks('dlvSourceIp')) note('no dlvSourceIp column: its records are not in the source IP table');
    if (lacks('vmta')) note('no vmta column: its records are not in the virtual MTA table');
    return out;
  }

  // ---- for the format readers ----

  /**
   * A record of a known type was read, on `line`; false when the time range leaves it out. `time` is NaN
   * when it has none (no timeLogged, or an empty one) and when its time cannot be read (`unreadable`: a
   * value that is no time, such as 2026-02-30): such a record is counted and named, and left out by a
   * time range, which cannot place it.
   */
  counted(type: number, time: number, line: number, unreadable: boolean): boolean {
    this.records++;
    if (unreadable) {
      this.unreadable++;
      if (this.unreadableLines.length < MAX_SKIPPED_LINES) this.unreadableLines.push(line);
    }
    const o = this.shared.options;
    if (o.since === undefined && o.until === undefined) {
      this.shared.agg.record(type, time);
      return true;
    }
    if (unreadable) return false;
    if ((o.since !== undefined && !(time >= o.since)) || (o.until !== undefined && !(time < o.until))) {
      this.outside++;
      return false;
    }
    this.shared.agg.record(type, time);
    return true;
  }

  /** A row that is no record: `unreadFirst` says why, when it was the file's first row and not even a CSV record. */
  skip(line: number, unreadFirst?: FirstRowProblem): void {
    if (unreadFirst) this.firstRowUnread = unreadFirst;
    this.skipped++;
    if (this.skippedLines.length < MAX_SKIPPED_LINES) this.skippedLines.push(line);
  }

  noteMissing(columns: Iterable<Column>): void {
    for (const c of columns) this.missing.add(c);
  }

  private begin(json: boolean): void {
    if (json) {
      this.format = 'json';
      this.json = new JsonLines(this, this.shared);
    } else {
      this.format = 'csv';
      this.csvRows = new CsvRows(this, this.shared);
      this.csv = new CsvTokenizer(this.csvRows);
      this.csvRows.tokenizer = this.csv;
    }
  }

  private feed(bytes: Uint8Array): void {
    // a plain Uint8Array view (not a Buffer): the hot loops then see one kind of array only
    const view =
      bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
    if (this.csv) this.csv.push(view);
    else this.json!.push(view);
  }
}

/** buf[s..e) holds only spaces (an empty field). */
function blank(buf: Uint8Array, s: number, e: number): boolean {
  while (s < e && buf[s] === 32) s++;
  return s === e;
}

/** The bytes that tell a compressed file. */
const SNIFF_BYTES = 6;

/**
 * The compression whose magic bytes `head` starts with, and the tool that undoes it; undefined for
 * anything else. (gzip is no such compression: the caller gunzips it.)
 */
function compression(head: Uint8Array): { name: string; tool: string } | undefined {
  const at = (...magic: number[]) => magic.every((b, i) => head[i] === b);
  // "BZh" and the block size, 1-9
  if (at(0x42, 0x5a, 0x68) && head[3] >= 0x31 && head[3] <= 0x39) return { name: 'bzip2', tool: 'bunzip2' };
  if (at(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00)) return { name: 'xz', tool: 'unxz' };
  if (at(0x28, 0xb5, 0x2f, 0xfd)) return { name: 'zstd', tool: 'unzstd' };
  if (at(0x50, 0x4b, 0x03, 0x04)) return { name: 'zip', tool: 'unzip' };
  return undefined;
}

/** The chunks as one array. */
function joinBytes(chunks: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const c of chunks) n += c.length;
  const out = new Uint8Array(n);
  n = 0;
  for (const c of chunks) {
    out.set(c, n);
    n += c.length;
  }
  return out;
}

function firstNonBlank(b: Uint8Array): number {
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return i;
  }
  return -1;
}

/** Why a file's first row is neither a record nor a header: malformed, or more fields than a record may have. */
type FirstRowProblem = Malformed | 'wide';

/**
 * What the error says of a first row that is neither a record nor a header. (A function, not a table made
 * when the module loads: the first toLocaleString loads the locale data, about 20 ms of the server's start.)
 */
function firstRowProblem(why: FirstRowProblem): string {
  switch (why) {
    case 'quote':
      return 'could not be read (a quote in it is not closed where its field ends)';
    case 'long':
      return `is longer than ${MAX_RECORD / (1 << 20)} MB without a line break: no row of an accounting file is`;
    case 'wide':
      return `has more than ${MAX_FIELDS.toLocaleString('en-US')} columns: no accounting file has that many`;
  }
}

/** CSV records → counters. */
class CsvRows implements CsvSink {
  tokenizer!: CsvTokenizer;
  hasHeader = false;
  private ncols = 0;
  private cType = -1;
  private cTime = -1;
  private cRcpt = -1;
  private cStatus = -1;
  private cDiag = -1;
  private cMta = -1;
  private cIp = -1;
  private cVmta = -1;
  private readonly scratch = new Uint8Array(64);

  constructor(
    private readonly file: AccountingFile,
    private readonly shared: Shared,
  ) {}

  malformed(line: number, why: Malformed): void {
    this.file.skip(line, this.seenRow ? undefined : why);
    this.seenRow = true;
  }

  /** Whether a row (a record or a malformed one) was met. */
  private seenRow = false;

  record(buf: Uint8Array, count: number, line: number): void {
    const first = !this.seenRow;
    this.seenRow = true;
    const tok = this.tokenizer;
    const starts = tok.starts;
    const ends = tok.ends;
    if (count !== this.ncols || !this.hasHeader) {
      if (!this.header(buf, count)) this.file.skip(line, first && count > MAX_FIELDS ? 'wide' : undefined);
      return;
    }
    const type = recordType(buf, starts[this.cType], ends[this.cType]);
    if (type < 0) {
      if (!this.header(buf, count)) this.file.skip(line);
      return;
    }
    const cTime = this.cTime;
    const time = cTime >= 0 ? parseTimeCodes(buf, starts[cTime], ends[cTime]) : NaN;
    const unreadable = Number.isNaN(time) && cTime >= 0 && !blank(buf, starts[cTime], ends[cTime]);
    if (!this.file.counted(type, time, line, unreadable) || !(type <= TYPE_T || type === TYPE_TQ || type === TYPE_RB))
      return;
    // to a Microsoft consumer recipient? (a tq record may have no recipient: then by the host that answered)
    const cRcpt = this.cRcpt;
    const cMta = this.cMta;
    if (
      !(cRcpt >= 0 && isMicrosoftAddressBytes(buf, starts[cRcpt], ends[cRcpt], this.scratch)) &&
      !(cMta >= 0 && isConsumerMxBytes(buf, starts[cMta], ends[cMta]))
    ) {
      return;
    }
    const sh = this.shared;
    const cIp = this.cIp;
    const cVmta = this.cVmta;
    const ip = cIp >= 0 && ends[cIp] > starts[cIp] ? this.value(sh.ips, buf, cIp) : undefined;
    const vmta = cVmta >= 0 && ends[cVmta] > starts[cVmta] ? this.value(sh.vmtas, buf, cVmta) : undefined;
    let reply: ReplyCode | undefined;
    let from = -1;
    let unmatched = false;
    if (type !== TYPE_D) {
      // the remote reply, else the status PowerMTA gives it (a deferral without an answer: 4.4.1)
      const cDiag = this.cDiag;
      const cStatus = this.cStatus;
      if (cDiag >= 0 && ends[cDiag] > starts[cDiag]) from = cDiag;
      else if (cStatus >= 0 && ends[cStatus] > starts[cStatus]) from = cStatus;
      if (from >= 0) {
        reply = sh.replies.ofBytes(buf, starts[from], ends[from], tok.quoting[from] === FIELD_ESCAPED);
        // only what the remote server said goes through the pattern lists
        unmatched = from === cDiag && !sh.replies.matched;
      }
    }
    // a tq or rb record counts for what Microsoft said: without a reply, it says nothing of the IP
    if (!reply && type > TYPE_T) return;
    const counts = sh.agg.microsoft(type, time, ip, vmta, reply, unmatched);
    if (!counts) return;
    if (counts.example === undefined) counts.example = fieldText(buf, starts[from], ends[from], tok.quoting[from]);
    if (unmatched && counts.unmatchedExample === undefined)
      counts.unmatchedExample = fieldText(buf, starts[from], ends[from], tok.quoting[from]);
  }

  /** Field i of the current record as a string, the same string each time it repeats. */
  private value(strings: ByteStrings, buf: Uint8Array, i: number): string {
    const tok = this.tokenizer;
    const s = tok.starts[i];
    const e = tok.ends[i];
    return tok.quoting[i] === FIELD_ESCAPED ? fieldText(buf, s, e, FIELD_ESCAPED) : strings.get(buf, s, e);
  }

  /** Reads a header row (one with a `type` column); false when the row is not one. */
  private header(buf: Uint8Array, count: number): boolean {
    const tok = this.tokenizer;
    if (count > tok.starts.length) return false;
    const names: string[] = [];
    for (let i = 0; i < count; i++)
      names.push(fieldText(buf, tok.starts[i], tok.ends[i], tok.quoting[i]).trim().toLowerCase());
    const at = (name: string) => names.indexOf(name.toLowerCase());
    if (at('type') < 0) return false;
    this.hasHeader = true;
    this.ncols = count;
    this.cType = at('type');
    this.cTime = at('timeLogged');
    this.cRcpt = at('rcpt');
    this.cStatus = at('dsnStatus');
    this.cDiag = at('dsnDiag');
    this.cMta = at('dsnMta');
    this.cIp = at('dlvSourceIp');
    this.cVmta = at('vmta');
    this.file.noteMissing(REPORT_COLUMNS.filter((c) => at(c) < 0));
    return true;
  }
}

/** JSON records, one object per line → counters. */
class JsonLines {
  private pending: Uint8Array | undefined;
  /** inside a line too long to keep: the rest of it is dropped */
  private skipping = false;
  private line = 1;
  /** the columns some record had */
  private readonly seen = new Set<string>();
  /** the first line that is not blank opens an object it does not close: a record written over several lines */
  splitFirst = false;
  private seenLine = false;

  constructor(
    private readonly file: AccountingFile,
    private readonly shared: Shared,
  ) {}

  push(chunk: Uint8Array): void {
    let buf = chunk;
    let p = 0;
    if (this.skipping) {
      // the rest of a line too long to keep
      const lf = buf.indexOf(10);
      if (lf < 0) return;
      this.skipping = false;
      p = lf + 1;
    } else if (this.pending) {
      buf = new Uint8Array(this.pending.length + chunk.length);
      buf.set(this.pending, 0);
      buf.set(chunk, this.pending.length);
      this.pending = undefined;
    }
    for (;;) {
      const lf = buf.indexOf(10, p);
      if (lf < 0) break;
      this.handle(buf, p, lf);
      p = lf + 1;
    }
    if (p === buf.length) return;
    if (buf.length - p <= MAX_RECORD) this.pending = buf.slice(p);
    else {
      // a line longer than any record: skipped, up to its end
      this.file.skip(this.line++);
      this.seenLine = true;
      this.skipping = true;
    }
  }

  end(): void {
    const buf = this.pending;
    this.pending = undefined;
    if (buf && buf.length) this.handle(buf, 0, buf.length);
    const missing = REPORT_COLUMNS.filter((c) => !this.seen.has(c));
    this.file.noteMissing(missing);
  }

  /** One line, buf[s..e). */
  private handle(buf: Uint8Array, s: number, e: number): void {
    const line = this.line++;
    let t = s;
    while (t < e && (buf[t] === 32 || buf[t] === 9 || buf[t] === 13)) t++;
    if (t === e) return;
    const first = !this.seenLine;
    this.seenLine = true;
    let o: unknown;
    const text = decodeBytes(buf, s, e);
    try {
      o = JSON.parse(text);
    } catch {
      if (first && !text.trimEnd().endsWith('}')) this.splitFirst = true;
      this.file.skip(line);
      return;
    }
    if (!o || typeof o !== 'object' || Array.isArray(o)) {
      this.file.skip(line);
      return;
    }
    this.object(o as Record<string, unknown>, line);
  }

  private object(o: Record<string, unknown>, line: number): void {
    const type = typeof o.type === 'string' ? TYPE_INDEX.get(o.type.toLowerCase()) : undefined;
    if (type === undefined) {
      this.file.skip(line);
      return;
    }
    for (const c of REPORT_COLUMNS) if (o[c] !== undefined && o[c] !== null) this.seen.add(c);
    const text = (k: Column): string => {
      const v = o[k];
      return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
    };
    const t = o.timeLogged;
    const time = typeof t === 'number' ? unixTime(t) : typeof t === 'string' ? parseTimeText(t) : NaN;
    // no time: none given (absent, null, blank); else one that is no time is unreadable
    const unreadable = Number.isNaN(time) && t !== undefined && t !== null && !(typeof t === 'string' && !t.trim());
    if (!this.file.counted(type, time, line, unreadable) || !(type <= TYPE_T || type === TYPE_TQ || type === TYPE_RB))
      return;
    if (!isMicrosoftAddress(text('rcpt')) && !isConsumerMx(text('dsnMta'))) return;
    const ip = text('dlvSourceIp') || undefined;
    const vmta = text('vmta') || undefined;
    let reply: ReplyCode | undefined;
    const diag = text('dsnDiag');
    const said = diag || text('dsnStatus');
    let unmatched = false;
    if (type !== TYPE_D && said) {
      reply = this.shared.replies.ofText(said);
      // only what the remote server said goes through the pattern lists
      unmatched = diag !== '' && !this.shared.replies.matched;
    }
    if (!reply && type > TYPE_T) return;
    const counts = this.shared.agg.microsoft(type, time, ip, vmta, reply, unmatched);
    if (!counts) return;
    if (counts.example === undefined) counts.example = said;
    if (unmatched && counts.unmatchedExample === undefined) counts.unmatchedExample = said;
  }
}
