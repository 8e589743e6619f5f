/**
 * The bench's report section (BENCH_ONLY=report): the Microsoft delivery report on a generated
 * accounting file of 128 MB (bench/accounting.ts), written to a temporary folder and deleted after.
 *
 * Measured in this process, the file streamed the same way for each (1 MB chunks from disk):
 *  - a bare per-byte scan that counts commas, quotes and line breaks: the floor for any parser that
 *    looks at every byte;
 *  - the whole report: parse, classify, count, and render it as JSON; its MB/s and its ratio to the scan;
 *  - papaparse and csv-parse merely parsing the same file (each record handed over and dropped).
 * Then `pmta-lint report` (dist/cli.js) on the file in a process of its own: wall time and peak memory.
 * Medians of a few runs, after one unmeasured run of each. Asserts nothing.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Papa from 'papaparse';
import { parse as csvParse } from 'csv-parse';
import { renderReport, ReportBuilder } from '../server/src/accounting';
import { accountingChunks, newExpected } from './accounting';
import { median } from './timing';

const CHUNK = 1 << 20;

/** Streams a file in 1 MB chunks. */
function streamFile(file: string, onChunk: (c: Buffer) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = fs.createReadStream(file, { highWaterMark: CHUNK });
    s.on('data', (c) => onChunk(c as Buffer));
    s.on('end', () => resolve());
    s.on('error', reject);
  });
}

/** Kept so that the scan's work is used (and not optimised away). */
let sink = 0;

async function bareScan(file: string): Promise<void> {
  let commas = 0;
  let quotes = 0;
  let lines = 0;
  await streamFile(file, (b) => {
    for (let i = 0; i < b.length; i++) {
      const c = b[i];
      if (c === 44) commas++;
      else if (c === 34) quotes++;
      else if (c === 10) lines++;
    }
  });
  sink += commas + quotes + lines;
}

async function wholeReport(file: string): Promise<void> {
  const builder = new ReportBuilder();
  const f = builder.file(file);
  await streamFile(file, (c) => f.push(c));
  f.end();
  sink += renderReport(builder.report(), 'json').length;
}

/** papaparse's own Node streaming mode (a duplex stream of rows), its fastest on a stream in our tries. */
function papaparse(file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let rows = 0;
    const parser = Papa.parse(Papa.NODE_STREAM_INPUT, {});
    parser.on('data', () => rows++);
    parser.on('end', () => {
      sink += rows;
      resolve();
    });
    parser.on('error', reject);
    fs.createReadStream(file, { highWaterMark: CHUNK }).pipe(parser);
  });
}

function csvParser(file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let rows = 0;
    const parser = csvParse();
    parser.on('readable', () => {
      while (parser.read() !== null) rows++;
    });
    parser.on('end', () => {
      sink += rows;
      resolve();
    });
    parser.on('error', reject);
    fs.createReadStream(file, { highWaterMark: CHUNK }).pipe(parser);
  });
}

async function timeAsync(fn: () => Promise<void>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

export interface ReportBench {
  mb: number;
  ratio: number;
  cliPeakRss?: number;
}

export async function benchReport(cliJs: string, quick: boolean): Promise<ReportBench> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pmta-bench-acct-'));
  try {
    const file = path.join(dir, 'acct.csv');
    const fd = fs.openSync(file, 'w');
    const expected = newExpected();
    for (const chunk of accountingChunks({ bytes: 128 * 1024 * 1024 }, expected)) fs.writeSync(fd, chunk);
    fs.closeSync(fd);
    const bytes = fs.statSync(file).size;
    const mbs = bytes / 1024 / 1024;
    console.log(
      `\nMicrosoft delivery report on a generated accounting file: ${mbs.toFixed(0)} MB, ${expected.lines} lines (CSV, ${expected.records.d} d, ${expected.records.t} t, ${expected.records.b} b records), streamed from disk in 1 MB chunks`,
    );

    // interleaved, so that a slower period of the machine weighs on both alike
    const runs = quick ? 3 : 5;
    const scan: number[] = [];
    const report: number[] = [];
    await bareScan(file);
    await wholeReport(file);
    for (let i = 0; i < runs; i++) {
      scan.push(await timeAsync(() => bareScan(file)));
      report.push(await timeAsync(() => wholeReport(file)));
    }
    const papa: number[] = [];
    const csv: number[] = [];
    await papaparse(file);
    for (let i = 0; i < (quick ? 1 : 3); i++) papa.push(await timeAsync(() => papaparse(file)));
    for (let i = 0; i < (quick ? 1 : 2); i++) csv.push(await timeAsync(() => csvParser(file)));

    // the CLI in a process of its own; a preloaded line reports its peak memory at exit
    const preload = path.join(dir, 'peak.js');
    fs.writeFileSync(
      preload,
      "process.on('exit', () => require('fs').writeSync(2, '\\npeak-rss-kb ' + process.resourceUsage().maxRSS + '\\n'));\n",
    );
    const t0 = process.hrtime.bigint();
    const cli = spawnSync(process.execPath, ['-r', preload, cliJs, 'report', '--format', 'json', file], {
      encoding: 'utf8',
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const cliMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const m = /peak-rss-kb (\d+)/.exec(cli.stderr ?? '');
    const cliPeakRss = m ? Number(m[1]) * 1024 : undefined;

    const s = median(scan);
    const r = median(report);
    const row = (what: string, ms: number) =>
      `  ${what.padEnd(52)} ${(ms / 1000).toFixed(2).padStart(6)} s  ${(mbs / (ms / 1000)).toFixed(0).padStart(5)} MB/s  ${(ms / s).toFixed(2).padStart(5)}x the scan`;
    console.log(row('bare per-byte scan (commas, quotes, line breaks)', s));
    console.log(row('the whole report (parse, classify, count, JSON)', r));
    console.log(row('papaparse 5.7, merely parsing', median(papa)));
    console.log(row('csv-parse 7, merely parsing', median(csv)));
    console.log(
      row('pmta-lint report --format json, in its own process', cliMs) +
        (cli.status === 0 ? '' : `  (exit ${cli.status})`),
    );
    console.log(
      `  pmta-lint report peak memory (RSS): ${cliPeakRss === undefined ? 'n/a' : (cliPeakRss / 1024 / 1024).toFixed(0) + ' MB'}`,
    );
    console.log(
      `  (medians of ${runs} runs of the scan and the report, interleaved, of ${papa.length} of papaparse and ${csv.length} of csv-parse, each after an unmeasured run but csv-parse; the CLI's one run is cold: Node's start, loading and compiling included)`,
    );
    if (sink === 0) console.log('  (no work was measured)');
    return { mb: Math.round(mbs), ratio: r / s, cliPeakRss };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
