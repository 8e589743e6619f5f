/**
 * microsoft-missing-rollup: Microsoft consumer domains that do not share the Microsoft queue, and the fixes
 * that roll them up (long expected texts in test/fixtures/microsoft/).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MICROSOFT_CONSUMER_DOMAINS, GUIDE_ROLLUP_DOMAINS } from '../../../server/src/knowledge/microsoft';
import { lint } from '../../helpers/util';
import {
  applyFix,
  applyOnly,
  DECLARED,
  expectShown,
  findings,
  fixList,
  fixture,
  good,
  GOOD_BODY,
  LIST,
  ms,
  rollups,
  VARIANTS,
} from '../../helpers/microsoft';

/** The sentence added while the tier is not declared: the fix changes throughput, so --fix and fix all wait. */
const WAIT = (what: string) =>
  ` ${what} how fast Microsoft mail goes out, so --fix and "fix all" do it only once the volume is declared with "# pmta-lint: microsoft-tier=…"; until then, make the change yourself if it suits your volume.`;
/** The actions that declare the volume, after the other fixes while the tier is not declared. */
const DECLARE = [
  'Declare the volume to Microsoft: under 100,000 messages a day (microsoft-tier=under-100k)',
  'Declare the volume to Microsoft: 100,000 to 500,000 messages a day (microsoft-tier=100k-500k)',
  'Declare the volume to Microsoft: more than 500,000 messages a day (microsoft-tier=500k-plus)',
];

test('microsoft-missing-rollup: outlook.com alone: every variant named, one fix inserts them after the block, applied by --fix once the tier is declared', () => {
  const text = `<domain outlook.com>\n${GOOD_BODY}</domain>\n\n<domain *>\n    max-smtp-out 10\n</domain>\n\n${LIST}\n`;
  const message =
    '9 Microsoft consumer domains do not share the outlook.com queue and its connection limits: hotmail.com, hotmail.co.uk, hotmail.de, hotmail.fr, live.com, live.co.uk, live.de, msn.com, windowslive.com (9 of the 10 checked: the ten that common advice rolls up and every Microsoft domain this configuration names). Together the Microsoft queues may open up to 94 connections per IP instead of 4. Roll them up with "queue-to outlook.com".';
  expectShown(text, 'microsoft-missing-rollup', [
    `1:9-1:20 "outlook.com" | ${message}${WAIT('Rolling them up changes')}`,
  ]);
  // the rollup changes throughput: offered first, but not applied by --fix or fix all while the tier is assumed
  const f = lint(text).find((x) => x.rule === 'microsoft-missing-rollup')!;
  assert.deepEqual(fixList(f), [
    'Roll up 9 domains into the outlook.com queue [preferred]',
    'Also roll up the 92 other Microsoft consumer domains (one domain-macro and one block)',
    ...DECLARE,
  ]);
  const rolled = `<domain outlook.com>\n${GOOD_BODY}</domain>\n\n${rollups()}\n<domain *>\n    max-smtp-out 10\n</domain>\n\n${LIST}\n`;
  assert.equal(applyFix(text, 'microsoft-missing-rollup', { safe: false }), rolled);
  assert.deepEqual(lint(rolled), []);
  // each declaring action puts its annotation above the queue's block
  assert.equal(applyOnly(text, f, 2), DECLARED + text);
  assert.equal(applyOnly(text, f, 4), DECLARED.replace('under-100k', '500k-plus') + text);
  // declared: the message says nothing of it, the fix is safe and no declaring action is offered
  expectShown(DECLARED + text, 'microsoft-missing-rollup', [`2:9-2:20 "outlook.com" | ${message}`]);
  assert.deepEqual(fixList(findings(DECLARED + text, 'microsoft-missing-rollup')[0]), [
    'Roll up 9 domains into the outlook.com queue [safe] [preferred]',
    'Also roll up the 92 other Microsoft consumer domains (one domain-macro and one block)',
  ]);
  assert.equal(applyFix(DECLARED + text, 'microsoft-missing-rollup', { safe: true }), DECLARED + rolled);
  // so does the setting
  assert.equal(
    applyFix(text, 'microsoft-missing-rollup', { safe: true, settings: { microsoft: { volumeTier: '100k-500k' } } }),
    rolled,
  );
});

