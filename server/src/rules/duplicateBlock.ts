/**
 * `duplicate-block` (warning): the same block twice at one level (e.g. `<domain hotmail.com>`
 * twice globally). PowerMTA merges or rejects them; either way the second is easy to miss.
 */
import type { Block } from '../parser/ast';
import { isPlaceholder } from '../values';
import type { Rule } from './types';

/** Blocks whose argument names one thing; two with the same argument at one level are duplicates. */
const NAMED = new Set(['domain', 'virtual-mta', 'virtual-mta-pool', 'smtp-pattern-list', 'pattern-list', 'source', 'smtp-user', 'acct-file', 'spool', 'source-group', 'rewrite-list', 'domain-key-list', 'mx-rollup-list', 'bounce-category-patterns', 'smtp-listener', 'proxy']);

export const duplicateBlockRule: Rule = {
  id: 'duplicate-block',
  defaultSeverity: 'warning',
  description: 'The same block (same tag and argument) twice at one level.',
  check(ctx) {
    const { model } = ctx;
    // the named blocks seen at each level (keyed by the enclosing block; undefined: the top level),
    // over the model's flat list of blocks, which is in document order
    const levels = new Map<Block | undefined, Map<string, Block>>();
    let lastParent: Block | undefined | null = null;
    let seen: Map<string, Block> | undefined;
    for (let i = 0, blocks = model.blocks; i < blocks.length; i++) {
      const n = blocks[i];
      if (!NAMED.has(n.name) || isPlaceholder(n.arg)) continue;
      const lower = n.arg.toLowerCase();
      const key = n.name + '\u0000' + (/\s/.test(lower) ? lower.replace(/\s+/g, ' ') : lower);
      if (n.parent !== lastParent || !seen) {
        lastParent = n.parent;
        seen = levels.get(n.parent);
        if (!seen) levels.set(n.parent, (seen = new Map()));
      }
      const first = seen.get(key);
      if (!first) {
        seen.set(key, n);
        continue;
      }
      const firstLine = model.doc.positionAt(first.open.start).line + 1;
      const label = `<${n.name}${n.arg ? ' ' + n.arg : ''}>`;
      ctx.report({
        span: n.open.kind === 'open-tag' ? n.open.tagSpan : n.argSpan,
        message: `${label} is already defined at line ${firstLine}; merge the two blocks`,
        related: [{ span: first.open.kind === 'open-tag' ? first.open.tagSpan : first.argSpan, message: `first ${label}` }],
      });
    }
  },
};
