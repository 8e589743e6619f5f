/**
 * The Microsoft delivery report's engine (server/src/accounting): the CSV tokenizer, reply codes,
 * times, and whole reports on generated accounting files whose figures are known by construction
 * (bench/accounting.ts), fed in chunks of every size, as CSV with CRLF, as JSON lines, with columns
 * reordered, left out or unknown; and small files written out by hand for the edge cases.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { CsvTokenizer, FIELD_ESCAPED, FIELD_PLAIN, FIELD_QUOTED } from '../../server/src/accounting/csv';
import { classifyReply, maskReply, ReplyCodes } from '../../server/src/accounting/replies';
import { isoTime, parseTimeText } from '../../server/src/accounting/time';
import { renderText, reportOnTexts, ReportBuilder, type Report, type ReportOptions } from '../../server/src/accounting';
import { decodeBytes, encodeText } from '../../server/src/accounting/bytes';
import { ACCOUNTING_COLUMNS, generateAccounting, type ExpectedReport } from '../../bench/accounting';
import { rng } from '../../bench/generate';
import { ROOT } from '../helpers/util';

// ---------------------------------------------------------------------------------------------
// the CSV tokenizer

interface Rec {
  line: number;
  fields: string[];
  quoting: number[];
}

/** Every record (or `malformed@line`) the tokenizer gives for these chunks. */
function tokenize(chunks: Array<string | Uint8Array>): Array<Rec | string> {
  const out: Array<Rec | string> = [];
  const dec = new TextDecoder();
  const t: CsvTokenizer = new CsvTokenizer({
    record(buf, count, line) {
      const fields: string[] = [];
      const quoting: number[] = [];
      for (let i = 0; i < count; i++) {
        fields.push(dec.decode(buf.subarray(t.starts[i], t.ends[i])));
        quoting.push(t.quoting[i]);
      }
      out.push({ line, fields, quoting });
    },
    malformed(line) {
      out.push(`malformed@${line}`);
    },
  });
  for (const c of chunks) t.push(typeof c === 'string' ? encodeText(c) : c);
  t.end();
  return out;
}

/** The bytes of a text cut into pieces of 1, 2, 3… bytes, in turn. */
function pieces(text: string, sizes: number[]): Uint8Array[] {
  const bytes = encodeText(text);
  const out: Uint8Array[] = [];
  for (let i = 0, k = 0; i < bytes.length; k++) {
    const n = sizes[k % sizes.length];
    out.push(bytes.slice(i, i + n));
    i += n;
  }
  return out;
}

const TRICKY = 'a,b\n"x,1","he said ""hi""",\n"multi\nline",z\r\n\r\n"q"r,s\nc,"\r\n"\nlast,1';
const TRICKY_RECORDS: Array<Rec | string> = [
  { line: 1, fields: ['a', 'b'], quoting: [FIELD_PLAIN, FIELD_PLAIN] },
  { line: 2, fields: ['x,1', 'he said ""hi""', ''], quoting: [FIELD_QUOTED, FIELD_ESCAPED, FIELD_PLAIN] },
  { line: 3, fields: ['multi\nline', 'z'], quoting: [FIELD_QUOTED, FIELD_PLAIN] },
  // line 5 is empty: no record
  'malformed@6',
  { line: 7, fields: ['c', '\r\n'], quoting: [FIELD_PLAIN, FIELD_QUOTED] },
  { line: 9, fields: ['last', '1'], quoting: [FIELD_PLAIN, FIELD_PLAIN] },
];

test('csv: quoted fields with commas, doubled quotes and line breaks; CRLF; an empty line; a quote closed too early; a last line without its break', () => {
  assert.deepEqual(tokenize([TRICKY]), TRICKY_RECORDS);
});

test('csv: the same records whatever the chunks (every cut, down to one byte)', () => {
  for (const sizes of [[1], [2], [3], [1, 5, 2], [7, 1]])
    assert.deepEqual(tokenize(pieces(TRICKY, sizes)), TRICKY_RECORDS, `chunks of ${sizes}`);
});

test('csv: a record cut by a chunk whose first line break lies inside quotes', () => {
  assert.deepEqual(tokenize(['a,"x', '\ny\nz",b\nc,d\n']), [
    { line: 1, fields: ['a', 'x\ny\nz', 'b'], quoting: [FIELD_PLAIN, FIELD_QUOTED, FIELD_PLAIN] },
    { line: 4, fields: ['c', 'd'], quoting: [FIELD_PLAIN, FIELD_PLAIN] },
  ]);
  assert.deepEqual(tokenize(['a,"x', '"', '"', '",b\r', '\nc,d']), [
    { line: 1, fields: ['a', 'x""', 'b'], quoting: [FIELD_PLAIN, FIELD_ESCAPED, FIELD_PLAIN] },
    { line: 2, fields: ['c', 'd'], quoting: [FIELD_PLAIN, FIELD_PLAIN] },
  ]);
});

test('csv: a quote never closed loses its record at the end of the input', () => {
  assert.deepEqual(tokenize(['a,b\nc,"d,e\nf\n']), [{ line: 1, fields: ['a', 'b'], quoting: [0, 0] }, 'malformed@2']);
});

test('csv: a quote never closed in a huge file drops one line and reading goes on', () => {
  const filler = ('x'.repeat(99) + '\n').repeat(12000); // 1.2 MB: longer than any record
  const out = tokenize(['h,1\n"open,2\n', filler, 'a,b\n']);
  assert.deepEqual(out[0], { line: 1, fields: ['h', '1'], quoting: [0, 0] });
  assert.equal(out[1], 'malformed@2');
  assert.equal(out.length, 2 + 12000 + 1);
  assert.deepEqual(out[out.length - 1], { line: 12003, fields: ['a', 'b'], quoting: [0, 0] });
});

