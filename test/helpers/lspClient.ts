/**
 * The LSP client of the protocol tests: starts `node dist/server.js --stdio` (the web worker build when
 * PMTA_TEST_SERVER=web, or the command a test names), speaks JSON-RPC to it with vscode-jsonrpc, records
 * the diagnostics it publishes, and can answer `workspace/configuration` requests (the pull model of
 * settings) the way an editor does. It records the dynamic registrations the server asks for.
 */
import { spawn, ChildProcess } from 'child_process';
import * as path from 'path';
import * as fs from 'fs';
import * as os from 'os';
import {
  createMessageConnection,
  MessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-jsonrpc/node';
import type {
  ConfigurationParams,
  Diagnostic,
  Registration,
  RegistrationParams,
  InitializeResult,
  Position,
  PublishDiagnosticsParams,
  Range,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { ROOT } from './util';

export const SERVER_JS = path.join(ROOT, 'dist', 'server.js');
/** The server built for a web worker, run as in a worker (workerHost.ts). */
export const WEB_SERVER = [
  path.join(ROOT, 'out', 'test', 'helpers', 'workerHost.js'),
  path.join(ROOT, 'dist', 'web', 'server.js'),
];

export interface StartOptions {
  /** Sent as `initializationOptions`. */
  initializationOptions?: unknown;
  /**
   * When set, the client advertises `workspace.configuration` and answers each `workspace/configuration`
   * item with `settings(section, scopeUri)`.
   */
  configuration?: (section: string | undefined, scopeUri: string | undefined) => unknown;
  /** Node options to start the server with (before the script's path). */
  nodeOptions?: readonly string[];
  /** The server's command line after node (default: dist/server.js --stdio). */
  script?: readonly string[];
  /** The initialize request's workspace folders (default none). */
  workspaceFolders?: Array<{ uri: string; name: string }>;
  /** Advertise `workspace.codeLens.refreshSupport` (the requests are counted in `lensRefreshes`). */
  codeLensRefresh?: boolean;
  /** Advertise `workspace.workspaceFolders` (the client tells when folders are added or removed). */
  workspaceFolderChanges?: boolean;
  /**
   * Advertise that the client takes dynamic registrations of `workspace/didChangeConfiguration` and
   * `workspace/didChangeWatchedFiles` (default true, as VS Code; Neovim, Helix and Eglot take neither).
   */
  dynamicRegistration?: boolean;
  /** Environment variables for the server, over the test's own and {@link TEST_CACHE_HOME}. */
  env?: Record<string, string>;
}

/**
 * `XDG_CACHE_HOME` of the servers the tests start: their code cache (boot.ts, kept in the user's cache
 * folder by default) goes to a temporary folder, not to the home folder of whoever runs the tests.
 */
const TEST_CACHE_HOME = path.join(os.tmpdir(), 'pmta-lsp-test-cache');

export class LspTestClient {
  readonly conn: MessageConnection;
  readonly proc: ChildProcess;
  stderr = '';
  logs: string[] = [];
  /** Every publishDiagnostics received, in order. */
  readonly published: PublishDiagnosticsParams[] = [];
  /** Every workspace/configuration request received. */
  readonly configurationRequests: ConfigurationParams[] = [];
  /** Every registration of every client/registerCapability request received. */
  readonly registrations: Registration[] = [];
  /** Every window/showMessage received (what the editor shows the user), in order. */
  readonly messages: Array<{ type: number; message: string }> = [];
  /** How many workspace/codeLens/refresh requests were received. */
  lensRefreshes = 0;
  initializeResult!: InitializeResult;
  private listeners: Array<() => void> = [];
  private exitCode: Promise<number | null>;

  private constructor(options: StartOptions) {
    const script = options.script ?? (process.env.PMTA_TEST_SERVER === 'web' ? WEB_SERVER : [SERVER_JS, '--stdio']);
    for (const f of script.filter((a) => a.endsWith('.js')))
      if (!fs.existsSync(f)) throw new Error(`${path.relative(ROOT, f)} is missing: run \`npm run build\` first`);
    this.proc = spawn(process.execPath, [...(options.nodeOptions ?? []), ...script], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, XDG_CACHE_HOME: TEST_CACHE_HOME, ...options.env },
    });
    this.proc.stderr!.on('data', (b: Buffer) => (this.stderr += b.toString()));
    this.exitCode = new Promise((resolve) => this.proc.on('exit', (code) => resolve(code)));
    this.conn = createMessageConnection(
      new StreamMessageReader(this.proc.stdout!),
      new StreamMessageWriter(this.proc.stdin!),
    );
    this.conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.published.push(p);
      this.listeners.splice(0).forEach((l) => l());
    });
    this.conn.onNotification('window/logMessage', (p: { message: string }) => void this.logs.push(p.message));
    this.conn.onNotification(
      'window/showMessage',
      (p: { type: number; message: string }) => void this.messages.push({ type: p.type, message: p.message }),
    );
    this.conn.onRequest('client/registerCapability', (p: RegistrationParams) => {
      this.registrations.push(...p.registrations);
      return null;
    });
    this.conn.onRequest('workspace/codeLens/refresh', () => {
      this.lensRefreshes++;
      return null;
    });
    this.conn.onRequest('workspace/configuration', (p: ConfigurationParams) => {
      this.configurationRequests.push(p);
      return p.items.map((i) => (options.configuration ? options.configuration(i.section, i.scopeUri) : null));
    });
    this.conn.listen();
  }

  /** Starts the server and completes the initialize / initialized handshake. */
  static async start(options: StartOptions = {}): Promise<LspTestClient> {
    const c = new LspTestClient(options);
    const dynamicRegistration = options.dynamicRegistration ?? true;
    const initialize = c.conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      workspaceFolders: options.workspaceFolders ?? null,
      capabilities: {
        workspace: {
          configuration: !!options.configuration,
          didChangeConfiguration: { dynamicRegistration },
          didChangeWatchedFiles: { dynamicRegistration },
          codeLens: { refreshSupport: !!options.codeLensRefresh },
          workspaceFolders: !!options.workspaceFolderChanges,
        },
        textDocument: { publishDiagnostics: { versionSupport: true } },
      },
      initializationOptions: options.initializationOptions,
    });
    // a server that cannot start (a bad Node option, a crash while loading) fails the test instead of hanging it
    const exited = c.exitCode.then((code) => {
      throw new Error(`the server exited with status ${code} before answering initialize: ${c.stderr.trim()}`);
    });
    c.initializeResult = (await Promise.race([initialize, exited])) as InitializeResult;
    await c.conn.sendNotification('initialized', {});
    return c;
  }

  request<R = unknown>(method: string, params?: unknown): Promise<R> {
    return this.conn.sendRequest(method, params) as Promise<R>;
  }

  notify(method: string, params?: unknown): Promise<void> {
    return this.conn.sendNotification(method, params);
  }

  open(uri: string, text: string, version = 1): Promise<void> {
    return this.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'powermta', version, text } });
  }

  change(uri: string, version: number, contentChanges: Array<{ range?: Range; text: string }>): Promise<void> {
    return this.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
  }

  save(uri: string): Promise<void> {
    return this.notify('textDocument/didSave', { textDocument: { uri } });
  }

  close(uri: string): Promise<void> {
    return this.notify('textDocument/didClose', { textDocument: { uri } });
  }

  /** The last diagnostics published for `uri`, if any. */
  latest(uri: string): PublishDiagnosticsParams | undefined {
    for (let i = this.published.length - 1; i >= 0; i--) if (this.published[i].uri === uri) return this.published[i];
    return undefined;
  }

  /**
   * Waits for a publishDiagnostics for `uri` received after the `after`-th one (default: any, including
   * one already received) that satisfies `accept` (default: the given version, or any when omitted).
   */
  waitForDiagnostics(
    uri: string,
    opts: {
      version?: number;
      after?: number;
      accept?: (p: PublishDiagnosticsParams) => boolean;
      timeoutMs?: number;
    } = {},
  ): Promise<Diagnostic[]> {
    const from = opts.after ?? 0;
    const accept =
      opts.accept ?? ((p: PublishDiagnosticsParams) => opts.version === undefined || p.version === opts.version);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `no matching diagnostics for ${uri} within ${opts.timeoutMs ?? 10000} ms; stderr: ${this.stderr}`,
            ),
          ),
        opts.timeoutMs ?? 10000,
      );
      const check = (): void => {
        for (let i = this.published.length - 1; i >= from; i--) {
          const p = this.published[i];
          if (p.uri === uri && accept(p)) {
            clearTimeout(timer);
            resolve(p.diagnostics);
            return;
          }
        }
        this.listeners.push(check);
      };
      check();
    });
  }

  /** Sends shutdown then exit, and resolves with the process's exit code. */
  async shutdown(): Promise<number | null> {
    if (this.proc.exitCode !== null) return this.proc.exitCode;
    const result = await this.request('shutdown');
    if (result !== null) throw new Error(`shutdown answered ${JSON.stringify(result)}`);
    await this.notify('exit');
    let timer: ReturnType<typeof setTimeout> | undefined;
    const code = await Promise.race([
      this.exitCode,
      new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), 5000))),
    ]);
    clearTimeout(timer);
    this.conn.dispose();
    if (code === 'timeout') {
      this.proc.kill();
      throw new Error('the server did not exit within 5 s of the exit notification');
    }
    return code;
  }

  /**
   * Ends the server whatever its state (for `after` hooks), and lets the test process end without waiting
   * for it: its pipes are closed and the process unreferenced, and one that does not end on SIGTERM within
   * 2 s gets SIGKILL.
   */
  kill(): void {
    this.conn.dispose();
    const proc = this.proc;
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill();
      setTimeout(() => {
        if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      }, 2000).unref();
    }
    for (const s of [proc.stdin, proc.stdout, proc.stderr]) s?.destroy();
    proc.unref();
  }
}