test('microsoft-missing-rollup: the full certain list as a second fix (one macro, one block)', () => {
  const text = good();
  const partial = text.replace('<domain hotmail.de>\n    queue-to outlook.com\n</domain>\n\n', '');
  // one domain: "it"
  expectShown(partial, 'microsoft-missing-rollup', [
    '1:9-1:20 "outlook.com" | A Microsoft consumer domain does not share the outlook.com queue and its connection limits: hotmail.de (1 of the 10 checked: the ten that common advice rolls up and every Microsoft domain this configuration names). Together the Microsoft queues may open up to 24 connections per IP instead of 4. Roll it up with "queue-to outlook.com".' +
      WAIT('Rolling it up changes'),
  ]);
  const fixed = applyFix(partial, 'microsoft-missing-rollup', { fix: 1, safe: false });
  const certain = MICROSOFT_CONSUMER_DOMAINS.filter(
    (d) => d.certainty === 'certain' && !GUIDE_ROLLUP_DOMAINS.includes(d.domain),
  ).map((d) => d.domain);
  assert.equal(certain.length, 92);
  assert.equal(
    fixed,
    partial.replace(
      '</domain>\n\n<domain hotmail.com>',
      `</domain>\n\n<domain hotmail.de>\n    queue-to outlook.com\n</domain>\n\ndomain-macro microsoft_consumer ${certain.join(', ')}\n<domain $microsoft_consumer>\n    queue-to outlook.com\n</domain>\n\n<domain hotmail.com>`,
    ),
  );
  assert.deepEqual(ms(fixed), []);
});

test('microsoft-missing-rollup: a <domain $macro> with limits is not a rollup; the fix names outlook.com and rolls the macro into it', () => {
  const text = `domain-macro hotmail hotmail.com, outlook.com, live.com, msn.com\n\n<domain $hotmail>\n${GOOD_BODY}</domain>\n\n${LIST}\n`;
  expectShown(text, 'microsoft-missing-rollup', [
    '3:9-3:17 "$hotmail" | 9 Microsoft consumer domains do not share the outlook.com queue and its connection limits: hotmail.com, hotmail.co.uk, hotmail.de, hotmail.fr, live.com, live.co.uk, live.de, msn.com, windowslive.com (9 of the 10 checked: the ten that common advice rolls up and every Microsoft domain this configuration names). <domain $hotmail> (line 3) is not a rollup: each of its 4 domains keeps a queue of its own, so its max-smtp-out 4 allows up to 16 connections per IP to Microsoft, not 4. Together the Microsoft queues may open up to 136 connections per IP instead of 4. Roll them up with "queue-to outlook.com".',
  ]);
  const fixed = applyFix(text, 'microsoft-missing-rollup', {
    safe: false,
    title: 'Roll up 9 domains into the outlook.com queue',
  });
  assert.equal(fixed, fixture('missing-rollup-macro.fixed.pmta'));
  assert.deepEqual(ms(fixed), []);
});

test('microsoft-missing-rollup: a macro without limits gets queue-to when the queue has its own block; a mixed macro gets explicit blocks', () => {
  const macro =
    `domain-macro ms hotmail.de, hotmail.fr\n` +
    good().replace(
      '<domain hotmail.de>\n    queue-to outlook.com\n</domain>\n\n<domain hotmail.fr>\n    queue-to outlook.com\n</domain>\n\n',
      '<domain $ms>\n    dkim-sign yes\n</domain>\n\n',
    );
  expectShown(macro, 'microsoft-missing-rollup', [
    '2:9-2:20 "outlook.com" | 2 Microsoft consumer domains do not share the outlook.com queue and its connection limits: hotmail.de, hotmail.fr (2 of the 10 checked: the ten that common advice rolls up and every Microsoft domain this configuration names). <domain $ms> (line 22) is not a rollup: each of its 2 domains keeps a queue of its own, so its max-smtp-out 20 allows up to 40 connections per IP to Microsoft, not 20. Together the Microsoft queues may open up to 44 connections per IP instead of 4. Roll them up with "queue-to outlook.com".' +
      WAIT('Rolling them up changes'),
  ]);
  // applied by --fix only with the tier declared
  const withQueueTo = macro.replace(
    '<domain $ms>\n    dkim-sign yes\n',
    '<domain $ms>\n    dkim-sign yes\n    queue-to outlook.com\n',
  );
  assert.equal(applyFix(macro, 'microsoft-missing-rollup', { safe: false }), withQueueTo);
  assert.equal(applyFix(DECLARED + macro, 'microsoft-missing-rollup', { safe: true }), DECLARED + withQueueTo);
  const mixed = macro.replace('hotmail.de, hotmail.fr', 'hotmail.de, hotmail.fr, gmail.com');
  const explicit = mixed.replace(
    '\n\n<domain hotmail.com>',
    '\n\n<domain hotmail.de>\n    queue-to outlook.com\n</domain>\n\n<domain hotmail.fr>\n    queue-to outlook.com\n</domain>\n\n<domain hotmail.com>',
  );
  assert.equal(applyFix(mixed, 'microsoft-missing-rollup', { safe: false }), explicit);
  assert.equal(applyFix(DECLARED + mixed, 'microsoft-missing-rollup', { safe: true }), DECLARED + explicit);
});

