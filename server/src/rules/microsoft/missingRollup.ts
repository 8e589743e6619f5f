/**
 * `microsoft-missing-rollup` (warning): the configuration shapes Microsoft consumer mail, but some Microsoft
 * consumer domains do not end in the same queue, so each of them opens its own connections to Microsoft's
 * shared servers (the guide: "without mx-rollup, PowerMTA opens separate connection pools per domain").
 *
 * Rolled up means what PowerMTA does: `queue-to` into the Microsoft queue, or an `<mx-rollup-list>` entry
 * that covers Microsoft's consumer MX hosts. A `<domain $macro>` block is not a rollup: every domain of the
 * macro keeps its own queue, and the message says how many connections that allows.
 *
 * Domains checked ("required"): the guide's ten (outlook.com and its nine variants) plus every Microsoft
 * consumer domain (certain or probable) that some `<domain>` block of the configuration names. The full list of
 * about a hundred certain domains is offered as a second, non-preferred fix (one macro and one block).
 * Domains whose block carries an `mx-rollup` line are left to microsoft-mx-rollup-directive, whose fix rolls
 * them up.
 *
 * Rolling up and the new queue block both change how fast Microsoft mail goes out (many queues with their own
 * connections become one), so --fix and fix all apply them only once the volume tier is declared (policy.ts);
 * until then they are offered, the message says why, and the actions that declare the volume come last.
 */
import { MICROSOFT_CONSUMER_DOMAINS, isMicrosoftConsumerDomain } from '../../knowledge/microsoft';
import type { Block, Span } from '../../parser/ast';
import type { Rule } from '../types';
import type { Fix, Related } from '../../findings';
import { indentUnit } from '../util';
import {
  blockLabel,
  exactDomains,
  maxSmtpOutOf,
  microsoftAnalysis,
  topLevel,
  type DomainBlock,
  type MicrosoftAnalysis,
} from '../../microsoft/analysis';
import { Edits, canInsertAfter, editable, renderBlock, rollBlockInto } from './edits';
import { completeQueueBlocks } from '../../microsoft/recommend';
import { memberMaxSmtpOut } from '../../microsoft/connections';
import { chooseTier } from '../../microsoft/tiers';
import { declareTierFixes } from './policy';
import { lineNo, type Model } from '../../model';
import { plural } from '../../util/phrases';

interface Plan {
  edits: Edits;
  /** Needs review: lines removed, a queue-to retargeted, a macro block rewritten, or a new block with settings. */
  review: boolean;
}

function allMicrosoft(db: DomainBlock): boolean {
  const ds = db.patterns ?? [];
  return ds.length > 0 && ds.every((p) => isMicrosoftConsumerDomain(p));
}

/**
 * Add to `e` the edits that put `domains` into the queue `target`: a new `<domain d> queue-to target` block
 * for a domain without a block of its own (inserted after `after`, following `leadBlocks`), `queue-to` in an
 * existing block. Undefined when a block that must change cannot be edited here (another file, or blog
 * pseudo-syntax).
 */
function plan(
  a: MicrosoftAnalysis,
  e: Edits,
  target: string,
  domains: readonly string[],
  after: Block | undefined,
  extraBlocks: string[][],
  leadBlocks: string[][],
  leadReview = false,
): Plan | undefined {
  const model = e.model;
  const unit = indentUnit(model);
  let review = leadReview;
  const newBlocks: string[][] = [...leadBlocks];
  const done = new Set<DomainBlock>();
  for (const d of domains) {
    const st = a.statusOf(d);
    const h = st.holder;
    if (!h || (!h.viaMacro && !exactDomains(h).includes(d)) || (h.viaMacro && !allMicrosoft(h))) {
      // no block, a wildcard block or a macro with other domains: an explicit block wins over those
      newBlocks.push(renderBlock('domain', d, [`queue-to ${target}`], unit));
      continue;
    }
    if (done.has(h)) continue;
    done.add(h);
    if (h.model !== model || !editable(h.block)) return undefined;
    if (h.viaMacro && exactDomains(h).includes(target)) {
      // <domain $m> is the target queue's own block: name the target explicitly and roll the macro into it
      if (!canInsertAfter(h.block)) return undefined;
      e.replace(h.block.argSpan, target);
      e.insertBlocksAfter(topLevel(h.block), [renderBlock('domain', h.block.arg, [`queue-to ${target}`], unit)]);
      review = true;
      continue;
    }
    const r = rollBlockInto(e, h, target);
    if (r.removed || r.retargeted) review = true;
  }
  newBlocks.push(...extraBlocks);
  if (newBlocks.length) {
    if (!canInsertAfter(after)) return undefined;
    e.insertBlocksAfter(topLevel(after), newBlocks);
  }
  return e.changes.length ? { edits: e, review } : undefined;
}

