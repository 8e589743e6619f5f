/**
 * `microsoft-mx-rollup-directive` (error): `mx-rollup outlook.com`, copied from a widely copied guide, is not a
 * PowerMTA directive. PowerMTA shares a queue with `queue-to NAME` in the domain's block (or rolls up by MX
 * host with an `<mx-rollup-list>`). The fix writes `queue-to` in a variant's block and removes the line from
 * the Microsoft queue's own block, where it has nothing to do.
 */
import { isMicrosoftConsumerDomain } from '../../knowledge/microsoft';
import type { Rule } from '../types';
import type { Fix } from '../../findings';
import { blockLabel, directivesOf, exactDomains, microsoftAnalysis, plainValue } from '../../microsoft/analysis';
import { Edits, editable, queueSettingLines } from './edits';

const NOT_PMTA =
  'is not a PowerMTA directive (it comes from blog posts); PowerMTA refuses to load a configuration that contains it.';

export const mxRollupDirectiveRule: Rule = {
  id: 'microsoft-mx-rollup-directive',
  defaultSeverity: 'error',
  description:
    '"mx-rollup X" is not a PowerMTA directive; the fix writes "queue-to X" in a variant\'s block, or removes the line from the queue\'s own block.',
  check(ctx) {
    const { model } = ctx;
    const a = microsoftAnalysis(ctx.root ?? model);
    for (let dI = 0, dList = model.directives; dI < dList.length; dI++) {
      const d = dList[dI];
      if (d.name !== 'mx-rollup') continue;
      const span = { start: d.nameSpan.start, end: d.value ? d.valueSpan.end : d.nameSpan.end };
      const written = model.text.slice(span.start, span.end);
      const b = d.parent;
      const db = b && b.name === 'domain' ? a.domainBlockOf(b) : undefined;
      const raw = d.value ? plainValue(d).replace(/^"|"$/g, '') : '';
      const target = raw && a.active && (isMicrosoftConsumerDomain(raw) || raw === a.queue) ? a.queue : raw;
      const fixes: Fix[] = [];
      let message: string;
      if (!db || !b) {
        message = `"${written}" ${NOT_PMTA} Outside a <domain> block it has no meaning either: remove it (queues are shared with "queue-to" in a <domain> block, or by MX host in an <mx-rollup-list>).`;
        if (!b || editable(b)) {
          const e = new Edits(model);
          e.removeLine(d);
          fixes.push({ title: 'Remove the mx-rollup line', changes: e.changes, isPreferred: true, safe: false });
        }
      } else {
        const existing = directivesOf(b, 'queue-to');
        const own = !target || exactDomains(db).includes(target) || (target === a.queue && a.isAnchor(db));
        if (own || existing.length) {
          message = own
            ? `"${written}" ${NOT_PMTA} ${blockLabel(b)} is the ${target ? target + ' queue' : 'queue'}'s own block, so the line has nothing to do here: remove it.`
            : `"${written}" ${NOT_PMTA} ${blockLabel(b)} already has "${existing[existing.length - 1].rawName} ${existing[existing.length - 1].value}", PowerMTA's way to share a queue: remove the line.`;
          if (editable(b)) {
            const e = new Edits(model);
            e.removeLine(d);
            fixes.push({ title: 'Remove the mx-rollup line', changes: e.changes, isPreferred: true, safe: true });
          }
        } else {
          const dropped = queueSettingLines(b);
          message = `"${written}" ${NOT_PMTA} To put the mail of ${blockLabel(b)} into the ${target} queue, under its connection limits, write "queue-to ${target}".`;
          if (dropped.length)
            message += ` Its own ${[...new Set(dropped.map((l) => l.name))].join(', ')} would then no longer be used: the ${target} block decides.`;
          if (editable(b)) {
            const e = new Edits(model);
            e.replace(span, `queue-to ${target}`);
            for (const l of dropped) e.removeLine(l);
            fixes.push({
              title: dropped.length
                ? `Change to "queue-to ${target}" and remove the limits it overrides`
                : `Change to "queue-to ${target}"`,
              changes: e.changes,
              isPreferred: true,
              safe: dropped.length === 0,
            });
          }
        }
      }
      ctx.report({ span, message, fixes });
    }
  },
};
