/**
 * The LSP protocol, end to end against the built server (`node dist/server.js --stdio`), as an editor
 * drives it: handshake and capabilities, document sync, every feature request, code actions whose edits
 * are applied and re-checked, and a clean shutdown.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import type {
  CodeAction,
  CompletionList,
  Diagnostic,
  DocumentSymbol,
  Hover,
  SymbolInformation,
  Location,
  MarkupContent,
  TextEdit,
} from 'vscode-languageserver-protocol';
import { ROOT } from '../helpers/util';
import { LspTestClient, applyEdits, editsFor, positionOf } from '../helpers/lspClient';
import { DECLARED } from '../helpers/microsoft';
import { SERVER_NODE_OPTIONS } from '../../server/src/server/nodeOptions';

let client: LspTestClient;

before(async () => {
  client = await LspTestClient.start();
});

after(() => client?.kill());

const MICROSOFT = fs.readFileSync(path.join(ROOT, 'examples', 'microsoft.pmta'), 'utf8');
const MS_URI = 'file:///workspace/microsoft.pmta';

/** "code@line:col-line:col" (0-based), the way the tests compare diagnostics. */
const compact = (ds: Diagnostic[]) =>
  ds.map(
    (d) => `${d.code}@${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`,
  );

test('initialize advertises the features the server implements', () => {
  const r = client.initializeResult;
  assert.equal(r.serverInfo?.name, 'pmta-lsp');
  assert.deepEqual(r.capabilities, {
    textDocumentSync: { openClose: true, change: 2, save: { includeText: false } }, // incremental; didSave stands for a changed file when the client watches none
    hoverProvider: true,
    completionProvider: { triggerCharacters: ['<', '/', '$', ' ', '='], resolveProvider: false },
    codeActionProvider: { codeActionKinds: ['quickfix', 'source.fixAll.pmta'] },
    documentSymbolProvider: true,
    workspaceSymbolProvider: true,
    foldingRangeProvider: true,
    definitionProvider: true,
    referencesProvider: true,
    documentHighlightProvider: true,
    renameProvider: { prepareProvider: true },
    documentFormattingProvider: true,
    documentRangeFormattingProvider: true,
    documentLinkProvider: { resolveProvider: false },
    codeLensProvider: { resolveProvider: false },
    workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
  });
  // the version in serverInfo is the package's
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  assert.equal(r.serverInfo?.version, pkg.version);
});

test('didOpen publishes the Microsoft findings of examples/microsoft.pmta, with versions and exact ranges', async () => {
  await client.open(MS_URI, MICROSOFT, 1);
  const diags = await client.waitForDiagnostics(MS_URI, { version: 1 });
  assert.deepEqual(compact(diags), [
    'undefined-reference@31:16-31:20',
    'microsoft-missing-rollup@34:8-34:19',
    'microsoft-missing-pattern-list@34:8-34:19',
    'microsoft-missing-dkim@34:8-34:19',
    'microsoft-unsafe-limit@35:17-35:19',
    'unknown-directive@36:4-36:17',
    'microsoft-unsafe-limit@37:17-37:22',
    'microsoft-unsafe-limit@38:16-38:18',
    'microsoft-mx-rollup-directive@39:4-39:25',
    'invalid-value@49:16-49:18',
  ]);
  assert.ok(diags.every((d) => d.source === 'pmta'));
  // the limits are information: the file does not declare its volume tier
  assert.deepEqual(
    diags.map((d) => d.severity),
    [1, 2, 2, 2, 3, 2, 3, 3, 1, 1],
  );
  const rollup = diags.find((d) => d.code === 'microsoft-missing-rollup')!;
  assert.match(String(rollup.message), /^8 Microsoft consumer domains do not share the outlook\.com queue/);
  assert.match(
    String(rollup.message),
    /hotmail\.co\.uk, hotmail\.de, hotmail\.fr, live\.com, live\.co\.uk, live\.de, msn\.com, windowslive\.com/,
  );
});

