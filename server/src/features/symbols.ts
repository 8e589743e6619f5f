/**
 * Document symbols (the outline): blocks with their nested blocks, top-level `domain-macro`
 * definitions and `include` lines.
 */
import type { DocumentSymbol, SymbolKind } from 'vscode-languageserver-types';
import { bodyLines, type Block, type DirectiveLine, type Node, type Span } from '../parser/ast';
import { safeExpand, type IncludeRef, type Model } from '../model';
import { plural } from '../util/phrases';
import { trimEndSpace } from '../util/text';
import { pushAll } from '../util/arrays';

const SK = {
  File: 1 as SymbolKind,
  Module: 2 as SymbolKind,
  Namespace: 3 as SymbolKind,
  Enum: 10 as SymbolKind,
  Interface: 11 as SymbolKind,
  Constant: 14 as SymbolKind,
  Array: 18 as SymbolKind,
  Object: 19 as SymbolKind,
  Struct: 23 as SymbolKind,
};

/** The symbol kind of a block, by its tag name. */
export function symbolKindOf(name: string): SymbolKind {
  switch (name) {
    case 'domain':
      return SK.Namespace;
    case 'virtual-mta':
      return SK.Object;
    case 'virtual-mta-pool':
      return SK.Array;
    case 'smtp-pattern-list':
    case 'pattern-list':
    case 'bounce-category-patterns':
      return SK.Enum;
    case 'source':
      return SK.Interface;
    case 'acct-file':
      return SK.File;
    default:
      return SK.Struct;
  }
}

/** End of the last content (without line ending) of a block, its close tag included. */
function contentEndOf(b: Block): number {
  let end = b.open.contentEnd;
  for (const c of b.children) {
    end = Math.max(end, c.kind === 'block' ? contentEndOf(c) : c.contentEnd);
  }
  return end;
}

function detailOf(model: Model, b: Block): string {
  const body = bodyLines(b);
  const directives = body.filter((l): l is DirectiveLine => l.kind === 'directive');
  let detail: string;
  switch (b.name) {
    case 'domain': {
      if (b.arg.includes('$')) {
        const exp = safeExpand(model, b.arg);
        detail = exp ? plural(exp.length, 'domain') : 'unknown macro';
      } else {
        detail = plural(directives.length, 'setting');
      }
      break;
    }
    case 'virtual-mta': {
      const src = directives.find((d) => d.name === 'smtp-source-host');
      detail = src ? src.value : plural(directives.length, 'setting');
      break;
    }
    case 'virtual-mta-pool': {
      const members = directives.filter((d) => d.name === 'virtual-mta');
      detail = plural(members.length, 'virtual-mta');
      break;
    }
    case 'smtp-pattern-list':
    case 'pattern-list':
    case 'bounce-category-patterns': {
      const rules = body.filter((l) => l.kind === 'pattern' || (b.pseudo && l.kind === 'directive'));
      detail = plural(rules.length, 'rule');
      break;
    }
    case 'mx-rollup-list': {
      const rules = body.filter((l) => l.kind === 'pattern');
      detail = plural(rules.length, 'MX pattern');
      break;
    }
    default:
      detail = plural(directives.length, 'setting');
  }
  if (b.pseudo) detail += ' (blog pseudo-syntax)';
  if (!b.close && !(b.open.kind === 'pseudo-inline')) detail += ' (not closed)';
  return detail;
}

function blockSymbol(model: Model, b: Block): DocumentSymbol {
  const open = b.open;
  const text = model.text;
  let start: number;
  let rawName: string;
  let nameSpan: Span;
  if (open.kind === 'open-tag') {
    start = open.tagSpan.start;
    rawName = open.rawName || b.name;
    nameSpan = open.nameSpan;
  } else {
    start = open.keywordSpan?.start ?? open.start;
    rawName = open.keywordSpan ? text.slice(open.keywordSpan.start, open.keywordSpan.end) : b.name;
    nameSpan = open.keywordSpan ?? { start, end: start };
  }
  const end = Math.max(start, trimEndSpace(text, start, contentEndOf(b)));
  const sel = b.arg && b.argSpan.end > b.argSpan.start ? b.argSpan : nameSpan;
  const selection = sel.start >= start && sel.end <= end ? sel : { start, end: start };
  return {
    name: `<${rawName || '?'}${b.arg ? ' ' + b.arg : ''}>`,
    detail: detailOf(model, b),
    kind: symbolKindOf(b.name),
    range: model.range({ start, end }),
    selectionRange: model.range(selection),
    children: [],
  };
}

