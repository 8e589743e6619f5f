/**
 * `microsoft-missing-dkim` (warning): the Microsoft queue does not DKIM-sign. Signing is switched on per
 * domain with `dkim-sign yes` (in the queue's block, or inherited from `<domain *>`); `domain-key` only
 * provides keys (global, virtual-mta or pool level), so keys alone do not count. Outlook.com rejects mail
 * from senders of more than 5,000 messages a day that does not pass DKIM, SPF and DMARC (550 5.7.515).
 * `dkim-sign if-x-dkim-options-present` counts as signing: the sender chose it. The queue is judged per
 * virtual MTA (its own blocks first): one that does not sign is named. Signing does not change throughput,
 * so the fix is safe whatever the volume tier.
 */
import type { Span } from '../../parser/ast';
import type { Rule } from '../types';
import type { Fix, Related } from '../../findings';
import { blockLabel, coversOthers, microsoftAnalysis, plainValue } from '../../microsoft/analysis';
import { lineNo } from '../../model';
import { Edits, setForMembers } from './edits';
import { listNames } from '../../microsoft/connections';
import { isSigning } from '../../microsoft/recommend';

export const missingDkimRule: Rule = {
  id: 'microsoft-missing-dkim',
  defaultSeverity: 'warning',
  description: 'A Microsoft queue that does not DKIM-sign (no "dkim-sign yes" in its block or in <domain *>).',
  check(ctx) {
    const { model } = ctx;
    const a = microsoftAnalysis(ctx.root ?? model);
    if (!a.active) return;
    for (const d of a.deliveries) {
      if (d.primary.model !== model) continue;
      const unsigned = d.members
        .map((m) => ({ m, e: a.value(m, 'dkim-sign') }))
        .filter((x) => !(x.e && isSigning(plainValue(x.e.line))));
      if (!unsigned.length) continue;
      const { m, e } = unsigned[0];
      const differ = unsigned.length < d.members.length || !!e?.db.scope;
      const who = differ && m.vmta ? ` for virtual MTA ${listNames(unsigned.map((x) => x.m.vmta ?? ''))}` : '';
      let span: Span = d.primary.block.argSpan;
      let reason: string;
      const related: Related[] = [];
      if (e && a.isAnchor(e.db)) {
        if (e.db.model === model) span = e.line.valueSpan;
        reason = `"dkim-sign ${e.value}"${e.db.scope ? ` in ${blockLabel(e.db.block)} inside ${blockLabel(e.db.scope)}` : ''}`;
      } else if (e) {
        reason = `it inherits "dkim-sign ${e.value}" from ${blockLabel(e.db.block)}${e.db.scope ? ` inside ${blockLabel(e.db.scope)}` : ''} (line ${lineNo(e.db.model, e.line.start)})`;
        if (e.db.model === model) related.push({ span: e.line.valueSpan, message: 'the dkim-sign the queue inherits' });
      } else reason = 'no "dkim-sign yes" in its block or in <domain *>, and PowerMTA does not sign by default';
      let message = `The ${a.queue} queue is not DKIM-signed${who}: ${reason}. Outlook.com rejects mail without passing DKIM, SPF and DMARC from senders of more than 5,000 messages a day (550 5.7.515).`;
      if (!a.hasDomainKey)
        message +=
          ' Signing also needs a domain-key line (selector, domain, key file); this configuration has none yet.';
      const edits = new Edits(model);
      const edited = setForMembers(
        a,
        edits,
        'dkim-sign',
        unsigned.map((x) => ({ m: x.m, from: x.e, value: 'yes' })),
      );
      // signing does not change how fast the queue sends: safe whatever the volume tier
      const fixes: Fix[] =
        edited && edits.changes.length
          ? [
              {
                title: 'Sign with DKIM: dkim-sign yes',
                changes: edits.changes,
                isPreferred: true,
                safe: !edited.edited.some(coversOthers),
              },
            ]
          : [];
      ctx.report({ span, message, fixes, related: related.length ? related : undefined });
    }
  },
};
