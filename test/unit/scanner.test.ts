import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { endScan, exact, findComment, newScanner, own, scanLine, splitWords } from '../../server/src/parser/scanner';
import type { Word } from '../../server/src/parser/ast';
import { parse } from '../../server/src/parser/parser';
import { isDirectiveName } from '../../server/src/knowledge/catalog';

/** Words as "text@start-end" ("q" marks a quoted word). */
function show(words: Word[]): string[] {
  return words.map((w) => `${w.quoted ? 'q' : ''}${w.text}@${w.start}-${w.end}`);
}

test('what a scan found belongs to its scanner: another scanner scanning meanwhile does not change it', () => {
  const a = newScanner();
  const b = newScanner();
  const line = 'name {{ x }} value   # c';
  assert.equal(scanLine(a, line, 0, 24), 21);
  assert.equal(scanLine(b, '\u0001 junk', 0, 6), -1);
  assert.deepEqual([a.junk, a.braces, a.stop], [-1, true, 18]);
  assert.deepEqual([b.junk, b.braces, b.stop], [0, false, 0]);
  // the next scan with a replaces what the last one found
  scanLine(a, line, 0, 4);
  assert.deepEqual([a.junk, a.braces, a.stop], [-1, false, 4]);
});

test('findComment: a # at the start or after a blank, outside quotes and {{ }}; junk does not stop it', () => {
  const text = 'a "b # c" {{ # }} d#e \u0001 # here';
  const sc = newScanner();
  assert.equal(findComment(sc, text, 0, text.length), text.indexOf('# here'));
  assert.equal(scanLine(sc, text, 0, text.length), -1, 'scanLine stops at the junk character');
  assert.equal(sc.junk, text.indexOf('\u0001'));
  assert.equal(findComment(sc, '#x', 0, 2), 0);
  assert.equal(findComment(sc, 'a#x', 0, 3), -1);
});

test('splitWords: words split on white space, double quotes honoured, exact spans', () => {
  const text = '  one "two three" "esc\\"aped" "glued"on "open ended';
  const sc = newScanner();
  assert.deepEqual(show(splitWords(sc, text, 0, text.length)), [
    'one@2-5',
    'qtwo three@6-17',
    'qesc"aped@18-29',
    'qgluedon@30-39',
    'qopen ended@40-51',
  ]);
  // a quote not closed before the end of the range runs to it
  assert.deepEqual(show(splitWords(sc, text, 6, 11)), ['qtwo @6-11']);
  assert.deepEqual(splitWords(sc, text, 0, 2), []);
});

test('splitWords gives each call an array of its own, though it collects into one it reuses', () => {
  const sc = newScanner();
  const first = splitWords(sc, 'a b c d', 0, 7);
  const second = splitWords(sc, 'a b c d', 2, 5);
  assert.deepEqual(show(first), ['a@0-1', 'b@2-3', 'c@4-5', 'd@6-7']);
  assert.deepEqual(show(second), ['b@2-3', 'c@4-5']);
  assert.notEqual(first, second);
  assert.ok(
    sc.words.every((w) => w === undefined),
    'the reused array keeps no word',
  );
  assert.notEqual(newScanner().words, sc.words, 'each scanner has its own');
});

test('exact: the first n entries in an array of their own, cleared from the reused one', () => {
  const w = (t: string): Word => ({ text: t, start: 0, end: 1, quoted: false });
  const reused = [w('a'), w('b'), w('c')];
  const one = exact(reused, 1);
  assert.deepEqual(
    one.map((x) => x.text),
    ['a'],
  );
  assert.equal(reused[0], undefined);
  reused[0] = w('x');
  const two = exact(reused, 2);
  assert.deepEqual(
    two.map((x) => x.text),
    ['x', 'b'],
  );
  assert.deepEqual(
    reused.map((x) => x?.text),
    [undefined, undefined, 'c'],
  );
  assert.deepEqual(exact(reused, 0), []);
});

