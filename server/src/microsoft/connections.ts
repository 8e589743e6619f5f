/**
 * Connection arithmetic for the Microsoft queue: how many simultaneous connections a delivery opens (each
 * virtual MTA's queue with its own max-smtp-out, capped by the virtual MTA's own `max-smtp-out`; queues sent
 * to a relay open none to Microsoft), how the total is computed (for messages, the hover and the code lens),
 * and the largest max-smtp-out that keeps a delivery within the budget.
 */
import { MICROSOFT_CONNECTION_BUDGET } from '../knowledge/microsoft';
import { DIGITS } from '../knowledge/values';
import {
  blockLabel,
  defaultOf,
  type Delivery,
  type Effective,
  type MemberQueue,
  type MicrosoftAnalysis,
  type Relay,
  type Route,
} from './analysis';
import { lineNo } from '../model';

/** Names for a message: "mta1", "mta1 and mta2", "mta1, mta2, mta3 and 5 more". */
export function listNames(names: readonly string[], max = 3): string {
  if (names.length <= 1) return names.join('');
  if (names.length <= max) return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

/** Simultaneous connections a route may open for one queue with the same max-smtp-out everywhere (each member capped by its own `max-smtp-out`). */
export function connectionsFor(a: MicrosoftAnalysis, route: Route, perIp: number): number {
  let total = 0;
  for (const m of route.members) total += Math.min(perIp, a.vmtaMaxSmtpOut(m) ?? Infinity);
  return total;
}

/** One virtual MTA's part of the total. */
interface MemberConnections {
  m: MemberQueue;
  /** The queue's max-smtp-out for this virtual MTA. */
  perIp: number;
  from?: Effective;
  /** The virtual MTA's own `max-smtp-out` in its `<virtual-mta>` block. */
  cap?: number;
  /** Connections it may open: the smaller of the two. */
  opens: number;
}

export interface Connections {
  total: number;
  /** The largest max-smtp-out of the queue among the virtual MTAs counted. */
  perIp: number;
  route: Route;
  members: MemberConnections[];
  /** Members whose queue goes to a relay (not counted). */
  relayed: Array<{ m: MemberQueue; relay: Relay }>;
  /** Every member counted has the same max-smtp-out from the same line (or PowerMTA's default). */
  uniform: boolean;
  text: string;
}

/** A member's max-smtp-out for the queue: its value and where it comes from; undefined when it cannot be read. */
export function memberMaxSmtpOut(
  a: MicrosoftAnalysis,
  m: MemberQueue,
): { value: number | undefined; from?: Effective } {
  const e = a.value(m, 'max-smtp-out');
  if (!e) return { value: Number(defaultOf('max-smtp-out') ?? '20') };
  return { value: DIGITS.test(e.value) ? Number(e.value) : undefined, from: e };
}

/** Total connections of members when each queue's max-smtp-out is at most `limit`. */
function totalWith(members: readonly MemberConnections[], limit: number): number {
  let total = 0;
  for (const x of members) total += Math.min(x.perIp, limit, x.cap ?? Infinity);
  return total;
}

/**
 * The largest max-smtp-out that keeps the delivery within the budget, each virtual MTA keeping a lower
 * value of its own (0 when even 1 is too many).
 */
export function budgetMaxSmtpOut(c: Connections): number {
  if (totalWith(c.members, 1) > MICROSOFT_CONNECTION_BUDGET) return 0;
  let lo = 1;
  let hi = Math.max(1, c.perIp);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (totalWith(c.members, mid) <= MICROSOFT_CONNECTION_BUDGET) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** For a pool with members that name no `<virtual-mta>`: "; mta3 not counted: no <virtual-mta mta3>"; '' otherwise. */
export function notCounted(route: Route): string {
  const u = route.undefinedMembers;
  if (!u?.length) return '';
  if (u.length === 1) return `; ${u[0]} not counted: no <virtual-mta ${u[0]}>`;
  const names = u.length > 3 ? `${u.slice(0, 3).join(', ')} and ${u.length - 3} more` : u.join(', ');
  return `; not counted, as no <virtual-mta> defines them: ${names}`;
}

/** `<domain outlook.com>, line 36` or `<domain *> inside <virtual-mta mta1>, line 12`; PowerMTA's default when unset. */
export function sourceText(from: Effective | undefined): string {
  if (!from) return "PowerMTA's default";
  return `${blockLabel(from.db.block)}${from.db.scope ? ` inside ${blockLabel(from.db.scope)}` : ''}, line ${lineNo(from.db.model, from.line.start)}`;
}

/**
 * How the connection total of a delivery is computed, for messages and the hover; undefined when it has no
 * route or a max-smtp-out cannot be read.
 */
export function describeConnections(a: MicrosoftAnalysis, d: Delivery | undefined): Connections | undefined {
  const route = d?.route;
  if (!d || !route) return undefined;
  const members: MemberConnections[] = [];
  const relayed: Connections['relayed'] = [];
  for (const m of d.members) {
    const relay = a.relayOf(m);
    if (relay) {
      relayed.push({ m, relay });
      continue;
    }
    const { value, from } = memberMaxSmtpOut(a, m);
    if (value === undefined) return undefined;
    const cap = m.vmta ? a.vmtaMaxSmtpOut(m.vmta) : undefined;
    members.push({ m, perIp: value, from, cap, opens: Math.min(value, cap ?? Infinity) });
  }
  const total = members.reduce((s, x) => s + x.opens, 0);
  const perIp = members.reduce((mx, x) => Math.max(mx, x.perIp), 0);
  const first = members[0];
  const uniform = members.every((x) => x.perIp === first.perIp && x.from?.line === first.from?.line);
  const n = route.members.length;
  const capped = members.some((x) => x.opens < x.perIp)
    ? ' (some virtual MTAs have a lower max-smtp-out of their own)'
    : '';
  const relayNote = relayed.length
    ? `; ${listNames(relayed.map((x) => x.m.vmta ?? ''))} not counted: ${relayed.length === 1 ? 'its queue goes' : 'their queues go'} to a relay`
    : '';
  const what =
    route.kind === 'pool'
      ? `pool ${route.name} (${n} virtual MTA${n === 1 ? '' : 's'}${notCounted(route)}${relayNote})`
      : `virtual MTA ${route.name}`;
  let text: string;
  if (!members.length) text = `${what}: no connection to Microsoft`;
  else if (uniform)
    text = `${what} × max-smtp-out ${first.perIp} (${sourceText(first.from)}) = ${total} simultaneous connections${capped}`;
  else {
    // the members grouped by their max-smtp-out, with the line it comes from when they share one
    const groups = new Map<number, MemberConnections[]>();
    for (const x of members) {
      const g = groups.get(x.perIp);
      if (g) g.push(x);
      else groups.set(x.perIp, [x]);
    }
    const parts = [...groups.values()].map((g) => {
      const lines = new Set(g.map((x) => x.from?.line));
      const where = lines.size === 1 ? sourceText(g[0].from) : `${lines.size} blocks`;
      return `max-smtp-out ${g[0].perIp} on ${listNames(g.map((x) => x.m.vmta ?? ''))} (${where})`;
    });
    text = `${what}: ${parts.join(', ')} = ${total} simultaneous connections${capped}`;
  }
  return { total, perIp, route, members, relayed, uniform, text };
}
