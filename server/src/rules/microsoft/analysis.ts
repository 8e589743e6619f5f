/**
 * Shared analysis for the Microsoft rules: which `<domain>` blocks shape Microsoft consumer mail, which
 * queue every Microsoft consumer domain ends up in, which queue is "the" Microsoft queue, the value a
 * directive takes for that queue, and the pool of virtual MTAs the traffic goes through.
 *
 * Computed once per model (WeakMap cache) and read by every rule in this folder and by the hover.
 *
 * How PowerMTA's lookup is approximated (reference powermta-syntax.md sections 2, 3 and 6):
 *  - The blocks that match a domain are ordered from specific to general: an explicitly named
 *    `<domain d>`, then a `<domain $macro>` whose expansion names d, then wildcard blocks (`*.x`,
 *    `[*.]x`, longest suffix first), then `<domain *>`. A directive takes its value from the first of
 *    them that sets it ("settings merge from general to specific", UG 3.3.10), else PowerMTA's default.
 *  - For a block nested in a `<virtual-mta>` or `<virtual-mta-pool>`, the blocks of that scope come
 *    first (the queue's block, then the scope's `<domain *>`), then the top-level chain.
 *  - A repeatable directive (`smtp-pattern-list`) is taken from the first block that has any: a more
 *    specific block's lists replace the inherited ones.
 *  - `queue-to` is followed (chains too, loops cut); when no `queue-to` applies and an
 *    `<mx-rollup-list>` entry covers Microsoft's consumer MX hosts, the domain goes into that rollup
 *    queue unless `disable-mx-rollup` is on. Which queue a domain lands in ignores nesting.
 *  - Blog pseudo-syntax blocks (`domain x {{ … }}`) are analysed as the blocks they stand for, so the
 *    findings are right after conversion, but no fix edits inside them.
 */
import type { Block, DirectiveLine, PatternLine } from '../../parser/ast';
import { lineNo, type Model } from '../../model';
import type { Settings } from '../../settings';
import { getDirective } from '../../knowledge/catalog';
import {
  isMicrosoftConsumerDomain,
  MICROSOFT_TIERS,
  mxPatternCoversMicrosoftConsumer,
  SEED_ROLLUP_DOMAINS,
  type MicrosoftTier,
} from '../../knowledge/microsoft';
import { DIGITS, isPlaceholder, parseDuration, parseRate } from '../../knowledge/values';

/** A `<domain>` block anywhere in the document or its included files. */
export interface DomainBlock {
  block: Block;
  model: Model;
  /** Enclosing `<virtual-mta>` or `<virtual-mta-pool>` of a nested block. */
  scope?: Block;
  /** The lower-case patterns the argument stands for (macros expanded); undefined when unknown. */
  patterns?: string[];
  /** The argument uses a `$macro`. */
  viaMacro: boolean;
  /** Document order across all files. */
  index: number;
}

/** The value a directive takes for a queue, and where it comes from. */
export interface Effective {
  value: string;
  line: DirectiveLine;
  db: DomainBlock;
}

export interface DomainStatus {
  domain: string;
  /** The queue the domain's mail goes into. */
  queue: string;
  via: 'own' | 'queue-to' | 'mx-rollup-list';
  /** The `queue-to` line (first hop) or the `mx` line that sent it there. */
  viaLine?: DirectiveLine | PatternLine;
  /** The most specific block other than `<domain *>` that matches the domain. */
  holder?: DomainBlock;
  /** An `mx-rollup X` line (not PowerMTA) in an explicit block of this domain that is not the queue's own block. */
  mxRollupLine?: DirectiveLine;
}

export interface Route {
  kind: 'pool' | 'vmta';
  name: string;
  /**
   * Virtual MTA names (one for a single virtual MTA): a pool's members that name a defined
   * `<virtual-mta>` (all of them when an include could not be followed).
   */
  members: string[];
  /** A pool's members that name no `<virtual-mta>` (undefined-reference reports them): they open no connection. */
  undefinedMembers?: string[];
  block?: Block;
  model?: Model;
  /** How the route was found, for messages. */
  how: string;
}

export interface TierChoice {
  tier: MicrosoftTier;
  /** Why this tier, for messages: "set by …", "inferred: …", "assumed: …". */
  why: string;
  /** The tier was not chosen by the user. */
  assumed: boolean;
}

