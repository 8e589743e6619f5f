/**
 * Lookup over the knowledge data: directives by name or alias, blocks, suggestions.
 */
import { BLOCKS } from './blocks';
import { DIRECTIVES } from './directives';
import type { BlockInfo, Context, DirectiveInfo } from './types';

const byName = new Map<string, DirectiveInfo>();
for (const d of DIRECTIVES) {
  byName.set(d.name, d);
}
for (const d of DIRECTIVES) {
  for (const a of d.aliases ?? []) if (!byName.has(a)) byName.set(a, d);
}
const blocksByName = new Map<string, BlockInfo>(BLOCKS.map((b) => [b.name, b]));

// Every key is lower case, so a name found as written needs no lower-casing (names usually are).

export function getDirective(name: string): DirectiveInfo | undefined {
  return byName.get(name) ?? byName.get(name.toLowerCase());
}

export function isDirectiveName(name: string): boolean {
  return byName.has(name) || byName.has(name.toLowerCase());
}

export function getBlock(name: string): BlockInfo | undefined {
  return blocksByName.get(name) ?? blocksByName.get(name.toLowerCase());
}

export function allDirectives(): readonly DirectiveInfo[] {
  return DIRECTIVES;
}

export function allBlocks(): readonly BlockInfo[] {
  return BLOCKS;
}

/** Directives allowed in a context. */
export function directivesFor(context: Context): DirectiveInfo[] {
  return DIRECTIVES.filter((d) => d.contexts.includes(context));
}

/** Rows reused by {@link editDistance} (names are short; this avoids allocating per call). */
let rowA = new Int32Array(64);
let rowB = new Int32Array(64);
let rowC = new Int32Array(64);

/**
 * Optimal string alignment distance (Damerau-Levenshtein with adjacent swaps).
 * With `max`, the exact distance is returned when it is at most `max`, and some value above `max`
 * otherwise (the computation stops as soon as the distance cannot come back under `max`).
 */
export function editDistance(a: string, b: string, max = Infinity): number {
  const m = a.length;
  const n = b.length;
  if (Math.abs(m - n) > max) return max + 1;
  if (m === 0) return n;
  if (n === 0) return m;
  if (rowA.length <= n) {
    rowA = new Int32Array(n + 1);
    rowB = new Int32Array(n + 1);
    rowC = new Int32Array(n + 1);
  }
  // prev2 = row i-2, prev = row i-1, cur = row i
  let prev2 = rowA;
  let prev = rowB;
  let cur = rowC;
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    let rowMin = i;
    const ai = a.charCodeAt(i - 1);
    const ai1 = i > 1 ? a.charCodeAt(i - 2) : -1;
    for (let j = 1; j <= n; j++) {
      const bj = b.charCodeAt(j - 1);
      const cost = ai === bj ? 0 : 1;
      let v = prev[j] + 1;
      const ins = cur[j - 1] + 1;
      if (ins < v) v = ins;
      const sub = prev[j - 1] + cost;
      if (sub < v) v = sub;
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && ai1 === bj) {
        const tr = prev2[j - 2] + 1;
        if (tr < v) v = tr;
      }
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    // a cell of row i+1 comes from row i or (swap) row i-1: both above max means the end is too
    if (rowMin > max) {
      let prevMin = prev[0];
      for (let j = 1; j <= n; j++) if (prev[j] < prevMin) prevMin = prev[j];
      if (prevMin > max) return max + 1;
    }
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[n];
}

/**
 * The name among `names` closest to `word` by {@link editDistance}, if one is at most `limit` edits away
 * (default: a third of the word's length, at least 1); ties go to the earlier name. For did-you-mean
 * messages over short fixed lists (rule ids, bounce categories, annotation values).
 */
export function closestName(
  word: string,
  names: readonly string[],
  limit = Math.max(1, Math.floor(word.length / 3)),
): string | undefined {
  let best: string | undefined;
  let bestDist = limit + 1;
  for (const n of names) {
    const d = editDistance(word, n, limit);
    if (d < bestDist) {
      best = n;
      bestDist = d;
    }
  }
  return best;
}

/**
 * Up to `max` of `candidates` close to `name` (case ignored), closest first: for a did-you-mean on any
 * list of names (rule ids in settings, for instance). Close means within an edit distance of a quarter of
 * the name's length (at least 2), or that the name is a candidate without its first dash-separated words
 * (`unsafe-limit` for `microsoft-unsafe-limit`).
 */
