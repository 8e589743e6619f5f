/**
 * `duplicate-directive` (warning): a directive that takes one value set twice in the same block;
 * only the last one counts, so the first is dead and misleading. The fix removes the earlier line.
 */
import type { DirectiveLine, Node } from '../parser/ast';
import { getDirective } from '../knowledge/catalog';
import type { Rule } from './types';

export const duplicateDirectiveRule: Rule = {
  id: 'duplicate-directive',
  defaultSeverity: 'warning',
  description: 'A single-valued directive set twice in one block (only the last one counts).',
  check(ctx) {
    const { model } = ctx;
    const visit = (nodes: readonly Node[]) => {
      let seen: Map<string, DirectiveLine> | undefined; // made when a level has a single-valued directive
      for (let i = 0; i < nodes.length; i++) {
        const n = nodes[i];
        if (n.kind === 'block') {
          visit(n.children);
          continue;
        }
        if (n.kind !== 'directive') continue;
        const info = getDirective(n.name);
        if (!info || info.repeatable) continue;
        const key = info.name;
        seen ??= new Map();
        const first = seen.get(key);
        seen.set(key, n);
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
    };
    visit(model.tree.children);
  },
};
