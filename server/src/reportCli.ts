/**
 * `pmta-lint report`: the Microsoft delivery report from PowerMTA accounting files, on the command line.
 * This is the Node part (files, gzip, standard input, the progress bar, the exit status); the report
 * itself is the pure engine in accounting/.
 *
 *   pmta-lint report [--config PATH] [--format text|json|markdown|html] [--since T] [--until T] FILE...
 *
 * With --config, the configuration (its includes followed, through the language service and the Node
 * include host) maps the source IPs to their virtual MTAs and pools, and its pattern lists are matched
 * against every Microsoft reply: the replies none of their rules matches are listed, with the rules of
 * the recommended list that handle them.
 *
 * Files are streamed in chunks, never read whole: memory stays flat whatever their size. A gzip file
 * (rotated `.gz`) is told by its first bytes, whatever its name, on standard input too (and the engine
 * refuses bzip2, xz, zstd and zip by theirs).
 * Exit status: 0 when every input was read, 2 when one could not be (or for a usage error).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Readable } from 'stream';
import { pathToFileURL } from 'url';
import * as zlib from 'zlib';
import { REPORT_FORMATS, renderReport, ReportBuilder, type AccountingFile, type ReportFormat } from './accounting';
import { parseTimeText, unixTime } from './accounting/time';
import { FILE_CHUNK, ioMessage } from './hosts/accountingFiles';
import { NodeIncludeHost } from './hosts/nodeHost';
import { parseDuration } from './knowledge/values';
import { PmtaLanguageService, TextDocument } from './service';
import type { ReportConfigFacts } from './types';
import { ArgReader, UsageError } from './cli/args';

const REPORT_USAGE = `Usage: pmta-lint report [options] FILE...

Microsoft delivery report from PowerMTA accounting files (acct-*.csv, CSV with
its header row or JSON records one per line; .gz files too, but decompress
.bz2, .xz and .zst files first; - for standard input): deliveries, deferrals
and bounces to Outlook.com, Hotmail, Live and MSN recipients, the code of every
reply explained, and per source IP whether it is blocked (with how to get it
removed) or throttled, when it was last refused, and whether it delivered again
after that (the block may have been lifted).

Options:
  --config PATH    the PowerMTA configuration (its includes are followed): the
                   virtual MTAs and pools of each source IP, and the Microsoft
                   replies no rule of the pattern lists of the Microsoft queue
                   matches, with the reply lines to add
  --format text|json|markdown|html
                   output format (default: text); json is a stable contract
                   (its JSON Schema: schemas/report.schema.json)
  --since T        only records logged at or after T
  --until T        only records logged before T
                   T: 2026-01-15, 2026-01-15T08:00, 2026-01-15 08:00:00-0500,
                   a Unix time (1768464000), or a duration back from now (24h,
                   7d). A time without a UTC offset is UTC.
  -h, --help       show this help

Exit status: 0 when every input was read (malformed rows are skipped and
counted, not errors), 2 when an input could not be read or is not an
accounting file, or for a usage error.`;

/** Files larger than this get a progress bar when standard error is a terminal. */
const PROGRESS_MIN_BYTES = 50 * 1024 * 1024;
const CHUNK = FILE_CHUNK;

interface ReportArgs {
  config?: string;
  format: ReportFormat;
  since?: number;
  until?: number;
  files: string[];
}

/** A --since / --until value as ms since 1970: a time, a Unix time, or a duration back from `now`. */
function parseTimeArg(value: string, now: number): number | undefined {
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) {
    const t = unixTime(Number(v));
    return Number.isNaN(t) ? undefined : t;
  }
  if (/^(\d+[wdhms])+$/i.test(v)) {
    const seconds = parseDuration(v);
    return seconds === undefined ? undefined : now - seconds * 1000;
  }
  const t = parseTimeText(v);
  return Number.isNaN(t) ? undefined : t;
}

