/**
 * Editor features around Microsoft: reply codes anywhere (hover and "Explain SMTP reply"), Microsoft
 * domains, pools and virtual MTAs in hovers, the tier in force (status bar), the connection-budget code
 * lens, the "Insert Microsoft domain configuration" text and the "disable for this file" code action.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Hover, MarkupContent, Range } from 'vscode-languageserver-types';
import { PmtaLanguageService } from '../../server/src/service';
import { at, r, ROOT } from '../helpers/util';

const URI = 'file:///t.pmta';
const service = new PmtaLanguageService();

function d(text: string, uri = URI): TextDocument {
  return TextDocument.create(uri, 'powermta', 1, text);
}

function hoverAt(text: string, needle: string, delta = 1, nth = 0): { md: string; range: Range | undefined } {
  const doc = d(text);
  const h: Hover | null = service.hover(doc, doc.positionAt(at(text, needle, delta, nth)));
  assert.ok(h, `a hover on "${needle}"`);
  return { md: (h.contents as MarkupContent).value, range: h.range };
}

// ------------------------------------------------------------------------------------------------
// reply codes in hovers

test('hover: a full reply is one mention, whichever part the cursor is on', () => {
  const text = '# seen today: 421 4.7.0 RP-001 from outlook.com\n';
  for (const needle of ['421', '4.7.0', 'RP-001']) {
    const h = hoverAt(text, needle);
    assert.deepEqual(h.range, r(0, 14, 0, 30), needle);
    assert.match(
      h.md,
      /^\*\*421 RP-001\*\* — Rate limit exceeded \(IP\/domain reputation\) \*\(Outlook\.com reply, temporary: PowerMTA keeps the message and retries\)\*/,
    );
    assert.match(h.md, /\n\nWritten here as `421 4\.7\.0 RP-001`\.\n\n/);
    assert.ok(
      h.md.includes(
        "\n\n**Sent by:** Outlook.com's consumer mail servers (MX hosts `*.olc.protection.outlook.com`: hotmail.com, outlook.com, live.com, msn.com and their country domains).\n\n",
      ),
      needle,
    );
    assert.ok(h.md.includes("\n\n**Documented:** in Outlook.com's postmaster troubleshooting page.\n\n"), needle);
    assert.ok(h.md.includes('\n\n**Removal:** Nothing is listed: it is a rate limit.'), needle);
    assert.match(h.md, /\*\*What to do:\*\* .*SNDS/);
    assert.match(h.md, /\*\*In PowerMTA:\*\* .*`reply \/RP-001\/ mode=backoff,backoff-to-normal-after=4h`/);
  }
  // in a regex the escaped dots are part of the reply too
  const rx = '<smtp-pattern-list p>\n    reply /421 4\\.7\\.0 RP-001/ mode=backoff\n</smtp-pattern-list>\n';
  assert.deepEqual(hoverAt(rx, '4\\.7').range, r(1, 11, 1, 29));
  // nothing on a bare number that belongs to no Microsoft code
  const doc = d('max-smtp-out 421\n');
  const h = service.hover(doc, { line: 0, character: 14 });
  assert.ok(!h || !/RP-001/.test((h.contents as MarkupContent).value));
});

