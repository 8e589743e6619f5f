/**
 * The delivery report's verdicts on small accounting files written out by hand, one case per defect an
 * audit found: what code a reply gets, whether it makes its source IP blocked or throttled, and what the
 * report says about getting it removed. Each file has the columns of a usual `record-fields` line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  renderHtml,
  renderMarkdown,
  renderReport,
  renderText,
  reportOnTexts,
  type Report,
} from '../../server/src/accounting';
import { recommendedRuleFor } from '../../server/src/features/deliveryReport';
import { codeById, removalPath } from '../../server/src/knowledge/microsoft';

const HEADER = 'type,timeLogged,rcpt,dsnStatus,dsnDiag,dsnMta,dlvSourceIp,vmta';
const MX = 'hotmail-com.olc.protection.outlook.com (52.101.1.1)';

/** A CSV row: its reply quoted (replies hold commas and quotes). */
function row(type: string, time: string, ip: string, diag: string, status = '', rcpt = 'a@hotmail.com'): string {
  return [type, `2026-01-15 ${time}+0000`, rcpt, status, `"${diag.replace(/"/g, '""')}"`, MX, ip, 'mta1'].join(',');
}

function report(rows: string[]): Report {
  return reportOnTexts({ 'acct.csv': [HEADER, ...rows].join('\n') + '\n' });
}

/** Each source IP with its status and codes. */
function verdicts(r: Report): Array<[string, string, Record<string, number>]> {
  return r.microsoft.sourceIps.map((s) => [s.ip, s.status, s.codes]);
}

/** Each source IP with its status, when it was last blocked, throttled and delivered, and whether it delivered since. */
function times(r: Report): unknown[][] {
  return r.microsoft.sourceIps.map((s) => [
    s.ip,
    s.status,
    s.lastBlocked,
    s.lastThrottled,
    s.lastDelivered,
    s.deliveredSinceRefused,
  ]);
}

const BLOCK_LIST = (tag: string) =>
  `smtp;550 5.7.1 Unfortunately, messages from [198.51.100.7] weren't sent. Please contact your Internet service provider since part of their network is on our block list${tag}.`;

test('block-list words: an IP block whatever the tag (none, one the knowledge base does not know, AS3160)', () => {
  const r = report([
    row('b', '09:00:00', '198.51.100.7', BLOCK_LIST(' (S3160)')),
    row('b', '09:01:00', '198.51.100.8', BLOCK_LIST(' (AS3160)')),
    row('b', '09:02:00', '198.51.100.9', BLOCK_LIST('')),
  ]);
  assert.deepEqual(verdicts(r), [
    ['198.51.100.7', 'blocked', { 'block-list': 1 }],
    ['198.51.100.8', 'blocked', { AS3160: 1 }],
    ['198.51.100.9', 'blocked', { 'block-list': 1 }],
  ]);
  const code = r.microsoft.codes.find((c) => c.code === 'block-list')!;
  assert.deepEqual(
    [code.title, code.category, code.effect, code.bounced, code.removal?.path],
    ['IP on Outlook.com block list (no known tag)', 'block', 'block', 2, 'outlook-sender-support'],
  );
  assert.deepEqual(
    r.microsoft.sourceIps[0].removal.map((x) => [x.code, x.path]),
    [['block-list', 'outlook-sender-support']],
  );
  // a plain 5.7.1 without those words blocks nothing
  const plain = report([row('b', '09:00:00', '198.51.100.7', 'smtp;550 5.7.1 Delivery not authorized (S99999)')]);
  assert.deepEqual(verdicts(plain), [['198.51.100.7', 'ok', { '5.7.1': 1 }]]);
});

test("the old Windows Live Hotmail policy text is Outlook.com's policy block, with its removal path", () => {
  const r = report([
    row('b', '09:00:00', '198.51.100.7', 'smtp;550 Mail rejected by Windows Live Hotmail for policy reasons.'),
  ]);
  assert.deepEqual(verdicts(r), [['198.51.100.7', 'blocked', { 'policy-reasons': 1 }]]);
  assert.deepEqual(
    r.microsoft.codes.map((c) => [c.code, c.title, c.effect]),
    [['policy-reasons', 'Policy rejection without a code (old Hotmail wording)', 'block']],
  );
  assert.deepEqual(
    r.microsoft.sourceIps[0].removal.map((x) => [x.code, x.path]),
    [['policy-reasons', 'outlook-sender-support']],
  );
});

