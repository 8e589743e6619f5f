import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyChanges } from '../../../server/src/features/codeActions';
import { lint, show } from '../../helpers/util';

const VMTAS = '<virtual-mta mta1>\n</virtual-mta>\n<virtual-mta mta2>\n</virtual-mta>\n';
const only = (text: string) => lint(text).filter((f) => f.rule === 'pool-member');

test('pool-member: a weight after the name is not PowerMTA syntax; the fix keeps the name', () => {
  const text =
    VMTAS +
    '<virtual-mta-pool p>\n    virtual-mta mta1    weight 100   # ACTIVE\n    virtual-mta mta2\n</virtual-mta-pool>\n';
  const f = only(text);
  assert.deepEqual(show(text, f), [
    '6:25-6:35 "weight 100" | A member line takes one virtual MTA name; "weight 100" is not PowerMTA syntax (a pool uses its members in turn and has no weights)',
  ]);
  assert.equal(f[0].severity, 'error');
  assert.equal(f[0].fixes[0].title, 'Keep only "mta1"');
  assert.equal(f[0].fixes[0].safe, undefined);
  const fixed = applyChanges(text, f[0].fixes[0].changes);
  assert.equal(fixed.split('\n')[5], '    virtual-mta mta1   # ACTIVE');
  assert.deepEqual(lint(fixed), []);
});

test('pool-member: several defined virtual MTAs on one line; the fix gives each a line of its own', () => {
  const text = VMTAS + '<virtual-mta-pool p>\r\n\tvirtual-mta mta1, mta2\r\n</virtual-mta-pool>\r\n';
  const f = only(text);
  assert.deepEqual(show(text, f), [
    '6:20-6:24 "mta2" | A member line takes one virtual MTA name: write "mta1", "mta2" on lines of their own',
  ]);
  assert.equal(f[0].fixes[0].title, 'Put each virtual MTA on a line of its own');
  const fixed = applyChanges(text, f[0].fixes[0].changes);
  assert.equal(
    fixed,
    VMTAS + '<virtual-mta-pool p>\r\n\tvirtual-mta mta1\r\n\tvirtual-mta mta2\r\n</virtual-mta-pool>\r\n',
  );
  assert.deepEqual(lint(fixed), []);
});

test('pool-member: one name, a template, or a virtual-mta line outside a pool are not reported', () => {
  const text =
    VMTAS +
    '<virtual-mta-pool p>\n    virtual-mta mta1\n    {{#each ips}}\n    virtual-mta mailer-{{sub}} {{weight}}\n    {{/each}}\n</virtual-mta-pool>\n';
  assert.deepEqual(only(text), []);
});

test('pool-member: a virtual MTA in two pools that both have <domain> blocks', () => {
  const text = [
    '<virtual-mta mta1>',
    '</virtual-mta>',
    '<virtual-mta mta2>',
    '</virtual-mta>',
    '<virtual-mta-pool a>',
    '    virtual-mta mta1',
    '    virtual-mta mta2',
    '    <domain a.com>',
    '        max-smtp-out 2',
    '    </domain>',
    '</virtual-mta-pool>',
    '<virtual-mta-pool b>',
    '    virtual-mta mta1',
    '    <domain b.com>',
    '        max-smtp-out 2',
    '    </domain>',
    '</virtual-mta-pool>',
    '<virtual-mta-pool c>',
    '    virtual-mta mta2',
    '</virtual-mta-pool>',
    '',
  ].join('\n');
  const f = only(text);
  assert.deepEqual(show(text, f), [
    '6:17-6:21 "mta1" | The virtual MTA "mta1" is also a member of the pool "b", and both pools have <domain> blocks: PowerMTA does not allow a virtual MTA in two pools that both have <domain> blocks. Keep it in one of them, or move the <domain> settings of one pool into its virtual MTAs.',
    '13:17-13:21 "mta1" | The virtual MTA "mta1" is also a member of the pool "a", and both pools have <domain> blocks: PowerMTA does not allow a virtual MTA in two pools that both have <domain> blocks. Keep it in one of them, or move the <domain> settings of one pool into its virtual MTAs.',
  ]);
  assert.equal(f[0].severity, 'error');
});

/** A configuration where virtual MTA mta1 is the member of each named pool, each pool with a <domain> block. */
function inPools(...names: string[]): string {
  const pool = (name: string) => [
    `<virtual-mta-pool ${name}>`,
    '    virtual-mta mta1',
    '    <domain a.com>',
    '    </domain>',
    '</virtual-mta-pool>',
  ];
  return ['<virtual-mta mta1>', '</virtual-mta>', ...names.flatMap(pool), ''].join('\n');
}

test('pool-member: a virtual MTA in many pools with <domain> blocks names three of the others and counts the rest', () => {
  const text = inPools('p1', 'p2', 'p3', 'p4', 'p5', 'p6');
  const f = only(text);
  assert.equal(f.length, 6);
  assert.deepEqual(show(text, f).slice(0, 2), [
    '4:17-4:21 "mta1" | The virtual MTA "mta1" is also a member of the pools "p2", "p3", "p4" and 2 more, and all of them have <domain> blocks: PowerMTA does not allow a virtual MTA in two pools that both have <domain> blocks. Keep it in one of them, or move the <domain> settings of one pool into its virtual MTAs.',
    '9:17-9:21 "mta1" | The virtual MTA "mta1" is also a member of the pools "p1", "p3", "p4" and 2 more, and all of them have <domain> blocks: PowerMTA does not allow a virtual MTA in two pools that both have <domain> blocks. Keep it in one of them, or move the <domain> settings of one pool into its virtual MTAs.',
  ]);
});

test('pool-member: a virtual MTA in three pools with <domain> blocks names both others', () => {
  const text = inPools('p1', 'p2', 'p3');
  assert.deepEqual(
    only(text).map((x) => x.message.split(':')[0]),
    [
      'The virtual MTA "mta1" is also a member of the pools "p2" and "p3", and all of them have <domain> blocks',
      'The virtual MTA "mta1" is also a member of the pools "p1" and "p3", and all of them have <domain> blocks',
      'The virtual MTA "mta1" is also a member of the pools "p1" and "p2", and all of them have <domain> blocks',
    ],
  );
});
