/**
 * `dkim-sign-without-key` (warning): `dkim-sign yes` (or `second-dkim-sign`) in a `<domain>` block whose
 * mail no `domain-key` can sign. PowerMTA signs a message with the first key whose domain is the
 * message's sending domain (of its Sender header, else its From header), a parent domain of it, or `*`,
 * taken from the virtual MTA the message goes through and from the top level; with no key, the message
 * goes out unsigned (UG 3.3.1.43.1). The sending domain is in the message, not in the configuration, so
 * what is certain is the case where no key at all can be reached:
 *
 * - a `<domain>` at the top level: no `domain-key` at the top level, in any virtual MTA or in any pool;
 * - a `<domain>` inside `<virtual-mta v1>`: none at the top level, in v1 or in a pool v1 belongs to;
 * - a `<domain>` inside `<virtual-mta-pool p>`: none at the top level, in p or in its members.
 *
 * Keys of a `<domain-key-list>` count when some `<source>` processes X-DKIM-Options (a message may pick
 * the list); nothing is reported when some source processes X-DKIM-Key (the key comes with the message).
 * Only reported on a whole configuration: every include followed, and the file (or the configuration
 * that includes it) holds the settings of a main configuration (`postmaster`, `host-name`, listeners…);
 * a conf.d fragment checked alone may get its keys from files that are not known.
 */
import type { Block, DirectiveLine } from '../parser/ast';
import type { Model } from '../model';
import { keyOwner } from '../model/domainKeys';
import { blocksAround, entriesOf, includeParents } from '../model/scope';
import { isSigning } from '../microsoft/recommend';
import { plural } from '../util/phrases';
import type { Rule } from './types';

/** Settings a main configuration has and a conf.d fragment of domains or virtual MTAs does not. */
const MAIN_CONFIG = new Set([
  'postmaster',
  'host-name',
  'smtp-listener',
  'log-file',
  'run-as-root',
  'http-mgmt-port',
  'http-access',
  'total-max-smtp-out',
  'spool',
  'pickup',
]);
const MAIN_BLOCKS = new Set(['spool', 'smtp-listener']);
// catalog entries are compared, not names (see model/scope.ts inReadingOrder)
const SIGN = entriesOf('dkim-sign', 'second-dkim-sign');
const [X_DKIM_OPTIONS] = entriesOf('process-x-dkim-options');
const [X_DKIM_KEY] = entriesOf('process-x-dkim-key');
const [MEMBER] = entriesOf('virtual-mta');

export const dkimSignWithoutKeyRule: Rule = {
  id: 'dkim-sign-without-key',
  defaultSeverity: 'warning',
  description:
    'dkim-sign yes where no domain-key can sign the mail (no key at the top level or in the virtual MTAs and pools that send it): it goes out unsigned.',
  check(ctx) {
    const { model } = ctx;
    const signing: DirectiveLine[] = [];
    for (let i = 0, list = model.directives, infos = model.directiveInfos; i < list.length; i++) {
      const info = infos[i];
      if (info !== undefined && SIGN.has(info) && isSigning(valueOf(list[i]))) signing.push(list[i]);
    }
    if (!signing.length) return;
    const scope = ctx.root ?? model;
    if (scope.hasUnresolvedIncludes || !isWholeConfiguration(scope)) return;
    const keys = indexKeys(scope);
    if (keys.fromMessages) return;
    const parents = includeParents(scope);
    for (const line of signing) {
      // the <domain> of the line and the block around it (through the include that read this file, if none here)
      const domain = line.parent ?? blocksAround(line, model.uri, parents)[0];
      if (domain?.name !== 'domain') continue;
      const holder = domain.parent ?? blocksAround(domain, model.uri, parents)[0];
      const problem = holder ? missingIn(keys, holder) : keys.any ? undefined : 'none';
      if (!problem) continue;
      ctx.report({
        span: { start: line.nameSpan.start, end: line.valueSpan.end },
        message: message(line, domain, holder, problem, keys, scope),
      });
    }
  },
};

/** What is known of the keys of a configuration. */
interface KeyIndex {
  /** Some key outside key lists (or inside one a message may select). */
  any: boolean;
  global: number;
  byVmta: Map<string, number>;
  byPool: Map<string, number>;
  /** Keys in `<domain-key-list>` blocks (they count only when `selectable`). */
  inLists: number;
  selectable: boolean;
  /** Some source takes the key from the message (process-x-dkim-key). */
  fromMessages: boolean;
  /** Pools by member and members by pool (names in lower case); worked out when first asked ({@link pools}). */
  pools?: { poolsOf: Map<string, Set<string>>; membersOf: Map<string, Set<string>> };
  scope: Model;
}

function indexKeys(scope: Model): KeyIndex {
  const parents = includeParents(scope);
  const k: KeyIndex = {
    any: false,
    global: 0,
    byVmta: new Map(),
    byPool: new Map(),
    inLists: 0,
    selectable: false,
    fromMessages: false,
    scope,
  };
  const add = (map: Map<string, number>, name: string) => map.set(name, (map.get(name) ?? 0) + 1);
  for (const m of scope.allModels()) {
    for (const dk of m.domainKeys) {
      const owner = keyOwner(blocksAround(dk.line, m.uri, parents));
      if (owner.kind === 'global') k.global++;
      else if (owner.kind === 'virtual-mta') add(k.byVmta, owner.name);
      else if (owner.kind === 'virtual-mta-pool') add(k.byPool, owner.name);
      else if (owner.kind === 'domain-key-list') k.inLists++;
    }
    for (let i = 0, list = m.directives, infos = m.directiveInfos; i < list.length; i++) {
      const info = infos[i];
      if (info === X_DKIM_OPTIONS && isYes(list[i])) k.selectable = true;
      else if (info === X_DKIM_KEY && isYes(list[i])) k.fromMessages = true;
    }
  }
  k.any = k.global + sum(k.byVmta) + sum(k.byPool) + (k.selectable ? k.inLists : 0) > 0;
  return k;
}