test('the report and its configuration part read a reply alike: the rule named for it covers the code the report gives it', () => {
  for (const reply of [
    BLOCK_LIST(' (S3160)'),
    BLOCK_LIST(''),
    'smtp;451 The mail server [9.0.0.1] has exceeded maximum number of messages per connection.',
  ]) {
    const r = report([row('b', '09:00:00', '198.51.100.7', reply)]);
    const code = r.microsoft.codes[0].code;
    const rule = recommendedRuleFor(reply);
    assert.ok(rule, reply);
    const id = codeById(code)!.id;
    assert.ok(rule.covers.includes(id) || rule.byWords === id, `${code} is one of ${rule.covers.join(', ')}`);
  }
});

test('too many messages per connection: the knowledge base entry, a throttle of the IP', () => {
  const r = report([
    row(
      't',
      '09:00:00',
      '9.0.0.1',
      'smtp;451 The mail server [9.0.0.1] has exceeded maximum number of messages per connection.',
    ),
  ]);
  assert.deepEqual(verdicts(r), [['9.0.0.1', 'throttled', { 'msgs-per-connection': 1 }]]);
  assert.deepEqual(
    r.microsoft.codes.map((c) => [c.code, c.title, c.deferred, c.effect]),
    [['msgs-per-connection', 'Too many messages per connection', 1, 'throttle']],
  );
});

test('a per-recipient deferral (4.3.2) does not throttle the IP, and 4.3.2 in other words is not the thread limit', () => {
  const r = report([
    row('t', '09:00:00', '198.51.100.7', 'smtp;452 4.3.2 STOREDRV.Deliver; recipient thread limit exceeded'),
    row('t', '09:01:00', '198.51.100.7', 'smtp;421 4.3.2 Service not available, closing transmission channel'),
    row('t', '09:02:00', '198.51.100.8', 'smtp;421 4.3.2 Service not available, closing transmission channel'),
  ]);
  assert.deepEqual(verdicts(r), [
    ['198.51.100.7', 'ok', { '4.3.2': 1, '421 4.3.2': 1 }],
    ['198.51.100.8', 'ok', { '421 4.3.2': 1 }],
  ]);
  assert.deepEqual(
    r.microsoft.codes.map((c) => [c.code, c.deferred, c.title, c.effect]),
    [
      ['421 4.3.2', 2, null, null],
      ['4.3.2', 1, 'Recipient thread limit exceeded', null],
    ],
  );
  // the thread limit logged first, or the other words first: the same rows
  const again = report([
    row('t', '09:01:00', '198.51.100.7', 'smtp;421 4.3.2 Service not available, closing transmission channel'),
    row('t', '09:00:00', '198.51.100.7', 'smtp;452 4.3.2 STOREDRV.Deliver; recipient thread limit exceeded'),
  ]);
  assert.deepEqual(
    again.microsoft.codes.map((c) => [c.code, c.title]),
    [
      ['4.3.2', 'Recipient thread limit exceeded'],
      ['421 4.3.2', null],
    ],
  );
});

test('tq and rb records with a Microsoft reply count: a queue-level throttle, a remote bounce that blocks; without a reply or recipient they say nothing', () => {
  const r = report([
    // a queue-level deferral: no recipient, Microsoft by the host that answered
    row(
      'tq',
      '09:00:00',
      '7.7.7.1',
      'smtp;421 RP-003 The mail server IP connecting to Outlook.com server has exceeded the connection limit allowed.',
      '',
      '',
    ),
    row(
      'tq',
      '09:01:00',
      '7.7.7.1',
      'smtp;451 4.7.652 The mail server [7.7.7.1] has exceeded the maximum number of connections. (S3115)',
      '',
      '',
    ),
    // a bounce sent back later
    row('rb', '09:02:00', '7.7.7.2', BLOCK_LIST(' (S3150)')),
    // a remote bounce whose source IP is not logged: in the codes, in no IP's row
    row('rb', '09:03:00', '', BLOCK_LIST(' (S3150)')),
    // no reply: nothing to judge
    row('tq', '09:04:00', '7.7.7.3', '', '', ''),
  ]);
  assert.deepEqual(r.records, { d: 0, b: 0, t: 0, tq: 3, r: 0, f: 0, rb: 2, rs: 0 });
  assert.deepEqual(verdicts(r), [
    ['7.7.7.2', 'blocked', { S3150: 1 }],
    ['7.7.7.1', 'throttled', { 'RP-003': 1, S3115: 1 }],
  ]);
  assert.deepEqual(
    r.microsoft.sourceIps.map((s) => [s.ip, s.deferred, s.bounced, s.removal.map((x) => x.code)]),
    [
      ['7.7.7.2', 0, 1, ['S3150']],
      ['7.7.7.1', 2, 0, []],
    ],
  );
  assert.deepEqual(
    r.microsoft.codes.map((c) => [c.code, c.deferred, c.bounced]),
    [
      ['S3150', 0, 2],
      ['RP-003', 1, 0],
      ['S3115', 1, 0],
    ],
  );
  // the recipients' totals are per recipient: d, t and b records only
  assert.deepEqual(r.microsoft.recipients, { delivered: 0, deferred: 0, bounced: 0 });
  // the same as JSON records
  const json = reportOnTexts({
    'acct.json':
      [
        {
          type: 'tq',
          timeLogged: '2026-01-15T09:00:00Z',
          dsnDiag: 'smtp;421 RP-003 connection limit',
          dsnMta: MX,
          dlvSourceIp: '7.7.7.1',
        },
        {
          type: 'rb',
          timeLogged: '2026-01-15T09:02:00Z',
          rcpt: 'a@hotmail.com',
          dsnDiag: BLOCK_LIST(' (S3150)'),
          dlvSourceIp: '7.7.7.2',
        },
      ]
        .map((o) => JSON.stringify(o))
        .join('\n') + '\n',
  });
  assert.deepEqual(verdicts(json), [
    ['7.7.7.2', 'blocked', { S3150: 1 }],
    ['7.7.7.1', 'throttled', { 'RP-003': 1 }],
  ]);
});

