/**
 * The language server over stdio, as any LSP editor runs it: `node dist/server.js --stdio` (this suite
 * always starts the Node build; protocol.test.ts covers the handshake, document sync and every feature
 * request, on either build). Here: what bad requests and a binary document get.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { LspTestClient, SERVER_JS } from '../helpers/lspClient';

let client: LspTestClient;

before(async () => {
  client = await LspTestClient.start({ script: [SERVER_JS, '--stdio'], initializationOptions: { settings: { rules: { 'duplicate-directive': 'off' } } } });
});

after(() => client?.kill());

const URI = 'file:///virtual/pmta/config';

test('bad requests get an answer, not a crash', async () => {
  await client.open(URI, '<domain example.com>\n    max-smtp-outt 5\n    retry-after soon\n</domain>\n');
  await client.waitForDiagnostics(URI, { version: 1 });
  const unknown = await client.request('textDocument/hover', { textDocument: { uri: 'file:///nope' }, position: { line: 0, character: 0 } });
  assert.equal(unknown, null);
  const far = await client.request('textDocument/hover', { textDocument: { uri: URI }, position: { line: 9999, character: 9999 } });
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
