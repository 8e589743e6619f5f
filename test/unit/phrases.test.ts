import { test } from 'node:test';
import assert from 'node:assert/strict';
import { list, plural } from '../../server/src/util/phrases';

test('plural: the noun in the singular for one only', () => {
  assert.equal(plural(0, 'rule'), '0 rules');
  assert.equal(plural(1, 'rule'), '1 rule');
  assert.equal(plural(2, 'member virtual-mta'), '2 member virtual-mtas');
  assert.equal(plural(1, 'match', 'matches'), '1 match');
  assert.equal(plural(3, 'match', 'matches'), '3 matches');
});

test('list: items in code quotes, the first max of them, then how many more', () => {
  assert.equal(list([]), '');
  assert.equal(list(['a.com']), '`a.com`');
  assert.equal(list(['a', 'b', 'c'], 3), '`a`, `b`, `c`');
  assert.equal(list(['a', 'b', 'c', 'd', 'e'], 2), '`a`, `b`, … (3 more)');
  const many = Array.from({ length: 25 }, (_, i) => `d${i}`);
  assert.equal(
    list(many),
    many
      .slice(0, 20)
      .map((d) => '`' + d + '`')
      .join(', ') + ', … (5 more)',
  );
});

test('list: each item shown by the function given, which sees the shown items only', () => {
  const seen: string[] = [];
  const show = (x: string) => (seen.push(x), x.toUpperCase());
  assert.equal(list(['a', 'b', 'c'], 2, show), 'A, B, … (1 more)');
  assert.deepEqual(seen, ['a', 'b']);
});