/**
 * How many connections per IP the Microsoft queue and the `others` queues open together, for the virtual
 * MTA of the queue's first delivery where that is the most (each queue's max-smtp-out as that virtual MTA
 * sees it: its own <domain> blocks first); without a delivery, as the top-level blocks set them. Undefined
 * when some max-smtp-out is not a number.
 */
function connectionsPerIp(
  a: MicrosoftAnalysis,
  others: readonly string[],
): { perQ: number; total: number; vmta?: string; same: boolean } | undefined {
  const members = (a.deliveries[0]?.members ?? []).filter((m) => !a.relayOf(m));
  const cases = members.length
    ? members.map((m) => ({
        perQ: memberMaxSmtpOut(a, m).value,
        scope: nestsDomains(m.vmtaBlock) ? m.vmtaBlock : undefined,
        vmta: m.vmta,
      }))
    : [{ perQ: maxSmtpOutOf(a, a.chain(a.queue)).value, scope: 'any' as const, vmta: undefined }];
  let worst: { perQ: number; total: number; vmta?: string; same: boolean } | undefined;
  for (const c of cases) {
    if (c.perQ === undefined) return undefined;
    let total = c.perQ;
    for (const q of others) {
      const v = maxSmtpOutOf(a, a.chain(q, c.scope)).value;
      if (v === undefined) return undefined;
      total += v;
    }
    if (!worst) worst = { perQ: c.perQ, total, vmta: c.vmta, same: true };
    else if (total !== worst.total || c.perQ !== worst.perQ) {
      const same = false;
      if (total > worst.total) worst = { perQ: c.perQ, total, vmta: c.vmta, same };
      else worst.same = same;
    }
  }
  return worst;
}

/** Whether a virtual MTA has <domain> blocks of its own (else its queues are configured as the top level's). */
function nestsDomains(b: Block | undefined): boolean {
  return !!b && b.children.some((c) => c.kind === 'block' && c.name === 'domain');
}

/** Names shown in the message; a configuration naming sixty Microsoft domains would otherwise get a paragraph of them. */
const LISTED = 10;

function list(ds: readonly string[]): string {
  if (ds.length <= LISTED + 1) return ds.join(', ');
  return `${ds.slice(0, LISTED).join(', ')} and ${ds.length - LISTED} more`;
}

/**
 * Where the finding goes: the queue's own block in this file; for a queue without a block, the first line of
 * this file sending mail into it, else a block of this file that configures a Microsoft domain. Undefined when
 * another file has the queue's block (that file reports it) or this file has no such line.
 */
function reportAt(a: MicrosoftAnalysis, model: Model): { span: Span; anchorBlock?: Block } | undefined {
  const local = a.anchors.filter((x) => x.model === model);
  if (a.anchors.length && !local.length) return undefined;
  const primary = local.find((x) => !x.scope) ?? local[0];
  if (primary) return { span: primary.block.argSpan, anchorBlock: primary.block };
  for (const d of a.configured) {
    const st = a.statusOf(d);
    if (st.queue === a.queue && st.viaLine && st.viaLine.kind === 'directive' && model.directives.includes(st.viaLine))
      return { span: st.viaLine.valueSpan };
  }
  if (a.mxRollup && a.mxRollup.model === model) return { span: a.mxRollup.line.lead[2] };
  const h = a.configured.map((d) => a.statusOf(d).holder).find((x) => x && x.model === model);
  return h ? { span: h.block.argSpan } : undefined;
}

/** Where new blocks go: after the queue's block, else after the last block of this file that configures a Microsoft domain. */
function newBlocksAfter(a: MicrosoftAnalysis, model: Model, anchorBlock: Block | undefined): Block | undefined {
  if (anchorBlock) return anchorBlock;
  const holders = a.configured
    .map((d) => a.statusOf(d).holder)
    .filter((x): x is DomainBlock => !!x && x.model === model)
    .sort((x, y) => x.index - y.index);
  return holders[holders.length - 1]?.block;
}

