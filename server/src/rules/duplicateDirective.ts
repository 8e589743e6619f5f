/**
 * `duplicate-directive` (warning): a directive that takes one value set twice in the same block;
 * only the last one counts, so the first is dead and misleading. The fix removes the earlier line.
 * Not for a directive the block does not allow at all (`wrong-context` reports it; "only the last one
 * counts" would not be true of it).
 */
import type { DirectiveLine, Node } from '../parser/ast';
import { getBlock, getDirective } from '../knowledge/catalog';
import type { Context, DirectiveInfo } from '../knowledge/types';
import { lineNo } from '../model';
import type { Rule, RuleContext } from './types';
import { forEachLevel } from './util';

export const duplicateDirectiveRule: Rule = {
  id: 'duplicate-directive',
  defaultSeverity: 'warning',
  description: 'A single-valued directive set twice in one block (only the last one counts).',
  check(ctx) {
    const { model } = ctx;
    // one level at a time (the top level, then the children of each block). The single-valued
    // directives seen so far, by catalog entry: an entry from an earlier level has another parent (the
    // lines of one level share theirs), so the map is never cleared (clearing reallocates its table).
    const seen = new Map<DirectiveInfo, DirectiveLine>();
    forEachLevel(model, (nodes) => scan(ctx, nodes, seen));
  },
};

function scan(ctx: RuleContext, nodes: readonly Node[], seen: Map<DirectiveInfo, DirectiveLine>): void {
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    if (n.kind !== 'directive') continue;
    const info = getDirective(n.name);
    if (!info || info.repeatable || misplaced(info, n)) continue;
    const first = seen.get(info);
    seen.set(info, n);
    if (first && first.parent === n.parent) report(ctx, info, first, n);
  }
}

/** Not allowed in its (known) block or at the global level: wrong-context's finding, not ours. */
function misplaced(info: DirectiveInfo, n: DirectiveLine): boolean {
  const context = (n.parent ? n.parent.name : 'global') as Context;
  return !info.contexts.includes(context) && (context === 'global' || getBlock(context) !== undefined);
}

function report(ctx: RuleContext, info: DirectiveInfo, first: DirectiveLine, n: DirectiveLine): void {
  const { model } = ctx;
  const line = lineNo(model, first.start);
  const same = first.value === n.value;
  ctx.report({
    span: first.nameSpan,
    message: same
      ? `"${info.name}" is set again with the same value at line ${lineNo(model, n.start)}; this line is redundant`
      : `"${info.name} ${first.value}" is overridden by "${n.rawName} ${n.value}" at line ${lineNo(model, n.start)}; only the last one counts`,
    related: [{ span: n.nameSpan, message: 'the value that counts' }],
    tags: [1],
    fixes: [
      {
        title: `Remove the earlier "${info.name}" (line ${line})`,
        changes: [{ span: { start: first.start, end: first.end }, newText: '' }],
        safe: same,
      },
    ],
  });
}
