/**
 * The language server over stdio, as any LSP editor runs it: `node dist/server.js --stdio` (this suite
 * always starts the Node build; protocol.test.ts covers the handshake, document sync and every feature
 * request, on either build). Here: what bad requests and a binary document get, and the command line.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { LspTestClient, SERVER_JS } from '../helpers/lspClient';
import { ROOT } from '../helpers/util';

let client: LspTestClient;

before(async () => {
  client = await LspTestClient.start({
    script: [SERVER_JS, '--stdio'],
    initializationOptions: { settings: { rules: { 'duplicate-directive': 'off' } } },
  });
});

after(() => client?.kill());

const URI = 'file:///virtual/pmta/config';

test('bad requests get an answer, not a crash', async () => {
  await client.open(URI, '<domain example.com>\n    max-smtp-outt 5\n    retry-after soon\n</domain>\n');
  await client.waitForDiagnostics(URI, { version: 1 });
  const unknown = await client.request('textDocument/hover', {
    textDocument: { uri: 'file:///nope' },
    position: { line: 0, character: 0 },
  });
  assert.equal(unknown, null);
  const far = await client.request('textDocument/hover', {
    textDocument: { uri: URI },
    position: { line: 9999, character: 9999 },
  });
  assert.ok(far === null || typeof far === 'object');
  await assert.rejects(client.request('pmta/doesNotExist', {}));
  // binary junk as a document
  const junk = 'file:///virtual/junk.pmta';
  await client.open(junk, '\u0000\u0001\u0002'.repeat(200));
  const diags = await client.waitForDiagnostics(junk, { version: 1 });
  assert.equal(diags.length, 1);
  assert.match(String(diags[0].message), /binary/);
  // the server is still alive
  const symbols = await client.request('textDocument/documentSymbol', { textDocument: { uri: URI } });
  assert.ok(Array.isArray(symbols));
});

test('without a transport the server prints a short usage and exits 2; --help and --version answer', () => {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [SERVER_JS, ...args], { encoding: 'utf8', timeout: 30_000 });
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  for (const args of [[], ['--socket=abc'], ['--verbose']]) {
    const r = run(...args);
    assert.equal(r.status, 2, args.join(' '));
    assert.equal(r.stdout, '');
    const lines = r.stderr.split('\n');
    assert.equal(
      lines[0],
      'pmta-lsp: no transport: start the server with --stdio, --node-ipc, --socket=PORT (a port number) or --pipe=NAME',
    );
    assert.equal(lines[2], 'Usage: node server.js --stdio | --node-ipc | --socket=PORT | --pipe=NAME');
    // a usage, not the bundle's source and a stack trace
    assert.ok(r.stderr.length < 2000, `${r.stderr.length} characters`);
    assert.doesNotMatch(r.stderr, /^\s+at /m);
  }
  const help = run('--help');
  assert.equal(help.status, 0);
  assert.match(help.stdout, /^Usage: node server\.js --stdio/);
  assert.match(help.stdout, new RegExp(`pmta-lsp ${pkg.version.replace(/\./g, '\\.')}\\)`));
  assert.equal(help.stderr, '');
  const version = run('--version');
  assert.equal(version.status, 0);
  assert.equal(version.stdout, pkg.version + '\n');
  assert.equal(run('-v').stdout, pkg.version + '\n');
});
