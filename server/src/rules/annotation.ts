/**
 * `annotation` (warning): a `# pmta-lint:` comment that is not understood: an unknown verb, an unknown
 * setting or a value it does not take (`microsoft-tier=huge`), or a rule id that no rule has (a
 * `disable` of it turns nothing off), each with a did-you-mean fix when one name is close.
 */
import { closestName } from '../knowledge/catalog';
import type { Rule, RuleContext } from './types';

export const annotationRule: Rule = {
  id: 'annotation',
  defaultSeverity: 'warning',
  description: 'A "# pmta-lint:" comment that is not understood: an unknown verb, setting, tier or rule id.',
  check(ctx) {
    const a = ctx.model.annotations;
    for (const p of a.problems) ctx.report({ span: p.span, message: p.message, fixes: p.fixes });
    if (a.ruleNames.length) checkRuleNames(ctx);
  },
};

function checkRuleNames(ctx: RuleContext): void {
  const known = new Set(ctx.ruleIds);
  for (const n of ctx.model.annotations.ruleNames) {
    if (n.id === '*' || known.has(n.id)) continue;
    const close = closestName(n.id, ctx.ruleIds);
    const effect = n.verb === 'enable' ? 'turns nothing back on' : 'turns nothing off';
    ctx.report({
      span: n.span,
      message: `No rule is called "${n.id}", so this annotation ${effect}${close ? `; did you mean "${close}"?` : ' (pmta-lint --list-rules lists the rules)'}`,
      fixes: close
        ? [{ title: `Change to "${close}"`, changes: [{ span: n.span, newText: close }], isPreferred: true }]
        : [],
    });
  }
}
