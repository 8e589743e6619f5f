/**
 * Shared analysis for the Microsoft rules and editor features: which `<domain>` blocks shape Microsoft
 * consumer mail, which queue every Microsoft consumer domain ends up in, which queue is "the" Microsoft
 * queue, the value a directive takes for that queue, and the pool of virtual MTAs the traffic goes through.
 *
 * Computed once per model (WeakMap cache) and read by every Microsoft rule (rules/microsoft/) and by the
 * editor features (hover, code lens, the tier in force). The volume tier is in tiers.ts, the connection
 * arithmetic in connections.ts.
 *
 * How PowerMTA's lookup is approximated (reference powermta-syntax.md sections 2, 3 and 6):
 *  - The blocks that match a domain are ordered from specific to general: an explicitly named
 *    `<domain d>`, then a `<domain $macro>` whose expansion names d, then wildcard blocks (`*.x`,
 *    `[*.]x`, longest suffix first), then `<domain *>`. A directive takes its value from the first of
 *    them that sets it ("settings merge from general to specific", UG 3.3.10), else PowerMTA's default.
 *  - PowerMTA keeps one queue per domain and virtual MTA. For a virtual MTA, the blocks nested in it
 *    come first (its `<domain QUEUE>`, then its `<domain *>`), then those of the pool it is part of that
 *    has `<domain>` blocks, then the top-level chain (UG 3.3.13.2: a virtual MTA's domain settings
 *    inherit from its pool's, then from the global ones). The Microsoft queue is therefore judged per
 *    virtual MTA of the pool it goes through ({@link Delivery}), and a rule reports the worst of them.
 *  - A repeatable directive (`smtp-pattern-list`) is taken from the first block that has any: a more
 *    specific block's lists replace the inherited ones.
 *  - `queue-to` is followed (chains too, loops cut); when no `queue-to` applies and an
 *    `<mx-rollup-list>` entry covers Microsoft's consumer MX hosts, the domain goes into that rollup
 *    queue unless `disable-mx-rollup` is on. Which queue a domain lands in ignores nesting.
 *  - Blog pseudo-syntax blocks (`domain x {{ … }}`) are analysed as the blocks they stand for, so the
 *    findings are right after conversion, but no fix edits inside them.
 */
import type { Block, DirectiveLine, PatternLine } from '../parser/ast';
import type { Model } from '../model';
import { getDirective } from '../knowledge/catalog';
import {
  isMicrosoftConsumerDomain,
  mxPatternCoversMicrosoftConsumer,
  GUIDE_ROLLUP_DOMAINS,
} from '../knowledge/microsoft';
import { DIGITS, isPlaceholder, parseDuration } from '../knowledge/values';
import { pushAll } from '../util/arrays';

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

interface DomainStatus {
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

/**
 * The queue of one virtual MTA for the Microsoft queue (PowerMTA keeps one queue per domain and virtual
 * MTA), and the blocks that decide its settings, most specific first: `own` (the virtual MTA's blocks,
 * then its pool's) and then `shared` (the top-level chain, the same array for every member).
 */
export interface MemberQueue {
  /** The lower-case virtual MTA name; undefined for the queue judged without one (no pool found). */
  vmta?: string;
  /** The `<virtual-mta>` block (undefined without a virtual MTA, or when an include could not be followed). */
  vmtaBlock?: Block;
  own: DomainBlock[];
  shared: DomainBlock[];
}

/**
 * The Microsoft queue as PowerMTA delivers it through one route (a pool, a virtual MTA, or none found):
 * one {@link MemberQueue} per virtual MTA, and the blocks naming the queue that configure it.
 */
export interface Delivery {
  route?: Route;
  /** The blocks naming the queue that apply to it (top level, in the pool, in its virtual MTAs), document order. */
  anchors: DomainBlock[];
  /** Where findings about the delivery go: its first top-level anchor, else its first anchor. */
  primary: DomainBlock;
  members: MemberQueue[];
}

/** Where a queue's mail goes instead of Microsoft's servers (a relay), and the line that says so. */
export interface Relay {
  what: string;
  from: Effective;
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
  /** The Microsoft queue per route, each with the anchors that configure it (see {@link Delivery}). */
  deliveries: Delivery[];
  /** Microsoft consumer domains configured by some block other than `<domain *>`. */
  configured: string[];
  /** Domains that must share the Microsoft queue: the guide's ten plus every configured one. */
  required: string[];
  status: Map<string, DomainStatus>;
  /** The `<mx-rollup-list>` entry covering Microsoft's consumer MX hosts, if any. */
  mxRollup?: { line: PatternLine; name: string; model: Model };
  statusOf(domain: string): DomainStatus;
  /** The analysed `<domain>` block of a block, if it is one. */
  domainBlockOf(b: Block): DomainBlock | undefined;
  /** Whether a block is one of the {@link anchors}. */
  isAnchor(db: DomainBlock): boolean;
  /** Blocks matching a domain, most specific first (scope: a nested block's enclosing vmta/pool; 'any' ignores nesting). */
  chain(domain: string, scope?: Block | 'any'): DomainBlock[];
  /** First value of a directive along a chain. */
  effective(chain: readonly DomainBlock[], name: string): Effective | undefined;
  /** All values of a repeatable directive from the first block of the chain that has any. */
  effectiveAll(chain: readonly DomainBlock[], name: string): Effective[];
  /** The value of a directive for a member's queue (its own blocks, then the shared chain). */
  value(m: MemberQueue, name: string): Effective | undefined;
  /** All values of a repeatable directive for a member's queue, from the first block that has any. */
  values(m: MemberQueue, name: string): Effective[];
  /** A member's chain as one array (own, then shared). */
  chainOf(m: MemberQueue): DomainBlock[];
  /** The delivery an anchor configures. */
  deliveryOf(anchor: DomainBlock): Delivery | undefined;
  /** A member whose settings send the queue's mail to a relay instead of Microsoft's servers. */
  relayOf(m: MemberQueue): Relay | undefined;
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
    a = new Analysis(model);
    cache.set(model, a);
  }
  return a;
}

