/** The `duplicate-directive` rule: a single-valued directive set twice in one block. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { show } from '../../helpers/util';
import { applyFix, only } from '../../helpers/ruleTests';

test('duplicate-directive: a single-valued directive set twice', () => {
  const text = '<source 127.0.0.1>\n    add-message-id-header false\n    hide-message-source true\n    add-message-id-header true\n</source>\n';
  const f = only(text, 'duplicate-directive');
  assert.equal(f.length, 1);
  assert.equal(text.slice(f[0].span.start, f[0].span.end), 'add-message-id-header');
  assert.equal(f[0].span.start, 23);
  assert.equal(applyFix(text, f[0]), '<source 127.0.0.1>\n    hide-message-source true\n    add-message-id-header true\n</source>\n');
});

test('duplicate-directive: a level interrupted by a nested block', () => {
  // the directive in the nested block in between overrides neither
  const lines = '<virtual-mta v>\nmax-smtp-out 1\n<domain a.com>\nmax-smtp-out 2\n</domain>\nmax-smtp-out 3\n</virtual-mta>\n';
  const f = only(lines, 'duplicate-directive');
  assert.deepEqual(show(lines, f), ['2:1-2:13 "max-smtp-out" | "max-smtp-out 1" is overridden by "max-smtp-out 3" at line 6; only the last one counts']);
});
