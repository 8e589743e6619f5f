/** The `wrong-context` rule: a directive or a block where PowerMTA does not allow it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { only } from '../../helpers/ruleTests';
import { lint, show } from '../../helpers/util';

test('wrong-context: a domain directive in <source>', () => {
  const text = '<source 0/0>\n    max-smtp-out 5\n</source>\n';
  const f = only(text, 'wrong-context');
  assert.equal(f.length, 1);
  assert.equal(text.slice(f[0].span.start, f[0].span.end), 'max-smtp-out');
  assert.match(f[0].message, /^"max-smtp-out" is not allowed in <source>; it belongs in /);
});

test('wrong-context: domain directives are fine in a <domain> nested in a virtual-mta', () => {
  const text =
    '<virtual-mta v>\n  smtp-source-host 192.0.2.1 a.example.com\n  <domain *>\n    max-smtp-out 5\n  </domain>\n</virtual-mta>\n';
  assert.deepEqual(only(text, 'wrong-context'), []);
});

test('wrong-context: a block where it may not appear', () => {
  const text = '<source 0/0>\n<domain x.com>\n</domain>\n</source>\n';
  const f = only(text, 'wrong-context');
  assert.equal(f.length, 1);
  assert.match(f[0].message, /^<domain> is not allowed inside <source>/);
});

test('wrong-context: blocks after a <source> closed with the wrong tag are not reported; the syntax errors are', () => {
  const text =
    '<source 0/0>\n    smtp-service yes\n</domain>\n<domain y.com>\n    max-smtp-out 3\n</domain>\n<virtual-mta v>\n</virtual-mta>\ntotal-max-smtp-out 10\n';
  const f = lint(text);
  assert.deepEqual(show(text, f), [
    '1:1-1:13 "<source 0/0>" | <source 0/0> is not closed: add </source> before <domain y.com> on line 4, which cannot be inside <source>',
    '3:1-3:10 "</domain>" | Stray </domain>: no <domain> is open (the open block is <source>)',
  ]);
  assert.deepEqual(
    f.map((x) => x.rule),
    ['syntax', 'syntax'],
  );
});

test('wrong-context: a block that only lands in an unclosed block is not reported; a line misplaced in it still is', () => {
  const text =
    '<source 0/0>\n    max-smtp-out 2\n    smtp-service yes\n<domain y.com>\n    max-smtp-out 3\n</domain>\n';
  assert.deepEqual(show(text, lint(text), 'wrong-context'), [
    '2:5-2:17 "max-smtp-out" | "max-smtp-out" is not allowed in <source>; it belongs in <domain>, in <virtual-mta> or in <virtual-mta-pool>',
  ]);
  // max-smtp-out is allowed neither at the global level (where <source> stands) nor in <source>
});

test('wrong-context: a misplaced block inside a closed block is still reported', () => {
  const text = '<source 0/0>\n    <domain y.com>\n        max-smtp-out 3\n    </domain>\n</source>\n';
  assert.deepEqual(show(text, lint(text), 'wrong-context'), [
    '2:6-2:12 "domain" | <domain> is not allowed inside <source>; it belongs at the global level, in <virtual-mta> or in <virtual-mta-pool>',
  ]);
});

test('wrong-context: in a block left open inside another, what the outer block allows is not reported', () => {
  // <domain> (in the virtual MTA) is never closed: the lines after it belong to <virtual-mta> in intent
  const text =
    '<virtual-mta v>\n    <domain x.com>\n        max-smtp-out 2\n    smtp-source-host 192.0.2.1 a.example.com\n</virtual-mta>\n';
  const f = lint(text);
  assert.deepEqual(show(text, f, 'wrong-context'), []);
  assert.deepEqual(show(text, f, 'syntax'), [
    '2:5-2:19 "<domain x.com>" | <domain x.com> is not closed: add </domain> before "smtp-source-host" on line 4, which cannot be inside <domain>',
  ]);
});
