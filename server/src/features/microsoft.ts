/**
 * Editor features built on the Microsoft analysis (microsoft/analysis.ts):
 *  - the volume tier in force for a document, and why (status bar);
 *  - the connection budget of the Microsoft queue as a code lens on its `<domain>` block;
 *  - hover sections for Microsoft consumer domains (family, how this file rolls them up, the effective
 *    limits of the queue they end in) and for pools / virtual MTAs (members, source IPs, connections);
 *  - the "Insert Microsoft domain configuration" text for a volume tier (the tier's block, the rollup
 *    set and the recommended pattern list), which the snippets mirror.
 * Pure: a model in, data or Markdown out.
 */
import type { CodeLens } from 'vscode-languageserver-types';
import type { Block, DirectiveLine, PatternLine } from '../parser/ast';
import { lineNo, type Model } from '../model';
import type { Settings } from '../settings';
import type { MicrosoftConfiguration, MicrosoftConfigurationOptions, TierInfo } from '../types';
import {
  isMicrosoftConsumerDomain,
  microsoftDomainInfo,
  MICROSOFT_BACKOFF_DIRECTIVES,
  MICROSOFT_CONNECTION_BUDGET,
  MICROSOFT_PATTERN_LIST_NAME,
  MICROSOFT_TIERS,
  renderMicrosoftPatternList,
  GUIDE_ROLLUP_DOMAINS,
  type MicrosoftTier,
  type TierId,
} from '../knowledge/microsoft';
import {
  blockLabel,
  defaultOf,
  microsoftAnalysis,
  type Delivery,
  type DomainBlock,
  type MemberQueue,
  type MicrosoftAnalysis,
} from '../microsoft/analysis';
import { connectionsFor, describeConnections, listNames, notCounted } from '../microsoft/connections';
import { tierValue, LIMIT_NAMES, type LimitName } from '../microsoft/recommend';
import { chooseTier } from '../microsoft/tiers';
import { plural } from '../util/phrases';

// ---------------------------------------------------------------------------------------------
// tier in force

function tierLimits(t: MicrosoftTier): Record<LimitName, string> {
  const out = {} as Record<LimitName, string>;
  for (const n of LIMIT_NAMES) out[n] = tierValue(t, n);
  return out;
}

/** The volume tier the Microsoft rules use for this document (part of `config`, when there is one), and why. */
export function tierInfo(model: Model, settings: Settings, config: Model = model): TierInfo {
  const a = microsoftAnalysis(config);
  const anchor = a.anchors.find((x) => x.model === model) ?? a.anchors[0];
  const d = anchor && a.deliveryOf(anchor);
  const choice = chooseTier(a, d, settings);
  const source: TierInfo['source'] = choice.source;
  const why = choice.why.replace(/^tier (set by|inferred from|assumed: )/, (_m, w: string) =>
    w === 'assumed: ' ? '' : w,
  );
  const info: TierInfo = {
    tier: choice.tier.id,
    label: choice.tier.label,
    source,
    why: why.charAt(0).toUpperCase() + why.slice(1),
    active: a.active,
    limits: tierLimits(choice.tier),
    tiers: MICROSOFT_TIERS.map((t) => ({ id: t.id, label: t.label, limits: tierLimits(t) })),
  };
  if (a.active) {
    info.queue = a.queue;
    const c = describeConnections(a, d);
    if (c) info.connections = { total: c.total, perIp: c.perIp, text: c.text, budget: MICROSOFT_CONNECTION_BUDGET };
    info.rolledUp = { count: a.required.filter((d) => a.statusOf(d).queue === a.queue).length, of: a.required.length };
  }
  return info;
}

// ---------------------------------------------------------------------------------------------
// completion: the advised values inside a block that shapes Microsoft mail

