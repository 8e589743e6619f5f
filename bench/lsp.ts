/**
 * The language server as an editor sees it: `node dist/server.js --stdio`, spoken to over a real
 * JSON-RPC connection. Measures the time from didOpen / didChange to the publishDiagnostics of that
 * version, a burst of keystrokes, and the server process's memory; and what a fresh server process costs
 * (spawn → initialize response, the first didOpen → diagnostics), for any server bundle.
 */
import { spawn, ChildProcess } from 'child_process';
import * as fs from 'fs';
import {
  createMessageConnection,
  MessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-jsonrpc/node';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';

export interface LspFigures {
  /** didOpen → diagnostics, ms */
  open: number;
  /** didChange → diagnostics of that version, ms (one per edit, the debounce included) */
  changes: number[];
  /** A burst of keystrokes: last keystroke → diagnostics of the last version, ms (debounce included) */
  burst: number;
  /** How many diagnostics sets the burst produced (1 when stale versions were never analysed). */
  burstPublished: number;
  diagnostics: number;
  /** Server peak resident memory (VmHWM) and current RSS in bytes, when the OS tells (Linux). */
  peakRss?: number;
  rss?: number;
}

function readStatus(pid: number): { peak?: number; rss?: number } {
  try {
    const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string) => {
      const m = new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s);
      return m ? Number(m[1]) * 1024 : undefined;
    };
    return { peak: kb('VmHWM'), rss: kb('VmRSS') };
  } catch {
    return {};
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts `node [nodeOptions] serverJs --stdio` and drives it. `uri` names the document: by default a
 * file that does not exist; a file on disk that another configuration includes is checked as part of it.
 */
export async function measureLsp(
  serverJs: string,
  text: string,
  edits: number,
  nodeOptions: readonly string[],
  uri = 'file:///bench/pmta/config',
  args: readonly string[] = ['--stdio'],
): Promise<LspFigures> {
  const proc: ChildProcess = spawn(process.execPath, [...nodeOptions, serverJs, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr!.on('data', (b) => (stderr += b.toString()));
  const conn: MessageConnection = createMessageConnection(
    new StreamMessageReader(proc.stdout!),
    new StreamMessageWriter(proc.stdin!),
  );
  let published: Array<{ at: bigint; p: PublishDiagnosticsParams }> = [];
  let waiter: { version: number; resolve: (at: bigint) => void } | undefined;
  conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    const at = process.hrtime.bigint();
    if (p.uri !== uri) return;
    published.push({ at, p });
    if (waiter && p.version === waiter.version) {
      const w = waiter;
      waiter = undefined;
      w.resolve(at);
    }
  });
  conn.onNotification('window/logMessage', () => undefined);
  conn.onRequest(() => null);
  conn.listen();
  const until = (version: number) =>
    new Promise<bigint>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no diagnostics for version ${version} within 60 s; stderr: ${stderr}`)),
        60000,
      );
      waiter = {
        version,
        resolve: (at) => {
          clearTimeout(timer);
          resolve(at);
        },
      };
    });
  const ms = (from: bigint, to: bigint) => Number(to - from) / 1e6;
  try {
    await conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: {},
      initializationOptions: { settings: {} },
    });
    await conn.sendNotification('initialized', {});
    let version = 1;
    const lines = text.split('\n');
    let t0 = process.hrtime.bigint();
    const opened = until(version);
    await conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'powermta', version, text },
    });
    const open = ms(t0, await opened);
    const diagnostics = published[published.length - 1].p.diagnostics.length;
    // edits: change a number on a `max-smtp-out` line somewhere in the file (as typing a digit does)
    const targets = lines.map((l, i) => (/^\s*max-smtp-out \d/.test(l) ? i : -1)).filter((i) => i >= 0);
    const changes: number[] = [];
    for (let k = 0; k < edits; k++) {
      const line = targets[Math.floor(((k + 0.5) / edits) * targets.length)];
      const col = lines[line].indexOf('max-smtp-out ') + 'max-smtp-out '.length;
      version++;
      const done = until(version);
      t0 = process.hrtime.bigint();
      await conn.sendNotification('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [
          { range: { start: { line, character: col }, end: { line, character: col + 1 } }, text: String((k % 9) + 1) },
        ],
      });
      changes.push(ms(t0, await done));
      await sleep(20);
    }
    // a burst: 20 keystrokes 30 ms apart on one line (typing a comment), then wait for the last version
    published = [];
    const line = targets[Math.floor(targets.length / 2)];
    const col = lines[line].length;
    let last = process.hrtime.bigint();
    let done: Promise<bigint> | undefined;
    for (let k = 0; k < 20; k++) {
      version++;
      if (k === 19) done = until(version);
      last = process.hrtime.bigint();
      await conn.sendNotification('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [
          {
            range: { start: { line, character: col + k }, end: { line, character: col + k } },
            text: k === 0 ? '#' : 'x',
          },
        ],
      });
      if (k < 19) await sleep(30);
    }
    const burst = ms(last, await done!);
    const burstPublished = published.length;
    const status = proc.pid ? readStatus(proc.pid) : {};
    return { open, changes, burst, burstPublished, diagnostics, peakRss: status.peak, rss: status.rss };
  } finally {
    try {
      await conn.sendRequest('shutdown');
      await conn.sendNotification('exit');
    } catch {
      /* already gone */
    }
    conn.dispose();
    proc.kill();
  }
}

/** What a fresh server process costs: spawn → initialize response, and didOpen → its first diagnostics. */
export interface StartupFigures {
  /** From spawning the process to the initialize response, ms. */
  initialize: number;
  /** didOpen → the publishDiagnostics of that version, ms (when a text was given). */
  open?: number;
}

/**
 * Spawns `node [nodeOptions] serverJs --stdio [serverArgs]`, sends initialize at once (the request waits in the pipe
 * while Node starts, as when an editor starts a server) and times its response; with a text, then opens
 * it and times its first diagnostics. Then shuts the server down.
 */
export async function measureStartup(
  serverJs: string,
  nodeOptions: readonly string[],
  text?: string,
  serverArgs: readonly string[] = [],
  /** After the diagnostics, the server is shut down once this holds (10 s at most). */
  until?: () => boolean,
  uri = 'file:///bench/pmta/startup.pmta',
): Promise<StartupFigures> {
  const t0 = process.hrtime.bigint();
  const proc: ChildProcess = spawn(process.execPath, [...nodeOptions, serverJs, '--stdio', ...serverArgs], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr!.on('data', (b) => (stderr += b.toString()));
  const conn: MessageConnection = createMessageConnection(
    new StreamMessageReader(proc.stdout!),
    new StreamMessageWriter(proc.stdin!),
  );
  let opened: ((at: bigint) => void) | undefined;
  conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    if (p.uri === uri && p.version === 1) opened?.(process.hrtime.bigint());
  });
  conn.onNotification(() => undefined);
  conn.onRequest(() => null);
  conn.listen();
  const ms = (from: bigint, to: bigint) => Number(to - from) / 1e6;
  const timeout = <T>(p: Promise<T>, what: string) =>
    Promise.race([
      p,
      new Promise<T>((_, reject) =>
        setTimeout(() => reject(new Error(`no ${what} within 30 s; stderr: ${stderr}`)), 30000).unref(),
      ),
    ]);
  try {
    await timeout(
      conn.sendRequest('initialize', {
        processId: process.pid,
        rootUri: null,
        capabilities: {},
        initializationOptions: { settings: {} },
      }),
      'initialize response',
    );
    const initialize = ms(t0, process.hrtime.bigint());
    if (text === undefined) return { initialize };
    await conn.sendNotification('initialized', {});
    const diagnostics = new Promise<bigint>((resolve) => (opened = resolve));
    const t1 = process.hrtime.bigint();
    await conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'powermta', version: 1, text },
    });
    const open = ms(t1, await timeout(diagnostics, 'diagnostics'));
    if (until) {
      const end = Date.now() + 10_000;
      while (!until() && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return { initialize, open };
  } finally {
    try {
      await conn.sendRequest('shutdown');
      await conn.sendNotification('exit');
    } catch {
      /* already gone */
    }
    conn.dispose();
    proc.kill();
  }
}
