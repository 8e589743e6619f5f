/** What pmta-lint --fix prints of its changes (server/src/cli/changes.ts): file, line, before → after. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeChanges } from '../../server/src/cli/changes';

test('a changed line: file:line: before → after, without the indentation; unchanged lines are not shown', () => {
  const before = '<domain a.com>\n    max-conn-rate 0.5/s\n    retry-after 5m\n</domain>\n';
  const after = '<domain a.com>\n    max-connect-rate 30/m\n    retry-after 20m\n</domain>\n';
  assert.deepEqual(describeChanges('a.pmta', before, after), [
    'a.pmta:2: max-conn-rate 0.5/s → max-connect-rate 30/m',
    'a.pmta:3: retry-after 5m → retry-after 20m',
  ]);
  assert.deepEqual(describeChanges('a.pmta', before, before), []);
});

test('every line is numbered as in the file written; a removed line by the line now after it', () => {
  const before = 'a\nstray\nb\nc\n';
  const after = 'a\nb\nnew 1\n\nnew 2\nc\n';
  assert.deepEqual(describeChanges('f', before, after), ['f:2: - stray', 'f:3: + new 1', 'f:4: +', 'f:5: + new 2']);
  // at the start and at the end, a file without a last line end
  assert.deepEqual(describeChanges('f', 'x', '# top\nx\n</domain>'), [
    'f:1: + # top',
    'f:2: "x" → "x\\n"',
    'f:3: + </domain>',
  ]);
  assert.deepEqual(describeChanges('f', 'x\ny\n', ''), ['f:1: - x', 'f:1: - y']);
  assert.deepEqual(describeChanges('f', 'a\nx\ny\n', 'a\n'), ['f:2: - x', 'f:2: - y']);
});

test('a removal, a rename and an insertion side by side are each shown as what they are', () => {
  const before =
    '<domain outlook.com>\nmax-conn-rate 0.5/s\nmx-rollup outlook.com\n421-means-mx-unavailable yes\n</domain>\n';
  const after =
    '<domain outlook.com>\nmax-connect-rate 30/m\nsmtp-421-means-mx-unavailable yes\ndkim-sign yes\n</domain>\n';
  assert.deepEqual(describeChanges('f', before, after), [
    'f:2: max-conn-rate 0.5/s → max-connect-rate 30/m',
    'f:3: - mx-rollup outlook.com',
    'f:3: 421-means-mx-unavailable yes → smtp-421-means-mx-unavailable yes',
    'f:4: + dkim-sign yes',
  ]);
  // a line removed where another is inserted: not one turned into the other
  assert.deepEqual(describeChanges('f', 'a\nmx-rollup outlook.com\nb\n', 'a\ndkim-sign yes\nb\n'), [
    'f:2: - mx-rollup outlook.com',
    'f:2: + dkim-sign yes',
  ]);
  // a closing tag is not an opening tag edited; a value changed is the same line
  assert.deepEqual(describeChanges('f', '<domain a.com>\nretry-after 5m\n', '</domain>\nretry-after 20m\n'), [
    'f:1: - <domain a.com>',
    'f:1: + </domain>',
    'f:2: retry-after 5m → retry-after 20m',
  ]);
});

test('past 2500 pairs of removed and inserted lines to compare, they are shown as removed and inserted', () => {
  const before = Array.from({ length: 51 }, (_, i) => `retry-after ${i}m`).join('\n') + '\n';
  const after = Array.from({ length: 51 }, (_, i) => `retry-after ${i}h`).join('\n') + '\n';
  const out = describeChanges('f', 'x\n' + before, 'x\n' + after);
  assert.equal(out.length, 102);
  assert.deepEqual(out.slice(50, 52), ['f:2: - retry-after 50m', 'f:2: + retry-after 0h']);
  assert.deepEqual(
    describeChanges('f', before.split('\n').slice(0, 50).join('\n'), after.split('\n').slice(0, 50).join('\n')).slice(
      0,
      1,
    ),
    ['f:1: retry-after 0m → retry-after 0h'],
  );
});

test('a line whose indentation or line end alone changed is quoted, so that the change shows', () => {
  assert.deepEqual(describeChanges('f', '<x>\n  a 1\n</x>\n', '<x>\n    a 1\n</x>\n'), ['f:2: "  a 1" → "    a 1"']);
  assert.deepEqual(describeChanges('f', 'a\r\nb\r\n', 'a\r\nb\n'), ['f:2: "b\\r\\n" → "b\\n"']);
});

test('changes far apart in a long file are each shown on their line; long lines are cut', () => {
  const lines = Array.from({ length: 20000 }, (_, i) => `line ${i}`);
  const changed = [...lines];
  changed[10] = 'line 10 changed';
  changed[19990] = 'line 19990 changed';
  changed.splice(5000, 0, 'inserted');
  assert.deepEqual(describeChanges('f', lines.join('\n') + '\n', changed.join('\n') + '\n'), [
    'f:11: line 10 → line 10 changed',
    'f:5001: + inserted',
    'f:19992: line 19990 → line 19990 changed',
  ]);
  const long = 'x'.repeat(1000);
  assert.deepEqual(describeChanges('f', 'a\n', `a\n${long}\n`), [`f:2: + ${'x'.repeat(199)}…`]);
});

test('past a thousand lines inserted and removed, the part is reported as a whole', () => {
  const before = Array.from({ length: 1500 }, (_, i) => `old ${i}`).join('\n') + '\n';
  const after = 'keep\n' + Array.from({ length: 1500 }, (_, i) => `new ${i}`).join('\n') + '\n';
  assert.deepEqual(describeChanges('f', 'keep\n' + before, after), [
    'f:2: 1500 lines replaced by 1500 lines (too many changes to show one by one)',
  ]);
});
