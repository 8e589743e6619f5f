import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../../server/src/parser/parser';
import { isDirectiveName } from '../../server/src/knowledge/catalog';
import { type Annotations, isSuppressed, readAnnotations } from '../../server/src/model/annotations';
import { at, model } from '../helpers/util';

function read(text: string): Annotations {
  return readAnnotations(text, parse(text, { isDirectiveName }).lines);
}

/** The 0-based lines on which `rule` is suppressed, among the first `n`. */
function suppressed(a: Annotations, rule: string, n: number): number[] {
  const out: number[] = [];
  for (let l = 0; l < n; l++) if (isSuppressed(a, rule, l)) out.push(l);
  return out;
}

/** Ranges by rule as plain data: [rule, from, until]. */
function ranges(m: Map<string, Array<{ line: number; until?: number }>>): Array<[string, number, number | undefined]> {
  return [...m].flatMap(([rule, list]) =>
    list.map((r): [string, number, number | undefined] => [rule, r.line, r.until]),
  );
}

function byRuleThenLine(x: [string, number, number | undefined], y: [string, number, number | undefined]): number {
  return x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1] - y[1];
}

/** The rule ids an annotation names, as plain data: [id, the text at its span, verb]. */
function named(a: Annotations, text: string): Array<[string, string, string]> {
  return a.ruleNames.map((n): [string, string, string] => [n.id, text.slice(n.span.start, n.span.end), n.verb]);
}

/** disabledLines as plain data: "line: rule rule". */
function lines(a: Annotations): string[] {
  return [...a.disabledLines].map(([l, rules]) => `${l}: ${[...rules].join(' ')}`);
}

test('disable-next-line: the next line that is not blank or a comment, for the rules named', () => {
  const text = [
    '<domain a.com>',
    '# pmta-lint: disable-next-line unknown-directive, invalid-value',
    '',
    '# a comment in between',
    'max-smtp-outt 5',
    'max-smtp-outt 6',
    '</domain>',
  ].join('\n');
  const a = read(text);
  assert.deepEqual(lines(a), ['4: unknown-directive invalid-value']);
  assert.deepEqual(suppressed(a, 'unknown-directive', 7), [4]);
  assert.deepEqual(suppressed(a, 'invalid-value', 7), [4]);
  assert.deepEqual(suppressed(a, 'syntax', 7), []);
  assert.deepEqual(ranges(a.disabledRanges), []);
  assert.deepEqual(a.problems, []);
});

test('disable-next-line covers every physical line of a continued directive', () => {
  const text =
    '# pmta-lint: disable-next-line invalid-value\ndomain-macro ms hotmail.com,\n    outlook.com,\n    live.com\nmax-smtp-out x\n';
  const a = read(text);
  assert.deepEqual(lines(a), ['1: invalid-value', '2: invalid-value', '3: invalid-value']);
  // one set, shared by the lines of the directive
  assert.equal(a.disabledLines.get(1), a.disabledLines.get(3));
  assert.deepEqual(suppressed(a, 'invalid-value', 5), [1, 2, 3]);
});

test('disable-next-line as the last line: the line after it', () => {
  const a = read('max-smtp-out 1\n# pmta-lint: disable-next-line\n');
  assert.deepEqual(lines(a), ['2: *']);
});

test('disable-line: its own line, as a trailing comment; without rules, every rule', () => {
  const text =
    'max-smtp-out 5 # pmta-lint: disable-line invalid-value\n<domain x> # pmta-lint: disable-line\nmax-smtp-out 6\n';
  const a = read(text);
  assert.deepEqual(lines(a), ['0: invalid-value', '1: *']);
  assert.deepEqual(suppressed(a, 'invalid-value', 3), [0, 1]);
  assert.deepEqual(suppressed(a, 'syntax', 3), [1]);
});

test('two annotations for one line add up', () => {
  const text = '# pmta-lint: disable-next-line a\nfoo 1 # pmta-lint: disable-line b\n';
  assert.deepEqual(lines(read(text)), ['1: a b']);
});

test('disable: from its line to the end of the file', () => {
  const text = 'a 1\n# pmta-lint: disable deprecated syntax\nb 2\nc 3\n';
  const a = read(text);
  assert.deepEqual(ranges(a.disabledRanges), [
    ['deprecated', 1, undefined],
    ['syntax', 1, undefined],
  ]);
  assert.deepEqual(suppressed(a, 'deprecated', 5), [1, 2, 3, 4]);
  assert.deepEqual(suppressed(a, 'syntax', 5), [1, 2, 3, 4]);
  assert.deepEqual(suppressed(a, 'invalid-value', 5), []);
  // without rules: every rule, for the whole file when it is at the top
  assert.deepEqual(suppressed(read('# pmta-lint: disable\na 1\n'), 'anything', 3), [0, 1, 2]);
});

