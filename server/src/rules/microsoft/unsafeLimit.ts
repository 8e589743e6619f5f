/**
 * `microsoft-unsafe-limit` (warning; information until the volume tier is declared): the Microsoft queue
 * allows more than common advice (a widely copied PowerMTA guide; Microsoft publishes no such limits)
 * recommends for the sender's volume tier: `max-smtp-out`, `max-connect-rate` or `max-msg-rate` above, or
 * `retry-after` below, the tier's value. A limit that is not set is judged by the value PowerMTA uses
 * instead: the one inherited from a more general block (`<domain *>`) or PowerMTA's default (max-smtp-out
 * 20, retry-after 10m, rates unlimited). Rates are compared after normalising units (`0.5/s` = `30/m` =
 * `1800/h`).
 *
 * The queue is judged as PowerMTA runs it: once per virtual MTA of the pool it goes through, each with its
 * own `<domain>` blocks first (microsoft/analysis.ts); the worst is reported, naming its virtual MTA when
 * they differ, and the fix sets the value wherever a virtual MTA exceeds it. A queue sent to a relay is not
 * judged (it does not connect to Microsoft). `max-connect-rate` is only asked for where it could bind: a
 * queue whose max-msg-rate is at most the recommended connection rate cannot open more connections than that.
 *
 * The guide's `max-conn-rate` is not a PowerMTA directive: only `max-connect-rate` is judged, and when only
 * that spelling is there the message says PowerMTA ignores it (the fix renames it and sets the value).
 *
 * The tier: `# pmta-lint: microsoft-tier=…`, else the `microsoft.volumeTier` setting, else inferred from the
 * pool (see microsoft/tiers.ts chooseTier). Until it is declared, the findings are information and their
 * first actions declare it (rules/microsoft/policy.ts). An annotation value that names no tier is the `annotation` rule's.
 */
import type { Span } from '../../parser/ast';
import { parseDuration, parseRate } from '../../knowledge/values';
import type { Rule, RuleContext } from '../types';
import type { Fix, Related } from '../../findings';
import {
  blockLabel,
  coversOthers,
  defaultOf,
  microsoftAnalysis,
  shortestInterval,
  type Delivery,
  type Effective,
  type MemberQueue,
  type MicrosoftAnalysis,
} from '../../microsoft/analysis';
import { lineNo } from '../../model';
import { listNames } from '../../microsoft/connections';
import { LIMIT_NAMES, targetMaxSmtpOut, tierValue, type LimitName } from '../../microsoft/recommend';
import { chooseTier, tierHint, type TierChoice } from '../../microsoft/tiers';
import { Edits, editable, setForMembers, type MemberChange } from './edits';
import { declareTierFixes, limitFixes, limitSeverity } from './policy';

function perHour(v: string): string | undefined {
  const r = parseRate(v);
  if (!r) return undefined;
  if (r.unlimited) return 'unlimited';
  const n = Math.round(r.perSecond * 3600 * 10) / 10;
  return `${Number.isInteger(n) ? n : n.toFixed(1)}/h`;
}

/** `2/s (7200/h)` when the unit is not already per hour. */
function showRate(v: string): string {
  const h = perHour(v);
  return h && h !== v && h !== 'unlimited' ? `${v} (${h})` : v;
}

/** Messages (or connections) a second a rate allows; Infinity for unlimited; undefined when unreadable. */
function perSecond(v: string): number | undefined {
  const r = parseRate(v);
  if (!r) return undefined;
  return r.unlimited ? Infinity : r.perSecond;
}

/**
 * How permissive a value is, larger meaning more permissive (retry-after: the shortest interval, negated);
 * undefined when the value cannot be read.
 */
function looseness(name: LimitName, value: string): number | undefined {
  switch (name) {
    case 'max-smtp-out':
      return /^\d+$/.test(value.trim()) ? Number(value) : undefined;
    case 'max-connect-rate':
    case 'max-msg-rate':
      return perSecond(value);
    case 'retry-after': {
      const s = shortestInterval(value);
      return s === undefined ? undefined : -s;
    }
  }
}

/** retry-after with every interval below the tier's raised to it. */
function raiseRetry(value: string, limit: string): string {
  const min = parseDuration(limit)!;
  return value
    .split(',')
    .map((s) => (parseDuration(s.trim())! < min ? limit : s.trim()))
    .join(',');
}

