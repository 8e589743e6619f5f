/**
 * `microsoft-connection-budget` (warning): the pool the Microsoft queue goes through, times the queue's
 * max-smtp-out per virtual MTA, allows more simultaneous connections to Microsoft than the guide's budget
 * (10 IPs × 6 = 60). Each member counts with the smaller of the queue's max-smtp-out and the member's own
 * `max-smtp-out` in its `<virtual-mta>` block. The fix lowers max-smtp-out so that the pool fits, when at least
 * one connection per virtual MTA does.
 */
import { MICROSOFT_CONNECTION_BUDGET } from '../../knowledge/microsoft';
import type { Span } from '../../parser/ast';
import type { Rule } from '../types';
import type { Fix, Related } from '../../findings';
import { maxSmtpOutOf, microsoftAnalysis } from '../../microsoft/analysis';
import { budgetMaxSmtpOut, describeConnections } from '../../microsoft/connections';
import { targetMaxSmtpOut } from '../../microsoft/recommend';
import { chooseTier } from '../../microsoft/tiers';
import { Edits, editable } from './edits';

export const connectionBudgetRule: Rule = {
  id: 'microsoft-connection-budget',
  defaultSeverity: 'warning',
  description: 'Pool size × max-smtp-out of the Microsoft queue above 60 simultaneous connections to Microsoft, the budget common advice gives (not a Microsoft limit; Microsoft\'s published policy is at most 500).',
  check(ctx) {
    const { model } = ctx;
    const a = microsoftAnalysis(ctx.root ?? model);
    if (!a.active) return;
    for (const anchor of a.anchors) {
      if (anchor.model !== model) continue;
      const c = describeConnections(a, anchor);
      if (!c || c.total <= MICROSOFT_CONNECTION_BUDGET) continue;
      const ch = a.queueChain(anchor);
      const from = maxSmtpOutOf(a, ch).from;
      const own = from && from.db === anchor ? from.line : undefined;
      const span: Span = own ? own.valueSpan : anchor.block.argSpan;
      // never above the tier's value, so that this fix and microsoft-unsafe-limit's agree
      const fit = budgetMaxSmtpOut(a, c.route, c.perIp);
      const target = fit > 0 ? Math.min(fit, targetMaxSmtpOut(a, anchor, chooseTier(a, anchor, ctx.settings).tier)) : 0;
      let message = `The ${a.queue} queue may open ${c.text} to Microsoft, more than ${MICROSOFT_CONNECTION_BUDGET}, the budget common advice gives (10 IPs × 6, from a widely copied PowerMTA guide). It is not a Microsoft limit: the only connection figure Microsoft publishes is its policy of at most 500 simultaneous connections to Outlook.com.`;
      message += target > 0 ? ` max-smtp-out ${target} keeps it within the budget${target < fit ? ' and the volume tier' : ''}.` : ` Even one connection per virtual MTA exceeds it: send Microsoft mail through fewer IPs.`;
      const related: Related[] = [];
      if (c.route.block && c.route.model === model) related.push({ span: c.route.block.argSpan, message: `${c.route.kind === 'pool' ? 'pool' : 'virtual MTA'} used for Microsoft (${c.route.how})` });
      const fixes: Fix[] = [];
      if (target > 0 && editable(anchor.block)) {
        const e = new Edits(model);
        if (own) e.replace(own.valueSpan, String(target));
        else e.appendLines(anchor.block, [`max-smtp-out ${target}`]);
        fixes.push({ title: `Set max-smtp-out to ${target}`, changes: e.changes, isPreferred: true, safe: true });
      }
      ctx.report({ span, message, fixes, related: related.length ? related : undefined });
    }
  },
};
