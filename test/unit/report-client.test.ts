/**
 * The pieces of the VS Code delivery report command that need no VS Code: the accounting files the
 * extension sends the server in chunks (client/src/report/reportFiles.ts: only the files of a running
 * report, each read once, bytes exact), the server's progress as the notification's increments
 * (progress.ts), and the view's title and the links it may open (page.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { ReportBuilder } from '../../server/src/accounting';
import { fromBase64 } from '../../server/src/util/base64';
import { PmtaLanguageService } from '../../server/src/service';
import type { DeliveryReportResult, ReadFileChunkResult } from '../../server/src/server/protocol';
import { fsMessage, MAX_CHUNK, ReportFiles } from '../../client/src/report/reportFiles';
import { ProgressSteps } from '../../client/src/report/progress';
import { reportLinks, reportPage, reportTitle } from '../../client/src/report/page';

const ROOT = path.resolve(__dirname, '../../..');
const URI = 'vscode-vfs://github/acme/logs/acct-1.csv';

/** A reader over in-memory files that counts its reads. */
function memory(files: Record<string, Uint8Array>) {
  const reads: string[] = [];
  const read = async (uri: string) => {
    reads.push(uri);
    const f = files[uri];
    if (!f) throw Object.assign(new Error(`ENOENT ${uri}`), { code: 'FileNotFound' });
    return f;
  };
  return { reads, read };
}

function data(r: ReadFileChunkResult): { bytes: Uint8Array; size: number } {
  assert.ok('data' in r, JSON.stringify(r));
  return { bytes: fromBase64(r.data), size: r.size };
}

test('report files: only the files of a running report are sent, in exact chunks, each file read once', async () => {
  const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) & 0xff);
  const m = memory({ [URI]: bytes, 'file:///other.csv': new Uint8Array(3) });
  const files = new ReportFiles(m.read);
  // not allowed yet: refused without reading
  assert.deepEqual(await files.chunk({ uri: URI, offset: 0, length: 10 }), {
    error: 'not a file of a delivery report',
  });
  assert.deepEqual(m.reads, []);
  const release = files.allow([URI]);
  const a = data(await files.chunk({ uri: URI, offset: 0, length: 400 }));
  const b = data(await files.chunk({ uri: URI, offset: 400, length: 400 }));
  const c = data(await files.chunk({ uri: URI, offset: 800, length: 400 }));
  assert.deepEqual([a.size, b.size, c.size], [1000, 1000, 1000]);
  assert.deepEqual(Buffer.concat([a.bytes, b.bytes, c.bytes]), Buffer.from(bytes));
  // past the end: empty; another file of the workspace: refused
  assert.equal(data(await files.chunk({ uri: URI, offset: 5000, length: 10 })).bytes.length, 0);
  assert.deepEqual(await files.chunk({ uri: 'file:///other.csv', offset: 0, length: 3 }), {
    error: 'not a file of a delivery report',
  });
  assert.deepEqual(m.reads, [URI]);
  release();
  assert.deepEqual(await files.chunk({ uri: URI, offset: 0, length: 10 }), {
    error: 'not a file of a delivery report',
  });
});

test('report files: odd parameters are clamped, chunks are at most 4 MB, a file two reports use stays until both end', async () => {
  const big = new Uint8Array(MAX_CHUNK + 10);
  const m = memory({ [URI]: big });
  const files = new ReportFiles(m.read);
  const first = files.allow([URI]);
  const second = files.allow([URI]);
  assert.equal(data(await files.chunk({ uri: URI, offset: 0, length: MAX_CHUNK * 2 })).bytes.length, MAX_CHUNK);
  assert.equal(data(await files.chunk({ uri: URI, offset: -5, length: 3.9 })).bytes.length, 3);
  assert.equal(data(await files.chunk({ uri: URI, offset: 'x', length: null })).bytes.length, 0);
  assert.deepEqual(await files.chunk(null), { error: 'not a file of a delivery report' });
  assert.deepEqual(await files.chunk({ uri: 42 }), { error: 'not a file of a delivery report' });
  first();
  first(); // twice: still one release
  assert.equal(data(await files.chunk({ uri: URI, offset: MAX_CHUNK, length: 100 })).bytes.length, 10);
  second();
  assert.deepEqual(await files.chunk({ uri: URI, offset: 0, length: 1 }), { error: 'not a file of a delivery report' });
  assert.deepEqual(m.reads, [URI]);
});

