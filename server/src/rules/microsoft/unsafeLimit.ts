/**
 * `microsoft-unsafe-limit` (warning): the Microsoft queue allows more than common advice (a widely copied
 * PowerMTA guide; Microsoft publishes no such limits) recommends for the sender's volume tier: `max-smtp-out`, `max-connect-rate` or `max-msg-rate` above, or `retry-after` below,
 * the tier's value. A limit that is not set is judged by the value PowerMTA uses instead: the one inherited
 * from a more general block (`<domain *>`) or PowerMTA's default (max-smtp-out 20, retry-after 10m, rates
 * unlimited). Rates are compared after normalising units (`0.5/s` = `30/m` = `1800/h`).
 *
 * The guide's `max-conn-rate` is not a PowerMTA directive: only `max-connect-rate` is judged, and when only
 * that spelling is there the message says PowerMTA ignores it (the fix renames it and sets the value).
 *
 * The tier: `# pmta-lint: microsoft-tier=…`, else the `microsoft.volumeTier` setting, else inferred from the
 * pool (see microsoft/tiers.ts chooseTier). An annotation value that names no tier is the `annotation` rule's.
 */
import type { Span } from '../../parser/ast';
import { parseDuration, parseRate } from '../../knowledge/values';
import type { Rule } from '../types';
import type { Fix, Related } from '../../findings';
import { blockLabel, coversOthers, defaultOf, directiveOf, microsoftAnalysis, shortestInterval } from '../../microsoft/analysis';
import { lineNo } from '../../model';
import { LIMIT_NAMES, targetMaxSmtpOut, tierValue, type LimitName } from '../../microsoft/recommend';
import { chooseTier, tierHint } from '../../microsoft/tiers';
import { Edits, editable } from './edits';

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

/** Is `value` too permissive compared with the tier's `limit`? undefined when the value cannot be read. */
function tooPermissive(name: LimitName, value: string, limit: string): boolean | undefined {
  switch (name) {
    case 'max-smtp-out':
      return /^\d+$/.test(value.trim()) ? Number(value) > Number(limit) : undefined;
    case 'max-connect-rate':
    case 'max-msg-rate': {
      const r = parseRate(value);
      const l = parseRate(limit)!;
      return r ? r.perSecond > l.perSecond * (1 + 1e-9) : undefined;
    }
    case 'retry-after': {
      const s = shortestInterval(value);
      return s === undefined ? undefined : s < parseDuration(limit)!;
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


export const unsafeLimitRule: Rule = {
  id: 'microsoft-unsafe-limit',
  defaultSeverity: 'warning',
  description: "Microsoft queue limits (max-smtp-out, max-connect-rate, max-msg-rate, retry-after) looser than common advice recommends for the sender's volume tier (the tiers of a widely copied PowerMTA guide; Microsoft publishes no such limits).",
  check(ctx) {
    const { model, settings } = ctx;
    const a = microsoftAnalysis(ctx.root ?? model);
    if (!a.active) return;
    const Q = a.queue;
    for (const anchor of a.anchors) {
      if (anchor.model !== model) continue;
      const tc = chooseTier(a, anchor, settings);
      const tier = tc.tier;
      const ch = a.queueChain(anchor);
      const canEdit = editable(anchor.block);
      const tierText = `the recommended value for the ${tier.id} tier (common advice, not a limit Microsoft publishes; ${tc.why}).${tierHint(tc)}`;
      for (const name of LIMIT_NAMES) {
        const limit = tierValue(tier, name);
        const fixValue = name === 'max-smtp-out' ? String(targetMaxSmtpOut(a, anchor, tier)) : limit;
        const e = a.effective(ch, name);
        const value = e ? e.value : defaultOf(name) ?? '';
        const bad = tooPermissive(name, value, limit);
        if (!bad) continue;
        const isRate = name === 'max-connect-rate' || name === 'max-msg-rate';
        const shown = isRate ? showRate(value) : value;
        const limitShown = isRate ? showRate(limit) : limit;
        const cmp = name === 'retry-after' ? `retries sooner than ${limitShown}` : `is above ${limitShown}`;
        let span: Span = anchor.block.argSpan;
        let message: string;
        const related: Related[] = [];
        const edits = new Edits(model);
        let title: string;
        if (e && e.db === anchor) {
          span = e.line.valueSpan;
          message = `${name} ${shown} ${cmp}, ${tierText}`;
          const newValue = name === 'retry-after' ? raiseRetry(value, limit) : fixValue;
          edits.replace(e.line.valueSpan, newValue);
          title = `Set ${name} to ${newValue}`;
        } else {
          const confused = name === 'max-connect-rate' && !e ? directiveOf(anchor.block, ['max-conn-rate']) : undefined;
          if (e) {
            message = `The ${Q} queue takes ${name} ${shown} from ${blockLabel(e.db.block)} (line ${lineNo(e.db.model, e.line.start)}), which ${cmp}, ${tierText}`;
            if (e.db.model === model) related.push({ span: e.line.valueSpan, message: `${name} inherited by the ${Q} queue` });
          } else if (isRate) {
            message = `${name} is not set for the ${Q} queue, so PowerMTA does not limit it (default unlimited); recommended: ${limitShown}, ${tierText}`;
          } else {
            message = `${name} is not set for the ${Q} queue, so PowerMTA's default ${value} applies, which ${cmp}, ${tierText}`;
          }
          if (confused) {
            span = { start: confused.nameSpan.start, end: confused.value ? confused.valueSpan.end : confused.nameSpan.end };
            message = `max-connect-rate is not set for the ${Q} queue: "${model.text.slice(span.start, span.end)}" is not a PowerMTA directive and is ignored, so new connections are not limited. Recommended: max-connect-rate ${limitShown}, ${tierText}`;
            edits.replace(span, `max-connect-rate ${fixValue}`);
            title = `Change to "max-connect-rate ${fixValue}"`;
          } else {
            edits.appendLines(anchor.block, [`${name} ${fixValue}`]);
            title = `Add "${name} ${fixValue}" to ${blockLabel(anchor.block)}`;
          }
        }
        const fixes: Fix[] = canEdit ? [{ title, changes: edits.changes, isPreferred: true, safe: !coversOthers(anchor) }] : [];
        ctx.report({ span, message, fixes, related: related.length ? related : undefined });
      }
    }
  },
};