test('enable: the rule is no longer suppressed after it', () => {
  const text = 'a 1\n# pmta-lint: disable deprecated syntax\nb 2\n# pmta-lint: enable syntax\nc 3\n';
  const a = read(text);
  assert.deepEqual(
    suppressed(a, 'syntax', 6).filter((l) => l >= 3),
    [],
  );
  assert.deepEqual(suppressed(a, 'deprecated', 6), [1, 2, 3, 4, 5]);
});

test('verbs and keys in any case, white space around the colon and none after the #', () => {
  const a = read('#PMTA-Lint :Disable-Next-Line syntax\nx 1\n#   pmta-lint:   Microsoft-Tier = 500k-plus\n');
  assert.deepEqual(lines(a), ['1: syntax']);
  assert.deepEqual([...a.settings.keys()], ['microsoft-tier']);
  assert.equal(a.settings.get('microsoft-tier')!.value, '500k-plus');
});

test('key=value: the value and its exact span; a later one wins', () => {
  const text = '# pmta-lint: microsoft-tier=100k-500k\nx 1\n# pmta-lint: microsoft-tier = under-100k  trailing words\n';
  const a = read(text);
  const t = a.settings.get('microsoft-tier')!;
  assert.equal(t.value, 'under-100k');
  assert.deepEqual(t.span, { start: at(text, 'under-100k'), end: at(text, 'under-100k') + 'under-100k'.length });
  assert.equal(text.slice(t.span.start, t.span.end), 'under-100k');
});

test('an annotation that is not understood is a problem spanning its body', () => {
  const text = 'x 1\n# pmta-lint: ignore everything  \n# pmta-lint:\n';
  const a = read(text);
  assert.deepEqual(
    a.problems.map((p) => [text.slice(p.span.start, p.span.end), p.message]),
    [
      [
        'ignore everything',
        'Unknown pmta-lint annotation "ignore everything": use disable-next-line RULE, disable RULE, enable RULE or KEY=VALUE',
      ],
      ['', 'Unknown pmta-lint annotation "": use disable-next-line RULE, disable RULE, enable RULE or KEY=VALUE'],
    ],
  );
  assert.equal(a.problems[0].span.start, at(text, 'ignore'));
});

test('comments that only look like annotations are left alone', () => {
  const a = read(
    '# pmta-lint disable syntax\n# pmta-linter: disable\n# see pmta-lint: disable\n# pmta\nx 1 #pmta-lint-ish: y\n',
  );
  assert.deepEqual(lines(a), []);
  assert.deepEqual(ranges(a.disabledRanges), []);
  assert.deepEqual([...a.settings], []);
  assert.deepEqual(a.problems, []);
});

test('an annotation inside a quoted value is not a comment', () => {
  const a = read('smtp-source-host "x # pmta-lint: disable" y\nz 1\n');
  assert.deepEqual(ranges(a.disabledRanges), []);
});

test('the model reads its annotations and answers isSuppressedAt with them, at any offset of a line', () => {
  const m = model(
    '<domain a.com>\n# pmta-lint: disable-next-line unknown-directive\nmax-smtp-outt 5\nmax-smtp-outt 6\n# pmta-lint: disable\nfoo-bar 1\n</domain>\n',
  );
  assert.deepEqual(
    [0, 1, 2, 3, 4, 5, 6].filter((l) => m.isSuppressedAt('unknown-directive', m.tree.lineStarts[l])),
    [2, 4, 5, 6],
  );
  // the end of line 2's content, and its line end, are still line 2; line 3's start is not
  const end2 = m.tree.lineStarts[3] - 1;
  assert.deepEqual(
    [end2 - 1, end2, end2 + 1].map((o) => m.isSuppressedAt('unknown-directive', o)),
    [true, true, false],
  );
  assert.deepEqual(
    [0, 1, 2, 3, 4, 5, 6].filter((l) => m.isSuppressedAt('syntax', m.tree.lineStarts[l])),
    [4, 5, 6],
  );
});

