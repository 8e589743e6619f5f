/**
 * `pattern-list-order` (error): a `<source>` names a `<pattern-list>` that the configuration defines only
 * after it. The User's Guide (3.3.7.39) says the list must come before the source that uses it; across
 * included files the order is the order PowerMTA reads them in: an `include` line stands for the text
 * of its files. When an include that could not be followed comes first, the list may be defined there,
 * and nothing is reported. The fix (both in one file) moves the list's block above the source.
 */
import type { Block, Span } from '../parser/ast';
import type { Fix } from '../findings';
import { lineNo, type Model, type Reference } from '../model';
import { eolOf } from '../util/eol';
import type { Rule, RuleContext } from './types';

export const patternListOrderRule: Rule = {
  id: 'pattern-list-order',
  defaultSeverity: 'error',
  description: 'A <source> names a <pattern-list> defined only after it (PowerMTA needs the list first).',
  check(ctx) {
    const { model } = ctx;
    const refs = model.references.filter((r) => r.kind === 'pattern-list' && r.line.parent?.name === 'source');
    if (!refs.length) return;
    const order = readingOrder(ctx.root ?? model, model);
    for (const r of refs) {
      const at = order.refs.get(r);
      const def = order.firstDef.get(r.name.toLowerCase());
      if (at === undefined || !def || def.at < at || order.unknownBefore(at)) continue;
      report(ctx, r, def.model, def.block);
    }
  },
};

interface Order {
  /** The first definition of each pattern list (lower-case name), with its place in the reading order. */
  firstDef: Map<string, { at: number; model: Model; block: Block }>;
  /** The place of each of the checked model's pattern-list references. */
  refs: Map<Reference, number>;
  /** Whether an include whose content is unknown is read before this place. */
  unknownBefore(at: number): boolean;
}

/**
 * Walk the configuration as PowerMTA reads it, from `root`, each include replaced by its files, and
 * number the pattern-list definitions, the references of `target` and the includes that could not be
 * read. A file is walked once (its first include; cycles are cut).
 */
function readingOrder(root: Model, target: Model): Order {
  const firstDef = new Map<string, { at: number; model: Model; block: Block }>();
  const refs = new Map<Reference, number>();
  let unknown = Infinity;
  let n = 0;
  const seen = new Set<Model>();
  const walk = (m: Model) => {
    seen.add(m);
    type Event = { offset: number; run: () => void };
    const events: Event[] = [];
    for (const d of m.definitions) {
      if (d.kind !== 'pattern-list' || !d.block) continue;
      const block = d.block;
      const key = d.name.toLowerCase();
      events.push({
        offset: block.start,
        run: () => void (firstDef.has(key) || firstDef.set(key, { at: n++, model: m, block })),
      });
    }
    if (m === target)
      for (const r of m.references)
        if (r.kind === 'pattern-list') events.push({ offset: r.span.start, run: () => void refs.set(r, n++) });
    for (const inc of m.includes) {
      events.push({
        offset: inc.line.start,
        run: () => {
          if (inc.resolved.length === 0) unknown = Math.min(unknown, n++);
          for (const sub of inc.resolved) if (!seen.has(sub)) walk(sub);
        },
      });
    }
    events.sort((a, b) => a.offset - b.offset);
    for (const e of events) e.run();
  };
  walk(root);
  // the file is not reached from the configuration (linted on its own): its own order
  if (!seen.has(target)) return readingOrder(target, target);
  return { firstDef, refs, unknownBefore: (at) => unknown < at };
}

function report(ctx: RuleContext, r: Reference, defModel: Model, list: Block): void {
  const { model } = ctx;
  const source = r.line.parent!;
  const src = `<source ${source.arg}>`;
  const where =
    defModel === model
      ? `at line ${lineNo(model, list.start)}, after this ${src} (line ${lineNo(model, source.start)})`
      : `in ${defModel.uri.slice(defModel.uri.lastIndexOf('/') + 1)}, which the configuration reads after this ${src}`;
  const fixes: Fix[] = [];
  if (defModel === model && !list.parent && !source.parent) fixes.push(moveAbove(model, list, source));
  ctx.report({
    span: r.span,
    message: `The pattern list "${r.name}" is defined ${where}; PowerMTA needs a <pattern-list> to come before the <source> that uses it. Move <pattern-list ${list.arg}> above ${src}.`,
    related: [
      {
        span: list.argSpan,
        message: 'the pattern list, defined here',
        uri: defModel === model ? undefined : defModel.uri,
      },
    ],
    fixes,
  });
}

/** Move the list's block (its lines, with their line breaks) to just before the source's block. */
function moveAbove(model: Model, list: Block, source: Block): Fix {
  const text = model.text;
  let moved = text.slice(list.start, list.end);
  if (!/[\r\n]$/.test(moved)) moved += eolOf(text);
  const cut: Span = { start: list.start, end: list.end };
  return {
    title: `Move <pattern-list ${list.arg}> above <source ${source.arg}>`,
    changes: [
      { span: { start: source.start, end: source.start }, newText: moved },
      { span: cut, newText: '' },
    ],
    isPreferred: true,
  };
}