/**
 * For a `<domain>` block that shapes the Microsoft queue (the queue's own block, or a Microsoft consumer
 * domain's block when the file has no Microsoft queue yet), the tier and the values the advice gives: the
 * tier's limits, the backoff directives, the pattern list and DKIM. Undefined for any other block. With
 * `anyMicrosoft`, a block of any Microsoft consumer domain counts (for the Microsoft queue's name).
 * `config`: the configuration the file is part of (a file that includes it), when there is one.
 */
export function microsoftAdvice(
  model: Model,
  block: Block,
  settings: Settings,
  anyMicrosoft = false,
  config: Model = model,
): { tier: TierId; queue: string; values: Map<string, string> } | undefined {
  const arg = block.arg.trim().toLowerCase();
  if (!arg || (block.parent && block.parent.name !== 'virtual-mta' && block.parent.name !== 'virtual-mta-pool'))
    return undefined;
  const a = microsoftAnalysis(config);
  const queue = a.active ? a.queue : 'outlook.com';
  if (arg !== queue && !(anyMicrosoft && isMicrosoftConsumerDomain(arg))) return undefined;
  const tier = chooseTier(a, a.deliveries[0], settings).tier;
  const values = new Map<string, string>();
  for (const n of LIMIT_NAMES) values.set(n, tierValue(tier, n));
  for (const d of MICROSOFT_BACKOFF_DIRECTIVES) values.set(d.name, d.value);
  values.set('smtp-pattern-list', MICROSOFT_PATTERN_LIST_NAME);
  values.set('dkim-sign', 'yes');
  return { tier: tier.id, queue, values };
}

// ---------------------------------------------------------------------------------------------
// code lens: the connection budget on the Microsoft queue's block

/**
 * One lens per block that configures the Microsoft queue in this document. Title only (no command).
 * `config`: the configuration the file is part of (a file that includes it), when there is one.
 */
export function budgetLenses(model: Model, settings: Settings, config: Model = model): CodeLens[] {
  const a = microsoftAnalysis(config);
  if (!a.active) return [];
  const out: CodeLens[] = [];
  const rolled = a.required.filter((d) => a.statusOf(d).queue === a.queue).length;
  // one text per delivery: thousands of virtual MTAs may each have a block of the queue
  const texts = new Map<Delivery | undefined, string>();
  for (const anchor of a.anchors) {
    if (anchor.model !== model) continue;
    const b = anchor.block;
    const start = b.open.kind === 'open-tag' ? b.open.tagSpan.start : b.open.start;
    const d = a.deliveryOf(anchor);
    let title = texts.get(d);
    if (title === undefined) {
      title = lensText(a, d, settings, rolled);
      texts.set(d, title);
    }
    out.push({ range: model.range({ start, end: start }), command: { title, command: '' } });
  }
  return out;
}

/** The code lens text of a delivery: its connections, the domains rolled up, the tier. */
function lensText(a: MicrosoftAnalysis, d: Delivery | undefined, settings: Settings, rolled: number): string {
  const c = describeConnections(a, d);
  const t = chooseTier(a, d, settings);
  const parts: string[] = [];
  if (c) {
    const n = c.route.members.length;
    const over = c.total > MICROSOFT_CONNECTION_BUDGET ? ', over' : '';
    const u = c.route.undefinedMembers?.length ?? 0;
    const missing = u ? `; ${plural(u, 'member')} without a <virtual-mta> not counted` : '';
    const per = c.uniform ? `max-smtp-out ${c.perIp}` : `max-smtp-out up to ${c.perIp}`;
    parts.push(
      `Microsoft: ${c.total} connections (${plural(n, 'IP')} × ${per}; budget ${MICROSOFT_CONNECTION_BUDGET}${over}${missing})`,
    );
  } else {
    parts.push('Microsoft: connections unknown (no pool or virtual MTA found for this queue)');
  }
  parts.push(`${rolled} of ${a.required.length} domains rolled up`);
  parts.push(`tier ${t.tier.id}${t.assumed ? ' (assumed)' : ''}`);
  return parts.join(' · ');
}

// ---------------------------------------------------------------------------------------------
// hover sections

