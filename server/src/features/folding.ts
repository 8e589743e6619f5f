/**
 * Folding ranges: blocks, runs of whole-line comments, template sections
 * (`{{#each}}` … `{{/each}}`, `{% for %}` … `{% endfor %}`) and directives continued over
 * several physical lines.
 */
import type { FoldingRange } from 'vscode-languageserver-types';
import type { Block, Line } from '../parser/ast';
import type { Model } from '../model';

/** Last physical line (0-based) a line node covers. */
function lastLine(l: Line): number {
  return l.kind === 'directive' ? l.line + Math.max(1, l.physicalLines) - 1 : l.line;
}

/**
 * Last physical line of a block: the line before its close tag, or, when unclosed, the line its last
 * character lies on (a block's end covers its nested blocks: no walk of them, which was quadratic in
 * the depth of unclosed blocks nested in each other).
 */
function blockEndLine(model: Model, b: Block): number {
  if (b.close) return b.close.line - 1;
  return Math.max(b.open.line, model.positionAt(Math.max(b.start, b.end - 1)).line);
}

const HBS_OPEN = /^\{\{~?\s*[#^]\s*([A-Za-z_][\w-]*)/;
const HBS_CLOSE = /^\{\{~?\s*\/\s*([A-Za-z_][\w-]*)/;
const JINJA_OPEN = /^\{%[-+]?\s*(for|if|block|macro|call|filter|with|raw|autoescape|trans)\b/;
const JINJA_CLOSE = /^\{%[-+]?\s*end(for|if|block|macro|call|filter|with|raw|autoescape|trans)\b/;

export function foldingRanges(model: Model, max = MAX_FOLDING_RANGES): FoldingRange[] {
  const out: FoldingRange[] = [];
  const text = model.text;

  // blocks (nested ones too, pseudo blocks included; one-line inline pseudo blocks have nothing to fold)
  for (const b of model.blocks) {
    const start = b.open.line;
    const end = blockEndLine(model, b);
    if (end > start) out.push({ startLine: start, endLine: end });
  }

  // runs of whole-line comments, template sections, continued directives
  let runStart = -1;
  let runEnd = -1;
  const flushComments = () => {
    if (runStart >= 0 && runEnd > runStart) out.push({ startLine: runStart, endLine: runEnd, kind: 'comment' });
    runStart = runEnd = -1;
  };
  const stack: Array<{ name: string; line: number }> = [];
  for (const l of model.tree.lines) {
    if (l.kind === 'comment') {
      if (runStart >= 0 && l.line === runEnd + 1) runEnd = l.line;
      else {
        flushComments();
        runStart = runEnd = l.line;
      }
      continue;
    }
    flushComments();
    if (l.kind === 'directive' && l.physicalLines > 1) {
      out.push({ startLine: l.line, endLine: lastLine(l) });
      continue;
    }
    if (l.kind === 'template') {
      const content = text.slice(l.start, l.contentEnd).trim();
      const open = HBS_OPEN.exec(content) ?? JINJA_OPEN.exec(content);
      if (open) {
        stack.push({ name: (HBS_OPEN.test(content) ? 'hbs:' : 'jinja:') + open[1].toLowerCase(), line: l.line });
        continue;
      }
      const close = HBS_CLOSE.exec(content) ?? JINJA_CLOSE.exec(content);
      if (close) {
        const name = (HBS_CLOSE.test(content) ? 'hbs:' : 'jinja:') + close[1].toLowerCase();
        let k = stack.length - 1;
        while (k >= 0 && stack[k].name !== name) k--;
        if (k >= 0) {
          const s = stack[k];
          stack.length = k;
          if (l.line - 1 > s.line) out.push({ startLine: s.line, endLine: l.line - 1, kind: 'region' });
        }
      }
    }
  }
  flushComments();
  out.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
  return capFolds(out, max);
}

/** At most this many folding ranges, so that the editor stays responsive on huge files. */
export const MAX_FOLDING_RANGES = 5000;

/**
 * Keep at most `max` ranges (sorted by start), the outermost first: ranges nested in fewer others are kept
 * before deeper ones, in document order within a depth.
 */
function capFolds(sorted: FoldingRange[], max: number): FoldingRange[] {
  const limit = Math.max(0, Math.floor(max));
  if (sorted.length <= limit) return sorted;
  const depth: number[] = [];
  const open: number[] = []; // end lines of the ranges enclosing the current one
  for (const f of sorted) {
    while (open.length && open[open.length - 1] <= f.startLine) open.pop();
    depth.push(open.length);
    open.push(f.endLine);
  }
  const order = sorted.map((_, i) => i).sort((a, b) => depth[a] - depth[b] || a - b);
  const keep = new Set(order.slice(0, limit));
  return sorted.filter((_, i) => keep.has(i));
}
