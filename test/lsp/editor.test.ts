/**
 * The editor features over LSP, with the built server (`node dist/server.js --stdio`, or the web worker
 * build when PMTA_TEST_SERVER=web: web.test.ts runs this suite again that way): settings from
 * `workspace/configuration` and from `initializationOptions`, the code lens and the custom requests
 * (server/src/server/protocol.ts).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { CodeLens, Diagnostic } from 'vscode-languageserver-protocol';
import { LspTestClient, SERVER_JS, WEB_SERVER } from '../helpers/lspClient';
import {
  EXPLAIN_REPLY,
  MICROSOFT_CONFIGURATION,
  READ_FILES,
  TIER,
  type MicrosoftConfiguration,
  type ReadFilesParams,
  type ReplyExplanation,
  type TierInfo,
} from '../../server/src/server/protocol';

const servers: LspTestClient[] = [];

/** Start the server; `configuration` answers workspace/configuration (undefined: the client does not support it). */
async function start(
  initializationOptions: unknown,
  configuration?: Record<string, unknown>,
  workspaceFolders?: Array<{ uri: string; name: string }>,
): Promise<LspTestClient> {
  const s = await LspTestClient.start({
    initializationOptions,
    configuration: configuration ? (section) => (section === 'pmta' ? configuration : null) : undefined,
    workspaceFolders,
  });
  servers.push(s);
  return s;
}

after(() => servers.forEach((s) => s.kill()));

const TEXT = [
  '<virtual-mta mta1>', // 0
  '    smtp-source-host 192.0.2.10 mta1.example.com', // 1
  '</virtual-mta>', // 2
  '<virtual-mta-pool ms-pool>', // 3
  '    virtual-mta mta1', // 4
  '</virtual-mta-pool>', // 5
  '<source 127.0.0.1>', // 6
  '    default-virtual-mta ms-pool', // 7
  '</source>', // 8
  '<domain outlook.com>', // 9
  '    max-smtp-out 5', // 10
  '    retry-after soon', // 11
  '</domain>', // 12
  '',
].join('\n');

async function open(s: LspTestClient, uri: string, text = TEXT): Promise<Diagnostic[]> {
  await s.open(uri, text);
  return s.waitForDiagnostics(uri, { version: 1 });
}

const codes = (ds: Diagnostic[]) => [...new Set(ds.map((x) => String(x.code)))].sort();

test('settings from workspace/configuration (section pmta) and from initializationOptions give the same result', async () => {
  const settings = { rules: { 'invalid-value': 'off' }, microsoft: { volumeTier: '100k-500k' } };
  const viaConfiguration = await start({ workspaceTrusted: true }, settings);
  const viaInit = await start({ workspaceTrusted: true, settings });
  const plain = await start({});
  const a = await open(viaConfiguration, 'file:///w/a.pmta');
  const b = await open(viaInit, 'file:///w/a.pmta');
  const c = await open(plain, 'file:///w/a.pmta');
  assert.ok(viaConfiguration.configurationRequests.length > 0, 'the server asked workspace/configuration');
  assert.equal(viaInit.configurationRequests.length, 0, 'a client without workspace/configuration is not asked');
  assert.ok(codes(c).includes('invalid-value'));
  assert.ok(!codes(a).includes('invalid-value') && !codes(b).includes('invalid-value'), 'the rule is off');
  assert.deepEqual(codes(a), codes(b));
  // the tier setting is read both ways
  for (const s of [viaConfiguration, viaInit]) {
    const t = (await s.request(TIER, { textDocument: { uri: 'file:///w/a.pmta' } })) as TierInfo;
    assert.deepEqual([t.tier, t.source], ['100k-500k', 'setting']);
  }
  const t = (await plain.request(TIER, { textDocument: { uri: 'file:///w/a.pmta' } })) as TierInfo;
  assert.deepEqual([t.tier, t.source], ['under-100k', 'assumed']);
});

test('code lens, tier and configuration requests answer over LSP', async () => {
  const s = await start({});
  const uri = 'file:///w/b.pmta';
  await open(s, uri);
  const lenses = (await s.request('textDocument/codeLens', { textDocument: { uri } })) as CodeLens[];
  assert.deepEqual(lenses, [
    {
      range: { start: { line: 9, character: 0 }, end: { line: 9, character: 0 } },
      command: {
        title:
          'Microsoft: 5 connections (1 IP × max-smtp-out 5; budget 60) · 1 of 10 domains rolled up · tier under-100k (assumed)',
        command: '',
      },
    },
  ]);
  const tier = (await s.request(TIER, { textDocument: { uri } })) as TierInfo;
  assert.equal(tier.queue, 'outlook.com');
  assert.equal(tier.connections?.total, 5);
  assert.equal(await s.request(TIER, { textDocument: { uri: 'file:///not/open.pmta' } }), null);
  const config = (await s.request(MICROSOFT_CONFIGURATION, {
    tier: '500k-plus',
    textDocument: { uri },
    options: { indent: '    ', eol: '\r\n' },
  })) as MicrosoftConfiguration;
  assert.deepEqual(config.conflicts, [
    'The file already has <domain outlook.com> (line 10); a second one is a duplicate block.',
  ]);
  assert.match(
    config.text,
    /^# pmta-lint: microsoft-tier=500k-plus\r\n<domain outlook\.com>\r\n {4}max-smtp-out 6\r\n/m,
  );
  const bare = (await s.request(MICROSOFT_CONFIGURATION, { tier: 'under-100k' })) as MicrosoftConfiguration;
  assert.deepEqual([bare.conflicts, bare.notes], [[], []]);
  assert.match(bare.text, /^\tmax-smtp-out 4\n/m);
  assert.equal(await s.request(MICROSOFT_CONFIGURATION, { tier: 'nope' }), null);
});