test('csv: a line longer than any record is one malformed record at its own line, whatever its length, read in chunks', () => {
  const chunked = (text: string, size: number) => {
    const bytes = encodeText(text);
    const out: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
    return out;
  };
  for (const length of [3_000_000, 30_000_000]) {
    const text = 'h,1\n' + 'a'.repeat(length) + '\nd,2\nd,3\n';
    assert.deepEqual(
      tokenize(chunked(text, 65536)),
      [
        { line: 1, fields: ['h', '1'], quoting: [0, 0] },
        'malformed@2',
        { line: 3, fields: ['d', '2'], quoting: [0, 0] },
        { line: 4, fields: ['d', '3'], quoting: [0, 0] },
      ],
      `${length} bytes`,
    );
  }
  // after a quote left open: the quote's line, then the long line, each once
  const open = 'h,1\n"open,2\n' + 'a'.repeat(3_000_000) + '\nd,3\n';
  assert.deepEqual(tokenize(chunked(open, 65536)), [
    { line: 1, fields: ['h', '1'], quoting: [0, 0] },
    'malformed@2',
    'malformed@3',
    { line: 4, fields: ['d', '3'], quoting: [0, 0] },
  ]);
  // the long line last, without its line break
  assert.deepEqual(tokenize(chunked('h,1\n' + 'a'.repeat(3_000_000), 65536)), [
    { line: 1, fields: ['h', '1'], quoting: [0, 0] },
    'malformed@2',
  ]);
  // in a whole report: the rows after it are counted, not blamed
  const b = new ReportBuilder();
  const f = b.file('ll.csv');
  const rows = 'd,2026-11-30 10:00:00Z,u@hotmail.com,smtp;250 ok,203.0.113.1\n';
  for (const c of chunked(`type,timeLogged,rcpt,dsnDiag,dlvSourceIp\n${'a'.repeat(3_000_000)}\n${rows}${rows}`, 65536))
    f.push(c);
  f.end();
  const file = b.report().files[0];
  assert.deepEqual([file.records, file.skipped, file.skippedLines, file.error], [2, 1, [2], undefined]);
});

test('csv: a row wider than the initial room keeps all its fields', () => {
  const row = Array.from({ length: 300 }, (_, i) => (i % 2 ? `"f,${i}"` : `f${i}`)).join(',');
  const [rec] = tokenize([row + '\n']) as Rec[];
  assert.equal(rec.fields.length, 300);
  assert.equal(rec.fields[299], 'f,299');
  assert.equal(rec.fields[298], 'f298');
});

// ---------------------------------------------------------------------------------------------
// reply codes and times

test('reply codes: the most specific code the knowledge base explains', () => {
  const cases: Array<[string, string, string | undefined, string | undefined]> = [
    // reply, code, entry id, effect
    [
      "smtp;550 5.7.1 Unfortunately, messages from [203.0.113.1] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3140).",
      'S3140',
      'S3150',
      'block',
    ],
    ['550 5.7.1 ... part of their network is on our block list (AS3150)', 'AS3150', 'S3150', 'block'],
    [
      '451 4.7.650 The mail server [203.0.113.3] has been temporarily rate limited due to IP reputation. (S775)',
      'S775',
      '4.7.650',
      'throttle',
    ],
    ['550 5.7.606 Access denied, banned sending IP [203.0.113.2]. (AS16012609)', '5.7.606', '5.7.606-649', 'block'],
    ['550 5.7.612 Access denied, banned sending IP [203.0.113.2]', '5.7.612', '5.7.606-649', 'block'],
    [
      '421 RP-001 (BAY004-MC1F41) Unfortunately, some messages from 203.0.113.3 were not sent.',
      'RP-001',
      'RP-001',
      'throttle',
    ],
    ['550 SC-004 Mail rejected by Outlook.com for policy reasons.', 'SC-004', 'SC-004', 'block'],
    ['451 4.7.500 Server busy. Please try again later from [203.0.113.4]. (AS761)', '4.7.500', '4.7.500', 'throttle'],
    ['451 4.7.0 Temporary server error. Please try again later. PRX4', 'PRX4', 'PRX4', undefined],
    ['550 5.5.0 Requested action not taken: mailbox unavailable', '5.5.0', '5.5.0', undefined],
    [
      '550 5.7.515 Access denied, sending domain [EXAMPLE.COM] does not meet the required authentication level.',
      '5.7.515',
      '5.7.515',
      undefined,
    ],
    ['421 4.4.1 Connection timed out', '4.4.1', undefined, undefined],
    // the S-code only when bracketed; an unknown tag is no code
    ['550 5.7.1 rule S3150 matched (S99999)', '5.7.1', '5.7.1', undefined],
    ['421 Service not available, closing channel', '421', undefined, undefined],
    ['connection refused by 203.0.113.9', 'unknown', undefined, undefined],
  ];
  for (const [text, code, entry, effect] of cases) {
    const r = classifyReply(text);
    assert.deepEqual([r.code, r.entry?.id, r.effect], [code, entry, effect], text);
  }
});

test('reply codes: the variable parts in brackets are blanked for the cache, and bytes and text agree', () => {
  assert.equal(
    maskReply('550 5.7.606 banned sending IP [203.0.113.2]. [BN3P.prod.outlook.com 2025-02-20T14:30:32Z] (AS16012609)'),
    '550 5.7.606 banned sending IP []. [] (AS16012609)',
  );
  assert.equal(maskReply('a [never closed (S3150)'), 'a [never closed (S3150)');
  const codes = new ReplyCodes();
  const text = '550 5.7.1 Unfortunately, messages from [203.0.113.1] weren""t sent ... block list (S3150). [X 2026]';
  const bytes = encodeText(`x${text}y`);
  const a = codes.ofBytes(bytes, 1, bytes.length - 1, true);
  const b = codes.ofBytes(bytes, 1, bytes.length - 1, true);
  assert.equal(a, b, 'the second time from the cache');
  assert.equal(a.code, 'S3150');
  assert.equal(codes.ofText(text.replace(/""/g, '"')).code, 'S3150');
});