test('hover explains a Microsoft reply code in a comment, with the range of the code', async () => {
  const uri = 'file:///workspace/bounce.pmta';
  const text = '# Outlook answered: 421 RP-001 rate limited\n<domain outlook.com>\n    max-smtp-out 2\n</domain>\n';
  await client.open(uri, text);
  const hover = await client.request<Hover | null>('textDocument/hover', {
    textDocument: { uri },
    position: positionOf(text, 'RP-001', 3),
  });
  assert.ok(hover, 'a hover on RP-001');
  // the whole reply as written, basic code included
  assert.deepEqual(hover.range, { start: { line: 0, character: 20 }, end: { line: 0, character: 30 } });
  const md = (hover.contents as MarkupContent).value;
  assert.equal((hover.contents as { kind: string }).kind, 'markdown');
  assert.match(md, /^\*\*421 RP-001\*\* — Rate limit exceeded \(IP\/domain reputation\)/);
  assert.match(md, /`reply \/RP-001\/ mode=backoff,backoff-to-normal-after=4h`/);
  // a directive name: its catalog entry
  const directive = await client.request<Hover | null>('textDocument/hover', {
    textDocument: { uri },
    position: positionOf(text, 'max-smtp-out', 4),
  });
  assert.ok(directive);
  assert.deepEqual(directive.range, { start: { line: 2, character: 4 }, end: { line: 2, character: 16 } });
  assert.match((directive.contents as MarkupContent).value, /^\*\*max-smtp-out\*\* — directive/);
  // white space between tokens: nothing
  assert.equal(
    await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 1 } }),
    null,
  );
  await client.close(uri);
});

test('incremental didChange: several ranged changes in one notification, applied in order, in UTF-16 units', async () => {
  const uri = 'file:///workspace/edit.pmta';
  const text = '# 📧max-smtp-outt 5\n<domain example.com>\n    retry-after soon\n</domain>\n';
  await client.open(uri, text, 1);
  assert.deepEqual(compact(await client.waitForDiagnostics(uri, { version: 1 })), ['invalid-value@2:16-2:20']);

  // "📧" is two UTF-16 code units: character 4 is just after it. The second change sees the first's result.
  await client.change(uri, 2, [
    { range: { start: { line: 0, character: 4 }, end: { line: 0, character: 4 } }, text: '\n' },
    { range: { start: { line: 3, character: 16 }, end: { line: 3, character: 20 } }, text: '10m' },
  ]);
  const v2 = await client.waitForDiagnostics(uri, { version: 2 });
  assert.deepEqual(compact(v2), ['unknown-directive@1:0-1:13']);
  assert.match(String(v2[0].message), /^Unknown directive "max-smtp-outt"; did you mean "max-smtp-out"/);

  // delete the extra "t" and move the directive into the block
  await client.change(uri, 3, [
    { range: { start: { line: 1, character: 12 }, end: { line: 1, character: 13 } }, text: '' },
    {
      range: { start: { line: 1, character: 0 }, end: { line: 2, character: 20 } },
      text: '<domain example.com>\n    max-smtp-out 5',
    },
  ]);
  assert.deepEqual(await client.waitForDiagnostics(uri, { version: 3 }), []);

  // a whole-document change (no range) replaces the text
  await client.change(uri, 4, [{ text: '</domain>\n' }]);
  const v4 = await client.waitForDiagnostics(uri, { version: 4 });
  assert.deepEqual(compact(v4), ['syntax@0:0-0:9']);
  await client.close(uri);
});

test('completion offers directives valid in the enclosing block and closing tags', async () => {
  const uri = 'file:///workspace/complete.pmta';
  const text = '<domain example.com>\n    max-\n';
  await client.open(uri, text);
  const list = await client.request<CompletionList>('textDocument/completion', {
    textDocument: { uri },
    position: { line: 1, character: 8 },
    context: { triggerKind: 1 },
  });
  const labels = list.items.map((i) => i.label);
  for (const l of ['max-smtp-out', 'max-msg-rate', 'max-connect-rate', 'retry-after', 'bounce-after'])
    assert.ok(labels.includes(l), `${l} offered`);
  assert.ok(!labels.includes('smtp-listener'), 'a global-only directive is not offered inside <domain>');
  const item = list.items.find((i) => i.label === 'max-smtp-out')!;
  assert.match(String(item.detail), /int/);

  await client.change(uri, 2, [
    { range: { start: { line: 1, character: 4 }, end: { line: 1, character: 8 } }, text: '</' },
  ]);
  const closing = await client.request<CompletionList>('textDocument/completion', {
    textDocument: { uri },
    position: { line: 1, character: 6 },
    context: { triggerKind: 2, triggerCharacter: '/' },
  });
  assert.deepEqual(closing.items[0], {
    label: 'domain>',
    kind: 14, // keyword
    detail: 'close <domain example.com>',
    filterText: 'domain>',
    textEdit: { range: { start: { line: 1, character: 6 }, end: { line: 1, character: 6 } }, newText: 'domain>' },
  });
  await client.close(uri);
});

