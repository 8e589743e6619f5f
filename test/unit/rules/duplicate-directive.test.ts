/** The `duplicate-directive` rule: a single-valued directive set twice in one block. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lint, show } from '../../helpers/util';
import { applyFix, only } from '../../helpers/ruleTests';

test('duplicate-directive: a single-valued directive set twice', () => {
  const text =
    '<source 127.0.0.1>\n    add-message-id-header false\n    hide-message-source true\n    add-message-id-header true\n</source>\n';
  const f = only(text, 'duplicate-directive');
  assert.equal(f.length, 1);
  assert.equal(text.slice(f[0].span.start, f[0].span.end), 'add-message-id-header');
  assert.equal(f[0].span.start, 23);
  assert.equal(
    applyFix(text, f[0]),
    '<source 127.0.0.1>\n    hide-message-source true\n    add-message-id-header true\n</source>\n',
  );
});

test('duplicate-directive: a level interrupted by a nested block', () => {
  // the directive in the nested block in between overrides neither
  const lines =
    '<virtual-mta v>\nmax-smtp-out 1\n<domain a.com>\nmax-smtp-out 2\n</domain>\nmax-smtp-out 3\n</virtual-mta>\n';
  const f = only(lines, 'duplicate-directive');
  assert.deepEqual(show(lines, f), [
    '2:1-2:13 "max-smtp-out" | "max-smtp-out 1" is overridden by "max-smtp-out 3" at line 6; only the last one counts',
  ]);
});

test('duplicate-directive: not on lines wrong-context already reports as not allowed where they stand', () => {
  const text = '<source 0/0>\n    require-starttls yes\n    require-starttls no\n</source>\n';
  const f = lint(text);
  assert.deepEqual(show(text, f), [
    '2:5-2:21 "require-starttls" | "require-starttls" is not allowed in <source>; it belongs in <domain>',
    '3:5-3:21 "require-starttls" | "require-starttls" is not allowed in <source>; it belongs in <domain>',
  ]);
  assert.deepEqual(
    f.map((x) => x.rule),
    ['wrong-context', 'wrong-context'],
  );
});

test('duplicate-directive: still reported where the directive is allowed, also at the global level', () => {
  const text =
    '<domain a.com>\n    require-starttls yes\n    require-starttls no\n</domain>\nrun-as-root no\nrun-as-root no\n';
  assert.deepEqual(show(text, lint(text), 'duplicate-directive'), [
    '2:5-2:21 "require-starttls" | "require-starttls yes" is overridden by "require-starttls no" at line 3; only the last one counts',
    '5:1-5:12 "run-as-root" | "run-as-root" is set again with the same value at line 6; this line is redundant',
  ]);
});

test('duplicate-directive: inside an unknown block, both lines are still compared (no wrong-context there)', () => {
  const text = '<sauce 0/0>\n    smtp-service yes\n    smtp-service no\n</sauce>\n';
  assert.deepEqual(show(text, lint(text), 'duplicate-directive'), [
    '2:5-2:17 "smtp-service" | "smtp-service yes" is overridden by "smtp-service no" at line 3; only the last one counts',
  ]);
});