test('hover: enhanced codes, bracketed block codes, quoted strings and pasted log lines', () => {
  const log =
    '# d,2024-05-01 10:00:00+0000,x@hotmail.com,"smtp;550 5.7.606 Access denied, banned sending IP [203.0.113.10]."\n';
  const h = hoverAt(log, '5.7.606', 2);
  assert.deepEqual(h.range, r(0, 49, 0, 60));
  assert.match(h.md, /^\*\*550 5\.7\.606-649\*\* — Banned sending IP/);
  assert.match(h.md, /Written here as `550 5\.7\.606`\./);
  assert.match(h.md, /\*\*Sent by:\*\* Microsoft 365 \/ Exchange Online/);
  assert.ok(
    h.md.includes(
      "\n\n**Removal:** Microsoft 365's delist portal (https://sender.office.com/). Fix the cause, then request removal at the self-service delist portal.\n\n",
    ),
  );
  const bracketed =
    'smtp-pattern-list ms {{\n"550 5.7.1 Unfortunately, messages from [203.0.113.10] weren\'t sent (S3140)" bounce\n}}\n';
  const s = hoverAt(bracketed, 'S3140', 2);
  assert.deepEqual(s.range, r(1, 69, 1, 74));
  assert.match(
    s.md,
    /^\*\*550 5\.7\.1 S3150\*\* — IP on Outlook\.com block list \*\(Outlook\.com reply, permanent: the recipient bounces\)\*/,
  );
  assert.match(s.md, /Written here as `S3140`\./);
  assert.ok(
    s.md.includes(
      "\n\n**Removal:** Outlook.com's sender support form (http://go.microsoft.com/fwlink/?LinkID=614866). Fix what caused the block and register the IP in SNDS and JMRP first, then ask for mitigation through the sender support form, quoting the tag, the IP and the reply.\n\n",
    ),
  );
  assert.ok(
    s.md.includes("\n\n**Sent by:** Outlook.com's consumer mail servers (MX hosts `*.olc.protection.outlook.com`"),
  );
});

test("hover: every code of the widely copied guide's table explains itself", () => {
  // the guide's table: RP-001, RP-002, RP-003, 5.7.1 (IP blocked, DMARC), 5.7.606, 4.7.500, and 5.7.510 in its list
  const lines = [
    '421 4.7.0 RP-001',
    '421 4.7.0 RP-002',
    '421 4.7.0 RP-003',
    '550 5.7.1',
    '550 5.7.606',
    '451 4.7.500',
    '550 5.7.510',
  ];
  // in the Microsoft queue's block, so that the plain 5.7.1 reads as Microsoft's (elsewhere it is generic first)
  const text = '<domain outlook.com>\n' + lines.map((l) => `# ${l}`).join('\n') + '\n</domain>\n';
  const expected = ['RP-001', 'RP-002', 'RP-003', '5.7.1', '5.7.606-649', '4.7.500', '5.7.510'];
  lines.forEach((l, i) => {
    const h = hoverAt(text, l, l.length - 1);
    assert.deepEqual(h.range, r(i + 1, 2, i + 1, 2 + l.length), l);
    assert.match(h.md, new RegExp(`^\\*\\*[^*]*${expected[i].replace(/\./g, '\\.')}\\*\\* — `), l);
    assert.match(h.md, /\*\*What to do:\*\*/, l);
    assert.match(h.md, /\*\*In PowerMTA:\*\*/, l);
    assert.match(h.md, /\*Source: /, l);
  });
});

// ------------------------------------------------------------------------------------------------
// Explain SMTP reply

test('explainReply: Microsoft codes in a bounce line, specific before generic', () => {
  const e = service.explainReply(
    "2024-05-01 10:00 bounce x@live.com: 550 5.7.1 Unfortunately, messages from [203.0.113.10] weren't sent. (S3140)",
  );
  assert.deepEqual(
    e.codes.map((c) => [c.id, c.written, c.temporary, c.system]),
    [
      ['S3150', 'S3140', false, 'outlook.com'],
      ['5.7.1', '550 5.7.1', false, 'either'],
    ],
  );
  assert.equal(e.basic, '550');
  assert.equal(e.enhanced, '5.7.1');
  assert.equal(e.temporary, false);
  assert.match(e.markdown, /^2 Microsoft codes found: `S3140`, `550 5\.7\.1`\.\n\n\*\*550 5\.7\.1 S3150\*\* — /);
  assert.match(e.markdown, /\n\n---\n\n\*\*5\.7\.1\*\* — Not authorised \(generic\)/);
  const rp = service.explainReply(
    '421 4.7.0 RP-001 The mail server IP connecting to Outlook.com server has exceeded the rate limit allowed.',
  );
  assert.deepEqual(
    rp.codes.map((c) => c.id),
    ['RP-001'],
  );
  assert.equal(rp.temporary, true);
  assert.match(rp.markdown, /^One Microsoft code found: `421 4\.7\.0 RP-001`\.\n\n\*\*421 RP-001\*\*/);
});