test('times: Unix times, PowerMTA local times with their offset, ISO 8601', () => {
  const utc = Date.UTC(2026, 0, 15, 19, 23, 11);
  assert.equal(parseTimeText('2026-01-15 14:23:11-0500'), utc);
  assert.equal(parseTimeText('2026-01-15T19:23:11Z'), utc);
  assert.equal(parseTimeText('2026-01-15T20:53:11+01:30'), utc);
  assert.equal(parseTimeText('2026-01-15 19:23:11'), utc);
  assert.equal(parseTimeText(String(utc / 1000)), utc);
  assert.equal(parseTimeText('2026-01-15T19:23:11.250Z'), utc + 250);
  assert.equal(parseTimeText('2026-01-15'), Date.UTC(2026, 0, 15));
  for (const bad of ['', 'yesterday', '2026-13-01', '2026-01-15 25:00', '2026-01-15 10:00:00+5', '15/01/2026'])
    assert.ok(Number.isNaN(parseTimeText(bad)), bad);
  // dates and times that do not exist are no time, never rolled over into the next day or month
  for (const bad of [
    '2026-02-29',
    '2026-02-30 10:00:00',
    '2100-02-29',
    '2026-04-31',
    '2026-01-15 24:00',
    '2026-01-15 24:59:00',
    '2026-01-15 10:60',
    '2026-01-15 10:00:61',
    '2026-01-15 10:00:00+2400',
    '2026-01-15 10:00:00-05:60',
    '9999999999999999',
    '8640000000001',
  ])
    assert.ok(Number.isNaN(parseTimeText(bad)), bad);
  assert.equal(parseTimeText('2028-02-29 10:00:00'), Date.UTC(2028, 1, 29, 10));
  assert.equal(parseTimeText('8640000000000'), 8.64e15, 'the last time a Date holds');
  assert.equal(parseTimeText('2000-02-29'), Date.UTC(2000, 1, 29));
  assert.equal(parseTimeText('2026-04-30 23:59:59+0000'), Date.UTC(2026, 3, 30, 23, 59, 59));
  assert.equal(parseTimeText('2026-01-15 10:00:00+2359'), Date.UTC(2026, 0, 14, 10, 1));
  assert.equal(parseTimeText('2026-01-15 10:00:00+05'), Date.UTC(2026, 0, 15, 5));
  assert.equal(isoTime(utc), '2026-01-15T19:23:11Z');
  assert.equal(isoTime(utc + 250), '2026-01-15T19:23:11.250Z');
});

// ---------------------------------------------------------------------------------------------
// whole reports on generated files

/** The report's figures in the shape of the generator's expectations. */
function figures(r: Report) {
  return {
    records: r.records,
    recipients: r.microsoft.recipients,
    codes: Object.fromEntries(
      r.microsoft.codes.map((c) => [
        c.code,
        {
          deferred: c.deferred,
          bounced: c.bounced,
          first: c.first,
          last: c.last,
          sourceIps: c.sourceIps,
          vmtas: c.vmtas,
        },
      ]),
    ),
    sourceIps: Object.fromEntries(
      r.microsoft.sourceIps.map((s) => [
        s.ip,
        {
          vmta: s.vmta,
          delivered: s.delivered,
          deferred: s.deferred,
          bounced: s.bounced,
          status: s.status,
          codes: s.codes,
        },
      ]),
    ),
    period: r.period,
  };
}

function expectedFigures(x: ExpectedReport) {
  return {
    records: x.records,
    recipients: x.recipients,
    codes: Object.fromEntries(
      Object.entries(x.codes).map(([code, c]) => [
        code,
        {
          deferred: c.deferred,
          bounced: c.bounced,
          first: isoTime(c.first),
          last: isoTime(c.last),
          sourceIps: c.sourceIps,
          vmtas: c.vmtas,
        },
      ]),
    ),
    sourceIps: x.sourceIps,
    period: { first: isoTime(x.first), last: isoTime(x.last) },
  };
}

/** A report on one text fed in chunks of these sizes. */
function reportInChunks(text: string, sizes: number[], name = 'acct.csv', options: ReportOptions = {}): Report {
  const b = new ReportBuilder(options);
  const f = b.file(name);
  for (const c of pieces(text, sizes)) f.push(c);
  f.end();
  return b.report();
}

const GEN = generateAccounting({ rows: 4000, garbageEvery: 600 });

test('generated CSV: every figure as constructed (records by type, Microsoft totals, codes with their first and last times, IPs and statuses, skipped rows)', () => {
  const r = reportOnTexts({ 'acct.csv': GEN.text });
  assert.deepEqual(figures(r), expectedFigures(GEN.expected));
  // the statuses the traffic was made for
  const status = Object.fromEntries(r.microsoft.sourceIps.map((s) => [s.ip, s.status]));
  assert.deepEqual(status, {
    '203.0.113.1': 'blocked',
    '203.0.113.2': 'blocked',
    '203.0.113.3': 'throttled',
    '203.0.113.4': 'throttled',
    '203.0.113.5': 'ok',
    '203.0.113.6': 'ok',
    '203.0.113.7': 'ok',
    '203.0.113.8': 'ok',
  });
  const f = r.files[0];
  assert.deepEqual(
    {
      format: f.format,
      records: f.records,
      skipped: f.skipped,
      skippedLines: f.skippedLines,
      missing: f.missingColumns,
    },
    { format: 'csv', records: 4000, skipped: 6, skippedLines: GEN.expected.skippedLines, missing: [] },
  );
  assert.deepEqual(r.warnings, []);
});

test('generated CSV over a day: the hourly figures, per hour and per code, as constructed; hours without deferrals or bounces left out', () => {
  const g = generateAccounting({ rows: 3000, step: 60000, seed: 7 });
  const r = reportOnTexts({ 'acct.csv': g.text });
  const expected = new Map<
    number,
    { deferred: number; bounced: number; codes: Record<string, { deferred: number; bounced: number }> }
  >();
  for (const [code, c] of Object.entries(g.expected.codes)) {
    for (const [hour, n] of Object.entries(c.hours)) {
      let h = expected.get(Number(hour));
      if (!h) expected.set(Number(hour), (h = { deferred: 0, bounced: 0, codes: {} }));
      h.deferred += n.deferred;
      h.bounced += n.bounced;
      h.codes[code] = n;
    }
  }
  assert.ok(expected.size > 20, `${expected.size} hours`);
  assert.deepEqual(
    r.microsoft.hourly,
    [...expected.entries()].sort((a, b) => a[0] - b[0]).map(([hour, h]) => ({ hour: isoTime(hour), ...h })),
  );
  // every deferral and bounce to Microsoft is in some hour
  assert.equal(
    r.microsoft.hourly.reduce((n, h) => n + h.deferred, 0),
    g.expected.recipients.deferred,
  );
  assert.equal(
    r.microsoft.hourly.reduce((n, h) => n + h.bounced, 0),
    g.expected.recipients.bounced,
  );
  // records without a time count everywhere but in the hours
  const noTime = reportOnTexts({ 'n.csv': 'type,rcpt,dsnDiag\nb,a@hotmail.com,550 5.7.606 banned\n' });
  assert.deepEqual([noTime.microsoft.codes[0].bounced, noTime.microsoft.hourly], [1, []]);
});

