/** The suspicious-regex rule: bracket classes that read like codes, class shorthands without their backslash. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyChanges } from '../../../server/src/features/codeActions';
import { lint, show } from '../../helpers/util';

const RULE = 'suspicious-regex';
const found = (text: string) => lint(text).filter((f) => f.rule === RULE);

test('suspicious-regex: [GL01] in a reply rule is one character, not the code; the fix escapes the brackets', () => {
  const text = '<smtp-pattern-list yahoo>\n    reply /[GL01] Message from/ mode=backoff\n</smtp-pattern-list>\n';
  const f = found(text);
  assert.deepEqual(show(text, f), [
    '2:12-2:18 "[GL01]" | "[GL01]" is a character class: it matches one character (G, L, 0 or 1), not the text "GL01". To match the code in its brackets, escape them: \\[GL01\\].',
  ]);
  assert.equal(f[0].severity, 'information');
  assert.deepEqual(
    f[0].fixes.map((x) => [x.title, x.isPreferred, x.safe]),
    [['Escape the brackets: \\[GL01\\]', true, undefined]],
  );
  const fixed = applyChanges(text, f[0].fixes[0].changes);
  assert.equal(fixed.split('\n')[1], '    reply /\\[GL01\\] Message from/ mode=backoff');
  assert.deepEqual(found(fixed), []);
});

test('suspicious-regex: a code with a dash is also a range out of order; a repeated character gives a class away', () => {
  const text =
    '<smtp-pattern-list ms>\n    reply /[RP-001]/ mode=backoff\n    reply /^[550] / bounce-rcpt\n</smtp-pattern-list>\n';
  assert.deepEqual(show(text, found(text)), [
    '2:12-2:20 "[RP-001]" | "[RP-001]" is a character class: it matches one character (R, P, 0 or 1), not the text "RP-001" ("P-0" is a range out of order, which PCRE refuses). To match the code in its brackets, escape them: \\[RP-001\\].',
    '3:13-3:18 "[550]" | "[550]" is a character class: it matches one character (5 or 0), not the text "550". To match the code in its brackets, escape them: \\[550\\].',
  ]);
});

test('suspicious-regex: d+, S+, s* and w{2} without their backslash, in pattern lists and bounce categories', () => {
  const text = [
    '<pattern-list senders>',
    '    mail-from /^bounce-d+@/ virtual-mta=bulk',
    '    header subject /order s* S+/ virtual-mta=bulk',
    '</pattern-list>',
    '<bounce-category-patterns>',
    '    /^5.d{1,3}.w{2}/ bad-mailbox',
    '    // other',
    '</bounce-category-patterns>',
    '',
  ].join('\n');
  const f = found(text);
  assert.deepEqual(show(text, f), [
    '2:24-2:26 "d+" | "d+" matches the letter "d" (in either case), not digits: the backslash of "\\d+" is missing.',
    '3:27-3:29 "s*" | "s*" matches the letter "s" (in either case), not white space: the backslash of "\\s*" is missing.',
    '3:30-3:32 "S+" | "S+" matches the letter "S" (in either case), not characters other than white space: the backslash of "\\S+" is missing.',
    '6:9-6:15 "d{1,3}" | "d{1,3}" matches the letter "d" (in either case), not digits: the backslash of "\\d{1,3}" is missing.',
    '6:16-6:20 "w{2}" | "w{2}" matches the letter "w" (in either case), not word characters: the backslash of "\\w{2}" is missing.',
  ]);
  assert.deepEqual(
    f[0].fixes.map((x) => x.title),
    ['Write \\d+'],
  );
  assert.equal(
    applyChanges(text, f[0].fixes[0].changes).split('\n')[1],
    '    mail-from /^bounce-\\d+@/ virtual-mta=bulk',
  );
});

test('suspicious-regex: real classes, escapes, letters inside words and other blocks are left alone', () => {
  const text = [
    '<smtp-pattern-list ok>',
    '    reply /^[45]\\.1\\.[1346]/ bounce-rcpt',
    '    reply /\\[TS01\\] Messages from/ mode=backoff',
    '    reply /[A-Z0-9]+ [^]x] [[:alpha:]]+/ mode=backoff',
    '    reply /messages+ (s|es)+ \\d+ \\\\d/ mode=backoff',
    '    reply /[ab] [Yy]ahoo/ mode=backoff',
    '</smtp-pattern-list>',
    'relay-address /d+@[GL01]/',
    '',
  ].join('\n');
  assert.deepEqual(found(text), []);
});
