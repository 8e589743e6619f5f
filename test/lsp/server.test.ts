/**
 * The language server over stdio, as any LSP editor runs it: `node dist/server.js --stdio`.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, ChildProcess } from 'child_process';
import * as path from 'path';
import * as fs from 'fs';
import { createMessageConnection, MessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { ROOT } from '../helpers/util';

let proc: ChildProcess;
let conn: MessageConnection;
const diagnostics = new Map<string, PublishDiagnosticsParams>();
const waiters: Array<() => void> = [];
let stderr = '';

function waitForDiagnostics(uri: string, version: number): Promise<Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri}@${version}; stderr: ${stderr}`)), 10000);
    const check = () => {
      const d = diagnostics.get(uri);
      if (d && (d.version === undefined || d.version === version)) {
        clearTimeout(timer);
        resolve(d.diagnostics);
        return true;
      }
      return false;
    };
    if (!check()) waiters.push(() => void check());
  });
}

before(async () => {
  const server = path.join(ROOT, 'dist', 'server.js');
  assert.ok(fs.existsSync(server), 'dist/server.js is built (npm run build)');
  proc = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  proc.stderr!.on('data', (b) => (stderr += b.toString()));
  conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    diagnostics.set(p.uri, p);
    waiters.splice(0).forEach((w) => w());
  });
  conn.onNotification('window/logMessage', () => undefined);
  conn.onRequest('client/registerCapability', () => null);
  conn.listen();
  const init = (await conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri: null,
    capabilities: {},
    initializationOptions: { settings: { rules: { 'duplicate-directive': 'off' } } },
  })) as { capabilities: Record<string, unknown>; serverInfo: { name: string } };
  assert.equal(init.serverInfo.name, 'pmta-lsp');
  assert.ok(init.capabilities.hoverProvider);
  assert.ok(init.capabilities.codeActionProvider);
  await conn.sendNotification('initialized', {});
});

after(async () => {
  try {
    await conn.sendRequest('shutdown');
    await conn.sendNotification('exit');
  } catch {
    /* already gone */
  }
  conn?.dispose();
  proc?.kill();
});

const URI = 'file:///virtual/pmta/config';

test('diagnostics are published for an opened document, with exact ranges and codes', async () => {
  const text = '<domain example.com>\n    max-smtp-outt 5\n    retry-after soon\n</domain>\n';
  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'powermta', version: 1, text } });
  const diags = await waitForDiagnostics(URI, 1);
  const compact = diags.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`);
  assert.deepEqual(compact, ['unknown-directive@1:4-1:17', 'invalid-value@2:16-2:20']);
  assert.equal(diags[0].source, 'pmta');
  assert.match(String(diags[0].message), /did you mean "max-smtp-out"/);
});

test('incremental edits re-validate the new version', async () => {
  await conn.sendNotification('textDocument/didChange', {
    textDocument: { uri: URI, version: 2 },
    contentChanges: [{ range: { start: { line: 1, character: 16 }, end: { line: 1, character: 17 } }, text: '' }],
  });
  const diags = await waitForDiagnostics(URI, 2);
  assert.deepEqual(
    diags.map((d) => d.code),
    ['invalid-value'],
  );
});

test('hover, completion and code actions answer', async () => {
  const hover = (await conn.sendRequest('textDocument/hover', { textDocument: { uri: URI }, position: { line: 1, character: 6 } })) as {
    contents: { value: string };
  } | null;
  assert.ok(hover, 'hover on a directive name');
  assert.match(hover!.contents.value, /max-smtp-out/);
  const completion = (await conn.sendRequest('textDocument/completion', { textDocument: { uri: URI }, position: { line: 1, character: 4 } })) as {
    items: Array<{ label: string }>;
  };
  assert.ok(completion.items.some((i) => i.label === 'max-msg-rate'));
  const diags = diagnostics.get(URI)!.diagnostics;
  const actions = (await conn.sendRequest('textDocument/codeAction', {
    textDocument: { uri: URI },
    range: diags[0].range,
    context: { diagnostics: diags },
  })) as Array<{ title: string }>;
  assert.ok(actions.some((a) => a.title === 'Disable invalid-value for this line'));
});

test('bad requests get an answer, not a crash', async () => {
  const unknown = await conn.sendRequest('textDocument/hover', { textDocument: { uri: 'file:///nope' }, position: { line: 0, character: 0 } });
  assert.equal(unknown, null);
  const far = await conn.sendRequest('textDocument/hover', { textDocument: { uri: URI }, position: { line: 9999, character: 9999 } });
  assert.ok(far === null || typeof far === 'object');
  await assert.rejects(conn.sendRequest('pmta/doesNotExist', {}));
  // binary junk as a document
  const junk = 'file:///virtual/junk.pmta';
  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: junk, languageId: 'powermta', version: 1, text: '\u0000\u0001\u0002'.repeat(200) } });
  const diags = await waitForDiagnostics(junk, 1);
  assert.equal(diags.length, 1);
  assert.match(String(diags[0].message), /binary/);
  // the server is still alive
  const symbols = await conn.sendRequest('textDocument/documentSymbol', { textDocument: { uri: URI } });
  assert.ok(Array.isArray(symbols));
});

test('closing a document clears its diagnostics', async () => {
  diagnostics.delete(URI);
  await conn.sendNotification('textDocument/didClose', { textDocument: { uri: URI } });
  const diags = await new Promise<Diagnostic[]>((resolve) => {
    const t = setInterval(() => {
      const d = diagnostics.get(URI);
      if (d) {
        clearInterval(t);
        resolve(d.diagnostics);
      }
    }, 20);
  });
  assert.deepEqual(diags, []);
});