test('generated CSV: blocked IPs come with the removal path of each block code', () => {
  const r = reportOnTexts({ 'acct.csv': GEN.text });
  const removal = Object.fromEntries(r.microsoft.sourceIps.map((s) => [s.ip, s.removal.map((x) => x.code)]));
  assert.deepEqual(removal['203.0.113.1'], ['S3140', 'S3150']);
  assert.deepEqual(removal['203.0.113.2'], ['5.7.606']);
  assert.deepEqual(removal['203.0.113.3'], []);
  const ip2 = r.microsoft.sourceIps.find((s) => s.ip === '203.0.113.2')!;
  assert.match(ip2.removal[0].how, /sender\.office\.com/);
  const s3140 = r.microsoft.codes.find((c) => c.code === 'S3140')!;
  assert.equal(s3140.effect, 'block');
  assert.equal(s3140.category, 'block');
  assert.match(
    s3140.example,
    /^smtp;550 5\.7\.1 Unfortunately, messages from \[203\.0\.113\.1\] weren't sent\..*\(S3140\)/,
  );
});

test('generated CSV: the same report whatever the chunks', () => {
  const whole = JSON.stringify(reportOnTexts({ 'acct.csv': GEN.text }));
  const r = rng(5);
  const sizes = Array.from({ length: 50 }, () => 1 + Math.floor(r() * 5000));
  assert.equal(JSON.stringify(reportInChunks(GEN.text, sizes)), whole);
  const small = generateAccounting({ rows: 150, garbageEvery: 40 });
  const smallWhole = JSON.stringify(reportOnTexts({ 'acct.csv': small.text }));
  assert.equal(JSON.stringify(reportInChunks(small.text, [1])), smallWhole, 'one byte at a time');
  assert.equal(JSON.stringify(reportInChunks(small.text, [3, 1, 2])), smallWhole);
});

test('generated CSV with CRLF line ends: the same figures', () => {
  const g = generateAccounting({ rows: 2000, garbageEvery: 500, crlf: true, seed: 3 });
  assert.match(g.text.slice(0, 300), /\r\n/);
  const r = reportOnTexts({ 'acct.csv': g.text });
  assert.deepEqual(figures(r), expectedFigures(g.expected));
  assert.deepEqual(r.files[0].skippedLines, g.expected.skippedLines);
});

test('generated JSON records, one per line: the same figures; bad lines skipped with their numbers', () => {
  const g = generateAccounting({ rows: 2000, garbageEvery: 450, format: 'json', seed: 4 });
  const r = reportOnTexts({ 'acct.json': g.text });
  assert.deepEqual(figures(r), expectedFigures(g.expected));
  assert.equal(r.files[0].format, 'json');
  assert.deepEqual(r.files[0].skippedLines, g.expected.skippedLines);
  assert.equal(r.files[0].skipped, 4);
  // and in chunks
  assert.equal(JSON.stringify(reportInChunks(g.text, [977, 13, 1], 'acct.json')), JSON.stringify(r));
});

test('columns in another order (record-fields): the same figures', () => {
  const columns = [...ACCOUNTING_COLUMNS];
  const r0 = rng(11);
  for (let i = columns.length - 1; i > 0; i--) {
    const j = Math.floor(r0() * (i + 1));
    [columns[i], columns[j]] = [columns[j], columns[i]];
  }
  assert.notEqual(columns[0], 'type');
  const g = generateAccounting({ rows: 2000, columns, seed: 6 });
  const r = reportOnTexts({ 'acct.csv': g.text });
  assert.deepEqual(figures(r), expectedFigures(g.expected));
});

test('a subset of the columns, without dsnDiag: codes from dsnStatus alone, and a warning says so', () => {
  const columns = ['type', 'timeLogged', 'rcpt', 'dsnStatus', 'dsnMta', 'dlvSourceIp', 'vmta'];
  const g = generateAccounting({ rows: 3000, columns, seed: 8 });
  const r = reportOnTexts({ 'sub.csv': g.text });
  const x = g.expected;
  assert.deepEqual(r.records, x.records);
  assert.deepEqual(r.microsoft.recipients, x.recipients);
  assert.deepEqual(r.files[0].missingColumns, ['dsnDiag']);
  assert.deepEqual(r.warnings, [
    'sub.csv: no dsnDiag column: codes come from dsnStatus alone (enhanced status codes, no Microsoft codes such as RP-001 or S3140)',
  ]);
  const counts = Object.fromEntries(r.microsoft.codes.map((c) => [c.code, c.count]));
  const n = (code: string) => x.codes[code].deferred + x.codes[code].bounced;
  assert.deepEqual(counts, {
    '5.7.1': n('S3140') + n('S3150'),
    '5.7.606': n('5.7.606'),
    '4.0.0': n('RP-001'),
    '4.7.650': n('S775'),
    '4.7.500': n('4.7.500'),
    '5.5.0': n('5.5.0'),
    '4.4.1': n('4.4.1'),
  });
  // 5.7.1 alone is too generic to call the IP blocked; 5.7.606 still is a block
  const status = Object.fromEntries(r.microsoft.sourceIps.map((s) => [s.ip, s.status]));
  assert.equal(status['203.0.113.1'], 'ok');
  assert.equal(status['203.0.113.2'], 'blocked');
  assert.equal(status['203.0.113.3'], 'throttled');
});