/** The last directive of a name directly inside a block (the last one counts). */
function directiveOf(block: Block, names: readonly string[]): DirectiveLine | undefined {
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
  return (db.patterns ?? []).some((p) => p !== q && !isMicrosoftPattern(p));
}

/** A block's pattern that names one Microsoft consumer domain (no wildcard: `[*.]hotmail.com` names subdomains too). */
function isMicrosoftPattern(p: string): boolean {
  return !p.includes('*') && isMicrosoftConsumerDomain(p);
}

/**
 * The pattern list `name` is attached where it applies to mail for other domains than Microsoft's too: in
 * `<domain *>`, a wildcard's or another domain's block, or outside any `<domain>` block (a virtual MTA's
 * own settings, the top level). A Microsoft rule added to it changes how those queues react as well.
 */
export function listUsedByOthers(a: MicrosoftAnalysis, name: string): boolean {
  let names = sharedListNames.get(a);
  if (!names) sharedListNames.set(a, (names = listsUsedByOthers(a)));
  return names.has(name.toLowerCase());
}

/** Per analysis, the lower-case names of the lists {@link listUsedByOthers} holds for: one pass over the references. */
const sharedListNames = new WeakMap<MicrosoftAnalysis, Set<string>>();

function listsUsedByOthers(a: MicrosoftAnalysis): Set<string> {
  const out = new Set<string>();
  const microsoftOnly = (db: DomainBlock) =>
    !!db.patterns?.length && db.patterns.every((p) => p === a.queue || isMicrosoftPattern(p));
  for (const model of a.model.allModels())
    for (const r of model.references) {
      if (r.kind !== 'smtp-pattern-list') continue;
      const b = model.enclosingBlock(r.line);
      const db = b && a.domainBlockOf(b);
      if (!db || !microsoftOnly(db)) out.add(r.name.toLowerCase());
    }
  return out;
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
  return (db.patterns ?? []).filter(
    (p) => p !== '*' && !p.startsWith('*.') && !p.startsWith('[') && !p.startsWith('{'),
  );
}

/** A block and the file it is in. */
interface Located {
  block: Block;
  model: Model;
}

/**
 * `<virtual-mta-pool>` or `<virtual-mta>` blocks by lower-case name, the first definition of a name
 * counting. Collected as a list, the map is made when first asked for: most configurations without
 * Microsoft mail never look a name up, and a map of 512,000 virtual MTAs was two thirds of the analysis.
 */
class FirstByName {
  private map?: Map<string, Located>;
  constructor(private readonly list: readonly Located[]) {}
  private byName(): Map<string, Located> {
    if (!this.map) {
      const map = new Map<string, Located>();
      for (let i = 0; i < this.list.length; i++) {
        const key = this.list[i].block.arg.toLowerCase();
        if (!map.has(key)) map.set(key, this.list[i]);
      }
      this.map = map;
    }
    return this.map;
  }
  get(lowerName: string): Located | undefined {
    return this.byName().get(lowerName);
  }
  has(lowerName: string): boolean {
    return this.byName().has(lowerName);
  }
  /** The first definition of each name, document order. */
  values(): Iterable<Located> {
    return this.byName().values();
  }
  /** How many names are defined. */
  get size(): number {
    return this.byName().size;
  }
}

/** What the analysis needs from the blocks of every file, gathered in one pass. */
interface Collected {
  domainBlocks: DomainBlock[];
  /** The `<domain>` blocks nested in each `<virtual-mta>` or `<virtual-mta-pool>` block, document order. */
  scoped: Map<Block, DomainBlock[]>;
  /** `<virtual-mta-pool>` and `<virtual-mta>` blocks by lower-case name (the first definition counts). */
  pools: FirstByName;
  vmtas: FirstByName;
  sources: Located[];
  mxRollup: MicrosoftAnalysis['mxRollup'];
  hasDomainKey: boolean;
}

