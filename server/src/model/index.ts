/**
 * The semantic model of one document version: blocks and their contexts, names defined and used,
 * macros and their expansion, includes, DKIM key lines, and `# pmta-lint:` annotations. Built once per
 * version and shared by every rule and feature. Reading the annotations (annotations.ts), following the
 * includes (includes.ts) and reading the DKIM key files (domainKeys.ts) are modules of their own beside
 * this one; scope.ts sees a configuration across its files.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position, Range } from 'vscode-languageserver-types';
import { Block, DirectiveLine, Line, Node, PatternLine, Span, SyntaxTree } from '../parser/ast';
import { parse } from '../parser/parser';
import { getBlock, getDirective, isDirectiveName } from '../knowledge/catalog';
import type { BlockInfo, Context, DirectiveInfo, ReferenceKind } from '../knowledge/types';
import { isPlaceholder } from '../knowledge/values';
import { type Annotations, disablesAny, isSuppressed, readAnnotations } from './annotations';
import { type BuildState, fileKey, followIncludes, startBuild } from './includes';
import { type DomainKeyLine, readDomainKeys } from './domainKeys';

export { fileKey };
import type { IncludeHost } from '../hosts/includeHost';
import { pushAll } from '../util/arrays';
import { positionIn } from '../util/positions';
import { Char, isDigitCode, isLetterCode, matchesAsciiLower, skipSpace, trimEndSpace } from '../util/text';

export interface Definition {
  kind: ReferenceKind;
  /** Name as written. */
  name: string;
  /** Span of the name in its document. */
  span: Span;
  uri: string;
  block?: Block;
  line?: DirectiveLine;
}

export interface Reference {
  kind: ReferenceKind;
  name: string;
  span: Span;
  line: DirectiveLine | Line;
}

export interface MacroDef {
  readonly name: string;
  /** Items as written (may contain `$other`). */
  readonly items: readonly string[];
  readonly line: DirectiveLine;
  readonly span: Span;
}

/**
 * A `domain-macro` line's definition. Its items (the words after the name, split at commas, trimmed, the
 * empty ones left out) are made when first asked for: a lint reads them only for the macros a pattern
 * names, and a long macro's items held as strings doubled what its line costs.
 */
class MacroDefinition implements MacroDef {
  private made: string[] | undefined;
  constructor(
    readonly name: string,
    readonly line: DirectiveLine,
    readonly span: Span,
  ) {}

  get items(): readonly string[] {
    if (!this.made) {
      const list: string[] = [];
      const args = this.line.args;
      for (let i = 1; i < args.length; i++) pushCommaItems(args[i].text, list);
      // (kept in an array of its own size: one grown by push has room for 16)
      this.made = list.slice();
    }
    return this.made;
  }
}

export interface IncludeRef {
  line: DirectiveLine;
  path: string;
  span: Span;
  /** Models of the files the include resolved to (empty when not found or not resolved). */
  resolved: Model[];
  /** Why it could not be followed (undefined when resolved or when resolution is off). */
  error?: string;
  /** Resolution was not attempted (no file system, or turned off). */
  skipped: boolean;
}

export interface BuildOptions {
  host?: IncludeHost;
  /** Follow includes (default true when a host is given). */
  resolveIncludes?: boolean;
  /** Only read included files inside the workspace folders. */
  workspaceOnly?: boolean;
  /**
   * The tree of the previous version of this document: its untouched lines are taken over (see
   * `ParseOptions.previous`); it must not be used afterwards. Never passed on to included files.
   */
  previous?: SyntaxTree;
  /**
   * Models to take for these files instead of reading them (an included file open in the editor, with
   * its unsaved text). Keyed by {@link fileKey} of the URI.
   */
  overlay?: ReadonlyMap<string, Model>;
  /**
   * Models of included files from an earlier build, by URI: one is taken again when its file's text is
   * the same and it includes nothing (an edit of one file of a split configuration then parses that
   * file only, not every file the configuration includes).
   */
  reuse?: ReadonlyMap<string, Model>;
  /**
   * Texts to take for these files instead of reading them, by {@link fileKey}: the open files that include
   * files themselves (those that include nothing stand in with their models, `overlay`). Their
   * models are built again within this build, so two open files that include each other do not depend on
   * each other's models.
   */
  openTexts?: ReadonlyMap<string, string>;
}

/** The included files of a model that include nothing themselves, by URI: {@link BuildOptions.reuse}. */
export function reusableModels(model: Model | undefined): Map<string, Model> {
  const out = new Map<string, Model>();
  if (model) for (const m of model.allModels()) if (m !== model && m.includes.length === 0) out.set(m.uri, m);
  return out;
}

