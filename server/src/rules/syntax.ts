/**
 * `syntax` (error): unclosed, mismatched and stray tags, a missing `>`, text after a tag,
 * malformed lines, binary junk, blocks without their required argument.
 */
import type { Block, Line, OpenTagLine } from '../parser/ast';
import type { Rule } from './types';
import type { Fix } from '../findings';
import { indentAt } from './util';
import { eolOf } from '../util/eol';

export const syntaxRule: Rule = {
  id: 'syntax',
  defaultSeverity: 'error',
  description: 'Unclosed, mismatched or stray tags, a missing ">", malformed lines and binary junk.',
  check(ctx) {
    const { model } = ctx;
    const text = model.text;
    const eol = eolOf(text);
    // the tags the parser's diagnostics name, by where their tag starts (a search of every block or
    // line for each diagnostic was quadratic); the first one found there, as that search found
    let opens: Map<number, Block> | undefined;
    let closes: Map<number, Line> | undefined;
    for (const d of model.tree.diagnostics) {
      if (d.code !== 'syntax') continue;
      const fixes: Fix[] = [];
      const kind = d.data?.kind;
      if (kind === 'missing-gt' && typeof d.data?.insertAt === 'number') {
        fixes.push({
          title: 'Add ">"',
          changes: [{ span: { start: d.data.insertAt, end: d.data.insertAt }, newText: '>' }],
          isPreferred: true,
          safe: true,
        });
      } else if (kind === 'unclosed') {
        opens ??= openTagsByStart(model.blocks);
        const block = opens.get(d.start);
        if (block) fixes.push(closeFix(block, text, eol));
      } else if (kind === 'stray-close') {
        closes ??= closeTagsByStart(model.tree.lines);
        const line = closes.get(d.start);
        if (line)
          fixes.push({
            title: `Remove the stray </${d.data?.name}>`,
            changes: [{ span: { start: line.start, end: line.end }, newText: '' }],
          });
      } else if (kind === 'text-after-tag') {
        const ind = indentAt(text, d.start);
        fixes.push({
          title: 'Move the text to its own line',
          changes: [{ span: { start: d.start, end: d.start }, newText: eol + ind + '    ' }],
          safe: false,
        });
      }
      ctx.report({ span: d, message: d.message, fixes });
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

/** The blocks opened by a tag, by the start of their tag (the first of each start). */
function openTagsByStart(blocks: readonly Block[]): Map<number, Block> {
  const out = new Map<number, Block>();
  for (const b of blocks) {
    if (b.open.kind !== 'open-tag') continue;
    const at = b.open.tagSpan.start;
    if (!out.has(at)) out.set(at, b);
  }
  return out;
}

/** The close-tag lines, by the start of their tag (the first of each start). */
function closeTagsByStart(lines: readonly Line[]): Map<number, Line> {
  const out = new Map<number, Line>();
  for (const l of lines) {
    if (l.kind !== 'close-tag') continue;
    const at = l.tagSpan.start;
    if (!out.has(at)) out.set(at, l);
  }
  return out;
}

/** Insert `</name>` right after the block's last line, in the block's indentation. */
function closeFix(block: Block, text: string, eol: string): Fix {
  const open = block.open as OpenTagLine;
  const ind = indentAt(text, open.start);
  const at = block.end;
  let prefix = '';
  if (at === text.length && at > 0 && text[at - 1] !== '\n' && text[at - 1] !== '\r') prefix = eol;
  // do not swallow the close line of an outer block: insert before trailing blank lines
  return {
    title: `Close <${open.rawName}> with </${open.rawName}>`,
    changes: [{ span: { start: at, end: at }, newText: `${prefix}${ind}</${open.rawName}>${eol}` }],
    isPreferred: true,
    safe: true,
  };
}