/**
 * Step 1, one pass over the blocks of every file: the `<domain>` blocks (top level, or nested in a
 * `<virtual-mta>` or `<virtual-mta-pool>`) with the patterns their argument stands for, the pools, the
 * virtual MTAs, the `<source>` blocks, the `<mx-rollup-list>` entry covering Microsoft's consumer MX
 * hosts, and whether some file has a `domain-key` line.
 */
function collect(models: readonly Model[]): Collected {
  const domainBlocks: DomainBlock[] = [];
  const scoped = new Map<Block, DomainBlock[]>();
  const pools: Located[] = [];
  const vmtas: Located[] = [];
  const sources: Located[] = [];
  let mxRollup: MicrosoftAnalysis['mxRollup'];
  let hasDomainKey = false;
  let index = 0;
  for (const m of models) {
    for (let bI = 0, bList = m.blocks; bI < bList.length; bI++) {
      const b = bList[bI];
      if (b.name === 'domain') {
        const scope =
          b.parent && (b.parent.name === 'virtual-mta' || b.parent.name === 'virtual-mta-pool') ? b.parent : undefined;
        if (b.parent && !scope) continue;
        const arg = b.arg.trim();
        let patterns: string[] | undefined;
        if (arg && !isPlaceholder(arg)) patterns = m.expandDomain(arg);
        const db: DomainBlock = { block: b, model: m, scope, patterns, viaMacro: arg.includes('$'), index: index++ };
        domainBlocks.push(db);
        if (scope) {
          const list = scoped.get(scope);
          if (list) list.push(db);
          else scoped.set(scope, [db]);
        }
      } else if (b.name === 'virtual-mta-pool' && b.arg) {
        pools.push({ block: b, model: m });
      } else if (b.name === 'virtual-mta' && b.arg) {
        vmtas.push({ block: b, model: m });
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
  return {
    domainBlocks,
    scoped,
    pools: new FirstByName(pools),
    vmtas: new FirstByName(vmtas),
    sources,
    mxRollup,
    hasDomainKey,
  };
}

/** Exact pattern → the blocks naming it (document order); the blocks with a wildcard pattern apart. */
interface PatternIndex {
  /**
   * The block naming a pattern, or the blocks (document order) when several do: most patterns are named
   * by one block, and an array for each was a third of the index (a config of 24,000 customer domains).
   */
  byPattern: Map<string, DomainBlock | DomainBlock[]>;
  /** The blocks with a wildcard pattern, all of them and the top-level ones. */
  wildcards: DomainBlock[];
  topWildcards: DomainBlock[];
}

/**
 * Step 2, the index the chains are built from: exact pattern → the blocks naming it (document order);
 * the blocks with a wildcard pattern (`*`, `*.x`, `[*.]x`) apart, since they may match any domain. One
 * index for the chains that ignore nesting and the top-level ones (which keep the blocks not nested).
 */
function indexPatterns(domainBlocks: readonly DomainBlock[]): PatternIndex {
  const byPattern = new Map<string, DomainBlock | DomainBlock[]>();
  const wildcards: DomainBlock[] = [];
  const topWildcards: DomainBlock[] = [];
  for (let i = 0; i < domainBlocks.length; i++) {
    const db = domainBlocks[i];
    if (!db.patterns) continue;
    let wild = false;
    for (let k = 0, ps = db.patterns; k < ps.length; k++) {
      const p = ps[k];
      if (p === '*' || p.startsWith('*.') || p.startsWith('[*.]')) wild = true;
      else {
        const known = byPattern.get(p);
        if (known === undefined) byPattern.set(p, db);
        else if (!Array.isArray(known)) {
          if (known !== db) byPattern.set(p, [known, db]);
        } else if (known[known.length - 1] !== db) known.push(db);
      }
    }
    if (wild) {
      wildcards.push(db);
      if (!db.scope) topWildcards.push(db);
    }
  }
  return { byPattern, wildcards, topWildcards };
}

/** The blocks naming a pattern exactly (document order), only the top-level ones when `topOnly`; undefined when none. */
function exactBlocks(index: PatternIndex, p: string, topOnly: boolean): DomainBlock[] | undefined {
  const known = index.byPattern.get(p);
  if (known === undefined) return undefined;
  if (!Array.isArray(known)) return topOnly && known.scope ? undefined : [known];
  if (!topOnly) return known;
  const top = known.filter((db) => !db.scope);
  return top.length ? top : undefined;
}

/** Among blocks of the same rank, top-level blocks first, then document order. */
function topFirst(x: DomainBlock, y: DomainBlock): number {
  return (x.scope ? 1 : 0) - (y.scope ? 1 : 0) || x.index - y.index;
}

/** The rank of a wildcard block with a single pattern, the same for every domain it matches (see {@link matchRank}). */
function staticRank(db: DomainBlock): number {
  const p = db.patterns![0];
  return p === '*' ? 100 : 10 + 1 / (p.length - (p.startsWith('[*.]') ? 4 : 2) + 1);
}

/** Blocks ranked for a domain, most specific first (those that do not match it left out). */
function ranked(blocks: readonly DomainBlock[], d: string): DomainBlock[] {
  const out: Array<{ db: DomainBlock; r: number }> = [];
  for (let i = 0; i < blocks.length; i++) {
    const r = matchRank(blocks[i], d);
    if (r !== undefined) out.push({ db: blocks[i], r });
  }
  if (out.length > 1) out.sort((x, y) => x.r - y.r || topFirst(x.db, y.db));
  return out.map((x) => x.db);
}

/** Step 3: Microsoft consumer domains configured by a specific block (not `<domain *>`), in document order. */
function configuredDomains(domainBlocks: readonly DomainBlock[]): string[] {
  const configured: string[] = [];
  const seen = new Set<string>();
  for (const db of domainBlocks) {
    if (isStar(db) || !db.patterns) continue;
    for (const p of db.patterns) {
      const base = p.startsWith('[*.]') ? p.slice(4) : p;
      if (base !== p || !p.includes('*')) {
        if (!seen.has(base) && isMicrosoftConsumerDomain(base)) {
          seen.add(base);
          configured.push(base);
        }
      }
    }
  }
  return configured;
}

/** `smtp-hosts` values that still reach Microsoft's servers: an MX lookup of a Microsoft domain, or a Microsoft host. */
function reachesMicrosoft(value: string): boolean {
  return value
    .split(/[,;]/)
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean)
    .some((h) => {
      const host = h.startsWith('lookup-mx:')
        ? h.slice('lookup-mx:'.length)
        : h.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
      return (
        isMicrosoftConsumerDomain(host) || /(^|\.)(outlook\.com|hotmail\.com|protection\.outlook\.com)$/.test(host)
      );
    });
}

/**
 * The analysis of one configuration. The constructor runs the steps in order (collect the blocks, index
 * their patterns, find the configured domains, choose the Microsoft queue, its anchors, the status of
 * every required domain and the deliveries); the lookups (chains, effective values, statuses, routes) are
 * methods with caches of their own, since the rules and features ask the same questions many times.
 */
class Analysis implements MicrosoftAnalysis {
  readonly model: Model;
  readonly domainBlocks: DomainBlock[];
  readonly active: boolean;
  readonly queue: string;
  readonly anchors: DomainBlock[];
  readonly deliveries: Delivery[];
  readonly configured: string[];
  readonly required: string[];
  readonly status: Map<string, DomainStatus>;
  readonly mxRollup: MicrosoftAnalysis['mxRollup'];
  readonly hasDomainKey: boolean;

  private readonly pools: FirstByName;
  private readonly vmtas: FirstByName;
  private readonly sources: Located[];
  private readonly scoped: Map<Block, DomainBlock[]>;
  private readonly byBlock = new Map<Block, DomainBlock>();
  /** Every block by pattern: for the chains that ignore nesting and the top-level chains. */
  private readonly index: PatternIndex;
  /**
   * Configs nest a `<domain *>` in every virtual MTA: thousands of wildcard blocks match every domain.
   * When every wildcard block has one pattern (and no block names a domain both exactly and by a
   * wildcard), a wildcard's rank does not depend on the domain: sort them once (`wildSorted`), and a
   * chain is the exact blocks (ranks 0-1) followed by the matching wildcards (ranks 10 and up) in that order.
   */
  private readonly simpleWildcards: boolean;
  private readonly wildcardSet: Set<DomainBlock>;
  private readonly allWildSorted: DomainBlock[];
  private readonly topWildSorted: DomainBlock[];
  private readonly chainCache = new Map<string, DomainBlock[]>();
  private readonly scopeIds = new Map<Block, number>();
  /** Per block with many lines: the last directive of each name (see {@link lastIn}). */
  private readonly lastByName = new Map<Block, Map<string, DirectiveLine>>();
  /** Chains are cached, so the same chain is asked for the same directive again and again. */
  private readonly effectiveCache = new WeakMap<readonly DomainBlock[], Map<string, Effective | undefined>>();
  private readonly statusCache = new Map<string, DomainStatus>();
  private readonly anchorSet: Set<DomainBlock>;
  private readonly deliveryByAnchor = new Map<DomainBlock, Delivery>();
  /** Every rule asks about the relay of every member. */
  private readonly relays = new WeakMap<MemberQueue, Relay | undefined>();
  /** Pools by virtual MTA (lower-case name), document order. */
  private poolsByVmta?: Map<string, Located[]>;
  /** Every include was followed: a pool member that names no `<virtual-mta>` is undefined (else it may be defined where we cannot see). */
  private readonly allKnown: boolean;

  constructor(model: Model) {
    this.model = model;
    const found = collect(model.allModels());
    this.domainBlocks = found.domainBlocks;
    for (const db of this.domainBlocks) this.byBlock.set(db.block, db);
    this.scoped = found.scoped;
    this.pools = found.pools;
    this.vmtas = found.vmtas;
    this.sources = found.sources;
    this.mxRollup = found.mxRollup;
    this.hasDomainKey = found.hasDomainKey;
    this.allKnown = !model.hasUnresolvedIncludes;
    this.index = indexPatterns(this.domainBlocks);
    this.simpleWildcards = this.index.wildcards.every((db) => db.patterns!.length === 1);
    this.wildcardSet = new Set(this.index.wildcards);
    const sortWild = (ws: readonly DomainBlock[]) =>
      this.simpleWildcards
        ? ws
            .map((db) => ({ db, r: staticRank(db) }))
            .sort((x, y) => x.r - y.r || topFirst(x.db, y.db))
            .map((x) => x.db)
        : [];
    this.allWildSorted = sortWild(this.index.wildcards);
    this.topWildSorted = sortWild(this.index.topWildcards);
    this.configured = configuredDomains(this.domainBlocks);
    this.active = this.configured.length > 0 || !!this.mxRollup;
    this.queue = this.chooseQueue();
    this.anchors = this.findAnchors();
    this.anchorSet = new Set(this.anchors);
    this.required = [...GUIDE_ROLLUP_DOMAINS];
    for (const d of this.configured) if (!this.required.includes(d)) this.required.push(d);
    this.status = this.requiredStatus();
    this.deliveries = this.active ? this.findDeliveries() : [];
  }

  domainBlockOf(b: Block): DomainBlock | undefined {
    return this.byBlock.get(b);
  }

  isAnchor(db: DomainBlock): boolean {
    return this.anchorSet.has(db);
  }

  // ----------------------------------------------------------------------------------------------
  // chains and effective values

  /** Blocks matching a domain, most specific first (scope: a nested block's enclosing vmta/pool; 'any' ignores nesting). */
  chain(domain: string, scope?: Block | 'any'): DomainBlock[] {
    const d = domain.toLowerCase();
    // a scope without a block of its own for the domain has the top-level chain itself: no copy and no entry
    // in the cache (32,000 virtual MTAs asked for each Microsoft domain made hundreds of thousands of both)
    if (scope && scope !== 'any') {
      const blocks = this.scoped.get(scope);
      if (!blocks || !blocks.some((db) => matchRank(db, d) !== undefined)) return this.chain(d);
    }
    let sid = 'top';
    if (scope === 'any') sid = 'any';
    else if (scope) {
      if (!this.scopeIds.has(scope)) this.scopeIds.set(scope, this.scopeIds.size);
      sid = String(this.scopeIds.get(scope));
    }
    const key = d + '\u0000' + sid;
    const hit = this.chainCache.get(key);
    if (hit) return hit;
    let out: DomainBlock[];
    if (scope === 'any') out = this.rankIndexed(d, false);
    else if (!scope) out = this.rankIndexed(d, true);
    else out = [...ranked(this.scoped.get(scope) ?? [], d), ...this.chain(d)];
    this.chainCache.set(key, out);
    return out;
  }

  /** The blocks that match a domain, ranked: every block, or the top-level ones only. */
  private rankIndexed(d: string, topOnly: boolean): DomainBlock[] {
    const exact = exactBlocks(this.index, d, topOnly);
    if (this.simpleWildcards && !(exact && exact.some((db) => this.wildcardSet.has(db)))) {
      // the exact blocks ranked, then the matching wildcards, sorted once
      const wildSorted = topOnly ? this.topWildSorted : this.allWildSorted;
      const head = exact ? ranked(exact, d) : [];
      for (let i = 0; i < wildSorted.length; i++) {
        const db = wildSorted[i];
        if (matchRank(db, d) !== undefined) head.push(db);
      }
      return head;
    }
    const wildcards = topOnly ? this.index.topWildcards : this.index.wildcards;
    if (!exact) return ranked(wildcards, d);
    if (!wildcards.length) return ranked(exact, d);
    const set = new Set([...exact, ...wildcards]);
    return ranked([...set], d);
  }

  /**
   * The last directive of a name directly in a block: most blocks have a few lines, scanned from the
   * end; a block with many gets a map of them the first time it is asked about (the chains of a large
   * config walk thousands of `<domain *>` blocks, and a map each was a megabyte per analysis).
   */
  private lastIn(b: Block, name: string): DirectiveLine | undefined {
    const cs = b.children;
    if (cs.length <= 16) {
      for (let i = cs.length - 1; i >= 0; i--) {
        const c = cs[i];
        if (c.kind === 'directive' && c.name === name) return c;
      }
      return undefined;
    }
    let m = this.lastByName.get(b);
    if (!m) {
      m = new Map();
      for (let i = 0; i < cs.length; i++) {
        const c = cs[i];
        if (c.kind === 'directive') m.set(c.name, c);
      }
      this.lastByName.set(b, m);
    }
    return m.get(name);
  }

  /** First value of a directive along a chain. */
  effective(ch: readonly DomainBlock[], name: string): Effective | undefined {
    let perChain = this.effectiveCache.get(ch);
    if (!perChain) {
      perChain = new Map();
      this.effectiveCache.set(ch, perChain);
    } else if (perChain.has(name)) return perChain.get(name);
    let found: Effective | undefined;
    for (let i = 0; i < ch.length; i++) {
      const db = ch[i];
      const line = this.lastIn(db.block, name);
      if (line) {
        found = { value: line.value, line, db };
        break;
      }
    }
    perChain.set(name, found);
    return found;
  }

  /** All values of a repeatable directive from the first block of the chain that has any. */
  effectiveAll(ch: readonly DomainBlock[], name: string): Effective[] {
    for (const db of ch) {
      const lines = directivesOf(db.block, name);
      if (lines.length) return lines.map((line) => ({ value: line.value, line, db }));
    }
    return [];
  }

  value(m: MemberQueue, name: string): Effective | undefined {
    for (let i = 0; i < m.own.length; i++) {
      const db = m.own[i];
      const line = this.lastIn(db.block, name);
      if (line) return { value: line.value, line, db };
    }
    return this.effective(m.shared, name);
  }

  values(m: MemberQueue, name: string): Effective[] {
    for (const db of m.own) {
      const lines = directivesOf(db.block, name);
      if (lines.length) return lines.map((line) => ({ value: line.value, line, db }));
    }
    return this.effectiveAll(m.shared, name);
  }

  chainOf(m: MemberQueue): DomainBlock[] {
    return m.own.length ? [...m.own, ...m.shared] : m.shared;
  }

  /**
   * The relay a member's queue is sent to: `smtp-hosts` (or its old name `route`) naming hosts that are not
   * Microsoft's, or a `type` that does not deliver by SMTP. Such a queue never connects to Microsoft.
   */
  relayOf(m: MemberQueue): Relay | undefined {
    if (this.relays.has(m)) return this.relays.get(m);
    const r = this.findRelay(m);
    this.relays.set(m, r);
    return r;
  }

  private findRelay(m: MemberQueue): Relay | undefined {
    const hosts = [this.value(m, 'smtp-hosts'), this.value(m, 'route')].filter((e): e is Effective => !!e);
    // the more specific of the two names wins; in one block the later line
    const chain = this.chainOf(m);
    hosts.sort((x, y) => chain.indexOf(x.db) - chain.indexOf(y.db) || y.line.start - x.line.start);
    const h = hosts[0];
    if (h) {
      const v = plainValue(h.line).replace(/^"|"$/g, '');
      if (v && !reachesMicrosoft(v)) return { what: `${h.line.rawName} ${h.value}`, from: h };
    }
    const t = this.value(m, 'type');
    if (t && plainValue(t.line) !== 'smtp' && plainValue(t.line)) return { what: `type ${t.value}`, from: t };
    return undefined;
  }

  // ----------------------------------------------------------------------------------------------
  // where each domain's mail is queued

  statusOf(domain: string): DomainStatus {
    const d = domain.toLowerCase();
    let st = this.statusCache.get(d);
    if (!st) {
      st = this.computeStatus(d);
      this.statusCache.set(d, st);
    }
    return st;
  }

  /** The queue a domain ends in: `queue-to` followed (chains too, loops cut), else the Microsoft MX rollup. */
  private computeStatus(domain: string): DomainStatus {
    const d = domain.toLowerCase();
    const ch = this.chain(d, 'any');
    const holder = ch.find((db) => !isStar(db));
    let queue = d;
    let via: DomainStatus['via'] = 'own';
    let viaLine: DomainStatus['viaLine'];
    const seen = new Set<string>([d]);
    for (let step = 0; step < 8; step++) {
      const q = this.effective(this.chain(queue, 'any'), 'queue-to');
      const target = q ? plainValue(q.line) : '';
      if (!q || !target || target === '""' || seen.has(target)) break;
      if (step === 0) {
        via = 'queue-to';
        viaLine = q.line;
      }
      seen.add(target);
      queue = target;
    }
    const mxRollup = this.mxRollup;
    if (via === 'own' && mxRollup && isMicrosoftConsumerDomain(d)) {
      const off = this.effective(ch, 'disable-mx-rollup');
      if (!off || !['yes', 'true'].includes(plainValue(off.line))) {
        queue = mxRollup.name;
        via = 'mx-rollup-list';
        viaLine = mxRollup.line;
      }
    }
    const st: DomainStatus = { domain: d, queue, via, viaLine, holder };
    return st;
  }

  /**
   * Step 4, the Microsoft queue: the queue most Microsoft domains end in; on a tie, outlook.com's.
   * Voters: configured domains (document order), then the guide's domains that some rule (queue-to from a
   * general block, the MX rollup) sends somewhere else than their own queue.
   */
  private chooseQueue(): string {
    const configured = this.configured;
    const isConfigured = new Set(configured);
    const outlook = this.statusOf('outlook.com');
    const votes = new Map<string, number>();
    for (const d of [...configured, ...GUIDE_ROLLUP_DOMAINS.filter((x) => !isConfigured.has(x))]) {
      const st = this.statusOf(d);
      if (!isConfigured.has(d) && st.via === 'own') continue;
      let q = st.queue;
      // a domain whose block says `mx-rollup X` (not PowerMTA) votes for the queue it means
      const mx =
        st.via === 'own' && st.holder && !st.holder.viaMacro ? directiveOf(st.holder.block, ['mx-rollup']) : undefined;
      if (mx && mx.value) q = plainValue(mx).replace(/^"|"$/g, '');
      votes.set(q, (votes.get(q) ?? 0) + 1);
    }
    // ties: outlook.com's queue, then the guide's order (hotmail.com before hotmail.fr), then document order
    const guideRank = (q: string) =>
      q === outlook.queue ? -1 : GUIDE_ROLLUP_DOMAINS.includes(q) ? GUIDE_ROLLUP_DOMAINS.indexOf(q) : Infinity;
    let queue = outlook.queue;
    let best = votes.get(queue) ?? 0;
    for (const [q, n] of votes) if (n > best || (n === best && guideRank(q) < guideRank(queue))) [queue, best] = [q, n];
    return queue;
  }

  /** Step 5, the blocks that configure the Microsoft queue: explicit `<domain QUEUE>` blocks, else the macro or wildcard block matching it. */
  private findAnchors(): DomainBlock[] {
    const queue = this.queue;
    const named = exactBlocks(this.index, queue, false) ?? [];
    const anchors = named.filter((db) => !db.viaMacro && db.patterns?.length === 1);
    if (anchors.length) return anchors;
    const holder = this.chain(queue, 'any').find((db) => !isStar(db));
    return holder ? [holder] : [];
  }

  /**
   * Step 6, the status of every required domain, with the `mx-rollup X` line (not PowerMTA) of an
   * explicit block of the domain that is not the queue's own block.
   */
  private requiredStatus(): Map<string, DomainStatus> {
    const status = new Map<string, DomainStatus>();
    for (const d of this.required) {
      const st = this.statusOf(d);
      const h = st.holder;
      if (
        h &&
        !h.viaMacro &&
        !this.anchorSet.has(h) &&
        !directiveOf(h.block, ['queue-to']) &&
        exactDomains(h).includes(d)
      ) {
        const mx = directiveOf(h.block, ['mx-rollup']);
        if (mx) st.mxRollupLine = mx;
      }
      status.set(d, st);
    }
    return status;
  }

  // ----------------------------------------------------------------------------------------------
  // the routes the Microsoft queue goes through, and its queue per virtual MTA

  /** A pool as a route: its members that name a defined `<virtual-mta>` (all when an include could not be followed) and the others. */
  private poolRoute(b: Block, m: Model, how: string): Route {
    const members: string[] = [];
    const undefinedMembers: string[] = [];
    const seen = new Set<string>();
    for (const c of b.children) {
      if (c.kind !== 'directive' || c.name !== 'virtual-mta' || !c.args[0]) continue;
      const n = c.args[0].text.toLowerCase();
      if (seen.has(n)) continue;
      seen.add(n);
      if (this.allKnown && !this.vmtas.has(n)) undefinedMembers.push(n);
      else members.push(n);
    }
    return {
      kind: 'pool',
      name: b.arg,
      members,
      ...(undefinedMembers.length ? { undefinedMembers } : {}),
      block: b,
      model: m,
      how,
    };
  }

  /** The route a pool or virtual MTA name stands for; undefined when neither is defined. */
  private routeTo(name: string, how: string): Route | undefined {
    const n = name.toLowerCase();
    const p = this.pools.get(n);
    if (p) return this.poolRoute(p.block, p.model, how);
    const v = this.vmtas.get(n);
    if (v) return { kind: 'vmta', name: v.block.arg, members: [n], block: v.block, model: v.model, how };
    return undefined;
  }

  /** The pools each virtual MTA is a member of, in document order (built when first asked). */
  private poolsOf(vmta: string): Located[] {
    if (!this.poolsByVmta) {
      const map = new Map<string, Located[]>();
      for (const p of this.pools.values()) {
        for (const c of p.block.children) {
          if (c.kind !== 'directive' || c.name !== 'virtual-mta' || !c.args[0]) continue;
          const n = c.args[0].text.toLowerCase();
          const list = map.get(n);
          if (!list) map.set(n, [p]);
          else if (list[list.length - 1] !== p) list.push(p);
        }
      }
      this.poolsByVmta = map;
    }
    return this.poolsByVmta.get(vmta) ?? [];
  }

  /**
   * The route of the Microsoft queue at the top level: the queue's `reroute-to-virtual-mta`, else a source's
   * `default-virtual-mta`, else the only pool. For a nested anchor: the route of its delivery.
   */
  routeOf(anchor?: DomainBlock): Route | undefined {
    if (anchor?.scope) return this.deliveryByAnchor.get(anchor)?.route ?? this.scopeRoute(anchor);
    return this.topRoute();
  }

  private topRouteCache?: { route: Route | undefined };

  private topRoute(): Route | undefined {
    if (this.topRouteCache) return this.topRouteCache.route;
    let route: Route | undefined;
    const rr = this.effective(this.chain(this.queue), 'reroute-to-virtual-mta');
    if (rr && rr.line.args[0])
      route = this.routeTo(
        rr.line.args[0].text,
        `reroute-to-virtual-mta ${rr.line.args[0].text} in ${blockLabel(rr.db.block)}`,
      );
    if (!route) {
      for (const s of this.sources) {
        const dv = directiveOf(s.block, ['default-virtual-mta']);
        if (!dv || !dv.args[0]) continue;
        route = this.routeTo(dv.args[0].text, `default-virtual-mta ${dv.args[0].text} in ${blockLabel(s.block)}`);
        if (route) break;
      }
    }
    if (!route && this.pools.size === 1) {
      const [p] = [...this.pools.values()];
      route = this.poolRoute(p.block, p.model, 'the only pool in the configuration');
    }
    this.topRouteCache = { route };
    return route;
  }

  /** The route of a nested anchor taken alone: its pool, or the pool of its virtual MTA, or the virtual MTA. */
  private scopeRoute(anchor: DomainBlock): Route {
    const s = anchor.scope!;
    const how = `${blockLabel(anchor.block)} is inside ${blockLabel(s)}`;
    if (s.name === 'virtual-mta-pool') return this.poolRoute(s, anchor.model, how);
    const pool = this.poolsOf(s.arg.toLowerCase())[0];
    if (pool) return this.poolRoute(pool.block, pool.model, `${how}, a member of ${blockLabel(pool.block)}`);
    return { kind: 'vmta', name: s.arg, members: [s.arg.toLowerCase()], block: s, model: anchor.model, how };
  }

  /**
   * Step 7, the deliveries: the anchors grouped by the route their queue goes through. A top-level anchor
   * goes with the top-level route; a nested one with it too when its pool or virtual MTA is part of that
   * route, else with the route of its scope (see {@link scopeRoute}).
   */
  private findDeliveries(): Delivery[] {
    const top = this.topRoute();
    const topMembers = new Set(top?.members ?? []);
    const groups = new Map<unknown, { route?: Route; anchors: DomainBlock[] }>();
    const add = (key: unknown, route: Route | undefined, db: DomainBlock) => {
      const g = groups.get(key);
      if (g) g.anchors.push(db);
      else groups.set(key, { route, anchors: [db] });
    };
    for (const db of this.anchors) {
      const s = db.scope;
      if (!s || (top && (s === top.block || (s.name === 'virtual-mta' && topMembers.has(s.arg.toLowerCase()))))) {
        add(top?.block ?? top ?? 'none', top, db);
        continue;
      }
      const route = this.scopeRoute(db);
      add(route.block, route, db);
    }
    const out: Delivery[] = [];
    for (const g of groups.values()) {
      const primary = g.anchors.find((x) => !x.scope) ?? g.anchors[0];
      const d: Delivery = { route: g.route, anchors: g.anchors, primary, members: this.membersOf(g.route) };
      for (const db of g.anchors) this.deliveryByAnchor.set(db, d);
      out.push(d);
    }
    return out;
  }

  /** The queue of each virtual MTA of a route (one queue without a virtual MTA when there is no route). */
  private membersOf(route: Route | undefined): MemberQueue[] {
    const shared = this.chain(this.queue);
    if (!route) return [{ own: [], shared }];
    return route.members.map((n) => {
      const v = this.vmtas.get(n);
      const own: DomainBlock[] = [];
      if (v) pushAll(own, ranked(this.scoped.get(v.block) ?? [], this.queue));
      // the pool whose <domain> blocks the virtual MTA inherits: the first of its pools that has some
      const pool = this.poolsOf(n).find((p) => this.scoped.has(p.block));
      if (pool) pushAll(own, ranked(this.scoped.get(pool.block)!, this.queue));
      return { vmta: n, vmtaBlock: v?.block, own, shared };
    });
  }

  deliveryOf(anchor: DomainBlock): Delivery | undefined {
    return this.deliveryByAnchor.get(anchor);
  }

  /** Per-virtual-MTA cap from `max-smtp-out` in its `<virtual-mta>` block. */
  vmtaMaxSmtpOut(name: string): number | undefined {
    const v = this.vmtas.get(name.toLowerCase());
    const line = v && directiveOf(v.block, ['max-smtp-out']);
    return line && DIGITS.test(line.value) ? Number(line.value) : undefined;
  }
}

// ------------------------------------------------------------------------------------------------
// values for a queue

/** PowerMTA's default for a directive, from the catalog. */
export function defaultOf(name: string): string | undefined {
  return getDirective(name)?.default;
}

/** Effective `max-smtp-out` (a number; undefined when the value cannot be read). */
export function maxSmtpOutOf(
  a: MicrosoftAnalysis,
  ch: readonly DomainBlock[],
): { value: number | undefined; from?: Effective } {
  const e = a.effective(ch, 'max-smtp-out');
  if (!e) return { value: Number(defaultOf('max-smtp-out') ?? '20') };
  return { value: DIGITS.test(e.value) ? Number(e.value) : undefined, from: e };
}

/** Seconds of a duration list's shortest interval. */
export function shortestInterval(value: string): number | undefined {
  const items = value.split(',').map((s) => parseDuration(s.trim()));
  if (!items.length || items.some((x) => x === undefined)) return undefined;
  // (a loop: Math.min(...items) throws past about 120,000 items, and a line may hold that many)
  let min = Infinity;
  for (const x of items as number[]) if (x < min) min = x;
  return min;
}