/**
 * Put a node and its catalog entry at index i of two lists made at a counted size (see the Model
 * constructor), growing them when the count fell short.
 */
function putPair<A, B>(as: A[], bs: B[], i: number, a: A, b: B): void {
  if (i < as.length) {
    as[i] = a;
    bs[i] = b;
  } else {
    as.push(a);
    bs.push(b);
  }
}

/** Numbers the models built, so that a cache key can name one. */
let serials = 0;

export class Model {
  /** This model's number, unique in the process: a cache key for what was computed from it. */
  readonly serial = ++serials;
  readonly text: string;
  readonly tree: SyntaxTree;
  readonly blocks: Block[];
  /** The catalog entry of each block in {@link blocks} (same index), looked up once for every rule. */
  readonly blockInfos: Array<BlockInfo | undefined>;
  readonly directives: DirectiveLine[];
  /** The catalog entry of each directive in {@link directives} (same index), looked up once for every rule. */
  readonly directiveInfos: Array<DirectiveInfo | undefined>;
  private nBlocks = 0;
  private nDirectives = 0;
  readonly definitions: Definition[] = [];
  readonly references: Reference[] = [];
  readonly macros = new Map<string, MacroDef>();
  readonly includes: IncludeRef[] = [];
  /** The `domain-key` lines, with what the host found in their key files (domainKeys.ts). */
  readonly domainKeys: DomainKeyLine[];
  readonly annotations: Annotations;
  /**
   * Definitions by kind, then by lower-case name: the definition, or the definitions (document order)
   * when there are several. Most names are defined once: an array for each was made for nothing.
   */
  private defIndex = new Map<ReferenceKind, Map<string, Definition | Definition[]>>();

  constructor(
    readonly doc: TextDocument,
    options: BuildOptions = {},
    state?: BuildState<Model>,
  ) {
    this.text = doc.getText();
    this.tree = parse(this.text, { isDirectiveName, previous: options.previous });
    // The four lists are made at their size, counted on the lines (a directive inside an inline pseudo
    // block is not a line of its own, so the count can fall short; then they grow), and cut after
    // collect. Grown by push, they made about twice their size in garbage arrays, 2.4 MB per version of
    // a 100k-line file.
    const lines = this.tree.lines;
    let nd = 0;
    let nb = 0;
    for (let i = 0; i < lines.length; i++) {
      const k = lines[i].kind;
      if (k === 'directive') nd++;
      else if (k === 'open-tag' || k === 'pseudo-open' || k === 'pseudo-inline') nb++;
    }
    this.blocks = new Array<Block>(nb);
    this.blockInfos = new Array<BlockInfo | undefined>(nb);
    this.directives = new Array<DirectiveLine>(nd);
    this.directiveInfos = new Array<DirectiveInfo | undefined>(nd);
    this.collect(this.tree.children);
    this.blocks.length = this.blockInfos.length = this.nBlocks;
    this.directives.length = this.directiveInfos.length = this.nDirectives;
    this.annotations = readAnnotations(this.text, lines);
    const st = state ?? startBuild<Model>(options);
    // the previous tree is this document's only: never passed on to the files it includes
    const sub = options.previous ? { ...options, previous: undefined } : options;
    followIncludes(doc.uri, this.includes, sub, st, (d) => new Model(d, sub, st));
    this.domainKeys = readDomainKeys(doc.uri, this.text, this.directives, this.directiveInfos, sub);
  }

  get uri(): string {
    return this.doc.uri;
  }

  /** The context a line stands in: its nearest enclosing block's name, or 'global'. */
  contextOf(node: Line | Block): Context {
    const b = node.kind === 'block' ? node.parent : node.parent;
    return b ? (b.name as Context) : 'global';
  }

  /** The block a directive line belongs to (its parent block), if any. */
  enclosingBlock(node: Line | Block): Block | undefined {
    return node.parent;
  }

  range(span: Span): Range {
    return { start: this.positionAt(span.start), end: this.positionAt(span.end) };
  }

  /** The position of an offset of the text, as `doc.positionAt` gives it (util/positions.ts says why not that). */
  positionAt(offset: number): Position {
    return positionIn(this.text, this.tree.lineStarts, offset);
  }

