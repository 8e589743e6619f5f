/**
 * The extension's side of the delivery report against the real server in a web worker (as VS Code for the
 * Web runs it, where every accounting file is read through the extension): the chunks come from the same
 * ReportFiles the extension answers pmta/readFileChunk with (only the files of a running report, each read
 * once), the server's progress becomes the notification's increments (ProgressSteps), and the server's
 * answer becomes the view's page (reportPage) with the blocked IP.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { WorkDoneProgress } from 'vscode-languageserver-protocol';
import { generateAccounting } from '../../bench/accounting';
import {
  DELIVERY_REPORT,
  READ_FILE_CHUNK,
  type DeliveryReportParams,
  type DeliveryReportResult,
  type ReadFileChunkParams,
} from '../../server/src/server/protocol';
import { ReportFiles } from '../../client/src/report/reportFiles';
import { ProgressSteps } from '../../client/src/report/progress';
import { reportPage } from '../../client/src/report/page';
import { LspTestClient, WEB_SERVER } from '../helpers/lspClient';
import { ROOT } from '../helpers/util';

const FIXTURE = 'vscode-remote://host/work/logs/acct-outlook-block.csv';
const BIG = 'vscode-remote://host/work/logs/acct-big.csv';
const GEN = generateAccounting({ bytes: 2_600_000, step: 5000 });
const FILES: Record<string, Uint8Array> = {
  [FIXTURE]: fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'accounting', 'acct-outlook-block.csv')),
  [BIG]: Buffer.from(GEN.text),
};
const reads: string[] = [];
const chunks: string[] = [];
const files = new ReportFiles(async (uri) => {
  reads.push(uri);
  const f = FILES[uri];
  if (!f) throw Object.assign(new Error(uri), { code: 'FileNotFound' });
  return f;
});

let client: LspTestClient | undefined;
after(() => client?.kill());

async function server(): Promise<LspTestClient> {
  if (client) return client;
  client = await LspTestClient.start({ script: WEB_SERVER });
  client.conn.onRequest(READ_FILE_CHUNK, (p: ReadFileChunkParams) => {
    chunks.push(`${p.uri.slice(p.uri.lastIndexOf('/') + 1)}@${p.offset}`);
    return files.chunk(p);
  });
  return client;
}

/** The report as the command asks for it, with the notification's increments added up. */
async function report(uris: string[]): Promise<{ result: DeliveryReportResult; progress: number }> {
  const c = await server();
  const token = `report-${Math.random()}`;
  const steps = new ProgressSteps();
  let progress = 0;
  const listening = c.conn.onProgress(WorkDoneProgress.type, token, (v) => {
    const step = steps.next(v);
    if (step) progress += step.increment;
  });
  try {
    const result = await c.request<DeliveryReportResult>(DELIVERY_REPORT, {
      files: uris,
      workDoneToken: token,
    } satisfies DeliveryReportParams);
    return { result, progress };
  } finally {
    listening.dispose();
  }
}

test('report through the extension (web worker): a file no running report chose is not sent; the server says so for that file', async () => {
  const { result } = await report([FIXTURE]);
  assert.deepEqual(
    result.report.files.map((f) => [f.file, f.records, f.error]),
    [[FIXTURE, 0, 'not a file of a delivery report']],
  );
  assert.deepEqual(reads, []);
});

test('report through the extension (web worker): the chosen files in chunks, each read once; progress to the end; the view shows the blocked IP', async () => {
  reads.length = 0;
  chunks.length = 0;
  const release = files.allow([FIXTURE, BIG]);
  let answer: Awaited<ReturnType<typeof report>>;
  try {
    answer = await report([FIXTURE, BIG]);
  } finally {
    release();
  }
  const { result, progress } = answer;
  assert.deepEqual(
    result.report.files.map((f) => [f.file, f.records, f.error]),
    [
      [FIXTURE, 48, undefined],
      [BIG, Object.values(GEN.expected.records).reduce((a, b) => a + b, 0), undefined],
    ],
  );
  // the big file in 1 MB chunks, both files read from the file system once
  const offsets = [];
  for (let at = 0; at < FILES[BIG].length; at += 1048576) offsets.push(`acct-big.csv@${at}`);
  assert.equal(offsets.length, 3);
  assert.deepEqual(chunks, ['acct-outlook-block.csv@0', ...offsets]);
  assert.deepEqual(reads, [FIXTURE, BIG]);
  // the notification's bar: increments that add up to no more than the whole, past half of it at the end
  assert.ok(progress >= 50 && progress <= 100, String(progress));
  // the view: the fixture's blocked IP (S3150), with its 18 bounces (the generated traffic has other IPs)
  const ip = result.report.microsoft.sourceIps.find((s) => s.ip === '192.0.2.10');
  assert.deepEqual([ip?.status, ip?.bounced, ip?.codes], ['blocked', 18, { S3150: 18 }]);
  const html = reportPage(result, { nonce: 'n0nce' });
  assert.match(
    html,
    /<tr><td><code>192\.0\.2\.10<\/code><\/td><td>mta1<\/td>.*<span class="status blocked">BLOCKED<\/span>/,
  );
  // released: nothing is sent any more
  assert.deepEqual(await files.chunk({ uri: BIG, offset: 0, length: 10 }), {
    error: 'not a file of a delivery report',
  });
});