const FAMILIES: Record<string, string> = {
  outlook: 'Outlook.com',
  hotmail: 'Hotmail',
  live: 'Live',
  msn: 'MSN',
  windowslive: 'Windows Live',
  livemail: 'Live Mail',
  passport: 'Passport',
  messengeruser: 'Messenger',
  webtv: 'WebTV',
};

/** `hotmail.co.uk` → "Hotmail"; undefined for a domain that is not a Microsoft consumer domain. */
function microsoftFamily(domain: string): string | undefined {
  const info = microsoftDomainInfo(domain);
  if (!info) return undefined;
  const first = info.domain.split('.')[0];
  return FAMILIES[first] ?? first;
}

const LIMIT_ROWS = [
  'max-smtp-out',
  'max-connect-rate',
  'max-msg-rate',
  'retry-after',
  'backoff-max-smtp-out',
  'backoff-max-msg-rate',
  'backoff-retry-after',
  'smtp-pattern-list',
  'dkim-sign',
] as const;

function whereSet(line: DirectiveLine, db: DomainBlock, model: Model): string {
  const file = db.model === model ? '' : ` of \`${db.model.uri.slice(db.model.uri.lastIndexOf('/') + 1)}\``;
  const inside = db.scope ? ` inside \`${blockLabel(db.scope)}\`` : '';
  return `\`${blockLabel(db.block)}\`${inside}, line ${lineNo(db.model, line.start)}${file}`;
}

/** A table of the values a queue's limits take, where they are set, and the tier's advice. */
function limitsTable(
  a: MicrosoftAnalysis,
  model: Model,
  queue: string,
  tier: MicrosoftTier,
  member?: MemberQueue,
): string {
  const ch = member ? a.chainOf(member) : a.chain(queue);
  const rows = ['| directive | value | set at | tier ' + tier.id + ' |', '|---|---|---|---|'];
  for (const name of LIMIT_ROWS) {
    let value: string;
    let from: string;
    if (name === 'smtp-pattern-list') {
      const all = a.effectiveAll(ch, name);
      value = all.length ? all.map((e) => e.value).join(', ') : 'none';
      from = all.length ? whereSet(all[0].line, all[0].db, model) : '—';
    } else {
      const e = a.effective(ch, name);
      const def = defaultOf(name);
      value = e ? e.value : def !== undefined ? def : 'not set';
      from = e ? whereSet(e.line, e.db, model) : "PowerMTA's default";
    }
    const advice = (LIMIT_NAMES as readonly string[]).includes(name)
      ? tierValue(tier, name as LimitName)
      : name === 'smtp-pattern-list'
        ? MICROSOFT_PATTERN_LIST_NAME
        : name === 'dkim-sign'
          ? 'yes'
          : (MICROSOFT_BACKOFF_DIRECTIVES.find((d) => d.name === name)?.value ?? '');
    rows.push(`| ${name} | \`${value.replace(/\|/g, '\\|')}\` | ${from} | \`${advice}\` |`);
  }
  return rows.join('\n');
}

/** How this configuration handles a Microsoft consumer domain, in one sentence. */
function rollupSentence(a: MicrosoftAnalysis, model: Model, domain: string): string {
  const st = a.statusOf(domain);
  const Q = a.queue;
  if (st.queue === domain) {
    if (domain === Q)
      return `\`${domain}\` is the Microsoft queue of this configuration: the other Microsoft domains should go into it.`;
    return `\`${domain}\` keeps a queue of its own: it is not rolled into the \`${Q}\` queue, so its connections add to those of that queue (roll it up with \`queue-to ${Q}\`).`;
  }
  const how = st.via === 'mx-rollup-list' ? '`<mx-rollup-list>`' : '`queue-to`';
  const lm = st.viaLine ? modelOfLine(a, st.viaLine) : undefined;
  const at =
    st.viaLine && lm
      ? ` (line ${lineNo(lm, st.viaLine.start)}${lm !== model ? ` of \`${lm.uri.slice(lm.uri.lastIndexOf('/') + 1)}\`` : ''})`
      : '';
  if (st.queue === Q) return `\`${domain}\` is rolled into the \`${Q}\` queue by ${how}${at} and shares its limits.`;
  return `\`${domain}\` goes into the \`${st.queue}\` queue by ${how}${at}, not into the Microsoft queue \`${Q}\`: its connections add to those of \`${Q}\`.`;
}

