/**
 * The Microsoft rules together: their registry, configurations every rule accepts, the examples (findings,
 * fixes and fix-all, with the volume tier assumed and declared), suppression comments, the hover on the
 * Microsoft queue and pool (connections, tier, relay), and shapes with thousands of Microsoft blocks nested
 * in virtual MTAs and pools (one finding per route, not one per block). Long expected texts are in
 * test/fixtures/microsoft/. The rules one by one: test/unit/rules/microsoft-*.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PmtaLanguageService } from '../../server/src/service';
import { Model } from '../../server/src/model';
import { MICROSOFT_RULES } from '../../server/src/rules/microsoft';
import { microsoftHover } from '../../server/src/features/microsoftHover';
import { microsoftDomainSection } from '../../server/src/features/microsoft';
import { REPORTED_ELSEWHERE } from '../../server/src/rules/unknownDirective';
import { doc, lint } from '../helpers/util';
import {
  applyFix,
  DECLARED,
  example,
  fixture,
  fixtureLines,
  good,
  GOOD_BODY,
  isMs,
  ms,
  shown,
} from '../helpers/microsoft';

test('Microsoft rules: ids, severities and descriptions', () => {
  assert.deepEqual(
    MICROSOFT_RULES.map((r) => `${r.id}:${r.defaultSeverity}`),
    [
      'microsoft-mx-rollup-directive:error',
      'microsoft-missing-rollup:warning',
      'microsoft-separate-pool:warning',
      'microsoft-unsafe-limit:warning',
      'microsoft-connection-budget:warning',
      'microsoft-missing-pattern-list:warning',
      'microsoft-incomplete-pattern-list:information',
      'microsoft-backoff-limits:information',
      'microsoft-bounce-before-retry:warning',
      'microsoft-missing-dkim:warning',
    ],
  );
  for (const r of MICROSOFT_RULES) assert.ok(r.description.length > 20 && !r.description.includes('\n'), r.id);
  assert.ok(REPORTED_ELSEWHERE.has('mx-rollup'));
});

test('Microsoft rules: a configuration that follows the guide correctly has no Microsoft finding; one without Microsoft blocks neither', () => {
  assert.deepEqual(lint(good()), []);
  assert.deepEqual(lint(DECLARED + good()), []);
  assert.deepEqual(
    ms('<domain gmail.com>\n    max-smtp-out 2\n</domain>\n<domain *>\n    max-smtp-out 20\n</domain>\n'),
    [],
  );
  // *.hotmail.com names no consumer domain (Microsoft has none under hotmail.com)
  assert.deepEqual(ms('<domain *.hotmail.com>\n    max-smtp-out 2\n</domain>\n'), []);
  assert.deepEqual(lint(example('microsoft-good.pmta')), []);
});

test('Microsoft rules: inline suppression comments silence Microsoft findings', () => {
  const text = good(GOOD_BODY.replace('    dkim-sign yes\n', ''));
  assert.equal(ms(text).length, 1);
  assert.deepEqual(ms('# pmta-lint: disable-next-line microsoft-missing-dkim\n' + text), []);
  assert.deepEqual(ms('# pmta-lint: disable microsoft-missing-dkim\n' + text), []);
  assert.deepEqual(ms(text, { rules: { 'microsoft-missing-dkim': 'off' } }), []);
});

test('Microsoft rules on examples/microsoft.pmta: each problem once, at its place; the limits are information, its tier being assumed', () => {
  const text = example('microsoft.pmta');
  assert.deepEqual(shown(text), fixtureLines('examples-microsoft.findings.txt'));
  assert.deepEqual(
    ms(text).map((f) => `${f.rule}:${f.severity}`),
    [
      'microsoft-missing-rollup:warning',
      'microsoft-missing-pattern-list:warning',
      'microsoft-missing-dkim:warning',
      'microsoft-unsafe-limit:information',
      'microsoft-unsafe-limit:information',
      'microsoft-unsafe-limit:information',
      'microsoft-mx-rollup-directive:error',
    ],
  );
});

test('Microsoft rules on examples/microsoft.pmta: every Microsoft fix that is not a declaration keeps the contract', () => {
  const text = example('microsoft.pmta');
  const byRule = new Map<string, number>();
  for (const f of ms(text)) {
    const index = byRule.get(f.rule) ?? 0;
    byRule.set(f.rule, index + 1);
    for (let i = 0; i < f.fixes.length; i++)
      if (!f.fixes[i].title.startsWith('Declare the volume')) applyFix(text, f.rule, { index, fix: i });
  }
  // the rollup fix, exactly: not safe while the tier is assumed (it changes how fast Microsoft mail goes out), safe once declared
  const rolled = applyFix(text, 'microsoft-missing-rollup', {
    safe: false,
    title: 'Roll up 8 domains into the outlook.com queue',
  });
  const inserted = [
    'hotmail.co.uk',
    'hotmail.de',
    'hotmail.fr',
    'live.com',
    'live.co.uk',
    'live.de',
    'msn.com',
    'windowslive.com',
  ]
    .map((d) => `<domain ${d}>\n    queue-to outlook.com\n</domain>\n`)
    .join('\n');
  assert.equal(
    rolled,
    text.replace('    mx-rollup outlook.com\n</domain>\n\n', `    mx-rollup outlook.com\n</domain>\n\n${inserted}\n`),
  );
  assert.equal(
    applyFix(DECLARED + text, 'microsoft-missing-rollup', {
      safe: true,
      title: 'Roll up 8 domains into the outlook.com queue',
    }),
    DECLARED + rolled,
  );
});

test('Microsoft rules on examples/microsoft.pmta: fix-all does not cut throughput while the tier is assumed; declared, it leaves a configuration the Microsoft rules accept', () => {
  const text = example('microsoft.pmta');
  const service = new PmtaLanguageService();
  const { text: fixed } = service.fixAll(doc(text));
  assert.equal(fixed, fixture('examples-microsoft.fix-all.pmta'));
  // the limits are as they were, no pattern list is inserted, no domain is rolled up (that too changes how fast
  // Microsoft mail goes out); DKIM, the misspelt max-conn-rate and the mx-rollup line are fixed
  assert.ok(
    fixed.includes(
      '    max-smtp-out 10\n    max-connect-rate 2/s\n    max-msg-rate 500/h\n    retry-after 5m\n    dkim-sign yes\n</domain>\n',
    ),
  );
  assert.ok(!fixed.includes('smtp-pattern-list'));
  assert.ok(!fixed.includes('<domain hotmail.co.uk>'));
  assert.deepEqual(
    lint(fixed).map((f) => `${f.rule}:${f.severity}`),
    [
      'undefined-reference:error',
      'microsoft-missing-rollup:warning',
      'microsoft-missing-pattern-list:warning',
      'microsoft-unsafe-limit:information',
      'microsoft-unsafe-limit:information',
      'microsoft-unsafe-limit:information',
      // the dkim-sign yes the fix added, with no domain-key to sign with (the configuration has none)
      'dkim-sign-without-key:warning',
      'invalid-value:error',
    ],
  );
  assert.equal(service.fixAll(doc(fixed)).text, fixed);
  // the same file with its tier declared: the domains rolled up, the limits set, the pattern list added
  const declared = service.fixAll(doc(DECLARED + text)).text;
  assert.equal(declared, fixture('examples-microsoft.declared.fix-all.pmta'));
  assert.ok(declared.includes('<domain hotmail.co.uk>\n    queue-to outlook.com\n</domain>\n'));
  assert.deepEqual(ms(declared), []);
  // what is left is not Microsoft's: an undefined virtual MTA, the dkim-sign yes the fix added with no domain-key to
  // sign with (the configuration has none), and an invalid retry-after in <domain *>
  assert.deepEqual(
    lint(declared).map((f) => f.rule),
    ['undefined-reference', 'dkim-sign-without-key', 'invalid-value'],
  );
  assert.equal(service.fixAll(doc(declared)).text, declared);
});

test('Microsoft rules on examples/blog-pseudo-syntax.pmta: no fix edits inside pseudo-syntax; fix-all converts and completes what does not wait for the tier', () => {
  const text = example('blog-pseudo-syntax.pmta');
  // fixes would edit inside blog pseudo-syntax: only the rollup (new blocks after it) and the declarations (a line before it)
  assert.deepEqual(
    ms(text)
      .filter((f) => f.fixes.length)
      .map((f) => `${f.rule}: ${f.fixes.map((x) => x.title.replace(/: .*/, '')).join(', ')}`),
    [
      'microsoft-missing-rollup: Roll up 7 domains into the outlook.com queue, Also roll up the 92 other Microsoft consumer domains (one domain-macro and one block), Declare the volume to Microsoft, Declare the volume to Microsoft, Declare the volume to Microsoft',
      'microsoft-unsafe-limit: Declare the volume to Microsoft, Declare the volume to Microsoft, Declare the volume to Microsoft',
    ],
  );
  assert.deepEqual(shown(text), fixtureLines('examples-blog-pseudo-syntax.findings.txt'));
  const service = new PmtaLanguageService();
  const { text: fixed } = service.fixAll(doc(text));
  // what waits for the tier: the rollup, the pattern list's missing rules, the backoff directives and max-msg-rate
  assert.deepEqual(
    ms(fixed).map((f) => f.rule),
    [
      'microsoft-missing-rollup',
      'microsoft-incomplete-pattern-list',
      'microsoft-backoff-limits',
      'microsoft-unsafe-limit',
    ],
  );
  assert.equal(service.fixAll(doc(fixed)).text, fixed);
  const declared = service.fixAll(doc(DECLARED + text)).text;
  assert.deepEqual(ms(declared), []);
});

test('Microsoft rules: hover on the Microsoft pool and queue shows the connection total, how it is computed, and whether the tier is declared', () => {
  const text = example('microsoft.pmta');
  const model = new Model(doc(text));
  const at = (s: string, k = 0) => text.indexOf(s) + k;
  const tier =
    '- Volume tier: under-100k (assumed: pool microsoft-pool has 2 virtual MTAs, too few to tell the volume, so the most conservative tier applies; not declared, so the findings about limits are information and neither --fix nor "fix all" changes them).';
  assert.equal(
    microsoftHover(model, at('<virtual-mta-pool microsoft-pool>', 20), {}),
    `**Microsoft mail** (the outlook.com queue) goes through this pool.\n\n\`<domain outlook.com>\`:\n- Connections to Microsoft: pool microsoft-pool (2 virtual MTAs; mta3 not counted: no \`<virtual-mta mta3>\`) × max-smtp-out 10 (\`<domain outlook.com>\`, line 36) = 20 simultaneous connections, within the budget of 60 that common advice gives (not a Microsoft limit).\n- Route: default-virtual-mta microsoft-pool in \`<source 127.0.0.1>\`.\n${tier}`,
  );
  assert.equal(
    microsoftHover(model, at('<domain outlook.com>', 10), {}),
    `**Microsoft queue outlook.com**\n\n- Connections to Microsoft: pool microsoft-pool (2 virtual MTAs; mta3 not counted: no \`<virtual-mta mta3>\`) × max-smtp-out 10 (\`<domain outlook.com>\`, line 36) = 20 simultaneous connections, within the budget of 60 that common advice gives (not a Microsoft limit).\n- Route: default-virtual-mta microsoft-pool in \`<source 127.0.0.1>\`.\n${tier}\n- Rolled into it: 2 of the 10 Microsoft consumer domains checked.`,
  );
  assert.equal(
    microsoftHover(model, at('<domain hotmail.com>', 10), {}),
    '**Microsoft queues**\n\n- hotmail.com goes into the outlook.com queue (queue-to) and shares its limits.',
  );
  assert.equal(microsoftHover(model, at('<domain *>', 8), {}), undefined);
  assert.equal(microsoftHover(model, at('<virtual-mta mta1>', 15), {}), undefined);
  assert.equal(microsoftHover(new Model(doc('<domain gmail.com>\n</domain>\n')), 9, {}), undefined);
  // declared: no word about it
  const declared = new Model(doc(DECLARED + text));
  assert.match(
    microsoftHover(declared, at('<domain outlook.com>', 10) + DECLARED.length, {}) ?? '',
    /- Volume tier: under-100k \(set by "# pmta-lint: microsoft-tier=under-100k" on line 1\)\.\n/,
  );
});

