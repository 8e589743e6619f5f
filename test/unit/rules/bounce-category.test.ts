import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyChanges } from '../../../server/src/features/codeActions';
import { lint, show } from '../../helpers/util';

const only = (text: string) => lint(text).filter((f) => f.rule === 'bounce-category');

test('bounce-category: a category PowerMTA does not have, with the category meant as a fix', () => {
  const text = [
    '<bounce-category-patterns>',
    '    /spam/ spam-related',
    '    /denied/ ploicy-related',
    '    /Recipient address rejected/ invalid-mailbox',
    '    /Account Inactive/ invalid-mailbox',
    '    /junk/ spam',
    '    /x/ whatever-thing',
    '    // other',
    '</bounce-category-patterns>',
    '',
  ].join('\n');
  const f = only(text);
  assert.deepEqual(show(text, f), [
    '3:14-3:28 "ploicy-related" | "ploicy-related" is not one of PowerMTA\'s bounce categories; did you mean "policy-related"?',
    '4:34-4:49 "invalid-mailbox" | "invalid-mailbox" is not one of PowerMTA\'s bounce categories; did you mean "bad-mailbox" or "inactive-mailbox"?',
    '5:24-5:39 "invalid-mailbox" | "invalid-mailbox" is not one of PowerMTA\'s bounce categories; did you mean "inactive-mailbox" or "bad-mailbox"?',
    '6:12-6:16 "spam" | "spam" is not one of PowerMTA\'s bounce categories; did you mean "spam-related"?',
    '7:9-7:23 "whatever-thing" | "whatever-thing" is not one of PowerMTA\'s bounce categories: use one of bad-configuration, bad-connection, bad-domain, bad-mailbox, content-related, inactive-mailbox, invalid-sender, message-expired, no-answer-from-host, other, policy-related, protocol-errors, quota-issues, relaying-issues, routing-errors, spam-related, virus-related',
  ]);
  assert.equal(f[0].severity, 'error');
  assert.deepEqual(
    f.map((x) => x.fixes.map((fx) => `${fx.title}${fx.safe ? ' (safe)' : ''}${fx.isPreferred ? ' (preferred)' : ''}`)),
    [
      ['Change to "policy-related" (preferred)'],
      ['Change to "bad-mailbox" (preferred)', 'Change to "inactive-mailbox"'],
      ['Change to "inactive-mailbox" (preferred)', 'Change to "bad-mailbox"'],
      ['Change to "spam-related" (preferred)'],
      [],
    ],
  );
  const fixed = applyChanges(text, f[1].fixes[0].changes);
  assert.equal(fixed.split('\n')[3], '    /Recipient address rejected/ bad-mailbox');
  assert.deepEqual(only(fixed).length, 4);
});

test('bounce-category: the seventeen categories and success (the stock 2.x.x rule) in any case are accepted', () => {
  const cats = [
    'bad-configuration',
    'bad-connection',
    'bad-domain',
    'bad-mailbox',
    'content-related',
    'inactive-mailbox',
    'invalid-sender',
    'message-expired',
    'no-answer-from-host',
    'policy-related',
    'protocol-errors',
    'quota-issues',
    'relaying-issues',
    'routing-errors',
    'spam-related',
    'virus-related',
    'Spam-Related',
    'success',
  ];
  const text =
    '<bounce-category-patterns>\n' +
    cats.map((c, i) => `    /x${i}/ ${c}\n`).join('') +
    '    /^2.\\d+.\\d+;/ success\n    // other # catch-all\n</bounce-category-patterns>\n';
  assert.deepEqual(show(text, lint(text)), []);
});

test('bounce-category: malformed rules and placeholders are left to the other checks', () => {
  const text =
    '<bounce-category-patterns>\n    /a/ two words\n    /b/\n    /c/ {{category}}\n    /d/ YOUR_CATEGORY\n</bounce-category-patterns>\n';
  assert.deepEqual(only(text), []);
  assert.deepEqual(
    lint(text).map((f) => f.rule),
    ['invalid-value', 'invalid-value'],
  );
});
