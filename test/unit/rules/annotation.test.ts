/** The `annotation` rule: a `# pmta-lint:` comment that is not understood. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lint, show } from '../../helpers/util';
import { only } from '../../helpers/ruleTests';

test('annotation: a comment that is not understood is a warning on its body, without a fix', () => {
  const text = 'postmaster a@b.c # pmta-lint: ignore everything  \n# pmta-lint: lint\n# pmta-lint:\n';
  const f = only(text, 'annotation');
  assert.deepEqual(show(text, f), [
    '1:31-1:48 "ignore everything" | Unknown pmta-lint annotation "ignore everything": use disable-next-line RULE, disable RULE, enable RULE or KEY=VALUE',
    '2:14-2:18 "lint" | Unknown pmta-lint annotation "lint": use disable-next-line RULE, disable RULE, enable RULE or KEY=VALUE',
    '3:13-3:13 "" | Unknown pmta-lint annotation "": use disable-next-line RULE, disable RULE, enable RULE or KEY=VALUE',
  ]);
  assert.deepEqual(
    f.map((x) => [x.severity, x.fixes.length]),
    [
      ['warning', 0],
      ['warning', 0],
      ['warning', 0],
    ],
  );
});

test('annotation: the annotations that are understood are not reported', () => {
  const text = [
    '# PMTA-LINT: Disable-Next-Line syntax',
    'postmaster a@b.c # pmta-lint: disable-line',
    '# pmta-lint: microsoft-tier=500k-plus',
    '# pmta-lint: disable deprecated',
    '#pmta-lint : enable deprecated',
    '# pmta-lint disable syntax (not an annotation: no colon)',
    '',
  ].join('\n');
  assert.deepEqual(lint(text), []);
});
