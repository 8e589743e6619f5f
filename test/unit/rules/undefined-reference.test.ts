/** The `undefined-reference` rule: virtual MTAs, pools, pattern lists and macros used but never defined, here or in the files linted together. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PmtaLanguageService } from '../../../server/src/service';
import { doc, show } from '../../helpers/util';
import { applyFix, only } from '../../helpers/ruleTests';

test('undefined-reference: vmta, pool, pattern list and macro', () => {
  const text = [
    '<virtual-mta mta1>',
    '</virtual-mta>',
    '<virtual-mta-pool pool>',
    '    virtual-mta mta1',
    '    virtual-mta mta2',
    '</virtual-mta-pool>',
    '<source 0/0>',
    '    default-virtual-mta pol',
    '</source>',
    '<domain $hotmail>',
    '    smtp-pattern-list errors',
    '</domain>',
    '',
  ].join('\n');
  const f = only(text, 'undefined-reference');
  assert.deepEqual(show(text, f), [
    '5:17-5:21 "mta2" | The virtual MTA "mta2" is not defined; did you mean "mta1"?',
    '8:25-8:28 "pol" | The virtual MTA or pool "pol" is not defined; did you mean "pool"?',
    '10:10-10:17 "hotmail" | The domain macro "hotmail" is not defined; define it with domain-macro hotmail …',
    '11:23-11:29 "errors" | The smtp-pattern-list "errors" is not defined; define it with <smtp-pattern-list errors>',
  ]);
  assert.equal(f[0].severity, 'error');
  assert.ok(applyFix(text, f[1]).includes('default-virtual-mta pool\n'));
});

test('undefined-reference: definitions anywhere in the file, specials, and files linted together', () => {
  const text =
    '<source 0/0>\ndefault-virtual-mta by-smtp-source-ip\n</source>\n<smtp-user u>\nsource {pmta-auth}\n</smtp-user>\n<source {pmta-auth}>\ndefault-virtual-mta p\n</source>\n';
  const service = new PmtaLanguageService();
  const a = doc(text);
  const b = doc('<virtual-mta-pool p>\n</virtual-mta-pool>\n', 'file:///test/pools.conf');
  assert.deepEqual(
    service
      .lint(a)
      .filter((f) => f.rule === 'undefined-reference')
      .map((f) => f.message),
    ['The virtual MTA or pool "p" is not defined; define it with <virtual-mta p> or <virtual-mta-pool p>'],
  );
  assert.deepEqual(
    service.lint(a, { siblings: [a, b] }).filter((f) => f.rule === 'undefined-reference'),
    [],
  );
});

test('undefined-reference: with thousands of names, the first undefined ones get suggestions, the others are reported without', () => {
  const n = 1000;
  const text = Array.from(
    { length: n },
    (_, i) =>
      `<smtp-pattern-list p${i}>\n</smtp-pattern-list>\n<domain d${i}.example>\n    smtp-pattern-list q${i}\n</domain>\n`,
  ).join('');
  const f = only(text, 'undefined-reference');
  assert.equal(f.length, n);
  // 200,000 comparisons with 1,000 defined names: 200 undefined names are compared
  const suggested = f.filter((x) => x.fixes.length > 0);
  assert.equal(suggested.length, 200);
  assert.deepEqual(suggested, f.slice(0, 200));
  assert.equal(f[0].message, 'The smtp-pattern-list "q0" is not defined; did you mean "p0" or "p1" or "p2"?');
  assert.deepEqual(
    f[0].fixes.map((x) => x.title),
    ['Change to "p0"', 'Change to "p1"', 'Change to "p2"'],
  );
  assert.match(f[200].message, /^The smtp-pattern-list "q200" is not defined; define it with /);
});

test('undefined-reference: a pool named where a virtual MTA is expected is said to be a pool, not undefined', () => {
  const text = [
    '<virtual-mta mta1>',
    '</virtual-mta>',
    '<virtual-mta-pool inner>',
    '    virtual-mta mta1',
    '</virtual-mta-pool>',
    '<virtual-mta-pool outer>',
    '    virtual-mta inner',
    '    cold-virtual-mta inner',
    '</virtual-mta-pool>',
    '',
  ].join('\n');
  const f = only(text, 'undefined-reference');
  assert.deepEqual(show(text, f), [
    '7:17-7:22 "inner" | "inner" is a virtual MTA pool, not a virtual MTA: a pool\'s members are virtual MTAs, and a pool cannot be a member of another pool. List the virtual MTAs of inner here instead.',
    '8:22-8:27 "inner" | "inner" is a virtual MTA pool, not a virtual MTA: this directive takes the name of a <virtual-mta>.',
  ]);
  assert.equal(f[0].severity, 'error');
  assert.deepEqual(f[0].fixes, []);
});

test('undefined-reference: the virtual MTA or pool a <pattern-list> rule sends to (virtual-mta=NAME)', () => {
  const text = [
    '<virtual-mta mta1>',
    '</virtual-mta>',
    '<virtual-mta-pool bulk-pool>',
    '    virtual-mta mta1',
    '</virtual-mta-pool>',
    '<pattern-list select>',
    '    rcpt-to /x/ virtual-mta=nosuch',
    '    mail-from /@news\\./ virtual-mta=mta2',
    '    header subject /promo/ recipient-priority=5,Virtual-MTA=bulk-pol',
    '    rcpt-to /@ok\\./ virtual-mta=MTA1',
    '    rcpt-to /@pool\\./ virtual-mta=bulk-pool',
    '    rcpt-to /@default\\./ virtual-mta={default}',
    '    rcpt-to /@tpl\\./ virtual-mta={{vmta}}',
    '    rcpt-to /unclosed virtual-mta=nosuch2',
    '</pattern-list>',
    '<smtp-pattern-list replies>',
    '    mail-from /x/ virtual-mta=wrong-list',
    '</smtp-pattern-list>',
    '',
  ].join('\n');
  const f = only(text, 'undefined-reference');
  assert.deepEqual(show(text, f), [
    '7:29-7:35 "nosuch" | The virtual MTA or pool "nosuch" is not defined; define it with <virtual-mta nosuch> or <virtual-mta-pool nosuch>',
    '8:37-8:41 "mta2" | The virtual MTA or pool "mta2" is not defined; did you mean "mta1"?',
    '9:61-9:69 "bulk-pol" | The virtual MTA or pool "bulk-pol" is not defined; did you mean "bulk-pool"?',
  ]);
  assert.equal(f[0].severity, 'error');
  assert.equal(applyFix(text, f[1]).split('\n')[7], '    mail-from /@news\\./ virtual-mta=mta1');
  assert.equal(
    applyFix(text, f[2]).split('\n')[8],
    '    header subject /promo/ recipient-priority=5,Virtual-MTA=bulk-pool',
  );
});
