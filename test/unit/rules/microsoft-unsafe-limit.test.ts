/**
 * microsoft-unsafe-limit: the Microsoft queue's limits against the volume tier's advice; information until
 * the tier is declared, with actions that declare it first; judged per virtual MTA of the pool (the worst
 * named); not judged for a queue sent to a relay; max-connect-rate only where it could bind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PmtaLanguageService } from '../../../server/src/service';
import type { IncludeHost } from '../../../server/src/hosts/includeHost';
import { doc, lint } from '../../helpers/util';
import {
  applyFix,
  applyOnly,
  DECLARED,
  expectShown,
  findings,
  fixList,
  good,
  GOOD_BODY,
  LIMITS,
  LIST,
  ms,
  poolOf,
  REST,
  rollups,
  shown,
} from '../../helpers/microsoft';

const LOOSE = '    max-smtp-out 10\n    max-connect-rate 2/s\n    max-msg-rate 500/h\n    retry-after 5m,10m,1h\n';
const ASSUMED =
  'tier assumed: no pool found for Microsoft mail, so the most conservative tier applies). Declare the volume with "# pmta-lint: microsoft-tier=100k-500k" (or under-100k, 500k-plus); until then this is information only, and neither --fix nor "fix all" changes the value.';
const SET = 'tier set by "# pmta-lint: microsoft-tier=under-100k" on line 1).';
const DECLARE = [
  'Declare the volume to Microsoft: under 100,000 messages a day (microsoft-tier=under-100k)',
  'Declare the volume to Microsoft: 100,000 to 500,000 messages a day (microsoft-tier=100k-500k)',
  'Declare the volume to Microsoft: more than 500,000 messages a day (microsoft-tier=500k-plus)',
];

/** `<virtual-mta NAME>` with a source IP and `inner` lines. */
function vmta(name: string, ip: number, inner = ''): string {
  return `<virtual-mta ${name}>\n    smtp-source-host 192.0.2.${ip} ${name}.example.com\n${inner}</virtual-mta>\n`;
}

/** A pool `ms` of the named virtual MTAs, used by every source. */
function pool(...names: string[]): string {
  return `<virtual-mta-pool ms>\n${names.map((n) => `    virtual-mta ${n}\n`).join('')}</virtual-mta-pool>\n<source 0/0>\n    default-virtual-mta ms\n</source>\n`;
}

test('microsoft-unsafe-limit: with an assumed tier, information whose first actions declare the volume; the value fix is offered, not preferred, not safe', () => {
  const text = good(LOOSE + REST);
  // max-connect-rate 2/s is not reported: at 500 messages an hour the queue cannot open 2 connections a second
  expectShown(text, 'microsoft-unsafe-limit', [
    `2:18-2:20 "10" | max-smtp-out 10 is above 4, the recommended value for the under-100k tier (common advice, not a limit Microsoft publishes; ${ASSUMED}`,
    `4:18-4:23 "500/h" | max-msg-rate 500/h is above 150/h, the recommended value for the under-100k tier (common advice, not a limit Microsoft publishes; ${ASSUMED}`,
    `5:17-5:26 "5m,10m,1h" | retry-after 5m,10m,1h retries sooner than 20m, the recommended value for the under-100k tier (common advice, not a limit Microsoft publishes; ${ASSUMED}`,
  ]);
  const fs = findings(text, 'microsoft-unsafe-limit');
  assert.deepEqual(
    fs.map((f) => f.severity),
    ['information', 'information', 'information'],
  );
  assert.deepEqual(fixList(fs[0]), [...DECLARE, 'Set max-smtp-out to 4']);
  assert.deepEqual(fixList(fs[2]), [...DECLARE, 'Set retry-after to 20m,20m,1h']);
  // on request, the value fix still works
  assert.equal(
    applyFix(text, 'microsoft-unsafe-limit', { index: 0, fix: 3, safe: false, title: 'Set max-smtp-out to 4' }),
    good(LOOSE.replace('10', '4') + REST),
  );
  // fix all leaves the limits alone
  assert.equal(new PmtaLanguageService().fixAll(doc(text)).text, text);
});