test('explainReply: 4.3.2 is the recipient thread limit only with those words (a regex naming it is about it)', () => {
  const other = service.explainReply('421 4.3.2 Service not available, closing transmission channel');
  assert.deepEqual(
    other.codes.map((c) => c.id),
    [],
  );
  assert.ok(!other.markdown.includes('thread limit'), other.markdown);
  assert.match(other.markdown, /\*\*4\.3\.2\*\* — enhanced status code: temporary, about the receiving mail system\./);
  const limit = service.explainReply('452 4.3.2 STOREDRV.Deliver; recipient thread limit exceeded');
  assert.deepEqual(
    limit.codes.map((c) => c.id),
    ['4.3.2'],
  );
  assert.match(limit.markdown, /Recipient thread limit exceeded/);
  assert.deepEqual(
    service.explainReply('reply /4\\.3\\.2/ mode=backoff').codes.map((c) => c.id),
    ['4.3.2'],
  );
});

test('explainReply: other replies get the meaning of their codes; nothing found is said so', () => {
  const plain = service.explainReply('550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown');
  assert.deepEqual(
    [plain.basic, plain.enhanced, plain.temporary, plain.codes.map((c) => c.id)],
    ['550', '5.1.1', false, ['5.1.1']],
  );
  assert.ok(
    plain.markdown.startsWith(
      '**550** — a permanent failure: the receiving server refuses, and PowerMTA bounces the recipient without retrying.\n\n' +
        '**5.1.1** — enhanced status code: permanent, about the address (sender or recipient); the mailbox does not exist (bad address).\n\n' +
        '**In PowerMTA:** the recipient bounces; check the bounce category your accounting file records for it before suppressing the address.\n\n' +
        '---\n\n**If Microsoft 365 (Exchange Online) sent it:**\n\n**5.1.1** — Bad destination mailbox',
    ),
    plain.markdown,
  );
  // the same code from Microsoft is Microsoft's first
  assert.match(
    service.explainReply(
      '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found [BN8NAM11FT066.eop-nam11.prod.protection.outlook.com]',
    ).markdown,
    /^One Microsoft code found: `550 5\.1\.1`\./,
  );
  const t = service.explainReply('452 4.2.2 mailbox full');
  assert.equal(t.temporary, true);
  assert.match(t.markdown, /^\*\*452\*\* — a temporary failure/);
  assert.match(t.markdown, /the mailbox is full/);
  assert.deepEqual(service.explainReply('hello'), {
    markdown:
      'No SMTP reply code (such as `550` or `4.7.0`) and no Microsoft code (such as `RP-001` or `S3150`) was found in this text.',
    codes: [],
  });
  assert.equal(service.explainReply(undefined as unknown as string).codes.length, 0);
  // a long paste is cut, not choked on
  const big = service.explainReply('x '.repeat(50_000) + '421 RP-001');
  assert.deepEqual(big.codes, []);
});

// ------------------------------------------------------------------------------------------------
// Microsoft domains, pools and virtual MTAs in hovers

const MS = [
  '<virtual-mta mta1>', // 0
  '    smtp-source-host 192.0.2.10 mta1.example.com', // 1
  '</virtual-mta>', // 2
  '<virtual-mta mta2>', // 3
  '    smtp-source-host 192.0.2.11 mta2.example.com', // 4
  '    max-smtp-out 2', // 5
  '</virtual-mta>', // 6
  '<virtual-mta-pool ms-pool>', // 7
  '    virtual-mta mta1', // 8
  '    virtual-mta mta2', // 9
  '</virtual-mta-pool>', // 10
  '<source 127.0.0.1>', // 11
  '    default-virtual-mta ms-pool', // 12
  '</source>', // 13
  '<domain outlook.com>', // 14
  '    max-smtp-out 4', // 15
  '    max-msg-rate 150/h', // 16
  '</domain>', // 17
  '<domain hotmail.com>', // 18
  '    queue-to outlook.com', // 19
  '</domain>', // 20
  '<domain live.com>', // 21
  '    max-smtp-out 3', // 22
  '</domain>', // 23
  'domain-macro ms msn.com, example.com', // 24
  '',
].join('\n');