test('code actions: the rollup quick fix, applied and re-checked, removes its finding and nothing else', async () => {
  const before = client.latest(MS_URI)!;
  assert.equal(before.version, 1);
  const rollup = before.diagnostics.find((d) => d.code === 'microsoft-missing-rollup')!;
  const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
    textDocument: { uri: MS_URI },
    range: rollup.range,
    context: { diagnostics: [rollup], only: ['quickfix'] },
  });
  assert.deepEqual(
    actions.map((a) => [a.title, a.kind, a.isPreferred ?? false]),
    [
      ['Roll up 8 domains into the outlook.com queue', 'quickfix', true],
      ['Also roll up the 92 other Microsoft consumer domains (one domain-macro and one block)', 'quickfix', false],
      // the file does not declare its volume tier, and the rollup changes how fast Microsoft mail goes out
      ['Declare the volume to Microsoft: under 100,000 messages a day (microsoft-tier=under-100k)', 'quickfix', false],
      [
        'Declare the volume to Microsoft: 100,000 to 500,000 messages a day (microsoft-tier=100k-500k)',
        'quickfix',
        false,
      ],
      [
        'Declare the volume to Microsoft: more than 500,000 messages a day (microsoft-tier=500k-plus)',
        'quickfix',
        false,
      ],
      ['Disable microsoft-missing-rollup for this line', 'quickfix', false],
      ['Disable microsoft-missing-rollup for this file', 'quickfix', false],
    ],
  );
  const fix = actions[0];
  assert.deepEqual(
    fix.diagnostics?.map((d) => d.code),
    ['microsoft-missing-rollup'],
  );
  const edits = editsFor(fix.edit, MS_URI);
  assert.equal(edits.length, 1);
  assert.deepEqual(edits[0].range, { start: { line: 41, character: 0 }, end: { line: 41, character: 0 } });
  const fixed = applyEdits(MICROSOFT, edits);
  for (const d of [
    'hotmail.co.uk',
    'hotmail.de',
    'hotmail.fr',
    'live.com',
    'live.co.uk',
    'live.de',
    'msn.com',
    'windowslive.com',
  ]) {
    assert.ok(fixed.includes(`<domain ${d}>\n    queue-to outlook.com\n</domain>\n`), `${d} rolled up`);
  }

  // apply the edit the way an editor does: as incremental changes, last first
  const n = client.published.length;
  await client.change(
    MS_URI,
    2,
    [...edits]
      .sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character)
      .map((e: TextEdit) => ({ range: e.range, text: e.newText })),
  );
  const after = await client.waitForDiagnostics(MS_URI, { version: 2, after: n });
  const inserted = edits[0].newText.split('\n').length - 1; // 32 lines
  assert.equal(inserted, 32);
  assert.deepEqual(
    compact(after),
    compact(before.diagnostics)
      .filter((c) => !c.startsWith('microsoft-missing-rollup@'))
      .map((c) => (c === 'invalid-value@49:16-49:18' ? `invalid-value@${49 + inserted}:16-${49 + inserted}:18` : c)),
  );
  // the server's copy of the document is the edited one: the new blocks are in its outline
  const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', {
    textDocument: { uri: MS_URI },
  });
  assert.ok(symbols.some((s) => s.name === '<domain windowslive.com>'));
});

test('workspace symbols: the named blocks of the open documents, matched by the query; document highlights', async () => {
  const uri = 'file:///workspace/symbols.pmta';
  await client.open(uri, MICROSOFT, 1);
  const symbols = await client.request<SymbolInformation[]>('workspace/symbol', { query: 'mta2' });
  const here = symbols.filter((s) => s.location.uri === uri);
  assert.deepEqual(
    here.map((s) => [s.name, s.containerName, s.location.range.start.line]),
    [['mta2', 'virtual-mta', MICROSOFT.split('\n').findIndex((l) => l.startsWith('<virtual-mta mta2>'))]],
  );
  // and the occurrences of mta2 in the file: its definition (written), its use in the pool (read)
  const lines = MICROSOFT.split('\n');
  const highlights = await client.request<Array<{ range: { start: { line: number } }; kind: number }>>(
    'textDocument/documentHighlight',
    { textDocument: { uri }, position: positionOf(MICROSOFT, 'mta2', 1) },
  );
  assert.deepEqual(
    highlights.map((h) => [h.range.start.line, h.kind]),
    [
      [lines.indexOf('<virtual-mta mta2>'), 3],
      [lines.indexOf('    virtual-mta mta2'), 2],
    ],
  );
  await client.close(uri);
});

