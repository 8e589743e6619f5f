/**
 * Settings over the protocol, both ways a client can give them:
 *  - pull: the client supports `workspace/configuration`; the server asks for section `pmta` per document
 *    and asks again after `workspace/didChangeConfiguration` (VS Code's way);
 *  - push: `initializationOptions.settings`, then the settings inside `workspace/didChangeConfiguration`
 *    (for clients without `workspace/configuration`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { ROOT } from '../helpers/util';
import { LspTestClient } from '../helpers/lspClient';

const MICROSOFT = fs.readFileSync(path.join(ROOT, 'examples', 'microsoft.pmta'), 'utf8');
const URI = 'file:///workspace/microsoft.pmta';
const codes = (ds: Diagnostic[]) => ds.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}`);
const ALL = [
  'undefined-reference@31:16',
  'microsoft-missing-rollup@34:8',
  'microsoft-missing-pattern-list@34:8',
  'microsoft-missing-dkim@34:8',
  'microsoft-unsafe-limit@35:17',
  'unknown-directive@36:4',
  'microsoft-unsafe-limit@37:17',
  'microsoft-unsafe-limit@38:16',
  'microsoft-mx-rollup-directive@39:4',
  'invalid-value@49:16',
];

test('pull model: the server asks for section "pmta" of each document, and again after didChangeConfiguration', async (t) => {
  let settings: unknown = {};
  const client = await LspTestClient.start({ configuration: () => settings });
  t.after(() => client.kill());
  await client.open(URI, MICROSOFT);
  const first = await client.waitForDiagnostics(URI, { version: 1 });
  assert.deepEqual(codes(first), ALL);
  assert.deepEqual(client.configurationRequests, [{ items: [{ scopeUri: URI, section: 'pmta' }] }]);

  // turning a rule off removes its diagnostics; a severity override changes the severity; the volume tier changes the limits
  settings = { rules: { 'microsoft-missing-rollup': 'off', 'unknown-directive': 'error' }, microsoft: { volumeTier: '500k-plus' } };
  let n = client.published.length;
  await client.notify('workspace/didChangeConfiguration', { settings: null });
  const second = await client.waitForDiagnostics(URI, { after: n });
  assert.deepEqual(client.configurationRequests.length, 2, 'the settings are asked for again');
  assert.deepEqual(
    codes(second),
    ALL.filter((c) => !c.startsWith('microsoft-missing-rollup@')),
  );
  assert.equal(second.find((d) => d.code === 'unknown-directive')!.severity, 1);
  const smtpOut = second.find((d) => d.code === 'microsoft-unsafe-limit' && d.range.start.line === 35)!;
  assert.match(String(smtpOut.message), /^max-smtp-out 10 is above 6, the recommended value for the 500k-plus tier/);
  // the setting declares the volume: the limits are warnings, no longer information
  assert.equal(smtpOut.severity, 2);
  assert.equal(first.find((d) => d.code === 'microsoft-unsafe-limit' && d.range.start.line === 35)!.severity, 3);

  // back to the defaults
  settings = {};
  n = client.published.length;
  await client.notify('workspace/didChangeConfiguration', { settings: null });
  assert.deepEqual(codes(await client.waitForDiagnostics(URI, { after: n })), ALL);

  // settings the server cannot use are ignored, not fatal
  settings = { rules: 'everything off', maxFileSizeKB: -3 };
  n = client.published.length;
  await client.notify('workspace/didChangeConfiguration', { settings: null });
  assert.deepEqual(codes(await client.waitForDiagnostics(URI, { after: n })), ALL);
  assert.equal(await client.shutdown(), 0);
});

test('push model: initializationOptions.settings, then the settings sent with didChangeConfiguration', async (t) => {
  const client = await LspTestClient.start({ initializationOptions: { settings: { rules: { 'invalid-value': 'off', 'undefined-reference': 'hint' } } } });
  t.after(() => client.kill());
  await client.open(URI, MICROSOFT);
  const first = await client.waitForDiagnostics(URI, { version: 1 });
  assert.deepEqual(
    codes(first),
    ALL.filter((c) => !c.startsWith('invalid-value@')),
  );
  assert.equal(first[0].code, 'undefined-reference');
  assert.equal(first[0].severity, 4);
  assert.deepEqual(client.configurationRequests, [], 'a client without workspace/configuration is never asked');

  // the pushed settings replace the initial ones
  let n = client.published.length;
  await client.notify('workspace/didChangeConfiguration', { settings: { pmta: { rules: { 'microsoft-unsafe-limit': 'off' } } } });
  const second = await client.waitForDiagnostics(URI, { after: n });
  assert.deepEqual(
    codes(second),
    ALL.filter((c) => !c.startsWith('microsoft-unsafe-limit@')),
  );

  // a file-size limit smaller than the file: one notice instead of an analysis
  n = client.published.length;
  await client.notify('workspace/didChangeConfiguration', { settings: { pmta: { maxFileSizeKB: 1 } } });
  const third = await client.waitForDiagnostics(URI, { after: n });
  assert.deepEqual(
    third.map((d) => [d.code, d.severity, d.message]),
    [['file-too-large', 3, 'This file is larger than 1 KB (setting pmta.maxFileSizeKB), so it is not analysed: no diagnostics, hover, completion or navigation, only the outline and folding of its blocks. Raise pmta.maxFileSizeKB to analyse it.']],
  );

  // settings without a "pmta" section mean the defaults
  n = client.published.length;
  await client.notify('workspace/didChangeConfiguration', { settings: { other: true } });
  assert.deepEqual(codes(await client.waitForDiagnostics(URI, { after: n })), ALL);
  assert.equal(await client.shutdown(), 0);
});
