/**
 * DKIM key files over the protocol: the Node server reads the key files of an open configuration (as it
 * reads included files: only inside the workspace when it is not trusted), publishes what is wrong with
 * them, and answers hover and code lens with the DNS record; the web worker build reads none and says so.
 * Keys are generated for the test; no part of a private key may appear in anything the server sends.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { CodeLens, Diagnostic, Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { LspTestClient, SERVER_JS, WEB_SERVER } from '../helpers/lspClient';
import { makeKeys, secretLines, type TestKeys } from '../helpers/keys';

let keys: TestKeys;
let elsewhere: string;

const CONFIG = [
  'postmaster postmaster@example.com',
  'domain-key s1, example.com, /etc/pmta/dkim/rsa2048.pem',
  'domain-key s2, example.com, rsa512.pem',
  'domain-key s3, example.com, encrypted.pem',
  '<domain *>',
  '    dkim-sign yes',
  '</domain>',
  '',
].join('\n');

before(() => {
  keys = makeKeys('pmta-dkim-lsp-');
  elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'pmta-dkim-elsewhere-'));
});
after(() => {
  fs.rmSync(keys.dir, { recursive: true, force: true });
  fs.rmSync(elsewhere, { recursive: true, force: true });
});

const codes = (ds: Diagnostic[]) =>
  ds.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}-${d.range.end.character}`);

/** Nothing the server sent holds a line of a private key. */
function assertNoSecret(client: LspTestClient, ...answers: unknown[]): void {
  const sent = JSON.stringify([client.published, client.logs, answers]) + client.stderr;
  for (const line of secretLines(keys)) assert.ok(!sent.includes(line), 'a line of a private key was sent');
}

test('the Node server checks the key files of a trusted workspace and answers hover and code lens with the DNS record', async () => {
  const folder = pathToFileURL(keys.dir).toString();
  const client = await LspTestClient.start({
    script: [SERVER_JS, '--stdio'],
    workspaceFolders: [{ uri: folder, name: 'keys' }],
  });
  try {
    const uri = pathToFileURL(path.join(keys.dir, 'config')).toString();
    await client.open(uri, CONFIG);
    const ds = await client.waitForDiagnostics(uri, { version: 1 });
    assert.deepEqual(codes(ds), ['dkim-key-weak@2:28-38', 'dkim-key-invalid@3:28-41']);
    assert.deepEqual(
      ds.map((d) => d.severity),
      [1, 1],
    );
    const hover = await client.request<Hover>('textDocument/hover', {
      textDocument: { uri },
      position: { line: 1, character: 20 },
    });
    const value = `v=DKIM1; k=rsa; p=${keys.publicKeys.rsa2048}`;
    assert.ok(
      (hover.contents as MarkupContent).value.includes(
        `s1._domainkey.example.com. IN TXT "${value.slice(0, 255)}" "${value.slice(255)}"`,
      ),
    );
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    assert.deepEqual(
      lenses.map((l) => [l.range.start.line, l.command?.title, l.command?.command]),
      [
        [1, 'DKIM DNS record: s1._domainkey.example.com TXT (RSA, 2048 bits) · copy', 'pmta.copyDkimRecord'],
        [2, 'DKIM DNS record: s2._domainkey.example.com TXT (RSA, 512 bits) · copy', 'pmta.copyDkimRecord'],
      ],
    );
    assertNoSecret(client, hover, lenses);
  } finally {
    client.kill();
  }
});

test('the Node server in an untrusted workspace reads no key file outside the workspace folders, and says so', async () => {
  const client = await LspTestClient.start({
    script: [SERVER_JS, '--stdio'],
    workspaceFolders: [{ uri: pathToFileURL(elsewhere).toString(), name: 'other' }],
    initializationOptions: { workspaceTrusted: false },
  });
  try {
    const uri = pathToFileURL(path.join(keys.dir, 'config')).toString();
    await client.open(uri, CONFIG);
    const ds = await client.waitForDiagnostics(uri, { version: 1 });
    assert.deepEqual(codes(ds), ['dkim-key-missing@1:28-54', 'dkim-key-missing@2:28-38', 'dkim-key-missing@3:28-41']);
    assert.match(
      String(ds[0].message),
      /is outside the workspace folders, and files there are not read in an untrusted workspace/,
    );
    assert.deepEqual(await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } }), []);
  } finally {
    client.kill();
  }
});

test('the web worker build reads no key file: no key finding, no record, and the hover says why', async () => {
  const client = await LspTestClient.start({
    script: WEB_SERVER,
    workspaceFolders: [{ uri: pathToFileURL(keys.dir).toString(), name: 'keys' }],
  });
  try {
    const uri = pathToFileURL(path.join(keys.dir, 'config')).toString();
    await client.open(uri, CONFIG);
    const ds = await client.waitForDiagnostics(uri, { version: 1 });
    assert.deepEqual(codes(ds), []);
    const hover = await client.request<Hover>('textDocument/hover', {
      textDocument: { uri },
      position: { line: 1, character: 20 },
    });
    assert.match(
      (hover.contents as MarkupContent).value,
      /is not read here: this language server has no access to the files on disk/,
    );
    assert.deepEqual(await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } }), []);
    assertNoSecret(client, hover);
  } finally {
    client.kill();
  }
});
