/**
 * Which fixes "fix all" and `--fix` take, and how changes are applied to a text: the same choices and
 * the same bytes as the first-come-first-served search over every change taken and the cut-and-join
 * at each change that they replace (both quadratic in the number of fixes), on random changes, and on
 * a file of many duplicate lines.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import { applyChanges, codeActions, fixAll } from '../../server/src/features/codeActions';
import type { Finding, TextChange } from '../../server/src/findings';
import { PmtaLanguageService } from '../../server/src/service';

/** The changes "fix all" took before: each fix's changes searched against every change taken. */
function safeChangesBySearch(findings: Finding[]): TextChange[] {
  const chosen: TextChange[] = [];
  for (const f of findings) {
    const fix = f.fixes.find((x) => x.safe);
    if (!fix) continue;
    const overlaps = fix.changes.some((c) =>
      chosen.some(
        (o) =>
          (c.span.start < o.span.end && o.span.start < c.span.end) ||
          (c.span.start === o.span.start && c.span.end === o.span.end),
      ),
    );
    if (overlaps) continue;
    chosen.push(...fix.changes);
  }
  return chosen;
}

/** How changes were applied before: from the end, the text cut and joined at each. */
function applyByCutting(text: string, changes: readonly TextChange[]): string {
  const sorted = [...changes].sort((a, b) => b.span.start - a.span.start || b.span.end - a.span.end);
  let out = text;
  let limit = Infinity;
  for (const c of sorted) {
    if (c.span.end > limit) continue;
    out = out.slice(0, c.span.start) + c.newText + out.slice(c.span.end);
    limit = c.span.start;
  }
  return out;
}

const TEXT = 'abcdefghijklmnopqrstuvwxyz0123';

const change = fc
  .tuple(fc.nat({ max: TEXT.length }), fc.nat({ max: 4 }), fc.constantFrom('', 'X', 'YY'))
  .map(([start, len, newText]): TextChange => ({ span: { start, end: Math.min(TEXT.length, start + len) }, newText }));

const finding = fc
  .array(fc.record({ safe: fc.boolean(), changes: fc.array(change, { minLength: 1, maxLength: 3 }) }), { maxLength: 2 })
  .map((fixes): Finding => ({
    rule: 'r',
    severity: 'warning',
    span: { start: 0, end: 0 },
    message: 'm',
    fixes: fixes.map((x, i) => ({ title: `fix ${i}`, changes: x.changes, safe: x.safe })),
  }));

const doc = () => TextDocument.create('file:///f.pmta', 'powermta', 1, TEXT);

test('fix all: takes the same changes as a search of every change taken, in the same order', () => {
  fc.assert(
    fc.property(fc.array(finding, { maxLength: 12 }), (findings) => {
      const d = doc();
      const actions = codeActions(
        d,
        findings,
        { start: d.positionAt(0), end: d.positionAt(0) },
        { only: ['source.fixAll'] },
        () => ({}) as Diagnostic,
      );
      const expected = safeChangesBySearch(findings).map((c) => ({
        range: { start: d.positionAt(c.span.start), end: d.positionAt(c.span.end) },
        newText: c.newText,
      }));
      const got = actions.length ? actions[0].edit!.changes![d.uri] : [];
      assert.deepEqual(got, expected);
    }),
    { numRuns: 5000 },
  );
});

test('fix all: an insertion collides with one at the same place or strictly inside a change taken, not with one it touches', () => {
  const f = (...changes: Array<[number, number]>): Finding => ({
    rule: 'r',
    severity: 'warning',
    span: { start: 0, end: 0 },
    message: 'm',
    fixes: [
      { title: 't', safe: true, changes: changes.map(([start, end]) => ({ span: { start, end }, newText: 'Z' })) },
    ],
  });
  const taken = (findings: Finding[]) => {
    const d = doc();
    const a = codeActions(
      d,
      findings,
      { start: d.positionAt(0), end: d.positionAt(0) },
      { only: ['source.fixAll'] },
      () => ({}) as Diagnostic,
    );
    return a[0].edit!.changes![d.uri].map((e) => [d.offsetAt(e.range.start), d.offsetAt(e.range.end)]);
  };
  assert.deepEqual(taken([f([2, 6]), f([2, 2]), f([6, 6]), f([4, 4]), f([6, 9]), f([5, 7]), f([6, 6])]), [
    [2, 6],
    [2, 2],
    [6, 6],
    [6, 9],
  ]);
  assert.deepEqual(taken([f([3, 3]), f([1, 5]), f([3, 4]), f([0, 3])]), [
    [3, 3],
    [3, 4],
    [0, 3],
  ]);
});

test('applyChanges: the same text as cutting and joining it at each change from the end', () => {
  fc.assert(
    fc.property(fc.array(change, { maxLength: 12 }), (changes) => {
      assert.equal(applyChanges(TEXT, changes), applyByCutting(TEXT, changes));
    }),
    { numRuns: 5000 },
  );
  assert.equal(
    applyChanges(TEXT, [
      { span: { start: 3, end: 3 }, newText: '1' },
      { span: { start: 3, end: 3 }, newText: '2' },
      { span: { start: 3, end: 5 }, newText: '3' },
    ]),
    'abc213fghijklmnopqrstuvwxyz0123',
  );
});

test('fix all: a block of 2,000 identical lines keeps the last; every removal is counted', () => {
  const text = '<domain example.com>\n' + '    max-smtp-out 5\n'.repeat(2000) + '</domain>\n';
  const d = TextDocument.create('file:///dups.pmta', 'powermta', 1, text);
  const fixed = new PmtaLanguageService().fixAll(d);
  assert.equal(fixed.text, '<domain example.com>\n    max-smtp-out 5\n</domain>\n');
  assert.equal(fixed.applied, 1999);
  const byHand = fixAll(d, (x) => new PmtaLanguageService().lint(x));
  assert.deepEqual(byHand, fixed);
});