test("microsoft-unsafe-limit: the declare actions write the annotation before the queue's block, or replace the value of one that names no tier", () => {
  const text = good(LOOSE + REST);
  const f = findings(text, 'microsoft-unsafe-limit')[0];
  assert.deepEqual(f.fixes[0].changes, [
    { span: { start: 0, end: 0 }, newText: '# pmta-lint: microsoft-tier=under-100k\n' },
  ]);
  const declared = applyOnly(text, f, 1);
  assert.equal(declared, '# pmta-lint: microsoft-tier=100k-500k\n' + text);
  // declared, the same values are warnings with a safe, preferred fix (100k-500k: max-smtp-out 5, 200/h, 20m)
  assert.deepEqual(
    findings(declared, 'microsoft-unsafe-limit').map((x) => [x.severity, ...fixList(x)]),
    [
      ['warning', 'Set max-smtp-out to 5 [safe] [preferred]'],
      ['warning', 'Set max-msg-rate to 200/h [safe] [preferred]'],
      ['warning', 'Set retry-after to 20m,20m,1h [safe] [preferred]'],
    ],
  );
  // a block under a comment, in CRLF: the line goes before the block, in the file's line ending
  const crlf = ('# Microsoft\n' + text).replace(/\n/g, '\r\n');
  assert.deepEqual(findings(crlf, 'microsoft-unsafe-limit')[0].fixes[2].changes, [
    { span: { start: 13, end: 13 }, newText: '# pmta-lint: microsoft-tier=500k-plus\r\n' },
  ]);
  // an indented block: the line gets its indentation
  const indented = '  <domain outlook.com>\n    max-smtp-out 10\n  </domain>\n';
  assert.deepEqual(findings(indented, 'microsoft-unsafe-limit')[0].fixes[0].changes, [
    { span: { start: 0, end: 0 }, newText: '  # pmta-lint: microsoft-tier=under-100k\n' },
  ]);
  // "auto" does not declare a tier: its value is replaced
  const auto = '# pmta-lint: microsoft-tier=auto\n' + text;
  const fa = findings(auto, 'microsoft-unsafe-limit')[0];
  assert.equal(fa.severity, 'information');
  assert.deepEqual(fa.fixes[0].changes, [{ span: { start: 28, end: 32 }, newText: 'under-100k' }]);
  assert.equal(applyOnly(auto, fa, 0), DECLARED + text);
});

test("microsoft-unsafe-limit: with a declared tier, warnings with a safe fix to the tier's value", () => {
  const text = DECLARED + good(LOOSE + REST);
  expectShown(text, 'microsoft-unsafe-limit', [
    `3:18-3:20 "10" | max-smtp-out 10 is above 4, the recommended value for the under-100k tier (common advice, not a limit Microsoft publishes; ${SET}`,
    `5:18-5:23 "500/h" | max-msg-rate 500/h is above 150/h, the recommended value for the under-100k tier (common advice, not a limit Microsoft publishes; ${SET}`,
    `6:17-6:26 "5m,10m,1h" | retry-after 5m,10m,1h retries sooner than 20m, the recommended value for the under-100k tier (common advice, not a limit Microsoft publishes; ${SET}`,
  ]);
  assert.deepEqual(
    findings(text, 'microsoft-unsafe-limit').map((f) => f.severity),
    ['warning', 'warning', 'warning'],
  );
  assert.equal(
    applyFix(text, 'microsoft-unsafe-limit', { index: 0, safe: true, title: 'Set max-smtp-out to 4' }),
    DECLARED + good(LOOSE.replace('10', '4') + REST),
  );
  assert.equal(
    applyFix(text, 'microsoft-unsafe-limit', { index: 1, safe: true, title: 'Set max-msg-rate to 150/h' }),
    DECLARED + good(LOOSE.replace('500/h', '150/h') + REST),
  );
  assert.equal(
    applyFix(text, 'microsoft-unsafe-limit', { index: 2, safe: true, title: 'Set retry-after to 20m,20m,1h' }),
    DECLARED + good(LOOSE.replace('5m,10m,1h', '20m,20m,1h') + REST),
  );
  // the setting declares it too
  assert.deepEqual(
    findings(good(LOOSE + REST), 'microsoft-unsafe-limit', { microsoft: { volumeTier: 'under-100k' } }).map((f) => [
      f.severity,
      ...fixList(f),
    ]),
    [
      ['warning', 'Set max-smtp-out to 4 [safe] [preferred]'],
      ['warning', 'Set max-msg-rate to 150/h [safe] [preferred]'],
      ['warning', 'Set retry-after to 20m,20m,1h [safe] [preferred]'],
    ],
  );
  // and fix all applies them
  assert.equal(
    new PmtaLanguageService().fixAll(doc(text)).text,
    DECLARED +
      good('    max-smtp-out 4\n    max-connect-rate 2/s\n    max-msg-rate 150/h\n    retry-after 20m,20m,1h\n' + REST),
  );
});

