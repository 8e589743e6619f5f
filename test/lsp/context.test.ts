/**
 * A file of a conf.d layout opened on its own: the server finds the configuration that includes it on
 * disk and checks the file as part of it (names, Microsoft queues, quick fixes, definitions), and checks
 * it again when that configuration is opened and edited.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { CodeAction, Diagnostic, Location } from 'vscode-languageserver-protocol';
import { LspTestClient, positionOf } from '../helpers/lspClient';
import { ROOT } from '../helpers/util';

let client: LspTestClient;
let dir: string;

const CONFIG = [
  'include /etc/pmta/conf.d/*.conf',
  '<virtual-mta m1>',
  '</virtual-mta>',
  '<domain *>',
  '    dkim-sign yes',
  '</domain>',
  '',
].join('\n');
const FRAGMENT = [
  '<domain outlook.com>',
  '    max-smtp-out 4',
  '</domain>',
  '<source 0/0>',
  '    default-virtual-mta m1',
  '</source>',
  '<source 10.0.0.0/8>',
  '    default-virtual-mta m2',
  '</source>',
  '',
].join('\n');

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pmta-context-'));
  fs.mkdirSync(path.join(dir, 'conf.d'));
  fs.writeFileSync(path.join(dir, 'config'), CONFIG);
  fs.writeFileSync(path.join(dir, 'conf.d', 'domains.conf'), FRAGMENT);
  client = await LspTestClient.start();
});

after(() => {
  client?.kill();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const codes = (ds: Diagnostic[]) =>
  ds.map(
    (d) =>
      `${d.code}@${d.range.start.line}:${d.range.start.character} ${(typeof d.message === 'string' ? d.message : d.message.value).slice(0, 70)}`,
  );

test('an included file opened alone is checked as part of the configuration on disk that includes it', async () => {
  const uri = pathToFileURL(path.join(dir, 'conf.d', 'domains.conf')).toString();
  const configUri = pathToFileURL(path.join(dir, 'config')).toString();
  const start = client.published.length;
  await client.open(uri, FRAGMENT);
  const ds = await client.waitForDiagnostics(uri, { version: 1, after: start });
  // m1 is defined by the configuration; m2 nowhere, and m1 is offered; the queue is signed by its <domain *>
  const undefinedRefs = codes(ds).filter((c) => c.startsWith('undefined-reference'));
  assert.deepEqual(undefinedRefs, [
    'undefined-reference@7:24 The virtual MTA or pool "m2" is not defined; did you mean "m1"?',
  ]);
  assert.ok(!codes(ds).some((c) => c.startsWith('microsoft-missing-dkim')), codes(ds).join('\n'));
  assert.ok(
    client.logs.some((l) => l.includes(`${uri} is checked as part of ${configUri}`)),
    client.logs.join('\n'),
  );

  // the quick fix is computed the same way as the diagnostic
  const m2 = ds.find((d) => d.code === 'undefined-reference')!;
  const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
    textDocument: { uri },
    range: m2.range,
    context: { diagnostics: [m2] },
  });
  assert.deepEqual(
    actions.filter((a) => a.isPreferred).map((a) => a.title),
    ['Change to "m1"'],
  );

  // go to definition: into the configuration
  const def = await client.request<Location[]>('textDocument/definition', {
    textDocument: { uri },
    position: positionOf(FRAGMENT, 'default-virtual-mta m1', 21),
  });
  assert.deepEqual(def, [
    { uri: configUri, range: { start: { line: 1, character: 13 }, end: { line: 1, character: 15 } } },
  ]);

  // the configuration opened with an unsaved change that stops signing: the fragment is checked again
  const before = client.published.length;
  await client.open(configUri, CONFIG.replace('dkim-sign yes', 'dkim-sign no'));
  await client.change(configUri, 2, [{ text: CONFIG.replace('dkim-sign yes', 'dkim-sign no') + '\n' }]);
  const again = await client.waitForDiagnostics(uri, {
    after: before,
    accept: (p) => p.uri === uri && p.diagnostics.some((d) => d.code === 'microsoft-missing-dkim'),
  });
  assert.deepEqual(
    codes(again)
      .filter((c) => c.startsWith('microsoft-missing-dkim'))
      .map((c) => c.split(' ')[0]),
    ['microsoft-missing-dkim@0:8'],
  );
  // the configuration closed without saving: the fragment is checked again with the one on disk, which signs
  const closing = client.published.length;
  await client.close(configUri);
  const reverted = await client.waitForDiagnostics(uri, { after: closing });
  assert.deepEqual(
    codes(reverted).filter((c) => c.startsWith('microsoft-missing-dkim')),
    [],
  );
  assert.ok(reverted.length > 0, 'the fragment still has its other findings');
  const closingToo = client.published.length;
  await client.close(uri);
  await client.waitForDiagnostics(uri, {
    after: closingToo,
    accept: (p) => p.uri === uri && p.diagnostics.length === 0,
  });
});

test('another file of the same configuration, edited and not saved, counts with its open text; its edits check this one again', async () => {
  const uri = pathToFileURL(path.join(dir, 'conf.d', 'domains.conf')).toString();
  const poolsUri = pathToFileURL(path.join(dir, 'conf.d', 'pools.conf')).toString();
  fs.writeFileSync(
    path.join(dir, 'conf.d', 'pools.conf'),
    '<virtual-mta-pool p1>\n    virtual-mta m1\n</virtual-mta-pool>\n',
  );
  const start = client.published.length;
  await client.open(uri, FRAGMENT);
  await client.open(poolsUri, '<virtual-mta-pool p1>\n    virtual-mta m1\n</virtual-mta-pool>\n');
  const ds = await client.waitForDiagnostics(uri, { version: 1, after: start });
  await client.waitForDiagnostics(poolsUri, { version: 1, after: start });
  assert.deepEqual(ds.filter((d) => d.code === 'undefined-reference').length, 1);
  const before = client.published.length;
  await client.change(poolsUri, 2, [
    { range: { start: { line: 0, character: 18 }, end: { line: 0, character: 20 } }, text: 'm2' },
  ]);
  // pools.conf now defines m2 (unsaved): domains.conf is checked again and its m2 is defined
  const again = await client.waitForDiagnostics(uri, { after: before, accept: (p) => p.uri === uri });
  assert.deepEqual(
    again.filter((d) => d.code === 'undefined-reference'),
    [],
  );
  const closing = client.published.length;
  await client.close(poolsUri);
  await client.close(uri);
  await client.waitForDiagnostics(uri, { after: closing, accept: (p) => p.uri === uri && p.diagnostics.length === 0 });
  fs.rmSync(path.join(dir, 'conf.d', 'pools.conf'));
  // as an editor's file watcher reports it
  await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: poolsUri, type: 3 }] });
});

test('an open configuration publishes the problems of the files it includes that are not open, and clears them', async () => {
  const uri = pathToFileURL(path.join(dir, 'conf.d', 'domains.conf')).toString();
  const configUri = pathToFileURL(path.join(dir, 'config')).toString();
  const before = client.published.length;
  await client.open(configUri, CONFIG);
  const ds = await client.waitForDiagnostics(uri, { after: before });
  assert.deepEqual(
    codes(ds).filter((c) => c.startsWith('undefined-reference')),
    ['undefined-reference@7:24 The virtual MTA or pool "m2" is not defined; did you mean "m1"?'],
  );
  // opened, the file reports for itself (from its open text); closed again, the configuration reports it again
  const opened = client.published.length;
  await client.open(uri, FRAGMENT.replace('default-virtual-mta m2', 'default-virtual-mta m1'));
  assert.deepEqual(
    codes(await client.waitForDiagnostics(uri, { version: 1, after: opened })).filter((c) =>
      c.startsWith('undefined-reference'),
    ),
    [],
  );
  const closed = client.published.length;
  await client.close(uri);
  await client.waitForDiagnostics(uri, {
    after: closed,
    accept: (p) => p.uri === uri && p.diagnostics.some((d) => d.code === 'undefined-reference'),
  });
  // the include removed: what was published for the file is cleared
  const edited = client.published.length;
  await client.change(configUri, 2, [
    { range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, text: '' },
  ]);
  await client.waitForDiagnostics(uri, { after: edited, accept: (p) => p.uri === uri && p.diagnostics.length === 0 });
  // and when the configuration is closed
  await client.change(configUri, 3, [
    {
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      text: 'include conf.d/domains.conf\n',
    },
  ]);
  await client.waitForDiagnostics(uri, {
    after: client.published.length,
    accept: (p) => p.uri === uri && p.diagnostics.length > 0,
  });
  const closing = client.published.length;
  await client.close(configUri);
  await client.waitForDiagnostics(uri, { after: closing, accept: (p) => p.uri === uri && p.diagnostics.length === 0 });
});

test('a new version of the configuration resends the diagnostics of an included file only when they changed', async () => {
  const uri = pathToFileURL(path.join(dir, 'conf.d', 'domains.conf')).toString();
  const configUri = pathToFileURL(path.join(dir, 'config')).toString();
  const start = client.published.length;
  await client.open(configUri, CONFIG);
  await client.waitForDiagnostics(uri, {
    after: start,
    accept: (p) => p.uri === uri && p.diagnostics.some((d) => d.code === 'undefined-reference'),
  });
  const mark = client.published.length;
  const end = { line: CONFIG.split('\n').length - 1, character: 0 };
  // a comment: nothing changes for domains.conf
  await client.change(configUri, 2, [{ range: { start: end, end }, text: '# a note\n' }]);
  await client.waitForDiagnostics(configUri, { version: 2, after: mark });
  // m2 defined: domains.conf's error goes
  await client.change(configUri, 3, [{ range: { start: end, end }, text: '<virtual-mta m2>\n</virtual-mta>\n' }]);
  await client.waitForDiagnostics(uri, {
    after: mark,
    accept: (p) => p.uri === uri && !p.diagnostics.some((d) => d.code === 'undefined-reference'),
  });
  assert.equal(client.published.slice(mark).filter((p) => p.uri === uri).length, 1);
  const closing = client.published.length;
  await client.close(configUri);
  await client.waitForDiagnostics(uri, { after: closing, accept: (p) => p.uri === uri && p.diagnostics.length === 0 });
});

test('an open configuration sees the unsaved text of an open file it includes, and is checked again when it changes', async () => {
  const uri = pathToFileURL(path.join(dir, 'conf.d', 'domains.conf')).toString();
  const configUri = pathToFileURL(path.join(dir, 'config')).toString();
  const text = CONFIG + '<source 10.0.0.2>\n    default-virtual-mta m7\n</source>\n';
  const start = client.published.length;
  await client.open(configUri, text);
  const first = await client.waitForDiagnostics(configUri, { version: 1, after: start });
  assert.deepEqual(
    codes(first).filter((c) => c.startsWith('undefined-reference')),
    ['undefined-reference@7:24 The virtual MTA or pool "m7" is not defined; did you mean "m1"?'],
  );
  await client.open(uri, FRAGMENT);
  await client.waitForDiagnostics(uri, { version: 1, after: start });
  const mark = client.published.length;
  const end = { line: FRAGMENT.split('\n').length - 1, character: 0 };
  await client.change(uri, 2, [{ range: { start: end, end }, text: '<virtual-mta m7>\n</virtual-mta>\n' }]);
  await client.waitForDiagnostics(configUri, {
    after: mark,
    accept: (p) => p.uri === configUri && !p.diagnostics.some((d) => d.code === 'undefined-reference'),
  });
  const closing = client.published.length;
  await client.close(uri);
  await client.close(configUri);
  await client.waitForDiagnostics(configUri, {
    after: closing,
    accept: (p) => p.uri === configUri && p.diagnostics.length === 0,
  });
});

test('a file that found no configuration is checked again when one that includes it is opened, and code lenses are asked for again', async () => {
  const alone = fs.mkdtempSync(path.join(os.tmpdir(), 'pmta-context-open-'));
  const c = await LspTestClient.start({ codeLensRefresh: true });
  try {
    fs.mkdirSync(path.join(alone, 'conf.d'));
    const uri = pathToFileURL(path.join(alone, 'conf.d', 'domains.conf')).toString();
    fs.writeFileSync(path.join(alone, 'conf.d', 'domains.conf'), FRAGMENT);
    await c.open(uri, FRAGMENT);
    // no configuration on disk: m1 is not defined
    const first = await c.waitForDiagnostics(uri, { version: 1 });
    assert.equal(codes(first).filter((x) => x.startsWith('undefined-reference')).length, 2);
    // a configuration that includes it opened (not saved anywhere): the fragment is checked again, unedited
    const mark = c.published.length;
    await c.open(pathToFileURL(path.join(alone, 'config')).toString(), CONFIG);
    const again = await c.waitForDiagnostics(uri, { after: mark });
    assert.deepEqual(
      codes(again).filter((x) => x.startsWith('undefined-reference')),
      ['undefined-reference@7:24 The virtual MTA or pool "m2" is not defined; did you mean "m1"?'],
    );
    assert.equal(c.lensRefreshes, 1);
    // opening a file that includes nothing does not check anything again
    const before = c.published.length;
    await c.open(pathToFileURL(path.join(alone, 'other.pmta')).toString(), '<domain x>\n</domain>\n');
    await c.waitForDiagnostics(pathToFileURL(path.join(alone, 'other.pmta')).toString(), { after: before });
    await new Promise((r) => setTimeout(r, 400));
    assert.deepEqual(
      c.published.slice(before).map((p) => path.basename(p.uri)),
      ['other.pmta'],
    );
    assert.equal(c.lensRefreshes, 1);
  } finally {
    c.kill();
    fs.rmSync(alone, { recursive: true, force: true });
  }
});

test('a workspace folder added: an untrusted workspace may now read the files inside it', async () => {
  const a = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pmta-folder-a-')));
  const b = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pmta-folder-b-')));
  const c = await LspTestClient.start({
    initializationOptions: { workspaceTrusted: false },
    workspaceFolders: [{ uri: pathToFileURL(a).toString(), name: 'a' }],
    workspaceFolderChanges: true,
  });
  try {
    fs.writeFileSync(path.join(b, 'vmtas.conf'), '<virtual-mta m1>\n</virtual-mta>\n');
    const text = 'include vmtas.conf\n<source 0/0>\n    default-virtual-mta m1\n</source>\n';
    fs.writeFileSync(path.join(b, 'config'), text);
    const uri = pathToFileURL(path.join(b, 'config')).toString();
    await c.open(uri, text);
    // b is not a folder of the (untrusted) workspace: vmtas.conf is not read
    const before = await c.waitForDiagnostics(uri, { version: 1 });
    assert.deepEqual(
      before.map((d) => d.code),
      ['unresolved-include'],
    );
    assert.match(String(before[0].message), /outside the workspace folders/);
    const mark = c.published.length;
    await c.notify('workspace/didChangeWorkspaceFolders', {
      event: { added: [{ uri: pathToFileURL(b).toString(), name: 'b' }], removed: [] },
    });
    assert.deepEqual(await c.waitForDiagnostics(uri, { after: mark }), []);
  } finally {
    c.kill();
    fs.rmSync(a, { recursive: true, force: true });
    fs.rmSync(b, { recursive: true, force: true });
  }
});

/** The diagnostics of examples/split's conf.d/microsoft.conf opened alone, with `folder` (of examples/split/pmta) as the workspace folder. */
async function splitMicrosoft(folder: string, initializationOptions?: unknown): Promise<string[]> {
  const pmta = path.join(ROOT, 'examples', 'split', 'pmta');
  const file = path.join(pmta, 'conf.d', 'microsoft.conf');
  const uri = pathToFileURL(file).toString();
  const c = await LspTestClient.start({
    workspaceFolders: [{ uri: pathToFileURL(path.join(pmta, folder)).toString(), name: 'pmta' }],
    initializationOptions,
  });
  try {
    await c.open(uri, fs.readFileSync(file, 'utf8'));
    return codes(await c.waitForDiagnostics(uri, { version: 1 }));
  } finally {
    c.kill();
  }
}

test("a workspace folder that is the file's own folder (Eglot outside version control): the configuration above is found, as with the folder above as root", async () => {
  const fromConfDir = await splitMicrosoft('conf.d');
  const fromPmta = await splitMicrosoft('.');
  assert.deepEqual(fromConfDir, fromPmta);
  assert.ok(fromPmta.length > 0);
  assert.ok(!fromConfDir.some((c) => c.includes('is not defined')), fromConfDir.join('\n'));
  // an untrusted workspace reads nothing outside its folder: the file is checked alone, its pool undefined
  const untrusted = await splitMicrosoft('conf.d', { workspaceTrusted: false });
  assert.ok(
    untrusted.some((c) => c.startsWith('undefined-reference@') && c.includes('"microsoft-pool" is not defined')),
    untrusted.join('\n'),
  );
});
