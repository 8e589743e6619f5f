/**
 * `microsoft-connection-budget` (warning): the pool the Microsoft queue goes through, times the queue's
 * max-smtp-out per virtual MTA, allows more simultaneous connections to Microsoft than the seed's budget
 * (10 IPs × 6 = 60). Each member counts with the smaller of the queue's max-smtp-out and the member's own
 * `max-smtp-out` in its `<virtual-mta>` block. The fix lowers max-smtp-out so that the pool fits, when at least
 * one connection per virtual MTA does.
 */
import { MICROSOFT_CONNECTION_BUDGET } from '../../knowledge/microsoft';
import type { Span } from '../../parser/ast';
import type { Fix, Related, Rule } from '../types';
import { blockLabel, chooseTier, connectionsFor, maxSmtpOutOf, microsoftAnalysis, type MicrosoftAnalysis, type DomainBlock, type Route } from './analysis';
import { lineNo } from '../../model';
import { Edits, editable } from './edits';
import { targetMaxSmtpOut } from './recommend';

/** The largest max-smtp-out that keeps the route within the budget (0 when even 1 is too many). */
export function budgetMaxSmtpOut(a: MicrosoftAnalysis, route: Route, from: number): number {
  let v = from;
  while (v > 0 && connectionsFor(a, route, v) > MICROSOFT_CONNECTION_BUDGET) v--;
  return v;
}

/** For a pool with members that name no `<virtual-mta>`: "; mta3 not counted: no <virtual-mta mta3>"; '' otherwise. */
export function notCounted(route: Route): string {
  const u = route.undefinedMembers;
  if (!u?.length) return '';
  if (u.length === 1) return `; ${u[0]} not counted: no <virtual-mta ${u[0]}>`;
  const names = u.length > 3 ? `${u.slice(0, 3).join(', ')} and ${u.length - 3} more` : u.join(', ');
  return `; not counted, as no <virtual-mta> defines them: ${names}`;
}

/** How the connection total of an anchor is computed, for messages and the hover. */
export function describeConnections(a: MicrosoftAnalysis, anchor: DomainBlock | undefined): { total: number; perIp: number; route: Route; text: string } | undefined {
  const route = a.routeOf(anchor);
  const { value: perIp, from } = maxSmtpOutOf(a, a.queueChain(anchor));
  if (!route || perIp === undefined) return undefined;
  const total = connectionsFor(a, route, perIp);
  const n = route.members.length;
  const src = from ? `${blockLabel(from.db.block)}, line ${lineNo(from.db.model, from.line.start)}` : "PowerMTA's default";
  const capped = total < n * perIp ? ' (some virtual MTAs have a lower max-smtp-out of their own)' : '';
  const what = route.kind === 'pool' ? `pool ${route.name} (${n} virtual MTA${n === 1 ? '' : 's'}${notCounted(route)})` : `virtual MTA ${route.name}`;
  return { total, perIp, route, text: `${what} × max-smtp-out ${perIp} (${src}) = ${total} simultaneous connections${capped}` };
}

export const connectionBudgetRule: Rule = {
  id: 'microsoft-connection-budget',
  defaultSeverity: 'warning',
  description: 'Pool size × max-smtp-out of the Microsoft queue above the seed\'s budget of 60 simultaneous connections to Microsoft.',
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
      let message = `The ${a.queue} queue may open ${c.text} to Microsoft, more than the seed's budget of ${MICROSOFT_CONNECTION_BUDGET} (10 IPs × 6); the figure is the seed's advice, not a limit Microsoft publishes.`;
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