  /** Definitions of a name, in this document and in the files it includes. */
  lookup(kind: ReferenceKind, name: string): Definition[] {
    const lower = name.toLowerCase();
    if (this.includes.length === 0) {
      // no included file: straight from this model's index
      if (kind !== 'vmta-or-pool') return this.definedHere(kind, lower);
      const out = this.definedHere('virtual-mta', lower);
      pushAll(out, this.definedHere('virtual-mta-pool', lower));
      return out;
    }
    const kinds: ReferenceKind[] = kind === 'vmta-or-pool' ? ['virtual-mta', 'virtual-mta-pool'] : [kind];
    const out: Definition[] = [];
    const seen = new Set<Model>();
    const visit = (m: Model) => {
      if (seen.has(m)) return;
      seen.add(m);
      for (const k of kinds) pushAll(out, m.definedHere(k, lower));
      for (const inc of m.includes) for (const r of inc.resolved) visit(r);
    };
    visit(this);
    return out;
  }

  /** The definitions of a lower-case name in this document only, document order (a new array). */
  private definedHere(kind: ReferenceKind, lower: string): Definition[] {
    const found = this.defIndex.get(kind)?.get(lower);
    return found === undefined ? [] : Array.isArray(found) ? found.slice() : [found];
  }

  /** Whether a name is defined, in this document or in the files it includes ({@link lookup} without the list). */
  defines(kind: ReferenceKind, name: string): boolean {
    if (this.includes.length) return this.lookup(kind, name).length > 0;
    const lower = name.toLowerCase();
    if (kind !== 'vmta-or-pool') return this.defIndex.get(kind)?.has(lower) === true;
    return (
      this.defIndex.get('virtual-mta')?.has(lower) === true ||
      this.defIndex.get('virtual-mta-pool')?.has(lower) === true
    );
  }

  /** All definitions of a kind, here and in included files. */
  allDefinitions(kind?: ReferenceKind): Definition[] {
    const out: Definition[] = [];
    const seen = new Set<Model>();
    const visit = (m: Model) => {
      if (seen.has(m)) return;
      seen.add(m);
      pushAll(out, kind ? m.definitions.filter((d) => d.kind === kind) : m.definitions);
      for (const inc of m.includes) for (const r of inc.resolved) visit(r);
    };
    visit(this);
    return out;
  }

  /** Every model reachable through includes, this one first. */
  allModels(): Model[] {
    const out: Model[] = [];
    const seen = new Set<Model>();
    const visit = (m: Model) => {
      if (seen.has(m)) return;
      seen.add(m);
      out.push(m);
      for (const inc of m.includes) for (const r of inc.resolved) visit(r);
    };
    visit(this);
    return out;
  }

  /** True when some include could not be followed (so names may be defined where we cannot see). */
  get hasUnresolvedIncludes(): boolean {
    return this.allModels().some((m) => m.includes.some((i) => i.resolved.length === 0));
  }

  /** A macro by name, here or in included files. */
  macro(name: string): MacroDef | undefined {
    const lower = name.toLowerCase();
    if (this.includes.length === 0) return this.macros.get(lower);
    for (const m of this.allModels()) {
      const d = m.macros.get(lower);
      if (d) return d;
    }
    return undefined;
  }

  /**
   * Expand a domain pattern with `$macro` parts into the domains it stands for. Returns undefined when
   * a macro is unknown, when macros loop, are nested more than {@link MAX_MACRO_DEPTH} deep or stand
   * for more than {@link MAX_EXPANSION} domains.
   */
  expandDomain(pattern: string): string[] | undefined {
    // most arguments name a domain: no macro to look for
    if (pattern.indexOf('$') < 0) return [pattern.toLowerCase()];
    const m = MACRO_USE.exec(pattern);
    if (!m) return [pattern.toLowerCase()];
    if (m.index !== 0 || m[0].length !== pattern.length) return this.expand(pattern, new Set(), new Map());
    // one macro alone (`$name`): worked out once for this model, whoever asks (every domain block that
    // names it, the outline, completion, hover)
    const name = m[1].toLowerCase();
    let e = this.expansions.get(name);
    if (e === undefined) {
      e = this.expand(pattern, new Set(), new Map()) ?? null;
      this.expansions.set(name, e);
    }
    return e ? e.slice() : undefined;
  }

  /** The expansions of `$name` alone asked of {@link expandDomain}, by lower-case name (null: none). */
  private expansions = new Map<string, string[] | null>();

