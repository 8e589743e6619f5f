/**
 * Go to definition, find references and rename for the names a configuration defines and uses:
 * virtual-mtas, pools, smtp-pattern-lists, pattern-lists, domain macros, sources (and the other
 * reference kinds the catalog knows). Works across included files and sibling documents.
 */
import type {
  DocumentHighlight,
  DocumentHighlightKind,
  Location,
  Range,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver-types';
import type { Span } from '../parser/ast';
import { fileKey, type Definition, type Model, type Reference } from '../model';
import type { ReferenceKind } from '../knowledge/types';

/** Concrete kinds a name can be defined as. */
type DefKind = Exclude<ReferenceKind, 'vmta-or-pool'>;

export interface NameAt {
  /** The kind as written at this place (a reference may be `vmta-or-pool`). */
  kind: ReferenceKind;
  name: string;
  /** Span of the name under the cursor. */
  span: Span;
  definition?: Definition;
  reference?: Reference;
}

/** Kinds that may be renamed. */
const RENAMABLE = new Set<ReferenceKind>([
  'virtual-mta',
  'virtual-mta-pool',
  'vmta-or-pool',
  'smtp-pattern-list',
  'pattern-list',
  'domain-macro',
  'source',
]);

function contains(span: Span, offset: number, text: string, dollar: boolean): boolean {
  if (offset >= span.start && offset <= span.end) return true;
  // the `$` in front of a macro name belongs to the use
  return dollar && offset === span.start - 1 && text[offset] === '$';
}

/** The defined or referenced name at an offset, if any. */
export function nameAt(model: Model, offset: number): NameAt | undefined {
  if (!Number.isFinite(offset)) return undefined;
  for (const d of model.definitions) {
    if (contains(d.span, offset, model.text, false)) return { kind: d.kind, name: d.name, span: d.span, definition: d };
  }
  let best: Reference | undefined;
  for (const r of model.references) {
    if (!contains(r.span, offset, model.text, r.kind === 'domain-macro')) continue;
    if (!best || r.span.end - r.span.start < best.span.end - best.span.start) best = r;
  }
  if (best) return { kind: best.kind, name: best.name, span: best.span, reference: best };
  return undefined;
}

function concreteKinds(kind: ReferenceKind): DefKind[] {
  return kind === 'vmta-or-pool' ? ['virtual-mta', 'virtual-mta-pool'] : [kind];
}

/** Models to search: this one and what it includes, then siblings and what they include. */
function modelsFor(model: Model, siblings: readonly Model[] = []): Model[] {
  const out: Model[] = [];
  const seen = new Set<string>();
  const add = (m: Model) => {
    for (const x of m.allModels()) {
      // (one file once, however its URI is spelled: the open text comes first)
      const key = fileKey(x.uri);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(x);
    }
  };
  add(model);
  for (const s of siblings) add(s);
  return out;
}

function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** The kinds the name under the cursor stands for (a `vmta-or-pool` reference is narrowed by its definitions). */
function targetKinds(models: readonly Model[], at: NameAt): Set<DefKind> {
  if (at.definition) return new Set(concreteKinds(at.definition.kind));
  const kinds = concreteKinds(at.kind);
  if (kinds.length === 1) return new Set(kinds);
  const found = new Set<DefKind>();
  for (const m of models)
    for (const d of m.definitions)
      if (kinds.includes(d.kind as DefKind) && sameName(d.name, at.name)) found.add(d.kind as DefKind);
  return found.size ? found : new Set(kinds);
}

function refMatches(r: Reference, kinds: Set<DefKind>, name: string): boolean {
  if (!sameName(r.name, name)) return false;
  return concreteKinds(r.kind).some((k) => kinds.has(k));
}

interface Occurrence {
  model: Model;
  span: Span;
  isDefinition: boolean;
}

function occurrences(models: readonly Model[], at: NameAt): Occurrence[] {
  const kinds = targetKinds(models, at);
  const out: Occurrence[] = [];
  for (const m of models) {
    for (const d of m.definitions) {
      if (kinds.has(d.kind as DefKind) && sameName(d.name, at.name))
        out.push({ model: m, span: d.span, isDefinition: true });
    }
    for (const r of m.references) {
      if (refMatches(r, kinds, at.name)) out.push({ model: m, span: r.span, isDefinition: false });
    }
  }
  return out;
}

function location(o: { model: Model; span: Span }): Location {
  return { uri: o.model.uri, range: o.model.range(o.span) };
}

function isIncludePath(model: Model, offset: number): boolean {
  return model.includes.some((i) => offset >= i.span.start && offset <= i.span.end);
}

export function definition(model: Model, offset: number, siblings: Model[] = []): Location[] {
  if (isIncludePath(model, offset)) return [];
  const at = nameAt(model, offset);
  if (!at) return [];
  const models = modelsFor(model, siblings);
  const kinds = at.definition ? new Set(concreteKinds(at.definition.kind)) : new Set(concreteKinds(at.kind));
  const out: Location[] = [];
  for (const m of models) {
    for (const d of m.definitions) {
      if (kinds.has(d.kind as DefKind) && sameName(d.name, at.name)) out.push(location({ model: m, span: d.span }));
    }
  }
  return out;
}

export function references(
  model: Model,
  offset: number,
  includeDeclaration: boolean,
  siblings: Model[] = [],
): Location[] {
  if (isIncludePath(model, offset)) return [];
  const at = nameAt(model, offset);
  if (!at) return [];
  const occ = occurrences(modelsFor(model, siblings), at).filter((o) => includeDeclaration || !o.isDefinition);
  occ.sort((a, b) => (a.model === b.model ? a.span.start - b.span.start : 0));
  return dedupe(occ).map(location);
}

/**
 * Document highlights: the occurrences in this file of the name under the cursor (a virtual MTA, pool,
 * pattern list, source or macro), its definitions written (kind 3), its uses read (kind 2).
 */
export function documentHighlights(model: Model, offset: number): DocumentHighlight[] {
  if (isIncludePath(model, offset)) return [];
  const at = nameAt(model, offset);
  if (!at) return [];
  const occ = dedupe(occurrences(modelsFor(model), at).filter((o) => o.model === model));
  occ.sort((a, b) => a.span.start - b.span.start);
  return occ.map((o) => ({ range: model.range(o.span), kind: (o.isDefinition ? 3 : 2) as DocumentHighlightKind }));
}

function dedupe(occ: Occurrence[]): Occurrence[] {
  const seen = new Set<string>();
  return occ.filter((o) => {
    const key = o.model.uri + '#' + o.span.start + ':' + o.span.end;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function prepareRename(model: Model, offset: number): { range: Range; placeholder: string } | null {
  const at = nameAt(model, offset);
  if (!at || !RENAMABLE.has(at.definition?.kind ?? at.kind)) return null;
  const written = model.text.slice(at.span.start, at.span.end);
  const placeholder =
    written.length >= 2 && written.startsWith('"') && written.endsWith('"') ? written.slice(1, -1) : written;
  return { range: model.range(at.span), placeholder };
}

/** A name PowerMTA accepts for the kind: no white space, no characters that end a tag or start a comment. */
function validName(kind: ReferenceKind, name: string): boolean {
  if (!name || /[\s<>#,"]/.test(name)) return false;
  if (kind === 'domain-macro') return /^[A-Za-z0-9_]+$/.test(name);
  return true;
}

/**
 * Rename a name everywhere it is defined or used: this file and the files it includes, or, with `config`
 * (the configuration the file is part of), every file of that configuration.
 */
export function rename(model: Model, offset: number, newName: string, config: Model = model): WorkspaceEdit | null {
  const at = nameAt(model, offset);
  if (!at) return null;
  const kind = at.definition?.kind ?? at.kind;
  if (!RENAMABLE.has(kind)) return null;
  let name = typeof newName === 'string' ? newName : '';
  if (kind === 'domain-macro' && name.startsWith('$')) name = name.slice(1);
  if (!validName(kind, name)) return null;
  const occ = dedupe(occurrences(config.allModels(), at));
  if (!occ.length) return null;
  const changes: Record<string, TextEdit[]> = {};
  for (const o of occ) {
    const written = o.model.text.slice(o.span.start, o.span.end);
    const quoted = written.length >= 2 && written.startsWith('"') && written.endsWith('"');
    (changes[o.model.uri] ??= []).push({ range: o.model.range(o.span), newText: quoted ? `"${name}"` : name });
  }
  for (const list of Object.values(changes))
    list.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return { changes };
}