test('Microsoft rules: the hover says why a queue sent to a relay is not judged', () => {
  const text = good(GOOD_BODY.replace('max-smtp-out 4', 'max-smtp-out 40') + '    smtp-hosts [10.0.0.5]:2525\n');
  assert.deepEqual(ms(text), []);
  const model = new Model(doc(text));
  const relay =
    "Relay: The outlook.com queue goes to a relay (smtp-hosts [10.0.0.5]:2525, `<domain outlook.com>`, line 11), not to Microsoft's servers: it opens no connection to Microsoft, so the Microsoft limit rules (limits, connection budget, pattern lists, backoff) do not judge it. The relay's own limits decide how fast Microsoft gets the mail.";
  assert.ok((microsoftHover(model, text.indexOf('outlook.com'), {}) ?? '').endsWith(`\n- ${relay}`));
  assert.ok(
    (microsoftDomainSection(model, 'hotmail.com', {}) ?? '').endsWith(
      "\n\n**Relay:** The `outlook.com` queue goes to a relay (`smtp-hosts [10.0.0.5]:2525`, `<domain outlook.com>`, line 11), not to Microsoft's servers: it opens no connection to Microsoft, so the Microsoft limit rules (limits, connection budget, pattern lists, backoff) do not judge it. The relay's own limits decide how fast Microsoft gets the mail.",
    ),
  );
});

