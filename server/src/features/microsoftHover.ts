/**
 * Hover text for the Microsoft analysis: on the argument of a `<virtual-mta-pool>` that carries Microsoft
 * mail, and on the argument of a `<domain>` block that shapes Microsoft mail, the total number of
 * simultaneous connections to Microsoft and how it was computed. Markdown; undefined elsewhere.
 */
import { MICROSOFT_CONNECTION_BUDGET } from '../knowledge/microsoft';
import type { Model } from '../model';
import type { Span } from '../parser/ast';
import type { Settings } from '../settings';
import {
  blockLabel,
  exactDomains,
  microsoftAnalysis,
  type Delivery,
  type MicrosoftAnalysis,
} from '../microsoft/analysis';
import { relayText } from './microsoft';
import { plural } from '../util/phrases';
import { describeConnections } from '../microsoft/connections';
import { chooseTier } from '../microsoft/tiers';

function within(s: Span, offset: number): boolean {
  return offset >= s.start && offset <= s.end;
}

function connectionLines(a: MicrosoftAnalysis, d: Delivery | undefined, settings: Settings): string[] {
  const out: string[] = [];
  const c = describeConnections(a, d);
  if (c) {
    const verdict =
      c.total > MICROSOFT_CONNECTION_BUDGET
        ? `above the budget of ${MICROSOFT_CONNECTION_BUDGET} that common advice gives (not a Microsoft limit)`
        : `within the budget of ${MICROSOFT_CONNECTION_BUDGET} that common advice gives (not a Microsoft limit)`;
    out.push(`Connections to Microsoft: ${c.text}, ${verdict}.`);
    out.push(`Route: ${c.route.how}.`);
  } else {
    out.push(
      'Connections to Microsoft: unknown (no pool or virtual MTA found for this queue, or max-smtp-out cannot be read).',
    );
  }
  const t = chooseTier(a, d, settings);
  out.push(
    `Volume tier: ${t.tier.id} (${t.why.replace(/^tier /, '')}${t.assumed ? '; not declared, so the findings about limits are information and neither --fix nor "fix all" changes them' : ''}).`,
  );
  return out;
}

/** Block tags in code spans, so that Markdown does not take them for HTML. */
function md(text: string): string {
  return text.replace(/<(\/?[a-z][a-z-]*(?: [^<>]*)?)>/g, '`<$1>`');
}

/** `config`: the configuration the file is part of (a file that includes it), when there is one. */
export function microsoftHover(
  model: Model,
  offset: number,
  settings: Settings,
  config: Model = model,
): string | undefined {
  const text = hoverText(model, offset, settings, config);
  return text === undefined ? undefined : md(text);
}

function hoverText(model: Model, offset: number, settings: Settings, config: Model): string | undefined {
  const a = microsoftAnalysis(config);
  if (!a.active) return undefined;
  const Q = a.queue;
  for (const b of model.blocks) {
    if (b.name !== 'virtual-mta-pool' || !within(b.argSpan, offset)) continue;
    const mine = a.deliveries.filter((d) => d.route?.block === b);
    if (!mine.length) {
      const other = a.deliveries.map((d) => d.route).find((r) => r);
      return other
        ? `**Microsoft mail** (the ${Q} queue) does not go through this pool: it uses ${other.kind === 'pool' ? 'pool' : 'virtual MTA'} ${other.name} (${other.how}).`
        : undefined;
    }
    const lines = [`**Microsoft mail** (the ${Q} queue) goes through this pool.`];
    for (const d of mine)
      lines.push(
        '',
        `${blockLabel(d.primary.block)}${d.anchors.length > 1 ? ` and ${plural(d.anchors.length - 1, 'other block')} of the queue` : ''}:`,
        ...connectionLines(a, d, settings).map((l) => `- ${l}`),
      );
    return lines.join('\n');
  }
  for (const db of a.domainBlocks) {
    if (db.model !== model || !within(db.block.argSpan, offset)) continue;
    if (a.isAnchor(db)) {
      const rolled = a.required.filter((d) => a.status.get(d)!.queue === Q);
      const lines = [`**Microsoft queue ${Q}**`, ''];
      lines.push(...connectionLines(a, a.deliveryOf(db), settings).map((l) => `- ${l}`));
      lines.push(`- Rolled into it: ${rolled.length} of the ${a.required.length} Microsoft consumer domains checked.`);
      const relay = relayText(a, model);
      if (relay) lines.push(`- ${relay.replace(/\*\*Relay:\*\* /, 'Relay: ').replace(/`/g, '')}`);
      return lines.join('\n');
    }
    const ms = exactDomains(db).filter(
      (d) => a.statusOf(d).holder === db && (a.required.includes(d) || a.configured.includes(d)),
    );
    if (!ms.length) continue;
    const lines = ['**Microsoft queues**', ''];
    for (const d of ms.slice(0, 12)) {
      const st = a.statusOf(d);
      lines.push(
        st.queue === Q
          ? `- ${d} goes into the ${Q} queue (${st.via === 'mx-rollup-list' ? '<mx-rollup-list>' : 'queue-to'}) and shares its limits.`
          : `- ${d} keeps a queue of its own (${st.queue}): its connections add to those of the ${Q} queue.`,
      );
    }
    if (ms.length > 12) lines.push(`- … and ${ms.length - 12} more.`);
    return lines.join('\n');
  }
  return undefined;
}
