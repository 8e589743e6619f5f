/**
 * Document and range formatting: re-indent every line by its block depth and trim trailing
 * white space. Nothing inside a line changes except its leading and trailing spaces and tabs;
 * line endings and blank lines are kept. Template lines (`{{#each}}`, `{% for %}`) keep their
 * own column. Lines a directive continues onto are indented one level deeper than the directive.
 * Formatting formatted text gives no edits.
 */
import type { FormattingOptions, Range, TextEdit } from 'vscode-languageserver-types';
import type { Block, Line } from '../parser/ast';
import type { Model } from '../model';
import { Char } from '../util/text';

interface Physical {
  /** 0-based line number */
  line: number;
  start: number;
  contentEnd: number;
}

/** The physical lines a line node covers (a continued directive covers several). */
function physicalLines(text: string, l: Line): Physical[] {
  const out: Physical[] = [];
  let i = l.start;
  let n = l.line;
  const stop = Math.min(l.end, text.length);
  while (i < stop || (i === stop && out.length === 0)) {
    let j = i;
    while (j < stop && text[j] !== '\n' && text[j] !== '\r') j++;
    out.push({ line: n, start: i, contentEnd: j });
    if (j >= stop) break;
    j += text[j] === '\r' && text[j + 1] === '\n' ? 2 : 1;
    i = j;
    n++;
    if (i >= stop) break;
  }
  return out;
}

/**
 * Lines are indented at most this many levels: deeper blocks are indented as this level (a file of
 * blocks nested thousands deep would otherwise be given gigabytes of indentation).
 */
export const MAX_INDENT_DEPTH = 64;

/** The depth of each block, worked out once per formatting (a walk to the top for every line was quadratic in the depth). */
type Depths = Map<Block, number>;

function blockDepth(b: Block, depths: Depths): number {
  const known = depths.get(b);
  if (known !== undefined) return known;
  // the blocks above b whose depth is not known yet, then their depths from the top down
  const chain: Block[] = [];
  let p: Block | undefined = b;
  while (p && !depths.has(p)) {
    chain.push(p);
    p = p.parent;
  }
  let d = p ? depths.get(p)! : -1;
  for (let i = chain.length - 1; i >= 0; i--) depths.set(chain[i], ++d);
  return d;
}

/** Indentation depth of a line: tags at their block's depth, body lines one deeper (at most {@link MAX_INDENT_DEPTH}). */
function lineDepth(l: Line, depths: Depths): number {
  const p = l.parent;
  if (!p) return 0;
  const d = p.open === l || p.close === l ? blockDepth(p, depths) : blockDepth(p, depths) + 1;
  return Math.min(d, MAX_INDENT_DEPTH);
}

function isWs(c: string | undefined): boolean {
  return c === ' ' || c === '\t';
}

export function format(model: Model, options: FormattingOptions, range?: Range): TextEdit[] {
  const text = model.text;
  const tabSize = Math.max(1, Math.min(16, Math.floor(Number(options?.tabSize) || 4)));
  const unit = options?.insertSpaces === false ? '\t' : ' '.repeat(tabSize);
  let firstLine = 0;
  let lastLine = Number.MAX_SAFE_INTEGER;
  if (range) {
    firstLine = range.start.line;
    lastLine = range.end.line;
    if (range.end.character === 0 && range.end.line > range.start.line) lastLine--;
  }
  const edits: TextEdit[] = [];
  const depths: Depths = new Map();
  for (const l of model.tree.lines) {
    const depth = lineDepth(l, depths);
    const phys = physicalLines(text, l);
    phys.forEach((ph, k) => {
      if (ph.line < firstLine || ph.line > lastLine) return;
      let s = ph.start;
      while (s < ph.contentEnd && isWs(text[s])) s++;
      let e = ph.contentEnd;
      while (e > s && isWs(text[e - 1])) e--;
      // a blank line between a CR and an LF: emptying it would join them into one CRLF line end
      if (
        s === e &&
        ph.start > 0 &&
        text.charCodeAt(ph.start - 1) === Char.CarriageReturn &&
        text.charCodeAt(ph.contentEnd) === Char.LineFeed
      )
        return;
      let indent: string;
      if (s === e)
        indent = ''; // blank (or a blank continuation line): no white space at all
      else if (l.kind === 'template') indent = text.slice(ph.start, s);
      else indent = unit.repeat(k === 0 ? depth : Math.min(depth + 1, MAX_INDENT_DEPTH));
      const leadChanged = text.slice(ph.start, s) !== indent;
      const trailChanged = e !== ph.contentEnd;
      if (!leadChanged && !trailChanged) return;
      if (leadChanged && trailChanged) {
        edits.push({ range: model.range({ start: ph.start, end: ph.contentEnd }), newText: indent + text.slice(s, e) });
      } else if (leadChanged) {
        edits.push({ range: model.range({ start: ph.start, end: s }), newText: indent });
      } else {
        edits.push({ range: model.range({ start: e, end: ph.contentEnd }), newText: '' });
      }
    });
  }
  return edits;
}
