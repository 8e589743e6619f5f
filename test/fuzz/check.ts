/**
 * The properties every input must satisfy, whatever it is (used by the fuzz tests and by the replay of
 * test/fixtures/regressions). Features are called directly, not through the service's catch-all
 * wrappers, so that an exception is seen.
 *
 * - the parser never throws, its tokens cover the text exactly and rebuild it;
 * - no rule crashes (an "internal-error" finding is a crash);
 * - every span, range and position lies inside the document and is ordered;
 * - hover, completion, symbols, folding, links, navigation, code actions and formatting at the given
 *   positions never throw;
 * - every quick fix (and "fix all") has non-overlapping changes inside the document and applies;
 * - formatting only changes spaces and tabs, and formatting its output changes nothing.
 */
import assert from 'node:assert/strict';
import type { Position, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parse, rebuild, tokensOf } from '../../server/src/parser/parser';
import { walk, type Block, type Line, type Node, type SyntaxTree } from '../../server/src/parser/ast';
import { isDirectiveName } from '../../server/src/knowledge/catalog';
import { Model } from '../../server/src/model';
import { PmtaLanguageService } from '../../server/src/service';
import { applyChanges } from '../../server/src/features/codeActions';
import type { TextChange } from '../../server/src/findings';
import { hover } from '../../server/src/features/hover';
import { complete } from '../../server/src/features/completion';
import { documentSymbols } from '../../server/src/features/symbols';
import { foldingRanges } from '../../server/src/features/folding';
import { workspaceSymbols } from '../../server/src/features/workspaceSymbols';
import { format } from '../../server/src/features/formatting';
import { documentLinks } from '../../server/src/features/links';
import {
  definition,
  documentHighlights,
  prepareRename,
  references,
  rename,
} from '../../server/src/features/navigation';
import { memoryHost } from '../helpers/util';

const URI = 'file:///fuzz/pmta/config';

/** Line lengths (without the line end) of a text, to check positions. */
function lineLengths(text: string): number[] {
  const out: number[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      out.push(i - start);
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      start = i + 1;
    }
  }
  out.push(text.length - start);
  return out;
}

class Checker {
  readonly lengths: number[];
  constructor(
    readonly text: string,
    readonly what: string,
  ) {
    this.lengths = lineLengths(text);
  }

  span(s: { start: number; end: number }, where: string): void {
    assert.ok(
      Number.isInteger(s.start) && Number.isInteger(s.end),
      `${where}: span ${JSON.stringify(s)} has integer offsets (${this.what})`,
    );
    assert.ok(
      0 <= s.start && s.start <= s.end && s.end <= this.text.length,
      `${where}: span ${s.start}-${s.end} lies in [0, ${this.text.length}] and is ordered (${this.what})`,
    );
  }

  position(p: Position, where: string): void {
    assert.ok(
      Number.isInteger(p.line) && Number.isInteger(p.character),
      `${where}: position ${JSON.stringify(p)} (${this.what})`,
    );
    assert.ok(
      p.line >= 0 && p.line < this.lengths.length,
      `${where}: line ${p.line} of ${this.lengths.length} (${this.what})`,
    );
    assert.ok(
      p.character >= 0 && p.character <= this.lengths[p.line],
      `${where}: character ${p.character} of line ${p.line} (length ${this.lengths[p.line]}) (${this.what})`,
    );
  }

  range(r: Range, where: string): void {
    this.position(r.start, where + ' start');
    this.position(r.end, where + ' end');
    const ordered = r.start.line < r.end.line || (r.start.line === r.end.line && r.start.character <= r.end.character);
    assert.ok(ordered, `${where}: range ${JSON.stringify(r)} is ordered (${this.what})`);
  }

  /** Changes inside the text, not overlapping (two insertions at one point are allowed); returns the result. */
  changes(changes: readonly TextChange[], where: string): string {
    for (const c of changes) this.span(c.span, where);
    const sorted = [...changes].sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
    for (let i = 1; i < sorted.length; i++) {
      const a = sorted[i - 1].span;
      const b = sorted[i].span;
      assert.ok(
        a.end <= b.start,
        `${where}: changes ${a.start}-${a.end} and ${b.start}-${b.end} overlap (${this.what})`,
      );
    }
    return applyChanges(this.text, changes);
  }

