/** The `annotation` rule: a `# pmta-lint:` comment that is not understood. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lint, show } from '../../helpers/util';
import { only } from '../../helpers/ruleTests';
import { applyChanges } from '../../../server/src/features/codeActions';

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

test('annotation: a verb that is not understood spans the annotation body', () => {
  const text = 'max-smtp-out 1\n# pmta-lint: ignore everything\n';
  const f = only(text, 'annotation');
  assert.deepEqual(show(text, f), [
    '2:14-2:31 "ignore everything" | Unknown pmta-lint annotation "ignore everything": use disable-next-line RULE, disable RULE, enable RULE or KEY=VALUE',
  ]);
  assert.equal(f[0].severity, 'warning');
  assert.deepEqual(f[0].fixes, []);
});

test('annotation: an unknown rule id in disable or enable, with a did-you-mean fix', () => {
  const text =
    '# pmta-lint: disable invalid-valeu, deprecated\n<domain a.com>\n    max-smtp-out x\n</domain>\n# pmta-lint: enable Invalid-Valeu\n# pmta-lint: disable-next-line no-such-thing\nmax-smtp-out 2\n';
  const f = only(text, 'annotation');
  assert.deepEqual(show(text, f), [
    '1:22-1:35 "invalid-valeu" | No rule is called "invalid-valeu", so this annotation turns nothing off; did you mean "invalid-value"?',
    '5:21-5:34 "Invalid-Valeu" | No rule is called "invalid-valeu", so this annotation turns nothing back on; did you mean "invalid-value"?',
    '6:32-6:45 "no-such-thing" | No rule is called "no-such-thing", so this annotation turns nothing off (pmta-lint --list-rules lists the rules)',
  ]);
  assert.deepEqual(
    f.map((x) => x.fixes.map((fx) => fx.title)),
    [['Change to "invalid-value"'], ['Change to "invalid-value"'], []],
  );
  const fixed = applyChanges(text, f[0].fixes[0].changes);
  assert.equal(fixed.split('\n')[0], '# pmta-lint: disable invalid-value, deprecated');
  // once fixed, the rule is really turned off: the bad value is no longer reported
  assert.equal(only(text, 'invalid-value').length, 1);
  assert.deepEqual(only(fixed, 'invalid-value'), []);
});

test('annotation: rule ids are matched without case, every registered rule id is known', () => {
  const text =
    '# pmta-lint: disable Invalid-Value, microsoft-unsafe-limit annotation *\n<domain a.com>\n    max-smtp-out x\n</domain>\n';
  assert.deepEqual(only(text, 'annotation'), []);
  assert.deepEqual(only(text, 'invalid-value'), []);
});

test('annotation: a Microsoft tier that is not one, with a did-you-mean fix when one is close', () => {
  const text = '# pmta-lint: microsoft-tier=huge\n# pmta-lint: microsoft-tier=100k-500\n';
  const f = only(text, 'annotation');
  assert.deepEqual(show(text, f), [
    '1:29-1:33 "huge" | "huge" is not a Microsoft volume tier: write under-100k, 100k-500k, 500k-plus or auto. Until then the tier comes from the settings or the pool size.',
    '2:29-2:37 "100k-500" | "100k-500" is not a Microsoft volume tier (did you mean "100k-500k"?): write under-100k, 100k-500k, 500k-plus or auto. Until then the tier comes from the settings or the pool size.',
  ]);
  assert.deepEqual(f[0].fixes, []);
  assert.equal(
    applyChanges(text, f[1].fixes[0].changes),
    '# pmta-lint: microsoft-tier=huge\n# pmta-lint: microsoft-tier=100k-500k\n',
  );
  // the valid values, in any case
  assert.deepEqual(only('# pmta-lint: microsoft-tier=500K-Plus\n# pmta-lint: microsoft-tier=auto\n', 'annotation'), []);
  // reported once, by this rule alone
  assert.deepEqual(
    lint(text)
      .filter((x) => x.message.includes('is not a Microsoft volume tier'))
      .map((x) => x.rule),
    ['annotation', 'annotation'],
  );
});

test('annotation: an unknown setting, with a did-you-mean fix', () => {
  const text = '# pmta-lint: microsoft-teir=500k-plus\n# pmta-lint: colour=blue\n';
  const f = only(text, 'annotation');
  assert.deepEqual(show(text, f), [
    '1:14-1:28 "microsoft-teir" | Unknown pmta-lint setting "microsoft-teir"; did you mean "microsoft-tier"?',
    '2:14-2:20 "colour" | Unknown pmta-lint setting "colour": the setting a pmta-lint annotation can give is microsoft-tier',
  ]);
  assert.equal(
    applyChanges(text, f[0].fixes[0].changes),
    '# pmta-lint: microsoft-tier=500k-plus\n# pmta-lint: colour=blue\n',
  );
  assert.deepEqual(f[1].fixes, []);
});

test('annotation: enable ends a disable from its own line on; the lines in between stay suppressed', () => {
  const text = [
    '<domain a.com>',
    '    max-smtp-out x',
    '    # pmta-lint: disable invalid-value',
    '    max-smtp-out y',
    '    retry-after z',
    '    # pmta-lint: enable invalid-value',
    '    max-msg-rate w',
    '</domain>',
    '',
  ].join('\n');
  assert.deepEqual(
    only(text, 'invalid-value').map((f) => text.slice(f.span.start, f.span.end)),
    ['x', 'w'],
  );
});
