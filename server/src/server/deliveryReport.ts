/**
 * The Microsoft delivery report for the editor (`pmta/deliveryReport`, `pmta/addPatternRules` in
 * protocol.ts): the accounting files are streamed into the report's engine chunk by chunk, from the disk
 * when this server can read them itself (the Node server, `file:` URIs) and else through the client
 * (`pmta/readFileChunk`: the server in a web worker has no disk), gunzipped when they start as gzip does
 * (DecompressionStream, which both have). Progress is reported per file while reading, the request can be
 * cancelled between chunks, and memory stays flat whatever the size of the files. With a configuration,
 * its facts (the rules of its pattern lists, its source IPs) come from the language service before the
 * files are read, and its part of the report after.
 */
import {
  LSPErrorCodes,
  ResponseError,
  type CancellationToken,
  type Connection,
  type TextDocuments,
  type WorkDoneProgressReporter,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { ReportBuilder, type AccountingFile } from '../accounting';
import type { PmtaLanguageService } from '../service';
import type { ReportConfigFacts } from '../types';
import { fromBase64 } from '../util/base64';
import type { ClientSettings } from './clientSettings';
import type { Configurations } from './configurations';
import {
  ADD_PATTERN_RULES,
  DELIVERY_REPORT,
  READ_FILE_CHUNK,
  type AddPatternRulesParams,
  type AddPatternRulesResult,
  type DeliveryReportParams,
  type DeliveryReportResult,
  type ReadFileChunkParams,
  type ReadFileChunkResult,
} from './protocol';

/** A file being read: its size when known (for the progress), and its bytes. */
interface FileSource {
  size?: number;
  chunks: AsyncIterable<Uint8Array>;
}

/**
 * Opens a file the server reads itself (the Node server: `file:` URIs); undefined for a file it cannot
 * reach, which is then read through the client. Rejects, with what is wrong in words, when the file
 * exists for it but cannot be read.
 */
export type OpenFile = (uri: string) => Promise<FileSource | undefined>;

/** Bytes asked of the client at a time. */
const CHUNK = 1 << 20;
/** Files per report at most. */
const MAX_FILES = 1000;

/** A file read through the client, chunk after chunk; its size is known from the first answer on. */
function clientFile(connection: Connection, uri: string): FileSource {
  const source: FileSource = { chunks: read() };
  async function* read(): AsyncGenerator<Uint8Array> {
    let offset = 0;
    for (;;) {
      let r: ReadFileChunkResult;
      try {
        r = await connection.sendRequest<ReadFileChunkResult>(READ_FILE_CHUNK, {
          uri,
          offset,
          length: CHUNK,
        } satisfies ReadFileChunkParams);
      } catch (e) {
        throw new Error(`the editor did not send the file (${(e as Error)?.message ?? e})`);
      }
      if (!r || typeof r !== 'object') throw new Error('the editor did not send the file');
      if ('error' in r) throw new Error(String(r.error));
      source.size = r.size;
      const bytes = fromBase64(r.data);
      if (bytes.length) yield bytes;
      offset += bytes.length;
      if (!bytes.length || offset >= r.size) return;
    }
  }
  return source;
}

/** The bytes of a gzip stream, inflated as they come (DecompressionStream: a browser's and Node's). */
async function* gunzip(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const ds = new DecompressionStream('gzip');
  const writer = ds.writable.getWriter();
  const reader = ds.readable.getReader();
  let failed: Error | undefined;
  const pump = (async () => {
    try {
      for await (const c of source) await writer.write(c);
      await writer.close();
    } catch (e) {
      failed ??= e instanceof Error ? e : new Error(String(e));
      await writer.abort(e).catch(() => undefined);
    }
  })();
  try {
    for (;;) {
      let r: Awaited<ReturnType<typeof reader.read>>;
      try {
        r = await reader.read();
      } catch (e) {
        // the source's own error (cancelled, unreadable) says more than the inflater's
        throw failed ?? new Error(`not a readable gzip file (${(e as Error)?.message ?? e})`);
      }
      if (r.done) break;
      yield r.value;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
    await pump;
  }
  if (failed) throw failed;
}

/** The file's bytes, counted as read (`raw`), gunzipped when its first bytes are gzip's. */
async function* contentOf(source: FileSource, raw: (n: number) => void): AsyncGenerator<Uint8Array> {
  const it = source.chunks[Symbol.asyncIterator]();
  let head = await it.next();
  while (!head.done && head.value.length === 0) head = await it.next();
  if (head.done) return;
  const first = head.value;
  const counted = (async function* () {
    try {
      raw(first.length);
      yield first;
      for (;;) {
        const n = await it.next();
        if (n.done) return;
        raw(n.value.length);
        yield n.value;
      }
    } finally {
      await it.return?.();
    }
  })();
  if (first.length >= 2 && first[0] === 0x1f && first[1] === 0x8b) yield* gunzip(counted);
  else yield* counted;
}

/** Progress over the files: a percentage per file share, reported when it changes. */
class Progress {
  private last = -1;
  constructor(
    private readonly reporter: WorkDoneProgressReporter,
    private readonly files: number,
  ) {}
  /** `done` bytes of file `index` (0-based), of `size` when known. */
  at(index: number, name: string, done: number, size: number | undefined): void {
    const share = size ? Math.min(1, done / size) : 0;
    const pct = Math.floor(((index + share) / this.files) * 100);
    if (pct === this.last) return;
    this.last = pct;
    const mb = (n: number) => (n / 1048576).toFixed(0);
    this.reporter.report(
      pct,
      `${baseName(name)}${size ? `: ${mb(done)} of ${mb(size)} MB` : ''}${this.files > 1 ? ` (file ${index + 1} of ${this.files})` : ''}`,
    );
  }
}

/** A file's name as the report shows it: the path of a `file:` URI, else the URI. */
function displayName(uri: string): string {
  try {
    const u = new URL(uri);
    if (u.protocol === 'file:') return decodeURIComponent(u.pathname.replace(/^\/([a-zA-Z]:)/, '$1'));
  } catch {
    // not a URL: as it is
  }
  return uri;
}

function baseName(name: string): string {
  return name.slice(name.replace(/[/\\]+$/, '').lastIndexOf('/') + 1);
}

const cancelled = () => new ResponseError(LSPErrorCodes.RequestCancelled, 'the delivery report was cancelled');

export class DeliveryReportHandler {
  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly service: PmtaLanguageService,
    private readonly settings: ClientSettings,
    private readonly configurations: Configurations,
    private readonly openFile: OpenFile | undefined,
    private readonly log: (message: string) => void,
  ) {}

  register(): void {
    this.connection.onRequest(DELIVERY_REPORT, (p: DeliveryReportParams, token: CancellationToken) =>
      this.report(p, token),
    );
    this.connection.onRequest(ADD_PATTERN_RULES, (p: AddPatternRulesParams) => this.addRules(p));
  }

  /** The configuration document the request names, with its request context; undefined when it is not open. */
  private async configOf(uri: unknown) {
    const doc = typeof uri === 'string' ? this.documents.get(uri) : undefined;
    if (!doc) return undefined;
    const context = this.configurations.contextOf(doc, await this.settings.of(doc.uri));
    return { doc, context };
  }

  private async report(p: DeliveryReportParams, token: CancellationToken): Promise<DeliveryReportResult> {
    const files = Array.isArray(p?.files)
      ? p.files.filter((f): f is string => typeof f === 'string').slice(0, MAX_FILES)
      : [];
    if (!files.length) throw new ResponseError(-32602, 'no files to report on');
    const config = await this.configOf(p.config?.uri);
    if (p.config && !config)
      this.log(`delivery report: the configuration ${p.config.uri} is not open; reporting without it`);
    const facts: ReportConfigFacts | null = config
      ? this.service.report.reportConfig(config.doc, config.context)
      : null;
    const reporter = this.connection.window.attachWorkDoneProgress(p.workDoneToken);
    reporter.begin('Microsoft delivery report', 0, `${files.length} file${files.length === 1 ? '' : 's'}`, true);
    try {
      const builder = new ReportBuilder({ replyRules: facts?.replyRules });
      const progress = new Progress(reporter, files.length);
      for (const [index, uri] of files.entries()) {
        if (token.isCancellationRequested) throw cancelled();
        const name = displayName(uri);
        await this.read(uri, builder.file(name), token, (done, size) => progress.at(index, name, done, size));
      }
      const report = builder.report();
      if (config && facts) {
        const root = config.context.root ?? config.doc;
        report.config = this.service.report.reportConfigSection(
          displayName(root.uri),
          report,
          builder.unmatched(),
          facts,
        );
      }
      const result: DeliveryReportResult = {
        report,
        explanations: this.service.report.codeExplanations(report.microsoft.codes.map((c) => c.code)),
        vmtas: facts?.vmtas ?? {},
      };
      if (config) result.config = { uri: config.doc.uri };
      return result;
    } finally {
      reporter.done();
    }
  }

  /** Streams one file into the report; what goes wrong is the file's error, except a cancellation. */
  private async read(
    uri: string,
    file: AccountingFile,
    token: CancellationToken,
    progress: (done: number, size: number | undefined) => void,
  ): Promise<void> {
    let done = 0;
    try {
      const source = (await this.openFile?.(uri)) ?? clientFile(this.connection, uri);
      progress(0, source.size);
      for await (const chunk of contentOf(source, (n) => {
        done += n;
        progress(done, source.size);
      })) {
        if (token.isCancellationRequested) throw cancelled();
        file.push(chunk);
      }
      file.end();
    } catch (e) {
      if (e instanceof ResponseError) throw e;
      file.fail((e as Error)?.message ?? String(e));
    }
  }

  private async addRules(p: AddPatternRulesParams): Promise<AddPatternRulesResult> {
    const config = await this.configOf(p?.textDocument?.uri);
    if (!config) return { error: 'the configuration is not open' };
    const ids = Array.isArray(p.ruleIds) ? p.ruleIds.filter((x): x is string => typeof x === 'string') : [];
    return this.service.report.patternRulesEdit(config.doc, ids, config.context);
  }
}