/** The includes of each model by their line, made when first asked (a search of them for each include line was quadratic). */
const includesByLine = new WeakMap<Model, Map<DirectiveLine, IncludeRef>>();

function includeOf(model: Model, l: DirectiveLine): IncludeRef | undefined {
  let byLine = includesByLine.get(model);
  if (!byLine) {
    byLine = new Map();
    for (const i of model.includes) if (!byLine.has(i.line)) byLine.set(i.line, i);
    includesByLine.set(model, byLine);
  }
  return byLine.get(l);
}

function lineSymbol(model: Model, l: DirectiveLine, topLevel: boolean): DocumentSymbol | undefined {
  const text = model.text;
  // an unclosed quote makes the first word run to the end of the line, blanks included: the range holds it
  const end = Math.max(
    l.nameSpan.end,
    trimEndSpace(text, l.nameSpan.start, l.comment ? l.comment.start : l.contentEnd),
    l.args[0]?.end ?? 0,
  );
  const range = model.range({ start: l.nameSpan.start, end });
  if (l.name === 'include') {
    const w = l.args[0];
    if (!w) return undefined;
    const inc = includeOf(model, l);
    const n = inc?.resolved.length ?? 0;
    return {
      name: w.text || text.slice(w.start, w.end) || 'include',
      detail: n > 1 ? `include (${n} files)` : 'include',
      kind: SK.File,
      range,
      selectionRange: model.range(w),
    };
  }
  if (l.name === 'domain-macro' && topLevel) {
    const w = l.args[0];
    if (!w || !w.text) return undefined;
    const def = model.macros.get(w.text.toLowerCase());
    const exp = safeExpand(model, '$' + w.text);
    const count = exp?.length ?? def?.items.length ?? Math.max(0, l.args.length - 1);
    return {
      name: w.text,
      detail: plural(count, 'domain'),
      kind: SK.Constant,
      range,
      selectionRange: model.range(w),
    };
  }
  return undefined;
}

/** The outline holds at most this many symbols, so that the editor stays responsive on huge files. */
export const MAX_SYMBOLS = 5000;

/**
 * Blocks nested deeper than this are left out of the outline: a symbol tree thousands deep cannot be
 * sent (JSON.stringify runs out of stack at about 3,000 levels), and no configuration nests so deep.
 */
export const MAX_SYMBOL_DEPTH = 64;

/** Symbols of one level of nodes (blocks without their children yet), with the nodes their children come from. */
function symbolsOf(
  model: Model,
  nodes: readonly Node[],
  topLevel: boolean,
  budget: { left: number },
): Array<{ sym: DocumentSymbol; block?: Block }> {
  const out: Array<{ sym: DocumentSymbol; block?: Block }> = [];
  for (const n of nodes) {
    if (budget.left <= 0) break;
    if (n.kind === 'block') {
      out.push({ sym: blockSymbol(model, n), block: n });
      budget.left--;
    } else if (n.kind === 'directive') {
      const s = lineSymbol(model, n, topLevel);
      if (s) {
        out.push({ sym: s });
        budget.left--;
      }
    }
  }
  return out;
}

/**
 * The outline: blocks with their nested blocks, top-level macros and includes. On a huge file at most
 * `max` symbols, shallow ones first: every top-level symbol before any nested one, and so on; at most
 * {@link MAX_SYMBOL_DEPTH} levels.
 */
export function documentSymbols(model: Model, max = MAX_SYMBOLS): DocumentSymbol[] {
  const budget = { left: Math.max(0, max) };
  const top = symbolsOf(model, model.tree.children, true, budget);
  let level = top;
  for (let depth = 1; level.length && budget.left > 0 && depth < MAX_SYMBOL_DEPTH; depth++) {
    const next: typeof level = [];
    for (const { sym, block } of level) {
      if (!block || budget.left <= 0) continue;
      const children = symbolsOf(model, block.children, false, budget);
      sym.children = children.map((c) => c.sym);
      pushAll(next, children);
    }
    level = next;
  }
  return top.map((t) => t.sym);
}
