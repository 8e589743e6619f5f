import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyChanges } from '../../../server/src/features/codeActions';
import { lint, show } from '../../helpers/util';

const only = (text: string) => lint(text).filter((f) => f.rule === 'unreachable-pattern');

test('unreachable-pattern: rules after "// other" are never tried; the fix moves the catch-all to the end', () => {
  const text = [
    '<bounce-category-patterns>',
    '    /spam/ spam-related',
    '    // other    # catch-all',
    '    /quota/ quota-issues   # late',
    '',
    '    /^2.\\d+.\\d+;/ success',
    '</bounce-category-patterns>',
    '',
  ].join('\n');
  const f = only(text);
  assert.deepEqual(show(text, f), [
    '4:5-6:26 "/quota/ quota-issues   # late\\n\\n    /^2.\\\\d+.\\\\d+;/ success" | The 2 rules after "// other" (line 3) are never tried: the catch-all matches every text, and the first rule that matches wins. Move the catch-all to the end of the list.',
  ]);
  assert.equal(f[0].severity, 'warning');
  assert.deepEqual(f[0].tags, [1]);
  assert.deepEqual(
    f[0].related?.map((r) => [text.slice(r.span.start, r.span.end), r.message]),
    [['//', 'the catch-all']],
  );
  assert.equal(f[0].fixes[0].title, 'Move "// other" to the end of the list');
  assert.equal(f[0].fixes[0].safe, undefined);
  const fixed = applyChanges(text, f[0].fixes[0].changes);
  assert.equal(
    fixed,
    [
      '<bounce-category-patterns>',
      '    /spam/ spam-related',
      '    /quota/ quota-issues   # late',
      '',
      '    /^2.\\d+.\\d+;/ success',
      '    // other    # catch-all',
      '</bounce-category-patterns>',
      '',
    ].join('\n'),
  );
  assert.deepEqual(only(fixed), []);
});

test('unreachable-pattern: a catch-all reply rule in an smtp-pattern-list; the last line without a line break', () => {
  // CRLF line breaks, no close tag and no break after the last rule: the moved line brings a break of the file's kind
  const plain = '<smtp-pattern-list t>\r\n    reply /^.*$/ mode=backoff\r\n    reply /421/ mode=backoff';
  const f = only(plain);
  assert.deepEqual(show(plain, f), [
    '3:5-3:29 "reply /421/ mode=backoff" | The rule after "reply /^.*$/ mode=backoff" (line 2) is never tried: the catch-all matches every text, and the first rule that matches wins. Move the catch-all to the end of the list.',
  ]);
  assert.equal(
    applyChanges(plain, f[0].fixes[0].changes),
    '<smtp-pattern-list t>\r\n    reply /421/ mode=backoff\r\n    reply /^.*$/ mode=backoff',
  );
});

test('unreachable-pattern: a catch-all last, or alone, is what it is for', () => {
  const text =
    '<smtp-pattern-list dummysmtp>\n    reply // bounce-queue\n</smtp-pattern-list>\n<bounce-category-patterns>\n    /spam/ spam-related\n    // other\n</bounce-category-patterns>\n';
  assert.deepEqual(only(text), []);
});

test('unreachable-pattern: pattern-list rules are not judged (their first match is per kind of rule)', () => {
  const text =
    '<virtual-mta v>\n</virtual-mta>\n<pattern-list p>\n    mail-from // virtual-mta=v\n    rcpt-to /x/ virtual-mta=v\n</pattern-list>\n';
  assert.deepEqual(only(text), []);
});
