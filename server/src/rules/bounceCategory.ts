/**
 * `bounce-category` (error): a `<bounce-category-patterns>` rule that assigns a category PowerMTA does
 * not have (`ploicy-related`, `invalid-mailbox`): its bounces are not classified as the author meant.
 * The fixes write the category meant: a known confusion (`invalid-mailbox` → bad-mailbox, or
 * inactive-mailbox first when the regex is about an inactive account), the one category a bare word
 * starts (`spam` → spam-related), or the closest spelling.
 */
import { BOUNCE_CATEGORIES, intendedCategories, isBounceCategory } from '../knowledge/accounting';
import { closestName } from '../knowledge/catalog';
import { isPlaceholder } from '../knowledge/values';
import type { PatternLine } from '../parser/ast';
import type { Rule, RuleContext } from './types';

export const bounceCategoryRule: Rule = {
  id: 'bounce-category',
  defaultSeverity: 'error',
  description: "A <bounce-category-patterns> rule whose category is not one of PowerMTA's bounce categories.",
  check(ctx) {
    const lines = ctx.model.tree.lines;
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i];
      if (l.kind !== 'pattern' || l.parent?.name !== 'bounce-category-patterns' || l.parent.pseudo) continue;
      // a malformed rule (no regex, no category, several words) is invalid-value's
      if (!l.regex || !l.regex.terminated || l.lead.length || l.rest.length !== 1) continue;
      checkCategory(ctx, l);
    }
  },
};

function checkCategory(ctx: RuleContext, l: PatternLine): void {
  const w = l.rest[0];
  if (isBounceCategory(w.text) || isPlaceholder(w.text)) return;
  let meant = intendedCategories(w.text, l.regex!.body);
  if (!meant.length) {
    const close = closestName(w.text.toLowerCase(), BOUNCE_CATEGORIES, Math.max(2, Math.floor(w.text.length / 4)));
    if (close) meant = [close];
  }
  const hint = meant.length
    ? `; did you mean ${meant.map((m) => `"${m}"`).join(' or ')}?`
    : `: use one of ${BOUNCE_CATEGORIES.join(', ')}`;
  ctx.report({
    span: w,
    message: `"${w.text}" is not one of PowerMTA's bounce categories${hint}`,
    fixes: meant.map((m, i) => ({
      title: `Change to "${m}"`,
      changes: [{ span: w, newText: m }],
      isPreferred: i === 0,
    })),
  });
}