test('microsoft-unsafe-limit: rates compare after normalising units', () => {
  const same =
    DECLARED +
    good('    max-smtp-out 4\n    max-connect-rate 1/2s\n    max-msg-rate 2/m\n    retry-after 30m,1h\n' + REST);
  assert.deepEqual(ms(same), []);
  const over =
    DECLARED +
    good('    max-smtp-out 3\n    max-connect-rate 31/m\n    max-msg-rate 3000/m\n    retry-after 20m\n' + REST);
  expectShown(over, 'microsoft-unsafe-limit', [
    `4:22-4:26 "31/m" | max-connect-rate 31/m (1860/h) is above 30/m (1800/h), the recommended value for the under-100k tier (common advice, not a limit Microsoft publishes; ${SET}`,
    `5:18-5:24 "3000/m" | max-msg-rate 3000/m (180000/h) is above 150/h, the recommended value for the under-100k tier (common advice, not a limit Microsoft publishes; ${SET}`,
  ]);
});

test('microsoft-unsafe-limit: max-connect-rate is asked for only where it could bind', () => {
  // max-msg-rate 150/h: the queue cannot open more than 150 connections an hour, 30/m adds nothing
  const bound = DECLARED + good(GOOD_BODY.replace('    max-connect-rate 30/m\n', ''));
  assert.deepEqual(shown(bound, 'microsoft-unsafe-limit'), []);
  // a looser one is not reported either
  assert.deepEqual(
    shown(
      DECLARED + good(GOOD_BODY.replace('max-connect-rate 30/m', 'max-connect-rate 10/s')),
      'microsoft-unsafe-limit',
    ),
    [],
  );
  // max-msg-rate 5000/h allows more messages than 1800 connections an hour: then it could bind
  const open =
    DECLARED +
    good(GOOD_BODY.replace('    max-connect-rate 30/m\n', '').replace('max-msg-rate 150/h', 'max-msg-rate 5000/h'));
  expectShown(open, 'microsoft-unsafe-limit', [
    `2:9-2:20 "outlook.com" | max-connect-rate is not set for the outlook.com queue, so PowerMTA does not limit it (default unlimited): 30/m (1800/h) is the recommended value for the under-100k tier (common advice, not a limit Microsoft publishes; ${SET}`,
    `4:18-4:24 "5000/h" | max-msg-rate 5000/h is above 150/h, the recommended value for the under-100k tier (common advice, not a limit Microsoft publishes; ${SET}`,
  ]);
  // once max-msg-rate is fixed, max-connect-rate no longer matters
  const msgFixed = applyFix(open, 'microsoft-unsafe-limit', { index: 1, safe: true });
  assert.deepEqual(shown(msgFixed, 'microsoft-unsafe-limit'), []);
});

