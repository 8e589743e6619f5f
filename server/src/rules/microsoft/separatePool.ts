/**
 * `microsoft-separate-pool` (warning): a Microsoft variant that is rolled up into the Microsoft queue but
 * keeps limits or a route of its own. Its mail is delivered from the shared queue with that queue's
 * settings, so the variant's own max-smtp-out, rates, retry times and reroute lines do not do what they
 * say (or split its traffic from the shared pool); and a variant block nested in another virtual MTA or pool
 * than the Microsoft queue's is routed apart from it. The fix removes a line (it needs review: move it to the
 * Microsoft queue's block if it was meant).
 */
import { isMicrosoftConsumerDomain } from '../../knowledge/microsoft';
import type { Rule } from '../types';
import type { Fix } from '../../findings';
import { blockLabel, exactDomains, microsoftAnalysis } from '../../microsoft/analysis';
import { Edits, editable, queueSettingLines } from './edits';

export const separatePoolRule: Rule = {
  id: 'microsoft-separate-pool',
  defaultSeverity: 'warning',
  description:
    'A rolled-up Microsoft variant with limits or a route of its own, which defeat or contradict the rollup.',
  check(ctx) {
    const { model } = ctx;
    const a = microsoftAnalysis(ctx.root ?? model);
    if (!a.active) return;
    const Q = a.queue;
    const anchorScopes = new Set(a.anchors.map((x) => x.scope));
    for (const db of a.domainBlocks) {
      // most blocks name no Microsoft domain (customers, `*`): skip them before building lists
      if (db.model !== model || !db.patterns || !db.patterns.some(isMicrosoftConsumerDomain) || a.isAnchor(db))
        continue;
      const ms = exactDomains(db).filter((d) => isMicrosoftConsumerDomain(d) && d !== Q && a.statusOf(d).queue === Q);
      if (!ms.length) continue;
      // limits and routes in the variant's own block
      const rolled = ms.filter((d) => a.statusOf(d).holder === db);
      if (rolled.length) {
        const who = rolled.length === 1 ? rolled[0] : `the ${rolled.length} domains of ${blockLabel(db.block)}`;
        const via = a.statusOf(rolled[0]).via === 'mx-rollup-list' ? 'by the <mx-rollup-list>' : 'by queue-to';
        for (const l of queueSettingLines(db.block)) {
          const span = { start: l.nameSpan.start, end: l.value ? l.valueSpan.end : l.nameSpan.end };
          const text = model.text.slice(span.start, span.end);
          const routing = l.name.includes('reroute');
          const message = routing
            ? `"${text}" routes ${who} apart from the ${Q} queue it is rolled into (${via}): its connections would not count against the shared limits. Route the ${Q} queue as a whole instead.`
            : `"${text}" does not limit ${who}: its mail is rolled into the ${Q} queue (${via}) and delivered with that queue's settings. Set limits in the ${Q} block.`;
          const fixes: Fix[] = [];
          if (editable(db.block)) {
            const e = new Edits(model);
            e.removeLine(l);
            fixes.push({ title: `Remove "${text}"`, changes: e.changes, isPreferred: true, safe: false });
          }
          ctx.report({ span, message, fixes });
        }
      }
      // a variant block inside another virtual MTA or pool than the Microsoft queue's
      if (db.scope && !anchorScopes.has(db.scope)) {
        const where = a.anchors.length
          ? a.anchors.map((x) => (x.scope ? `inside ${blockLabel(x.scope)}` : 'at the top level')).join(', ')
          : 'nowhere';
        ctx.report({
          span: db.block.argSpan,
          message: `${blockLabel(db.block)} is inside ${blockLabel(db.scope)}, but the ${Q} queue it is rolled into is configured ${where}: mail sent through ${db.scope.arg} reaches Microsoft from other IPs than the ones its limits and connection budget were planned for. Configure the variants where the ${Q} queue is.`,
        });
      }
    }
  },
};