test('microsoft-missing-rollup: a variant block with limits of its own: queue-to added, its limits removed, after review', () => {
  const text = good().replace(
    '<domain live.com>\n    queue-to outlook.com\n',
    '<domain live.com>\n    max-smtp-out 8\n    retry-after 5m\n',
  );
  expectShown(text, 'microsoft-missing-rollup', [
    '1:9-1:20 "outlook.com" | A Microsoft consumer domain does not share the outlook.com queue and its connection limits: live.com (1 of the 10 checked: the ten that common advice rolls up and every Microsoft domain this configuration names). Together the Microsoft queues may open up to 12 connections per IP instead of 4. Roll it up with "queue-to outlook.com".',
  ]);
  const fixed = applyFix(text, 'microsoft-missing-rollup', { safe: false });
  assert.equal(fixed, good());
});

test("microsoft-missing-rollup: only variants — the file's queue is a variant; a second fix makes outlook.com the queue", () => {
  const text = `<domain hotmail.com>\n${GOOD_BODY}</domain>\n\n<domain live.com>\n    queue-to hotmail.com\n</domain>\n\n${LIST}\n`;
  expectShown(text, 'microsoft-missing-rollup', [
    '1:9-1:20 "hotmail.com" | 8 Microsoft consumer domains do not share the hotmail.com queue and its connection limits: outlook.com, hotmail.co.uk, hotmail.de, hotmail.fr, live.co.uk, live.de, msn.com, windowslive.com (8 of the 10 checked: the ten that common advice rolls up and every Microsoft domain this configuration names). Together the Microsoft queues may open up to 164 connections per IP instead of 4. Roll them up with "queue-to hotmail.com".' +
      WAIT('Rolling them up changes'),
  ]);
  const f = lint(text).find((x) => x.rule === 'microsoft-missing-rollup')!;
  assert.deepEqual(fixList(f), [
    'Roll up 8 domains into the hotmail.com queue [preferred]',
    'Use outlook.com as the shared queue instead of hotmail.com',
    'Also roll up the 92 other Microsoft consumer domains (one domain-macro and one block)',
    ...DECLARE,
  ]);
  const viaHotmail = applyFix(text, 'microsoft-missing-rollup', { safe: false });
  assert.equal(viaHotmail, fixture('missing-rollup-variants-only.via-hotmail.pmta'));
  assert.equal(applyFix(DECLARED + text, 'microsoft-missing-rollup', { safe: true }), DECLARED + viaHotmail);
  const viaOutlook = applyFix(text, 'microsoft-missing-rollup', {
    fix: 1,
    safe: false,
    title: 'Use outlook.com as the shared queue instead of hotmail.com',
  });
  assert.equal(viaOutlook, fixture('missing-rollup-variants-only.via-outlook.pmta'));
  assert.deepEqual(ms(viaOutlook), []);
});

test('microsoft-missing-rollup: variants queue into outlook.com but it has no block — the fix adds a complete one, without review once the tier is declared', () => {
  const text = `<domain *>\n    max-smtp-out 20\n</domain>\n\n${rollups()}`;
  expectShown(text, 'microsoft-missing-rollup', [
    '6:14-6:25 "outlook.com" | Microsoft mail goes into the outlook.com queue, but no <domain outlook.com> block sets its limits, so it runs with <domain *> and PowerMTA\'s defaults (max-smtp-out 20).' +
      WAIT('Adding <domain outlook.com> changes'),
  ]);
  // the new block sets the tier's limits: not applied by --fix while the tier is assumed (no action declares the
  // volume: those go above the queue's block, which the file does not have yet)
  assert.deepEqual(fixList(findings(text, 'microsoft-missing-rollup')[0]), [
    'Add <domain outlook.com> with the recommended Microsoft settings [preferred]',
    'Also roll up the 92 other Microsoft consumer domains (one domain-macro and one block)',
  ]);
  const fixed = applyFix(text, 'microsoft-missing-rollup', {
    safe: false,
    title: 'Add <domain outlook.com> with the recommended Microsoft settings',
  });
  assert.equal(fixed, fixture('missing-rollup-anchorless.fixed.pmta'));
  assert.deepEqual(lint(fixed), []);
  const declared = applyFix(DECLARED + text, 'microsoft-missing-rollup', {
    safe: true,
    title: 'Add <domain outlook.com> with the recommended Microsoft settings',
  });
  assert.equal(declared, DECLARED + fixture('missing-rollup-anchorless.fixed.pmta'));
});