export function closestNames(name: string, candidates: readonly string[], max = 2): string[] {
  if (name.length > MAX_SUGGEST_LENGTH) return [];
  const lower = name.toLowerCase();
  const limit = Math.max(2, Math.floor(lower.length / 4));
  const scored: Array<{ c: string; d: number }> = [];
  for (const c of candidates) {
    const cl = c.toLowerCase();
    const d = cl.endsWith('-' + lower) ? limit : editDistance(lower, cl, limit);
    if (d <= limit) scored.push({ c, d });
  }
  return scored
    .sort((a, b) => a.d - b.d)
    .slice(0, max)
    .map((x) => x.c);
}

/**
 * Known misspellings and invented names seen in blog posts and generated configs, mapped to the
 * real directive (reference powermta-syntax.md, "Beware" and section 4; microsoft.md).
 */
const KNOWN_CONFUSIONS: Record<string, string> = {
  'max-conn-rate': 'max-connect-rate',
  'max-connection-rate': 'max-connect-rate',
  'max-message-rate': 'max-msg-rate',
  'max-connections': 'max-smtp-out',
  'bind-to-source-ip': 'smtp-source-host',
  '421-means-mx-unavailable': 'smtp-421-means-mx-unavailable',
  'timeout-connect': 'connect-timeout',
  'min-retry-interval': 'retry-after',
  'max-retry-time': 'bounce-after',
  'map-header-to-column': 'map-header-to-field',
  // DKIM keys: PowerMTA has no dkim-key; the key, its selector and its domain go on one domain-key line
  // (UG 3.3.1.43.1). By spelling, dkim-key is closest to retain-x-dkim-key, which is something else.
  'dkim-key': 'domain-key',
  'dkim-private-key': 'domain-key',
  'dkim-key-file': 'domain-key',
  'dkim-selector': 'domain-key',
};

/**
 * Known confusions whose real directive takes its value in another form: renaming the line is not
 * enough, so the message shows the form and the rename is not applied without review.
 */
const CONFUSION_FORMS: Record<string, string> = {
  'dkim-key': 'domain-key SELECTOR,DOMAIN,FILE',
  'dkim-private-key': 'domain-key SELECTOR,DOMAIN,FILE',
  'dkim-key-file': 'domain-key SELECTOR,DOMAIN,FILE',
  'dkim-selector': 'domain-key SELECTOR,DOMAIN,FILE',
};

/** Directives allowed in each context (built on first use). */
const byContext = new Map<string, readonly DirectiveInfo[]>();

/** Names longer than this get no suggestion (nothing in the catalog is close; the distance would be costly). */
const MAX_SUGGEST_LENGTH = 200;

const suggestCache = new Map<string, string[]>();

/** Up to `max` catalog names close to `name`, best first, restricted to a context when given. */
export function suggest(name: string, context?: Context, max = 3): string[] {
  const key = (context ?? '') + '\u0000' + max + '\u0000' + name;
  let hit = suggestCache.get(key);
  if (!hit) {
    hit = computeSuggest(name, context, max);
    if (suggestCache.size > 2000) suggestCache.clear();
    suggestCache.set(key, hit);
  }
  return [...hit];
}

function computeSuggest(name: string, context: Context | undefined, max: number): string[] {
  const n = name.toLowerCase();
  const known = KNOWN_CONFUSIONS[n];
  if (n.length > MAX_SUGGEST_LENGTH) return known ? [known] : [];
  let pool: readonly DirectiveInfo[] = DIRECTIVES;
  if (context) {
    let p = byContext.get(context);
    if (!p) {
      p = DIRECTIVES.filter((d) => d.contexts.includes(context));
      byContext.set(context, p);
    }
    pool = p;
  }
  const limit = Math.max(1, Math.min(3, Math.floor(n.length / 4)));
  const scored: Array<{ name: string; dist: number }> = [];
  for (const d of pool) {
    const contains = n.length >= 5 && (d.name.startsWith(n) || d.name.includes(n));
    // the exact distance is needed to sort a contained name; otherwise only whether it is within the limit
    const dist = editDistance(n, d.name, contains ? Infinity : limit);
    if (dist <= limit || contains) scored.push({ name: d.name, dist });
  }
  scored.sort((a, b) => a.dist - b.dist || a.name.localeCompare(b.name));
  const names = scored.map((x) => x.name);
  const out = known ? [known, ...names.filter((s) => s !== known)] : names;
  return out.slice(0, max);
}

export { KNOWN_CONFUSIONS, CONFUSION_FORMS };