test('5.7.800 bans the sending domain, not the IP: the IP stays ok and the code says what is banned', () => {
  const r = report([row('b', '09:00:00', '198.51.100.7', 'smtp;550 5.7.800 Access denied, banned sender')]);
  assert.deepEqual(verdicts(r), [['198.51.100.7', 'ok', { '5.7.800': 1 }]]);
  assert.deepEqual(r.microsoft.sourceIps[0].removal, []);
  assert.deepEqual(
    r.microsoft.codes.map((c) => [c.code, c.title, c.category, c.effect, c.removal?.path]),
    [['5.7.800', 'Banned sender domain', 'block', null, 'microsoft-support']],
  );
  // as 5.7.515, the domain problem the report already told apart
  const auth = report([
    row(
      'b',
      '09:00:00',
      '198.51.100.7',
      'smtp;550 5.7.515 Access denied, sending domain [EXAMPLE.COM] does not meet the required authentication level.',
    ),
  ]);
  assert.deepEqual(verdicts(auth), [['198.51.100.7', 'ok', { '5.7.515': 1 }]]);
});

// ---- a block or throttling the files show lifted: deliveries after the last refusal ----

const S3150 = BLOCK_LIST(' (S3150)').replace('198.51.100.7', '4.4.4.4');
const RP001 =
  'smtp;421 RP-001 The mail server IP connecting to Outlook.com server has exceeded the rate limit allowed. Reason for rate limitation is related to IP/domain reputation.';
const DELIVERED = 'smtp;250 2.6.0 <x@example.com> Queued mail for delivery';

/** `count` d records from `ip`, one a minute from `hour`:00. */
function deliveries(ip: string, hour: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const t = hour * 60 + i;
    const hh = String(Math.floor(t / 60)).padStart(2, '0');
    const mm = String(t % 60).padStart(2, '0');
    return row('d', `${hh}:${mm}:00`, ip, DELIVERED);
  });
}

/** The lines of a section of the text output: from its heading to the blank line after it. */
function section(text: string, heading: string): string[] {
  const lines = text.split('\n');
  const at = lines.indexOf(heading);
  if (at < 0) return [];
  const end = lines.indexOf('', at);
  return lines.slice(at, end < 0 ? undefined : end);
}

