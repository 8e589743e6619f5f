import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineNo, safeExpand, type Model } from '../../server/src/model';
import { at, model } from '../helpers/util';

test('lineNo: the 1-based line of an offset, line endings of any kind', () => {
  const text = 'a 1\r\nb 2\nc 3\rd 4';
  const m = model(text);
  assert.deepEqual(
    ['a', 'b', 'c', 'd'].map((w) => lineNo(m, at(text, w))),
    [1, 2, 3, 4],
  );
  assert.equal(lineNo(m, 0), 1);
  assert.equal(lineNo(m, text.length), 4);
});

test('safeExpand: what expandDomain gives, undefined for an unknown macro or a failing expansion', () => {
  const m = model('domain-macro ms hotmail.com, $more\ndomain-macro more live.com, msn.com\ndomain-macro loop $loop\n');
  assert.deepEqual(safeExpand(m, '$ms'), ['hotmail.com', 'live.com', 'msn.com']);
  assert.deepEqual(safeExpand(m, 'Example.COM'), ['example.com']);
  assert.equal(safeExpand(m, '$nowhere'), undefined);
  assert.equal(safeExpand(m, '$loop'), undefined);
  const failing = {
    expandDomain: () => {
      throw new RangeError('Maximum call stack size exceeded');
    },
  } as unknown as Model;
  assert.equal(safeExpand(failing, '$ms'), undefined);
});
