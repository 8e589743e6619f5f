import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Memo } from '../../server/src/util/memo';

test('Memo gives back what was set, undefined for what was not', () => {
  const m = new Memo<string, number | null>(3);
  m.set('a', 1);
  m.set('b', null);
  assert.equal(m.get('a'), 1);
  assert.equal(m.get('b'), null);
  assert.equal(m.get('c'), undefined);
  m.set('a', 2);
  assert.equal(m.get('a'), 2);
});

test('Memo starts again when it is full: the entry that finds it full is the only one kept', () => {
  const m = new Memo<number, string>(3);
  for (let i = 0; i < 3; i++) m.set(i, 'v' + i);
  assert.deepEqual(
    [0, 1, 2].map((i) => m.get(i)),
    ['v0', 'v1', 'v2'],
  );
  m.set(3, 'v3');
  assert.deepEqual(
    [0, 1, 2, 3].map((i) => m.get(i)),
    [undefined, undefined, undefined, 'v3'],
  );
  // full again, even setting a key it already holds starts it again
  m.set(4, 'v4');
  m.set(5, 'v5');
  m.set(5, 'v5b');
  assert.deepEqual(
    [3, 4, 5].map((i) => m.get(i)),
    [undefined, undefined, 'v5b'],
  );
});
