/**
 * The Microsoft delivery report over LSP (`pmta/deliveryReport`, `pmta/readFileChunk`,
 * `pmta/addPatternRules`) and accounting files in the editor, against the built server (the web worker
 * build when PMTA_TEST_SERVER=web: web.test.ts runs this suite again that way). The Node server reads
 * `file:` URIs itself; the worker has no disk and asks the client for every chunk; either asks the client
 * for a file that is not on the disk. Progress is reported with the request's work-done token, and a
 * cancelled request stops reading.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { pathToFileURL } from 'url';
import { CancellationTokenSource } from 'vscode-jsonrpc';
import {
  WorkDoneProgress,
  type Hover,
  type MarkupContent,
  type WorkDoneProgressBegin,
  type WorkDoneProgressEnd,
  type WorkDoneProgressReport,
} from 'vscode-languageserver-protocol';
import { generateAccounting } from '../../bench/accounting';
import {
  ACCOUNTING_LANGUAGE,
  ADD_PATTERN_RULES,
  DELIVERY_REPORT,
  READ_FILE_CHUNK,
  type AddPatternRulesResult,
  type DeliveryReportParams,
  type DeliveryReportResult,
  type ReadFileChunkParams,
  type ReadFileChunkResult,
} from '../../server/src/server/protocol';
import { removalPath, codeById } from '../../server/src/knowledge/microsoft';
import { toBase64 } from '../../server/src/util/base64';
import { LspTestClient, applyEdits, editsFor, positionOf } from '../helpers/lspClient';

const WEB = process.env.PMTA_TEST_SERVER === 'web';

let client: LspTestClient;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pmta-lsp-report-'));
const GEN = generateAccounting({ rows: 3000, garbageEvery: 700, step: 20000 });
const CSV = path.join(dir, 'acct-2026-01-15.csv');
const GZ = path.join(dir, 'acct-2026-01-14.csv.gz');
fs.writeFileSync(CSV, GEN.text);
fs.writeFileSync(GZ, zlib.gzipSync(GEN.text));
const uriOf = (p: string) => pathToFileURL(p).toString();

/** Files only the client has (no disk behind them), by URI. */
const MEMORY: Record<string, Buffer> = { 'memory:/acct-memory.csv': Buffer.from(GEN.text) };
/** Every chunk request the client got: uri@offset. */
const asked: string[] = [];
/** Called on a chunk request before it is answered (the cancellation test uses it). */
let onChunk: ((p: ReadFileChunkParams) => Promise<void>) | undefined;

/** The client's side of pmta/readFileChunk: the files of this test, from the disk or from memory. */
async function answerChunk(p: ReadFileChunkParams): Promise<ReadFileChunkResult> {
  asked.push(`${p.uri.slice(p.uri.lastIndexOf('/') + 1)}@${p.offset}`);
  await onChunk?.(p);
  let bytes: Buffer | undefined = MEMORY[p.uri];
  if (!bytes && p.uri.startsWith('file:')) {
    try {
      bytes = fs.readFileSync(new URL(p.uri));
    } catch {
      return { error: 'no such file or directory' };
    }
  }
  if (!bytes) return { error: 'not a file of this workspace' };
  return { data: toBase64(bytes.subarray(p.offset, p.offset + p.length)), size: bytes.length };
}

const CONFIG_URI = uriOf(path.join(dir, 'pmta', 'config'));
const CONFIG = `<virtual-mta mta1>
    smtp-source-host 203.0.113.1 mta1.example.com
</virtual-mta>
<virtual-mta mta2>
    smtp-source-host 203.0.113.2 mta2.example.com
</virtual-mta>
<virtual-mta-pool microsoft-pool>
    virtual-mta mta1
    virtual-mta mta2
</virtual-mta-pool>
<smtp-pattern-list microsoft-errors>
    reply /RP-001/ mode=backoff,backoff-to-normal-after=4h
</smtp-pattern-list>
<domain outlook.com>
    smtp-pattern-list microsoft-errors
</domain>
`;

before(async () => {
  client = await LspTestClient.start();
  client.conn.onRequest(READ_FILE_CHUNK, answerChunk);
  await client.open(CONFIG_URI, CONFIG);
  await client.waitForDiagnostics(CONFIG_URI, { version: 1 });
});

after(() => {
  client?.kill();
  fs.rmSync(dir, { recursive: true, force: true });
});

type Progress = WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd;

/** The report on `files`, with the progress it reported. */
async function report(files: string[], config?: string, token = `report-${Math.random()}`) {
  const progress: Progress[] = [];
  const listening = client.conn.onProgress(WorkDoneProgress.type, token, (v) => void progress.push(v));
  try {
    const params: DeliveryReportParams = {
      files,
      workDoneToken: token,
      ...(config ? { config: { uri: config } } : {}),
    };
    const result = await client.request<DeliveryReportResult>(DELIVERY_REPORT, params);
    return { result, progress };
  } finally {
    listening.dispose();
  }
}