test('no dlvSourceIp or vmta column: no source IP or virtual MTA table, and warnings say so', () => {
  const g = generateAccounting({
    rows: 1500,
    columns: ACCOUNTING_COLUMNS.filter((c) => c !== 'dlvSourceIp' && c !== 'vmta'),
    seed: 9,
  });
  const r = reportOnTexts({ 'a.csv': g.text });
  assert.deepEqual(r.microsoft.sourceIps, []);
  assert.deepEqual(r.microsoft.vmtas, []);
  assert.deepEqual(r.microsoft.recipients, g.expected.recipients);
  assert.deepEqual(r.files[0].missingColumns, ['dlvSourceIp', 'vmta']);
  assert.deepEqual(r.warnings, [
    'a.csv: no dlvSourceIp column: its records are not in the source IP table',
    'a.csv: no vmta column: its records are not in the virtual MTA table',
  ]);
  assert.deepEqual(r.microsoft.codes.find((c) => c.code === 'S3140')?.sourceIps, {});
});

// ---------------------------------------------------------------------------------------------
// small files written out by hand

const HEADER = 'type,timeLogged,rcpt,dsnStatus,dsnDiag,dsnMta,dlvSourceIp,vmta,header_List-Unsubscribe';
const S3140 = `"smtp;550 5.7.1 Unfortunately, messages from [203.0.113.1] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3140)."`;
const RP001 =
  '"smtp;421 RP-001 The mail server IP connecting to Outlook.com server has exceeded the rate limit allowed. Reason for rate limitation is related to IP/domain reputation."';
const ROWS = [
  HEADER,
  'd,2026-01-15 10:00:00+0000,a@hotmail.com,2.0.0 (success),smtp;250 2.6.0 Queued,hotmail-com.olc.protection.outlook.com (52.101.1.1),203.0.113.1,mta1,"<mailto:u@x.com?subject=unsub,1>, <https://x.com/u>"',
  `b,2026-01-15 10:05:00+0000,b@outlook.com,5.7.1 (delivery not authorized),${S3140},outlook-com.olc.protection.outlook.com (52.101.1.2),203.0.113.1,mta1,`,
  `t,2026-01-15 10:10:00+0000,c@live.com,4.0.0 (undefined status),${RP001},live-com.olc.protection.outlook.com (52.101.1.3),203.0.113.2,mta2,`,
  // a domain of its own hosted by Outlook.com: Microsoft by its MX host
  'd,2026-01-15 10:15:00+0000,d@family-example.net,2.0.0 (success),smtp;250 OK,family-example-net.olc.protection.outlook.com (52.101.9.9),203.0.113.2,mta2,',
  // a Microsoft 365 tenant and another provider: not Microsoft consumer mail
  `b,2026-01-15 10:20:00+0000,e@contoso.com,5.7.606 (refused),"smtp;550 5.7.606 Access denied, banned sending IP [203.0.113.2]",contoso-com.mail.protection.outlook.com (52.101.40.1),203.0.113.2,mta2,`,
  'd,2026-01-15 10:25:00+0000,f@gmail.com,2.0.0 (success),smtp;250 2.0.0 OK,gmail-smtp-in.l.google.com (142.250.1.1),203.0.113.3,mta3,',
  'r,2026-01-15 10:30:00+0000,g@example.com,,,,,,',
];

test('a small file: Microsoft recipients by domain or MX host, unknown columns ignored, codes and statuses', () => {
  const r = reportOnTexts({ 'small.csv': ROWS.join('\n') + '\n' });
  assert.deepEqual(r.records, { d: 3, b: 2, t: 1, tq: 0, r: 1, f: 0, rb: 0, rs: 0 });
  assert.deepEqual(r.microsoft.recipients, { delivered: 2, deferred: 1, bounced: 1 });
  assert.deepEqual(
    r.microsoft.codes.map((c) => [c.code, c.deferred, c.bounced, c.first, c.last, c.effect]),
    [
      ['RP-001', 1, 0, '2026-01-15T10:10:00Z', '2026-01-15T10:10:00Z', 'throttle'],
      ['S3140', 0, 1, '2026-01-15T10:05:00Z', '2026-01-15T10:05:00Z', 'block'],
    ],
  );
  assert.deepEqual(
    r.microsoft.sourceIps.map((s) => [s.ip, s.vmta, s.delivered, s.deferred, s.bounced, s.status]),
    [
      ['203.0.113.1', 'mta1', 1, 0, 1, 'blocked'],
      ['203.0.113.2', 'mta2', 1, 1, 0, 'throttled'],
    ],
  );
  assert.deepEqual(r.period, { first: '2026-01-15T10:00:00Z', last: '2026-01-15T10:30:00Z' });
  assert.deepEqual(r.files, [
    {
      file: 'small.csv',
      format: 'csv',
      records: 7,
      skipped: 0,
      skippedLines: [],
      outsideRange: 0,
      unreadableTime: 0,
      unreadableTimeLines: [],
      missingColumns: [],
    },
  ]);
});

test('a truncated last line is skipped and counted; a complete last line without its line break is read', () => {
  const cut = ROWS.slice(0, 3).join('\n') + '\n' + ROWS[3].slice(0, 90);
  const r = reportOnTexts({ 'cut.csv': cut });
  assert.deepEqual(r.files[0].skippedLines, [4]);
  assert.equal(r.files[0].records, 2);
  // cut inside the quoted reply: the quote never closes
  const inQuote = ROWS.slice(0, 2).join('\n') + '\n' + ROWS[2].slice(0, ROWS[2].indexOf('Unfortunately'));
  const r2 = reportOnTexts({ 'cut.csv': inQuote });
  assert.deepEqual([r2.files[0].records, r2.files[0].skippedLines], [1, [3]]);
  const whole = reportOnTexts({ 'ok.csv': ROWS.slice(0, 3).join('\n') });
  assert.deepEqual([whole.files[0].records, whole.files[0].skipped, whole.microsoft.recipients.bounced], [2, 0, 1]);
});