/** `n` virtual MTAs that each nest `<domain outlook.com>` and `<domain hotmail.com> queue-to outlook.com`, all in one pool. */
function nestedInVmtas(n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++)
    out.push(
      `<virtual-mta v${i}>`,
      `    smtp-source-host 10.0.${i >> 8}.${i & 255} v${i}.example.com`,
      '    <domain outlook.com>',
      '        max-smtp-out 2',
      '    </domain>',
      '    <domain hotmail.com>',
      '        queue-to outlook.com',
      '    </domain>',
      '</virtual-mta>',
    );
  out.push(
    '<virtual-mta-pool ms>',
    ...Array.from({ length: n }, (_, i) => `    virtual-mta v${i}`),
    '</virtual-mta-pool>',
    '<source 0/0>',
    '    default-virtual-mta ms',
    '</source>',
  );
  return out.join('\n') + '\n';
}

test('Microsoft rules: Microsoft blocks nested in every virtual MTA of a pool are one queue per virtual MTA, judged once for the pool', () => {
  const text = nestedInVmtas(40);
  // 40 × max-smtp-out 2 = 80 connections: over the budget, and the pool's size says 500k-plus
  assert.deepEqual(
    ms(text).map((f) => f.rule),
    [
      'microsoft-missing-rollup',
      'microsoft-unsafe-limit',
      'microsoft-unsafe-limit',
      'microsoft-unsafe-limit',
      'microsoft-connection-budget',
      'microsoft-missing-pattern-list',
      'microsoft-missing-dkim',
    ],
  );
  const budget = ms(text).find((f) => f.rule === 'microsoft-connection-budget')!;
  // the virtual MTAs are grouped by value, not listed one by one
  assert.match(
    budget.message,
    /^The outlook\.com queue may open pool ms \(40 virtual MTAs\): max-smtp-out 2 on v0, v1, v2 and 37 more \(40 blocks\) = 80 simultaneous connections to Microsoft/,
  );
  // each fix edits the block of every virtual MTA, once
  const dkim = ms(text).find((f) => f.rule === 'microsoft-missing-dkim')!;
  assert.equal(dkim.fixes[0].changes.length, 40);
  // with a pool per virtual MTA, each pool is a route of its own: one finding per rule and pool
  const pools = Array.from(
    { length: 3 },
    (_, i) =>
      `<virtual-mta v${i}>\n    smtp-source-host 10.0.0.${i} v${i}.example.com\n</virtual-mta>\n<virtual-mta-pool p${i}>\n    virtual-mta v${i}\n    <domain outlook.com>\n        max-smtp-out 2\n    </domain>\n</virtual-mta-pool>\n`,
  ).join('');
  assert.equal(ms(pools).filter((f) => f.rule === 'microsoft-missing-dkim').length, 3);
  assert.ok(ms(pools).every(isMs));
});