function modelOfLine(a: MicrosoftAnalysis, line: DirectiveLine | PatternLine): Model | undefined {
  return a.model.allModels().find((m) => m.tree.lines.includes(line));
}

/**
 * Markdown about a Microsoft consumer domain (or the Microsoft queue) in this configuration: its family,
 * how the file rolls it up (unless `withStatus` is false) and the effective limits of the queue it ends in.
 * `config` is the configuration the file is part of (a file that includes it), when there is one.
 */
export function microsoftDomainSection(
  model: Model,
  domain: string,
  settings: Settings,
  withStatus = true,
  config: Model = model,
): string | undefined {
  const d = domain.trim().toLowerCase();
  const a = microsoftAnalysis(config);
  const family = microsoftFamily(d);
  const isQueue = a.active && d === a.queue;
  if (!family && !isQueue) return undefined;
  const parts: string[] = [];
  if (family)
    parts.push(
      `**Family:** ${family} — Outlook.com consumer mail, delivered to Microsoft's shared servers (MX hosts under \`*.olc.protection.outlook.com\`).`,
    );
  if (!a.active) {
    parts.push(
      'No block of this configuration shapes Microsoft mail: it gets the `<domain *>` settings and a queue of its own. See the `microsoft` snippets or the "PowerMTA: Insert Microsoft domain configuration" command.',
    );
    return parts.join('\n\n');
  }
  if (withStatus) parts.push(rollupSentence(a, model, d));
  const st = a.statusOf(d);
  const queue = isQueue ? d : st.queue;
  const delivery = a.deliveries[0];
  const tier = chooseTier(a, delivery, settings).tier;
  const sharedBy = a.required.filter((x) => a.statusOf(x).queue === queue).length;
  // the Microsoft queue as its first virtual MTA runs it (its own blocks first), when they have blocks of their own
  const member = queue === a.queue && delivery?.members.some((m) => m.own.length) ? delivery.members[0] : undefined;
  const forVmta = member?.vmta
    ? `, for virtual MTA \`${member.vmta}\` (each virtual MTA of the pool has \`<domain>\` blocks of its own)`
    : '';
  parts.push(
    `**Effective limits of the \`${queue}\` queue**${sharedBy > 1 ? ` (shared by ${sharedBy} Microsoft domains)` : ''}${forVmta}:\n\n${limitsTable(a, model, queue, tier, member)}`,
  );
  if (queue === a.queue) {
    const relay = relayText(a, model);
    if (relay) parts.push(relay);
  }
  return parts.join('\n\n');
}

/**
 * Why the Microsoft limit rules do not judge the Microsoft queue (or some of its virtual MTAs' queues):
 * they go to a relay, not to Microsoft's servers. Undefined when none does.
 */
export function relayText(a: MicrosoftAnalysis, model: Model): string | undefined {
  const relayed: Array<{ m: MemberQueue; what: string; where: string }> = [];
  let total = 0;
  for (const d of a.deliveries) {
    for (const m of d.members) {
      total++;
      const r = a.relayOf(m);
      if (r) relayed.push({ m, what: r.what, where: whereSet(r.from.line, r.from.db, model) });
    }
  }
  if (!relayed.length) return undefined;
  const first = relayed[0];
  const whose =
    relayed.length === total
      ? `The \`${a.queue}\` queue goes`
      : `The \`${a.queue}\` queue of virtual MTA${relayed.length > 1 ? 's' : ''} ${listNames(relayed.map((x) => `\`${x.m.vmta}\``))} go${relayed.length > 1 ? '' : 'es'}`;
  return `**Relay:** ${whose} to a relay (\`${first.what}\`, ${first.where}), not to Microsoft's servers: it opens no connection to Microsoft, so the Microsoft limit rules (limits, connection budget, pattern lists, backoff) do not judge it. The relay's own limits decide how fast Microsoft gets the mail.`;
}

