/**
 * `unknown-directive` (warning): a directive or block tag PowerMTA does not know, with
 * "did you mean" suggestions from the catalog and a rename fix for each.
 */
import {
  allBlocks,
  CONFUSION_FORMS,
  editDistance,
  getBlock,
  getDirective,
  KNOWN_CONFUSIONS,
  suggest,
} from '../knowledge/catalog';
import type { Context } from '../knowledge/types';
import { checkValue, isPlaceholder, wholeRates, type ValueProblem } from '../knowledge/values';
import type { Block, DirectiveLine } from '../parser/ast';
import type { Rule, RuleContext } from './types';
import type { Fix } from '../findings';

/** Names another rule reports with a better message (microsoft rules own `mx-rollup`). */
export const REPORTED_ELSEWHERE = new Set(['mx-rollup']);

export const unknownDirectiveRule: Rule = {
  id: 'unknown-directive',
  defaultSeverity: 'warning',
  description: 'A directive or block tag that PowerMTA does not know, with "did you mean" suggestions.',
  check(ctx) {
    const { model } = ctx;
    // (the reports are made in functions of their own: a loop body that creates closures would
    // allocate a scope for every directive, known or not)
    for (let dI = 0, dList = model.directives, infos = model.directiveInfos; dI < dList.length; dI++) {
      if (!infos[dI]) reportDirective(ctx, dList[dI]);
    }
    for (let bI = 0, bList = model.blocks, infos = model.blockInfos; bI < bList.length; bI++) {
      if (!infos[bI] && !bList[bI].pseudo) reportBlock(ctx, bList[bI]);
    }
  },
};

function reportDirective(ctx: RuleContext, d: DirectiveLine): void {
  const { model } = ctx;
  if (REPORTED_ELSEWHERE.has(d.name) || isPlaceholder(d.rawName) || ctx.suppressed(d.nameSpan.start)) return;
  const context = model.contextOf(d) as Context;
  const known = getBlock(context) || context === 'global' ? context : undefined;
  let sugg = suggest(d.name, known);
  if (sugg.length === 0) sugg = suggest(d.name);
  const confusion = KNOWN_CONFUSIONS[d.name];
  const form = CONFUSION_FORMS[d.name];
  // the real directive may take another value than the invented one: renamed, the line would be invalid
  const misfit = confusion && !form ? misfitOf(confusion, d.value) : undefined;
  const fixes: Fix[] = sugg.map((s, i) => ({
    title: `Change to "${s}"`,
    changes: [{ span: d.nameSpan, newText: s }],
    isPreferred: i === 0 && (confusion === s || editDistance(d.name, s) <= 2),
    safe: i === 0 && confusion === s && !form && !misfit,
  }));
  let message = `Unknown directive "${d.rawName}"`;
  if (form)
    message += `: PowerMTA's directive for this is "${confusion}", written "${form}" (selector, signing domain and key file on one line)`;
  else if (confusion && misfit)
    message += `: PowerMTA's directive is "${confusion}", but this value does not fit it (${withoutName(misfit.message, confusion)})`;
  else if (confusion) message += `: PowerMTA's directive is "${confusion}"`;
  else if (sugg.length) {
    message += `; did you mean ${sugg.map((s) => `"${s}"`).join(' or ')}?`;
    // renamed as suggested, the line would be reported for its value next: said now, with the rename
    const wrong = d.value ? misfitOf(sugg[0], d.value) : undefined;
    if (wrong) message += ` (the value does not fit "${sugg[0]}" as written: ${withoutName(wrong.message, sugg[0])})`;
  }
  ctx.report({ span: d.nameSpan, message, fixes });
}

/**
 * The problem `value` would have as the value of the directive `name`, if any (not one its own safe fix
 * mends once renamed, as 0.5/s becomes 30/m).
 */
function misfitOf(name: string, value: string): ValueProblem | undefined {
  const info = getDirective(name);
  return info ? checkValue(info, wholeRates(info, value)).find((p) => !p.fix?.safe) : undefined;
}

/** A value problem's message without the directive's name it starts with (`max-smtp-out: "x": …`). */
function withoutName(message: string, name: string): string {
  return message.startsWith(name + ': ') ? message.slice(name.length + 2) : message;
}

function reportBlock(ctx: RuleContext, b: Block): void {
  if (isPlaceholder(b.name) || b.open.kind !== 'open-tag') return;
  const open = b.open;
  const names = allBlocks().map((x) => x.name);
  const limit = Math.max(2, Math.floor(b.name.length / 3));
  const sugg = names
    .map((n) => ({ n, d: editDistance(b.name, n, n.startsWith(b.name) ? Infinity : limit) }))
    .filter((x) => x.d <= limit || x.n.startsWith(b.name))
    .sort((a, c) => a.d - c.d)
    .slice(0, 2)
    .map((x) => x.n);
  const fixes: Fix[] = sugg.map((s, i) => {
    const changes = [{ span: open.nameSpan, newText: s }];
    if (b.close && b.close.kind === 'close-tag') changes.push({ span: b.close.nameSpan, newText: s });
    return { title: `Change to <${s}>`, changes, isPreferred: i === 0 };
  });
  const msg = `Unknown block <${open.rawName}>${sugg.length ? `; did you mean ${sugg.map((s) => `<${s}>`).join(' or ')}?` : ''}`;
  ctx.report({ span: open.nameSpan, message: msg, fixes });
}