test("microsoft-unsafe-limit: unset limits are judged by PowerMTA's defaults or by <domain *>, and fixed in the Microsoft block", () => {
  const text = DECLARED + good(REST, '\n<domain *>\n    max-smtp-out 20\n</domain>\n');
  expectShown(text, 'microsoft-unsafe-limit', [
    `2:9-2:20 "outlook.com" | The outlook.com queue takes max-smtp-out 20 from <domain *> (line 86), which is above 4, the recommended value for the under-100k tier (common advice, not a limit Microsoft publishes; ${SET}`,
    `2:9-2:20 "outlook.com" | max-connect-rate is not set for the outlook.com queue, so PowerMTA does not limit it (default unlimited): 30/m (1800/h) is the recommended value for the under-100k tier (common advice, not a limit Microsoft publishes; ${SET}`,
    `2:9-2:20 "outlook.com" | max-msg-rate is not set for the outlook.com queue, so PowerMTA does not limit it (default unlimited): 150/h is the recommended value for the under-100k tier (common advice, not a limit Microsoft publishes; ${SET}`,
    `2:9-2:20 "outlook.com" | retry-after is not set for the outlook.com queue, so PowerMTA's default 10m applies, which retries sooner than 20m, the recommended value for the under-100k tier (common advice, not a limit Microsoft publishes; ${SET}`,
  ]);
  const fixed = applyFix(text, 'microsoft-unsafe-limit', {
    index: 0,
    safe: true,
    title: 'Add "max-smtp-out 4" to <domain outlook.com>',
  });
  assert.equal(fixed, DECLARED + good(REST + '    max-smtp-out 4\n', '\n<domain *>\n    max-smtp-out 20\n</domain>\n'));
});

test("microsoft-unsafe-limit: the guide's max-conn-rate is ignored by PowerMTA; where a connection rate could bind, the fix renames it and sets the value", () => {
  const text =
    DECLARED +
    good(
      LIMITS.replace('max-connect-rate 30/m', 'max-conn-rate 0.5/s').replace('max-msg-rate 150/h', 'max-msg-rate 2/s') +
        REST,
    );
  expectShown(text, 'microsoft-unsafe-limit', [
    `4:5-4:24 "max-conn-rate 0.5/s" | max-connect-rate is not set for the outlook.com queue: "max-conn-rate 0.5/s" is not a PowerMTA directive and is ignored, so new connections are not limited. max-connect-rate 30/m (1800/h) is the recommended value for the under-100k tier (common advice, not a limit Microsoft publishes; ${SET}`,
    `5:18-5:21 "2/s" | max-msg-rate 2/s (7200/h) is above 150/h, the recommended value for the under-100k tier (common advice, not a limit Microsoft publishes; ${SET}`,
  ]);
  assert.deepEqual(shown(text, 'unknown-directive').length, 1);
  const renamed = applyFix(text, 'microsoft-unsafe-limit', { safe: true, title: 'Change to "max-connect-rate 30/m"' });
  assert.equal(renamed, text.replace('max-conn-rate 0.5/s', 'max-connect-rate 30/m'));
  // with a max-msg-rate that already keeps it slower, the line is only the unknown directive it is
  const bound = DECLARED + good(LIMITS.replace('max-connect-rate 30/m', 'max-conn-rate 0.5/s') + REST);
  assert.deepEqual(shown(bound, 'microsoft-unsafe-limit'), []);
  assert.deepEqual(shown(bound, 'unknown-directive').length, 1);
});

