/**
 * Connection arithmetic for the Microsoft queue: how many simultaneous connections a route opens for a
 * given max-smtp-out (each virtual MTA capped by its own `max-smtp-out`), how the total is computed (for
 * messages, the hover and the code lens), and the largest max-smtp-out that keeps a route within the budget.
 */
import { MICROSOFT_CONNECTION_BUDGET } from '../knowledge/microsoft';
import { blockLabel, maxSmtpOutOf, type DomainBlock, type MicrosoftAnalysis, type Route } from './analysis';
import { lineNo } from '../model';

/** Simultaneous connections a route may open for one queue: each member's max-smtp-out, capped by the member's own `max-smtp-out`. */
export function connectionsFor(a: MicrosoftAnalysis, route: Route, perIp: number): number {
  let total = 0;
  for (const m of route.members) total += Math.min(perIp, a.vmtaMaxSmtpOut(m) ?? Infinity);
  return total;
}

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
