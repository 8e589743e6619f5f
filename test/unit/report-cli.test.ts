/**
 * `pmta-lint report` (the built dist/cli.js): files, a rotated .gz, standard input, the formats, the
 * time range, and the exit status: 0 when every input was read, 2 when one was not (missing, a
 * directory, a broken gzip, not an accounting file) or for a usage error.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import Ajv from 'ajv';
import { generateAccounting } from '../../bench/accounting';
import type { Report } from '../../server/src/accounting';
import { ROOT } from '../helpers/util';

const CLI = path.join(ROOT, 'dist', 'cli.js');

function run(args: string[], input?: string | Buffer) {
  const r = spawnSync(process.execPath, [CLI, 'report', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    input,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pmta-report-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const GEN = generateAccounting({ rows: 3000, garbageEvery: 700 });
const CSV = path.join(dir, 'acct-2026-01-15.csv');
fs.writeFileSync(CSV, GEN.text);
const GZ = path.join(dir, 'acct-2026-01-14.csv.gz');
fs.writeFileSync(GZ, zlib.gzipSync(GEN.text));

const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'schemas', 'report.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

function json(args: string[], input?: string | Buffer) {
  const r = run(['--format', 'json', ...args], input);
  const report = JSON.parse(r.out) as Report;
  assert.ok(validate(report), JSON.stringify(validate.errors));
  return { ...r, report };
}

test('a CSV file: exit 0, the figures as constructed, the output valid against the JSON Schema', () => {
  const { code, err, report } = json([CSV]);
  assert.equal(code, 0);
  assert.equal(err, '');
  assert.deepEqual(report.records, GEN.expected.records);
  assert.deepEqual(report.microsoft.recipients, GEN.expected.recipients);
  assert.deepEqual(report.files[0], {
    file: CSV,
    format: 'csv',
    records: 3000,
    skipped: 4,
    skippedLines: GEN.expected.skippedLines,
    outsideRange: 0,
    unreadableTime: 0,
    unreadableTimeLines: [],
    missingColumns: [],
  });
});

test('a .gz file and standard input (plain or gzipped) give the same figures', () => {
  const plain = json([CSV]).report;
  const strip = (r: Report) => ({ ...r, files: [] });
  for (const [args, input] of [
    [[GZ], undefined],
    [['-'], GEN.text],
    [['-'], zlib.gzipSync(GEN.text)],
  ] as Array<[string[], string | Buffer | undefined]>) {
    const r = json(args, input);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(strip(r.report), strip(plain), args.join(' '));
    assert.equal(r.report.files[0].file, args[0]);
    assert.equal(r.report.files[0].records, 3000);
  }
});

test('several files: one report, each file listed', () => {
  const r = json([CSV, GZ]);
  assert.equal(r.code, 0);
  assert.deepEqual(
    r.report.files.map((f) => [f.file, f.records]),
    [
      [CSV, 3000],
      [GZ, 3000],
    ],
  );
  assert.equal(r.report.microsoft.recipients.bounced, 2 * GEN.expected.recipients.bounced);
});

test('text output: the skipped rows with their line numbers, blocked IPs and their removal path', () => {
  const r = run([CSV]);
  assert.equal(r.code, 0);
  assert.match(
    r.out,
    new RegExp(
      `^ {2}${CSV.replace(/[.\\/]/g, '\\$&')}: 3,000 records \\(csv\\), 4 malformed rows skipped \\(lines ${GEN.expected.skippedLines.join(', ')}\\)$`,
      'm',
    ),
  );
  assert.match(r.out, /^ {2}203\.0\.113\.1 +mta1 +[\d,]+ +[\d,]+ +[\d,]+ +BLOCKED /m);
  assert.match(
    r.out,
    /^ {4}5\.7\.606: Microsoft 365's delist portal \(https:\/\/sender\.office\.com\/\)\. Fix the cause, then request removal at the self-service delist portal\.$/m,
  );
});

test('markdown and html formats', () => {
  const md = run(['--format', 'markdown', CSV]);
  assert.equal(md.code, 0);
  assert.match(md.out, /^# Microsoft delivery report\n/);
  const html = run(['--format=html', CSV]);
  assert.equal(html.code, 0);
  assert.match(html.out, /^<!DOCTYPE html>/);
  assert.match(html.out, /<\/html>\n$/);
});

test('--since / --until: only the records in the range', () => {
  const r = json(['--since', '2026-01-15T00:01:00Z', '--until', '2026-01-15 00:02:00+0000', CSV]);
  assert.equal(r.code, 0);
  const { first, last } = r.report.period;
  assert.ok(
    first !== null && last !== null && first >= '2026-01-15T00:01:00Z' && last < '2026-01-15T00:02:00Z',
    JSON.stringify(r.report.period),
  );
  const total = Object.values(r.report.records).reduce((a, b) => a + b, 0);
  assert.equal(total + r.report.files[0].outsideRange, 3000);
  assert.ok(r.report.files[0].outsideRange > 0 && total > 0);
  // a duration back from now: everything generated lies long before
  assert.equal(json(['--since', '1h', CSV]).report.files[0].outsideRange, 3000);
});

test('a missing column: exit 0, and the text says what cannot be computed', () => {
  const f = path.join(dir, 'noip.csv');
  fs.writeFileSync(
    f,
    'type,timeLogged,rcpt,dsnDiag\nb,2026-01-15 10:00:00Z,a@hotmail.com,"550 5.7.606 Access denied, banned sending IP [203.0.113.2]"\n',
  );
  const r = run([f]);
  assert.equal(r.code, 0);
  assert.match(
    r.out,
    /\nWarnings\n {2}.*noip\.csv: no dlvSourceIp column: its records are not in the source IP table\n/,
  );
  assert.match(r.out, /5\.7\.606 +0 +1 /);
});

test('exit 2: a missing file, a directory, a broken gzip, a file that is not an accounting file; the others are still reported', () => {
  const broken = path.join(dir, 'broken.csv.gz');
  fs.writeFileSync(broken, zlib.gzipSync(GEN.text).subarray(0, 5000));
  const config = path.join(dir, 'config');
  fs.writeFileSync(config, '<domain hotmail.com>\n    max-smtp-out 2\n</domain>\n');
  const missing = path.join(dir, 'nope.csv');
  const r = json([CSV, missing, dir, broken, config]);
  assert.equal(r.code, 2);
  assert.deepEqual(r.err.trimEnd().split('\n'), [
    `pmta-lint report: ${missing}: no such file or directory`,
    `pmta-lint report: ${dir}: is a directory`,
    `pmta-lint report: ${broken}: not a readable gzip file (unexpected end of file)`,
    `pmta-lint report: ${config}: not a PowerMTA accounting file: no header row naming a "type" column, and no JSON records`,
  ]);
  assert.equal(r.report.files[0].records, 3000);
  assert.equal(r.report.files[1].error, 'no such file or directory');
  assert.ok(r.report.files[3].records > 0, 'what the broken gzip held before it broke is counted');
});

test('exit 2 for an empty file, a blank standard input and JSON with no record, each named; a good file among them is still reported', () => {
  const empty = path.join(dir, 'empty.csv');
  fs.writeFileSync(empty, '');
  const pretty = path.join(dir, 'pretty.json');
  fs.writeFileSync(pretty, '{\n  "type": "d",\n  "rcpt": "a@hotmail.com"\n}\n');
  const r = json([empty, CSV, pretty, '-'], '\n \n');
  assert.equal(r.code, 2);
  assert.deepEqual(r.err.trimEnd().split('\n'), [
    `pmta-lint report: ${empty}: not a PowerMTA accounting file: it is empty (no header row, no JSON record)`,
    `pmta-lint report: ${pretty}: not a PowerMTA accounting file: its first JSON record spans several lines: records must be one per line (JSON Lines)`,
    'pmta-lint report: -: not a PowerMTA accounting file: it holds only blank lines (no header row, no JSON record)',
  ]);
  assert.deepEqual(
    r.report.files.map((f) => [f.format, f.records, f.skipped]),
    [
      ['unknown', 0, 0],
      ['csv', 3000, 4],
      ['json', 0, 4],
      ['unknown', 0, 0],
    ],
  );
  const one = run(['-'], '{"a":1}\n');
  assert.deepEqual(
    [one.code, one.err],
    [
      2,
      'pmta-lint report: -: not a PowerMTA accounting file: no JSON record in it (an object with a "type" such as "d" or "b", one per line)\n',
    ],
  );
});

test('a line of 3 MB is one malformed row at its line; the rows after it are counted', () => {
  const f = path.join(dir, 'long-line.csv');
  const row = 'd,2026-11-30 10:00:00,u@hotmail.com,smtp;250 ok,203.0.113.1\n';
  fs.writeFileSync(f, `type,timeLogged,rcpt,dsnDiag,dlvSourceIp\n${'a'.repeat(3_000_000)}\n${row}${row}`);
  const r = run([f]);
  assert.equal(r.code, 0);
  assert.match(r.out, /: 2 records \(csv\), 1 malformed row skipped \(line 2\)\n/);
});

test('an impossible date: --since names it (exit 2); in a record, its time is said to be unreadable, with its line', () => {
  const r = run(['--since', '2026-02-31', CSV]);
  assert.equal(r.code, 2);
  assert.equal(
    r.err.split('\n')[0],
    'pmta-lint report: --since "2026-02-31": no such date or time: expected a time such as 2026-01-15, 2026-01-15T08:00, 1768464000 or 24h',
  );
  assert.equal(
    run(['--until', 'soon', CSV]).err.split('\n')[0],
    'pmta-lint report: --until "soon": not a time: expected a time such as 2026-01-15, 2026-01-15T08:00, 1768464000 or 24h',
  );
  const f = path.join(dir, 'feb30.csv');
  fs.writeFileSync(
    f,
    'type,timeLogged,rcpt\nd,2026-02-30 10:00:00,a@hotmail.com\nd,2026-02-28 10:00:00,a@hotmail.com\n',
  );
  const t = run(['--since', '2026-02-01', f]);
  assert.equal(t.code, 0);
  assert.match(t.out, /: 2 records \(csv\), 1 record whose time cannot be read \(line 2\)\n/);
  assert.match(t.out, /^Records by type: d 1$/m);
  assert.match(t.out, /: a record whose time cannot be read is left out by the time range\n/);
});

test('a .bz2, .xz or .zst file: exit 2, the compression named and what to do; on standard input too', () => {
  const xz = path.join(dir, 'acct.csv.xz');
  fs.writeFileSync(xz, Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x04, 0xe6, 0xd6]));
  const r = json([CSV, xz, '-'], Buffer.from('BZh91AY&SY\x00\x01', 'latin1'));
  assert.equal(r.code, 2);
  assert.deepEqual(r.err.trimEnd().split('\n'), [
    `pmta-lint report: ${xz}: compressed with xz, which the report does not read: decompress it first (unxz), or compress it with gzip`,
    'pmta-lint report: -: compressed with bzip2, which the report does not read: decompress it first (bunzip2), or compress it with gzip',
  ]);
  assert.equal(r.report.files[0].records, 3000);
  const zst = run(['-'], Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x24, 0x00]));
  assert.deepEqual(
    [zst.code, zst.err],
    [
      2,
      'pmta-lint report: -: compressed with zstd, which the report does not read: decompress it first (unzstd), or compress it with gzip\n',
    ],
  );
});

test('a file that is not UTF-8: its Latin-1 names keep their letters in the output', () => {
  const f = path.join(dir, 'latin1.csv');
  fs.writeFileSync(
    f,
    Buffer.from(
      'type,timeLogged,rcpt,dsnDiag,dlvSourceIp,vmta\nd,2026-01-15 10:00:00,a@hotmail.com,smtp;250 ok,203.0.113.1,m\xe93\n',
      'latin1',
    ),
  );
  const r = run([f]);
  assert.equal(r.code, 0);
  assert.match(r.out, /^ {2}203\.0\.113\.1 +m\u00e93 +1 +0 +0 +ok/m);
  assert.ok(!r.out.includes('\ufffd'));
});

test('usage errors exit 2; --help exits 0', () => {
  for (const args of [
    [],
    ['--format', 'xml', CSV],
    ['--since', 'yesterday', CSV],
    ['--since', '2026-02-31', CSV],
    ['--until', '2026-02-28 24:59', CSV],
    ['--until', '99999999999999999', CSV],
    ['--since', '2026-01-16', '--until', '2026-01-15', CSV],
    ['--bogus', CSV],
    ['--until'],
  ]) {
    const r = run(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.err, /^pmta-lint report: .+\n\nUsage: pmta-lint report/, args.join(' '));
    assert.equal(r.out, '');
  }
  const h = run(['--help']);
  assert.equal(h.code, 0);
  assert.match(h.out, /^Usage: pmta-lint report \[options\] FILE\.\.\./);
  assert.match(h.out, /Exit status: 0 when every input was read/);
});

test('the linter itself is unchanged: a file named report is linted when it is not the first argument', () => {
  const f = path.join(dir, 'a.pmta');
  fs.writeFileSync(f, '<domain a.com>\n    max-smtp-out 5\n</domain>\n');
  const r = spawnSync(process.execPath, [CLI, f], { encoding: 'utf8' });
  assert.equal(r.status, 0);
  assert.match(r.stdout, /0 problems/);
});