test('own keeps the characters of a string, whether or not the scanner copies it out of its text', () => {
  const text = 'a-rather-long-directive-name value';
  for (const owning of [false, true]) {
    const sc = newScanner(owning);
    assert.equal(sc.ownStrings, owning);
    assert.equal(own(sc, text.slice(0, 28)), 'a-rather-long-directive-name');
    assert.deepEqual(show(splitWords(sc, text, 0, text.length)), ['a-rather-long-directive-name@0-28', 'value@29-34']);
  }
});

test('the word array of a parse that ended goes to the next scanner, never one still in use', () => {
  newScanner(); // takes the one kept, if any
  const a = newScanner();
  const b = newScanner();
  assert.notEqual(a.words, b.words);
  endScan(a);
  endScan(b); // one array is kept at most
  const c = newScanner();
  assert.equal(c.words, a.words);
  const d = newScanner();
  assert.notEqual(d.words, a.words);
  assert.notEqual(d.words, b.words);
});

test('a parse hands on its word array with no word left in it', () => {
  newScanner(); // takes the one kept, if any
  const tree = parse('domain-macro m a.com, b.com, c.com\nsmtp-source-host "x y" z\n', { isDirectiveName });
  assert.equal(tree.lines.length, 2);
  const sc = newScanner();
  assert.ok(sc.words.length >= 4, 'the array the parse collected its words into');
  assert.ok(sc.words.every((w) => w === undefined));
});

/**
 * The scan of scanLine as one loop over every character (what it was before it searched for the first
 * character it does more with than step over): the comment, and the junk, braces and stop it leaves.
 */
function scanLineByLoop(text: string, from: number, to: number, junkStops: boolean): [number, number, boolean, number] {
  const isJunk = (c: number) => (c <= 0x1f && c !== 9 && c !== 10 && c !== 13) || c === 0x7f;
  const isSpace = (c: number) => /\s/.test(String.fromCharCode(c));
  let junk = -1;
  let pairs = false;
  let stop = from;
  let comment = -1;
  let quote = false;
  let braces = 0;
  let skip = false;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (junk < 0 && isJunk(c)) {
      junk = i;
      if (junkStops) break;
    }
    if (skip) skip = false;
    else if (quote) {
      if (c === 0x5c) skip = true;
      else if (c === 0x22) quote = false;
    } else if (c === 0x22) quote = true;
    else if (c === 0x7b) {
      if (text.charCodeAt(i + 1) === 0x7b) {
        braces++;
        skip = true;
      }
    } else if (c === 0x7d) {
      if (braces > 0 && text.charCodeAt(i + 1) === 0x7d) {
        braces--;
        skip = true;
      }
    } else if (c === 0x23 && braces === 0 && (i === from || text[i - 1] === ' ' || text[i - 1] === '\t')) {
      comment = i;
      break;
    }
    if (c === 0x7b && i + 1 < to && text.charCodeAt(i + 1) === 0x7b) pairs = true;
    if (!isSpace(c)) stop = i + 1;
  }
  return [comment, junk, pairs, stop];
}

test('scanLine finds what one loop over every character finds, on every range of random lines', () => {
  const unit = fc.constantFrom(
    'a',
    'b',
    ' ',
    '\t',
    '"',
    '\\',
    '{',
    '}',
    '#',
    '\u0001',
    '\u000b',
    '\u00a0',
    '\u2028',
    '\r',
    '\n',
    '%',
  );
  fc.assert(
    fc.property(fc.string({ unit, maxLength: 24 }), fc.boolean(), (text, junkStops) => {
      const sc = newScanner();
      for (let from = 0; from <= text.length; from++)
        for (let to = from; to <= text.length; to++) {
          const comment = scanLine(sc, text, from, to, junkStops);
          assert.deepEqual(
            [comment, sc.junk, sc.braces, sc.stop],
            scanLineByLoop(text, from, to, junkStops),
            JSON.stringify({ text, from, to, junkStops }),
          );
        }
    }),
    { numRuns: 400, seed: 17 },
  );
});