test('a block followed by deliveries from the same IP: still BLOCKED, with when it was last refused and that it delivered again since', () => {
  const r = report([row('b', '09:00:00', '4.4.4.4', S3150), ...deliveries('4.4.4.4', 10, 500)]);
  const how = removalPath(codeById('S3150')!);
  const expected = {
    ip: '4.4.4.4',
    vmta: 'mta1',
    vmtas: { mta1: 501 },
    delivered: 500,
    deferred: 0,
    bounced: 1,
    status: 'blocked',
    lastBlocked: '2026-01-15T09:00:00Z',
    lastThrottled: null,
    lastDelivered: '2026-01-15T18:19:00Z',
    deliveredSinceRefused: true,
    codes: { S3150: 1 },
    removal: [{ code: 'S3150', path: 'outlook-sender-support', where: codeById('S3150')!.removal.where, how }],
  };
  assert.deepEqual(r.microsoft.sourceIps, [expected]);
  // the JSON output, as written
  assert.deepEqual((JSON.parse(renderReport(r, 'json')) as Report).microsoft.sourceIps, [expected]);

  const text = renderText(r);
  assert.deepEqual(section(text, 'Source IPs'), [
    'Source IPs',
    '  ip       vmta  delivered  deferred  bounced  status   codes',
    '  4.4.4.4  mta1        500         0        1  BLOCKED  S3150 1',
  ]);
  assert.deepEqual(section(text, 'Blocked IPs: how to get them removed'), [
    'Blocked IPs: how to get them removed',
    '  4.4.4.4 (mta1): last blocked 2026-01-15T09:00:00Z, last delivered 2026-01-15T18:19:00Z',
    '    delivered again after its last refusal (2026-01-15T09:00:00Z): the block may have been lifted; check before asking for removal',
    `    S3150: ${how}`,
  ]);

  const md = renderMarkdown(r);
  assert.match(
    md,
    /^- \*\*4\.4\.4\.4\*\* \(mta1\): last blocked 2026-01-15T09:00:00Z, last delivered 2026-01-15T18:19:00Z\n {2}- delivered again after its last refusal \(2026-01-15T09:00:00Z\): the block may have been lifted; check before asking for removal\n {2}- S3150: /m,
  );
  const html = renderHtml(r);
  assert.ok(
    html.includes(
      '<li><code>4.4.4.4</code> (mta1): last blocked 2026-01-15T09:00:00Z, last delivered 2026-01-15T18:19:00Z<ul><li>delivered again after its last refusal (2026-01-15T09:00:00Z): the block may have been lifted; check before asking for removal</li><li><code>S3150</code>: ',
    ),
    html,
  );
});

test('a block after the last delivery (or in its same second): the IP is still blocked, and nothing says it delivered again', () => {
  for (const blockedAt of ['10:00:00', '09:00:00']) {
    const r = report([row('d', '09:00:00', '4.4.4.4', DELIVERED), row('b', blockedAt, '4.4.4.4', S3150)]);
    const s = r.microsoft.sourceIps[0];
    assert.deepEqual(
      [s.status, s.lastBlocked, s.lastThrottled, s.lastDelivered, s.deliveredSinceRefused],
      ['blocked', `2026-01-15T${blockedAt}Z`, null, '2026-01-15T09:00:00Z', false],
    );
    const text = renderText(r);
    assert.deepEqual(section(text, 'Blocked IPs: how to get them removed').slice(0, 3), [
      'Blocked IPs: how to get them removed',
      `  4.4.4.4 (mta1): last blocked 2026-01-15T${blockedAt}Z, last delivered 2026-01-15T09:00:00Z`,
      `    S3150: ${removalPath(codeById('S3150')!)}`,
    ]);
    for (const out of [text, renderMarkdown(r), renderHtml(r)]) assert.doesNotMatch(out, /delivered again/);
  }
  // deliveries in the same minutes as the block (other MX hosts, records interleaved) say nothing; an hour later they do
  for (const [deliveredAt, again] of [
    ['09:05:00', false],
    ['09:59:59', false],
    ['10:00:00', true],
  ] as const) {
    const r = report([row('b', '09:00:00', '4.4.4.4', S3150), row('d', deliveredAt, '4.4.4.4', DELIVERED)]);
    assert.equal(r.microsoft.sourceIps[0].deliveredSinceRefused, again, deliveredAt);
    assert.equal(/delivered again/.test(renderText(r)), again, deliveredAt);
  }
  // the last of several blocks counts, whatever the order of the records
  const r = report([
    row('b', '12:00:00', '4.4.4.4', S3150),
    row('d', '11:00:00', '4.4.4.4', DELIVERED),
    row('b', '09:00:00', '4.4.4.4', S3150),
  ]);
  const s = r.microsoft.sourceIps[0];
  assert.deepEqual(
    [s.lastBlocked, s.lastDelivered, s.deliveredSinceRefused],
    ['2026-01-15T12:00:00Z', '2026-01-15T11:00:00Z', false],
  );
});

