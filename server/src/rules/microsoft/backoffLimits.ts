/**
 * `microsoft-backoff-limits` (information): the Microsoft queue's pattern list switches it to backoff mode,
 * and what it does meanwhile, judged from what is set, is more than common advice: PowerMTA has no per-rule
 * retry time or connection count (the guide's "retry-after=4h" and "max-smtp-out=2" on a pattern); while
 * backed off it uses backoff-max-msg-rate (default: the normal max-msg-rate), backoff-max-smtp-out (default
 * 20) and backoff-retry-after (default 1h). A directive that is not set is reported only when PowerMTA's
 * fallback does more than the advice: no backoff-max-msg-rate is fine when max-msg-rate already keeps the
 * queue at the advised backoff rate, and the number of connections does not matter while the message rate
 * is that low (one message a minute keeps no more than a connection or two busy). The fix adds the missing
 * directives the finding names; it slows the queue down while Microsoft throttles it, so it is applied
 * without review only once the volume tier is declared (rules/microsoft/policy.ts). The queue is judged per
 * virtual MTA (the worst is reported; a queue sent to a relay is not judged).
 */
import { MICROSOFT_BACKOFF_DIRECTIVES } from '../../knowledge/microsoft';
import { parseDuration, parseRate } from '../../knowledge/values';
import type { Rule } from '../types';
import type { Fix } from '../../findings';
import {
  coversOthers,
  defaultOf,
  microsoftAnalysis,
  type MemberQueue,
  type MicrosoftAnalysis,
} from '../../microsoft/analysis';
import { Edits, editable, lastAnchorOf } from './edits';
import { attachedLists } from '../../microsoft/patternLists';
import { backoffLineFor } from '../../microsoft/recommend';
import { chooseTier } from '../../microsoft/tiers';
import { heldUntilDeclared } from './policy';

/** The advised value of a backoff directive. */
function advised(name: string): string {
  return MICROSOFT_BACKOFF_DIRECTIVES.find((d) => d.name === name)!.value;
}

/** Messages a second; Infinity for unlimited; undefined when the value cannot be read. */
function rateOf(v: string): number | undefined {
  const r = parseRate(v);
  return r ? (r.unlimited ? Infinity : r.perSecond) : undefined;
}

/** A backoff directive that is not set, and what PowerMTA does instead (for the message). */
interface Missing {
  name: string;
  effect: string;
}

/**
 * The backoff directives missing from a member's queue whose fallback does more than the advice, and the
 * message rate while backed off (to tell the worse of two members with as many missing).
 */