export const missingRollupRule: Rule = {
  id: 'microsoft-missing-rollup',
  defaultSeverity: 'warning',
  description:
    'Microsoft consumer domains (hotmail.*, live.*, msn.com, ...) that do not share the Microsoft queue and its connection limits.',
  check(ctx) {
    const { model, settings } = ctx;
    const a = microsoftAnalysis(ctx.root ?? model);
    if (!a.active) return;
    const Q = a.queue;
    const missing = a.required.filter((d) => {
      const st = a.status.get(d)!;
      return st.queue !== Q && !st.mxRollupLine;
    });
    const anchorless = a.anchors.length === 0;
    if (!missing.length && !anchorless) return;

    const where = reportAt(a, model);
    if (!where) return;
    const { span } = where;
    const after = newBlocksAfter(a, model, where.anchorBlock);

    // Message.
    const parts: string[] = [];
    const related: Related[] = [];
    if (missing.length) {
      parts.push(
        `${missing.length === 1 ? 'A Microsoft consumer domain does' : `${missing.length} Microsoft consumer domains do`} not share the ${Q} queue and its connection limits: ${list(missing)} (${missing.length} of the ${a.required.length} checked: the ten that common advice rolls up and every Microsoft domain this configuration names).`,
      );
      const macros = new Map<DomainBlock, string[]>();
      for (const d of missing) {
        const h = a.statusOf(d).holder;
        if (h?.viaMacro) macros.set(h, [...(macros.get(h) ?? []), d]);
        if (h && h.model === model)
          related.push({ span: h.block.argSpan, message: `${d} keeps a queue of its own here` });
      }
      for (const [h, ds] of macros) {
        const own = maxSmtpOutOf(a, a.chain(ds[0], 'any')).value;
        const k = ds.length + (exactDomains(h).includes(Q) ? 1 : 0);
        parts.push(
          `${blockLabel(h.block)} (line ${lineNo(h.model, h.block.open.start)}) is not a rollup: each of its ${k} domains keeps a queue of its own${own !== undefined ? `, so its max-smtp-out ${own} allows up to ${k * own} connections per IP to Microsoft, not ${own}` : ''}.`,
        );
      }
      const queues = [...new Set(missing.map((d) => a.statusOf(d).queue))];
      const c = connectionsPerIp(a, queues);
      if (c) {
        // the virtual MTAs differ: name the one judged
        const where = c.vmta && !c.same ? ` on virtual MTA ${c.vmta}, where they open the most,` : '';
        parts.push(
          `Together the Microsoft queues may open up to ${c.total} connections per IP${where} instead of ${c.perQ}.`,
        );
      }
      parts.push(`Roll ${missing.length === 1 ? 'it' : 'them'} up with "queue-to ${Q}".`);
    }
    if (anchorless) {
      const dflt = maxSmtpOutOf(a, a.chain(Q)).value;
      parts.push(
        `Microsoft mail goes into the ${Q} queue, but no <domain ${Q}> block sets its limits, so it runs with <domain *> and PowerMTA's defaults${dflt !== undefined ? ` (max-smtp-out ${dflt})` : ''}.`,
      );
    }

    // Fixes.
    const fixes: Fix[] = [];
    const unit = indentUnit(model);
    const complete = anchorless ? completeQueueBlocks(a, settings, unit) : { blocks: [], review: false };
    const lead = complete.blocks;
    const main = plan(a, new Edits(model), Q, missing, after, [], lead, complete.review);
    // the rollup puts the variants' mail under the queue's limits and the new block sets the tier's: either
    // changes throughput, so it is applied without review (--fix, fix all) only once the tier is declared
    const held = chooseTier(a, undefined, settings).assumed;
    // fixes that would be applied without review were the tier declared (the others need review anyway)
    let waiting = false;
    if (main) {
      const title = missing.length
        ? `Roll up ${plural(missing.length, 'domain')} into the ${Q} queue${anchorless ? ` and add <domain ${Q}>` : ''}`
        : `Add <domain ${Q}> with the recommended Microsoft settings`;
      if (held && anchorless && missing.length) {
        // the rollup alone, without the new block and its limits: the first step, the tier being unknown
        const only = plan(a, new Edits(model), Q, missing, after, [], []);
        if (only)
          fixes.push({
            title: `Roll up ${plural(missing.length, 'domain')} into the ${Q} queue`,
            changes: only.edits.changes,
            isPreferred: true,
            safe: false,
          });
        waiting ||= !!only && !only.review;
      }
      fixes.push({ title, changes: main.edits.changes, isPreferred: !fixes.length, safe: !main.review && !held });
      waiting ||= held && !main.review;
    }
    if (waiting) {
      const roll = `Rolling ${missing.length === 1 ? 'it' : 'them'} up`;
      const what = !missing.length
        ? `Adding <domain ${Q}> changes`
        : anchorless
          ? `${roll} and adding <domain ${Q}> change`
          : `${roll} changes`;
      parts.push(
        `${what} how fast Microsoft mail goes out, so --fix and "fix all" do it only once the volume is declared with "# pmta-lint: microsoft-tier=…"; until then, make the change yourself if it suits your volume.`,
      );
    }
    const alt = useOutlookAsQueue(a, model, missing);
    if (alt) fixes.push(alt);
    const full = fullListFix(a, model, missing, after, lead);
    if (full) fixes.push(full);
    if (waiting) fixes.push(...declareTierFixes(model, a));
    ctx.report({ span, message: parts.join(' '), fixes, related: related.length ? related : undefined });
  },
};

