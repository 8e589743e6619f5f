import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  Char,
  isBlankCode,
  isDigitCode,
  isLetterCode,
  isSpaceCode,
  isTagNameCode,
  trimEndSpace,
} from '../../server/src/util/text';

/** Every UTF-16 code unit on which a code-unit test and the string test it stands for disagree. */
function mismatches(pred: (c: number) => boolean, want: RegExp | ((s: string) => boolean)): string[] {
  const holds = typeof want === 'function' ? want : (s: string) => want.test(s);
  const out: string[] = [];
  for (let c = 0; c <= 0xffff; c++)
    if (pred(c) !== holds(String.fromCharCode(c))) out.push('U+' + c.toString(16).toUpperCase().padStart(4, '0'));
  return out;
}

test('isSpaceCode is the class \\s, for every UTF-16 code unit', () => {
  assert.deepEqual(mismatches(isSpaceCode, /^\s$/), []);
  // and it is what trim() removes
  assert.deepEqual(
    mismatches(isSpaceCode, (s) => s.trim() === ''),
    [],
  );
});

test('isBlankCode is space and tab only', () => {
  assert.deepEqual(mismatches(isBlankCode, /^[ \t]$/), []);
});

test('isLetterCode and isDigitCode are ASCII only', () => {
  assert.deepEqual(mismatches(isLetterCode, /^[A-Za-z]$/), []);
  assert.deepEqual(mismatches(isDigitCode, /^[0-9]$/), []);
});

test('isTagNameCode is [A-Za-z0-9_.-]', () => {
  assert.deepEqual(mismatches(isTagNameCode, /^[A-Za-z0-9_.-]$/), []);
});

test('the named character codes are the characters they are named after', () => {
  const named: Array<[number, string]> = [
    [Char.Nul, '\u0000'],
    [Char.Tab, '\t'],
    [Char.LineFeed, '\n'],
    [Char.FormFeed, '\f'],
    [Char.CarriageReturn, '\r'],
    [Char.Space, ' '],
    [Char.Quote, '"'],
    [Char.Hash, '#'],
    [Char.Dollar, '$'],
    [Char.Percent, '%'],
    [Char.Comma, ','],
    [Char.Hyphen, '-'],
    [Char.Dot, '.'],
    [Char.Slash, '/'],
    [Char.Zero, '0'],
    [Char.Lt, '<'],
    [Char.Gt, '>'],
    [Char.UpperA, 'A'],
    [Char.UpperQ, 'Q'],
    [Char.UpperZ, 'Z'],
    [Char.Backslash, '\\'],
    [Char.Underscore, '_'],
    [Char.LBrace, '{'],
    [Char.RBrace, '}'],
    [Char.Delete, '\u007f'],
    [Char.ReplacementCharacter, '\ufffd'],
  ];
  for (const [code, ch] of named) assert.equal(String.fromCharCode(code), ch);
});

test('trimEndSpace: where trimEnd would end the range', () => {
  assert.equal(trimEndSpace('ab \t\u00a0\n', 0, 6), 2);
  assert.equal(trimEndSpace('  ', 0, 2), 0);
  assert.equal(trimEndSpace('a   ', 1, 4), 1, 'never before from');
  const text = fc.string({
    unit: fc.constantFrom('a', ' ', '\t', '\r', '\n', '\u00a0', '\u2028', '\ufeff', '#'),
    maxLength: 20,
  });
  fc.assert(
    fc.property(text, fc.nat(20), fc.nat(20), (t, a, b) => {
      const from = Math.min(a, b, t.length);
      const to = Math.min(Math.max(a, b), t.length);
      return trimEndSpace(t, from, to) === from + t.slice(from, to).trimEnd().length;
    }),
    { numRuns: 2000 },
  );
});
