/** The `wrong-context` rule: a directive or a block where PowerMTA does not allow it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { only } from '../../helpers/ruleTests';

test('wrong-context: a domain directive in <source>', () => {
  const text = '<source 0/0>\n    max-smtp-out 5\n</source>\n';
  const f = only(text, 'wrong-context');
  assert.equal(f.length, 1);
  assert.equal(text.slice(f[0].span.start, f[0].span.end), 'max-smtp-out');
  assert.match(f[0].message, /^"max-smtp-out" is not allowed in <source>; it belongs in /);
});

test('wrong-context: domain directives are fine in a <domain> nested in a virtual-mta', () => {
  const text = '<virtual-mta v>\n  smtp-source-host 192.0.2.1 a.example.com\n  <domain *>\n    max-smtp-out 5\n  </domain>\n</virtual-mta>\n';
  assert.deepEqual(only(text, 'wrong-context'), []);
});

test('wrong-context: a block where it may not appear', () => {
  const text = '<source 0/0>\n<domain x.com>\n</domain>\n</source>\n';
  const f = only(text, 'wrong-context');
  assert.equal(f.length, 1);
  assert.match(f[0].message, /^<domain> is not allowed inside <source>/);
});