test('report files: a file that cannot be read is an error in words, for every chunk asked', async () => {
  const files = new ReportFiles(memory({}).read);
  files.allow([URI]);
  assert.deepEqual(await files.chunk({ uri: URI, offset: 0, length: 10 }), { error: 'no such file or directory' });
  assert.deepEqual(await files.chunk({ uri: URI, offset: 10, length: 10 }), { error: 'no such file or directory' });
  assert.equal(fsMessage(Object.assign(new Error('x'), { code: 'NoPermissions' })), 'permission denied');
  assert.equal(fsMessage(Object.assign(new Error('x'), { code: 'FileIsADirectory' })), 'is a directory');
  assert.equal(fsMessage(new Error('700 MB: too large')), '700 MB: too large');
  assert.equal(fsMessage('odd'), 'odd');
});

test("report progress: the server's percentages become increments that add up to them and never go back", () => {
  const p = new ProgressSteps();
  assert.deepEqual(p.next({ kind: 'begin', message: '1 file', percentage: 0 }), { message: '1 file', increment: 0 });
  assert.deepEqual(p.next({ kind: 'report', message: 'acct.csv: 10 of 40 MB', percentage: 25 }), {
    message: 'acct.csv: 10 of 40 MB',
    increment: 25,
  });
  assert.deepEqual(p.next({ kind: 'report', message: 'no percentage' }), { message: 'no percentage', increment: 0 });
  assert.deepEqual(p.next({ kind: 'report', percentage: 20 }), { message: undefined, increment: 0 });
  assert.deepEqual(p.next({ kind: 'report', percentage: 60 }), { message: undefined, increment: 35 });
  assert.deepEqual(p.next({ kind: 'report', percentage: 250 }), { message: undefined, increment: 40 });
  assert.equal(p.next({ kind: 'end', message: 'done' }), undefined);
});

/** The report of the accounting fixture, as the server answers it (without a configuration). */
function fixtureAnswer(name: string): DeliveryReportResult {
  const service = new PmtaLanguageService();
  const b = new ReportBuilder({});
  const f = b.file(name);
  f.push(fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'accounting', 'acct-outlook-block.csv')));
  f.end();
  const report = b.report();
  return {
    report,
    explanations: service.report.codeExplanations(report.microsoft.codes.map((c) => c.code)),
    vmtas: {},
  };
}

test('report view: its title names the files; the links it may open are the removal pages the report names, and every link of the page is one', () => {
  const r = fixtureAnswer('/var/log/pmta/acct-outlook-block.csv');
  assert.equal(reportTitle(r), 'Microsoft Delivery Report: acct-outlook-block.csv');
  const two = structuredClone(r);
  two.report.files.push({ ...r.report.files[0], file: 'C:\\logs\\acct-2.csv' });
  assert.equal(reportTitle(two), 'Microsoft Delivery Report: acct-outlook-block.csv, acct-2.csv');
  two.report.files.push({ ...r.report.files[0], file: 'vscode-vfs://github/acme/logs/acct-3.csv' });
  assert.equal(reportTitle(two), 'Microsoft Delivery Report: 3 files');
  // S3150 of 192.0.2.10: Outlook.com's sender support form
  const links = reportLinks(r);
  assert.deepEqual([...links], ['http://go.microsoft.com/fwlink/?LinkID=614866']);
  const page = reportPage(r, { nonce: 'abc' });
  assert.match(
    page,
    /<tr><td><code>192\.0\.2\.10<\/code><\/td><td>mta1<\/td><td class="n">0<\/td><td class="n">0<\/td><td class="n">18<\/td><td><span class="status blocked">BLOCKED<\/span><\/td>/,
  );
  const onPage = [...page.matchAll(/data-link="([^"]*)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
  assert.ok(onPage.length > 0);
  for (const l of onPage) assert.ok(links.has(l), l);
  // a hostile address in a removal path is not a link the view opens
  const evil = structuredClone(r);
  evil.report.microsoft.sourceIps[0].removal[0].where = 'javascript:alert(1)';
  assert.ok(!reportLinks(evil).has('javascript:alert(1)'));
});