test('microsoft-unsafe-limit: the tier comes from the annotation (in any file of the configuration), then the setting, then the pool size', () => {
  const body =
    LIMITS.replace('max-smtp-out 4', 'max-smtp-out 5').replace('30/m', '1/s').replace('150/h', '200/h') + REST;
  const text = good(body);
  // auto, no pool: the most conservative tier (max-connect-rate 1/s cannot bind at 200 messages an hour)
  assert.equal(shown(text, 'microsoft-unsafe-limit').length, 2);
  // annotation
  assert.deepEqual(ms('# pmta-lint: microsoft-tier=100k-500k\n' + text), []);
  // setting
  assert.deepEqual(ms(text, { microsoft: { volumeTier: '100k-500k' } }), []);
  // the annotation wins over the setting; "auto" in the annotation ignores the setting
  assert.equal(
    ms('# pmta-lint: microsoft-tier=under-100k\n' + text, { microsoft: { volumeTier: '500k-plus' } }).length,
    2,
  );
  assert.equal(ms('# pmta-lint: microsoft-tier=auto\n' + text, { microsoft: { volumeTier: '500k-plus' } }).length, 2);
  // an included file's annotation declares the tier of the configuration
  const files: Record<string, string> = { 'file:///etc/pmta/tier.conf': '# pmta-lint: microsoft-tier=100k-500k\n' };
  const host: IncludeHost = {
    resolveInclude: (_f, p) => (files['file://' + p] !== undefined ? ['file://' + p] : []),
    readFile: (u) => files[u],
  };
  assert.deepEqual(
    new PmtaLanguageService({ host })
      .lint(doc('include /etc/pmta/tier.conf\n' + text))
      .filter((f) => f.rule.startsWith('microsoft-')),
    [],
  );
  // a pool of 6 virtual MTAs (named by default-virtual-mta) means the 500k-plus tier
  assert.deepEqual(ms(text + poolOf(6)), []);
  const five = text + poolOf(5);
  expectShown(five, 'microsoft-unsafe-limit', [
    '2:18-2:19 "5" | max-smtp-out 5 is above 4, the recommended value for the under-100k tier (common advice, not a limit Microsoft publishes; tier assumed: pool ms-pool has 5 virtual MTAs, too few to tell the volume, so the most conservative tier applies). Declare the volume with "# pmta-lint: microsoft-tier=100k-500k" (or under-100k, 500k-plus); until then this is information only, and neither --fix nor "fix all" changes the value.',
    '4:18-4:23 "200/h" | max-msg-rate 200/h is above 150/h, the recommended value for the under-100k tier (common advice, not a limit Microsoft publishes; tier assumed: pool ms-pool has 5 virtual MTAs, too few to tell the volume, so the most conservative tier applies). Declare the volume with "# pmta-lint: microsoft-tier=100k-500k" (or under-100k, 500k-plus); until then this is information only, and neither --fix nor "fix all" changes the value.',
  ]);
  // an inferred tier is not a declared one either: information, declare first
  const inferred = findings(
    good(body.replace('max-smtp-out 5', 'max-smtp-out 8')) + poolOf(6),
    'microsoft-unsafe-limit',
  );
  assert.deepEqual(
    inferred.map((f) => [f.severity, f.fixes.length, f.fixes[3].safe ?? false]),
    [['information', 4, false]],
  );
  assert.match(inferred[0].message, /tier inferred from pool ms-pool: 6 virtual MTAs/);
  // an unknown tier in the annotation is the annotation rule's to report, not this rule's
  expectShown('# pmta-lint: microsoft-tier=huge\n' + good(), 'microsoft-unsafe-limit', []);
});

test("microsoft-unsafe-limit: a Microsoft block nested in a pool takes that pool's size", () => {
  const vmtas = [1, 2, 3, 4, 5, 6, 7]
    .map((i) => `<virtual-mta v${i}>\n    smtp-source-host 192.0.2.${i} v${i}.example.com\n</virtual-mta>\n`)
    .join('');
  const nested = `${vmtas}<virtual-mta-pool big>\n${[1, 2, 3, 4, 5, 6, 7].map((i) => `    virtual-mta v${i}\n`).join('')}    <domain outlook.com>\n        max-smtp-out 6\n        max-connect-rate 1/s\n        max-msg-rate 250/h\n        retry-after 15m\n        smtp-pattern-list microsoft-errors\n${REST.split('\n').slice(1).join('\n').replaceAll('    ', '        ')}    </domain>\n</virtual-mta-pool>\n\n${rollups()}\n${LIST}\n`;
  assert.deepEqual(lint(nested), []);
});