test('garbage rows are skipped and counted with their line numbers (multi-line records counted right)', () => {
  const text = [
    HEADER,
    ROWS[1],
    'this is not a record',
    `b,2026-01-15 10:05:00+0000,b@outlook.com,5.7.1,"smtp;550-5.7.1 Unfortunately, messages from [203.0.113.1] weren't sent.\n550 5.7.1 part of their network is on our block list (S3150).",x,203.0.113.1,mta1,`,
    'x,2026-01-15 10:00:00+0000,a@hotmail.com,,,,,,',
    'd,"2026-01-15"junk,a@hotmail.com,,,,,,',
    ROWS[1],
  ].join('\n');
  const r = reportOnTexts({ 'g.csv': text });
  assert.deepEqual([r.files[0].records, r.files[0].skipped, r.files[0].skippedLines], [3, 3, [3, 6, 7]]);
  assert.equal(r.microsoft.codes[0].code, 'S3150');
  assert.equal(
    r.microsoft.codes[0].example,
    "smtp;550-5.7.1 Unfortunately, messages from [203.0.113.1] weren't sent.\n550 5.7.1 part of their network is on our block list (S3150).",
  );
});

test('a header row further down (rotated files concatenated) starts the columns again', () => {
  const second = [
    'type,vmta,dlvSourceIp,rcpt,dsnDiag,timeLogged',
    `b,mta9,203.0.113.9,z@msn.com,${S3140},2026-01-16 00:00:00+0000`,
  ];
  const r = reportOnTexts({ 'cat.csv': [...ROWS, ...second].join('\n') + '\n' });
  assert.equal(r.files[0].records, 8);
  assert.equal(r.files[0].skipped, 0);
  const ip9 = r.microsoft.sourceIps.find((s) => s.ip === '203.0.113.9');
  assert.deepEqual([ip9?.vmta, ip9?.status, ip9?.bounced], ['mta9', 'blocked', 1]);
  assert.deepEqual(r.files[0].missingColumns, ['dsnStatus', 'dsnMta'], 'the columns a header lacked');
});

test('a byte order mark, blank lines at the start, quoted header names', () => {
  const text =
    '\ufeff\n\n"type","timeLogged","rcpt","dlvSourceIp"\r\nd,2026-01-15 10:00:00Z,a@hotmail.com,203.0.113.1\r\n';
  const r = reportOnTexts({ 'bom.csv': text });
  assert.deepEqual([r.files[0].records, r.files[0].skipped, r.microsoft.recipients.delivered], [1, 0, 1]);
});

test('a first row that is not a CSV row (a quote not closed, a line over 1 MB, 600,000 columns) is named as such, not as a file without a header', () => {
  const r = reportOnTexts({
    'quote.csv': '"type,timeLogged,rcpt\nd,2026-01-15 10:00:00Z,a@hotmail.com\n',
    'inside.csv': '"type"x,timeLogged,rcpt\nd,2026-01-15 10:00:00Z,a@hotmail.com\n',
    'words.csv': 'hello,world\nd,2026-01-15 10:00:00Z,a@hotmail.com\n',
    // a first row of more columns than a record may have; a quote left open over more than 1 MB
    'wide.csv': 'type,timeLogged,' + 'x,'.repeat(600_000) + 'rcpt\nd,2026-01-15 10:00:00Z,a@hotmail.com\n',
    'open.csv': '"type,timeLogged\n' + 'd,2026-01-15 10:00:00Z,a@hotmail.com\n'.repeat(40_000),
  });
  // a first row longer than 1 MB, read in chunks of 64 KB as from a file
  const b = new ReportBuilder();
  const long = encodeText('type,timeLogged,' + 'x'.repeat(1_200_000) + '\nd,2026-01-15 10:00:00Z,a@hotmail.com\n');
  const f = b.file('long.csv');
  for (let i = 0; i < long.length; i += 65536) f.push(long.subarray(i, i + 65536));
  f.end();
  assert.deepEqual(
    b.report().files.map((x) => [x.file, x.error]),
    [
      [
        'long.csv',
        'not a PowerMTA accounting file: its first row, which should name the columns ("type", "timeLogged", …), is longer than 1 MB without a line break: no row of an accounting file is',
      ],
    ],
  );
  const unread =
    'not a PowerMTA accounting file: its first row, which should name the columns ("type", "timeLogged", …), could not be read (a quote in it is not closed where its field ends)';
  assert.deepEqual(
    r.files.map((f) => [f.file, f.error]),
    [
      ['quote.csv', unread],
      ['inside.csv', unread],
      ['words.csv', 'not a PowerMTA accounting file: no header row naming a "type" column, and no JSON records'],
      [
        'wide.csv',
        'not a PowerMTA accounting file: its first row, which should name the columns ("type", "timeLogged", …), has more than 4,096 columns: no accounting file has that many',
      ],
      ['open.csv', unread],
    ],
  );
});

test('not an accounting file: an error for it; an empty or blank file too, each with its reason', () => {
  const r = reportOnTexts({
    config: '<domain hotmail.com>\n  max-smtp-out 2\n</domain>\n',
    'empty.csv': '',
    'bom.csv': '\ufeff',
    'blank.csv': '\n  \r\n\t\n',
  });
  assert.equal(
    r.files[0].error,
    'not a PowerMTA accounting file: no header row naming a "type" column, and no JSON records',
  );
  assert.equal(r.files[0].skipped, 3);
  assert.deepEqual(r.files[1], {
    file: 'empty.csv',
    format: 'unknown',
    records: 0,
    skipped: 0,
    skippedLines: [],
    outsideRange: 0,
    unreadableTime: 0,
    unreadableTimeLines: [],
    missingColumns: [],
    error: 'not a PowerMTA accounting file: it is empty (no header row, no JSON record)',
  });
  assert.deepEqual(
    r.files.slice(2).map((f) => [f.file, f.format, f.error]),
    [
      ['bom.csv', 'unknown', 'not a PowerMTA accounting file: it is empty (no header row, no JSON record)'],
      [
        'blank.csv',
        'unknown',
        'not a PowerMTA accounting file: it holds only blank lines (no header row, no JSON record)',
      ],
    ],
  );
  // a header row and nothing else is an accounting file with no record yet
  assert.equal(reportOnTexts({ 'h.csv': 'type,timeLogged,rcpt\n' }).files[0].error, undefined);
});