  /** LSP edits of one document: valid ranges, not overlapping; returns the edited text. */
  edits(doc: TextDocument, edits: readonly TextEdit[], where: string): string {
    for (const e of edits) this.range(e.range, where);
    return this.changes(
      edits.map((e) => ({
        span: { start: doc.offsetAt(e.range.start), end: doc.offsetAt(e.range.end) },
        newText: e.newText,
      })),
      where,
    );
  }

  workspaceEdit(doc: TextDocument, edit: WorkspaceEdit | null | undefined, where: string): void {
    if (!edit) return;
    for (const [uri, list] of Object.entries(edit.changes ?? {})) {
      if (uri === doc.uri) this.edits(doc, list, where);
      else for (const e of list) assert.ok(e.range.start.line >= 0, `${where}: edit in ${uri}`);
    }
  }
}

/** Text with spaces and tabs removed: what formatting must keep. */
function ink(text: string): string {
  return text.replace(/[ \t]/g, '');
}

/**
 * Check every property on `text`, querying features at the given offsets (clamped to the text).
 * Throws an AssertionError (or the exception a feature threw) describing the first violation.
 */
export function checkAll(text: string, offsets: readonly number[], what = 'input'): void {
  const c = new Checker(text, what);

  // parser: never throws, lossless, tokens contiguous and non-empty
  const tree = parse(text, { isDirectiveName });
  assert.equal(rebuild(tree), text, `the tokens rebuild the text (${what})`);
  let pos = 0;
  for (const l of tree.lines) {
    assert.equal(l.start, pos, `line ${l.line} starts where the previous one ended (${what})`);
    for (const t of tokensOf(l)) {
      assert.ok(
        t.start === pos && t.end > t.start,
        `token ${t.kind} ${t.start}-${t.end} is contiguous and not empty (${what})`,
      );
      pos = t.end;
    }
    assert.equal(pos, l.end, `line ${l.line}: tokens end at the line end (${what})`);
  }
  assert.equal(pos, text.length, `the lines cover the text (${what})`);
  for (const d of tree.diagnostics) c.span(d, 'parse diagnostic');

  // analysis: no rule crashes; spans and fixes are sound
  const doc = TextDocument.create(URI, 'powermta', 1, text);
  const service = new PmtaLanguageService();
  const findings = service.lint(doc, {});
  for (const f of findings) {
    assert.notEqual(f.rule, 'internal-error', `no rule crashes: ${f.message} (${what})`);
    c.span(f.span, `finding ${f.rule}`);
    for (const r of f.related ?? []) if (!r.uri || r.uri === URI) c.span(r.span, `related of ${f.rule}`);
    for (const fix of f.fixes) c.changes(fix.changes, `fix "${fix.title}" of ${f.rule}`);
  }
  for (const d of service.validate(doc, {})) c.range(d.range, `diagnostic ${d.code}`);
  service.fixAll(doc, {});

  const model = new Model(doc);
  const settings = {};

  // whole-document features
  const symbols = documentSymbols(model);
  const checkSymbols = (list: typeof symbols, parent?: Range) => {
    for (const s of list) {
      c.range(s.range, `symbol ${s.name}`);
      c.range(s.selectionRange, `symbol ${s.name} selection`);
      const inside = (inner: Range, outer: Range) =>
        doc.offsetAt(inner.start) >= doc.offsetAt(outer.start) && doc.offsetAt(inner.end) <= doc.offsetAt(outer.end);
      assert.ok(inside(s.selectionRange, s.range), `symbol ${s.name}: selection inside its range (${what})`);
      if (parent) assert.ok(inside(s.range, parent), `symbol ${s.name}: inside its parent (${what})`);
      checkSymbols(s.children ?? [], s.range);
    }
  };
  checkSymbols(symbols);
  for (const f of foldingRanges(model)) {
    assert.ok(
      f.startLine >= 0 && f.startLine <= f.endLine && f.endLine < c.lengths.length,
      `folding ${f.startLine}-${f.endLine} of ${c.lengths.length} lines (${what})`,
    );
  }
  for (const l of documentLinks(model)) c.range(l.range, 'link');
  // workspace symbols, for every query (run directly: the service would catch a failure)
  for (const query of ['', 'm', text.slice(0, 3)]) {
    for (const s of workspaceSymbols([model], query)) {
      c.range(s.location.range, `workspace symbol ${s.name}`);
      assert.equal(s.location.uri, URI);
    }
  }

  // formatting: only blanks change, and it is idempotent
  for (const options of [
    { tabSize: 4, insertSpaces: true },
    { tabSize: 2, insertSpaces: false },
  ]) {
    const formatted = c.edits(doc, format(model, options), 'format');
    assert.equal(ink(formatted), ink(text), `formatting changes nothing but spaces and tabs (${what})`);
    const again = format(new Model(TextDocument.create(URI, 'powermta', 2, formatted)), options);
    assert.deepEqual(
      again,
      [],
      `formatting formatted text changes nothing (${what}; formatted: ${JSON.stringify(formatted.slice(0, 300))})`,
    );
  }

  // features at positions
  const n = text.length;
  for (const raw of offsets) {
    const offset = Math.max(0, Math.min(n, raw));
    const p = doc.positionAt(offset);
    const at = `${what} at ${offset}`;
    const h = hover(model, offset, settings, findings);
    if (h?.range) c.range(h.range, `hover ${at}`);
    const list = complete(model, offset);
    for (const item of list.items) {
      const te = item.textEdit;
      if (te && 'range' in te) c.range(te.range, `completion ${item.label} ${at}`);
      else if (te) {
        c.range(te.insert, `completion ${item.label} insert ${at}`);
        c.range(te.replace, `completion ${item.label} replace ${at}`);
      }
      for (const e of item.additionalTextEdits ?? [])
        c.range(e.range, `completion ${item.label} additional edit ${at}`);
    }
    for (const loc of definition(model, offset)) if (loc.uri === URI) c.range(loc.range, `definition ${at}`);
    for (const loc of references(model, offset, true)) if (loc.uri === URI) c.range(loc.range, `references ${at}`);
    for (const h of documentHighlights(model, offset)) c.range(h.range, `highlight ${at}`);
    const pr = prepareRename(model, offset);
    if (pr) c.range(pr.range, `prepareRename ${at}`);
    c.workspaceEdit(doc, rename(model, offset, 'renamed-x'), `rename ${at}`);
    // code actions on a range from here to a bit further, with and without the diagnostics
    const end = doc.positionAt(Math.min(n, offset + 40));
    const actions = service.codeActions(doc, { start: p, end }, {}, { settings });
    for (const a of actions) c.workspaceEdit(doc, a.edit, `code action "${a.title}" ${at}`);
    // range formatting of the lines around
    c.edits(doc, format(model, { tabSize: 4, insertSpaces: true }, { start: p, end }), `range format ${at}`);
  }
  const diags = service.validate(doc, {});
  for (const a of service.codeActions(
    doc,
    { start: { line: 0, character: 0 }, end: doc.positionAt(n) },
    { diagnostics: diags },
    { settings },
  )) {
    c.workspaceEdit(doc, a.edit, `code action "${a.title}" for all diagnostics`);
  }
}