/** One virtual MTA's queue that exceeds the tier's value. */
interface Offender {
  m: MemberQueue;
  e?: Effective;
  value: string;
  loose: number;
}

export const unsafeLimitRule: Rule = {
  id: 'microsoft-unsafe-limit',
  defaultSeverity: 'warning',
  description:
    "Microsoft queue limits (max-smtp-out, max-connect-rate, max-msg-rate, retry-after) looser than common advice recommends for the sender's volume tier (the tiers of a widely copied PowerMTA guide; Microsoft publishes no such limits); information until the tier is declared.",
  check(ctx) {
    const { model, settings } = ctx;
    const a = microsoftAnalysis(ctx.root ?? model);
    if (!a.active) return;
    for (const d of a.deliveries) {
      if (d.primary.model !== model) continue;
      const judged = d.members.filter((m) => !a.relayOf(m));
      if (!judged.length) continue;
      const tc = chooseTier(a, d, settings);
      const declare = tc.assumed ? declareTierFixes(model, a) : [];
      for (const name of LIMIT_NAMES) judgeLimit(ctx, a, d, judged, tc, declare, name);
    }
  },
};

/** The members whose queue exceeds the tier's value of one limit, worst first. */
function offenders(a: MicrosoftAnalysis, judged: readonly MemberQueue[], name: LimitName, limit: string): Offender[] {
  const limitLoose = looseness(name, limit)!;
  const connectLimit = perSecond(limit);
  const out: Offender[] = [];
  for (const m of judged) {
    const e = a.value(m, name);
    const value = e ? e.value : (defaultOf(name) ?? '');
    const loose = looseness(name, value);
    if (loose === undefined || loose <= limitLoose + Math.abs(limitLoose) * 1e-9) continue;
    if (name === 'max-connect-rate' && connectLimit !== undefined) {
      // each connection carries at least one message: a queue limited to fewer messages than the
      // recommended connection rate cannot open more connections than that
      const msg = a.value(m, 'max-msg-rate');
      const msgRate = msg ? perSecond(msg.value) : Infinity;
      if (msgRate !== undefined && msgRate <= connectLimit * (1 + 1e-9)) continue;
    }
    out.push({ m, e, value, loose });
  }
  // the most permissive first; among equals, the first virtual MTA
  return out
    .map((o, i) => ({ o, i }))
    .sort((x, y) => y.o.loose - x.o.loose || x.i - y.i)
    .map((x) => x.o);
}

/**
 * The virtual MTA to name, when the virtual MTAs' queues differ (or the worst value is set in a block of its
 * own), and the others that exceed the value too: "mta1" or "mta1 of pool ms (and mta2, mta3)"; '' otherwise.
 */
function whoText(
  d: Delivery,
  judged: readonly MemberQueue[],
  worst: Offender,
  all: readonly Offender[],
  a: MicrosoftAnalysis,
  name: string,
): string {
  if (!worst.m.vmta || !d.route) return '';
  const line = worst.e?.line;
  // the same for every virtual MTA (none sent to a relay), from a block that is not one virtual MTA's: no name
  const same = judged.length === d.members.length && judged.every((m) => a.value(m, name)?.line === line);
  if (same && !worst.e?.db.scope) return '';
  const others = all.filter((o) => o !== worst).map((o) => o.m.vmta ?? '');
  const where = d.route.kind === 'pool' ? ` of pool ${d.route.name}` : '';
  return others.length ? `${worst.m.vmta}${where} (and ${listNames(others)})` : worst.m.vmta;
}

/** `<domain *>` or `<domain *> inside <virtual-mta mta1>` */
function placeOf(e: Effective): string {
  return `${blockLabel(e.db.block)}${e.db.scope ? ` inside ${blockLabel(e.db.scope)}` : ''}`;
}

