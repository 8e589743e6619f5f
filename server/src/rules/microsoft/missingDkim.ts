/**
 * `microsoft-missing-dkim` (warning): the Microsoft queue does not DKIM-sign. Signing is switched on per
 * domain with `dkim-sign yes` (in the queue's block, or inherited from `<domain *>`); `domain-key` only
 * provides keys (global, virtual-mta or pool level), so keys alone do not count. Outlook.com rejects mail
 * from senders of more than 5,000 messages a day that does not pass DKIM, SPF and DMARC (550 5.7.515).
 * `dkim-sign if-x-dkim-options-present` counts as signing: the sender chose it.
 */
import type { Span } from '../../parser/ast';
import type { Rule } from '../types';
import type { Fix, Related } from '../../findings';
import { blockLabel, coversOthers, microsoftAnalysis, plainValue } from '../../microsoft/analysis';
import { lineNo } from '../../model';
import { Edits, editable } from './edits';
import { isSigning } from '../../microsoft/recommend';

export const missingDkimRule: Rule = {
  id: 'microsoft-missing-dkim',
  defaultSeverity: 'warning',
  description: 'A Microsoft queue that does not DKIM-sign (no "dkim-sign yes" in its block or in <domain *>).',
  check(ctx) {
    const { model } = ctx;
    const a = microsoftAnalysis(ctx.root ?? model);
    if (!a.active) return;
    for (const anchor of a.anchors) {
      if (anchor.model !== model) continue;
      const e = a.effective(a.queueChain(anchor), 'dkim-sign');
      if (e && isSigning(plainValue(e.line))) continue;
      let span: Span = anchor.block.argSpan;
      let reason: string;
      const related: Related[] = [];
      const edits = new Edits(model);
      if (e && e.db === anchor) {
        span = e.line.valueSpan;
        reason = `"dkim-sign ${e.value}"`;
        edits.replace(e.line.valueSpan, 'yes');
      } else {
        if (e) {
          reason = `it inherits "dkim-sign ${e.value}" from ${blockLabel(e.db.block)} (line ${lineNo(e.db.model, e.line.start)})`;
          if (e.db.model === model) related.push({ span: e.line.valueSpan, message: 'the dkim-sign the queue inherits' });
        } else reason = 'no "dkim-sign yes" in its block or in <domain *>, and PowerMTA does not sign by default';
        edits.appendLines(anchor.block, ['dkim-sign yes']);
      }
      let message = `The ${a.queue} queue is not DKIM-signed: ${reason}. Outlook.com rejects mail without passing DKIM, SPF and DMARC from senders of more than 5,000 messages a day (550 5.7.515).`;
      if (!a.hasDomainKey) message += ' Signing also needs a domain-key line (selector, domain, key file); this configuration has none yet.';
      const fixes: Fix[] = editable(anchor.block) ? [{ title: 'Sign with DKIM: dkim-sign yes', changes: edits.changes, isPreferred: true, safe: !coversOthers(anchor) }] : [];
      ctx.report({ span, message, fixes, related: related.length ? related : undefined });
    }
  },
};
