/**
 * `empty-pool` (warning): a `<virtual-mta-pool>` without a single `virtual-mta` member, used to send
 * mail: by `default-virtual-mta`, `reroute-to-virtual-mta` or `backoff-reroute-to-virtual-mta`, or by a
 * `virtual-mta=NAME` result of a `<pattern-list>` rule. A pool delivers through its members (UG 3.3.13),
 * so mail sent to an empty one has nothing to go out through. Reported where the pool is used, in this file; a pool
 * whose block holds an `include` or template lines may get its members from them and is left alone.
 */
import type { Block, Span } from '../parser/ast';
import type { Definition } from '../model';
import { lineNo } from '../model';
import type { Rule, RuleContext } from './types';

export const emptyPoolRule: Rule = {
  id: 'empty-pool',
  defaultSeverity: 'warning',
  description:
    'A <virtual-mta-pool> with no virtual-mta member that mail is sent to (default-virtual-mta, a reroute, a pattern-list result).',
  check(ctx) {
    const { model } = ctx;
    const verdicts = new Map<string, Definition[] | null>();
    const judge = (name: string, span: Span) => {
      const key = name.toLowerCase();
      let empty = verdicts.get(key);
      if (empty === undefined) verdicts.set(key, (empty = emptyPool(ctx, name)));
      if (empty) report(ctx, name, span, empty);
    };
    // (the model's references include the virtual-mta=NAME results of pattern-list rules)
    for (const r of model.references) {
      if (r.kind === 'vmta-or-pool' || r.kind === 'virtual-mta-pool') judge(r.name, r.span);
    }
  },
};

/** The definitions of a pool of this name when every one of them is empty; null when it has members, or is no pool. */
function emptyPool(ctx: RuleContext, name: string): Definition[] | null {
  const scope = ctx.root ?? ctx.model;
  const defs = [scope, ...ctx.siblings].flatMap((m) => m.lookup('virtual-mta-pool', name));
  // a virtual MTA of that name is what is used (or the clash is reported elsewhere)
  if (defs.length === 0 || scope.defines('virtual-mta', name)) return null;
  return defs.every((d) => d.block && hasNoMembers(d.block)) ? defs : null;
}

/** No `virtual-mta` line in the pool's block, and nothing that could bring one (an include, a template line). */
function hasNoMembers(b: Block): boolean {
  for (const c of b.children) {
    if (c.kind === 'template') return false;
    if (c.kind === 'directive' && (c.name === 'virtual-mta' || c.name === 'include')) return false;
  }
  return true;
}

function report(ctx: RuleContext, name: string, span: Span, defs: Definition[]): void {
  const d = defs[0];
  const here = d.uri === ctx.model.uri;
  const where = here ? `line ${lineNo(ctx.model, d.span.start)}` : d.uri.slice(d.uri.lastIndexOf('/') + 1);
  ctx.report({
    span,
    message: `The pool "${name}" has no members (<virtual-mta-pool ${d.name}>, ${where}, has no virtual-mta line): mail sent to it has no virtual MTA to go out through. Add a "virtual-mta NAME" line for each virtual MTA of the pool.`,
    related: defs.map((x) => ({
      span: x.span,
      message: 'the empty pool',
      uri: x.uri === ctx.model.uri ? undefined : x.uri,
    })),
  });
}
