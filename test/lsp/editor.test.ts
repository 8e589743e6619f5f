/**
 * The editor features over LSP, with the built server (`node dist/server.js --stdio`): settings from
 * `workspace/configuration` and from `initializationOptions`, the code lens and the custom requests
 * (server/src/server/protocol.ts).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, ChildProcess } from 'child_process';
import * as path from 'path';
import * as fs from 'fs';
import { createMessageConnection, MessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import type { CodeLens, Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { ROOT } from '../helpers/util';
import { EXPLAIN_REPLY, MICROSOFT_CONFIGURATION, TIER, type MicrosoftConfiguration, type ReplyExplanation, type TierInfo } from '../../server/src/server/protocol';

interface Server {
  proc: ChildProcess;
  conn: MessageConnection;
  diagnostics(uri: string, version: number): Promise<Diagnostic[]>;
  configurationRequests: unknown[];
}

const servers: Server[] = [];

/** Start the server; `configuration` answers workspace/configuration (undefined: the client does not support it). */
async function start(initializationOptions: unknown, configuration?: Record<string, unknown>): Promise<Server> {
  const file = path.join(ROOT, 'dist', 'server.js');
  assert.ok(fs.existsSync(file), 'dist/server.js is built (npm run build)');
  const proc = spawn(process.execPath, [file, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr!.on('data', (b) => (stderr += b.toString()));
  const conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  const published = new Map<string, PublishDiagnosticsParams>();
  const waiters: Array<() => void> = [];
  const configurationRequests: unknown[] = [];
  conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    published.set(p.uri, p);
    waiters.splice(0).forEach((w) => w());
  });
  conn.onNotification('window/logMessage', () => undefined);
  conn.onRequest('client/registerCapability', () => null);
  conn.onRequest('workspace/configuration', (p: { items: Array<{ section?: string }> }) => {
    configurationRequests.push(p);
    return p.items.map((i) => (i.section === 'pmta' ? configuration : null));
  });
  conn.listen();
  await conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri: null,
    capabilities: configuration ? { workspace: { configuration: true } } : {},
    initializationOptions,
  });
  await conn.sendNotification('initialized', {});
  const diagnostics = (uri: string, version: number) =>
    new Promise<Diagnostic[]>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri}@${version}; stderr: ${stderr}`)), 10000);
      const check = () => {
        const d = published.get(uri);
        if (d && d.version === version) {
          clearTimeout(timer);
          resolve(d.diagnostics);
          return true;
        }
        return false;
      };
      if (!check()) waiters.push(() => void check());
    });
  const s = { proc, conn, diagnostics, configurationRequests };
  servers.push(s);
  return s;
}

after(async () => {
  for (const s of servers) {
    try {
      await s.conn.sendRequest('shutdown');
      await s.conn.sendNotification('exit');
    } catch {
      /* already gone */
    }
    s.conn.dispose();
    s.proc.kill();
  }
});

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

async function open(s: Server, uri: string, text = TEXT): Promise<Diagnostic[]> {
  await s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'powermta', version: 1, text } });
  return s.diagnostics(uri, 1);
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
    const t = (await s.conn.sendRequest(TIER, { textDocument: { uri: 'file:///w/a.pmta' } })) as TierInfo;
    assert.deepEqual([t.tier, t.source], ['100k-500k', 'setting']);
  }
  const t = (await plain.conn.sendRequest(TIER, { textDocument: { uri: 'file:///w/a.pmta' } })) as TierInfo;
  assert.deepEqual([t.tier, t.source], ['under-100k', 'assumed']);
});

test('code lens, tier and configuration requests answer over LSP', async () => {
  const s = await start({});
  const uri = 'file:///w/b.pmta';
  await open(s, uri);
  const lenses = (await s.conn.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as CodeLens[];
  assert.deepEqual(lenses, [
    {
      range: { start: { line: 9, character: 0 }, end: { line: 9, character: 0 } },
      command: { title: 'Microsoft: 5 connections (1 IP × max-smtp-out 5; budget 60) · 1 of 10 domains rolled up · tier under-100k (assumed)', command: '' },
    },
  ]);
  const tier = (await s.conn.sendRequest(TIER, { textDocument: { uri } })) as TierInfo;
  assert.equal(tier.queue, 'outlook.com');
  assert.equal(tier.connections?.total, 5);
  assert.equal(await s.conn.sendRequest(TIER, { textDocument: { uri: 'file:///not/open.pmta' } }), null);
  const config = (await s.conn.sendRequest(MICROSOFT_CONFIGURATION, { tier: '500k-plus', textDocument: { uri }, options: { indent: '    ', eol: '\r\n' } })) as MicrosoftConfiguration;
  assert.deepEqual(config.conflicts, ['The file already has <domain outlook.com> (line 10); a second one is a duplicate block.']);
  assert.match(config.text, /^# pmta-lint: microsoft-tier=500k-plus\r\n<domain outlook\.com>\r\n {4}max-smtp-out 6\r\n/m);
  const bare = (await s.conn.sendRequest(MICROSOFT_CONFIGURATION, { tier: 'under-100k' })) as MicrosoftConfiguration;
  assert.deepEqual([bare.conflicts, bare.notes], [[], []]);
  assert.match(bare.text, /^\tmax-smtp-out 4\n/m);
  assert.equal(await s.conn.sendRequest(MICROSOFT_CONFIGURATION, { tier: 'nope' }), null);
});

test('pmta/explainReply explains a pasted bounce; bad input gets an answer', async () => {
  const s = await start({});
  const e = (await s.conn.sendRequest(EXPLAIN_REPLY, { text: '421 4.7.0 RP-002 too many messages on this connection' })) as ReplyExplanation;
  assert.deepEqual(
    e.codes.map((c) => [c.id, c.written]),
    [['RP-002', '421 4.7.0 RP-002']],
  );
  assert.match(e.markdown, /\*\*What to do:\*\*/);
  const bad = (await s.conn.sendRequest(EXPLAIN_REPLY, { text: 42 })) as ReplyExplanation;
  assert.deepEqual(bad.codes, []);
  const none = (await s.conn.sendRequest(EXPLAIN_REPLY, null)) as ReplyExplanation;
  assert.deepEqual(none.codes, []);
});

test('disable a rule for the file, over LSP', async () => {
  const s = await start({});
  const uri = 'file:///w/c.pmta';
  const diags = await open(s, uri);
  const bad = diags.find((d) => d.code === 'invalid-value')!;
  const actions = (await s.conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: bad.range, context: { diagnostics: [bad] } })) as Array<{
    title: string;
    edit?: { changes: Record<string, Array<{ newText: string }>> };
  }>;
  const file = actions.find((a) => a.title === 'Disable invalid-value for this file');
  assert.ok(file, actions.map((a) => a.title).join(', '));
  assert.deepEqual(file.edit!.changes[uri], [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: '# pmta-lint: disable invalid-value\n' }]);
});