test('code actions: "fix all" edits, applied, leave only findings that have no safe fix', async () => {
  const uri = 'file:///workspace/fixall.pmta';
  await client.open(uri, MICROSOFT, 1);
  const diags = await client.waitForDiagnostics(uri, { version: 1 });
  const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
    textDocument: { uri },
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    context: { diagnostics: [], only: ['source.fixAll'] },
  });
  assert.deepEqual(
    actions.map((a) => a.title),
    ['Fix all auto-fixable PowerMTA problems'],
  );
  const fixed = applyEdits(MICROSOFT, editsFor(actions[0].edit, uri));
  assert.notEqual(fixed, MICROSOFT);
  await client.change(uri, 2, [{ text: fixed }]);
  const after = await client.waitForDiagnostics(uri, { version: 2 });
  // what is left has no safe fix: an undefined name, and what changes throughput while the volume tier is
  // not declared (the rollup, the pattern list, which backs off, and the limits); DKIM is signed
  assert.equal(diags.length, 10);
  assert.deepEqual(compact(after), [
    'undefined-reference@31:16-31:20',
    'microsoft-missing-rollup@34:8-34:19',
    'microsoft-missing-pattern-list@34:8-34:19',
    'microsoft-unsafe-limit@35:17-35:19',
    'microsoft-unsafe-limit@37:17-37:22',
    'microsoft-unsafe-limit@38:16-38:18',
    // DKIM signing turned on, but the configuration has no domain-key to sign with (the fix cannot add one)
    'dkim-sign-without-key@39:4-39:17',
    'invalid-value@49:16-49:18',
  ]);
  assert.ok(!fixed.includes('reply /RP-001/'), 'no pattern list is added while the tier is not declared');
  assert.ok(!fixed.includes('<domain hotmail.co.uk>'), 'no domain is rolled up while the tier is not declared');
  assert.ok(
    fixed.includes('    max-smtp-out 10\n') && fixed.includes('    dkim-sign yes\n'),
    'the limits are kept; DKIM signs',
  );
  await client.close(uri);

  // the same file with its volume tier declared: fix all rolls the variants up
  const declaredUri = 'file:///workspace/fixall-declared.pmta';
  await client.open(declaredUri, DECLARED + MICROSOFT, 1);
  await client.waitForDiagnostics(declaredUri, { version: 1 });
  const declaredActions = await client.request<CodeAction[]>('textDocument/codeAction', {
    textDocument: { uri: declaredUri },
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    context: { diagnostics: [], only: ['source.fixAll'] },
  });
  const declared = applyEdits(DECLARED + MICROSOFT, editsFor(declaredActions[0].edit, declaredUri));
  for (const d of [
    'hotmail.co.uk',
    'hotmail.de',
    'hotmail.fr',
    'live.com',
    'live.co.uk',
    'live.de',
    'msn.com',
    'windowslive.com',
  ]) {
    assert.ok(declared.includes(`<domain ${d}>\n    queue-to outlook.com\n</domain>\n`), `${d} rolled up`);
  }
  await client.change(declaredUri, 2, [{ text: declared }]);
  const declaredAfter = await client.waitForDiagnostics(declaredUri, { version: 2 });
  assert.ok(!declaredAfter.some((d) => d.code === 'microsoft-missing-rollup'));
  await client.close(declaredUri);
});

test('document symbols: the outline of examples/microsoft.pmta', async () => {
  const uri = 'file:///workspace/outline.pmta';
  await client.open(uri, MICROSOFT);
  const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
  assert.deepEqual(
    symbols.map((s) => s.name),
    [
      '<source 127.0.0.1>',
      '<virtual-mta mta1>',
      '<virtual-mta mta2>',
      '<virtual-mta-pool microsoft-pool>',
      '<domain outlook.com>',
      '<domain hotmail.com>',
      '<domain *>',
      '<acct-file /var/log/pmta/acct.csv>',
    ],
  );
  const pool = symbols[3];
  assert.equal(pool.detail, '3 virtual-mtas');
  assert.deepEqual(pool.range, { start: { line: 28, character: 0 }, end: { line: 32, character: 19 } });
  assert.deepEqual(pool.selectionRange, { start: { line: 28, character: 18 }, end: { line: 28, character: 32 } });
  await client.close(uri);
});