export interface MicrosoftAnalysis {
  model: Model;
  domainBlocks: DomainBlock[];
  /** Some block (other than `<domain *>`) or an `<mx-rollup-list>` entry shapes Microsoft consumer mail. */
  active: boolean;
  /** The Microsoft queue: where outlook.com goes, else where most Microsoft domains are queued. */
  queue: string;
  /** Blocks that configure the Microsoft queue (explicit `<domain QUEUE>` blocks, else the macro or wildcard block matching it). */
  anchors: DomainBlock[];
  /** Microsoft consumer domains configured by some block other than `<domain *>`. */
  configured: string[];
  /** Domains that must share the Microsoft queue: the seed's ten plus every configured one. */
  required: string[];
  status: Map<string, DomainStatus>;
  /** The `<mx-rollup-list>` entry covering Microsoft's consumer MX hosts, if any. */
  mxRollup?: { line: PatternLine; name: string; model: Model };
  statusOf(domain: string): DomainStatus;
  /** Blocks matching a domain, most specific first (scope: a nested block's enclosing vmta/pool; 'any' ignores nesting). */
  chain(domain: string, scope?: Block | 'any'): DomainBlock[];
  /** First value of a directive along a chain. */
  effective(chain: readonly DomainBlock[], name: string): Effective | undefined;
  /** All values of a repeatable directive from the first block of the chain that has any. */
  effectiveAll(chain: readonly DomainBlock[], name: string): Effective[];
  /** The chain that decides the settings of the Microsoft queue for an anchor (or the top level). */
  queueChain(anchor?: DomainBlock): DomainBlock[];
  routeOf(anchor?: DomainBlock): Route | undefined;
  /** Per-virtual-MTA cap from `max-smtp-out` in its `<virtual-mta>` block. */
  vmtaMaxSmtpOut(name: string): number | undefined;
  /** Every `domain-key` line (global, vmta, pool, domain-key-list) in reach. */
  hasDomainKey: boolean;
}

const cache = new WeakMap<Model, MicrosoftAnalysis>();

/** Directives that only set limits or routing of a queue: on a domain that queues elsewhere they are not used. */
export const QUEUE_SETTINGS = new Set([
  'max-smtp-out',
  'max-connect-rate',
  'max-conn-rate',
  'max-msg-rate',
  'max-msg-per-connection',
  'max-msg-per-hour',
  'retry-after',
  'backoff-max-smtp-out',
  'backoff-max-msg-rate',
  'backoff-max-connect-rate',
  'backoff-retry-after',
  'reroute-to-virtual-mta',
  'backoff-reroute-to-virtual-mta',
]);

export function microsoftAnalysis(model: Model): MicrosoftAnalysis {
  let a = cache.get(model);
  if (!a) {
    a = analyse(model);
    cache.set(model, a);
  }
  return a;
}

/** The last directive of a name directly inside a block (the last one counts). */
export function directiveOf(block: Block, names: readonly string[]): DirectiveLine | undefined {
  let found: DirectiveLine | undefined;
  for (const c of block.children) if (c.kind === 'directive' && names.includes(c.name)) found = c;
  return found;
}

export function directivesOf(block: Block, name: string): DirectiveLine[] {
  return block.children.filter((c): c is DirectiveLine => c.kind === 'directive' && c.name === name);
}

/** A directive value without surrounding quotes, lower-cased. */
export function plainValue(line: DirectiveLine): string {
  const w = line.args[0];
  return (w ? w.text : line.value).trim().toLowerCase();
}

/** `<domain outlook.com>` (line 12) */
export function blockLabel(b: Block): string {
  return `<${b.name}${b.arg ? ' ' + b.arg : ''}>`;
}

/** Top-level ancestor of a block (the block itself at top level). */
export function topLevel(b: Block): Block {
  let t = b;
  while (t.parent) t = t.parent;
  return t;
}

function matchRank(db: DomainBlock, d: string): number | undefined {
  if (!db.patterns) return undefined;
  let best: number | undefined;
  for (let i = 0, ps = db.patterns; i < ps.length; i++) {
    const p = ps[i];
    let r: number | undefined;
    if (p === '*') r = 100;
    else if (p.startsWith('[*.]')) {
      const base = p.slice(4);
      if (d === base || d.endsWith('.' + base)) r = 10 + 1 / (base.length + 1);
    } else if (p.startsWith('*.')) {
      const base = p.slice(2);
      if (d.endsWith('.' + base)) r = 10 + 1 / (base.length + 1);
    } else if (p === d) r = db.viaMacro ? 1 : 0;
    if (r !== undefined && (best === undefined || r < best)) best = r;
  }
  return best;
}

