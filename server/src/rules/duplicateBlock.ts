/**
 * `duplicate-block` (warning): the same block twice at one level (e.g. `<domain hotmail.com>`
 * twice globally). PowerMTA merges or rejects them; either way the second is easy to miss.
 */
import type { Block, Node } from '../parser/ast';
import { isPlaceholder } from '../values';
import type { Rule, RuleContext } from './types';
import { forEachLevel } from './util';

/** Blocks whose argument names one thing; two with the same argument at one level are duplicates. */
const NAMED = new Set(['domain', 'virtual-mta', 'virtual-mta-pool', 'smtp-pattern-list', 'pattern-list', 'source', 'smtp-user', 'acct-file', 'spool', 'source-group', 'rewrite-list', 'domain-key-list', 'mx-rollup-list', 'bounce-category-patterns', 'smtp-listener', 'proxy']);

export const duplicateBlockRule: Rule = {
  id: 'duplicate-block',
  defaultSeverity: 'warning',
  description: 'The same block (same tag and argument) twice at one level.',
  check(ctx) {
    const { model } = ctx;
    // one level at a time (the top level, then inside each block): the named blocks seen so far
    const seen = new Map<string, Block>();
    forEachLevel(model, (nodes) => scan(ctx, nodes, seen));
  },
};

function scan(ctx: RuleContext, nodes: readonly Node[], seen: Map<string, Block>): void {
  if (seen.size) seen.clear();
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    if (n.kind !== 'block' || !NAMED.has(n.name) || isPlaceholder(n.arg)) continue;
    const lower = n.arg.toLowerCase();
    const key = n.name + '\u0000' + (/\s/.test(lower) ? lower.replace(/\s+/g, ' ') : lower);
    const first = seen.get(key);
    if (!first) {
      seen.set(key, n);
      continue;
    }
    const firstLine = ctx.model.doc.positionAt(first.open.start).line + 1;
    const label = `<${n.name}${n.arg ? ' ' + n.arg : ''}>`;
    ctx.report({
      span: n.open.kind === 'open-tag' ? n.open.tagSpan : n.argSpan,
      message: `${label} is already defined at line ${firstLine}; merge the two blocks`,
      related: [{ span: first.open.kind === 'open-tag' ? first.open.tagSpan : first.argSpan, message: `first ${label}` }],
    });
  }
}