/** Offsets worth trying in a text: edges, every line start and end, and `extra` more spread evenly. */
export function interestingOffsets(text: string, extra = 50): number[] {
  const out = new Set<number>([0, text.length]);
  for (let i = 0; i < text.length && out.size < 400; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10 || ch === 13) {
      out.add(i);
      out.add(i + 1);
    }
  }
  for (let k = 1; k <= extra; k++) out.add(Math.floor((k * text.length) / (extra + 1)));
  return [...out];
}

/**
 * A plain copy of a syntax tree to compare two trees with: every field of every line and block
 * (parents named by their position in document order instead of referenced), the tokens of each line,
 * and the diagnostics.
 */
function treeSnapshot(tree: SyntaxTree): unknown {
  const blocks = [...walk(tree.children)].filter((n): n is Block => n.kind === 'block');
  const blockIds = new Map<Block, number>(blocks.map((b, i) => [b, i]));
  const lineIds = new Map<Line, number>(tree.lines.map((l, i) => [l, i]));
  const ref = (n: Node | undefined): unknown =>
    n === undefined ? null : n.kind === 'block' ? { block: blockIds.get(n) } : { line: lineIds.get(n) ?? plainLine(n) };
  const plainLine = (l: Line): unknown => {
    const o: Record<string, unknown> = {};
    // (`words` holds a directive's words once they are made: compare the words themselves)
    for (const [k, v] of Object.entries(l))
      if (k !== 'words')
        o[k] = k === 'parent' ? ref(v as Block | undefined) : k === 'inner' && v ? plainLine(v as Line) : v;
    if (l.kind === 'directive') o.args = l.args;
    o.tokens = tokensOf(l);
    return o;
  };
  return {
    lines: tree.lines.map(plainLine),
    blocks: blocks.map((b) => ({
      ...b,
      open: ref(b.open),
      close: ref(b.close),
      parent: ref(b.parent),
      children: b.children.map(ref),
    })),
    top: tree.children.map(ref),
    diagnostics: tree.diagnostics,
  };
}