test('a throttled IP that delivered again: still throttled, with when, and the sentence under Throttled IPs', () => {
  const r = report([
    row('t', '09:00:00', '5.5.5.5', RP001),
    row('d', '10:00:00', '5.5.5.5', DELIVERED),
    // still throttled: its last deferral came after its last delivery
    row('d', '09:00:00', '5.5.5.6', DELIVERED),
    row('t', '09:45:00', '5.5.5.6', RP001),
  ]);
  assert.deepEqual(times(r), [
    ['5.5.5.5', 'throttled', null, '2026-01-15T09:00:00Z', '2026-01-15T10:00:00Z', true],
    ['5.5.5.6', 'throttled', null, '2026-01-15T09:45:00Z', '2026-01-15T09:00:00Z', false],
  ]);
  const json = JSON.parse(renderReport(r, 'json')) as Report;
  assert.deepEqual(
    [json.microsoft.sourceIps[0].lastThrottled, json.microsoft.sourceIps[0].deliveredSinceRefused],
    ['2026-01-15T09:00:00Z', true],
  );
  const text = renderText(r);
  assert.deepEqual(section(text, 'Throttled IPs'), [
    'Throttled IPs',
    '  5.5.5.5 (mta1): last throttled 2026-01-15T09:00:00Z, last delivered 2026-01-15T10:00:00Z',
    '    delivered again after its last refusal (2026-01-15T09:00:00Z): the throttling may have eased',
    '  5.5.5.6 (mta1): last throttled 2026-01-15T09:45:00Z, last delivered 2026-01-15T09:00:00Z',
  ]);
  assert.doesNotMatch(text, /^Blocked IPs/m);
  assert.match(
    renderMarkdown(r),
    /^## Throttled IPs\n\n- \*\*5\.5\.5\.5\*\* \(mta1\): last throttled 2026-01-15T09:00:00Z, last delivered 2026-01-15T10:00:00Z\n {2}- delivered again after its last refusal \(2026-01-15T09:00:00Z\): the throttling may have eased\n- \*\*5\.5\.5\.6\*\*/m,
  );
  assert.match(renderHtml(r), /<h2>Throttled IPs<\/h2>\n<ul><li><code>5\.5\.5\.5<\/code> \(mta1\): last throttled/);
});

test('a blocked IP also throttled later: the block sets the status, so deliveries after the block say it may be lifted', () => {
  const r = report([
    row('b', '09:00:00', '4.4.4.4', S3150),
    row('d', '10:00:00', '4.4.4.4', DELIVERED),
    row('t', '11:00:00', '4.4.4.4', RP001),
  ]);
  const s = r.microsoft.sourceIps[0];
  assert.deepEqual(
    [s.status, s.lastBlocked, s.lastThrottled, s.lastDelivered, s.deliveredSinceRefused],
    ['blocked', '2026-01-15T09:00:00Z', '2026-01-15T11:00:00Z', '2026-01-15T10:00:00Z', true],
  );
});

test('records without a readable time: the times are null and nothing says the IP delivered again', () => {
  const noTime = (type: string, ip: string, diag: string) =>
    [type, '', 'a@hotmail.com', '', `"${diag.replace(/"/g, '""')}"`, MX, ip, 'mta1'].join(',');
  const r = report([
    noTime('b', '4.4.4.4', S3150),
    noTime('d', '4.4.4.4', DELIVERED),
    noTime('t', '5.5.5.5', RP001),
    noTime('d', '5.5.5.5', DELIVERED),
  ]);
  assert.deepEqual(times(r), [
    ['4.4.4.4', 'blocked', null, null, null, false],
    ['5.5.5.5', 'throttled', null, null, null, false],
  ]);
  const json = JSON.parse(renderReport(r, 'json')) as Report;
  assert.deepEqual(
    json.microsoft.sourceIps.map((s) => [s.lastBlocked, s.lastThrottled, s.lastDelivered, s.deliveredSinceRefused]),
    [
      [null, null, null, false],
      [null, null, null, false],
    ],
  );
  const text = renderText(r);
  // the blocked IP as before, without times; no Throttled IPs section (no time to give)
  assert.deepEqual(section(text, 'Blocked IPs: how to get them removed').slice(0, 2), [
    'Blocked IPs: how to get them removed',
    '  4.4.4.4 (mta1)',
  ]);
  assert.doesNotMatch(text, /^Throttled IPs/m);
  for (const out of [text, renderMarkdown(r), renderHtml(r)])
    assert.doesNotMatch(out, /delivered again|last delivered/);
  // a refusal with a time and a delivery without one: nothing follows the refusal that can be placed
  const mixed = report([row('b', '09:00:00', '4.4.4.4', S3150), noTime('d', '4.4.4.4', DELIVERED)]);
  assert.deepEqual(
    [mixed.microsoft.sourceIps[0].lastDelivered, mixed.microsoft.sourceIps[0].deliveredSinceRefused],
    [null, false],
  );
});