function judgeLimit(
  ctx: RuleContext,
  a: MicrosoftAnalysis,
  d: Delivery,
  judged: readonly MemberQueue[],
  tc: TierChoice,
  declare: Fix[],
  name: LimitName,
): void {
  const { model } = ctx;
  const Q = a.queue;
  const tier = tc.tier;
  const limit = tierValue(tier, name);
  const all = offenders(a, judged, name, limit);
  if (!all.length) return;
  const worst = all[0];
  const fixValue = name === 'max-smtp-out' ? String(targetMaxSmtpOut(a, d, tier)) : limit;
  const tierText = `the recommended value for the ${tier.id} tier (common advice, not a limit Microsoft publishes; ${tc.why}).${tierHint(tc)}`;
  const isRate = name === 'max-connect-rate' || name === 'max-msg-rate';
  const shown = isRate ? showRate(worst.value) : worst.value;
  const limitShown = isRate ? showRate(limit) : limit;
  const cmp = name === 'retry-after' ? `retries sooner than ${limitShown}` : `is above ${limitShown}`;
  const who = whoText(d, judged, worst, all, a, name);
  const forWho = who ? ` for virtual MTA ${who}` : '';
  const ofWho = who ? ` of virtual MTA ${who}` : '';
  const e = worst.e;
  let span: Span = d.primary.block.argSpan;
  let message: string;
  const related: Related[] = [];
  const edits = new Edits(model);
  const changes = all.map((o): MemberChange => ({
    m: o.m,
    from: o.e,
    value: name === 'retry-after' && o.e && a.isAnchor(o.e.db) ? raiseRetry(o.value, limit) : fixValue,
  }));
  let edited: ReturnType<typeof setForMembers>;
  let title: string | undefined;
  // the guide's spelling, which PowerMTA ignores, in a block of the queue: the fix renames it
  const guideLine = name === 'max-connect-rate' && !e ? a.value(worst.m, 'max-conn-rate') : undefined;
  const confused = guideLine && a.isAnchor(guideLine.db) ? guideLine : undefined;
  if (confused) {
    const c = confused.line;
    const cspan = { start: c.nameSpan.start, end: c.value ? c.valueSpan.end : c.nameSpan.end };
    if (confused.db.model === model) span = cspan;
    message = `max-connect-rate is not set for the ${Q} queue${forWho}: "${confused.db.model.text.slice(cspan.start, cspan.end)}" is not a PowerMTA directive and is ignored, so new connections are not limited. max-connect-rate ${limitShown} is ${tierText}`;
    if (confused.db.model === model && editable(confused.db.block)) {
      edits.replace(cspan, `max-connect-rate ${fixValue}`);
      edited = setForMembers(
        a,
        edits,
        name,
        changes.filter((x) => x.m !== worst.m),
      );
      if (edited) edited.edited.push(confused.db);
      title = `Change to "max-connect-rate ${fixValue}"`;
    }
  } else {
    if (e && a.isAnchor(e.db)) {
      if (e.db.model === model) span = e.line.valueSpan;
      message = `${name} ${shown}${forWho} ${cmp}, ${tierText}`;
    } else if (e) {
      message = `The ${Q} queue${ofWho} takes ${name} ${shown} from ${placeOf(e)} (line ${lineNo(e.db.model, e.line.start)}), which ${cmp}, ${tierText}`;
      if (e.db.model === model)
        related.push({ span: e.line.valueSpan, message: `${name} inherited by the ${Q} queue` });
    } else if (isRate) {
      message = `${name} is not set for the ${Q} queue${ofWho}, so PowerMTA does not limit it (default unlimited): ${limitShown} is ${tierText}`;
    } else {
      message = `${name} is not set for the ${Q} queue${ofWho}, so PowerMTA's default ${worst.value} applies, which ${cmp}, ${tierText}`;
    }
    edited = setForMembers(a, edits, name, changes);
    if (edited && edits.changes.length) {
      const only = edits.changes.length === 1 ? edits.changes[0] : undefined;
      if (only && only.span.start !== only.span.end) title = `Set ${name} to ${only.newText}`;
      else if (only && edited.edited.length === 1)
        title = `Add "${name} ${fixValue}" to ${blockLabel(edited.edited[0].block)}`;
      else if (only && edited.created.length === 1)
        title = `Add <domain ${Q}> with "${name} ${fixValue}" to ${blockLabel(edited.created[0])}`;
      else title = `Set ${name} to ${fixValue} in ${edits.changes.length} blocks`;
    }
  }
  const fix: Fix | undefined =
    title && edited
      ? { title, changes: edits.changes, isPreferred: true, safe: !edited.edited.some(coversOthers) }
      : undefined;
  ctx.report({
    span,
    message,
    fixes: limitFixes(fix, tc, declare),
    related: related.length ? related : undefined,
    severity: limitSeverity(tc),
  });
}
