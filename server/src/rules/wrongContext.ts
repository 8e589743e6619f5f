/**
 * `wrong-context` (warning): a known directive or block where PowerMTA does not allow it
 * (e.g. `max-smtp-out` in `<source>`, `<domain>` inside `<source>`).
 *
 * Not for a line or block that only lands in a block because that block was never closed (a missing or
 * mismatched close tag: `syntax` reports it) and that is allowed where the block stands: the blocks
 * after a `<source>` closed with `</domain>` would all be "inside <source>". The cause is reported once.
 */
import type { Block } from '../parser/ast';
import { getBlock } from '../knowledge/catalog';
import type { Context } from '../knowledge/types';
import type { Rule } from './types';
import { unclosedContexts } from './util';
import { PairMap } from '../util/memo';

/** The places a directive or block may stand, in words; the same lists come again and again: made once each. */
function describe(contexts: readonly Context[]): string {
  let text = described.get(contexts);
  if (text === undefined) described.set(contexts, (text = describeOnce(contexts)));
  return text;
}
const described = new WeakMap<readonly Context[], string>();

/** Where a node belongs, as the end of a sentence: `at the global level`, `in <domain>`, `at the global level, in <virtual-mta> or in <virtual-mta-pool>`. */
function describeOnce(contexts: readonly Context[]): string {
  const names = contexts.map((c) => (c === 'global' ? 'at the global level' : `in <${c}>`));
  return names.length <= 1 ? names.join('') : names.slice(0, -1).join(', ') + ' or ' + names[names.length - 1];
}

/**
 * Whether the enclosing block, or one around it, is a block that was never closed and stands where the
 * node is allowed: the node is then there only because the close tag is missing.
 */
function followsUnclosed(
  parent: Block | undefined,
  allowed: readonly Context[],
  memo: Map<Block, ReadonlySet<string>>,
): boolean {
  if (!parent || parent.close || parent.pseudo) return false;
  const contexts = unclosedContexts(parent, memo);
  return allowed.some((c) => contexts.has(c));
}

export const wrongContextRule: Rule = {
  id: 'wrong-context',
  defaultSeverity: 'warning',
  description: 'A directive or block in a place PowerMTA does not allow it.',
  check(ctx) {
    const { model } = ctx;
    const memo = new Map<Block, ReadonlySet<string>>();
    // the message of each directive's or block's name in each place, made once (a block nested in itself
    // a thousand times made the same message a thousand times, seven strings each)
    const messages = new PairMap<string, string, string>();
    const blockMessages = new PairMap<string, string, string>();
    // a block's directives mostly come one after the other: look the enclosing block up once per run
    let lastParent: Block | undefined | null = null;
    let lastKnown = false;
    for (let dI = 0, dList = model.directives, infos = model.directiveInfos; dI < dList.length; dI++) {
      const info = infos[dI];
      if (!info) continue;
      const d = dList[dI];
      const context = model.contextOf(d);
      if (d.parent !== lastParent) {
        lastParent = d.parent;
        lastKnown = context === 'global' || !!getBlock(context);
      }
      // unknown enclosing blocks are reported by unknown-directive; don't pile on
      if (!lastKnown) continue;
      if (info.contexts.includes(context) || followsUnclosed(d.parent, info.contexts, memo)) continue;
      let message = messages.get(info.name, context);
      if (message === undefined) {
        const where = context === 'global' ? 'at the global level' : `in <${context}>`;
        message = `"${info.name}" is not allowed ${where}; it belongs ${describe(info.contexts)}`;
        messages.set(info.name, context, message);
      }
      ctx.report({ span: d.nameSpan, message });
    }
    for (let bI = 0, bList = model.blocks, infos = model.blockInfos; bI < bList.length; bI++) {
      const info = infos[bI];
      if (!info) continue;
      const b = bList[bI];
      const parent = b.parent ? (b.parent.name as Context) : 'global';
      if (b.parent && !getBlock(b.parent.name)) continue;
      if (info.parents.includes(parent) || followsUnclosed(b.parent, info.parents, memo)) continue;
      let message = blockMessages.get(b.name, parent);
      if (message === undefined) {
        const where = parent === 'global' ? 'at the global level' : `inside <${parent}>`;
        message = `<${b.name}> is not allowed ${where}; it belongs ${describe(info.parents)}`;
        blockMessages.set(b.name, parent, message);
      }
      const span = b.open.kind === 'open-tag' ? b.open.nameSpan : (b.open.keywordSpan ?? b.argSpan);
      ctx.report({ span, message });
    }
  },
};
