/**
 * The values the Microsoft fixes write: the tier's limits (capped by the connection budget), the
 * recommended pattern list and backoff directives, and a complete block for a Microsoft queue that has none.
 */
import type { Model } from '../model';
import type { Settings } from '../settings';
import {
  MICROSOFT_BACKOFF_DIRECTIVES,
  MICROSOFT_CONNECTION_BUDGET,
  MICROSOFT_PATTERN_LIST_NAME,
  renderMicrosoftPatternList,
  type MicrosoftTier,
} from '../knowledge/microsoft';
import { plainValue, type Delivery, type MemberQueue, type MicrosoftAnalysis } from './analysis';
import { chooseTier } from './tiers';
import { parseRate } from '../knowledge/values';

/** The limits the unsafe-limit rule checks, in the order fixes write them. */
export const LIMIT_NAMES = ['max-smtp-out', 'max-connect-rate', 'max-msg-rate', 'retry-after'] as const;
export type LimitName = (typeof LIMIT_NAMES)[number];

/** The tier's value of a limit, in PowerMTA syntax (integer rates). */
export function tierValue(tier: MicrosoftTier, name: LimitName): string {
  switch (name) {
    case 'max-smtp-out':
      return String(tier.maxSmtpOut);
    case 'max-connect-rate':
      return tier.maxConnectRatePmta;
    case 'max-msg-rate':
      return tier.maxMsgRate;
    case 'retry-after':
      return tier.retryAfter;
  }
}

/**
 * The max-smtp-out to write for the Microsoft queue: the tier's value, lowered so that the delivery stays
 * within the connection budget (60) when that is possible with at least one connection per virtual MTA
 * (each capped by its own `max-smtp-out`; queues sent to a relay not counted). `d` undefined: the queue's
 * top-level route.
 */
export function targetMaxSmtpOut(a: MicrosoftAnalysis, d: Delivery | undefined, tier: MicrosoftTier): number {
  let v = tier.maxSmtpOut;
  const route = d ? d.route : a.routeOf(undefined);
  if (!route) return v;
  const names = d ? d.members.filter((m) => !a.relayOf(m)).map((m) => m.vmta) : route.members;
  const caps = names.map((n) => (n ? (a.vmtaMaxSmtpOut(n) ?? Infinity) : Infinity));
  const total = (x: number) => caps.reduce((s, c) => s + Math.min(x, c), 0);
  while (v > 1 && total(v) > MICROSOFT_CONNECTION_BUDGET) v--;
  return v;
}

/** The queue judged at the top level only (no virtual MTA): for a queue without a block of its own. */
function topLevelQueue(a: MicrosoftAnalysis): MemberQueue {
  return { own: [], shared: a.chain(a.queue) };
}

/** True when no `<smtp-pattern-list microsoft-errors>` is defined in reach. */
export function needsPatternListDefinition(model: Model): boolean {
  return model.lookup('smtp-pattern-list', MICROSOFT_PATTERN_LIST_NAME).length === 0;
}

/** The recommended pattern list as lines (no outer indentation). */
export function patternListLines(unit: string): string[] {
  return renderMicrosoftPatternList(unit, '\n').split('\n');
}

/**
 * A backoff directive for a member's queue, as a line to insert (`name value   # comment`), or undefined
 * when the queue needs none. The advice, never more than the queue does in normal mode:
 * backoff-max-smtp-out is at most the queue's max-smtp-out (while backed off PowerMTA allows its own
 * default, 20 connections, whatever max-smtp-out says: `max-smtp-out 1` and the advised 2 would double the
 * connections while Microsoft throttles), and backoff-max-msg-rate is left out when max-msg-rate is
 * already at or below the advice (PowerMTA keeps max-msg-rate while backed off when it is not set).
 */
export function backoffLineFor(a: MicrosoftAnalysis, m: MemberQueue, name: string): string | undefined {
  const d = MICROSOFT_BACKOFF_DIRECTIVES.find((x) => x.name === name)!;
  if (name === 'backoff-max-smtp-out') {
    const normal = a.value(m, 'max-smtp-out');
    const n = normal && /^\d+$/.test(normal.value) ? Number(normal.value) : undefined;
    if (n !== undefined && n < Number(d.value))
      return `${d.name} ${n}   # no more connections while throttled than max-smtp-out ${n}`;
  } else if (name === 'backoff-max-msg-rate') {
    const normal = a.value(m, 'max-msg-rate');
    const rate = normal ? parseRate(normal.value) : undefined;
    const advised = parseRate(d.value)!;
    if (rate && !rate.unlimited && rate.perSecond <= advised.perSecond * (1 + 1e-9)) return undefined;
  }
  return `${d.name} ${d.value}   # ${d.comment}`;
}

/** Backoff directive lines missing from a member's queue (as `name value   # comment`; see {@link backoffLineFor}). */
export function missingBackoffLines(a: MicrosoftAnalysis, m: MemberQueue): string[] {
  const out: string[] = [];
  for (const d of MICROSOFT_BACKOFF_DIRECTIVES) {
    if (a.value(m, d.name)) continue;
    const line = backoffLineFor(a, m, d.name);
    if (line) out.push(line);
  }
  return out;
}

/** How a fix title names the backoff directives it adds too: ` and add NAME, NAME`, or nothing. */
export function addingBackoff(lines: readonly string[]): string {
  const names = [...new Set(lines.map((l) => l.slice(0, l.indexOf(' '))))];
  return names.length ? ` and add ${names.join(', ')}` : '';
}

/**
 * A complete `<domain QUEUE>` block for a Microsoft queue that has no block: the tier's limits, the pattern
 * list (the inherited lists are attached again, since a block's own list replaces them), the backoff
 * directives and DKIM signing, each only when `<domain *>` does not already provide it well.
 * Returns the blocks to insert (the pattern list definition first when it is missing), and whether the
 * result needs review.
 */
export function completeQueueBlocks(
  a: MicrosoftAnalysis,
  settings: Settings,
  unit: string,
): { blocks: string[][]; review: boolean } {
  const tier = chooseTier(a, undefined, settings).tier;
  const q = topLevelQueue(a);
  const ch = q.shared;
  const body: string[] = [
    `max-smtp-out ${targetMaxSmtpOut(a, undefined, tier)}`,
    `max-connect-rate ${tier.maxConnectRatePmta}`,
    `max-msg-rate ${tier.maxMsgRate}`,
    `retry-after ${tier.retryAfter}`,
  ];
  const inherited = a.effectiveAll(ch, 'smtp-pattern-list').map((e) => e.line.value);
  for (const name of inherited)
    if (name.toLowerCase() !== MICROSOFT_PATTERN_LIST_NAME) body.push(`smtp-pattern-list ${name}`);
  body.push(`smtp-pattern-list ${MICROSOFT_PATTERN_LIST_NAME}`);
  body.push(...missingBackoffLines(a, q));
  const dkim = a.value(q, 'dkim-sign');
  if (!dkim || !isSigning(plainValue(dkim.line))) body.push('dkim-sign yes');
  const blocks: string[][] = [];
  if (needsPatternListDefinition(a.model)) blocks.push(patternListLines(unit));
  blocks.push([`<domain ${a.queue}>`, ...body.map((l) => unit + l), '</domain>']);
  // re-attaching inherited lists is a guess about how PowerMTA merges them: worth a look
  return { blocks, review: inherited.length > 0 };
}

/** dkim-sign values that sign (the conditional form counts: the sender chose it). */
export function isSigning(v: string): boolean {
  return ['yes', 'true', 'if-x-dkim-options-present'].includes(v.toLowerCase());
}