/** Offset of a position in `text` (UTF-16, LSP rules: a character past the end of its line is clamped). */
function offsetAt(text: string, pos: Position): number {
  let line = 0;
  let i = 0;
  while (line < pos.line && i < text.length) {
    const nl = text.indexOf('\n', i);
    if (nl < 0) return text.length;
    i = nl + 1;
    line++;
  }
  let end = text.indexOf('\n', i);
  if (end < 0) end = text.length;
  return Math.min(i + pos.character, end);
}

/** Applies LSP text edits (non-overlapping, any order) to `text`, as an editor does. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const resolved = edits
    .map((e) => ({ start: offsetAt(text, e.range.start), end: offsetAt(text, e.range.end), newText: e.newText }))
    .sort((a, b) => b.start - a.start || b.end - a.end);
  for (let i = 1; i < resolved.length; i++) {
    if (resolved[i].end > resolved[i - 1].start) throw new Error('overlapping edits');
  }
  let out = text;
  for (const e of resolved) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

/** The edits of `edit` for one document, whether it uses `changes` or `documentChanges`. */
export function editsFor(edit: WorkspaceEdit | undefined, uri: string): TextEdit[] {
  if (!edit) return [];
  if (edit.changes?.[uri]) return edit.changes[uri];
  const out: TextEdit[] = [];
  for (const dc of edit.documentChanges ?? []) {
    if ('textDocument' in dc && dc.textDocument.uri === uri) out.push(...(dc.edits as TextEdit[]));
  }
  return out;
}

/** Position (UTF-16) of the first occurrence of `needle` in `text`, plus `delta` characters. */
export function positionOf(text: string, needle: string, delta = 0): Position {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`"${needle}" not found`);
  const before = text.slice(0, at + delta);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - (before.lastIndexOf('\n') + 1) };
}
