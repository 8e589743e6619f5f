/**
 * `pool-member` (error): a `virtual-mta` line in a `<virtual-mta-pool>` that names more than one thing.
 * A member line takes exactly one virtual MTA name (UG 3.3.13.1); PowerMTA pools have no weights, so
 * `virtual-mta mta1 weight 100` (seen in generated configurations) is not PowerMTA syntax. The fix keeps
 * the name, or puts each of several defined virtual MTAs on a line of its own. Also a virtual MTA that
 * is a member of two pools which both hold `<domain>` blocks, which PowerMTA does not allow.
 */
import type { Block, DirectiveLine, Word } from '../parser/ast';
import type { Fix } from '../findings';
import { isPlaceholder, shown } from '../knowledge/values';
import { indentAt } from './util';
import type { Rule, RuleContext } from './types';

export const poolMemberRule: Rule = {
  id: 'pool-member',
  defaultSeverity: 'error',
  description:
    'A virtual-mta line in a <virtual-mta-pool> with more than one word (a member line takes one virtual MTA name), or a virtual MTA in two pools that both have <domain> blocks.',
  check(ctx) {
    let inPoolWithDomains = false;
    const withDomains = new PoolsWithDomains();
    for (let i = 0, ds = ctx.model.directives; i < ds.length; i++) {
      const d = ds[i];
      if (d.name !== 'virtual-mta' || d.parent?.name !== 'virtual-mta-pool') continue;
      if (!inPoolWithDomains && withDomains.has(d.parent)) inPoolWithDomains = true;
      if (!d.plainValue) checkMember(ctx, d);
    }
    if (inPoolWithDomains) checkSharedMembers(ctx, withDomains);
  },
};

/**
 * Whether a pool holds `<domain>` blocks, worked out once per pool: asked for each member line, a walk of
 * the pool's lines each time was quadratic in a pool of thousands of members.
 */
class PoolsWithDomains {
  private known = new Map<Block, boolean>();
  has(pool: Block): boolean {
    let v = this.known.get(pool);
    if (v === undefined) {
      v = pool.children.some((c) => c.kind === 'block' && c.name === 'domain');
      this.known.set(pool, v);
    }
    return v;
  }
}

/** At most this many other pools are named in a message (a virtual MTA may be in thousands). */
const MAX_NAMED_POOLS = 3;

/**
 * A virtual MTA that is a member of two pools which both hold `<domain>` blocks: PowerMTA does not
 * allow it (UG 3.3.13). Reported on each such member line of this file, naming the other pools.
 */
function checkSharedMembers(ctx: RuleContext, withDomains: PoolsWithDomains): void {
  const { model } = ctx;
  const scope = ctx.root ?? model;
  // member name (lower case) → the pools with <domain> blocks that list it, in reading order
  const poolsOf = new Map<string, Set<Block>>();
  for (const m of scope.allModels()) {
    for (let i = 0, ds = m.directives; i < ds.length; i++) {
      const d = ds[i];
      const pool = d.parent;
      if (d.name !== 'virtual-mta' || pool?.name !== 'virtual-mta-pool' || !d.plainValue) continue;
      if (!withDomains.has(pool) || isPlaceholder(d.value)) continue;
      const key = d.value.toLowerCase();
      const pools = poolsOf.get(key);
      if (!pools) poolsOf.set(key, new Set([pool]));
      else pools.add(pool);
    }
  }
  for (let i = 0, ds = model.directives; i < ds.length; i++) {
    const d = ds[i];
    const pool = d.parent;
    if (d.name !== 'virtual-mta' || pool?.name !== 'virtual-mta-pool' || !d.plainValue) continue;
    const pools = poolsOf.get(d.value.toLowerCase());
    if (!pools || pools.size < 2 || !pools.has(pool)) continue;
    const others: string[] = [];
    for (const p of pools) {
      if (p === pool) continue;
      if (others.length === MAX_NAMED_POOLS) {
        others.push(`${pools.size - 1 - MAX_NAMED_POOLS} more`);
        break;
      }
      others.push(`"${p.arg}"`);
    }
    ctx.report({
      span: d.valueSpan,
      message: `The virtual MTA "${d.value}" is also a member of ${others.length === 1 ? `the pool ${others[0]}, and both pools have` : `the pools ${others.slice(0, -1).join(', ')} and ${others[others.length - 1]}, and all of them have`} <domain> blocks: PowerMTA does not allow a virtual MTA in two pools that both have <domain> blocks. Keep it in one of them, or move the <domain> settings of one pool into its virtual MTAs.`,
    });
  }
}

/** The names of a member line: its words split at commas as well (`virtual-mta a,b` names two). */
function namesOf(d: DirectiveLine): Word[] {
  const out: Word[] = [];
  for (const w of d.args) {
    if (w.quoted) {
      out.push(w);
      continue;
    }
    let at = w.start;
    for (const part of w.text.split(',')) {
      if (part) out.push({ start: at, end: at + part.length, text: part, quoted: false });
      at += part.length + 1;
    }
  }
  return out;
}

function checkMember(ctx: RuleContext, d: DirectiveLine): void {
  const { model } = ctx;
  if (isPlaceholder(d.value)) return;
  const names = namesOf(d);
  if (names.length < 2) return;
  const scope = ctx.root ?? model;
  const defined = (w: Word) =>
    scope.defines('virtual-mta', w.text) || ctx.siblings.some((m) => m.defines('virtual-mta', w.text));
  const fixes: Fix[] = [];
  let message: string;
  if (names.every(defined)) {
    // several members on one line: one line each
    const ind = indentAt(model.text, d.start);
    const eol = model.text.slice(d.contentEnd, d.end) || '\n';
    const lines = names.map((w) => `${ind}${d.rawName} ${w.text}`).join(eol);
    message = `A member line takes one virtual MTA name: write ${names.map((w) => `"${w.text}"`).join(', ')} on lines of their own`;
    fixes.push({
      title: 'Put each virtual MTA on a line of its own',
      changes: [{ span: { start: d.start, end: d.contentEnd }, newText: lines }],
      isPreferred: true,
    });
  } else {
    const first = names[0];
    const extra = model.text.slice(names[1].start, d.valueSpan.end);
    message = `A member line takes one virtual MTA name; "${shown(extra)}" is not PowerMTA syntax (a pool uses its members in turn and has no weights)`;
    fixes.push({
      title: `Keep only "${first.text}"`,
      changes: [{ span: d.valueSpan, newText: model.text.slice(first.start, first.end) }],
      isPreferred: true,
    });
  }
  ctx.report({ span: { start: names[1].start, end: d.valueSpan.end }, message, fixes });
}