test('microsoft-missing-rollup: without a block for the queue, and the tier not declared, the rollup alone is the preferred fix; declared, one safe fix does both', () => {
  const text = `<domain *>\n    max-smtp-out 20\n</domain>\n\n${rollups('outlook.com', VARIANTS.slice(0, 3))}`;
  expectShown(text, 'microsoft-missing-rollup', [
    '6:14-6:25 "outlook.com" | 6 Microsoft consumer domains do not share the outlook.com queue and its connection limits: hotmail.fr, live.com, live.co.uk, live.de, msn.com, windowslive.com (6 of the 10 checked: the ten that common advice rolls up and every Microsoft domain this configuration names). Together the Microsoft queues may open up to 140 connections per IP instead of 20. Roll them up with "queue-to outlook.com". Microsoft mail goes into the outlook.com queue, but no <domain outlook.com> block sets its limits, so it runs with <domain *> and PowerMTA\'s defaults (max-smtp-out 20).' +
      WAIT('Rolling them up and adding <domain outlook.com> change'),
  ]);
  assert.deepEqual(fixList(findings(text, 'microsoft-missing-rollup')[0]), [
    'Roll up 6 domains into the outlook.com queue [preferred]',
    'Roll up 6 domains into the outlook.com queue and add <domain outlook.com>',
    'Also roll up the 92 other Microsoft consumer domains (one domain-macro and one block)',
  ]);
  const rolled = applyOnly(text, findings(text, 'microsoft-missing-rollup')[0]);
  assert.equal(rolled, `<domain *>\n    max-smtp-out 20\n</domain>\n\n${rollups()}`);
  // what is left: the queue's block, which waits for the tier
  expectShown(rolled, 'microsoft-missing-rollup', [
    '6:14-6:25 "outlook.com" | Microsoft mail goes into the outlook.com queue, but no <domain outlook.com> block sets its limits, so it runs with <domain *> and PowerMTA\'s defaults (max-smtp-out 20).' +
      WAIT('Adding <domain outlook.com> changes'),
  ]);
  // declared: one fix does both
  assert.deepEqual(fixList(findings(DECLARED + text, 'microsoft-missing-rollup')[0]), [
    'Roll up 6 domains into the outlook.com queue and add <domain outlook.com> [safe] [preferred]',
    'Also roll up the 92 other Microsoft consumer domains (one domain-macro and one block)',
  ]);
});

test('microsoft-missing-rollup: <mx-rollup-list> covering the consumer MX hosts rolls every domain up; a wildcard [*.]x block counts', () => {
  const mx = `<mx-rollup-list>\n    mx *.olc.protection.outlook.com outlook.rollup\n</mx-rollup-list>\n\n<domain outlook.rollup>\n${GOOD_BODY}</domain>\n\n${LIST}\n`;
  assert.deepEqual(lint(mx), []);
  // a pattern that misses the consumer hosts is not a rollup
  const wrong = mx.replace('*.olc.protection.outlook.com', '*.hotmail.com');
  assert.deepEqual(ms(wrong), []);
  // an explicit queue-to elsewhere wins over the MX rollup
  const elsewhere = mx + '\n<domain msn.com>\n    queue-to msn.queue\n</domain>\n';
  expectShown(elsewhere, 'microsoft-missing-rollup', [
    '5:9-5:23 "outlook.rollup" | A Microsoft consumer domain does not share the outlook.rollup queue and its connection limits: msn.com (1 of the 10 checked: the ten that common advice rolls up and every Microsoft domain this configuration names). Together the Microsoft queues may open up to 24 connections per IP instead of 4. Roll it up with "queue-to outlook.rollup".',
  ]);
  const wild = good().replace('<domain hotmail.co.uk>', '<domain [*.]hotmail.co.uk>');
  assert.deepEqual(ms(wild), []);
});

