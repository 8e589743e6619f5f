/**
 * `microsoft-connection-budget` (warning; information until the volume tier is declared, unless the total is
 * above the 500 connections Microsoft's policy allows): the pool the Microsoft queue goes through allows more
 * simultaneous connections to Microsoft than the guide's budget (10 IPs × 6 = 60). Each virtual MTA counts
 * with its own queue's max-smtp-out (its `<domain>` blocks first), capped by its own `max-smtp-out` in its
 * `<virtual-mta>` block; a queue sent to a relay counts none. The fix lowers max-smtp-out where it is above
 * the value that fits, when at least one connection per virtual MTA does; it cuts throughput, so it is
 * applied without review only once the tier is declared (rules/microsoft/policy.ts).
 */
import { MICROSOFT_CONNECTION_BUDGET, MICROSOFT_POLICY_MAX_CONNECTIONS } from '../../knowledge/microsoft';
import type { Span } from '../../parser/ast';
import type { Rule } from '../types';
import type { Fix, Related } from '../../findings';
import { coversOthers, microsoftAnalysis } from '../../microsoft/analysis';
import { budgetMaxSmtpOut, describeConnections } from '../../microsoft/connections';
import { targetMaxSmtpOut } from '../../microsoft/recommend';
import { chooseTier } from '../../microsoft/tiers';
import { Edits, setForMembers } from './edits';
import { declareTierFixes, limitFixes, limitSeverity } from './policy';

export const connectionBudgetRule: Rule = {
  id: 'microsoft-connection-budget',
  defaultSeverity: 'warning',
  description:
    "Pool size × max-smtp-out of the Microsoft queue above 60 simultaneous connections to Microsoft, the budget common advice gives (not a Microsoft limit; Microsoft's published policy is at most 500); information until the volume tier is declared, unless above 500.",
  check(ctx) {
    const { model } = ctx;
    const a = microsoftAnalysis(ctx.root ?? model);
    if (!a.active) return;
    for (const d of a.deliveries) {
      if (d.primary.model !== model) continue;
      const c = describeConnections(a, d);
      if (!c || c.total <= MICROSOFT_CONNECTION_BUDGET) continue;
      const tc = chooseTier(a, d, ctx.settings);
      const first = c.members[0].from;
      const own = c.uniform && first && a.isAnchor(first.db) && first.db.model === model ? first.line : undefined;
      const span: Span = own ? own.valueSpan : d.primary.block.argSpan;
      // never above the tier's value, so that this fix and microsoft-unsafe-limit's agree
      const fit = budgetMaxSmtpOut(c);
      const target = fit > 0 ? Math.min(fit, targetMaxSmtpOut(a, d, tc.tier)) : 0;
      const overPolicy = c.total > MICROSOFT_POLICY_MAX_CONNECTIONS;
      let message = `The ${a.queue} queue may open ${c.text} to Microsoft, more than ${MICROSOFT_CONNECTION_BUDGET}, the budget common advice gives (10 IPs × 6, from a widely copied PowerMTA guide). It is not a Microsoft limit: the only connection figure Microsoft publishes is its policy of at most ${MICROSOFT_POLICY_MAX_CONNECTIONS} simultaneous connections to Outlook.com${overPolicy ? ', and this is more than that too' : ''}.`;
      message +=
        target > 0
          ? ` max-smtp-out ${target} keeps it within the budget${target < fit ? ' and the volume tier' : ''}.`
          : ` Even one connection per virtual MTA exceeds it: send Microsoft mail through fewer IPs.`;
      if (tc.assumed)
        message += ` The volume tier is not declared (${tc.why}): declare it with "# pmta-lint: microsoft-tier=…" before cutting connections; until then neither --fix nor "fix all" lowers max-smtp-out.`;
      const related: Related[] = [];
      if (c.route.block && c.route.model === model)
        related.push({
          span: c.route.block.argSpan,
          message: `${c.route.kind === 'pool' ? 'pool' : 'virtual MTA'} used for Microsoft (${c.route.how})`,
        });
      let fix: Fix | undefined;
      if (target > 0) {
        const e = new Edits(model);
        const above = c.members
          .filter((x) => x.perIp > target)
          .map((x) => ({ m: x.m, from: x.from, value: String(target) }));
        const edited = setForMembers(a, e, 'max-smtp-out', above);
        if (edited && e.changes.length)
          fix = {
            title: `Set max-smtp-out to ${target}${e.changes.length > 1 ? ` in ${e.changes.length} blocks` : ''}`,
            changes: e.changes,
            isPreferred: true,
            safe: !edited.edited.some(coversOthers),
          };
      }
      const declare = tc.assumed ? declareTierFixes(model, a) : [];
      ctx.report({
        span,
        message,
        fixes: limitFixes(fix, tc, declare),
        related: related.length ? related : undefined,
        severity: overPolicy ? undefined : limitSeverity(tc),
      });
    }
  },
};