test('enable ends the range on its own line: the lines between disable and enable stay suppressed', () => {
  const text =
    'a 1\n# pmta-lint: disable deprecated syntax\nb 2\n# pmta-lint: enable syntax\nc 3\n# pmta-lint: disable syntax\nd 4\n';
  const a = read(text);
  assert.deepEqual(suppressed(a, 'syntax', 8), [1, 2, 5, 6, 7]);
  assert.deepEqual(suppressed(a, 'deprecated', 8), [1, 2, 3, 4, 5, 6, 7]);
});

test('enable of one rule inside a disable of every rule: the others stay off', () => {
  const text = '# pmta-lint: disable\na 1\n# pmta-lint: enable syntax\nb 2\n# pmta-lint: enable\nc 3\n';
  const a = read(text);
  assert.deepEqual(suppressed(a, 'syntax', 6), [0, 1]);
  assert.deepEqual(suppressed(a, 'deprecated', 6), [0, 1, 2, 3]);
  assert.deepEqual(ranges(a.disabledRanges), [['*', 0, 4]]);
  assert.deepEqual(ranges(a.enabledInAll), [['syntax', 2, 4]]);
});

test('the rule ids named, in lower case, with their spans and verbs', () => {
  const text = '# pmta-lint: disable Syntax,  deprecated\nx 1 # pmta-lint: disable-line foo\n# pmta-lint: enable\n';
  const a = read(text);
  assert.deepEqual(named(a, text), [
    ['syntax', 'Syntax', 'disable'],
    ['deprecated', 'deprecated', 'disable'],
    ['foo', 'foo', 'disable-line'],
  ]);
  assert.deepEqual(suppressed(a, 'syntax', 3), [0, 1]);
});

test('a verb ends at a character that is not a letter, digit or _; other bodies are settings or problems', () => {
  const text = [
    '# pmta-lint: disable-linex', // "disable", then the id "-linex"
    '# pmta-lint: disable_x', // no verb: not a setting either
    '# pmta-lint: enable2',
    '# pmta-lint:disable-line ,, \t',
    '# pmta-lint: disable-next-line foo,BAR  baz  ',
    'x 1',
    '# pmta-lint disable',
    '# pmta-lint: ',
  ].join('\n');
  const a = read(text);
  assert.deepEqual(named(a, text), [
    ['-linex', '-linex', 'disable'],
    ['foo', 'foo', 'disable-next-line'],
    ['bar', 'BAR', 'disable-next-line'],
    ['baz', 'baz', 'disable-next-line'],
  ]);
  assert.deepEqual(
    a.problems.map((p) => text.slice(p.span.start, p.span.end)),
    ['disable_x', 'enable2', ''],
  );
  // the list of only commas and white space turns every rule off on its line
  assert.deepEqual(lines(a), ['3: *', '5: foo bar baz']);
  assert.deepEqual(ranges(a.disabledRanges), [['-linex', 0, undefined]]);
});

test('many annotations: disable-next-line in a row all name the same line; each enable ends the disable before it', () => {
  const text = '# pmta-lint: disable-next-line a\n'.repeat(300) + '\n# other\nx 1\ny 2\n';
  const a = read(text);
  assert.deepEqual(lines(a), ['302: a']);
  assert.deepEqual(suppressed(a, 'a', 305), [302]);
  const pairs =
    Array.from(
      { length: 200 },
      (_, i) => `# pmta-lint: disable r${i % 3} s\nx ${i}\n# pmta-lint: enable r${i % 3}\n`,
    ).join('') + '# pmta-lint: disable r1\nlast 1\n';
  const b = read(pairs);
  // each disable of r0 and r2 is ended by the enable after it; r1 stays off from its last disable; s is never enabled
  const expected: Array<[string, number, number | undefined]> = [];
  for (const r of ['r0', 'r1', 'r2'])
    for (let i = 0; i < 200; i++) if (i % 3 === Number(r[1])) expected.push([r, i * 3, i * 3 + 2]);
  expected.push(['r1', 600, undefined], ['s', 0, undefined]);
  assert.deepEqual(ranges(b.disabledRanges).sort(byRuleThenLine), expected.sort(byRuleThenLine));
  // a rule is off from its disable's line up to its enable's line
  const offBetween = (k: number) =>
    Array.from({ length: 200 }, (_, i) => i)
      .filter((i) => i % 3 === k)
      .flatMap((i) => [i * 3, i * 3 + 1]);
  assert.deepEqual(suppressed(b, 'r1', 602), [...offBetween(1), 600, 601]);
  assert.deepEqual(suppressed(b, 'r0', 602), offBetween(0));
  assert.equal(suppressed(b, 's', 602).length, 602);
});
