/** The `unknown-directive` rule: directives and block tags PowerMTA does not know, with "did you mean" and rename fixes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { show } from '../../helpers/util';
import { applyFix, only } from '../../helpers/ruleTests';

test('unknown-directive: did you mean, with a rename fix', () => {
  const text = '<domain a.com>\n    max-smtp-outt 5\n</domain>\n';
  const f = only(text, 'unknown-directive');
  assert.deepEqual(show(text, f), ['2:5-2:18 "max-smtp-outt" | Unknown directive "max-smtp-outt"; did you mean "max-smtp-out"?']);
  assert.equal(f[0].severity, 'warning');
  assert.equal(applyFix(text, f[0]), '<domain a.com>\n    max-smtp-out 5\n</domain>\n');
});

test('unknown-directive: names invented by blog posts point to the real directive', () => {
  const text = '<domain a.com>\nmax-conn-rate 1/s\n</domain>\n';
  const f = only(text, 'unknown-directive');
  assert.deepEqual(show(text, f), ['2:1-2:14 "max-conn-rate" | Unknown directive "max-conn-rate" (a name used in blog posts; PowerMTA\'s directive is "max-connect-rate")']);
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
  assert.deepEqual(only('postmaster a@b.c\n{{name}} x\n<domain x.com>\nmax-smtp-out 3\n</domain>\n', 'unknown-directive'), []);
});