test('bytes that are not UTF-8 are read as Latin-1, so names keep their letters; UTF-8 stays UTF-8', () => {
  const latin1 = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
  const dec = (b: Uint8Array) => decodeBytes(b, 0, b.length);
  assert.equal(dec(latin1('m\xe93')), 'm\u00e93');
  assert.equal(dec(encodeText('m\u00e93')), 'm\u00e93');
  // mixed in one long field (past the short path): each part as what it is
  const long = latin1('smtp;550 5.7.1 caf\xe9 ' + 'x'.repeat(40) + ' \xc3\xa9t\xe9 \xef\xbb\xbf\xff');
  assert.equal(dec(long), 'smtp;550 5.7.1 caf\u00e9 ' + 'x'.repeat(40) + ' \u00e9t\u00e9 \ufeff\u00ff');
  assert.equal(dec(latin1('\xef\xbb\xbf\xe9')), '\ufeff\u00e9', 'a byte order mark in a field is kept');
  // in a whole report, CSV and JSON
  const b = new ReportBuilder();
  const csv = b.file('l.csv');
  csv.push(latin1('type,timeLogged,rcpt,dsnDiag,dlvSourceIp,vmta\n'));
  csv.push(latin1('b,2026-01-15 10:00:00Z,a@hotmail.com,"smtp;550 5.7.1 r\xe9seau (S3140)",203.0.113.1,m\xe93\n'));
  csv.end();
  const json = b.file('l.json');
  json.push(
    latin1(
      '{"type":"d","timeLogged":1768471200,"rcpt":"a@hotmail.com","dlvSourceIp":"203.0.113.2","vmta":"\xfcber"}\n',
    ),
  );
  json.end();
  const r = b.report();
  assert.deepEqual(
    r.microsoft.vmtas.map((v) => v.vmta),
    ['m\u00e93', '\u00fcber'],
  );
  assert.equal(r.microsoft.codes[0].example, 'smtp;550 5.7.1 r\u00e9seau (S3140)');
});

test('a file compressed with bzip2, xz, zstd or zip is refused by its first bytes, whatever the chunks', () => {
  const head = (bytes: number[]) => Uint8Array.from([...bytes, ...encodeText('type,timeLogged\nd,1\n')]);
  const files: Array<[string, Uint8Array, string]> = [
    [
      'a.bz2',
      head([0x42, 0x5a, 0x68, 0x39, 0x31, 0x41, 0x59]),
      'bzip2, which the report does not read: decompress it first (bunzip2)',
    ],
    [
      'a.xz',
      head([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00]),
      'xz, which the report does not read: decompress it first (unxz)',
    ],
    [
      'a.zst',
      head([0x28, 0xb5, 0x2f, 0xfd, 0x24]),
      'zstd, which the report does not read: decompress it first (unzstd)',
    ],
    ['a.zip', head([0x50, 0x4b, 0x03, 0x04, 0x14]), 'zip, which the report does not read: decompress it first (unzip)'],
  ];
  for (const size of [1, 2, 5, 1 << 16]) {
    const b = new ReportBuilder();
    for (const [name, bytes] of files) {
      const f = b.file(name);
      for (let i = 0; i < bytes.length; i += size) f.push(bytes.subarray(i, i + size));
      f.end();
    }
    assert.deepEqual(
      b.report().files.map((f) => [f.file, f.records, f.skipped, f.error]),
      files.map(([name, , why]) => [name, 0, 0, `compressed with ${why}, or compress it with gzip`]),
      `chunks of ${size}`,
    );
  }
  // "BZh" without a block size is text like any other; a file shorter than a magic number is read
  const r = reportOnTexts({ 'bzh.csv': 'BZh,type\n', 'short.csv': 'type' });
  assert.deepEqual(
    r.files.map((f) => [f.format, f.error]),
    [
      ['csv', undefined],
      ['csv', undefined],
    ],
  );
});

test('JSON that holds no record is no accounting file; a record written over several lines is named as such', () => {
  const r = reportOnTexts({
    'other.json': '{"a":1}\n',
    'types.json': '{"type":"zz"}\n[1]\n',
    'pretty.json': '{\n  "type": "d",\n  "rcpt": "a@hotmail.com"\n}\n',
    'pretty2.json': '  {"type": "d",\n  "rcpt": "a@hotmail.com"}\n',
    'one.json': '{"a":1}\n{"type":"d","rcpt":"a@hotmail.com"}\n',
  });
  const none =
    'not a PowerMTA accounting file: no JSON record in it (an object with a "type" such as "d" or "b", one per line)';
  const split =
    'not a PowerMTA accounting file: its first JSON record spans several lines: records must be one per line (JSON Lines)';
  assert.deepEqual(
    r.files.map((f) => [f.file, f.format, f.records, f.skipped, f.error]),
    [
      ['other.json', 'json', 0, 1, none],
      ['types.json', 'json', 0, 2, none],
      ['pretty.json', 'json', 0, 4, split],
      ['pretty2.json', 'json', 0, 2, split],
      ['one.json', 'json', 1, 1, undefined],
    ],
  );
});

test('--since / --until: records outside the range are left out of every figure and counted per file', () => {
  const options = { since: Date.UTC(2026, 0, 15, 10, 5), until: Date.UTC(2026, 0, 15, 10, 20) };
  const r = reportOnTexts({ 'small.csv': ROWS.join('\n') + '\n' }, options);
  assert.deepEqual(r.records, { d: 1, b: 1, t: 1, tq: 0, r: 0, f: 0, rb: 0, rs: 0 });
  assert.deepEqual(r.microsoft.recipients, { delivered: 1, deferred: 1, bounced: 1 });
  assert.deepEqual([r.files[0].records, r.files[0].outsideRange], [7, 4]);
  assert.deepEqual(r.period, { first: '2026-01-15T10:05:00Z', last: '2026-01-15T10:15:00Z' });
  // without a timeLogged column the range leaves everything out, and says why
  const noTime = reportOnTexts({ 'nt.csv': 'type,rcpt\nd,a@hotmail.com\n' }, options);
  assert.deepEqual([noTime.files[0].outsideRange, noTime.records.d], [1, 0]);
  assert.deepEqual(noTime.warnings, [
    'nt.csv: no timeLogged column: its records have no time, so the time range leaves them all out',
    'nt.csv: no dsnDiag or dsnStatus column: the codes of its deferrals and bounces cannot be computed, nor whether its source IPs are blocked or throttled',
    'nt.csv: no dlvSourceIp column: its records are not in the source IP table',
    'nt.csv: no vmta column: its records are not in the virtual MTA table',
  ]);
});