test('hover: a rolled-up Microsoft domain shows its family, its queue and the effective limits of that queue', () => {
  const h = hoverAt(MS, 'hotmail.com>', 2);
  assert.deepEqual(h.range, r(18, 8, 18, 19));
  assert.match(h.md, /\n\n- hotmail\.com goes into the outlook\.com queue \(queue-to\) and shares its limits\.\n\n/);
  assert.match(h.md, /\*\*Family:\*\* Hotmail — Outlook\.com consumer mail/);
  assert.match(h.md, /\*\*Effective limits of the `outlook\.com` queue\*\* \(shared by 2 Microsoft domains\):/);
  assert.match(h.md, /\n\| directive \| value \| set at \| tier under-100k \|\n\|---\|---\|---\|---\|\n/);
  assert.match(h.md, /\n\| max-smtp-out \| `4` \| `<domain outlook\.com>`, line 16 \| `4` \|\n/);
  assert.match(h.md, /\n\| max-connect-rate \| `unlimited` \| PowerMTA's default \| `30\/m` \|\n/);
  assert.match(h.md, /\n\| max-msg-rate \| `150\/h` \| `<domain outlook\.com>`, line 17 \| `150\/h` \|\n/);
  assert.match(h.md, /\n\| smtp-pattern-list \| `none` \| — \| `microsoft-errors` \|\n/);
  // the table is not repeated by the rollup sentence: the analysis already said how it is queued
  assert.doesNotMatch(h.md, /is rolled into the `outlook\.com` queue by/);
});

test('hover: a Microsoft domain that keeps its own queue, and one in a macro list', () => {
  const live = hoverAt(MS, 'live.com>', 2);
  assert.match(
    live.md,
    /- live\.com keeps a queue of its own \(live\.com\): its connections add to those of the outlook\.com queue\./,
  );
  assert.match(live.md, /\*\*Effective limits of the `live\.com` queue\*\*:/);
  assert.match(live.md, /\n\| max-smtp-out \| `3` \| `<domain live\.com>`, line 23 \| `4` \|\n/);
  const msn = hoverAt(MS, 'msn.com', 2);
  assert.deepEqual(msn.range, r(24, 16, 24, 23));
  assert.match(msn.md, /^`msn\.com` is a Microsoft consumer domain \(Outlook\.com\)/);
  assert.match(msn.md, /\*\*Family:\*\* MSN/);
  assert.match(
    msn.md,
    /`msn\.com` keeps a queue of its own: it is not rolled into the `outlook\.com` queue, so its connections add to those of that queue \(roll it up with `queue-to outlook\.com`\)\./,
  );
  const q = hoverAt(MS, 'queue-to outlook.com', 12);
  assert.match(q.md, /`outlook\.com` is the Microsoft queue of this configuration/);
  // without any Microsoft block, the hover says so
  const plain = '<domain *>\n    max-smtp-out 10\n</domain>\ndomain-macro ms hotmail.com\n';
  assert.match(
    hoverAt(plain, 'hotmail.com', 2).md,
    /\*\*Family:\*\* Hotmail[^]*No block of this configuration shapes Microsoft mail/,
  );
});

test('hover: pools list members with source IPs and the Microsoft connections; virtual MTAs their share', () => {
  const pool = hoverAt(MS, 'default-virtual-mta ms-pool', 22);
  assert.deepEqual(pool.range, r(12, 24, 12, 31));
  assert.match(
    pool.md,
    /Defined at line 8 — 2 member virtual-mtas: `mta1` \(192\.0\.2\.10\), `mta2` \(192\.0\.2\.11\)/,
  );
  assert.match(
    pool.md,
    /\*\*Microsoft mail\*\* \(the `outlook\.com` queue\) goes through this pool: 6 simultaneous connections \(2 × max-smtp-out 4\), within the budget of 60 that common advice gives \(not a Microsoft limit\)\./,
  );
  const vm = hoverAt(MS, '<virtual-mta mta2>', 14);
  assert.match(
    vm.md,
    /may use up to 2 simultaneous connections from this virtual MTA, 6 for pool `ms-pool` in all \(budget 60\)\./,
  );
  const def = hoverAt(MS, '<virtual-mta-pool ms-pool>', 19);
  assert.match(def.md, /goes through this pool: 6 simultaneous connections/);
});

// ------------------------------------------------------------------------------------------------
// the tier in force, the code lens

test('tierInfo: where the tier comes from, the Microsoft queue and its connections', () => {
  const t = service.tierInfo(d(MS))!;
  assert.equal(t.tier, 'under-100k');
  assert.equal(t.source, 'assumed');
  assert.equal(
    t.why,
    'Pool ms-pool has 2 virtual MTAs, too few to tell the volume, so the most conservative tier applies',
  );
  assert.equal(t.active, true);
  assert.equal(t.queue, 'outlook.com');
  assert.deepEqual(t.connections, {
    total: 6,
    perIp: 4,
    budget: 60,
    text: 'pool ms-pool (2 virtual MTAs) × max-smtp-out 4 (<domain outlook.com>, line 16) = 6 simultaneous connections (some virtual MTAs have a lower max-smtp-out of their own)',
  });
  assert.deepEqual(t.rolledUp, { count: 2, of: 10 });
  assert.deepEqual(t.limits, {
    'max-smtp-out': '4',
    'max-connect-rate': '30/m',
    'max-msg-rate': '150/h',
    'retry-after': '20m',
  });
  assert.deepEqual(
    t.tiers.map((x) => x.id),
    ['under-100k', '100k-500k', '500k-plus'],
  );
  const set = service.tierInfo(d(MS), { settings: { microsoft: { volumeTier: '100k-500k' } } })!;
  assert.deepEqual(
    [set.tier, set.source, set.why],
    ['100k-500k', 'setting', 'Set by the microsoft.volumeTier setting'],
  );
  const ann = service.tierInfo(d('# pmta-lint: microsoft-tier=500k-plus\n' + MS), {
    settings: { microsoft: { volumeTier: '100k-500k' } },
  })!;
  assert.deepEqual(
    [ann.tier, ann.source, ann.why],
    ['500k-plus', 'annotation', 'Set by "# pmta-lint: microsoft-tier=500k-plus" on line 1'],
  );
  const none = service.tierInfo(d('<domain *>\n    max-smtp-out 10\n</domain>\n'))!;
  assert.deepEqual(
    [none.tier, none.source, none.active, none.queue, none.connections],
    ['under-100k', 'assumed', false, undefined, undefined],
  );
  // a large pool is read as the top tier
  const big = Array.from(
    { length: 7 },
    (_, i) => `<virtual-mta m${i}>\n    smtp-source-host 192.0.2.${i + 1} m${i}.example.com\n</virtual-mta>`,
  ).join('\n');
  const pool = `<virtual-mta-pool p>\n${Array.from({ length: 7 }, (_, i) => `    virtual-mta m${i}`).join('\n')}\n</virtual-mta-pool>\n`;
  const inferred = service.tierInfo(d(`${big}\n${pool}<domain outlook.com>\n    max-smtp-out 6\n</domain>\n`))!;
  assert.deepEqual([inferred.tier, inferred.source], ['500k-plus', 'inferred']);
  assert.equal(
    service.tierInfo(d('x'.repeat(2048)), { settings: { maxFileSizeKB: 1 } }),
    null,
    'not analysed: no answer',
  );
});

test('code lens: the connection budget on the block of the Microsoft queue, and nowhere else', () => {
  assert.deepEqual(service.codeLenses(d(MS)), [
    {
      range: r(14, 0, 14, 0),
      command: {
        title:
          'Microsoft: 6 connections (2 IPs × max-smtp-out 4; budget 60) · 2 of 10 domains rolled up · tier under-100k (assumed)',
        command: '',
      },
    },
  ]);
  const good = fs.readFileSync(path.join(ROOT, 'examples', 'microsoft-good.pmta'), 'utf8');
  const lenses = service.codeLenses(d(good));
  assert.equal(lenses.length, 1);
  assert.equal(lenses[0].range.start.line, good.split('\n').indexOf('<domain outlook.com>'));
  assert.equal(
    lenses[0].command!.title,
    'Microsoft: 10 connections (2 IPs × max-smtp-out 5; budget 60) · 10 of 10 domains rolled up · tier 100k-500k',
  );
  // over the budget
  const many = Array.from({ length: 12 }, (_, i) => `<virtual-mta m${i}>\n</virtual-mta>`).join('\n');
  const pool = `<virtual-mta-pool p>\n${Array.from({ length: 12 }, (_, i) => `    virtual-mta m${i}`).join('\n')}\n</virtual-mta-pool>\n`;
  const over = service.codeLenses(d(`${many}\n${pool}<domain outlook.com>\n    max-smtp-out 6\n</domain>\n`));
  assert.equal(
    over[0].command!.title,
    'Microsoft: 72 connections (12 IPs × max-smtp-out 6; budget 60, over) · 1 of 10 domains rolled up · tier 500k-plus (assumed)',
  );
  // a member that names no <virtual-mta> opens no connection (undefined-reference reports it) ...
  const three = `${Array.from({ length: 2 }, (_, i) => `<virtual-mta m${i}>\n</virtual-mta>`).join('\n')}\n<virtual-mta-pool p>\n    virtual-mta m0\n    virtual-mta m1\n    virtual-mta typo\n</virtual-mta-pool>\n<domain outlook.com>\n    max-smtp-out 3\n</domain>\n`;
  assert.equal(
    service.codeLenses(d(three))[0].command!.title,
    'Microsoft: 6 connections (2 IPs × max-smtp-out 3; budget 60; 1 member without a <virtual-mta> not counted) · 1 of 10 domains rolled up · tier under-100k (assumed)',
  );
  // ... unless an include that could not be followed may define it
  assert.equal(
    service.codeLenses(d('include vmtas.conf\n' + three))[0].command!.title,
    'Microsoft: 9 connections (3 IPs × max-smtp-out 3; budget 60) · 1 of 10 domains rolled up · tier under-100k (assumed)',
  );
  assert.deepEqual(service.codeLenses(d('<domain gmail.com>\n    max-smtp-out 5\n</domain>\n')), []);
  assert.deepEqual(service.codeLenses(d('x'.repeat(2048)), { settings: { maxFileSizeKB: 1 } }), []);
});

// ------------------------------------------------------------------------------------------------
// Insert Microsoft domain configuration

test('microsoftConfiguration: unknown tier; indentation and line breaks as asked', () => {
  assert.equal(service.microsoftConfiguration('huge'), null);
  const c = service.microsoftConfiguration('100k-500k', undefined, { indent: '  ', eol: '\r\n' })!;
  assert.deepEqual(c.notes, []);
  assert.deepEqual(c.conflicts, []);
  assert.ok(c.text.endsWith('</smtp-pattern-list>\r\n'));
  assert.ok(!/[^\r]\n/.test(c.text), 'every line break is CRLF');
  assert.equal(
    c.text.split('\r\n').slice(0, 8).join('\n'),
    [
      '# Microsoft consumer mail (Outlook.com, Hotmail, Live, MSN) in one queue, outlook.com.',
      '# 100,000 to 500,000 messages/day to Microsoft: common advice from a widely copied PowerMTA guide, not limits Microsoft publishes.',
      '# pmta-lint: microsoft-tier=100k-500k',
      '<domain outlook.com>',
      '  max-smtp-out 5',
      '  max-connect-rate 1/s',
      '  max-msg-rate 200/h',
      '  retry-after 20m',
    ].join('\n'),
  );
});

test('microsoftConfiguration: into an existing file, what it has is left out and the budget is kept', () => {
  const vmtas = Array.from(
    { length: 12 },
    (_, i) => `<virtual-mta m${i}>\n    smtp-source-host 192.0.2.${i + 1} m${i}.example.com\n</virtual-mta>`,
  ).join('\n');
  const pool = `<virtual-mta-pool p>\n${Array.from({ length: 12 }, (_, i) => `    virtual-mta m${i}`).join('\n')}\n</virtual-mta-pool>\n`;
  const base = `${vmtas}\n${pool}<source 0/0>\n    default-virtual-mta p\n</source>\n<domain hotmail.com>\n    queue-to outlook.com\n</domain>\n<smtp-pattern-list microsoft-errors>\n    reply /RP-001/ mode=backoff\n</smtp-pattern-list>\n`;
  const c = service.microsoftConfiguration('500k-plus', d(base))!;
  assert.deepEqual(c.conflicts, []);
  assert.deepEqual(c.notes, [
    'max-smtp-out is 5, not 6: pool p would otherwise open more than 60 connections to Microsoft.',
    '<domain hotmail.com> already exists (line 54): add "queue-to outlook.com" to it.',
    '<smtp-pattern-list microsoft-errors> is already defined: it was not inserted again.',
  ]);
  assert.match(c.text, /^\tmax-smtp-out 5$/m);
  assert.doesNotMatch(c.text, /<domain hotmail\.com>|<smtp-pattern-list/);
  assert.match(c.text, /<domain hotmail\.co\.uk>/);
  // the result: no connection-budget finding, no duplicate block
  const after = service
    .lint(d(base + '\n' + c.text), { settings: { includes: { resolve: false } } })
    .map((f) => f.rule);
  assert.ok(
    !after.includes('microsoft-connection-budget') &&
      !after.includes('duplicate-block') &&
      !after.includes('microsoft-missing-rollup'),
    after.join(', '),
  );
  // an outlook.com block or another declared tier is a conflict the user must confirm
  const conflict = service.microsoftConfiguration(
    'under-100k',
    d('# pmta-lint: microsoft-tier=500k-plus\n<domain outlook.com>\n    max-smtp-out 2\n</domain>\n'),
  )!;
  assert.deepEqual(conflict.conflicts, [
    'The file already declares "# pmta-lint: microsoft-tier=500k-plus" (line 1).',
    'The file already has <domain outlook.com> (line 2); a second one is a duplicate block.',
  ]);
});

// ------------------------------------------------------------------------------------------------
// code actions

test('code actions: disable a rule for this line or for the whole file', () => {
  const text = '# header\n<domain example.com>\n    retry-after soon\n</domain>\n';
  const doc = d(text);
  const diags = service.validate(doc);
  assert.deepEqual(
    diags.map((x) => x.code),
    ['invalid-value'],
  );
  const actions = service.codeActions(doc, diags[0].range, { diagnostics: diags });
  const file = actions.find((a) => a.title === 'Disable invalid-value for this file')!;
  assert.ok(file, actions.map((a) => a.title).join(', '));
  assert.equal(file.kind, 'quickfix');
  assert.deepEqual(file.edit, {
    changes: { [URI]: [{ range: r(0, 0, 0, 0), newText: '# pmta-lint: disable invalid-value\n' }] },
  });
  const fixed = TextDocument.applyEdits(doc, file.edit!.changes![URI]);
  assert.deepEqual(
    service.validate(d(fixed.replace('soon', 'later'), 'file:///u.pmta')),
    [],
    'the annotation covers the whole file',
  );
  const line = actions.find((a) => a.title === 'Disable invalid-value for this line')!;
  assert.deepEqual(line.edit!.changes![URI], [
    { range: r(2, 0, 2, 0), newText: '    # pmta-lint: disable-next-line invalid-value\n' },
  ]);
  // CRLF files get CRLF
  const crlf = d(text.replace(/\n/g, '\r\n'), 'file:///c.pmta');
  const cd = service.validate(crlf);
  const cf = service
    .codeActions(crlf, cd[0].range, { diagnostics: cd })
    .find((a) => a.title === 'Disable invalid-value for this file')!;
  assert.equal(cf.edit!.changes!['file:///c.pmta'][0].newText, '# pmta-lint: disable invalid-value\r\n');
});

test('code actions and fix all: a file whose lines end in CR alone gets lines ending in CR', () => {
  const text = '# header\r<domain example.com>\r    retry-after soon\r    dkim-algorithm rsa-sha1\r';
  const doc = d(text, 'file:///cr.pmta');
  const diags = service.validate(doc);
  const bad = diags.find((x) => x.code === 'invalid-value')!;
  const actions = service.codeActions(doc, bad.range, { diagnostics: [bad] });
  assert.deepEqual(
    actions.filter((a) => a.title.startsWith('Disable')).map((a) => a.edit!.changes!['file:///cr.pmta'][0].newText),
    ['    # pmta-lint: disable-next-line invalid-value\r', '# pmta-lint: disable invalid-value\r'],
  );
  assert.equal(
    new PmtaLanguageService().fixAll(d(text, 'file:///cr2.pmta')).text,
    '# header\r<domain example.com>\r    retry-after soon\r    dkim-algorithm rsa-sha256\r</domain>\r',
  );
});

test('code actions and fix all: a byte order mark kept in the text stays its first character', () => {
  // a client that keeps the mark in the text: what the fixes insert at the top goes after it
  const uri = 'file:///bom.pmta';
  const text = '\ufeff<domain example.com\r\n    retry-after soon\r\n</domain>\r\n';
  const doc = d(text, uri);
  const diags = service.validate(doc);
  assert.deepEqual(
    diags.map((x) => x.code),
    ['syntax', 'invalid-value'],
  );
  const actions = service.codeActions(doc, diags[1].range, { diagnostics: [diags[1]] });
  const file = actions.find((a) => a.title === 'Disable invalid-value for this file')!;
  assert.deepEqual(file.edit!.changes![uri], [
    { range: r(0, 1, 0, 1), newText: '# pmta-lint: disable invalid-value\r\n' },
  ]);
  const fixed = TextDocument.applyEdits(doc, file.edit!.changes![uri]);
  assert.equal(fixed, '\ufeff# pmta-lint: disable invalid-value\r\n' + text.slice(1));
  assert.deepEqual(
    service.validate(d(fixed, 'file:///bom2.pmta')).map((x) => x.code),
    ['syntax'],
  );
  // a fix that replaces the first line keeps the mark before it
  const gt = '\ufeffdomain example.com {{ max-smtp-out 2 }}\n';
  const gd = d(gt, 'file:///bom3.pmta');
  const convert = service
    .codeActions(gd, r(0, 1, 0, 1), {})
    .find((a) => a.title === 'Convert to <domain example.com> … </domain>')!;
  assert.deepEqual(
    convert.edit!.changes!['file:///bom3.pmta'].map((e) => e.range),
    [r(0, 1, 0, 40)],
  );
  assert.equal(
    new PmtaLanguageService().fixAll(d(gt, 'file:///bom4.pmta')).text,
    '\ufeff<domain example.com>\n    max-smtp-out 2\n</domain>\n',
  );
});

test('code actions: "disable for this line" goes above a continued directive, and is not offered on a comment line', () => {
  // the finding is on the second physical line of the directive: the annotation goes above its first
  const text = '<domain example.com>\n    retry-after \\\n        soon\n</domain>\n';
  const doc = d(text, 'file:///cont.pmta');
  const diags = service.validate(doc);
  assert.deepEqual(
    diags.map((x) => [x.code, x.range.start.line]),
    [['invalid-value', 2]],
  );
  const line = service
    .codeActions(doc, diags[0].range, { diagnostics: diags })
    .find((a) => a.title === 'Disable invalid-value for this line')!;
  assert.deepEqual(line.edit!.changes!['file:///cont.pmta'], [
    { range: r(1, 0, 1, 0), newText: '    # pmta-lint: disable-next-line invalid-value\n' },
  ]);
  const fixed = TextDocument.applyEdits(doc, line.edit!.changes!['file:///cont.pmta']);
  assert.equal(
    fixed,
    '<domain example.com>\n    # pmta-lint: disable-next-line invalid-value\n    retry-after \\\n        soon\n</domain>\n',
  );
  assert.deepEqual(service.validate(d(fixed, 'file:///cont2.pmta')), []);
  // a finding on a comment line: disable-next-line would pass over it to the next line; only "for this file"
  const bad = '# pmta-lint: bogus\n<domain example.com>\n</domain>\n';
  const bd = d(bad, 'file:///comment.pmta');
  const bdiags = service.validate(bd);
  assert.deepEqual(
    bdiags.map((x) => [x.code, x.range.start.line]),
    [['annotation', 0]],
  );
  assert.deepEqual(
    service.codeActions(bd, bdiags[0].range, { diagnostics: bdiags }).map((a) => a.title),
    ['Disable annotation for this file'],
  );
});
