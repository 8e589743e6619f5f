/**
 * The delivery report's renderers: the text output in full for a small file, Markdown and HTML with
 * hostile names from the file (escaped; the HTML loads nothing), and the JSON checked against its
 * published JSON Schema (schemas/report.schema.json) on real reports of every shape.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import {
  renderHtml,
  renderMarkdown,
  renderReport,
  renderText,
  reportOnTexts,
  type Report,
} from '../../server/src/accounting';
import { ACCOUNTING_COLUMNS, generateAccounting } from '../../bench/accounting';
import { MICROSOFT_REMOVAL_WORDS, MICROSOFT_SYSTEM_WORDS } from '../../server/src/knowledge/microsoft';
import { ROOT } from '../helpers/util';

const S3140 = `"smtp;550 5.7.1 Unfortunately, messages from [203.0.113.1] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3140)."`;
const RP001 =
  '"smtp;421 RP-001 The mail server IP connecting to Outlook.com server has exceeded the rate limit allowed. Reason for rate limitation is related to IP/domain reputation."';

/** A small file: one blocked IP, one throttled, one whose virtual MTA name is hostile, a garbage row. */
function small(vmta3 = 'mta3'): Report {
  const text = [
    'type,timeLogged,rcpt,dsnStatus,dsnDiag,dsnMta,dlvSourceIp,vmta',
    'd,2026-01-15 10:00:00+0000,a@hotmail.com,2.0.0,smtp;250 ok,x,203.0.113.1,mta1',
    `b,2026-01-15 10:05:00+0000,b@outlook.com,5.7.1,${S3140},x,203.0.113.1,mta1`,
    `t,2026-01-15 10:10:00+0000,c@live.com,4.0.0,${RP001},x,203.0.113.2,mta2`,
    'garbage line',
    `t,2026-01-15 10:20:00+0000,c@msn.com,4.4.1 (no answer from host),,,203.0.113.3,"${vmta3.replace(/"/g, '""')}"`,
  ].join('\n');
  return reportOnTexts({ 'acct.csv': text + '\n' });
}

test('text: the whole output for a small file (skipped rows with their lines, blocked IPs with when they were last refused and their removal path, throttled IPs with when)', () => {
  assert.equal(
    renderText(small()),
    `Microsoft delivery report: 1 file, 4 records logged from 2026-01-15T10:00:00Z to 2026-01-15T10:20:00Z
  acct.csv: 4 records (csv), 1 malformed row skipped (line 5)
Records by type: d 1  b 1  t 2

Microsoft recipients (Outlook.com, Hotmail, Live, MSN): 1 delivered, 2 deferred, 1 bounced

Source IPs
  ip           vmta  delivered  deferred  bounced  status     codes
  203.0.113.1  mta1          1         0        1  BLOCKED    S3140 1
  203.0.113.2  mta2          0         1        0  throttled  RP-001 1
  203.0.113.3  mta3          0         1        0  ok         4.4.1 1

Blocked IPs: how to get them removed
  203.0.113.1 (mta1): last blocked 2026-01-15T10:05:00Z, last delivered 2026-01-15T10:00:00Z
    S3140: Outlook.com's sender support form (http://go.microsoft.com/fwlink/?LinkID=614866). Fix what caused the block and register the IP in SNDS and JMRP first, then ask for mitigation through the sender support form, quoting the tag, the IP and the reply.

Throttled IPs
  203.0.113.2 (mta2): last throttled 2026-01-15T10:10:00Z

Codes of the deferrals and bounces
  code    deferred  bounced  first                 last                  what
  4.4.1          1        0  2026-01-15T10:20:00Z  2026-01-15T10:20:00Z  not a code the knowledge base explains
  RP-001         1        0  2026-01-15T10:10:00Z  2026-01-15T10:10:00Z  Rate limit exceeded (IP/domain reputation)
  S3140          0        1  2026-01-15T10:05:00Z  2026-01-15T10:05:00Z  IP on Outlook.com block list

Virtual MTAs
  vmta  delivered  deferred  bounced  codes
  mta1          1         0        1  S3140 1
  mta2          0         1        0  RP-001 1
  mta3          0         1        0  4.4.1 1
`,
  );
});

