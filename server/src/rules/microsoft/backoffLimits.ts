/**
 * `microsoft-backoff-limits` (information): the Microsoft queue's pattern list switches it to backoff mode,
 * but the backoff directives that say how to behave meanwhile are not set. PowerMTA has no per-rule retry
 * time or connection count (the guide's "retry-after=4h" and "max-smtp-out=2" on a pattern): while backed off
 * it uses backoff-retry-after (default 1h), backoff-max-smtp-out (default 20, more than any tier allows in
 * normal mode) and backoff-max-msg-rate. The fix adds the values derived from the guide's advice.
 */
import { MICROSOFT_BACKOFF_DIRECTIVES } from '../../knowledge/microsoft';
import type { Rule } from '../types';
import type { Fix } from '../../findings';
import { coversOthers, defaultOf, microsoftAnalysis } from '../../microsoft/analysis';
import { Edits, editable } from './edits';
import { attachedLists } from '../../microsoft/patternLists';
import { missingBackoffLines } from '../../microsoft/recommend';

export const backoffLimitsRule: Rule = {
  id: 'microsoft-backoff-limits',
  defaultSeverity: 'information',
  description: 'The Microsoft queue backs off on Microsoft replies but does not set backoff-max-smtp-out, backoff-retry-after or backoff-max-msg-rate.',
  check(ctx) {
    const { model } = ctx;
    const a = microsoftAnalysis(ctx.root ?? model);
    if (!a.active) return;
    for (const anchor of a.anchors) {
      if (anchor.model !== model) continue;
      const att = attachedLists(a, anchor);
      if (!att.backsOff) continue;
      const ch = a.queueChain(anchor);
      const absent = MICROSOFT_BACKOFF_DIRECTIVES.filter((d) => !a.effective(ch, d.name));
      if (!absent.length) continue;
      const effects = absent.map((d) => {
        const dflt = defaultOf(d.name) ?? 'unlimited';
        if (d.name === 'backoff-max-smtp-out') return `backoff-max-smtp-out (default ${dflt}: as many connections as ever while Microsoft throttles; common advice: ${d.value})`;
        if (d.name === 'backoff-retry-after') return `backoff-retry-after (default ${dflt}; common advice: 30m, then 2h, then 4h)`;
        if (d.name === 'backoff-max-msg-rate') return `backoff-max-msg-rate (default: the normal max-msg-rate; recommended ${d.value})`;
        return `${d.name} (recommended ${d.value})`;
      });
      const message = `The pattern list puts the ${a.queue} queue in backoff mode, but ${absent.length === 1 ? 'this is' : 'these are'} not set: ${effects.join('; ')}.`;
      const first = att.lines[0];
      const span = first && first.db.model === model ? first.line.valueSpan : anchor.block.argSpan;
      const fixes: Fix[] = [];
      if (editable(anchor.block)) {
        const e = new Edits(model);
        e.appendLines(anchor.block, missingBackoffLines(a, ch));
        fixes.push({ title: `Add ${absent.map((d) => d.name).join(', ')}`, changes: e.changes, isPreferred: true, safe: !coversOthers(anchor) });
      }
      ctx.report({ span, message, fixes });
    }
  },
};