/**
 * When the file only has variants (the Microsoft queue is a variant such as hotmail.com, and outlook.com has
 * no block): rename that block to outlook.com and roll everything, the old queue included, into outlook.com.
 */
function useOutlookAsQueue(a: MicrosoftAnalysis, model: Model, missing: readonly string[]): Fix | undefined {
  const Q = a.queue;
  const T = 'outlook.com';
  if (Q === T || !isMicrosoftConsumerDomain(Q) || a.statusOf(T).holder) return undefined;
  if (a.anchors.length !== 1) return undefined;
  const anchor = a.anchors[0];
  if (anchor.viaMacro || anchor.scope || anchor.model !== model || !editable(anchor.block)) return undefined;
  const e = new Edits(model);
  e.replace(anchor.block.argSpan, T);
  // lines that send mail into the old queue now name outlook.com
  for (const d of a.configured) {
    const st = a.statusOf(d);
    if (st.via === 'queue-to' && st.queue === Q && st.viaLine?.kind === 'directive') {
      const line = st.viaLine;
      if (!model.directives.includes(line) || !line.parent || !editable(line.parent)) return undefined;
      e.replace(line.valueSpan, T);
    }
  }
  const qBlock = renderBlock('domain', Q, [`queue-to ${T}`], indentUnit(model));
  const p = plan(
    a,
    e,
    T,
    missing.filter((d) => d !== T && d !== Q),
    anchor.block,
    [],
    [qBlock],
    true,
  );
  if (!p) return undefined;
  return { title: `Use outlook.com as the shared queue instead of ${Q}`, changes: e.changes, safe: false };
}

/** Roll up every certain Microsoft consumer domain: the main fix plus one macro and one block for the rest. */
function fullListFix(
  a: MicrosoftAnalysis,
  model: Model,
  missing: readonly string[],
  after: Block | undefined,
  lead: string[][],
): Fix | undefined {
  const Q = a.queue;
  const extra = MICROSOFT_CONSUMER_DOMAINS.filter((d) => d.certainty === 'certain')
    .map((d) => d.domain)
    .filter((d) => d !== Q && !a.required.includes(d) && !a.statusOf(d).holder && a.statusOf(d).queue !== Q);
  if (!extra.length) return undefined;
  let name = 'microsoft_consumer';
  for (let i = 2; model.macro(name); i++) name = `microsoft_consumer${i}`;
  const unit = indentUnit(model);
  const block = [
    `domain-macro ${name} ${extra.join(', ')}`,
    ...renderBlock('domain', `$${name}`, [`queue-to ${Q}`], unit),
  ];
  const p = plan(a, new Edits(model), Q, missing, after, [block], lead);
  if (!p) return undefined;
  return {
    title: `Also roll up the ${extra.length} other Microsoft consumer domains (one domain-macro and one block)`,
    changes: p.edits.changes,
    safe: false,
  };
}