test('text: many skipped rows show the first line numbers and say there are more; control characters never reach the terminal', () => {
  const rows = ['type,rcpt', ...Array.from({ length: 14 }, (_, i) => `junk ${i}`), 'd,a@hotmail.com'];
  const r = reportOnTexts({ 'j.csv': rows.join('\n') });
  assert.match(
    renderText(r),
    /^ {2}j\.csv: 1 record \(csv\), 14 malformed rows skipped \(lines 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, …\)$/m,
  );
  const out = renderText(small('mta\x1b[31m3'));
  assert.doesNotMatch(out, /\x1b/);
  assert.match(out, /203\.0\.113\.3 {2}mta \[31m3/);
});

test('markdown: tables, and names from the file escaped', () => {
  const md = renderMarkdown(small('mta|3 <b>*x*</b>'));
  assert.match(md, /^# Microsoft delivery report$/m);
  assert.match(md, /^\| 203\.0\.113\.1 \| mta1 \| 1 \| 0 \| 1 \| \*\*BLOCKED\*\* \| S3140 1 \|$/m);
  assert.match(md, /^\| 203\.0\.113\.3 \| mta\\\|3 \\<b\\>\\\*x\\\*\\<\/b\\> \| 0 \| 1 \| 0 \| ok \| 4\.4\.1 1 \|$/m);
  assert.match(
    md,
    /^ {2}- S3140: Outlook\.com's sender support form \(http:\/\/go\.microsoft\.com\/fwlink\/\?LinkID=614866\)\. Fix what caused the block/m,
  );
  assert.match(
    md,
    /^\| `RP-001` \| 1 \| 0 \| 2026-01-15T10:10:00Z \| 2026-01-15T10:10:00Z \| Rate limit exceeded \(IP\/domain reputation\) \| Send less/m,
  );
  // every table row has as many cells as its header
  for (const block of md.split('\n\n').filter((b) => b.startsWith('| '))) {
    const cells = block
      .split('\n')
      .filter(Boolean)
      .map((l) => l.replace(/\\\|/g, '').split('|').length);
    assert.ok(
      cells.every((n) => n === cells[0]),
      block,
    );
  }
});

/** The cells of a GFM table row, split as GitHub does: on each `|` that is not `\|`; `\|` then read as `|`. */
function gfmCells(row: string): string[] {
  const cells: string[] = [];
  let cell = '';
  for (let i = 1; i < row.length - 1; i++) {
    if (row[i] === '\\' && row[i + 1] === '|') {
      cell += '|';
      i++;
    } else if (row[i] === '|') {
      cells.push(cell.trim());
      cell = '';
    } else cell += row[i];
  }
  cells.push(cell.trim());
  return cells;
}

test('markdown: a pipe, a backslash or a backtick in a cell keeps the table whole, inline code too', () => {
  const r = small('m|x\\');
  const rule = String.raw`reply /5\.7\.515|required authentication level|a\|b/ mode=backoff`;
  r.files[0].file = 'acct `x`|.csv';
  r.microsoft.codes[0].code = 'S`31|40';
  r.config = {
    file: 'pmta/`config`',
    queue: 'outlook.com',
    patternLists: [],
    sourceIps: r.microsoft.sourceIps.map((s) => ({ ip: s.ip, vmtas: [], pools: [] })),
    unmatched: [
      { code: '5.7.515', count: 1, deferred: 0, bounced: 1, example: 'smtp;550 a|b & c', rule },
      { code: '`', count: 1, deferred: 1, bounced: 0, example: '', rule: '``' },
    ],
    rules: [{ id: '5.7.515', codes: ['5.7.515'], reply: rule, comment: '# ``` 5.7.515' }],
    ruleList: null,
    warnings: [],
  };
  const md = renderMarkdown(r);
  const lines = md.split('\n');
  // inline code outside a table: no pipe escaped, a fence longer than the backticks inside
  assert.ok(lines.includes('- ``acct `x`|.csv``: 4 records (csv), 1 malformed row skipped (line 5)'), md);
  assert.ok(lines.includes('**Configuration** `` pmta/`config` ``: Microsoft queue outlook.com, no pattern list.'), md);
  const row = (start: string) => {
    const l = lines.find((x) => x.startsWith(start));
    assert.ok(l, start);
    return gfmCells(l);
  };
  // each cell as GitHub splits the row (then `\|` is a pipe, inside code too; a backslash is kept)
  assert.deepEqual(row('| 203.0.113.3 |'), ['203.0.113.3', 'm|x\\\\', '0', '1', '0', 'ok', 'not in it', '4.4.1 1']);
  assert.deepEqual(row('| `5.7.515` |'), ['`5.7.515`', '0', '1', '`' + rule + '`', 'smtp;550 a|b \\& c']);
  assert.deepEqual(row('| ``S`31').slice(0, 3), ['``S`31|40``', '1', '0']);
  assert.deepEqual(row('| `` ` `` |'), ['`` ` ``', '1', '0', '``` `` ```', '']);
  // the rules in a fence longer than any run of backticks in them
  assert.ok(md.includes('\n````\n# ``` 5.7.515\n' + rule + '\n````\n'), md);
  // every table row has as many cells as its header
  for (const block of md.split('\n\n').filter((b) => b.startsWith('| '))) {
    const widths = block
      .split('\n')
      .filter(Boolean)
      .map((l) => gfmCells(l).length);
    assert.ok(
      widths.every((n) => n === widths[0]),
      block,
    );
  }
});

test('html: self-contained (loads nothing), names from the file escaped', () => {
  const html = renderHtml(small('<script>alert("x")</script>&'));
  assert.match(html, /^<!DOCTYPE html>\n/);
  assert.match(
    html,
    /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">/,
  );
  assert.doesNotMatch(html, /<script/i);
  assert.match(html, /<td>&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;&amp;<\/td>/);
  // nothing fetched: no src, no href, no CSS url() or @import, no link element
  assert.doesNotMatch(html, /\ssrc=|\shref=|url\(|@import|<link/i);
  assert.match(html, /<span class="blocked">BLOCKED<\/span>/);
  assert.match(
    html,
    /<code class="muted">smtp;550 5\.7\.1 Unfortunately, messages from \[203\.0\.113\.1\] weren&#39;t sent\./,
  );
});

// ---------------------------------------------------------------------------------------------
// the JSON contract

const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'schemas', 'report.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

function assertValid(report: unknown, what: string): void {
  const ok = validate(report);
  assert.ok(ok, `${what}: ${JSON.stringify(validate.errors, null, 1)}`);
}

test('json: real reports of every shape match the published JSON Schema', () => {
  const g = generateAccounting({ rows: 3000, garbageEvery: 400 });
  const reports: Array<[string, Report]> = [
    ['generated', reportOnTexts({ 'acct.csv': g.text })],
    ['small', small()],
    ['empty and not accounting', reportOnTexts({ 'e.csv': '', config: '<domain x>\n</domain>\n' })],
    ['no time, no IPs', reportOnTexts({ 'n.csv': 'type,rcpt,dsnDiag\nb,a@hotmail.com,550 5.7.606 banned\n' })],
    [
      'subset',
      reportOnTexts({
        's.csv': generateAccounting({ rows: 500, columns: ACCOUNTING_COLUMNS.filter((c) => c !== 'dsnDiag') }).text,
      }),
    ],
    [
      'json lines, time range',
      reportOnTexts(
        { 'j.json': generateAccounting({ rows: 500, format: 'json' }).text },
        { since: Date.UTC(2026, 0, 15, 0, 0, 30) },
      ),
    ],
  ];
  for (const [what, r] of reports) {
    // through the renderer, as the CLI prints it
    const parsed = JSON.parse(renderReport(r, 'json'));
    assert.deepEqual(parsed, r);
    assertValid(parsed, what);
  }
});

test('json: the schema is strict: a changed or extra field fails it (so the test above can fail)', () => {
  const r = JSON.parse(JSON.stringify(small()));
  assertValid(r, 'as is');
  const broken = [
    (x: Report) => ((x.microsoft.sourceIps[0] as { status: string }).status = 'down'),
    (x: Report) => ((x as unknown as Record<string, unknown>).extra = 1),
    (x: Report) => delete (x.records as Partial<Report['records']>).tq,
    (x: Report) => (x.microsoft.codes[0].first = '15/01/2026'),
    (x: Report) => (x.files[0].skipped = -1),
  ];
  for (const [i, breakIt] of broken.entries()) {
    const copy = JSON.parse(JSON.stringify(r));
    breakIt(copy);
    assert.equal(validate(copy), false, `change ${i} passes the schema`);
  }
});

test("json: the schema names the knowledge base's removal paths and Microsoft systems, no more and no fewer", () => {
  assert.deepEqual(schema.definitions.removalKind.enum, Object.keys(MICROSOFT_REMOVAL_WORDS));
  assert.deepEqual(schema.definitions.code.properties.system.enum, [...Object.keys(MICROSOFT_SYSTEM_WORDS), null]);
});