  /**
   * {@link expandDomain} inside macros: `seen` holds the macros being expanded (one met again is a loop),
   * `alone` the expansions of macros named alone already made in this expansion. A macro that names
   * another twice is expanded once (without this, a chain of macros that each name the one before twice
   * took twice as long with each macro).
   */
  private expand(pattern: string, seen: Set<string>, alone: Map<string, string[]>): string[] | undefined {
    if (pattern.indexOf('$') < 0) return [pattern.toLowerCase()];
    const m = MACRO_USE.exec(pattern);
    if (!m) return [pattern.toLowerCase()];
    const name = m[1].toLowerCase();
    const whole = m.index === 0 && m[0].length === pattern.length;
    const made = whole ? alone.get(name) : undefined;
    if (made) return made;
    const def = this.macro(name);
    if (!def || seen.has(name) || seen.size >= MAX_MACRO_DEPTH) return undefined;
    seen.add(name);
    let out: string[] | undefined = [];
    for (const item of def.items) {
      const replaced = whole ? item : pattern.slice(0, m.index) + item + pattern.slice(m.index + m[0].length);
      const sub = this.expand(replaced, seen, alone);
      if (!sub || out.length + sub.length > MAX_EXPANSION) {
        out = undefined;
        break;
      }
      for (let i = 0; i < sub.length; i++) out.push(sub[i]);
    }
    seen.delete(name);
    if (!out) return undefined;
    const unique = [...new Set(out)];
    if (whole) alone.set(name, unique);
    return unique;
  }

  /**
   * True when a rule is suppressed at an offset by a `# pmta-lint: disable…` comment (in a file without
   * a `disable` annotation, no line is worked out).
   */
  isSuppressedAt(rule: string, offset: number): boolean {
    return disablesAny(this.annotations) && isSuppressed(this.annotations, rule, this.positionAt(offset).line);
  }

  // ----------------------------------------------------------------------------------------

  private define(d: Definition): void {
    this.definitions.push(d);
    const lower = d.name.toLowerCase();
    let byName = this.defIndex.get(d.kind);
    if (!byName) this.defIndex.set(d.kind, (byName = new Map()));
    const known = byName.get(lower);
    if (known === undefined) byName.set(lower, d);
    else if (Array.isArray(known)) known.push(d);
    else byName.set(lower, [known, d]);
  }

  /**
   * Blocks and directives depth-first in document order (a block before its children). With a stack of
   * its own, not by recursion: blocks nested thousands deep would overflow the call stack.
   */
  private collect(top: readonly Node[]): void {
    const lists: Array<readonly Node[]> = [top];
    const next: number[] = [0];
    while (lists.length) {
      const depth = lists.length - 1;
      const nodes = lists[depth];
      const i = next[depth]++;
      if (i >= nodes.length) {
        lists.pop();
        next.pop();
        continue;
      }
      const n = nodes[i];
      if (n.kind === 'block') {
        const info = getBlock(n.name);
        putPair(this.blocks, this.blockInfos, this.nBlocks++, n, info);
        if (info?.defines && n.arg && !isPlaceholder(n.arg)) {
          this.define({ kind: info.defines, name: n.arg, span: n.argSpan, uri: this.doc.uri, block: n });
        }
        if (n.name === 'domain' && n.arg.includes('$')) this.addMacroRefs(n.arg, n.argSpan.start, n.open as Line);
        lists.push(n.children);
        next.push(0);
        continue;
      }
      if (n.kind === 'directive') this.directive(n);
      else if (n.kind === 'pattern' && n.rest.length && n.parent?.name === 'pattern-list') this.patternResults(n);
    }
  }

  /**
   * The `virtual-mta=NAME` results of a `<pattern-list>` rule (UG 3.3.14: `mail-from /regex/
   * virtual-mta=NAME`): the virtual MTA or pool the matching messages go to. Results are split at
   * commas; the other results (`recipient-priority=N`) name nothing.
   */
  private patternResults(l: PatternLine): void {
    for (const w of l.rest) {
      const text = w.text;
      if (text.length <= RESULT_VMTA.length) continue;
      const base = w.start + (w.quoted ? 1 : 0);
      for (let from = 0; from < text.length;) {
        let to = text.indexOf(',', from);
        if (to < 0) to = text.length;
        const at = from + RESULT_VMTA.length;
        if (to > at && matchesAsciiLower(text, from, at, RESULT_VMTA)) {
          const name = text.slice(at, to);
          if (!isPlaceholder(name))
            this.references.push({ kind: 'vmta-or-pool', name, span: { start: base + at, end: base + to }, line: l });
        }
        from = to + 1;
      }
    }
  }

