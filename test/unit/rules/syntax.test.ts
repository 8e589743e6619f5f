/** The `syntax` rule: tags not closed, stray or mismatched, a missing ">", malformed lines, binary files. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lint, show } from '../../helpers/util';
import { applyFix, only } from '../../helpers/ruleTests';

test('syntax: unclosed tag, with a fix that closes it', () => {
  const text = '<domain a.com>\n    max-smtp-out 2\n';
  const f = only(text, 'syntax');
  assert.deepEqual(show(text, f), ['1:1-1:15 "<domain a.com>" | <domain a.com> is not closed: add </domain> at the end of the file']);
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
  assert.equal(applyFix(text, f[0]), '<virtual-mta v1>\n<domain *>\nmax-smtp-out 1\n</domain>\n</virtual-mta>\n</domain>\n');
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