test('deliveryReport: a CSV and its .gz, streamed (by the Node server from the disk, by the worker through the client), the figures as generated; progress from begin to end', async () => {
  asked.length = 0;
  const { result, progress } = await report([uriOf(CSV), uriOf(GZ)]);
  const r = result.report;
  assert.deepEqual(
    r.files.map((f) => [f.file, f.format, f.records, f.skipped]),
    [
      [CSV, 'csv', 3000, 4],
      [GZ, 'csv', 3000, 4],
    ],
  );
  for (const t of ['d', 'b', 't'] as const) assert.equal(r.records[t], 2 * GEN.expected.records[t], t);
  assert.equal(r.microsoft.recipients.bounced, 2 * GEN.expected.recipients.bounced);
  assert.deepEqual(Object.fromEntries(r.microsoft.sourceIps.map((s) => [s.ip, s.status]))['203.0.113.1'], 'blocked');
  assert.equal(r.config, undefined);
  assert.deepEqual(result.vmtas, {});
  // who read the files: the Node server itself, the worker through the client (chunks of 1 MB)
  const offsets: string[] = [];
  for (let at = 0; at < Buffer.byteLength(GEN.text); at += 1048576) offsets.push(`acct-2026-01-15.csv@${at}`);
  assert.ok(offsets.length > 1, 'a file of several chunks');
  if (WEB)
    assert.deepEqual(
      asked.filter((a) => a.startsWith('acct-2026-01-15.csv@')),
      offsets,
    );
  else assert.deepEqual(asked, []);
  // the explanations are the hover's: S3140's removal path, word for word
  assert.equal(result.explanations.S3140.removal, removalPath(codeById('S3140')!));
  assert.equal(result.explanations.S3140.title, 'IP on Outlook.com block list');
  assert.equal(result.explanations['4.4.1'], undefined);
  // progress: begin (cancellable), percentages that only grow, end
  assert.equal(progress[0].kind, 'begin');
  assert.deepEqual(
    [(progress[0] as WorkDoneProgressBegin).title, (progress[0] as WorkDoneProgressBegin).cancellable],
    ['Microsoft delivery report', true],
  );
  assert.equal(progress[progress.length - 1].kind, 'end');
  const pcts = progress.filter((p): p is WorkDoneProgressReport => p.kind === 'report').map((p) => p.percentage ?? 0);
  assert.ok(pcts.length >= 2, JSON.stringify(progress));
  assert.deepEqual(
    pcts,
    [...pcts].sort((a, b) => a - b),
  );
  assert.ok(pcts[pcts.length - 1] >= 50);
  assert.match(
    (progress.find((p) => p.kind === 'report') as WorkDoneProgressReport).message ?? '',
    /^acct-2026-01-15\.csv(: \d+ of \d+ MB)? \(file 1 of 2\)$/,
  );
});

test("deliveryReport: a file that is not on the disk is read through the client; a missing one is the file's error, the others are still reported", async () => {
  asked.length = 0;
  const { result } = await report(['memory:/acct-memory.csv', uriOf(path.join(dir, 'missing.csv'))]);
  const [memory, missing] = result.report.files;
  assert.deepEqual([memory.file, memory.records, memory.error], ['memory:/acct-memory.csv', 3000, undefined]);
  assert.deepEqual([missing.records, missing.error], [0, 'no such file or directory']);
  assert.ok(asked.includes('acct-memory.csv@0'));
  assert.equal(
    asked.some((a) => a.startsWith('missing.csv')),
    WEB,
  );
  assert.equal(result.report.microsoft.recipients.bounced, GEN.expected.recipients.bounced);
});

test('deliveryReport with the open configuration: IPs mapped to its virtual MTAs and pool, the replies its list misses, the rules to add, where its virtual MTAs are', async () => {
  const { result } = await report([uriOf(CSV)], CONFIG_URI);
  const c = result.report.config!;
  assert.equal(c.file, path.join(dir, 'pmta', 'config'));
  assert.deepEqual([c.queue, c.patternLists, c.ruleList], ['outlook.com', ['microsoft-errors'], 'microsoft-errors']);
  assert.deepEqual(
    c.sourceIps.find((s) => s.ip === '203.0.113.2'),
    { ip: '203.0.113.2', vmtas: ['mta2'], pools: ['microsoft-pool'] },
  );
  // RP-001 has its rule; the other Microsoft replies do not
  const x = GEN.expected.codes;
  assert.deepEqual(
    Object.fromEntries(c.unmatched.map((u) => [u.code, u.count])),
    Object.fromEntries(
      ['S3140', 'S3150', '5.7.606', 'S775', '4.7.500', '5.5.0'].map((k) => [k, x[k].deferred + x[k].bounced]),
    ),
  );
  assert.deepEqual(
    c.rules.map((r) => r.id),
    ['4.7.650', '4.7.500', 'S3150', '5.7.606-649'],
  );
  assert.deepEqual(result.vmtas.mta1, {
    name: 'mta1',
    uri: CONFIG_URI,
    range: { start: { line: 0, character: 13 }, end: { line: 0, character: 17 } },
  });
  assert.deepEqual(result.config, { uri: CONFIG_URI });

  // the button: the rules through the server, applied by the client
  const added = await client.request<AddPatternRulesResult>(ADD_PATTERN_RULES, {
    textDocument: { uri: CONFIG_URI },
    ruleIds: c.rules.map((r) => r.id),
  });
  assert.ok(!('error' in added), JSON.stringify(added));
  assert.deepEqual([added.list, added.uri], ['microsoft-errors', CONFIG_URI]);
  const after = applyEdits(CONFIG, editsFor(added.edit, CONFIG_URI));
  assert.deepEqual(
    after
      .split('</smtp-pattern-list>')[0]
      .split('\n')
      .filter((l) => l.trim().startsWith('reply '))
      .map((l) => l.trim()),
    ['reply /RP-001/ mode=backoff,backoff-to-normal-after=4h', ...c.rules.map((r) => r.reply)],
  );
  // a document that is not open: said, not guessed
  assert.deepEqual(
    await client.request(ADD_PATTERN_RULES, { textDocument: { uri: 'file:///nowhere/config' }, ruleIds: ['RP-001'] }),
    { error: 'the configuration is not open' },
  );
});