test('microsoft-missing-rollup: the fix keeps CRLF line ends and tab indentation', () => {
  const text =
    `<domain outlook.com>\r\n${GOOD_BODY.replaceAll('    ', '\t')}</domain>\r\n${LIST.replaceAll('    ', '\t')}\r\n`.replace(
      /\r?\n/g,
      '\r\n',
    );
  const fixed = applyFix(text, 'microsoft-missing-rollup', {
    safe: true,
    settings: { microsoft: { volumeTier: 'under-100k' } },
  });
  const blocks = VARIANTS.map((d) => `<domain ${d}>\r\n\tqueue-to outlook.com\r\n</domain>`).join('\r\n\r\n');
  assert.equal(
    fixed,
    text.replace('</domain>\r\n<smtp-pattern-list', `</domain>\r\n\r\n${blocks}\r\n<smtp-pattern-list`),
  );
  // the tier not declared: the action that declares it ends its line with CRLF too
  const f = findings(text, 'microsoft-missing-rollup')[0];
  assert.equal(f.fixes[2].title, DECLARE[0]);
  assert.equal(applyOnly(text, f, 2), DECLARED.replace('\n', '\r\n') + text);
});

test('microsoft-missing-rollup: a long list of missing domains names the first ten and counts the rest', () => {
  const many = [
    'hotmail.com',
    'outlook.com',
    'live.com',
    'msn.com',
    'hotmail.co.uk',
    'hotmail.de',
    'hotmail.fr',
    'live.co.uk',
    'live.de',
    'windowslive.com',
    'hotmail.it',
    'live.fr',
    'hotmail.es',
    'live.it',
    'hotmail.co.jp',
    'live.nl',
  ];
  const text = `domain-macro hotmail ${many.join(', ')}\n\n<domain $hotmail>\n${GOOD_BODY}</domain>\n\n${LIST}\n`;
  expectShown(text, 'microsoft-missing-rollup', [
    '3:9-3:17 "$hotmail" | 15 Microsoft consumer domains do not share the outlook.com queue and its connection limits: hotmail.com, hotmail.co.uk, hotmail.de, hotmail.fr, live.com, live.co.uk, live.de, msn.com, windowslive.com, hotmail.it and 5 more (15 of the 16 checked: the ten that common advice rolls up and every Microsoft domain this configuration names). <domain $hotmail> (line 3) is not a rollup: each of its 16 domains keeps a queue of its own, so its max-smtp-out 4 allows up to 64 connections per IP to Microsoft, not 4. Together the Microsoft queues may open up to 64 connections per IP instead of 4. Roll them up with "queue-to outlook.com".',
  ]);
  // every domain is still named, in the related information
  const f = lint(text).find((x) => x.rule === 'microsoft-missing-rollup')!;
  assert.equal(f.related?.length, 15);
  assert.equal(f.related?.[14].message, 'live.nl keeps a queue of its own here');
});

test('microsoft-missing-rollup: the connections together are counted per virtual MTA, each queue as that virtual MTA runs it', () => {
  const config = (own: number) =>
    [
      'domain-macro hot hotmail.com, live.com',
      '<domain outlook.com>\n    max-smtp-out 2\n</domain>',
      '<domain $hot>\n    max-smtp-out 1\n</domain>',
      `<virtual-mta a>\n    smtp-source-host 10.0.0.1 a.example.com\n    <domain *>\n        max-smtp-out ${own}\n    </domain>\n</virtual-mta>`,
      '<virtual-mta b>\n    smtp-source-host 10.0.0.2 b.example.com\n</virtual-mta>',
      '<virtual-mta-pool p>\n    virtual-mta a\n    virtual-mta b\n</virtual-mta-pool>',
      '<source 0/0>\n    default-virtual-mta p\n</source>',
    ].join('\n') + '\n';
  const together = (text: string) =>
    /Together [^.]*\./.exec(lint(text).find((f) => f.rule === 'microsoft-missing-rollup')!.message)?.[0];
  // b runs the top-level blocks: outlook.com 2, hotmail.com and live.com 1 each, seven variants PowerMTA's default 20;
  // a runs its own <domain *> for every queue: 3 each, 30 in all
  assert.equal(
    together(config(3)),
    'Together the Microsoft queues may open up to 144 connections per IP on virtual MTA b, where they open the most, instead of 2.',
  );
  assert.equal(
    together(config(30)),
    'Together the Microsoft queues may open up to 300 connections per IP on virtual MTA a, where they open the most, instead of 30.',
  );
  // one virtual MTA, or all alike: no name
  assert.equal(
    together(config(3).replace('    virtual-mta a\n', '')),
    'Together the Microsoft queues may open up to 144 connections per IP instead of 2.',
  );
});