test("microsoft-unsafe-limit: judged per virtual MTA: a virtual MTA's own <domain outlook.com> overrides the global block for its queue", () => {
  const limits = GOOD_BODY.replace('retry-after 20m', 'retry-after 5m');
  // the pool's only virtual MTA retries after 1h: the global 5m is never used
  const only =
    DECLARED +
    good(limits, vmta('mta1', 1, '    <domain outlook.com>\n        retry-after 1h\n    </domain>\n') + pool('mta1'));
  assert.deepEqual(shown(only, 'microsoft-unsafe-limit'), []);
  // a second virtual MTA without a block of its own takes the global 5m: it is named
  const two =
    DECLARED +
    good(
      limits,
      vmta('mta1', 1, '    <domain outlook.com>\n        retry-after 1h\n    </domain>\n') +
        vmta('mta2', 2) +
        pool('mta1', 'mta2'),
    );
  expectShown(two, 'microsoft-unsafe-limit', [
    `6:17-6:19 "5m" | retry-after 5m for virtual MTA mta2 retries sooner than 20m, the recommended value for the under-100k tier (common advice, not a limit Microsoft publishes; ${SET}`,
  ]);
  // one virtual MTA raises max-smtp-out in its own block: reported there, naming it; the fix sets it there
  const raised =
    DECLARED +
    good(
      GOOD_BODY,
      vmta('mta1', 1) +
        vmta('mta2', 2, '    <domain outlook.com>\n        max-smtp-out 10\n    </domain>\n') +
        vmta('mta3', 3) +
        pool('mta1', 'mta2', 'mta3'),
    );
  expectShown(raised, 'microsoft-unsafe-limit', [
    `94:22-94:24 "10" | max-smtp-out 10 for virtual MTA mta2 is above 4, the recommended value for the under-100k tier (common advice, not a limit Microsoft publishes; ${SET}`,
  ]);
  assert.equal(
    applyFix(raised, 'microsoft-unsafe-limit', { safe: true, title: 'Set max-smtp-out to 4' }),
    raised.replace('        max-smtp-out 10\n', '        max-smtp-out 4\n'),
  );
});

test("microsoft-unsafe-limit: judged per virtual MTA: a virtual MTA's own <domain *> comes before the global <domain outlook.com>; the fix gives it a block of the queue", () => {
  const text =
    DECLARED +
    good(
      GOOD_BODY,
      vmta('mta1', 1) +
        vmta('mta2', 2, '    <domain *>\n        max-msg-rate 600/h\n    </domain>\n') +
        pool('mta1', 'mta2'),
    );
  expectShown(text, 'microsoft-unsafe-limit', [
    `2:9-2:20 "outlook.com" | The outlook.com queue of virtual MTA mta2 takes max-msg-rate 600/h from <domain *> inside <virtual-mta mta2> (line 94), which is above 150/h, the recommended value for the under-100k tier (common advice, not a limit Microsoft publishes; ${SET}`,
  ]);
  const f = findings(text, 'microsoft-unsafe-limit')[0];
  assert.deepEqual(
    f.related?.map((r) => [text.slice(r.span.start, r.span.end), r.message]),
    [['600/h', 'max-msg-rate inherited by the outlook.com queue']],
  );
  const fixed = applyFix(text, 'microsoft-unsafe-limit', {
    safe: true,
    title: 'Add <domain outlook.com> with "max-msg-rate 150/h" to <virtual-mta mta2>',
  });
  assert.equal(
    fixed,
    text.replace(
      '        max-msg-rate 600/h\n    </domain>\n',
      '        max-msg-rate 600/h\n    </domain>\n    <domain outlook.com>\n        max-msg-rate 150/h\n    </domain>\n',
    ),
  );
  assert.deepEqual(ms(fixed), []);
});

