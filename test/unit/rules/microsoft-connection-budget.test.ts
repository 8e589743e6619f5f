/**
 * microsoft-connection-budget: the simultaneous connections of the pool the Microsoft queue goes through,
 * each virtual MTA with its own queue's max-smtp-out; information until the tier is declared, unless above
 * the 500 Microsoft's policy allows.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lint } from '../../helpers/util';
import {
  applyFix,
  expectShown,
  findings,
  fixList,
  good,
  ms,
  poolOf,
  REST,
  shown,
  TOP_TIER,
} from '../../helpers/microsoft';

const TOP = '# pmta-lint: microsoft-tier=500k-plus\n';
const BUDGET =
  'the budget common advice gives (10 IPs × 6, from a widely copied PowerMTA guide). It is not a Microsoft limit: the only connection figure Microsoft publishes is its policy of at most 500 simultaneous connections to Outlook.com';
const DECLARE = [
  'Declare the volume to Microsoft: under 100,000 messages a day (microsoft-tier=under-100k)',
  'Declare the volume to Microsoft: 100,000 to 500,000 messages a day (microsoft-tier=100k-500k)',
  'Declare the volume to Microsoft: more than 500,000 messages a day (microsoft-tier=500k-plus)',
];

test('microsoft-connection-budget: pool size × max-smtp-out above 60; information with the declare actions first while the tier is inferred', () => {
  assert.deepEqual(lint(TOP + good(TOP_TIER, poolOf(10))), []); // the guide's own example: 10 × 6 = 60
  const text = good(TOP_TIER, poolOf(12));
  expectShown(text, 'microsoft-connection-budget', [
    `2:18-2:19 "6" | The outlook.com queue may open pool ms-pool (12 virtual MTAs) × max-smtp-out 6 (<domain outlook.com>, line 2) = 72 simultaneous connections to Microsoft, more than 60, ${BUDGET}. max-smtp-out 5 keeps it within the budget. The volume tier is not declared (tier inferred from pool ms-pool: 12 virtual MTAs, the pool size common advice gives for 500,000+ messages a day): declare it with "# pmta-lint: microsoft-tier=…" before cutting connections; until then neither --fix nor "fix all" lowers max-smtp-out.`,
  ]);
  const f = findings(text, 'microsoft-connection-budget')[0];
  assert.equal(f.severity, 'information');
  assert.deepEqual(fixList(f), [...DECLARE, 'Set max-smtp-out to 5']);
  assert.deepEqual(
    f.related?.map((r) => [text.slice(r.span.start, r.span.end), r.message]),
    [['ms-pool', 'pool used for Microsoft (default-virtual-mta ms-pool in <source 0/0>)']],
  );
  assert.equal(
    applyFix(text, 'microsoft-connection-budget', { fix: 3, safe: false, title: 'Set max-smtp-out to 5' }),
    good(TOP_TIER.replace('max-smtp-out 6', 'max-smtp-out 5'), poolOf(12)),
  );
});

test('microsoft-connection-budget: with a declared tier, a warning whose fix lowers max-smtp-out to fit, without review', () => {
  const text = TOP + good(TOP_TIER, poolOf(12));
  expectShown(text, 'microsoft-connection-budget', [
    `3:18-3:19 "6" | The outlook.com queue may open pool ms-pool (12 virtual MTAs) × max-smtp-out 6 (<domain outlook.com>, line 3) = 72 simultaneous connections to Microsoft, more than 60, ${BUDGET}. max-smtp-out 5 keeps it within the budget.`,
  ]);
  assert.equal(findings(text, 'microsoft-connection-budget')[0].severity, 'warning');
  assert.deepEqual(shown(text, 'microsoft-unsafe-limit'), []);
  const fixed = applyFix(text, 'microsoft-connection-budget', { safe: true, title: 'Set max-smtp-out to 5' });
  assert.equal(fixed, TOP + good(TOP_TIER.replace('max-smtp-out 6', 'max-smtp-out 5'), poolOf(12)));
  assert.deepEqual(lint(fixed), []);
});

test("microsoft-connection-budget: members' own max-smtp-out caps count; a huge pool gets no value fix", () => {
  assert.deepEqual(ms(TOP + good(TOP_TIER, poolOf(12, 'ms-pool', 4))), []); // 12 × min(6, 4) = 48
  const huge =
    TOP +
    good(
      '    max-smtp-out 1\n    max-connect-rate 1/s\n    max-msg-rate 250/h\n    retry-after 15m\n' + REST,
      poolOf(61),
    );
  const f = findings(huge, 'microsoft-connection-budget');
  assert.equal(f.length, 1);
  assert.deepEqual(f[0].fixes, []);
  assert.match(
    f[0].message,
    /= 61 simultaneous connections.*Even one connection per virtual MTA exceeds it: send Microsoft mail through fewer IPs\.$/,
  );
});

test("microsoft-connection-budget: above the 500 connections of Microsoft's policy, a warning even with an assumed tier", () => {
  const text = good(TOP_TIER.replace('max-smtp-out 6', 'max-smtp-out 20'), poolOf(30));
  expectShown(text, 'microsoft-connection-budget', [
    `2:18-2:20 "20" | The outlook.com queue may open pool ms-pool (30 virtual MTAs) × max-smtp-out 20 (<domain outlook.com>, line 2) = 600 simultaneous connections to Microsoft, more than 60, ${BUDGET}, and this is more than that too. max-smtp-out 2 keeps it within the budget. The volume tier is not declared (tier inferred from pool ms-pool: 30 virtual MTAs, the pool size common advice gives for 500,000+ messages a day): declare it with "# pmta-lint: microsoft-tier=…" before cutting connections; until then neither --fix nor "fix all" lowers max-smtp-out.`,
  ]);
  const f = findings(text, 'microsoft-connection-budget')[0];
  assert.equal(f.severity, 'warning');
  // the cut is still a guess about the volume: not applied without review
  assert.deepEqual(fixList(f), [...DECLARE, 'Set max-smtp-out to 2']);
});

test('microsoft-connection-budget: it and microsoft-unsafe-limit agree on the value when both apply', () => {
  const text = TOP + good(TOP_TIER.replace('max-smtp-out 6', 'max-smtp-out 10'), poolOf(12));
  const a = applyFix(text, 'microsoft-unsafe-limit', { safe: true, title: 'Set max-smtp-out to 5' });
  const b = applyFix(text, 'microsoft-connection-budget', { safe: true, title: 'Set max-smtp-out to 5' });
  assert.equal(a, b);
  assert.deepEqual(lint(a), []);
});

test("microsoft-connection-budget: each virtual MTA counts with its own queue's max-smtp-out; the fix lowers the ones above the value that fits", () => {
  let vmtas = poolOf(10);
  for (const i of [8, 9, 10])
    vmtas = vmtas.replace(
      `<virtual-mta v${i}>\n    smtp-source-host 192.0.2.${i} v${i}.example.com\n`,
      `<virtual-mta v${i}>\n    smtp-source-host 192.0.2.${i} v${i}.example.com\n    <domain outlook.com>\n        max-smtp-out 20\n    </domain>\n`,
    );
  const text = TOP + good(TOP_TIER.replace('max-smtp-out 6', 'max-smtp-out 4'), vmtas);
  // 7 × 4 + 3 × 20 = 88; with at most 10 it would be 58, but the tier says 6
  expectShown(text, 'microsoft-connection-budget', [
    `2:9-2:20 "outlook.com" | The outlook.com queue may open pool ms-pool (10 virtual MTAs): max-smtp-out 4 on v1, v2, v3 and 4 more (<domain outlook.com>, line 3), max-smtp-out 20 on v8, v9 and v10 (3 blocks) = 88 simultaneous connections to Microsoft, more than 60, ${BUDGET}. max-smtp-out 6 keeps it within the budget and the volume tier.`,
  ]);
  const fixed = applyFix(text, 'microsoft-connection-budget', {
    safe: true,
    title: 'Set max-smtp-out to 6 in 3 blocks',
  });
  assert.equal(fixed, text.replaceAll('        max-smtp-out 20\n', '        max-smtp-out 6\n'));
  assert.deepEqual(ms(fixed), []);
  // microsoft-unsafe-limit names the worst of them and sets the same value
  expectShown(text, 'microsoft-unsafe-limit', [
    '112:22-112:24 "20" | max-smtp-out 20 for virtual MTA v8 of pool ms-pool (and v9 and v10) is above 6, the recommended value for the 500k-plus tier (common advice, not a limit Microsoft publishes; tier set by "# pmta-lint: microsoft-tier=500k-plus" on line 1).',
  ]);
  assert.equal(
    applyFix(text, 'microsoft-unsafe-limit', { safe: true, title: 'Set max-smtp-out to 6 in 3 blocks' }),
    fixed,
  );
});

test('microsoft-connection-budget: virtual MTAs whose queue goes to a relay open no connection to Microsoft', () => {
  let vmtas = poolOf(12);
  for (const i of [11, 12])
    vmtas = vmtas.replace(
      `<virtual-mta v${i}>\n    smtp-source-host 192.0.2.${i} v${i}.example.com\n`,
      `<virtual-mta v${i}>\n    smtp-source-host 192.0.2.${i} v${i}.example.com\n    <domain outlook.com>\n        smtp-hosts relay.example.net\n    </domain>\n`,
    );
  // 10 × 6 = 60 connections: within the budget
  assert.deepEqual(ms(TOP + good(TOP_TIER, vmtas)), []);
  const more = TOP + good(TOP_TIER.replace('max-smtp-out 6', 'max-smtp-out 7'), vmtas);
  assert.match(
    findings(more, 'microsoft-connection-budget')[0].message,
    /^The outlook\.com queue may open pool ms-pool \(12 virtual MTAs; v11 and v12 not counted: their queues go to a relay\) × max-smtp-out 7 \(<domain outlook\.com>, line 3\) = 70 simultaneous connections/,
  );
});
