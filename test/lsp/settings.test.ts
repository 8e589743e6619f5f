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
  settings = {
    rules: { 'microsoft-missing-rollup': 'off', 'unknown-directive': 'error' },
    microsoft: { volumeTier: '500k-plus' },
  };
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

  // settings the server cannot use are ignored, not fatal, and the user is told
  assert.deepEqual(client.messages, []);
  settings = { rules: 'everything off', maxFileSizeKB: -3 };
  n = client.published.length;
  await client.notify('workspace/didChangeConfiguration', { settings: null });
  assert.deepEqual(codes(await client.waitForDiagnostics(URI, { after: n })), ALL);
  assert.deepEqual(client.messages, [
    { type: 2, message: 'PowerMTA settings: pmta: "rules" must be an object of rule id → severity' },
    { type: 2, message: 'PowerMTA settings: pmta.maxFileSizeKB: expected a positive number' },
  ]);
  assert.equal(await client.shutdown(), 0);
});

test('a misspelled rule id in the settings is shown to the user once, with a did-you-mean; the other rules still apply', async (t) => {
  let settings: unknown = {
    rules: {
      'duplicate-blocks': 'off',
      'Unknown-Directive': 'error',
      'unsafe-limit': 'off',
      'microsoft-missing-rollup': 'off',
    },
  };
  const client = await LspTestClient.start({ configuration: () => settings });
  t.after(() => client.kill());
  const other = 'file:///workspace/other.pmta';
  await client.open(URI, MICROSOFT);
  await client.open(other, '<domain a.com>\n</domain>\n');
  assert.deepEqual(
    codes(await client.waitForDiagnostics(URI, { version: 1 })),
    ALL.filter((c) => !c.startsWith('microsoft-missing-rollup@')),
  );
  await client.waitForDiagnostics(other, { version: 1 });
  const expected = [
    {
      type: 2,
      message:
        'PowerMTA settings: pmta.rules.duplicate-blocks: there is no rule "duplicate-blocks"; did you mean "duplicate-block"?',
    },
    {
      type: 2,
      message:
        'PowerMTA settings: pmta.rules.Unknown-Directive: there is no rule "Unknown-Directive"; did you mean "unknown-directive"?',
    },
    {
      type: 2,
      message:
        'PowerMTA settings: pmta.rules.unsafe-limit: there is no rule "unsafe-limit"; did you mean "microsoft-unsafe-limit"?',
    },
  ];
  // asked for each of the two documents, shown once
  assert.equal(client.configurationRequests.length, 2);
  assert.deepEqual(client.messages, expected);
  assert.ok(
    client.logs.some((l) => l.includes('settings: pmta.rules.duplicate-blocks: there is no rule "duplicate-blocks"')),
  );
  // corrected: nothing more; misspelled again after a change: shown again
  settings = { rules: { 'duplicate-block': 'off' } };
  let n = client.published.length;
  await client.notify('workspace/didChangeConfiguration', { settings: null });
  await client.waitForDiagnostics(URI, { after: n });
  assert.equal(client.messages.length, 3);
  settings = { rules: { 'duplicate-blocks': 'off' } };
  n = client.published.length;
  await client.notify('workspace/didChangeConfiguration', { settings: null });
  await client.waitForDiagnostics(URI, { after: n });
  assert.deepEqual(client.messages.slice(3), [expected[0]]);
  assert.equal(await client.shutdown(), 0);
});

test('a misspelled rule id in initializationOptions or a pushed change is shown too', async (t) => {
  const client = await LspTestClient.start({
    initializationOptions: { settings: { rules: { 'invalid-values': 'off' } } },
  });
  t.after(() => client.kill());
  await client.open(URI, MICROSOFT);
  assert.deepEqual(
    codes(await client.waitForDiagnostics(URI, { version: 1 })),
    ALL,
    'the misspelled id turned nothing off',
  );
  assert.deepEqual(client.messages, [
    {
      type: 2,
      message:
        'PowerMTA settings: initializationOptions.settings.rules.invalid-values: there is no rule "invalid-values"; did you mean "invalid-value"?',
    },
  ]);
  const n = client.published.length;
  await client.notify('workspace/didChangeConfiguration', { settings: { pmta: { rules: { nonsense: 'off' } } } });
  await client.waitForDiagnostics(URI, { after: n });
  assert.deepEqual(client.messages.slice(1), [
    {
      type: 2,
      message:
        'PowerMTA settings: pmta.rules.nonsense: there is no rule "nonsense" (the README and pmta-lint --list-rules list the rules)',
    },
  ]);
  assert.equal(await client.shutdown(), 0);
});

test('push model: initializationOptions.settings, then the settings sent with didChangeConfiguration', async (t) => {
  const client = await LspTestClient.start({
    initializationOptions: { settings: { rules: { 'invalid-value': 'off', 'undefined-reference': 'hint' } } },
  });
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
  await client.notify('workspace/didChangeConfiguration', {
    settings: { pmta: { rules: { 'microsoft-unsafe-limit': 'off' } } },
  });
  const second = await client.waitForDiagnostics(URI, { after: n });
  assert.deepEqual(
    codes(second),
    ALL.filter((c) => !c.startsWith('microsoft-unsafe-limit@')),
  );

  // a file-size limit smaller than the file: one warning instead of an analysis
  n = client.published.length;
  await client.notify('workspace/didChangeConfiguration', { settings: { pmta: { maxFileSizeKB: 1 } } });
  const third = await client.waitForDiagnostics(URI, { after: n });
  assert.deepEqual(
    third.map((d) => [d.code, d.severity, d.message]),
    [
      [
        'file-too-large',
        2,
        `This file (${Math.ceil(MICROSOFT.length / 1024)} KB) is larger than the size limit of 1 KB, so it is not checked: no rule ran on it. Raise the limit to check it: --max-file-size with pmta-lint, the setting pmta.maxFileSizeKB in the editor.`,
      ],
    ],
  );

  // settings without a "pmta" section mean the defaults
  n = client.published.length;
  await client.notify('workspace/didChangeConfiguration', { settings: { other: true } });
  assert.deepEqual(codes(await client.waitForDiagnostics(URI, { after: n })), ALL);
  assert.equal(await client.shutdown(), 0);
});