test('microsoft-unsafe-limit: every virtual MTA of the pool nests its own Microsoft blocks: one finding per limit, the fix in each block', () => {
  const nested =
    '    <domain outlook.com>\n        max-smtp-out 2\n    </domain>\n    <domain hotmail.com>\n        queue-to outlook.com\n    </domain>\n';
  const text =
    DECLARED + vmta('v1', 1, nested) + vmta('v2', 2, nested) + vmta('v3', 3, nested) + pool('v1', 'v2', 'v3');
  // one finding per limit for the pool, not one per virtual MTA
  expectShown(text, 'microsoft-unsafe-limit', [
    `4:13-4:24 "outlook.com" | max-connect-rate is not set for the outlook.com queue, so PowerMTA does not limit it (default unlimited): 30/m (1800/h) is the recommended value for the under-100k tier (common advice, not a limit Microsoft publishes; ${SET}`,
    `4:13-4:24 "outlook.com" | max-msg-rate is not set for the outlook.com queue, so PowerMTA does not limit it (default unlimited): 150/h is the recommended value for the under-100k tier (common advice, not a limit Microsoft publishes; ${SET}`,
    `4:13-4:24 "outlook.com" | retry-after is not set for the outlook.com queue, so PowerMTA's default 10m applies, which retries sooner than 20m, the recommended value for the under-100k tier (common advice, not a limit Microsoft publishes; ${SET}`,
  ]);
  const fixed = applyFix(text, 'microsoft-unsafe-limit', {
    index: 2,
    safe: true,
    title: 'Set retry-after to 20m in 3 blocks',
  });
  assert.equal(fixed, text.replaceAll('        max-smtp-out 2\n', '        max-smtp-out 2\n        retry-after 20m\n'));
});

test('microsoft-unsafe-limit: a queue sent to a relay does not connect to Microsoft: not judged', () => {
  const loose = GOOD_BODY.replace('max-smtp-out 4', 'max-smtp-out 40').replace('retry-after 20m', 'retry-after 1m');
  const relayed = DECLARED + good(loose + '    smtp-hosts [10.0.0.5]:2525\n', vmta('mta1', 1) + pool('mta1'));
  assert.deepEqual(shown(relayed, 'microsoft-unsafe-limit'), []);
  // route, the old name, counts the same; so does a queue that does not deliver by SMTP
  assert.deepEqual(shown(relayed.replace('smtp-hosts', 'route'), 'microsoft-unsafe-limit'), []);
  assert.deepEqual(shown(relayed.replace('smtp-hosts [10.0.0.5]:2525', 'type discard'), 'microsoft-unsafe-limit'), []);
  // an MX lookup of a Microsoft domain, or a Microsoft host, is no relay; "" clears an inherited relay
  assert.equal(shown(relayed.replace('[10.0.0.5]:2525', 'lookup-mx:hotmail.com'), 'microsoft-unsafe-limit').length, 2);
  assert.equal(
    shown(relayed.replace('[10.0.0.5]:2525', 'outlook-com.olc.protection.outlook.com'), 'microsoft-unsafe-limit')
      .length,
    2,
  );
  // one virtual MTA relays, the other connects: only the other is judged
  const mixed =
    DECLARED +
    good(
      loose,
      vmta('mta1', 1, '    <domain outlook.com>\n        smtp-hosts relay.example.net\n    </domain>\n') +
        vmta('mta2', 2) +
        pool('mta1', 'mta2'),
    );
  expectShown(mixed, 'microsoft-unsafe-limit', [
    `3:18-3:20 "40" | max-smtp-out 40 for virtual MTA mta2 is above 4, the recommended value for the under-100k tier (common advice, not a limit Microsoft publishes; ${SET}`,
    `6:17-6:19 "1m" | retry-after 1m for virtual MTA mta2 retries sooner than 20m, the recommended value for the under-100k tier (common advice, not a limit Microsoft publishes; ${SET}`,
  ]);
  const cleared =
    DECLARED + good(loose + '    smtp-hosts ""\n', '<domain *>\n    smtp-hosts relay.example.net\n</domain>\n');
  assert.equal(shown(cleared, 'microsoft-unsafe-limit').length, 2);
});
