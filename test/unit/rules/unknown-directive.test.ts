import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyChanges } from '../../../server/src/features/codeActions';
import { lint, show } from '../../helpers/util';

test('unknown-directive: dkim-key points to domain-key and its form, not to retain-x-dkim-key', () => {
  const text = '<virtual-mta v>\n    dkim-key /etc/pmta/dkim/k.pem\n</virtual-mta>\n';
  const f = lint(text).filter((x) => x.rule === 'unknown-directive');
  assert.deepEqual(show(text, f), [
    '2:5-2:13 "dkim-key" | Unknown directive "dkim-key": PowerMTA\'s directive for this is "domain-key", written "domain-key SELECTOR,DOMAIN,FILE" (selector, signing domain and key file on one line)',
  ]);
  const fix = f[0].fixes[0];
  assert.equal(fix.title, 'Change to "domain-key"');
  assert.equal(fix.isPreferred, true);
  // the value must be rewritten by hand: --fix does not apply it
  assert.equal(fix.safe, false);
  assert.equal(applyChanges(text, fix.changes), '<virtual-mta v>\n    domain-key /etc/pmta/dkim/k.pem\n</virtual-mta>\n');
});

test('unknown-directive: the other DKIM key misnomers point to domain-key too', () => {
  for (const name of ['dkim-private-key', 'dkim-key-file', 'dkim-selector']) {
    const f = lint(`${name} x\n`).filter((x) => x.rule === 'unknown-directive');
    assert.equal(f.length, 1, name);
    assert.match(f[0].message, /directive for this is "domain-key", written "domain-key SELECTOR,DOMAIN,FILE"/, name);
    assert.equal(f[0].fixes[0].title, 'Change to "domain-key"', name);
  }
});

test('unknown-directive: a blog name with the same value form is still renamed safely', () => {
  const f = lint('<domain a.com>\n    max-conn-rate 10/m\n</domain>\n').filter((x) => x.rule === 'unknown-directive');
  assert.equal(f[0].fixes[0].title, 'Change to "max-connect-rate"');
  assert.equal(f[0].fixes[0].safe, true);
});
