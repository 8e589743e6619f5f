/**
 * Code actions on findings: each finding's quick fixes, "disable this rule for this line / this file",
 * and "fix all" (every safe fix whose changes do not overlap another's); and `fixAll`, which applies the
 * safe fixes round after round as `pmta-lint --fix` does. Findings in, LSP code actions or text out.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Diagnostic, Range, WorkspaceEdit } from 'vscode-languageserver-types';
import type { Finding, TextChange } from '../findings';
import { lineHolding, type Line, type Span } from '../parser/ast';
import { rangeOf } from '../diagnostics';
import { eolOf } from '../util/eol';
import { pushAll } from '../util/arrays';
import { Char } from '../util/text';

/** What the client asks for: the diagnostics it shows in the range, and the kinds of action it wants. */
export interface CodeActionRequest {
  diagnostics?: Diagnostic[];
  only?: string[];
}

/** Rounds of {@link fixAll} at most: a fix that keeps making work for another cannot loop. */
const MAX_FIX_ROUNDS = 10;

/**
 * Quick fixes for the findings the client's diagnostics stand for (or, without diagnostics, every finding
 * touching `range`), plus "fix all" and "disable this rule" actions. `diagnosticOf` turns a finding into
 * the diagnostic the actions name.
 */
export function codeActions(
  doc: TextDocument,
  findings: Finding[],
  range: Range,
  request: CodeActionRequest,
  diagnosticOf: (f: Finding) => Diagnostic,
  lines?: readonly Line[],
): CodeAction[] {
  const { diagnostics = [], only } = request;
  const start = doc.offsetAt(range.start);
  const end = doc.offsetAt(range.end);
  const actions: CodeAction[] = [];
  // the client's diagnostics by rule, message and start (a search of them for every finding was quadratic)
  const asked = new Set<string>();
  for (const d of diagnostics)
    if (typeof d.message === 'string') asked.add(diagnosticKey(String(d.code), d.message, doc.offsetAt(d.range.start)));
  const matched = findings.filter((f) =>
    diagnostics.length
      ? asked.has(diagnosticKey(f.rule, f.message, f.span.start))
      : f.span.start <= end && f.span.end >= start,
  );
  if (wants(only, 'quickfix')) {
    for (const f of matched) pushAll(actions, quickFixes(doc, f, diagnosticOf(f), lines));
  }
  if (wants(only, 'source.fixAll')) {
    const all = safeChanges(findings);
    if (all.length && (only || matched.some((f) => f.fixes.some((x) => x.safe)))) {
      actions.push({
        title: 'Fix all auto-fixable PowerMTA problems',
        kind: 'source.fixAll.pmta',
        edit: editOf(doc, all),
      });
    }
  }
  return actions;
}

/** What identifies a diagnostic the client sends back (its code, message and start) among the findings. */
function diagnosticKey(rule: string, message: string, start: number): string {
  return `${start}\u0000${rule}\u0000${message}`;
}

/** Whether the `only` kinds of a request take in actions of `kind` (no `only`: every kind). */
function wants(only: string[] | undefined, kind: string): boolean {
  return !only || only.some((k) => kind.startsWith(k) || k.startsWith(kind));
}

/**
 * A finding's own fixes, then "disable this rule for this line" and "for this file". `lines` (the
 * document's syntax tree) place the line's annotation: above the first physical line of a directive
 * continued over several (one put between them would cut it in two), and none for a finding on a
 * comment or blank line, which `disable-next-line` passes over to the next line of configuration.
 */
