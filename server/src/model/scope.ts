/**
 * A configuration seen as PowerMTA reads it, across its files: which `include` line read each included
 * file (so a line of a file included inside `<virtual-mta v1>` stands in that virtual MTA), the blocks
 * around a line through those includes, and the directives of a name in reading order (an included file's
 * lines where its `include` stands). Worked out once per configuration model.
 */
import type { Block, DirectiveLine } from '../parser/ast';
import { getDirective } from '../knowledge/catalog';
import type { DirectiveInfo } from '../knowledge/types';
import type { Model } from './index';

/** The `include` line that first read a file, and the URI of the file that holds that line. */
export interface IncludedAt {
  line: DirectiveLine;
  uri: string;
}

const parentsOf = new WeakMap<Model, Map<string, IncludedAt>>();

/** For each file the configuration includes (by URI), the include line that first reads it. */
export function includeParents(scope: Model): ReadonlyMap<string, IncludedAt> {
  let out = parentsOf.get(scope);
  if (out) return out;
  out = new Map();
  for (const m of scope.allModels()) {
    for (const inc of m.includes)
      for (const r of inc.resolved) if (r !== scope && !out.has(r.uri)) out.set(r.uri, { line: inc.line, uri: m.uri });
  }
  parentsOf.set(scope, out);
  return out;
}

/**
 * The blocks around a line or block of the file at `uri`, innermost first, climbing out of an included
 * file through the include line that read it.
 */
export function blocksAround(node: { parent?: Block }, uri: string, parents: ReadonlyMap<string, IncludedAt>): Block[] {
  const out: Block[] = [];
  for (let b = node.parent; b; b = b.parent) out.push(b);
  // (most lines stand in a file included by none: no set of the files climbed through)
  let by = parents.get(uri);
  if (!by) return out;
  const seen = new Set<string>([uri]);
  while (by && !seen.has(by.uri)) {
    for (let b = by.line.parent; b; b = b.parent) out.push(b);
    seen.add(by.uri);
    by = parents.get(by.uri);
  }
  return out;
}

/** A directive and the model of the file it stands in. */
export interface Placed {
  model: Model;
  line: DirectiveLine;
}

const INCLUDE = getDirective('include');

/**
 * The directives of these catalog entries in the order PowerMTA reads them: each file top to bottom, an
 * included file's lines at its `include` line (each file once). Entries, not names, are compared: the
 * model looked them up once (comparing the names of every line costs ten times more on large files).
 */
export function inReadingOrder(scope: Model, entries: ReadonlySet<DirectiveInfo>): Placed[] {
  const out: Placed[] = [];
  const done = new Set<Model>();
  const visit = (m: Model) => {
    if (done.has(m)) return;
    done.add(m);
    let k = 0;
    for (let i = 0, list = m.directives, infos = m.directiveInfos; i < list.length; i++) {
      const info = infos[i];
      if (info === undefined) continue;
      if (entries.has(info)) out.push({ model: m, line: list[i] });
      if (info === INCLUDE && m.includes[k]?.line === list[i]) for (const r of m.includes[k++].resolved) visit(r);
    }
  };
  visit(scope);
  return out;
}

/** The catalog entries of these directive names (for {@link inReadingOrder} and loops over `directiveInfos`). */
export function entriesOf(...names: string[]): Set<DirectiveInfo> {
  return new Set(names.map((n) => getDirective(n)).filter((i): i is DirectiveInfo => !!i));
}
