/**
 * `undefined-reference` (error): a virtual-mta, pool, smtp-pattern-list, pattern-list, source or
 * macro used (in a directive's value, or as a `<pattern-list>` rule's `virtual-mta=NAME`) but never
 * defined (in this file, the files it includes, the configuration that includes it, or the files linted
 * with it). Not reported when an include could not be followed: the name may be defined there.
 */
import { editDistance } from '../knowledge/catalog';
import type { ReferenceKind } from '../knowledge/types';
import type { Rule } from './types';
import type { Fix } from '../findings';
import type { Model } from '../model';

const LABEL: Record<ReferenceKind, string> = {
  'virtual-mta': 'virtual MTA',
  'virtual-mta-pool': 'virtual MTA pool',
  'vmta-or-pool': 'virtual MTA or pool',
  'smtp-pattern-list': 'smtp-pattern-list',
  'pattern-list': 'pattern-list',
  'domain-macro': 'domain macro',
  source: 'source',
  'rewrite-list': 'rewrite-list',
  proxy: 'proxy',
  'domain-key-list': 'domain-key-list',
};

const HOW: Record<ReferenceKind, (n: string) => string> = {
  'virtual-mta': (n) => `<virtual-mta ${n}>`,
  'virtual-mta-pool': (n) => `<virtual-mta-pool ${n}>`,
  'vmta-or-pool': (n) => `<virtual-mta ${n}> or <virtual-mta-pool ${n}>`,
  'smtp-pattern-list': (n) => `<smtp-pattern-list ${n}>`,
  'pattern-list': (n) => `<pattern-list ${n}>`,
  'domain-macro': (n) => `domain-macro ${n} …`,
  source: (n) => `<source ${n}>`,
  'rewrite-list': (n) => `<rewrite-list ${n}>`,
  proxy: (n) => `<proxy ${n}>`,
  'domain-key-list': (n) => `<domain-key-list ${n}>`,
};

/** The other kind of pattern list (a name defined as one and used as the other is wrong-list-kind's). */
const OTHER_LIST: Partial<Record<ReferenceKind, ReferenceKind>> = {
  'pattern-list': 'smtp-pattern-list',
  'smtp-pattern-list': 'pattern-list',
};

/** Names PowerMTA defines itself. */
const BUILTIN: Partial<Record<ReferenceKind, string[]>> = {
  'vmta-or-pool': ['{default}'],
  'virtual-mta': ['{default}'],
  source: ['{pickup}', '{auth}'],
};

export const undefinedReferenceRule: Rule = {
  id: 'undefined-reference',
  defaultSeverity: 'error',
  description: 'A virtual-mta, pool, smtp-pattern-list, pattern-list, source or macro that is used but never defined.',
  check(ctx) {
    const { model, siblings } = ctx;
    // the configuration this file is part of holds this model: its names include this file's
    const scope = ctx.root ?? model;
    if (scope.hasUnresolvedIncludes) return;
    // defined names per kind and suggestions per (kind, name): computed once per check, not per reference
    const candidatesOf = new Map<string, string[]>();
    // by kind, then name: only the names that were compared are kept (once the budget is spent, a key
    // and an entry for each of 100,000 undefined names cost more than the rest of the check)
    const closeCache = new Map<string, Map<string, string[]>>();
    const budget = { left: MAX_COMPARISONS };
    for (let refI = 0, refList = model.references; refI < refList.length; refI++) {
      const ref = refList[refI];
      if (BUILTIN[ref.kind]?.includes(ref.name.toLowerCase())) continue;
      if (scope.defines(ref.kind, ref.name)) continue;
      if (siblings.length && isDefinedIn(siblings, ref.kind, ref.name)) continue;
      // a list of the other kind has the name: wrong-list-kind reports it
      const other = OTHER_LIST[ref.kind];
      if (other && (scope.defines(other, ref.name) || isDefinedIn(siblings, other, ref.name))) continue;
      // a pool where a virtual MTA is expected (a pool member, cold-virtual-mta): it is defined, as a pool
      if (
        ref.kind === 'virtual-mta' &&
        (scope.defines('virtual-mta-pool', ref.name) || isDefinedIn(siblings, 'virtual-mta-pool', ref.name))
      ) {
        const member = ref.line.kind === 'directive' && ref.line.name === 'virtual-mta';
        ctx.report({
          span: ref.span,
          message: member
            ? `"${ref.name}" is a virtual MTA pool, not a virtual MTA: a pool's members are virtual MTAs, and a pool cannot be a member of another pool. List the virtual MTAs of ${ref.name} here instead.`
            : `"${ref.name}" is a virtual MTA pool, not a virtual MTA: this directive takes the name of a <virtual-mta>.`,
        });
        continue;
      }
      const kinds: ReferenceKind[] = ref.kind === 'vmta-or-pool' ? ['virtual-mta', 'virtual-mta-pool'] : [ref.kind];
      let candidates = candidatesOf.get(ref.kind);
      if (!candidates) {
        candidates = [
          ...new Set([scope, ...siblings].flatMap((m) => kinds.flatMap((k) => m.allDefinitions(k).map((d) => d.name)))),
        ];
        candidatesOf.set(ref.kind, candidates);
      }
      let cached = closeCache.get(ref.kind);
      let close = cached?.get(ref.name);
      if (!close) {
        close = closeNames(candidates, ref.name, budget);
        if (close !== NO_NAMES) {
          if (!cached) closeCache.set(ref.kind, (cached = new Map()));
          cached.set(ref.name, close);
        }
      }
      const fixes: Fix[] = close.map((n, i) => ({
        title: `Change to "${n}"`,
        changes: [{ span: ref.span, newText: n }],
        isPreferred: i === 0,
      }));
      const label = LABEL[ref.kind];
      const tail = close.length
        ? `; did you mean ${close.map((c) => `"${c}"`).join(' or ')}?`
        : `; define it with ${HOW[ref.kind](ref.name)}`;
      ctx.report({ span: ref.span, message: `The ${label} "${ref.name}" is not defined${tail}`, fixes });
    }
  },
};

/** (Apart from the loop over every reference: a closure there would allocate on every turn.) */
function isDefinedIn(models: readonly Model[], kind: ReferenceKind, name: string): boolean {
  for (const m of models) if (m.defines(kind, name)) return true;
  return false;
}

/** No suggestion, without comparing: too long a name, or the budget spent (the same for every such name). */
const NO_NAMES: string[] = [];

/** Names longer than this get no suggestion (the distance would be costly and meaningless). */
const MAX_SUGGEST_LENGTH = 200;

/**
 * Names compared with undefined names in one check, at most: each undefined name is compared with
 * every defined one, so thousands of both took minutes. Past this, undefined names get no suggestion.
 */
const MAX_COMPARISONS = 200000;

/**
 * Up to three defined names close to `name`, closest first (ties: definition order); none when the
 * comparisons left in `budget` are fewer than the candidates.
 */
function closeNames(candidates: readonly string[], name: string, budget: { left: number }): string[] {
  if (name.length > MAX_SUGGEST_LENGTH || candidates.length > budget.left) return NO_NAMES;
  budget.left -= candidates.length;
  const lower = name.toLowerCase();
  const limit = Math.max(2, Math.floor(name.length / 3));
  const scored: Array<{ n: string; d: number }> = [];
  for (const n of candidates) {
    const d = editDistance(n.toLowerCase(), lower, limit);
    if (d <= limit) scored.push({ n, d });
  }
  return scored
    .sort((a, b) => a.d - b.d)
    .slice(0, 3)
    .map((x) => x.n);
}
