import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PmtaLanguageService } from '../../../server/src/service';
import { doc, lint, memoryHost, show } from '../../helpers/util';

const only = (text: string) => lint(text).filter((f) => f.rule === 'empty-pool');

const EMPTY = '<virtual-mta-pool empty>\n    max-smtp-out 5\n</virtual-mta-pool>\n';

test('empty-pool: a pool without members used by default-virtual-mta, a reroute and a pattern-list result', () => {
  const text =
    EMPTY +
    '<pattern-list sel>\n    mail-from /x/ virtual-mta=empty\n</pattern-list>\n<source 0/0>\n    default-virtual-mta empty\n    pattern-list sel\n</source>\n<domain x.com>\n    reroute-to-virtual-mta Empty\n</domain>\n';
  const f = only(text);
  const msg = (n: string) =>
    `The pool "${n}" has no members (<virtual-mta-pool empty>, line 1, has no virtual-mta line): mail sent to it has no virtual MTA to go out through. Add a "virtual-mta NAME" line for each virtual MTA of the pool.`;
  assert.deepEqual(show(text, f), [
    `5:31-5:36 "empty" | ${msg('empty')}`,
    `8:25-8:30 "empty" | ${msg('empty')}`,
    `12:28-12:33 "Empty" | ${msg('Empty')}`,
  ]);
  assert.equal(f[0].severity, 'warning');
  assert.deepEqual(
    f[0].related?.map((r) => [text.slice(r.span.start, r.span.end), r.message]),
    [['empty', 'the empty pool']],
  );
  assert.deepEqual(f[0].fixes, []);
});

test('empty-pool: a pool with a member, or with an include or template lines that may bring some, is not reported; nor an unused empty pool', () => {
  const vmta = '<virtual-mta v>\n</virtual-mta>\n';
  const use = (p: string) => `<source 0/0>\n    default-virtual-mta ${p}\n</source>\n`;
  assert.deepEqual(only(vmta + '<virtual-mta-pool p>\n    virtual-mta v\n</virtual-mta-pool>\n' + use('p')), []);
  assert.deepEqual(
    only('<virtual-mta-pool p>\n    include /etc/pmta/members.conf\n</virtual-mta-pool>\n' + use('p')),
    [],
  );
  assert.deepEqual(
    only('<virtual-mta-pool p>\n    {{#each ips}}\n    {{/each}}\n</virtual-mta-pool>\n' + use('p')),
    [],
  );
  assert.deepEqual(only(EMPTY), []);
});

test('empty-pool: the pool may be defined in an included file; the finding is where it is used', () => {
  const files = {
    'file:///etc/pmta/config': 'include /etc/pmta/pools.conf\n<source 0/0>\n    default-virtual-mta empty\n</source>\n',
    'file:///etc/pmta/pools.conf': EMPTY,
  };
  const svc = new PmtaLanguageService({ host: memoryHost(files) });
  const text = files['file:///etc/pmta/config'];
  const f = svc.lint(doc(text, 'file:///etc/pmta/config')).filter((x) => x.rule === 'empty-pool');
  assert.deepEqual(show(text, f), [
    '3:25-3:30 "empty" | The pool "empty" has no members (<virtual-mta-pool empty>, pools.conf, has no virtual-mta line): mail sent to it has no virtual MTA to go out through. Add a "virtual-mta NAME" line for each virtual MTA of the pool.',
  ]);
  assert.equal(f[0].related?.[0].uri, 'file:///etc/pmta/pools.conf');
});
