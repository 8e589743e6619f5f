/**
 * Dynamic registration by capability: the server asks a client to register `workspace/didChangeConfiguration`
 * and `workspace/didChangeWatchedFiles` only when the client says it takes such registrations (VS Code
 * does; Neovim, Helix and Eglot do not, and log a warning for each one they get). A client that takes
 * none still gets its settings pulled and its diagnostics, and a saved document stands for a changed file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { ROOT } from '../helpers/util';
import { LspTestClient } from '../helpers/lspClient';

const MICROSOFT = fs.readFileSync(path.join(ROOT, 'examples', 'microsoft.pmta'), 'utf8');
const URI = 'file:///workspace/microsoft.pmta';
const codes = (ds: Diagnostic[]) => ds.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}`);

test('a client that takes no dynamic registration gets none, and its settings are still pulled and its diagnostics published', async (t) => {
  let settings: unknown = { rules: { 'unknown-directive': 'off' } };
  const client = await LspTestClient.start({ dynamicRegistration: false, configuration: () => settings });
  t.after(() => client.kill());
  await client.open(URI, MICROSOFT);
  const first = await client.waitForDiagnostics(URI, { version: 1 });
  assert.deepEqual(client.configurationRequests, [{ items: [{ scopeUri: URI, section: 'pmta' }] }]);
  // the pulled settings apply: unknown-directive is off
  assert.ok(
    first.some((d) => d.code === 'undefined-reference'),
    codes(first).join('\n'),
  );
  assert.ok(!first.some((d) => d.code === 'unknown-directive'), codes(first).join('\n'));

  // such a client sends didChangeConfiguration on its own when its settings change: they are pulled again
  settings = {};
  const n = client.published.length;
  await client.notify('workspace/didChangeConfiguration', { settings: { pmta: {} } });
  const second = await client.waitForDiagnostics(URI, { after: n });
  assert.equal(client.configurationRequests.length, 2);
  assert.deepEqual(codes(second.filter((d) => d.code === 'unknown-directive')), ['unknown-directive@36:4']);

  // the messages arrive in order: a registration sent at `initialized` would have come before the diagnostics
  assert.deepEqual(client.registrations, []);
  assert.equal(await client.shutdown(), 0);
});

test('a client that takes dynamic registrations is asked to send configuration changes and to watch the files', async (t) => {
  const client = await LspTestClient.start({ dynamicRegistration: true, configuration: () => ({}) });
  t.after(() => client.kill());
  await client.open(URI, MICROSOFT);
  await client.waitForDiagnostics(URI, { version: 1 });
  assert.deepEqual(
    client.registrations.map((r) => r.method),
    ['workspace/didChangeConfiguration', 'workspace/didChangeWatchedFiles'],
  );
  assert.deepEqual(client.registrations[1].registerOptions, { watchers: [{ globPattern: '**/*' }] });
  assert.equal(await client.shutdown(), 0);
});

test('without file watching, a saved document stands for changed files: the configuration reads its included files again', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pmta-registration-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const config = ['include pools.conf', '<source 0/0>', '    default-virtual-mta p1', '</source>', ''].join('\n');
  fs.writeFileSync(path.join(dir, 'config'), config);
  fs.writeFileSync(path.join(dir, 'pools.conf'), '<virtual-mta-pool p1>\n</virtual-mta-pool>\n');
  const client = await LspTestClient.start({
    dynamicRegistration: false,
    workspaceFolders: [{ uri: pathToFileURL(dir).toString(), name: 'pmta' }],
  });
  t.after(() => client.kill());
  const uri = pathToFileURL(path.join(dir, 'config')).toString();
  await client.open(uri, config);
  const first = await client.waitForDiagnostics(uri, { version: 1 });
  assert.deepEqual(codes(first.filter((d) => d.code === 'undefined-reference')), []);

  // the included file changes on disk, and no one tells the server; then the configuration is saved
  fs.writeFileSync(path.join(dir, 'pools.conf'), '<virtual-mta-pool p2>\n</virtual-mta-pool>\n');
  const n = client.published.length;
  await client.save(uri);
  const saved = await client.waitForDiagnostics(uri, { after: n });
  assert.deepEqual(codes(saved.filter((d) => d.code === 'undefined-reference')), ['undefined-reference@2:24']);
  assert.deepEqual(client.registrations, []);
  assert.equal(await client.shutdown(), 0);
});
