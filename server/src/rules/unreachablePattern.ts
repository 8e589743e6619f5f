/**
 * `unreachable-pattern` (warning): rules after a catch-all in a list where the first match wins: after
 * `// other` in `<bounce-category-patterns>`, or a `reply //` rule (or one whose regex is `^.*$`) in
 * `<smtp-pattern-list>`, nothing is ever tried. One finding per catch-all covers the rules it hides;
 * the fix moves the catch-all to the end of the list, where it catches what the others do not.
 */
import type { Block, Line, PatternLine } from '../parser/ast';
import { lineNo } from '../model';
import type { Rule, RuleContext } from './types';
import { plural } from '../util/phrases';
import { trimEndSpace } from '../util/text';

/** Lists in which the first matching rule wins (the reference notes; UG 3.3.15 for smtp-pattern-list). */
const FIRST_MATCH_LISTS = new Set(['bounce-category-patterns', 'smtp-pattern-list']);

/** Regular expressions that match every text (the empty one is what `// other` is). */
const MATCH_ALL = new Set(['', '.*', '^', '$', '^.*', '.*$', '^.*$', '(.*)', '^(.*)$']);

export const unreachablePatternRule: Rule = {
  id: 'unreachable-pattern',
  defaultSeverity: 'warning',
  description:
    'Rules after a catch-all (// other, reply //) in a list where the first match wins: they are never tried.',
  check(ctx) {
    for (let i = 0, blocks = ctx.model.blocks; i < blocks.length; i++) {
      const b = blocks[i];
      if (!b.pseudo && FIRST_MATCH_LISTS.has(b.name)) checkList(ctx, b);
    }
  },
};

/** A rule of the list: a pattern line with a closed regex, and the `reply` lead in an smtp-pattern-list. */
function isRule(b: Block, l: Line): l is PatternLine & { regex: NonNullable<PatternLine['regex']> } {
  if (l.kind !== 'pattern' || !l.regex || !l.regex.terminated) return false;
  return b.name === 'smtp-pattern-list'
    ? l.lead.length === 1 && l.lead[0].text.toLowerCase() === 'reply'
    : l.lead.length === 0;
}

function checkList(ctx: RuleContext, b: Block): void {
  const rules = b.children.filter(
    (c): c is PatternLine & { regex: NonNullable<PatternLine['regex']> } => c.kind !== 'block' && isRule(b, c),
  );
  const k = rules.findIndex((r) => MATCH_ALL.has(r.regex.body));
  if (k < 0 || k === rules.length - 1) return;
  const catchAll = rules[k];
  const hidden = rules.slice(k + 1);
  const { model } = ctx;
  const text = model.text;
  const shown = text.slice(
    catchAll.lead[0]?.start ?? catchAll.regex.start,
    trimEndSpace(text, catchAll.start, catchAll.comment?.start ?? catchAll.contentEnd),
  );
  const last = hidden[hidden.length - 1];
  const n = hidden.length;
  const those = n === 1 ? 'The rule after' : `The ${plural(n, 'rule')} after`;
  ctx.report({
    span: {
      start: hidden[0].lead[0]?.start ?? hidden[0].regex.start,
      end: trimEndSpace(text, last.start, last.comment?.start ?? last.contentEnd),
    },
    message: `${those} "${shown}" (line ${lineNo(model, catchAll.start)}) ${n === 1 ? 'is' : 'are'} never tried: the catch-all matches every text, and the first rule that matches wins. Move the catch-all to the end of the list.`,
    related: [{ span: catchAll.regex, message: 'the catch-all' }],
    tags: [1],
    fixes: [
      {
        title: `Move "${shown}" to the end of the list`,
        changes: [
          { span: { start: catchAll.start, end: catchAll.end }, newText: '' },
          { span: { start: last.end, end: last.end }, newText: lineText(text, catchAll, last) },
        ],
        isPreferred: true,
      },
    ],
  });
}

/** The catch-all's whole line, to insert after `last` (with a line break when `last` ends the file without one). */
function lineText(text: string, line: Line, last: Line): string {
  const own = text.slice(line.start, line.end);
  const lastEnds = last.end > last.contentEnd;
  if (lastEnds) return own.endsWith('\n') || own.endsWith('\r') ? own : own + text.slice(last.contentEnd, last.end);
  const eol = text.slice(line.contentEnd, line.end) || '\n';
  return eol + own.slice(0, line.contentEnd - line.start);
}
