/** The `unknown-directive` rule: directives and block tags PowerMTA does not know, with "did you mean" and rename fixes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lint, show } from '../../helpers/util';
import { applyFix, only } from '../../helpers/ruleTests';
import { applyChanges } from '../../../server/src/features/codeActions';

test('unknown-directive: did you mean, with a rename fix', () => {
  const text = '<domain a.com>\n    max-smtp-outt 5\n</domain>\n';
  const f = only(text, 'unknown-directive');
  assert.deepEqual(show(text, f), [
    '2:5-2:18 "max-smtp-outt" | Unknown directive "max-smtp-outt"; did you mean "max-smtp-out"?',
  ]);
  assert.equal(f[0].severity, 'warning');
  assert.equal(applyFix(text, f[0]), '<domain a.com>\n    max-smtp-out 5\n</domain>\n');
});

test('unknown-directive: a suggestion whose value would not fit says so', () => {
  const text = '<domain a.com>\n    max-smtp-outt x\n    retry-afterr 10m\n</domain>\n';
  const f = only(text, 'unknown-directive');
  assert.deepEqual(show(text, f), [
    '2:5-2:18 "max-smtp-outt" | Unknown directive "max-smtp-outt"; did you mean "max-smtp-out"? (the value does not fit "max-smtp-out" as written: "x": expected a whole number)',
    '3:5-3:17 "retry-afterr" | Unknown directive "retry-afterr"; did you mean "retry-after"?',
  ]);
  // the rename is still offered, and stays the user's choice
  assert.deepEqual(
    f[0].fixes.map((x) => [x.title, !!x.safe]),
    [['Change to "max-smtp-out"', false]],
  );
});

test('unknown-directive: names invented by blog posts point to the real directive', () => {
  const text = '<domain a.com>\nmax-conn-rate 1/s\n</domain>\n';
  const f = only(text, 'unknown-directive');
  assert.deepEqual(show(text, f), [
    '2:1-2:14 "max-conn-rate" | Unknown directive "max-conn-rate": PowerMTA\'s directive is "max-connect-rate"',
  ]);
  assert.equal(f[0].fixes[0].safe, true);
  assert.equal(applyFix(text, f[0]), '<domain a.com>\nmax-connect-rate 1/s\n</domain>\n');
});

test('unknown-directive: unknown block tags', () => {
  const text = '<virtual-mta-pol p>\n</virtual-mta-pol>\n';
  const f = only(text, 'unknown-directive');
  assert.equal(f.length, 1);
  assert.match(f[0].message, /Unknown block <virtual-mta-pol>; did you mean <virtual-mta-pool>/);
  assert.equal(applyFix(text, f[0]), '<virtual-mta-pool p>\n</virtual-mta-pool>\n');
});

test('unknown-directive: known directives and placeholders are not reported', () => {
  assert.deepEqual(
    only('postmaster a@b.c\n{{name}} x\n<domain x.com>\nmax-smtp-out 3\n</domain>\n', 'unknown-directive'),
    [],
  );
});

test('unknown-directive: dkim-key points to domain-key and its form, not to retain-x-dkim-key', () => {
  const text = '<virtual-mta v>\n    dkim-key /etc/pmta/dkim/k.pem\n</virtual-mta>\n';
  const f = lint(text).filter((x) => x.rule === 'unknown-directive');
  assert.deepEqual(show(text, f), [
    '2:5-2:13 "dkim-key" | Unknown directive "dkim-key": PowerMTA\'s directive for this is "domain-key", written "domain-key SELECTOR,DOMAIN,FILE" (selector, signing domain and key file on one line)',
  ]);
  const fix = f[0].fixes[0];
  assert.equal(fix.title, 'Change to "domain-key"');
  assert.equal(fix.isPreferred, true);
  // the value must be rewritten by hand: --fix does not apply it
  assert.equal(fix.safe, false);
  assert.equal(
    applyChanges(text, fix.changes),
    '<virtual-mta v>\n    domain-key /etc/pmta/dkim/k.pem\n</virtual-mta>\n',
  );
});

test('unknown-directive: the other DKIM key misnomers point to domain-key too', () => {
  for (const name of ['dkim-private-key', 'dkim-key-file', 'dkim-selector']) {
    const f = lint(`${name} x\n`).filter((x) => x.rule === 'unknown-directive');
    assert.equal(f.length, 1, name);
    assert.match(f[0].message, /directive for this is "domain-key", written "domain-key SELECTOR,DOMAIN,FILE"/, name);
    assert.equal(f[0].fixes[0].title, 'Change to "domain-key"', name);
  }
});

test('unknown-directive: a blog name with the same value form is still renamed safely', () => {
  const f = lint('<domain a.com>\n    max-conn-rate 10/m\n</domain>\n').filter((x) => x.rule === 'unknown-directive');
  assert.equal(f[0].fixes[0].title, 'Change to "max-connect-rate"');
  assert.equal(f[0].fixes[0].safe, true);
});

test('unknown-directive: a blog name whose value the real directive does not take is renamed by hand only, and the message says why', () => {
  const text = '<acct-file |/opt/bounce-pipe.sh>\n    records b\n    map-header-to-column bounce *\n</acct-file>\n';
  const f = only(text, 'unknown-directive');
  assert.deepEqual(show(text, f), [
    '3:5-3:25 "map-header-to-column" | Unknown directive "map-header-to-column": PowerMTA\'s directive is "map-header-to-field", but this value does not fit it ("*": expected the header as header_NAME (header_X-Campaign): map-header-to-field TYPE header_NAME FIELD)',
  ]);
  assert.deepEqual(
    f[0].fixes.map((x) => [x.title, x.safe ?? false]),
    [['Change to "map-header-to-field"', false]],
  );
  // with a value it takes, the rename is safe
  const good =
    '<acct-file /var/log/pmta/acct.csv>\n    map-header-to-column d header_X-Campaign campaign\n</acct-file>\n';
  assert.deepEqual(
    only(good, 'unknown-directive')[0].fixes.map((x) => [x.title, x.safe ?? false]),
    [['Change to "map-header-to-field"', true]],
  );
});