test('pmta/explainReply explains a pasted bounce; bad input gets an answer', async () => {
  const s = await start({});
  const e = (await s.request(EXPLAIN_REPLY, {
    text: '421 4.7.0 RP-002 too many messages on this connection',
  })) as ReplyExplanation;
  assert.deepEqual(
    e.codes.map((c) => [c.id, c.written]),
    [['RP-002', '421 4.7.0 RP-002']],
  );
  assert.match(e.markdown, /\*\*What to do:\*\*/);
  const bad = (await s.request(EXPLAIN_REPLY, { text: 42 })) as ReplyExplanation;
  assert.deepEqual(bad.codes, []);
  const none = (await s.request(EXPLAIN_REPLY, null)) as ReplyExplanation;
  assert.deepEqual(none.codes, []);
});

test('disable a rule for the file, over LSP', async () => {
  const s = await start({});
  const uri = 'file:///w/c.pmta';
  const diags = await open(s, uri);
  const bad = diags.find((d) => d.code === 'invalid-value')!;
  const actions = (await s.request('textDocument/codeAction', {
    textDocument: { uri },
    range: bad.range,
    context: { diagnostics: [bad] },
  })) as Array<{
    title: string;
    edit?: { changes: Record<string, Array<{ newText: string }>> };
  }>;
  const file = actions.find((a) => a.title === 'Disable invalid-value for this file');
  assert.ok(file, actions.map((a) => a.title).join(', '));
  assert.deepEqual(file.edit!.changes[uri], [
    {
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      newText: '# pmta-lint: disable invalid-value\n',
    },
  ]);
});

test('the server that answers is the build this run names: the web worker build when PMTA_TEST_SERVER=web, else dist/server.js', async (t) => {
  const web = process.env.PMTA_TEST_SERVER === 'web';
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pmta-which-')));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.mkdirSync(path.join(dir, 'conf.d'));
  fs.writeFileSync(path.join(dir, 'conf.d', 'vmtas.conf'), '<virtual-mta m1>\n</virtual-mta>\n');
  const folder = pathToFileURL(dir).toString();
  const s = await start({}, undefined, [{ uri: folder, name: 'which' }]);
  // the process: node running the worker build through the worker host, or the Node build
  const argv =
    process.platform === 'linux'
      ? fs.readFileSync(`/proc/${s.proc.pid}/cmdline`, 'utf8').split('\0').filter(Boolean)
      : s.proc.spawnargs;
  assert.deepEqual(argv.slice(-2), web ? WEB_SERVER : [SERVER_JS, '--stdio']);
  // its behaviour: the worker build has no disk and asks the client for the included file; the Node build reads it
  const asked: string[] = [];
  let answered: () => void = () => undefined;
  const askedOnce = new Promise<void>((resolve) => (answered = resolve));
  s.conn.onRequest(READ_FILES, (p: ReadFilesParams) => {
    asked.push(...p.uris);
    answered();
    return p.uris.map((u) => (fs.existsSync(new URL(u)) ? fs.readFileSync(new URL(u), 'utf8') : null));
  });
  const uri = `${folder}/config`;
  const text = 'include conf.d/vmtas.conf\n<source 0/0>\n    default-virtual-mta m1\n</source>\n';
  await s.open(uri, text);
  const first = await s.waitForDiagnostics(uri, { version: 1 });
  if (web) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>(
      (_, reject) =>
        (timer = setTimeout(() => reject(new Error('the server asked the client for no file within 10 s')), 10000)),
    );
    await Promise.race([askedOnce, late]).finally(() => clearTimeout(timer));
    assert.ok(asked.includes(`${folder}/conf.d/vmtas.conf`), asked.join(', '));
  } else {
    assert.deepEqual(first, []);
    // a round trip after the analysis: still nothing asked of the client
    await s.request('textDocument/documentSymbol', { textDocument: { uri } });
    assert.deepEqual(asked, []);
  }
});