/** The pools of each virtual MTA and the members of each pool (only needed when no key is at the top level). */
function pools(k: KeyIndex): NonNullable<KeyIndex['pools']> {
  if (k.pools) return k.pools;
  const out = { poolsOf: new Map<string, Set<string>>(), membersOf: new Map<string, Set<string>>() };
  const parents = includeParents(k.scope);
  for (const m of k.scope.allModels()) {
    for (let i = 0, list = m.directives, infos = m.directiveInfos; i < list.length; i++) {
      const d = list[i];
      if (infos[i] !== MEMBER || !d.value) continue;
      const pool = d.parent ?? blocksAround(d, m.uri, parents)[0];
      if (pool?.name !== 'virtual-mta-pool') continue;
      const p = pool.arg.toLowerCase();
      const v = valueOf(d).toLowerCase();
      addTo(out.poolsOf, v, p);
      addTo(out.membersOf, p, v);
    }
  }
  return (k.pools = out);
}

/** Why no key reaches the mail of a `<domain>` inside `holder` (a virtual MTA or pool); undefined when one does. */
function missingIn(k: KeyIndex, holder: Block): 'holder' | undefined {
  if (k.global > 0 || (k.selectable && k.inLists > 0)) return undefined;
  const name = holder.arg.toLowerCase();
  if (holder.name === 'virtual-mta') {
    if (k.byVmta.get(name)) return undefined;
    for (const p of pools(k).poolsOf.get(name) ?? []) if (k.byPool.get(p)) return undefined;
    return 'holder';
  }
  if (holder.name === 'virtual-mta-pool') {
    if (k.byPool.get(name)) return undefined;
    for (const v of pools(k).membersOf.get(name) ?? []) if (k.byVmta.get(v)) return undefined;
    return 'holder';
  }
  // a <domain> inside another block is wrong-context's: nothing to say here
  return undefined;
}

function message(
  line: DirectiveLine,
  domain: Block,
  holder: Block | undefined,
  problem: 'none' | 'holder',
  k: KeyIndex,
  scope: Model,
): string {
  const sign = `${line.rawName} ${line.plainValue ? line.value : line.args[0]?.text}`;
  const files = scope.allModels().length;
  const across = files > 1 ? `, across the ${files} files of the configuration` : '';
  const lists = k.inLists
    ? `; the ${plural(k.inLists, 'key')} of <domain-key-list> blocks sign only a message that selects its list in an X-DKIM-Options header, which no <source> processes (process-x-dkim-options)`
    : '';
  let what: string;
  if (problem === 'none') {
    what = `this configuration has no domain-key (checked: the top level, every virtual MTA and every pool${across})${lists}`;
  } else {
    const name = holder!.arg;
    const related = [
      ...((holder!.name === 'virtual-mta' ? pools(k).poolsOf : pools(k).membersOf).get(name.toLowerCase()) ?? []),
    ];
    const checked =
      holder!.name === 'virtual-mta'
        ? related.length
          ? `the top level, <virtual-mta ${name}> and its pools (${related.join(', ')})`
          : `the top level and <virtual-mta ${name}>, which is in no pool`
        : related.length
          ? `the top level, <virtual-mta-pool ${name}> and its members (${related.join(', ')})`
          : `the top level and <virtual-mta-pool ${name}>, which has no members`;
    const others = sum(k.byVmta) + sum(k.byPool);
    const elsewhere = others
      ? `; the ${plural(others, 'key')} of other virtual MTAs and pools do not sign its mail`
      : '';
    what = `no domain-key can sign the mail of this <domain ${domain.arg}> in <${holder!.name} ${name}> (checked: ${checked}${across})${elsewhere}${lists}`;
  }
  return (
    `"${sign}" signs nothing: ${what}. PowerMTA signs a message only with a domain-key for its sending domain (of its Sender or From header), ` +
    'a parent domain of it, or *, and sends it unsigned when there is none. Add one, e.g. "domain-key s1, example.com, /etc/pmta/dkim/s1.example.com.pem".'
  );
}

function addTo(map: Map<string, Set<string>>, key: string, item: string): void {
  const set = map.get(key);
  if (set) set.add(item);
  else map.set(key, new Set([item]));
}

/** The first word of a value. */
function valueOf(d: DirectiveLine): string {
  return d.plainValue ? d.value : (d.args[0]?.text ?? '');
}

function isYes(d: DirectiveLine): boolean {
  return /^(yes|true)$/i.test(valueOf(d));
}

function sum(m: ReadonlyMap<string, number>): number {
  let n = 0;
  for (const v of m.values()) n += v;
  return n;
}

/**
 * The configuration is whole: it holds settings only a main configuration has (a fragment of domains or
 * virtual MTAs checked alone may get its keys from a file that is not known).
 */
function isWholeConfiguration(scope: Model): boolean {
  for (const m of scope.allModels()) {
    for (const n of m.tree.children) {
      if (n.kind === 'directive' && MAIN_CONFIG.has(n.name)) return true;
      if (n.kind === 'block' && MAIN_BLOCKS.has(n.name)) return true;
    }
  }
  return false;
}
