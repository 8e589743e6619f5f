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

export function getDirective(name: string): DirectiveInfo | undefined {
  return byName.get(name.toLowerCase());
}

export function isDirectiveName(name: string): boolean {
  return byName.has(name.toLowerCase());
}

export function getBlock(name: string): BlockInfo | undefined {
  return blocksByName.get(name.toLowerCase());
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

/** Optimal string alignment distance (Damerau-Levenshtein with adjacent swaps). */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  const d: number[][] = Array.from({ length: m + 1 }, (_, i) => [i, ...new Array<number>(n).fill(0)]);
  for (let j = 0; j <= n; j++) d[0][j] = j;
  for (let i = 1; i <= m; i++) {
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[m][n];
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
};

/** Up to `max` catalog names close to `name`, best first, restricted to a context when given. */
export function suggest(name: string, context?: Context, max = 3): string[] {
  const n = name.toLowerCase();
  const known = KNOWN_CONFUSIONS[n];
  const pool = context ? DIRECTIVES.filter((d) => d.contexts.includes(context)) : DIRECTIVES;
  const limit = Math.max(1, Math.min(3, Math.floor(n.length / 4)));
  const scored = pool
    .map((d) => ({ name: d.name, dist: editDistance(n, d.name) }))
    .filter((x) => x.dist <= limit || (n.length >= 5 && (x.name.startsWith(n) || x.name.includes(n))))
    .sort((a, b) => a.dist - b.dist || a.name.localeCompare(b.name))
    .map((x) => x.name);
  const out = known ? [known, ...scored.filter((s) => s !== known)] : scored;
  return out.slice(0, max);
}

export { KNOWN_CONFUSIONS };