function quickFixes(doc: TextDocument, f: Finding, diag: Diagnostic, lines?: readonly Line[]): CodeAction[] {
  const actions: CodeAction[] = f.fixes.map((fix) => ({
    title: fix.title,
    kind: 'quickfix',
    diagnostics: [diag],
    isPreferred: fix.isPreferred,
    edit: editOf(doc, fix.changes),
  }));
  if (f.rule === 'internal-error') return actions;
  const text = doc.getText();
  const holding = lines && lineHolding(lines, f.span.start);
  if (holding?.kind !== 'comment' && holding?.kind !== 'blank') {
    const line = doc.positionAt(holding ? holding.start : f.span.start).line;
    const lineStart = doc.offsetAt({ line, character: 0 });
    let i = lineStart;
    while (text[i] === ' ' || text[i] === '\t') i++;
    const indent = text.slice(lineStart, i);
    actions.push({
      title: `Disable ${f.rule} for this line`,
      kind: 'quickfix',
      diagnostics: [diag],
      edit: editOf(doc, [
        {
          span: { start: lineStart, end: lineStart },
          newText: `${indent}# pmta-lint: disable-next-line ${f.rule}${eolOf(text)}`,
        },
      ]),
    });
  }
  actions.push({
    title: `Disable ${f.rule} for this file`,
    kind: 'quickfix',
    diagnostics: [diag],
    edit: editOf(doc, [{ span: { start: 0, end: 0 }, newText: `# pmta-lint: disable ${f.rule}${eolOf(text)}` }]),
  });
  return actions;
}

/**
 * Non-overlapping changes of every safe fix (first come first served): a fix is taken when none of its
 * changes collides with a change taken before, that is, their spans overlap, or they are the same span
 * (two insertions at one place); spans that only touch do not collide.
 */
function safeChanges(findings: Finding[]): TextChange[] {
  const fixes: TextChange[][] = [];
  for (const f of findings) {
    const fix = f.fixes.find((x) => x.safe);
    if (fix) fixes.push(fix.changes);
  }
  const chosen: TextChange[] = [];
  const taken = new TakenSpans(fixes);
  for (const changes of fixes) {
    if (changes.some((c) => taken.overlaps(c.span.start, c.span.end))) continue;
    for (const c of changes) taken.take(c.span.start, c.span.end);
    pushAll(chosen, changes);
  }
  return chosen;
}

/**
 * The spans of the changes taken so far, asked whether a span collides with one of them (see
 * {@link safeChanges}) in logarithmic time: a search of every change taken made "fix all" quadratic in the number of fixes.
 *
 * The offsets of every change that may be taken are known at the start: sorted, they cut the text into
 * segments, and a span is a run of whole segments. Spans taken never overlap, so each segment is taken
 * once at most; a non-empty span collides with a taken one when it shares a segment with it (counted
 * by a Fenwick tree), or has a taken insertion strictly inside it; an insertion collides with a taken
 * span that it falls strictly inside, or with an insertion at the same place.
 */
class TakenSpans {
  /** The offsets of every change, sorted, without repeats: offset `points[k]` is point k, segment k runs from it to the next. */
  private points: number[];
  /** Fenwick trees: segments taken, and points where an insertion was taken. */
  private segments: Int32Array;
  private insertions: Int32Array;
  /** Per segment: 1 when inside a span taken, 2 when only the first segment of spans taken. Per point: an insertion taken there. */
  private segment: Uint8Array;
  private inserted: Uint8Array;

  constructor(fixes: readonly TextChange[][]) {
    const all: number[] = [];
    for (const changes of fixes) for (const c of changes) all.push(c.span.start, c.span.end);
    all.sort((a, b) => a - b);
    const points: number[] = [];
    for (const x of all) if (points.length === 0 || points[points.length - 1] !== x) points.push(x);
    this.points = points;
    this.segments = new Int32Array(points.length + 1);
    this.insertions = new Int32Array(points.length + 1);
    this.segment = new Uint8Array(points.length);
    this.inserted = new Uint8Array(points.length);
  }

  overlaps(start: number, end: number): boolean {
    const s = this.index(start);
    const e = this.index(end);
    if (s === e) return this.inserted[s] === 1 || this.segment[s] === 1;
    return (
      count(this.segments, e) - count(this.segments, s) > 0 ||
      count(this.insertions, e) - count(this.insertions, s + 1) > 0
    );
  }

