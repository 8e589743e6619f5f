/**
 * `duplicate-directive` (warning): a directive that takes one value set twice in the same block;
 * only the last one counts, so the first is dead and misleading. The fix removes the earlier line.
 */
import type { Block, DirectiveLine } from '../parser/ast';
import type { DirectiveInfo } from '../knowledge/types';
import type { Rule } from './types';

export const duplicateDirectiveRule: Rule = {
  id: 'duplicate-directive',
  defaultSeverity: 'warning',
  description: 'A single-valued directive set twice in one block (only the last one counts).',
  check(ctx) {
    const { model } = ctx;
    // the single-valued directives seen in each block (keyed by the block; undefined: the top level),
    // over the model's flat list of directives, which is in document order
    const levels = new Map<Block | undefined, Map<DirectiveInfo, DirectiveLine>>();
    let lastParent: Block | undefined | null = null;
    let seen: Map<DirectiveInfo, DirectiveLine> | undefined;
    for (let i = 0, list = model.directives, infos = model.directiveInfos; i < list.length; i++) {
      const info = infos[i];
      if (!info || info.repeatable) continue;
      const n = list[i];
      if (n.parent !== lastParent || !seen) {
        lastParent = n.parent;
        seen = levels.get(n.parent);
        if (!seen) levels.set(n.parent, (seen = new Map()));
      }
      const first = seen.get(info);
      seen.set(info, n);
      if (!first) continue;
      const line = model.doc.positionAt(first.start).line + 1;
      const same = first.value === n.value;
      ctx.report({
        span: first.nameSpan,
        message: same
          ? `"${info.name}" is set again with the same value at line ${model.doc.positionAt(n.start).line + 1}; this line is redundant`
          : `"${info.name} ${first.value}" is overridden by "${n.rawName} ${n.value}" at line ${model.doc.positionAt(n.start).line + 1}; only the last one counts`,
        related: [{ span: n.nameSpan, message: 'the value that counts' }],
        tags: [1],
        fixes: [{ title: `Remove the earlier "${info.name}" (line ${line})`, changes: [{ span: { start: first.start, end: first.end }, newText: '' }], safe: same }],
      });
    }
  },
};