/** Whether a value written as a date (and time) names one that does not exist: 2026-02-30, 10:61, 24:00. */
function impossibleDate(value: string): boolean {
  const m = /^\s*(\d{4})-(\d\d)-(\d\d)(?:[ Tt](\d\d):(\d\d)(?::(\d\d))?)?/.exec(value);
  if (!m) return false;
  const [y, mo, d, h, mi, sec] = m.slice(1).map((x) => Number(x ?? 0));
  const t = new Date(Date.UTC(y, mo - 1, d, h, mi, Math.min(sec, 59)));
  return (
    t.getUTCFullYear() !== y ||
    t.getUTCMonth() !== mo - 1 ||
    t.getUTCDate() !== d ||
    t.getUTCHours() !== h ||
    t.getUTCMinutes() !== mi
  );
}

function parseArgs(argv: string[], now: number): ReportArgs | 'help' {
  const o: ReportArgs = { format: 'text', files: [] };
  const r = new ArgReader(argv);
  const time = (name: string) => {
    const v = r.value(name);
    const t = parseTimeArg(v, now);
    if (t === undefined)
      throw new UsageError(
        `${name} "${v}": ${impossibleDate(v) ? 'no such date or time' : 'not a time'}: expected a time such as 2026-01-15, 2026-01-15T08:00, 1768464000 or 24h`,
      );
    return t;
  };
  for (let a = r.next(); a !== undefined; a = r.next()) {
    if (a === '-h' || a === '--help') return 'help';
    if (r.is('--format')) {
      const f = r.value('--format');
      if (!(REPORT_FORMATS as readonly string[]).includes(f))
        throw new UsageError(`unknown format "${f}" (use ${REPORT_FORMATS.join(', ')})`);
      o.format = f as ReportFormat;
    } else if (r.is('--config')) o.config = r.value('--config');
    else if (r.is('--since')) o.since = time('--since');
    else if (r.is('--until')) o.until = time('--until');
    else if (a === '--') o.files.push(...r.rest());
    else if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a}`);
    else o.files.push(a);
  }
  if (o.files.length === 0) throw new UsageError('no files given (give - to read standard input)');
  if (o.since !== undefined && o.until !== undefined && o.since >= o.until)
    throw new UsageError('--since must be before --until');
  return o;
}

/** A progress bar on standard error, redrawn at most five times a second. */
class Progress {
  private last = 0;
  private done = 0;
  constructor(
    private readonly name: string,
    private readonly total: number,
  ) {}
  add(n: number): void {
    this.done += n;
    const now = Date.now();
    if (now - this.last < 200) return;
    this.last = now;
    const share = Math.min(1, this.done / this.total);
    const width = 30;
    const full = Math.round(share * width);
    const mb = (x: number) => (x / 1024 / 1024).toFixed(0);
    process.stderr.write(
      `\r${this.name.slice(-40)} [${'#'.repeat(full)}${'.'.repeat(width - full)}] ${(share * 100).toFixed(0).padStart(3)}% ${mb(this.done)}/${mb(this.total)} MB`,
    );
  }
  clear(): void {
    if (this.last) process.stderr.write('\r\x1b[K');
  }
}

/**
 * Streams an input into the report's file: gunzipped when it starts with the gzip magic bytes.
 * `raw` is told how many bytes were read from the input (before gunzipping), for the progress bar.
 */
function feed(input: Readable, file: AccountingFile, raw: (n: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let gunzip: zlib.Gunzip | undefined;
    let first = true;
    const fail = (e: Error) => {
      input.destroy();
      gunzip?.destroy();
      reject(e);
    };
    input.on('data', (c: Buffer) => {
      raw(c.length);
      if (first) {
        first = false;
        if (c.length >= 2 && c[0] === 0x1f && c[1] === 0x8b) {
          gunzip = zlib.createGunzip({ chunkSize: CHUNK });
          gunzip.on('data', (d: Buffer) => file.push(d));
          gunzip.on('error', (e) => fail(new Error(`not a readable gzip file (${e.message})`)));
          gunzip.on('end', () => resolve());
          gunzip.on('drain', () => input.resume());
        }
      }
      if (!gunzip) file.push(c);
      else if (!gunzip.write(c)) input.pause();
    });
    input.on('error', (e) => fail(new Error(ioMessage(e as NodeJS.ErrnoException))));
    input.on('end', () => (gunzip ? gunzip.end() : resolve()));
  });
}

/** Reads one input into the report; false when it could not be read. */
async function readInput(name: string, file: AccountingFile): Promise<boolean> {
  let input: Readable;
  let progress: Progress | undefined;
  if (name === '-') input = process.stdin;
  else {
    let size = 0;
    try {
      const st = fs.statSync(name);
      if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      size = st.size;
    } catch (e) {
      file.fail(ioMessage(e as NodeJS.ErrnoException));
      return false;
    }
    input = fs.createReadStream(name, { highWaterMark: CHUNK });
    if (size > PROGRESS_MIN_BYTES && process.stderr.isTTY) progress = new Progress(name, size);
  }
  try {
    await feed(input, file, (n) => progress?.add(n));
    file.end();
    return true;
  } catch (e) {
    file.fail((e as Error).message);
    return false;
  } finally {
    progress?.clear();
  }
}

/**
 * The configuration at `file`, read with its includes as the linter reads it, and what the report needs
 * of it; when `file` is part of a configuration near it (a `conf.d/` file that `config` includes), of
 * that configuration. A string says why it could not be read.
 */
function readConfig(file: string): ReportConfigFacts | string {
  let text: string;
  try {
    if (fs.statSync(file).isDirectory()) return 'is a directory';
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return ioMessage(e as NodeJS.ErrnoException);
  }
  const host = new NodeIncludeHost();
  const service = new PmtaLanguageService({ host });
  const doc = TextDocument.create(pathToFileURL(path.resolve(file)).toString(), 'powermta', 1, text);
  const near = host.nearbyConfigs(doc.uri).map((c) => TextDocument.create(c.uri, 'powermta', 1, c.text));
  const root = service.includers(doc, near)[0];
  return (
    service.report.reportConfig(doc, { root }) ?? 'not a configuration the linter can analyse (too large, or not text)'
  );
}

/**
 * Runs `pmta-lint report` with its arguments (after the word `report`); resolves to the exit status,
 * never rejects (an unexpected error is reported as an internal error, status 2).
 */
export async function runReport(argv: string[]): Promise<number> {
  try {
    return await report(argv);
  } catch (e) {
    process.stderr.write(`pmta-lint report: internal error: ${(e as Error)?.stack ?? e}\n`);
    return 2;
  }
}

async function report(argv: string[]): Promise<number> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(argv, Date.now());
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`pmta-lint report: ${e.message}\n\n${REPORT_USAGE}\n`);
    return 2;
  }
  if (args === 'help') {
    process.stdout.write(REPORT_USAGE + '\n');
    return 0;
  }
  let config: ReportConfigFacts | undefined;
  if (args.config !== undefined) {
    const c = readConfig(args.config);
    if (typeof c === 'string') {
      process.stderr.write(`pmta-lint report: --config ${args.config}: ${c}\n`);
      return 2;
    }
    config = c;
  }
  const builder = new ReportBuilder({ since: args.since, until: args.until, replyRules: config?.replyRules });
  let ok = true;
  for (const name of args.files) {
    const file = builder.file(name);
    if (!(await readInput(name, file))) ok = false;
  }
  const report = builder.report();
  if (config && args.config !== undefined)
    report.config = new PmtaLanguageService().report.reportConfigSection(
      args.config,
      report,
      builder.unmatched(),
      config,
    );
  for (const f of report.files) {
    if (f.error !== undefined) {
      ok = false;
      process.stderr.write(`pmta-lint report: ${f.file}: ${f.error}\n`);
    }
  }
  process.stdout.write(renderReport(report, args.format));
  return ok ? 0 : 2;
}