  take(start: number, end: number): void {
    const s = this.index(start);
    const e = this.index(end);
    if (s === e) {
      this.inserted[s] = 1;
      add(this.insertions, s);
      return;
    }
    // (the changes of one fix may overlap each other: a segment inside any of them stays marked so)
    for (let k = s; k < e; k++) {
      if (this.segment[k] === 0) add(this.segments, k);
      if (k > s) this.segment[k] = 1;
      else if (this.segment[k] === 0) this.segment[k] = 2;
    }
  }

  /** The point of an offset (every offset asked is one of the points). */
  private index(x: number): number {
    const p = this.points;
    let lo = 0;
    let hi = p.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (p[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** Fenwick tree: one more at index i. */
function add(tree: Int32Array, i: number): void {
  for (let k = i + 1; k < tree.length; k += k & -k) tree[k]++;
}

/** Fenwick tree: the sum of indexes [0, i). */
function count(tree: Int32Array, i: number): number {
  let sum = 0;
  for (let k = i; k > 0; k -= k & -k) sum += tree[k];
  return sum;
}

/**
 * Apply every safe fix, checking again with `lint` between rounds until nothing changes (at most
 * {@link MAX_FIX_ROUNDS} rounds). Returns the new text and how many fixes were applied.
 */
export function fixAll(doc: TextDocument, lint: (doc: TextDocument) => Finding[]): { text: string; applied: number } {
  let current = doc;
  let applied = 0;
  for (let round = 0; round < MAX_FIX_ROUNDS; round++) {
    const findings = lint(current);
    const changes = safeChanges(findings);
    if (!changes.length) break;
    const before = current.getText();
    const text = applyChanges(
      before,
      hasBom(before) ? changes.map((c) => (c.span.start === 0 ? { ...c, span: afterBom(c.span) } : c)) : changes,
    );
    if (text === before) break;
    const made = new Set(changes);
    applied += findings.filter((f) => f.fixes.some((x) => x.safe && x.changes.some((c) => made.has(c)))).length;
    current = TextDocument.create(doc.uri, doc.languageId, current.version + 1, text);
  }
  return { text: current.getText(), applied };
}

/**
 * Apply non-overlapping changes to a text: from the end, a change that reaches into one applied after
 * it is skipped. The text is put together once from its pieces (cutting and joining it at each change
 * was quadratic in the number of changes).
 */
export function applyChanges(text: string, changes: readonly TextChange[]): string {
  const sorted = [...changes].sort((a, b) => b.span.start - a.span.start || b.span.end - a.span.end);
  const kept: TextChange[] = [];
  let limit = Infinity;
  for (const c of sorted) {
    if (c.span.end > limit) continue; // overlapping: skip
    kept.push(c);
    limit = c.span.start;
  }
  const parts: string[] = [];
  let at = 0;
  for (let i = kept.length - 1; i >= 0; i--) {
    const c = kept[i];
    parts.push(text.slice(at, c.span.start), c.newText);
    at = c.span.end;
  }
  parts.push(text.slice(at));
  return parts.join('');
}

function editOf(doc: TextDocument, changes: TextChange[]): WorkspaceEdit {
  const bom = hasBom(doc.getText());
  return {
    changes: {
      [doc.uri]: changes.map((c) => ({ range: rangeOf(doc, bom ? afterBom(c.span) : c.span), newText: c.newText })),
    },
  };
}

/**
 * Whether a text starts with a byte order mark (a client that keeps it in the text). The parser reads it
 * as part of the first line, so the changes of the fixes may start at 0: before it.
 */
function hasBom(text: string): boolean {
  return text.charCodeAt(0) === Char.ByteOrderMark;
}

/** A span that starts at 0 starts after the byte order mark instead, which stays the first character of the file. */
function afterBom(span: Span): Span {
  return span.start === 0 ? { start: 1, end: Math.max(1, span.end) } : span;
}
