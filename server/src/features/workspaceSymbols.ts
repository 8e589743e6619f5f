/**
 * Workspace symbols (Go to Symbol in Workspace, Ctrl+T): the named blocks (`<domain hotmail.com>`,
 * `<virtual-mta mta1>`, pools, pattern lists, sources…) and `domain-macro` definitions of the open files
 * and of every file their configurations include, so a virtual MTA is found in whichever file of conf.d
 * defines it. The query matches when its characters appear in the name in order, case ignored.
 */
import type { SymbolInformation, SymbolKind } from 'vscode-languageserver-types';
import { fileKey, type Model } from '../model';
import { symbolKindOf } from './symbols';

/** At most this many symbols are returned (the editor asks again as the query grows). */
const MAX_WORKSPACE_SYMBOLS = 2000;

const CONSTANT = 14 as SymbolKind;

/** `query`'s characters appear in `name` in this order (case ignored); the empty query matches all. */
function fuzzyMatch(query: string, name: string): boolean {
  const q = query.toLowerCase();
  const n = name.toLowerCase();
  let i = 0;
  for (let k = 0; k < n.length && i < q.length; k++) if (n[k] === q[i]) i++;
  return i === q.length;
}

/** The symbols of `models` and of everything they include, each file once. */
export function workspaceSymbols(
  models: readonly Model[],
  query: string,
  max = MAX_WORKSPACE_SYMBOLS,
): SymbolInformation[] {
  const out: SymbolInformation[] = [];
  const seen = new Set<string>();
  const q = query.trim();
  for (const root of models) {
    for (const m of root.allModels()) {
      const key = fileKey(m.uri);
      if (seen.has(key)) continue;
      seen.add(key);
      for (const b of m.blocks) {
        if (!b.arg || b.pseudo || !fuzzyMatch(q, b.arg)) continue;
        const container = b.parent
          ? `${b.name} in <${b.parent.name}${b.parent.arg ? ' ' + b.parent.arg : ''}>`
          : b.name;
        out.push({
          name: b.arg,
          kind: symbolKindOf(b.name),
          containerName: container,
          location: { uri: m.uri, range: m.range(b.argSpan) },
        });
        if (out.length >= max) return out;
      }
      for (const d of m.macros.values()) {
        if (!fuzzyMatch(q, d.name)) continue;
        out.push({
          name: d.name,
          kind: CONSTANT,
          containerName: 'domain-macro',
          location: { uri: m.uri, range: m.range(d.span) },
        });
        if (out.length >= max) return out;
      }
    }
  }
  return out;
}