function missingOf(a: MicrosoftAnalysis, m: MemberQueue): { missing: Missing[]; rate: number } {
  const out: Missing[] = [];
  // the message rate while backed off: backoff-max-msg-rate, else the normal max-msg-rate, else unlimited
  const bRate = a.value(m, 'backoff-max-msg-rate');
  const normalRate = a.value(m, 'max-msg-rate');
  const advisedRate = rateOf(advised('backoff-max-msg-rate'))!;
  const fallbackRate = normalRate ? rateOf(normalRate.value) : Infinity;
  const rate = bRate ? rateOf(bRate.value) : fallbackRate;
  const slow = rate !== undefined && rate <= advisedRate * (1 + 1e-9);
  if (!bRate && fallbackRate !== undefined && fallbackRate > advisedRate * (1 + 1e-9)) {
    out.push({
      name: 'backoff-max-msg-rate',
      effect: normalRate
        ? `backoff-max-msg-rate (not set, so the queue's max-msg-rate ${normalRate.value} applies while Microsoft throttles; common advice: ${advised('backoff-max-msg-rate')})`
        : `backoff-max-msg-rate (not set, and max-msg-rate neither: no message limit while Microsoft throttles; common advice: ${advised('backoff-max-msg-rate')})`,
    });
  }
  // connections while backed off matter only when the message rate does not already keep the queue slow
  const dflt = Number(defaultOf('backoff-max-smtp-out') ?? '20');
  if (!a.value(m, 'backoff-max-smtp-out') && !slow && dflt > Number(advised('backoff-max-smtp-out'))) {
    const normal = a.value(m, 'max-smtp-out');
    const n = normal && /^\d+$/.test(normal.value) ? Number(normal.value) : Number(defaultOf('max-smtp-out') ?? '20');
    const cmp =
      dflt > n
        ? `, more than its max-smtp-out ${n}: more connections while Microsoft throttles than in normal mode`
        : dflt === n
          ? ': as many connections while Microsoft throttles as in normal mode'
          : '';
    out.push({
      name: 'backoff-max-smtp-out',
      effect: `backoff-max-smtp-out (default ${dflt}${cmp}; common advice: ${advised('backoff-max-smtp-out')})`,
    });
  }
  // retries while backed off: PowerMTA's default retries every hour; the advice ends at one attempt every 4h
  if (!a.value(m, 'backoff-retry-after')) {
    const dv = defaultOf('backoff-retry-after') ?? '1h';
    const last = (v: string) => parseDuration(v.split(',').pop()!.trim());
    const d = last(dv);
    const adv = last(advised('backoff-retry-after'));
    if (d !== undefined && adv !== undefined && d < adv) {
      out.push({
        name: 'backoff-retry-after',
        effect: `backoff-retry-after (default ${dv}: a retry every ${dv} however long Microsoft throttles; common advice: 30m, then 2h, then 4h)`,
      });
    }
  }
  // in the order the advice writes them (and the fix adds them)
  const order = MICROSOFT_BACKOFF_DIRECTIVES.map((x) => x.name);
  return { missing: out.sort((x, y) => order.indexOf(x.name) - order.indexOf(y.name)), rate: rate ?? 0 };
}

export const backoffLimitsRule: Rule = {
  id: 'microsoft-backoff-limits',
  defaultSeverity: 'information',
  description:
    'The Microsoft queue backs off on Microsoft replies, but without backoff-max-msg-rate, backoff-max-smtp-out or backoff-retry-after it keeps more pace while throttled than common advice.',
  check(ctx) {
    const { model } = ctx;
    const a = microsoftAnalysis(ctx.root ?? model);
    if (!a.active) return;
    for (const d of a.deliveries) {
      if (d.primary.model !== model) continue;
      // the virtual MTA with the most missing, then the fastest while backed off
      let worst:
        { m: MemberQueue; att: ReturnType<typeof attachedLists>; missing: Missing[]; rate: number } | undefined;
      for (const m of d.members) {
        if (a.relayOf(m)) continue;
        const att = attachedLists(a, m);
        if (!att.backsOff) continue;
        const { missing, rate } = missingOf(a, m);
        if (
          missing.length &&
          (!worst ||
            missing.length > worst.missing.length ||
            (missing.length === worst.missing.length && rate > worst.rate))
        )
          worst = { m, att, missing, rate };
      }
      if (!worst) continue;
      const { m, att, missing } = worst;
      const who = m.vmta && d.members.length > 1 && m.own.length ? ` of virtual MTA ${m.vmta}` : '';
      const message = `The pattern list puts the ${a.queue} queue${who} in backoff mode, but ${missing.length === 1 ? 'this is' : 'these are'} not set: ${missing.map((x) => x.effect).join('; ')}.`;
      const first = att.lines[0];
      const span = first && first.db.model === model ? first.line.valueSpan : d.primary.block.argSpan;
      const fixes: Fix[] = [];
      const anchor = lastAnchorOf(a, m);
      if (anchor && anchor.model === model && editable(anchor.block)) {
        const e = new Edits(model);
        e.appendLines(
          anchor.block,
          missing.map((x) => backoffLineFor(a, m, x.name)!),
        );
        const fix: Fix = {
          title: `Add ${missing.map((x) => x.name).join(', ')}`,
          changes: e.changes,
          isPreferred: true,
          safe: !coversOthers(anchor),
        };
        fixes.push(heldUntilDeclared(fix, chooseTier(a, d, ctx.settings)));
      }
      ctx.report({ span, message, fixes });
    }
  },
};