/** Microsoft connections through a pool or virtual MTA block, when Microsoft mail goes through it. */
export function routeSection(model: Model, block: Block, config: Model = model): string | undefined {
  const a = microsoftAnalysis(config);
  if (!a.active) return undefined;
  const lines: string[] = [];
  for (const d of a.deliveries) {
    const route = d.route;
    if (!route) continue;
    const c = describeConnections(a, d);
    if (!c) continue;
    if (block.name === 'virtual-mta-pool' && route.block === block) {
      const verdict = c.total > MICROSOFT_CONNECTION_BUDGET ? 'above' : 'within';
      const per = c.uniform ? `max-smtp-out ${c.perIp}` : `max-smtp-out up to ${c.perIp}`;
      lines.push(
        `**Microsoft mail** (the \`${a.queue}\` queue) goes through this pool: ${c.total} simultaneous connections (${route.members.length} × ${per}${notCounted(route)}), ${verdict} the budget of ${MICROSOFT_CONNECTION_BUDGET} that common advice gives (not a Microsoft limit).`,
      );
    } else if (block.name === 'virtual-mta') {
      const name = block.arg.toLowerCase();
      const mine = c.members.find((x) => x.m.vmta === name);
      if (!mine) continue;
      lines.push(
        `**Microsoft mail** (the \`${a.queue}\` queue) may use up to ${plural(mine.opens, 'simultaneous connection')} from this virtual MTA, ${c.total} for ${route.kind === 'pool' ? `pool \`${route.name}\`` : 'it'} in all (budget ${MICROSOFT_CONNECTION_BUDGET}).`,
      );
    }
  }
  return lines.length ? [...new Set(lines)].join('\n\n') : undefined;
}

// ---------------------------------------------------------------------------------------------
// "Insert Microsoft domain configuration"

/** The outlook.com block of a tier, one line per entry (no indentation, no trailing comments). */
function microsoftTierBlockBody(tier: MicrosoftTier, maxSmtpOut: number = tier.maxSmtpOut): string[] {
  return [
    `max-smtp-out ${maxSmtpOut}`,
    `max-connect-rate ${tier.maxConnectRatePmta}`,
    `max-msg-rate ${tier.maxMsgRate}`,
    `retry-after ${tier.retryAfter}`,
    ...MICROSOFT_BACKOFF_DIRECTIVES.map((d) => `${d.name} ${d.value}`),
    `smtp-pattern-list ${MICROSOFT_PATTERN_LIST_NAME}`,
    'dkim-sign yes',
  ];
}

/** The tier's part: two comment lines, the tier annotation and the `<domain outlook.com>` block. */
export function microsoftTierLines(tier: MicrosoftTier, unit: string, maxSmtpOut: number = tier.maxSmtpOut): string[] {
  return [
    '# Microsoft consumer mail (Outlook.com, Hotmail, Live, MSN) in one queue, outlook.com.',
    `# ${tier.label}: common advice from a widely copied PowerMTA guide, not limits Microsoft publishes.`,
    `# pmta-lint: microsoft-tier=${tier.id}`,
    '<domain outlook.com>',
    ...microsoftTierBlockBody(tier, maxSmtpOut).map((l) => unit + l),
    '</domain>',
  ];
}

/** The rolled-up domains: every domain the guide rolls up but outlook.com, sent to the outlook.com queue. */
export const ROLLUP_DOMAINS: readonly string[] = GUIDE_ROLLUP_DOMAINS.filter((d) => d !== 'outlook.com');

/** The rollup part: a comment and one `<domain d> queue-to outlook.com </domain>` block per domain. */
export function microsoftRollupLines(unit: string, domains: readonly string[] = ROLLUP_DOMAINS): string[] {
  const out = ['# The other Microsoft domains share the outlook.com queue and its limits.'];
  for (const d of domains) out.push(`<domain ${d}>`, `${unit}queue-to outlook.com`, '</domain>');
  return out;
}

/**
 * The configuration a tier needs, ready to insert: the tier's part (annotation and `<domain outlook.com>`),
 * the rollup part and the `microsoft-errors` pattern list, separated by blank lines. With a model, parts the
 * file already has are left out (and said so), and max-smtp-out is lowered when the pool Microsoft mail goes
 * through would exceed the connection budget.
 */
export function microsoftConfiguration(
  tierId: string,
  model?: Model,
  options: MicrosoftConfigurationOptions = {},
  config: Model | undefined = model,
): MicrosoftConfiguration | undefined {
  const tier = MICROSOFT_TIERS.find((t) => t.id === tierId);
  if (!tier) return undefined;
  const unit = options.indent ?? '\t';
  const eol = options.eol ?? '\n';
  const notes: string[] = [];
  const conflicts: string[] = [];
  // what the configuration already has, in this file or another of its files
  const topDomain = (d: string): Block | undefined =>
    config
      ?.allModels()
      .flatMap((m) => m.blocks)
      .find((b) => b.name === 'domain' && !b.parent && !b.pseudo && b.arg.trim().toLowerCase() === d);
  const where = (b: Block): string => {
    const m = modelOf(config!, b);
    return `line ${lineNo(m, b.start)}${m !== model ? ` of \`${m.uri.slice(m.uri.lastIndexOf('/') + 1)}\`` : ''}`;
  };

  let perIp: number = tier.maxSmtpOut;
  if (model && config) {
    const a = microsoftAnalysis(config);
    const route = a.routeOf(undefined);
    if (route) {
      while (perIp > 1 && connectionsFor(a, route, perIp) > MICROSOFT_CONNECTION_BUDGET) perIp--;
      if (perIp < tier.maxSmtpOut)
        notes.push(
          `max-smtp-out is ${perIp}, not ${tier.maxSmtpOut}: ${route.kind === 'pool' ? `pool ${route.name}` : `virtual MTA ${route.name}`} would otherwise open more than ${MICROSOFT_CONNECTION_BUDGET} connections to Microsoft.`,
        );
    }
    const ann = model.annotations.settings.get('microsoft-tier');
    if (ann && ann.value.toLowerCase() !== tier.id)
      conflicts.push(
        `The file already declares "# pmta-lint: microsoft-tier=${ann.value}" (line ${lineNo(model, ann.span.start)}).`,
      );
    const existing = topDomain('outlook.com');
    if (existing)
      conflicts.push(
        `The ${modelOf(config, existing) === model ? 'file' : 'configuration'} already has <domain outlook.com> (${where(existing)}); a second one is a duplicate block.`,
      );
  }

  const parts: string[][] = [microsoftTierLines(tier, unit, perIp)];
  const rollup = ROLLUP_DOMAINS.filter((d) => {
    const b = model && topDomain(d);
    if (b) notes.push(`<domain ${d}> already exists (${where(b)}): add "queue-to outlook.com" to it.`);
    return !b;
  });
  if (rollup.length) parts.push(microsoftRollupLines(unit, rollup));
  if (config && config.lookup('smtp-pattern-list', MICROSOFT_PATTERN_LIST_NAME).length) {
    notes.push(`<smtp-pattern-list ${MICROSOFT_PATTERN_LIST_NAME}> is already defined: it was not inserted again.`);
  } else {
    parts.push(renderMicrosoftPatternList(unit, '\n').split('\n'));
  }
  return { text: parts.map((p) => p.join(eol)).join(eol + eol) + eol, notes, conflicts };
}

function modelOf(model: Model, b: Block): Model {
  return model.allModels().find((m) => m.blocks.includes(b)) ?? model;
}