/**
 * The block also applies to domains that are not Microsoft consumer domains (`*`, a wildcard or macro with
 * other domains): a fix that changes it changes more than Microsoft mail, so it needs review.
 */
export function coversOthers(db: DomainBlock): boolean {
  const q = microsoftQueueName(db);
  return (db.patterns ?? []).some((p) => p !== q && (p.includes('*') || !isMicrosoftConsumerDomain(p.replace(/^\[\*\.\]/, ''))));
}

/** A block's single exact name (a rollup queue such as outlook.rollup is not a consumer domain but is Microsoft's). */
function microsoftQueueName(db: DomainBlock): string | undefined {
  return !db.viaMacro && db.patterns?.length === 1 ? db.patterns[0] : undefined;
}

function isStar(db: DomainBlock): boolean {
  return !!db.patterns && db.patterns.length === 1 && db.patterns[0] === '*';
}

/** The exact (non-wildcard) domains a block names. */
export function exactDomains(db: DomainBlock): string[] {
  return (db.patterns ?? []).filter((p) => p !== '*' && !p.startsWith('*.') && !p.startsWith('[') && !p.startsWith('{'));
}

function analyse(model: Model): MicrosoftAnalysis {
  const models = model.allModels();
  const domainBlocks: DomainBlock[] = [];
  const pools = new Map<string, { block: Block; model: Model }>();
  const vmtas = new Map<string, { block: Block; model: Model }>();
  const sources: Array<{ block: Block; model: Model }> = [];
  let mxRollup: MicrosoftAnalysis['mxRollup'];
  let hasDomainKey = false;
  let index = 0;
  for (const m of models) {
    for (let bI = 0, bList = m.blocks; bI < bList.length; bI++) {
      const b = bList[bI];
      if (b.name === 'domain') {
        const scope = b.parent && (b.parent.name === 'virtual-mta' || b.parent.name === 'virtual-mta-pool') ? b.parent : undefined;
        if (b.parent && !scope) continue;
        const arg = b.arg.trim();
        let patterns: string[] | undefined;
        if (arg && !isPlaceholder(arg)) patterns = m.expandDomain(arg);
        domainBlocks.push({ block: b, model: m, scope, patterns, viaMacro: arg.includes('$'), index: index++ });
      } else if (b.name === 'virtual-mta-pool' && b.arg) {
        if (!pools.has(b.arg.toLowerCase())) pools.set(b.arg.toLowerCase(), { block: b, model: m });
      } else if (b.name === 'virtual-mta' && b.arg) {
        if (!vmtas.has(b.arg.toLowerCase())) vmtas.set(b.arg.toLowerCase(), { block: b, model: m });
      } else if (b.name === 'source') {
        sources.push({ block: b, model: m });
      } else if (b.name === 'mx-rollup-list' && !mxRollup) {
        for (const c of b.children) {
          if (c.kind !== 'pattern' || c.lead.length < 3 || c.lead[0].text.toLowerCase() !== 'mx') continue;
          if (mxPatternCoversMicrosoftConsumer(c.lead[1].text)) {
            mxRollup = { line: c, name: c.lead[2].text.toLowerCase(), model: m };
            break;
          }
        }
      }
    }
    if (m.directives.some((d) => d.name === 'domain-key')) hasDomainKey = true;
  }

  // index: exact pattern -> blocks naming it; blocks with a wildcard pattern (`*`, `*.x`, `[*.]x`) apart
  const byPattern = new Map<string, DomainBlock[]>();
  const wildcards: DomainBlock[] = [];
  for (let i = 0; i < domainBlocks.length; i++) {
    const db = domainBlocks[i];
    if (!db.patterns) continue;
    let wild = false;
    for (let k = 0, ps = db.patterns; k < ps.length; k++) {
      const p = ps[k];
      if (p === '*' || p.startsWith('*.') || p.startsWith('[*.]')) wild = true;
      else {
        const list = byPattern.get(p);
        if (!list) byPattern.set(p, [db]);
        else if (list[list.length - 1] !== db) list.push(db);
      }
    }
    if (wild) wildcards.push(db);
  }
  const candidatesFor = (d: string): DomainBlock[] => {
    const exact = byPattern.get(d);
    if (!exact) return wildcards;
    if (!wildcards.length) return exact;
    const set = new Set([...exact, ...wildcards]);
    return [...set].sort((x, y) => x.index - y.index);
  };
  const topFirst = (x: DomainBlock, y: DomainBlock) => (x.scope ? 1 : 0) - (y.scope ? 1 : 0) || x.index - y.index;
  // Configs nest a `<domain *>` in every virtual MTA: thousands of wildcard blocks match every domain.
  // When every wildcard block has one pattern (and no block names a domain both exactly and by a
  // wildcard), a wildcard's rank does not depend on the domain: sort them once, and a chain is the
  // exact blocks (ranks 0-1) followed by the matching wildcards (ranks 10 and up) in that order.
  const simpleWildcards = wildcards.every((db) => db.patterns!.length === 1);
  const wildcardSet = new Set(wildcards);
  const staticRank = (db: DomainBlock) => {
    const p = db.patterns![0];
    return p === '*' ? 100 : 10 + 1 / (p.length - (p.startsWith('[*.]') ? 4 : 2) + 1);
  };
  const wildSorted = simpleWildcards ? wildcards.map((db) => ({ db, r: staticRank(db) })).sort((x, y) => x.r - y.r || topFirst(x.db, y.db)).map((x) => x.db) : [];
  const chainCache = new Map<string, DomainBlock[]>();
  const scopeIds = new Map<Block, number>();
  const chain = (domain: string, scope?: Block | 'any'): DomainBlock[] => {
    const d = domain.toLowerCase();
    let sid = 'top';
    if (scope === 'any') sid = 'any';
    else if (scope) {
      if (!scopeIds.has(scope)) scopeIds.set(scope, scopeIds.size);
      sid = String(scopeIds.get(scope));
    }
    const key = d + '\u0000' + sid;
    const hit = chainCache.get(key);
    if (hit) return hit;
    // only blocks naming the domain exactly, and wildcard blocks, can match: rank those (in document order)
    const exact = byPattern.get(d);
    let candidates: DomainBlock[] | undefined;
    const rank: (keep: (db: DomainBlock) => boolean) => DomainBlock[] =
      simpleWildcards && !(exact && exact.some((db) => wildcardSet.has(db)))
        ? (keep) => {
            const head = exact ? exact.filter(keep).map((db) => ({ db, r: matchRank(db, d)! })).sort((x, y) => x.r - y.r || topFirst(x.db, y.db)).map((x) => x.db) : [];
            for (let i = 0; i < wildSorted.length; i++) {
              const db = wildSorted[i];
              if (keep(db) && matchRank(db, d) !== undefined) head.push(db);
            }
            return head;
          }
        : (keep) => {
            candidates ??= candidatesFor(d);
            return candidates
              .filter(keep)
              .map((db) => ({ db, r: matchRank(db, d) }))
              .filter((x): x is { db: DomainBlock; r: number } => x.r !== undefined)
              .sort((x, y) => x.r - y.r || topFirst(x.db, y.db))
              .map((x) => x.db);
          };
    const out = scope === 'any' ? rank(() => true) : scope ? [...rank((db) => db.scope === scope), ...rank((db) => !db.scope)] : rank((db) => !db.scope);
    chainCache.set(key, out);
    return out;
  };
  // the last directive of a name directly in a block: most blocks have a few lines, scanned from the
  // end; a block with many gets a map of them the first time it is asked about (the chains of a large
  // config walk thousands of `<domain *>` blocks, and a map each was a megabyte per analysis)
  const lastByName = new Map<Block, Map<string, DirectiveLine>>();
  const lastIn = (b: Block, name: string): DirectiveLine | undefined => {
    const cs = b.children;
    if (cs.length <= 16) {
      for (let i = cs.length - 1; i >= 0; i--) {
        const c = cs[i];
        if (c.kind === 'directive' && c.name === name) return c;
      }
      return undefined;
    }
    let m = lastByName.get(b);
    if (!m) {
      m = new Map();
      for (let i = 0; i < cs.length; i++) {
        const c = cs[i];
        if (c.kind === 'directive') m.set(c.name, c);
      }
      lastByName.set(b, m);
    }
    return m.get(name);
  };
  // chains are cached, so the same chain is asked for the same directive again and again
  const effectiveCache = new WeakMap<readonly DomainBlock[], Map<string, Effective | undefined>>();
  const effective = (ch: readonly DomainBlock[], name: string): Effective | undefined => {
    let perChain = effectiveCache.get(ch);
    if (!perChain) {
      perChain = new Map();
      effectiveCache.set(ch, perChain);
    } else if (perChain.has(name)) return perChain.get(name);
    let found: Effective | undefined;
    for (let i = 0; i < ch.length; i++) {
      const db = ch[i];
      const line = lastIn(db.block, name);
      if (line) {
        found = { value: line.value, line, db };
        break;
      }
    }
    perChain.set(name, found);
    return found;
  };
  const effectiveAll = (ch: readonly DomainBlock[], name: string): Effective[] => {
    for (const db of ch) {
      const lines = directivesOf(db.block, name);
      if (lines.length) return lines.map((line) => ({ value: line.value, line, db }));
    }
    return [];
  };

  const statusCache = new Map<string, DomainStatus>();
  const computeStatus = (domain: string): DomainStatus => {
    const d = domain.toLowerCase();
    const ch = chain(d, 'any');
    const holder = ch.find((db) => !isStar(db));
    let queue = d;
    let via: DomainStatus['via'] = 'own';
    let viaLine: DomainStatus['viaLine'];
    const seen = new Set<string>([d]);
    for (let step = 0; step < 8; step++) {
      const q = effective(chain(queue, 'any'), 'queue-to');
      const target = q ? plainValue(q.line) : '';
      if (!q || !target || target === '""' || seen.has(target)) break;
      if (step === 0) {
        via = 'queue-to';
        viaLine = q.line;
      }
      seen.add(target);
      queue = target;
    }
    if (via === 'own' && mxRollup && isMicrosoftConsumerDomain(d)) {
      const off = effective(ch, 'disable-mx-rollup');
      if (!off || !['yes', 'true'].includes(plainValue(off.line))) {
        queue = mxRollup.name;
        via = 'mx-rollup-list';
        viaLine = mxRollup.line;
      }
    }
    const st: DomainStatus = { domain: d, queue, via, viaLine, holder };
    return st;
  };
  const statusOf = (domain: string): DomainStatus => {
    const d = domain.toLowerCase();
    let st = statusCache.get(d);
    if (!st) {
      st = computeStatus(d);
      statusCache.set(d, st);
    }
    return st;
  };

  // Microsoft consumer domains configured by a specific block, in document order.
  const configured: string[] = [];
  for (const db of domainBlocks) {
    if (isStar(db) || !db.patterns) continue;
    for (const p of db.patterns) {
      const base = p.startsWith('[*.]') ? p.slice(4) : p;
      if (base !== p || !p.includes('*')) {
        if (isMicrosoftConsumerDomain(base) && !configured.includes(base)) configured.push(base);
      }
    }
  }
  const active = configured.length > 0 || !!mxRollup;

  // The Microsoft queue.
  // The queue most Microsoft domains end in; on a tie, outlook.com's.
  const outlook = statusOf('outlook.com');
  // Voters: configured domains (document order), then the seed's domains that some rule (queue-to from a
  // general block, the MX rollup) sends somewhere else than their own queue.
  const votes = new Map<string, number>();
  for (const d of [...configured, ...SEED_ROLLUP_DOMAINS.filter((x) => !configured.includes(x))]) {
    const st = statusOf(d);
    if (!configured.includes(d) && st.via === 'own') continue;
    let q = st.queue;
    // a domain whose block says `mx-rollup X` (not PowerMTA) votes for the queue it means
    const mx = st.via === 'own' && st.holder && !st.holder.viaMacro ? directiveOf(st.holder.block, ['mx-rollup']) : undefined;
    if (mx && mx.value) q = plainValue(mx).replace(/^"|"$/g, '');
    votes.set(q, (votes.get(q) ?? 0) + 1);
  }
  // ties: outlook.com's queue, then the seed's order (hotmail.com before hotmail.fr), then document order
  const seedRank = (q: string) => (q === outlook.queue ? -1 : SEED_ROLLUP_DOMAINS.includes(q) ? SEED_ROLLUP_DOMAINS.indexOf(q) : Infinity);
  let queue = outlook.queue;
  let best = votes.get(queue) ?? 0;
  for (const [q, n] of votes) if (n > best || (n === best && seedRank(q) < seedRank(queue))) [queue, best] = [q, n];

  // Blocks that configure it.
  let anchors = domainBlocks.filter((db) => !db.viaMacro && db.patterns?.length === 1 && db.patterns[0] === queue);
  if (!anchors.length) {
    const holder = chain(queue, 'any').find((db) => !isStar(db));
    anchors = holder ? [holder] : [];
  }
  const anchorSet = new Set(anchors);

  const required = [...SEED_ROLLUP_DOMAINS];
  for (const d of configured) if (!required.includes(d)) required.push(d);
  const status = new Map<string, DomainStatus>();
  for (const d of required) {
    const st = statusOf(d);
    const h = st.holder;
    if (h && !h.viaMacro && !anchorSet.has(h) && !directiveOf(h.block, ['queue-to']) && exactDomains(h).includes(d)) {
      const mx = directiveOf(h.block, ['mx-rollup']);
      if (mx) st.mxRollupLine = mx;
    }
    status.set(d, st);
  }

  const queueChain = (anchor?: DomainBlock): DomainBlock[] => chain(queue, anchor?.scope);

  // (when an include could not be followed, a member may be defined where we cannot see: all count)
  const allKnown = !model.hasUnresolvedIncludes;
  const poolRoute = (b: Block, m: Model, how: string): Route => {
    const members: string[] = [];
    const undefinedMembers: string[] = [];
    for (const c of b.children) {
      if (c.kind !== 'directive' || c.name !== 'virtual-mta' || !c.args[0]) continue;
      const n = c.args[0].text.toLowerCase();
      if (members.includes(n) || undefinedMembers.includes(n)) continue;
      if (allKnown && !vmtas.has(n)) undefinedMembers.push(n);
      else members.push(n);
    }
    return { kind: 'pool', name: b.arg, members, ...(undefinedMembers.length ? { undefinedMembers } : {}), block: b, model: m, how };
  };
  const routeTo = (name: string, how: string): Route | undefined => {
    const n = name.toLowerCase();
    const p = pools.get(n);
    if (p) return poolRoute(p.block, p.model, how);
    const v = vmtas.get(n);
    if (v) return { kind: 'vmta', name: v.block.arg, members: [n], block: v.block, model: v.model, how };
    return undefined;
  };
  const routeOf = (anchor?: DomainBlock): Route | undefined => {
    if (anchor?.scope) {
      const s = anchor.scope;
      const how = `${blockLabel(anchor.block)} is inside ${blockLabel(s)}`;
      if (s.name === 'virtual-mta-pool') return poolRoute(s, anchor.model, how);
      return { kind: 'vmta', name: s.arg, members: [s.arg.toLowerCase()], block: s, model: anchor.model, how };
    }
    const rr = effective(queueChain(anchor), 'reroute-to-virtual-mta');
    if (rr && rr.line.args[0]) {
      const r = routeTo(rr.line.args[0].text, `reroute-to-virtual-mta ${rr.line.args[0].text} in ${blockLabel(rr.db.block)}`);
      if (r) return r;
    }
    for (const s of sources) {
      const dv = directiveOf(s.block, ['default-virtual-mta']);
      if (!dv || !dv.args[0]) continue;
      const r = routeTo(dv.args[0].text, `default-virtual-mta ${dv.args[0].text} in ${blockLabel(s.block)}`);
      if (r) return r;
    }
    if (pools.size === 1) {
      const [p] = [...pools.values()];
      return poolRoute(p.block, p.model, 'the only pool in the configuration');
    }
    return undefined;
  };
  const vmtaMaxSmtpOut = (name: string): number | undefined => {
    const v = vmtas.get(name.toLowerCase());
    const line = v && directiveOf(v.block, ['max-smtp-out']);
    return line && DIGITS.test(line.value) ? Number(line.value) : undefined;
  };

  return {
    model,
    domainBlocks,
    active,
    queue,
    anchors,
    configured,
    required,
    status,
    mxRollup,
    statusOf,
    chain,
    effective,
    effectiveAll,
    queueChain,
    routeOf,
    vmtaMaxSmtpOut,
    hasDomainKey,
  };
}

