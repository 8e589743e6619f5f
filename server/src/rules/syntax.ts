/**
 * `syntax` (error): unclosed, mismatched and stray tags, a missing `>`, text after a tag,
 * malformed lines, binary junk, blocks without their required argument.
 */
import {
  blockOpenedOn,
  lineHolding,
  type Block,
  type DirectiveLine,
  type Line,
  type Node,
  type OpenTagLine,
} from '../parser/ast';
import type { Model } from '../model';
import type { Rule } from './types';
import type { Fix } from '../findings';
import { getBlock, getDirective } from '../knowledge/catalog';
import { continuedAt, indentAt, indentUnit, unclosedContexts } from './util';
import { eolOf } from '../util/eol';
import { shown } from '../knowledge/values';

/**
 * The first word of a tag's argument and the white space after it, when more words follow: they may be
 * what followed the tag on its line (`<domain x.com max-smtp-out 5`, the ">" missing).
 */
const FIRST_WORD = /^(\S+)\s+(?=\S)/;

export const syntaxRule: Rule = {
  id: 'syntax',
  defaultSeverity: 'error',
  description: 'Unclosed, mismatched or stray tags, a missing ">", malformed lines and binary junk.',
  check(ctx) {
    const { model } = ctx;
    const text = model.text;
    const eol = eolOf(text);
    // the tags the parser's diagnostics name are found where their tag starts, by a binary search of the
    // blocks and lines (in document order): a search of every block or line for each diagnostic was
    // quadratic, and a map of them all cost more than the search
    const memo = new Map<Block, ReadonlySet<string>>();
    // the title of the fix of a stray close tag, made once for each name (a file of them made one per line)
    const removeTitles = new Map<string, string>();
    for (const d of model.tree.diagnostics) {
      if (d.code !== 'syntax') continue;
      const fixes: Fix[] = [];
      let message = d.message;
      const kind = d.data?.kind;
      if (kind === 'missing-gt' && typeof d.data?.insertAt === 'number') {
        // an argument of several words may hold what followed the tag on its line (`<domain x.com
        // max-smtp-out 5`): the ">" after all of it is a guess, applied only after review
        const tag = lineHolding(model.tree.lines, d.start);
        const first = tag?.kind === 'open-tag' ? FIRST_WORD.exec(tag.arg) : null;
        if (tag?.kind === 'open-tag' && first) {
          const arg = tag.argSpan;
          const end = arg.start + first[1].length;
          const rest = arg.start + first[0].length;
          fixes.push({
            title: `Add ">" after "${first[1]}" and put "${shown(text.slice(rest, arg.end))}" on a line of its own`,
            changes: [
              { span: { start: end, end: rest }, newText: `>${eol}${indentAt(text, tag.start)}${indentUnit(model)}` },
            ],
            isPreferred: true,
            safe: false,
          });
        }
        fixes.push({
          title: first ? 'Add ">" at the end of the line' : 'Add ">"',
          changes: [{ span: { start: d.data.insertAt, end: d.data.insertAt }, newText: '>' }],
          isPreferred: !first,
          safe: !first,
        });
      } else if (kind === 'unclosed') {
        const block = openTagAt(model.blocks, d.start);
        if (block) {
          const misplaced = firstMisplaced(block, memo);
          if (misplaced) message = closeBeforeMessage(block, misplaced.node);
          fixes.push(closeFix(model, block, eol, misplaced?.after));
        }
      } else if (kind === 'stray-close') {
        const line = closeTagAt(model.tree.lines, d.start);
        if (line) {
          const name = String(d.data?.name);
          let title = removeTitles.get(name);
          if (title === undefined) removeTitles.set(name, (title = `Remove the stray </${name}>`));
          fixes.push({ title, changes: [{ span: { start: line.start, end: line.end }, newText: '' }] });
        }
      } else if (kind === 'text-after-tag') {
        // the white space before the text goes with it; after an open tag the text is in the block, after a close tag not
        let from = d.start;
        while (from > 0 && (text[from - 1] === ' ' || text[from - 1] === '\t')) from--;
        const inside = lineHolding(model.tree.lines, d.start)?.kind === 'open-tag';
        fixes.push({
          title: 'Move the text to its own line',
          changes: [
            {
              span: { start: from, end: d.start },
              newText: eol + indentAt(text, d.start) + (inside ? indentUnit(model) : ''),
            },
          ],
          safe: false,
        });
      }
      ctx.report({ span: d, message, fixes });
    }
    for (let bI = 0, bList = model.blocks; bI < bList.length; bI++) {
      const b = bList[bI];
      if (b.pseudo || b.open.kind !== 'open-tag') continue;
      const info = model.blockInfos[bI];
      if (info?.arg === 'required' && !b.arg) {
        ctx.report({
          span: b.open.tagSpan,
          message: `<${b.open.rawName}> needs an argument, e.g. ${info.example?.split('\n')[0] ?? `<${b.name} NAME>`}`,
        });
      }
    }
  },
};