test('definition and references: from a use of a name to its definition, and back; open documents are one configuration', async () => {
  const uri = 'file:///workspace/nav.pmta';
  await client.open(uri, MICROSOFT);
  const poolName = { start: { line: 28, character: 18 }, end: { line: 28, character: 32 } };
  const def = await client.request<Location[]>('textDocument/definition', {
    textDocument: { uri },
    position: positionOf(MICROSOFT, 'default-virtual-mta microsoft-pool', 25),
  });
  // microsoft.pmta (still open) defines the same pool: both definitions are offered, this document's first
  assert.deepEqual(def, [
    { uri, range: poolName },
    { uri: MS_URI, range: poolName },
  ]);
  const vmta = await client.request<Location[]>('textDocument/definition', {
    textDocument: { uri },
    position: positionOf(MICROSOFT, 'virtual-mta mta2\n', 14),
  });
  assert.deepEqual(vmta[0], { uri, range: { start: { line: 24, character: 13 }, end: { line: 24, character: 17 } } });
  // an undefined name has no definition
  assert.deepEqual(
    await client.request('textDocument/definition', {
      textDocument: { uri },
      position: positionOf(MICROSOFT, 'mta3', 1),
    }),
    [],
  );
  const refs = await client.request<Location[]>('textDocument/references', {
    textDocument: { uri },
    position: { line: 28, character: 20 },
    context: { includeDeclaration: true },
  });
  assert.deepEqual(
    refs.map((l) => `${l.uri === uri ? 'nav' : 'microsoft'}@${l.range.start.line}:${l.range.start.character}`).sort(),
    ['microsoft@17:24', 'microsoft@28:18', 'nav@17:24', 'nav@28:18'],
  );
  await client.close(uri);
});

test('formatting: re-indents a messy document; formatted text gives no edits', async () => {
  const uri = 'file:///workspace/messy.pmta';
  const text = '<domain a.example>\nmax-smtp-out 2   \n        retry-after 10m\n</domain>\n';
  await client.open(uri, text);
  const edits = await client.request<TextEdit[]>('textDocument/formatting', {
    textDocument: { uri },
    options: { tabSize: 2, insertSpaces: true },
  });
  assert.equal(applyEdits(text, edits), '<domain a.example>\n  max-smtp-out 2\n  retry-after 10m\n</domain>\n');
  const tabs = await client.request<TextEdit[]>('textDocument/formatting', {
    textDocument: { uri },
    options: { tabSize: 4, insertSpaces: false },
  });
  assert.equal(applyEdits(text, tabs), '<domain a.example>\n\tmax-smtp-out 2\n\tretry-after 10m\n</domain>\n');
  const range = await client.request<TextEdit[]>('textDocument/rangeFormatting', {
    textDocument: { uri },
    range: { start: { line: 2, character: 0 }, end: { line: 2, character: 5 } },
    options: { tabSize: 4, insertSpaces: true },
  });
  assert.equal(applyEdits(text, range), '<domain a.example>\nmax-smtp-out 2   \n    retry-after 10m\n</domain>\n');
  await client.change(uri, 2, [{ text: applyEdits(text, edits) }]);
  assert.deepEqual(
    await client.request('textDocument/formatting', {
      textDocument: { uri },
      options: { tabSize: 2, insertSpaces: true },
    }),
    [],
  );
  await client.close(uri);
});

test('started with the Node options the VS Code client passes, the server publishes the same findings', async () => {
  const tuned = await LspTestClient.start({ nodeOptions: SERVER_NODE_OPTIONS });
  try {
    if (process.platform === 'linux') {
      const argv = fs.readFileSync(`/proc/${tuned.proc.pid}/cmdline`, 'utf8').split('\0');
      assert.deepEqual(argv.slice(1, 1 + SERVER_NODE_OPTIONS.length), [...SERVER_NODE_OPTIONS]);
    }
    await tuned.open(MS_URI, MICROSOFT, 1);
    const diags = await tuned.waitForDiagnostics(MS_URI, { version: 1 });
    const first = client.published.find((p) => p.uri === MS_URI && p.version === 1);
    assert.ok(first && first.diagnostics.length > 5);
    assert.deepEqual(diags, first.diagnostics);
    assert.equal(await tuned.shutdown(), 0);
    assert.equal(tuned.stderr, '');
  } finally {
    tuned.kill();
  }
});

test('didClose clears the diagnostics of the closed document', async () => {
  const n = client.published.length;
  await client.close(MS_URI);
  const cleared = await client.waitForDiagnostics(MS_URI, { after: n });
  assert.deepEqual(cleared, []);
});

test('shutdown answers null, and exit ends the process with status 0', async () => {
  const code = await client.shutdown();
  assert.equal(code, 0);
  assert.equal(client.stderr, '');
});