test('deliveryReport: cancelled while reading, it stops with RequestCancelled and reads no further', async () => {
  const cts = new CancellationTokenSource();
  asked.length = 0;
  onChunk = async (p) => {
    // cancel when the server asks for the second chunk of the slow file; answer after the cancellation is on its way
    if (p.uri === 'memory:/slow.csv' && p.offset > 0) {
      cts.cancel();
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  MEMORY['memory:/slow.csv'] = Buffer.from(GEN.text.repeat(2) + GEN.text.split('\n').slice(1).join('\n'));
  try {
    const params: DeliveryReportParams = { files: ['memory:/slow.csv', uriOf(CSV)] };
    await assert.rejects(
      client.conn.sendRequest(DELIVERY_REPORT, params, cts.token),
      (e: { code?: number }) => e.code === -32800,
    );
  } finally {
    onChunk = undefined;
  }
  // the slow file's third chunk was never asked for, nor the second file
  assert.ok(!asked.includes('slow.csv@2097152'), asked.join(' '));
  assert.ok(!asked.some((a) => a.startsWith('acct-2026-01-15.csv')), asked.join(' '));
  // the server goes on answering
  const { result } = await report(['memory:/acct-memory.csv']);
  assert.equal(result.report.files[0].records, 3000);
});

test('deliveryReport: bad parameters get an error, not a crash', async () => {
  await assert.rejects(client.request(DELIVERY_REPORT, { files: [] }), /no files to report on/);
  await assert.rejects(client.request(DELIVERY_REPORT, {}), /no files to report on/);
  const { result } = await report(['memory:/does-not-exist.csv']);
  assert.equal(result.report.files[0].error, 'not a file of this workspace');
});

test('accounting files: hover on a Microsoft code in a reply field, with the explanation of a config; none elsewhere in the record; no diagnostics', async () => {
  const uri = uriOf(path.join(dir, 'pmta', 'acct-hover.csv'));
  const text = [
    'type,timeLogged,rcpt,dsnStatus,dsnDiag,dsnMta,dlvSourceIp,vmta,jobId',
    'b,2026-01-15 10:05:00+0000,b@outlook.com,5.7.1,"smtp;550 5.7.1 Unfortunately, messages from [203.0.113.1] weren\'t sent. Please contact your Internet service provider since part of their network is on our block list (S3140).",x,203.0.113.1,mta1,RP-001',
    '',
  ].join('\n');
  await client.notify('textDocument/didOpen', {
    textDocument: { uri, languageId: ACCOUNTING_LANGUAGE, version: 1, text },
  });
  const hover = await client.request<Hover | null>('textDocument/hover', {
    textDocument: { uri },
    position: positionOf(text, 'S3140', 2),
  });
  assert.ok(hover, 'a hover on S3140');
  const md = (hover.contents as MarkupContent).value;
  assert.match(md, /^\*\*550 5\.7\.1 S3150\*\* — IP on Outlook\.com block list/);
  assert.ok(md.includes(`**Removal:** ${removalPath(codeById('S3150')!)}`));
  assert.deepEqual(hover.range, { start: positionOf(text, 'S3140'), end: positionOf(text, 'S3140', 5) });
  // RP-001 written in the jobId column is not a reply
  assert.equal(
    await client.request('textDocument/hover', { textDocument: { uri }, position: positionOf(text, ',RP-001', 2) }),
    null,
  );
  // the other requests: nothing, as for a file that is no configuration
  assert.deepEqual(await client.request('textDocument/documentSymbol', { textDocument: { uri } }), []);
  // a configuration opened after it gets its diagnostics; the accounting file never does
  const later = uriOf(path.join(dir, 'later.pmta'));
  await client.open(later, '<domain x.example>\n    retry-after soon\n</domain>\n');
  await client.waitForDiagnostics(later, { version: 1 });
  assert.equal(client.latest(uri), undefined);
  await client.close(uri);
});
