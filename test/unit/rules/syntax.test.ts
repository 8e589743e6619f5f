/** The `syntax` rule: tags not closed, stray or mismatched, a missing ">", malformed lines, binary files. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lint, show } from '../../helpers/util';
import { applyFix, only } from '../../helpers/ruleTests';

test('syntax: unclosed tag, with a fix that closes it', () => {
  const text = '<domain a.com>\n    max-smtp-out 2\n';
  const f = only(text, 'syntax');
  assert.deepEqual(show(text, f), [
    '1:1-1:15 "<domain a.com>" | <domain a.com> is not closed: add </domain> at the end of the file',
  ]);
  assert.equal(f[0].severity, 'error');
  const fixed = applyFix(text, f[0]);
  assert.equal(fixed, '<domain a.com>\n    max-smtp-out 2\n</domain>\n');
  assert.deepEqual(only(fixed, 'syntax'), []);
});

test('syntax: stray and mismatched close tags', () => {
  const text = '<virtual-mta v1>\n<domain *>\nmax-smtp-out 1\n</virtual-mta>\n</domain>\n';
  const f = only(text, 'syntax');
  assert.deepEqual(show(text, f), [
    '2:1-2:11 "<domain *>" | <domain *> is not closed: add </domain> before </virtual-mta>',
    '5:1-5:10 "</domain>" | Stray </domain>: no <domain> is open',
  ]);
  assert.equal(
    applyFix(text, f[0]),
    '<virtual-mta v1>\n<domain *>\nmax-smtp-out 1\n</domain>\n</virtual-mta>\n</domain>\n',
  );
  assert.equal(applyFix(text, f[1]), '<virtual-mta v1>\n<domain *>\nmax-smtp-out 1\n</virtual-mta>\n');
});

test('syntax: missing ">" and malformed lines', () => {
  const text = '<domain a.com\nmax-smtp-out 1\n</domain>\n!!! what\n';
  const f = only(text, 'syntax');
  assert.deepEqual(show(text, f), [
    '1:1-1:14 "<domain a.com" | Missing ">" to end the tag <domain',
    '4:1-4:9 "!!! what" | Malformed line: expected a directive, a <tag> or a comment',
  ]);
  assert.equal(applyFix(text, f[0]), '<domain a.com>\nmax-smtp-out 1\n</domain>\n!!! what\n');
});

test('syntax: a block that needs an argument', () => {
  const text = '<domain>\nmax-smtp-out 1\n</domain>\n';
  const f = only(text, 'syntax');
  assert.equal(f.length, 1);
  assert.match(f[0].message, /^<domain> needs an argument/);
});

test('syntax: a binary file gets one finding', () => {
  const f = lint('\u0000\u0001\u0002\u0003'.repeat(100));
  assert.equal(f.length, 1);
  assert.equal(f[0].rule, 'syntax');
  assert.match(f[0].message, /binary/);
});

test('syntax: blocks nested and not closed, and stray close tags by the thousand: each finding has its own fix', () => {
  const n = 2000;
  const text =
    '<virtual-mta m>\n' +
    Array.from({ length: n }, (_, i) => `<domain d${i}>\n`).join('') +
    '</pattern-list>\n'.repeat(n) +
    '</virtual-mta>\n';
  const f = only(text, 'syntax');
  assert.equal(f.length, 2 * n);
  const unclosed = f.filter((x) => x.message.endsWith('is not closed: add </domain> before </virtual-mta>'));
  const stray = f.filter((x) => x.message.startsWith('Stray </pattern-list>'));
  assert.equal(unclosed.length, n);
  assert.equal(stray.length, n);
  // each unclosed block is closed right before </virtual-mta>, after the blocks nested in it
  const end = text.length - '</virtual-mta>\n'.length;
  assert.ok(
    unclosed.every((x) => x.fixes[0].changes[0].span.start === end && x.fixes[0].changes[0].newText === '</domain>\n'),
  );
  assert.deepEqual(
    unclosed.slice(0, 2).map((x) => [text.slice(x.span.start, x.span.end), x.fixes[0].title]),
    [
      ['<domain d0>', 'Close <domain> with </domain>'],
      ['<domain d1>', 'Close <domain> with </domain>'],
    ],
  );
  // each stray close is removed with its own line
  const first = text.indexOf('</pattern-list>');
  assert.deepEqual(
    stray.slice(0, 2).map((x) => [x.span.start, x.fixes[0].title, x.fixes[0].changes[0].span]),
    [
      [first, 'Remove the stray </pattern-list>', { start: first, end: first + 16 }],
      [first + 16, 'Remove the stray </pattern-list>', { start: first + 16, end: first + 32 }],
    ],
  );
});
