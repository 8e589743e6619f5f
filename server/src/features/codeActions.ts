/**
 * Code actions on findings: each finding's quick fixes, "disable this rule for this line / this file",
 * and "fix all" (every safe fix whose changes do not overlap another's); and `fixAll`, which applies the
 * safe fixes round after round as `pmta-lint --fix` does. Findings in, LSP code actions or text out.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Diagnostic, Range, WorkspaceEdit } from 'vscode-languageserver-types';
import type { Finding, TextChange } from '../findings';
import { rangeOf } from '../diagnostics';
import { eolOf } from '../util/eol';

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
export function codeActions(doc: TextDocument, findings: Finding[], range: Range, request: CodeActionRequest, diagnosticOf: (f: Finding) => Diagnostic): CodeAction[] {
  const { diagnostics = [], only } = request;
  const start = doc.offsetAt(range.start);
  const end = doc.offsetAt(range.end);
  const actions: CodeAction[] = [];
  const matched = findings.filter((f) => {
    if (diagnostics.length) {
      return diagnostics.some((d) => d.code === f.rule && d.message === f.message && doc.offsetAt(d.range.start) === f.span.start);
    }
    return f.span.start <= end && f.span.end >= start;
  });
  if (wants(only, 'quickfix')) {
    for (const f of matched) actions.push(...quickFixes(doc, f, diagnosticOf(f)));
  }
  if (wants(only, 'source.fixAll')) {
    const all = safeChanges(findings);
    if (all.length && (only || matched.some((f) => f.fixes.some((x) => x.safe)))) {
      actions.push({ title: 'Fix all auto-fixable PowerMTA problems', kind: 'source.fixAll.pmta', edit: editOf(doc, all) });
    }
  }
  return actions;
}

/** Whether the `only` kinds of a request take in actions of `kind` (no `only`: every kind). */
function wants(only: string[] | undefined, kind: string): boolean {
  return !only || only.some((k) => kind.startsWith(k) || k.startsWith(kind));
}

/** A finding's own fixes, then "disable this rule for this line" and "for this file". */
function quickFixes(doc: TextDocument, f: Finding, diag: Diagnostic): CodeAction[] {
  const actions: CodeAction[] = f.fixes.map((fix) => ({ title: fix.title, kind: 'quickfix', diagnostics: [diag], isPreferred: fix.isPreferred, edit: editOf(doc, fix.changes) }));
  if (f.rule === 'internal-error') return actions;
  const text = doc.getText();
  const line = doc.positionAt(f.span.start).line;
  const lineStart = doc.offsetAt({ line, character: 0 });
  let i = lineStart;
  while (text[i] === ' ' || text[i] === '\t') i++;
  const indent = text.slice(lineStart, i);
  actions.push({
    title: `Disable ${f.rule} for this line`,
    kind: 'quickfix',
    diagnostics: [diag],
    edit: editOf(doc, [{ span: { start: lineStart, end: lineStart }, newText: `${indent}# pmta-lint: disable-next-line ${f.rule}${eolOf(text)}` }]),
  });
  actions.push({
    title: `Disable ${f.rule} for this file`,
    kind: 'quickfix',
    diagnostics: [diag],
    edit: editOf(doc, [{ span: { start: 0, end: 0 }, newText: `# pmta-lint: disable ${f.rule}${eolOf(text)}` }]),
  });
  return actions;
}

/** Non-overlapping changes of every safe fix (first come first served). */
function safeChanges(findings: Finding[]): TextChange[] {
  const chosen: TextChange[] = [];
  for (const f of findings) {
    const fix = f.fixes.find((x) => x.safe);
    if (!fix) continue;
    const overlaps = fix.changes.some((c) => chosen.some((o) => c.span.start < o.span.end && o.span.start < c.span.end || (c.span.start === o.span.start && c.span.end === o.span.end)));
    if (overlaps) continue;
    chosen.push(...fix.changes);
  }
  return chosen;
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
    const text = applyChanges(current.getText(), changes);
    if (text === current.getText()) break;
    applied += findings.filter((f) => f.fixes.some((x) => x.safe && x.changes.some((c) => changes.includes(c)))).length;
    current = TextDocument.create(doc.uri, doc.languageId, current.version + 1, text);
  }
  return { text: current.getText(), applied };
}

/** Apply non-overlapping changes to a text (sorted from the end so offsets stay valid). */
export function applyChanges(text: string, changes: readonly TextChange[]): string {
  const sorted = [...changes].sort((a, b) => b.span.start - a.span.start || b.span.end - a.span.end);
  let out = text;
  let limit = Infinity;
  for (const c of sorted) {
    if (c.span.end > limit) continue; // overlapping: skip
    out = out.slice(0, c.span.start) + c.newText + out.slice(c.span.end);
    limit = c.span.start;
  }
  return out;
}

function editOf(doc: TextDocument, changes: TextChange[]): WorkspaceEdit {
  return { changes: { [doc.uri]: changes.map((c) => ({ range: rangeOf(doc, c.span), newText: c.newText })) } };
}
