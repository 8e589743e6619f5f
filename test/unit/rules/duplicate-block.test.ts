/** The `duplicate-block` rule: the same block twice at one level. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { show } from '../../helpers/util';
import { only } from '../../helpers/ruleTests';

test('duplicate-block: the same domain twice at one level', () => {
  const text =
    '<domain hotmail.com>\nmax-smtp-out 2\n</domain>\n<domain Hotmail.com>\nmax-smtp-out 3\n</domain>\n<virtual-mta v>\n<domain hotmail.com>\n</domain>\n</virtual-mta>\n';
  const f = only(text, 'duplicate-block');
  assert.deepEqual(show(text, f), [
    '4:1-4:21 "<domain Hotmail.com>" | <domain Hotmail.com> is already defined at line 1; merge the two blocks',
  ]);
  assert.equal(f[0].related?.[0].span.start, 0);
});

test('duplicate-block: a level interrupted by a nested block, and many named blocks at one level', () => {
  // the same name in a nested block in between is neither the first nor a duplicate
  const blocks =
    '<domain a.com>\n</domain>\n<virtual-mta v>\n<domain a.com>\n</domain>\n</virtual-mta>\n<domain A.com>\n</domain>\n';
  assert.deepEqual(show(blocks, only(blocks, 'duplicate-block')), [
    '7:1-7:15 "<domain A.com>" | <domain A.com> is already defined at line 1; merge the two blocks',
  ]);
  // more than a handful of named blocks at one level (looked up in a map rather than a list)
  const many =
    Array.from({ length: 40 }, (_, i) => `<domain d${i}.com>\n</domain>\n`).join('') +
    '<domain d3.com>\n</domain>\n<domain d39.com>\n</domain>\n';
  assert.deepEqual(
    only(many, 'duplicate-block').map((x) => x.message),
    [
      '<domain d3.com> is already defined at line 7; merge the two blocks',
      '<domain d39.com> is already defined at line 79; merge the two blocks',
    ],
  );
});