// ------------------------------------------------------------------------------------------------
// values for a queue

/** PowerMTA's default for a directive, from the catalog. */
export function defaultOf(name: string): string | undefined {
  return getDirective(name)?.default;
}

/** Effective `max-smtp-out` (a number; undefined when the value cannot be read). */
export function maxSmtpOutOf(a: MicrosoftAnalysis, ch: readonly DomainBlock[]): { value: number | undefined; from?: Effective } {
  const e = a.effective(ch, 'max-smtp-out');
  if (!e) return { value: Number(defaultOf('max-smtp-out') ?? '20') };
  return { value: DIGITS.test(e.value) ? Number(e.value) : undefined, from: e };
}

/** Simultaneous connections a route may open for one queue: each member's max-smtp-out, capped by the member's own `max-smtp-out`. */
export function connectionsFor(a: MicrosoftAnalysis, route: Route, perIp: number): number {
  let total = 0;
  for (const m of route.members) total += Math.min(perIp, a.vmtaMaxSmtpOut(m) ?? Infinity);
  return total;
}

/** Seconds of a duration list's shortest interval. */
export function shortestInterval(value: string): number | undefined {
  const items = value.split(',').map((s) => parseDuration(s.trim()));
  if (!items.length || items.some((x) => x === undefined)) return undefined;
  return Math.min(...(items as number[]));
}