  private directive(n: DirectiveLine): void {
    const info = getDirective(n.name);
    putPair(this.directives, this.directiveInfos, this.nDirectives++, n, info);
    if (n.name === 'domain-macro') {
      const nameWord = n.firstArg;
      if (nameWord) {
        this.macros.set(nameWord.text.toLowerCase(), new MacroDefinition(nameWord.text, n, nameWord));
        this.define({
          kind: 'domain-macro',
          name: nameWord.text,
          span: { start: nameWord.start, end: nameWord.end },
          uri: this.doc.uri,
          line: n,
        });
        // (a `$` in a word is in the value as written: a line without one makes no word)
        if (n.value.includes('$')) {
          const args = n.args;
          for (let i = 1; i < args.length; i++) {
            const w = args[i];
            if (w.text.includes('$')) this.addMacroRefs(w.text, w.start, n);
          }
        }
      }
      return;
    }
    if (n.name === 'include' && n.args[0]) {
      const w = n.args[0];
      this.includes.push({ line: n, path: w.text, span: { start: w.start, end: w.end }, resolved: [], skipped: true });
      return;
    }
    if (!info) return;
    if (info.references && n.value) this.reference(n, info.references);
    if (info.value === 'listen' && n.value.includes('=')) this.listenerSource(n);
    if ((info.value === 'domain' || info.value === 'domain-list') && n.value.includes('$')) {
      for (const w of n.args) if (w.text.includes('$')) this.addMacroRefs(w.text, w.start, n);
    }
  }

  /** The name a directive's first word refers to (most values are one plain word: no word is made for them). */
  private reference(n: DirectiveLine, kind: ReferenceKind): void {
    const plain = n.plainValue;
    const w = plain ? undefined : n.args[0];
    const text = w ? w.text : n.value;
    const special = n.name === 'default-virtual-mta' && text.toLowerCase() === 'by-smtp-source-ip';
    if (special || isPlaceholder(text) || text === '""' || (w && w.quoted && text === '')) return;
    this.references.push({ kind, name: text, span: w ? { start: w.start, end: w.end } : n.valueSpan, line: n });
  }

  /** The named source of `smtp-listener ADDRESS:PORT source=NAME` (UG 3.3.1.24). */
  private listenerSource(n: DirectiveLine): void {
    for (const w of n.args) {
      if (w === n.args[0] || w.quoted || !/^source=/i.test(w.text)) continue;
      const name = w.text.slice('source='.length);
      if (!name || isPlaceholder(name)) continue;
      const start = w.start + 'source='.length;
      this.references.push({ kind: 'source', name, span: { start, end: start + name.length }, line: n });
    }
  }

  /** A reference for each `$name` of `text` (`\$([A-Za-z0-9_]+)`, one after the other), found in place. */
  private addMacroRefs(text: string, offset: number, line: Line): void {
    if (isPlaceholder(text)) return;
    for (let i = text.indexOf('$'); i >= 0;) {
      let j = i + 1;
      while (j < text.length && isMacroNameCode(text.charCodeAt(j))) j++;
      if (j > i + 1) {
        const start = offset + i + 1;
        this.references.push({
          kind: 'domain-macro',
          name: text.slice(i + 1, j),
          span: { start, end: offset + j },
          line,
        });
      }
      i = text.indexOf('$', j > i + 1 ? j : i + 1);
    }
  }
}

/** The key of a `<pattern-list>` result that names a virtual MTA or pool. */
const RESULT_VMTA = 'virtual-mta=';

/** `[A-Za-z0-9_]`. */
function isMacroNameCode(c: number): boolean {
  return isLetterCode(c) || isDigitCode(c) || c === Char.Underscore;
}

/**
 * The comma-separated items of `word`, trimmed (`\s`), the empty ones left out, pushed to `out`: a word
 * that is one item is pushed as it is, without a copy.
 */
function pushCommaItems(word: string, out: string[]): void {
  for (let from = 0; from <= word.length;) {
    let to = word.indexOf(',', from);
    if (to < 0) to = word.length;
    const s = skipSpace(word, from, to);
    const e = trimEndSpace(word, s, to);
    if (e > s) out.push(s === 0 && e === word.length ? word : word.slice(s, e));
    from = to + 1;
  }
}

/** A `$macro` in a domain pattern (not global: exec keeps no state). */
const MACRO_USE = /\$([A-Za-z0-9_]+)/;
/** Macros nested deeper than this are not expanded (a chain of thousands would take time and stack). */
const MAX_MACRO_DEPTH = 64;
/** Expansions of more domains than this are not made (macros can double what the one they name stands for). */
const MAX_EXPANSION = 100000;

/** The 1-based line number of an offset of a model's text, as messages and hovers show it. */
export function lineNo(model: Model, offset: number): number {
  return model.positionAt(offset).line + 1;
}

/** {@link Model.expandDomain}, or undefined when the expansion fails (a hover or an outline is shown without it). */
export function safeExpand(model: Model, pattern: string): string[] | undefined {
  try {
    return model.expandDomain(pattern);
  } catch {
    return undefined;
  }
}