/**
 * A document edited version after version, as the server sees it: each version is parsed with the
 * previous version's tree (lines and blocks taken over) and linted by one service. The tree and the
 * findings must equal those of a fresh parse.
 */
export function checkVersions(text: string, versions: readonly string[], uri = URI): void {
  let tree = parse(text, { isDirectiveName });
  const service = new PmtaLanguageService();
  const doc = TextDocument.create(uri, 'powermta', 1, text);
  service.lint(doc);
  for (const current of versions) {
    tree = parse(current, { isDirectiveName, previous: tree });
    assert.deepEqual(
      treeSnapshot(tree),
      treeSnapshot(parse(current, { isDirectiveName })),
      `tree after editing to ${JSON.stringify(current)}`,
    );
    TextDocument.update(doc, [{ text: current }], doc.version + 1);
    const findings = service.lint(doc);
    const fresh = new PmtaLanguageService().lint(TextDocument.create(uri, 'powermta', 1, current));
    assert.deepEqual(findings, fresh, `findings after editing to ${JSON.stringify(current)}`);
  }
}

/**
 * A configuration split into files (`parts`, included in order by a configuration that has `rootText`
 * before its include line; with `nested`, the first part includes a file of its own): every file checked as part of it, the way the editor does (its open text in
 * the configuration) and the way the configuration does (lintIncluded), gives the same findings; no
 * rule crashes; spans, fixes and hovers stay in each file.
 */
export function checkSplit(
  parts: readonly string[],
  rootText: string,
  offsets: readonly number[],
  what = 'split input',
  nested = false,
): void {
  const dir = 'file:///fuzz/pmta/';
  // `nested`: the first file includes one more (as a file of conf.d includes a DKIM key list)
  const files: Record<string, string> = Object.fromEntries(
    parts.map((t, i) => [`${dir}conf.d/part${i}.conf`, nested && i === 0 ? 'include keys.txt\n' + t : t]),
  );
  if (nested) files[`${dir}conf.d/keys.txt`] = '<virtual-mta kx>\n</virtual-mta>\n';
  const root = TextDocument.create(`${dir}config`, 'powermta', 1, rootText + '\ninclude conf.d/*.conf\n');
  files[root.uri] = root.getText();
  const host = memoryHost(files);
  const viaRoot = new PmtaLanguageService({ host });
  const included = viaRoot.lintIncluded(root);
  const show = (fs: readonly { rule: string; span: { start: number; end: number }; message: string }[]) =>
    fs.map((f) => `${f.rule}@${f.span.start}-${f.span.end}: ${f.message}`);
  for (const inc of included) {
    const c = new Checker(inc.doc.getText(), `${what}, ${inc.uri}`);
    // in the editor: the file open on its own, its configuration found
    const service = new PmtaLanguageService({ host });
    const open = TextDocument.create(inc.uri, 'powermta', 7, inc.doc.getText());
    const findings = service.lint(open, { root });
    assert.deepEqual(
      show(findings),
      show(inc.findings),
      `the file open in the editor gets the findings its configuration reports for it (${what}, ${inc.uri})`,
    );
    for (const f of findings) {
      assert.notEqual(f.rule, 'internal-error', `no rule crashes: ${f.message} (${what})`);
      c.span(f.span, `finding ${f.rule}`);
      for (const fix of f.fixes) c.changes(fix.changes, `fix "${fix.title}" of ${f.rule}`);
    }
    for (const raw of offsets) {
      const p = open.positionAt(Math.max(0, Math.min(open.getText().length, raw)));
      const h = service.hover(open, p, { root });
      if (h?.range) c.range(h.range, `hover at ${raw}`);
    }
  }
}