/** The block opened by a tag that starts at `at`. */
function openTagAt(blocks: readonly Block[], at: number): Block | undefined {
  const b = blockOpenedOn(blocks, at);
  return b && b.open.kind === 'open-tag' && b.open.tagSpan.start === at ? b : undefined;
}

/** The close-tag line whose tag starts at `at`. */
function closeTagAt(lines: readonly Line[], at: number): Line | undefined {
  const l = lineHolding(lines, at);
  return l && l.kind === 'close-tag' && l.tagSpan.start === at ? l : undefined;
}

/**
 * Insert `</name>` in the block's indentation: right after the block's last line, or at `at` (the end of
 * the last line that belongs in it, see {@link firstMisplaced}). After a directive that ends in a
 * backslash, an empty line first: the tag would be read as the rest of that directive.
 */
function closeFix(model: Model, block: Block, eol: string, at = block.end): Fix {
  const text = model.text;
  const open = block.open as OpenTagLine;
  const ind = indentAt(text, open.start);
  let prefix = '';
  if (at === text.length && at > 0 && text[at - 1] !== '\n' && text[at - 1] !== '\r') prefix = eol;
  if (continuedAt(model, at)) prefix += eol;
  return {
    title: `Close <${open.rawName}> with </${open.rawName}>`,
    changes: [{ span: { start: at, end: at }, newText: `${prefix}${ind}</${open.rawName}>${eol}` }],
    isPreferred: true,
    safe: true,
  };
}

/** The places a known block or directive may stand (undefined for other lines and unknown names). */
function placesOf(n: Node): readonly string[] | undefined {
  if (n.kind === 'block') return n.pseudo || n.open.kind !== 'open-tag' ? undefined : getBlock(n.name)?.parents;
  if (n.kind === 'directive') return getDirective(n.name)?.contexts;
  return undefined;
}

/**
 * The first block or directive that landed in a block only because its close tag is missing: one that
 * cannot stand in it (nor in the blocks opened inside it and not closed either) but can where the block
 * stands (`<domain b>` after `<domain a>`: a domain cannot be inside a domain). The block's close tag
 * belongs before it, after the last line that is neither blank nor a comment (`after`): a comment
 * just above a block speaks of that block. Undefined when everything in the block may be there, or the
 * block is unknown.
 */
function firstMisplaced(
  block: Block,
  memo: Map<Block, ReadonlySet<string>>,
): { node: Block | DirectiveLine; after: number } | undefined {
  if (block.pseudo || block.close || !getBlock(block.name)) return undefined;
  const here = block.parent ? block.parent.name : 'global';
  let outer: ReadonlySet<string> | undefined; // where it stands, and the unclosed blocks around it: when needed
  let after = block.open.end;
  let nodes: readonly Node[] = block.children;
  let i = 0;
  // the blocks opened inside it that may be there and are not closed either are walked too: their names
  // (`path`) and where to go on after each (`stack`). Nothing is allocated for a block without them.
  let path: string[] | undefined;
  let stack: Array<{ nodes: readonly Node[]; i: number }> | undefined;
  for (;;) {
    if (i >= nodes.length) {
      const up = stack?.pop();
      if (!up) return undefined;
      ({ nodes, i } = up);
      path!.pop();
      continue;
    }
    const n = nodes[i++];
    if (n === block.open || n.kind === 'blank' || n.kind === 'comment') continue;
    const places = placesOf(n);
    if (places) {
      let inside = places.includes(block.name);
      if (!inside && path) for (let k = 0; k < path.length && !inside; k++) inside = places.includes(path[k]);
      if (!inside) {
        // `outer` holds `here` too: the usual case is answered without working out the chain
        if (places.includes(here)) return { node: n as Block | DirectiveLine, after };
        outer ??= unclosedContexts(block, memo);
        for (let k = 0; k < places.length; k++)
          if (outer.has(places[k])) return { node: n as Block | DirectiveLine, after };
      } else if (n.kind === 'block' && !n.close) {
        (stack ??= []).push({ nodes, i });
        (path ??= []).push(n.name);
        nodes = n.children;
        i = 0;
        continue;
      }
    }
    after = n.end;
  }
}

/** The message of a block whose close tag belongs before `next`. */
function closeBeforeMessage(block: Block, next: Block | DirectiveLine): string {
  const open = block.open as OpenTagLine;
  const what =
    next.kind === 'block'
      ? `<${(next.open as OpenTagLine).rawName}${next.arg ? ' ' + next.arg : ''}>`
      : `"${next.rawName}"`;
  const line = (next.kind === 'block' ? next.open.line : next.line) + 1;
  return `<${open.rawName}${block.arg ? ' ' + block.arg : ''}> is not closed: add </${open.rawName}> before ${what} on line ${line}, which cannot be inside <${open.rawName}>`;
}
