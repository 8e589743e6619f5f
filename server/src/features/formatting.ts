/**
 * Document and range formatting: re-indent every line by its block depth and trim trailing
 * white space (but after a regex not closed on its line, whose pattern goes on on the next lines).
 * Nothing inside a line changes except its leading and trailing spaces and tabs;
 * line endings and blank lines are kept. Template lines (`{{#each}}`, `{% for %}`) keep their
 * own column. Lines a directive continues onto are indented one level deeper than the directive.
 * Formatting formatted text gives no edits.
 */
import type { FormattingOptions, Range, TextEdit } from 'vscode-languageserver-types';
import type { Block, Line } from '../parser/ast';
import type { Model } from '../model';
import { Char, isBlankCode } from '../util/text';

/**
 * Lines are indented at most this many levels: deeper blocks are indented as this level (a file of
 * blocks nested thousands deep would otherwise be given gigabytes of indentation).
 */
export const MAX_INDENT_DEPTH = 64;

/**
 * The depth of the block of each line, lines asked in document order: the blocks around the last line
 * asked for, outermost first, so that the block at index i has depth i. A line's block is on it, or is
 * opened just below the block it is nested in; when neither (not the case of lines in document order),
 * the stack is made again from the block's ancestors. A walk to the top for every line was quadratic in
 * the depth; a map of every block's depth was a third of what formatting allocated besides the edits.
 */
class Depths {
  private readonly stack: Block[] = [];
  of(b: Block): number {
    const stack = this.stack;
    const parent = b.parent;
    let top = stack.length - 1;
    while (top >= 0 && stack[top] !== b && stack[top] !== parent) top--;
    if (top >= 0 && stack[top] === b) {
      stack.length = top + 1;
      return top;
    }
    if (top >= 0 || parent === undefined) {
      stack.length = top + 1;
      stack.push(b);
      return top + 1;
    }
    stack.length = 0;
    for (let p: Block | undefined = b; p; p = p.parent) stack.push(p);
    stack.reverse();
    return stack.length - 1;
  }
}

/** Indentation depth of a line: tags at their block's depth, body lines one deeper (at most {@link MAX_INDENT_DEPTH}). */
function lineDepth(l: Line, depths: Depths): number {
  const p = l.parent;
  if (!p) return 0;
  const d = p.open === l || p.close === l ? depths.of(p) : depths.of(p) + 1;
  return Math.min(d, MAX_INDENT_DEPTH);
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
  const depths = new Depths();
  // the indentation of each depth, made once
  const indents: string[] = [];
  const starts = model.tree.lineStarts;
  /**
   * The range [from, to) of physical line `n`, which starts at `lineStart`: the positions from the line's
   * number the loop below counts, as `model.range` gives them (a line's content holds no line end), and
   * without its binary search over the starts of every line (a third of formatting 2 M nested lines).
   */
  const rangeIn = (n: number, lineStart: number, from: number, to: number): Range =>
    starts[n] === lineStart
      ? { start: { line: n, character: from - lineStart }, end: { line: n, character: to - lineStart } }
      : model.range({ start: from, end: to });
  /** The edit of the physical line [start, contentEnd), the k-th of line l and line n of the text, if it needs one. */
  const reindent = (l: Line, depth: number, start: number, contentEnd: number, k: number, n: number): void => {
    let s = start;
    while (s < contentEnd && isBlankCode(text.charCodeAt(s))) s++;
    let e = contentEnd;
    // a regex not closed on its line (a pattern wrapped onto the next ones) goes on to its end: the
    // trailing white space is part of the pattern once its lines are joined
    if (l.kind !== 'pattern' || !l.regex || l.regex.terminated)
      while (e > s && isBlankCode(text.charCodeAt(e - 1))) e--;
    // a blank line between a CR and an LF: emptying it would join them into one CRLF line end
    if (
      s === e &&
      start > 0 &&
      text.charCodeAt(start - 1) === Char.CarriageReturn &&
      text.charCodeAt(contentEnd) === Char.LineFeed
    )
      return;
    let indent = '';
    let leadChanged: boolean;
    if (s === e)
      leadChanged = s !== start; // blank (or a blank continuation line): no white space at all
    else if (l.kind === 'template')
      leadChanged = false; // keeps its own column
    else {
      const d = k === 0 ? depth : Math.min(depth + 1, MAX_INDENT_DEPTH);
      indent = indents[d] ??= unit.repeat(d);
      leadChanged = s - start !== indent.length || !text.startsWith(indent, start);
    }
    const trailChanged = e !== contentEnd;
    if (!leadChanged && !trailChanged) return;
    if (leadChanged && trailChanged) {
      edits.push({ range: rangeIn(n, start, start, contentEnd), newText: indent + text.slice(s, e) });
    } else if (leadChanged) {
      edits.push({ range: rangeIn(n, start, start, s), newText: indent });
    } else {
      edits.push({ range: rangeIn(n, start, e, contentEnd), newText: '' });
    }
  };
  for (const l of model.tree.lines) {
    const depth = lineDepth(l, depths);
    // each physical line the line covers (a continued directive covers several): k counts them
    let i = l.start;
    let n = l.line;
    const stop = Math.min(l.end, text.length);
    for (let k = 0; i < stop || (i === stop && k === 0); k++) {
      let j = i;
      for (let c = text.charCodeAt(j); j < stop && c !== Char.LineFeed && c !== Char.CarriageReturn;)
        c = text.charCodeAt(++j);
      if (n >= firstLine && n <= lastLine) reindent(l, depth, i, j, k, n);
      if (j >= stop) break;
      j += text.charCodeAt(j) === Char.CarriageReturn && text.charCodeAt(j + 1) === Char.LineFeed ? 2 : 1;
      i = j;
      n++;
      if (i >= stop) break;
    }
  }
  return edits;
}