export function ratePerSecond(value: string): number | undefined {
  return parseRate(value)?.perSecond;
}

// ------------------------------------------------------------------------------------------------
// tier

const TIER_IDS = MICROSOFT_TIERS.map((t) => t.id as string);

export function tierById(id: string): MicrosoftTier | undefined {
  return MICROSOFT_TIERS.find((t) => t.id === id);
}

/** The annotation `# pmta-lint: microsoft-tier=…` when its value is not a tier (for a diagnostic). */
export function invalidTierAnnotation(model: Model): { value: string; span: { start: number; end: number } } | undefined {
  const ann = model.annotations.settings.get('microsoft-tier');
  if (!ann) return undefined;
  const v = ann.value.toLowerCase();
  return v === 'auto' || TIER_IDS.includes(v) ? undefined : ann;
}

/** Smallest pool the seed pairs with its 500k+ tier ("pool of 6-10 IPs"). */
export const LARGE_POOL = 6;

/**
 * The volume tier: the annotation, else the `microsoft.volumeTier` setting, else inferred from the
 * size of the pool the Microsoft traffic goes through (6 or more virtual MTAs: 500k-plus, the seed's
 * pool for that tier; otherwise the volume cannot be told from the file and the most conservative tier
 * is used).
 */
export function chooseTier(a: MicrosoftAnalysis, anchor: DomainBlock | undefined, settings: Settings): TierChoice {
  const ann = a.model.annotations.settings.get('microsoft-tier');
  const av = ann?.value.toLowerCase();
  if (ann && av && TIER_IDS.includes(av)) {
    return { tier: tierById(av)!, why: `tier set by "# pmta-lint: microsoft-tier=${ann.value}" on line ${lineNo(a.model, ann.span.start)}`, assumed: false };
  }
  const sv = settings.microsoft?.volumeTier;
  if (av !== 'auto' && sv && sv !== 'auto' && tierById(sv)) {
    return { tier: tierById(sv)!, why: 'tier set by the microsoft.volumeTier setting', assumed: false };
  }
  const conservative = MICROSOFT_TIERS[0];
  const route = a.routeOf(anchor);
  if (!route) {
    return { tier: conservative, why: 'tier assumed: no pool found for Microsoft mail, so the most conservative tier applies', assumed: true };
  }
  const n = route.members.length;
  if (route.kind === 'pool' && n >= LARGE_POOL) {
    const top = MICROSOFT_TIERS[MICROSOFT_TIERS.length - 1];
    return { tier: top, why: `tier inferred from pool ${route.name}: ${n} virtual MTAs, the pool size the seed gives for 500,000+ messages a day`, assumed: true };
  }
  const what = route.kind === 'pool' ? `pool ${route.name} has ${n} virtual MTA${n === 1 ? '' : 's'}` : `Microsoft mail goes through the single virtual MTA ${route.name}`;
  return { tier: conservative, why: `tier assumed: ${what}, too few to tell the volume, so the most conservative tier applies`, assumed: true };
}

/** The tier hint appended to messages when the tier was not chosen by the user. */
export function tierHint(t: TierChoice): string {
  return t.assumed ? ' Declare the volume with "# pmta-lint: microsoft-tier=100k-500k" (or under-100k, 500k-plus).' : '';
}
