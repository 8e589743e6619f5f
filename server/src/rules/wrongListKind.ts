/**
 * `wrong-list-kind` (error): a rule in the wrong kind of pattern list, or a list named where the other
 * kind is expected. PowerMTA has two: `<smtp-pattern-list>` matches the SMTP replies of a queue
 * (`reply /regex/ actions`, attached to a `<domain>` with `smtp-pattern-list NAME`), and `<pattern-list>`
 * matches incoming messages (`mail-from`, `rcpt-to`, `header` rules, attached to a `<source>` with
 * `pattern-list NAME`) (UG 3.3.14, 3.3.15). A `reply` rule in a `<pattern-list>` never sees a reply, so
 * its backoff never happens; a `mail-from` rule in an `<smtp-pattern-list>` never sees a message.
 *
 * When every rule of the list is of the other kind, the fix changes the block's tag (the list was
 * simply opened with the wrong one).
 */
import type { Block, PatternLine } from '../parser/ast';
import type { Fix } from '../findings';
import type { Model, Reference } from '../model';
import type { Rule, RuleContext } from './types';

/** The rule words of each kind of list. */
const MESSAGE_RULES = new Set(['mail-from', 'rcpt-to', 'header']);

/** The other kind of list. */
type ListKind = 'pattern-list' | 'smtp-pattern-list';
const OTHER: Record<string, ListKind> = { 'pattern-list': 'smtp-pattern-list', 'smtp-pattern-list': 'pattern-list' };

export const wrongListKindRule: Rule = {
  id: 'wrong-list-kind',
  defaultSeverity: 'error',
  description:
    'A reply rule in a <pattern-list>, a mail-from/rcpt-to/header rule in an <smtp-pattern-list>, or a list named where the other kind is expected.',
  check(ctx) {
    const { model } = ctx;
    for (let i = 0, blocks = model.blocks; i < blocks.length; i++) {
      const b = blocks[i];
      if (!b.pseudo && (b.name === 'pattern-list' || b.name === 'smtp-pattern-list')) checkList(ctx, b);
    }
    for (let i = 0, refs = model.references; i < refs.length; i++) {
      const r = refs[i];
      if (r.kind === 'pattern-list' || r.kind === 'smtp-pattern-list') checkReference(ctx, r);
    }
  },
};

/** The first word of a pattern rule, lower case ('' for a rule that starts with its regex). */
function leadOf(l: PatternLine): string {
  return l.lead[0]?.text.toLowerCase() ?? '';
}

/** Whether a rule belongs to the other kind of list than `b`. */
function misplaced(b: Block, l: PatternLine): boolean {
  const lead = leadOf(l);
  return b.name === 'pattern-list' ? lead === 'reply' : MESSAGE_RULES.has(lead);
}

function checkList(ctx: RuleContext, b: Block): void {
  const rules = b.children.filter((c): c is PatternLine => c.kind === 'pattern');
  const wrong = rules.filter((l) => misplaced(b, l));
  if (!wrong.length) return;
  const other = OTHER[b.name];
  const fixes: Fix[] = [];
  // every rule of the list is of the other kind: the list was opened with the wrong tag
  if (wrong.length === rules.length && b.open.kind === 'open-tag') {
    const changes = [{ span: b.open.nameSpan, newText: other }];
    if (b.close?.kind === 'close-tag') changes.push({ span: b.close.nameSpan, newText: other });
    fixes.push({ title: `Change <${b.name} ${b.arg}> to <${other} ${b.arg}>`, changes, isPreferred: true });
  }
  for (const l of wrong) {
    const lead = leadOf(l);
    const message =
      b.name === 'pattern-list'
        ? `A reply rule does nothing in a <pattern-list>, which matches incoming messages: SMTP replies are matched only by an <smtp-pattern-list> that a <domain> names with smtp-pattern-list${backoff(l) ? ', so this backoff never happens' : ''}`
        : `A ${lead} rule does nothing in an <smtp-pattern-list>, which matches SMTP replies only: ${lead} rules belong in a <pattern-list> that a <source> names with pattern-list`;
    ctx.report({ span: l.lead[0], message, fixes });
  }
}

/** Whether a reply rule's actions put the queue in backoff mode. */
function backoff(l: PatternLine): boolean {
  return l.rest.some((w) => MODE_BACKOFF.test(w.text));
}

/** (Made once: a regular expression literal in a function makes a new object on every call.) */
const MODE_BACKOFF = /(^|,)mode=backoff(,|$)/i;

/** A `pattern-list NAME` or `smtp-pattern-list NAME` whose name only a list of the other kind has. */
function checkReference(ctx: RuleContext, r: Reference): void {
  const scope = ctx.root ?? ctx.model;
  const kind = r.kind as ListKind;
  const other = OTHER[kind];
  if (defined(scope, ctx.siblings, kind, r.name) || !defined(scope, ctx.siblings, other, r.name)) return;
  const rules = (k: ListKind) => (k === 'pattern-list' ? 'rules for incoming messages' : 'rules for SMTP replies');
  ctx.report({
    span: r.span,
    message: `"${r.name}" names ${aList(other)} (${rules(other)}); ${r.kind} takes ${aList(kind)} (${rules(kind)})`,
  });
}

/** "a <pattern-list>", "an <smtp-pattern-list>". */
function aList(k: ListKind): string {
  return k === 'pattern-list' ? 'a <pattern-list>' : 'an <smtp-pattern-list>';
}

function defined(scope: Model, siblings: readonly Model[], kind: ListKind, name: string): boolean {
  return scope.defines(kind, name) || siblings.some((m) => m.defines(kind, name));
}
