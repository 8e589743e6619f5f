/** Small helpers shared by rules and fixes: the file's own indentation (its line ending: util/eol.ts). */
import { lineHolding, type Block, type Node } from '../parser/ast';
import type { Model } from '../model';

/** Leading white space of the line that contains `offset`. */
export function indentAt(text: string, offset: number): string {
  const start = lineStartOf(text, offset);
  return text.slice(start, indentEnd(text, start));
}

/** {@link indentUnit} of each model, worked out once (fixes ask it for every block they write). */
const units = new WeakMap<Model, string>();

/** The indentation unit the file uses inside blocks (default four spaces). */
export function indentUnit(model: Model): string {
  let unit = units.get(model);
  if (unit === undefined) {
    unit = countIndentUnit(model);
    units.set(model, unit);
  }
  return unit;
}

/**
 * The unit most lines inside blocks are indented by, past their block's own indentation. Read in place
 * (two strings per line before): the unit of a line is a string only when it mixes tabs and spaces.
 */
function countIndentUnit(model: Model): string {
  const text = model.text;
  const counts = new Map<string, number>();
  for (let bI = 0, bList = model.blocks; bI < bList.length; bI++) {
    const b = bList[bI];
    if (b.pseudo) continue;
    const outerStart = lineStartOf(text, b.open.start);
    const outerLen = indentEnd(text, outerStart) - outerStart;
    for (const c of b.children) {
      if (c.kind === 'block' || c.kind === 'blank' || c.kind === 'close-tag') continue;
      const start = lineStartOf(text, c.start);
      const end = indentEnd(text, start);
      if (end - start <= outerLen || !sameText(text, outerStart, start, outerLen)) continue;
      const unit = unitOf(text, start + outerLen, end);
      counts.set(unit, (counts.get(unit) ?? 0) + 1);
    }
  }
  let best = '    ';
  let n = 0;
  for (const [u, c] of counts) if (c > n) [best, n] = [u, c];
  return best;
}

/**
 * Whether a line inserted at `at` (the end of a line) would be read as part of the directive that ends
 * there: its last physical line ends in a backslash outside a comment, which joins the next line to it
 * (`max-smtp-out 5 \\` at the end of a file). An empty line put first ends the directive.
 */
export function continuedAt(model: Model, at: number): boolean {
  const l = at > 0 ? lineHolding(model.tree.lines, at - 1) : undefined;
  if (!l || l.kind !== 'directive' || l.end !== at) return false;
  const text = model.text;
  const from = lineStartOf(text, l.contentEnd);
  if (l.comment && l.comment.start >= from) return false;
  let end = l.contentEnd;
  while (end > from && (text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
  return end > from && text[end - 1] === '\\';
}

/** The start of the line that contains `offset`. */
function lineStartOf(text: string, offset: number): number {
  let s = offset;
  while (s > 0 && text[s - 1] !== '\n' && text[s - 1] !== '\r') s--;
  return s;
}

/** The end of the spaces and tabs from `from`. */
function indentEnd(text: string, from: number): number {
  let e = from;
  while (e < text.length && (text[e] === ' ' || text[e] === '\t')) e++;
  return e;
}

/** Whether the `length` characters from `a` and from `b` are the same. */
function sameText(text: string, a: number, b: number, length: number): boolean {
  for (let k = 0; k < length; k++) if (text.charCodeAt(a + k) !== text.charCodeAt(b + k)) return false;
  return true;
}

/** Runs of one character, by length, made once each. */
const runs: Record<string, string[]> = { ' ': [], '\t': [] };

/** The indentation from `from` to `to` (spaces and tabs): a string made once when it is all one character. */
function unitOf(text: string, from: number, to: number): string {
  const first = text[from];
  for (let k = from + 1; k < to; k++) if (text[k] !== first) return text.slice(from, to);
  const len = to - from;
  if (len > 64) return text.slice(from, to);
  const made = runs[first];
  return (made[len] ??= first.repeat(len));
}

/** Each level of the document in turn: the top-level nodes, then the children of each block. */
export function forEachLevel(model: Model, visit: (nodes: readonly Node[]) => void): void {
  visit(model.tree.children);
  for (let i = 0, blocks = model.blocks; i < blocks.length; i++) visit(blocks[i].children);
}

const NONE: ReadonlySet<string> = new Set();

/**
 * Where the blocks that were never closed stand, from `parent` up while they are not closed: the contexts
 * (the enclosing block's name, or 'global') a node inside may be there only because a close tag is
 * missing. Worked out once per block (`memo`): a walk up from each node was quadratic in blocks nested
 * without their close tags. The sets are small (one entry per kind of block) and shared along a chain.
 */
export function unclosedContexts(
  parent: Block | undefined,
  memo: Map<Block, ReadonlySet<string>>,
): ReadonlySet<string> {
  const chain: Block[] = [];
  let b = parent;
  while (b && !b.close && !b.pseudo && !memo.has(b)) {
    chain.push(b);
    b = b.parent;
  }
  let acc = b && memo.has(b) ? memo.get(b)! : NONE;
  for (let i = chain.length - 1; i >= 0; i--) {
    const c = chain[i].parent ? chain[i].parent!.name : 'global';
    if (!acc.has(c)) acc = new Set([...acc, c]);
    memo.set(chain[i], acc);
  }
  return parent ? (memo.get(parent) ?? NONE) : NONE;
}