test('a record whose time cannot be read is counted and named; a time range leaves it out, not as outside the range', () => {
  const csv = [
    'type,timeLogged,rcpt',
    'd,2026-02-30 10:00:00,a@hotmail.com',
    'd,2026-02-28 24:59:00,a@hotmail.com',
    'd,,a@hotmail.com',
    'd,2026-02-28 10:00:00,a@hotmail.com',
    'd,2026-01-01 10:00:00,a@hotmail.com',
  ].join('\n');
  const json = [
    '{"type":"d","timeLogged":"2026-02-31 10:00:00","rcpt":"a@hotmail.com"}',
    '{"type":"d","timeLogged":1e20,"rcpt":"a@hotmail.com"}',
    '{"type":"d","timeLogged":true,"rcpt":"a@hotmail.com"}',
    '{"type":"d","timeLogged":null,"rcpt":"a@hotmail.com"}',
    '{"type":"d","rcpt":"a@hotmail.com"}',
    '{"type":"d","timeLogged":1772272800,"rcpt":"a@hotmail.com"}',
  ].join('\n');
  const files = { 't.csv': csv, 't.json': json };
  const shape = (r: Report) =>
    r.files.map((f) => [f.records, f.unreadableTime, f.unreadableTimeLines, f.outsideRange, f.skipped]);
  const all = reportOnTexts(files);
  assert.deepEqual(shape(all), [
    [5, 2, [2, 3], 0, 0],
    [6, 3, [1, 2, 3], 0, 0],
  ]);
  // without a range they are in the figures, without a time
  assert.equal(all.records.d, 11);
  assert.deepEqual(all.period, { first: '2026-01-01T10:00:00Z', last: '2026-02-28T10:00:00Z' });
  assert.equal(
    renderText(all).split('\n')[1],
    '  t.csv: 5 records (csv), 2 records whose time cannot be read (lines 2, 3)',
  );
  // with a range: left out, and said so; the records without a time (empty, null, absent) are outside it
  const ranged = reportOnTexts(files, { since: Date.UTC(2026, 1, 1) });
  assert.deepEqual(shape(ranged), [
    [5, 2, [2, 3], 2, 0],
    [6, 3, [1, 2, 3], 2, 0],
  ]);
  assert.equal(ranged.records.d, 2);
  assert.deepEqual(
    ranged.warnings.filter((w) => w.includes('cannot be read')),
    [
      't.csv: 2 records whose time cannot be read are left out by the time range',
      't.json: 3 records whose time cannot be read are left out by the time range',
    ],
  );
});

test('JSON records: bad JSON, a non-object, an unknown type are skipped with their lines; numbers as Unix times', () => {
  const text = [
    '{"type":"d","timeLogged":1768471200,"rcpt":"a@hotmail.com","dlvSourceIp":"203.0.113.1","vmta":"mta1"}',
    '{"type":"b","rcpt":"b@hotmail.com","dsnDiag":"smtp;550 5.7.606 Access denied, banned sending IP [203.0.113.1]","dlvSourceIp":"203.0.113.1"',
    '[1,2]',
    '',
    '{"type":"zz"}',
    '{"type":"t","timeLogged":"2026-01-15 11:00:00+0000","rcpt":"c@outlook.com","dsnStatus":"4.4.1 (no answer from host)","dlvSourceIp":"203.0.113.1","vmta":"mta1"}',
  ].join('\n');
  const r = reportOnTexts({ 'a.json': text });
  assert.deepEqual([r.files[0].format, r.files[0].records, r.files[0].skippedLines], ['json', 2, [2, 3, 5]]);
  assert.deepEqual(r.period, { first: '2026-01-15T10:00:00Z', last: '2026-01-15T11:00:00Z' });
  assert.deepEqual(
    r.microsoft.codes.map((c) => [c.code, c.deferred, c.example]),
    [['4.4.1', 1, '4.4.1 (no answer from host)']],
  );
  assert.deepEqual(r.files[0].missingColumns, ['dsnDiag', 'dsnMta']);
});

test('several files make one report; each keeps its own figures', () => {
  const b = new ReportBuilder();
  for (const [name, text] of [
    ['a.csv', ROWS.join('\n')],
    ['b.csv', GEN.text],
  ]) {
    const f = b.file(name);
    f.push(text);
    f.end();
  }
  const r = b.report();
  assert.deepEqual(
    r.files.map((f) => [f.file, f.records]),
    [
      ['a.csv', 7],
      ['b.csv', 4000],
    ],
  );
  assert.equal(r.microsoft.recipients.delivered, GEN.expected.recipients.delivered + 2);
});

// ---------------------------------------------------------------------------------------------
// the engine runs in a browser too

test('the engine imports no Node module (it must run in the web extension): only its own files, the knowledge base and the shared low-level modules', () => {
  const dir = path.join(ROOT, 'server', 'src', 'accounting');
  for (const name of fs.readdirSync(dir)) {
    const text = fs.readFileSync(path.join(dir, name), 'utf8');
    for (const m of text.matchAll(/^(?:import|export)\b[^;]*?from '([^']+)'/gm)) {
      assert.match(m[1], /^\.\/|^\.\.\/knowledge\/(microsoft|values)$|^\.\.\/util\/[a-z]+$/, `${name} imports ${m[1]}`);
    }
    assert.doesNotMatch(text, /\brequire\(|\bprocess\.|\bBuffer\.|\bnew Buffer\b/, name);
  }
});
