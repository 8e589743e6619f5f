/**
 * `invalid-value` (error): a value that does not fit its directive's grammar (rates, durations,
 * yes/no, integers, IPs/CIDRs, host names, enumerations), a bad block argument, or a malformed
 * pattern rule (`reply /regex/ actions`, `/regex/ category`, `mx PATTERN NAME`), including a regex
 * whose parentheses or brackets do not balance.
 */
import type { Block, DirectiveLine, Line, PatternLine } from '../parser/ast';
import { regexEnd } from '../parser/parser';
import type { DirectiveInfo, ValueKind } from '../knowledge/types';
import {
  checkValue,
  hasPlaceholderSyntax,
  type ValueProblem,
  isCidr,
  isDomainPattern,
  isHostName,
  isPlaceholder,
  parseDuration,
  WHITE_SPACE,
  wholeRates,
} from '../knowledge/values';
import { lineNo, type MacroDef } from '../model';
import { type Unbalanced, unbalancedAt } from '../knowledge/regex';
import { matchesAsciiLower } from '../util/text';
import type { ReportInput, Rule, RuleContext } from './types';
import type { Fix } from '../findings';

/** Actions of an smtp-pattern-list `reply` rule (UG 3.3.15). */
const REPLY_ACTIONS = [
  'mode',
  'backoff-to-normal-after',
  'skip-mx',
  'bounce-queue',
  'bounce-rcpt',
  'defer-queue',
  'disable-source-ip',
  'reenable-after',
];

export const invalidValueRule: Rule = {
  id: 'invalid-value',
  defaultSeverity: 'error',
  description:
    'A value that does not fit the directive (rate, duration, yes/no, number, IP, host, enumeration) or a malformed pattern rule.',
  check(ctx) {
    const { model } = ctx;
    for (let dI = 0, dList = model.directives, infos = model.directiveInfos; dI < dList.length; dI++) {
      const info = infos[dI];
      if (info) checkDirective(ctx, dList[dI], info);
    }
    for (let i = 0, blocks = model.blocks; i < blocks.length; i++) checkTagArg(ctx, blocks[i]);
    if (model.macros.size) checkMacroLoops(ctx);
    const lines = model.tree.lines;
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i];
      if (l.kind !== 'pattern' || !l.parent || l.parent.pseudo) continue;
      if (l.regex && !l.regex.terminated) {
        const wrapped = wrappedPattern(ctx, lines, i);
        if (wrapped) {
          ctx.report(wrapped.finding);
          i = wrapped.last;
          continue;
        }
      }
      checkPattern(ctx, l, l.parent.name);
    }
  },
};

/** A domain macro's name (UG 3.3.1.43.4: letters, digits and underscores). */
const MACRO_NAME = /^[A-Za-z0-9_]+$/;

/**
 * `domain-macro NAME LIST` whose NAME has other characters than letters, digits and underscores: a
 * `$name` in a domain ends at the first other character, so the macro could never be used as written.
 */
function checkMacroName(ctx: RuleContext, d: DirectiveLine): void {
  const w = d.firstArg;
  if (!w || w.quoted || MACRO_NAME.test(w.text) || isPlaceholder(w.text)) return;
  const bad = /[^A-Za-z0-9_]/.exec(w.text)![0];
  const used = /^[A-Za-z0-9_]*/.exec(w.text)![0];
  const read = used ? ` ("$${w.text}" in a domain is read as $${used} followed by "${w.text.slice(used.length)}")` : '';
  ctx.report({
    span: { start: w.start, end: w.end },
    message: `"${w.text}" cannot be a domain macro name: a name takes only letters, digits and underscores, not "${bad}"${read}.`,
  });
}

/** The `$name` uses of a macro item (`yahoo.$tld`, `$big`). */
const MACRO_USES = /\$([A-Za-z0-9_]+)/g;

/**
 * Domain macros that contain themselves, directly or through other macros (`domain-macro a $b` and
 * `domain-macro b $a`): PowerMTA does not load a configuration whose macros loop (UG 3.3.1.43.4). The
 * macros of the whole configuration are searched once, depth first; each macro of this file that is on
 * a loop is reported on its name, with the loop it is on.
 */
function checkMacroLoops(ctx: RuleContext): void {
  const { model } = ctx;
  const scope = ctx.root ?? model;
  const usesOf = (d: MacroDef): string[] => {
    const out: string[] = [];
    // most macros name no other: their items (made when first asked for) are not made for this
    if (!d.line.value.includes('$')) return out;
    for (const item of d.items) for (const m of item.matchAll(MACRO_USES)) out.push(m[1].toLowerCase());
    return out;
  };
  // 1: on the path being walked; 2: done
  const state = new Map<string, 1 | 2>();
  const loopOf = new Map<string, string[]>();
  for (const start of model.macros.keys()) {
    if (state.has(start)) continue;
    const path: string[] = [start];
    const pending: string[][] = [usesOf(scope.macro(start) ?? model.macros.get(start)!)];
    state.set(start, 1);
    while (path.length) {
      const next = pending[pending.length - 1].pop();
      if (next === undefined) {
        state.set(path.pop()!, 2);
        pending.pop();
        continue;
      }
      const st = state.get(next);
      if (st === 2) continue;
      if (st === 1) {
        const loop = path.slice(path.indexOf(next));
        for (const name of loop) if (!loopOf.has(name)) loopOf.set(name, loop);
        continue;
      }
      const def = scope.macro(next);
      if (!def) continue;
      state.set(next, 1);
      path.push(next);
      pending.push(usesOf(def));
    }
  }
  for (const [name, def] of model.macros) {
    const loop = loopOf.get(name);
    if (!loop) continue;
    const at = loop.indexOf(name);
    const names = [...loop.slice(at), ...loop.slice(0, at), name].map((n) => scope.macro(n)?.name ?? n);
    const how =
      loop.length === 1
        ? `names itself ($${def.name})`
        : `contains itself through other macros (${names.map((n) => '$' + n).join(' → ')})`;
    ctx.report({
      span: def.span,
      message: `The domain macro "${def.name}" ${how}: PowerMTA refuses to load a configuration whose macros loop. Remove one of these uses so that no macro contains itself.`,
    });
  }
}

function checkDirective(ctx: RuleContext, d: DirectiveLine, info: DirectiveInfo): void {
  const { model } = ctx;
  if (d.name === 'domain-macro') checkMacroName(ctx, d);
  // one plain word: its text is the value (no slice, and no word made: see DirectiveLine.plainValue);
  // a continued value spans lines: check the joined words
  const value = d.plainValue
    ? d.value
    : d.physicalLines > 1
      ? joinedWords(model.text, d)
      : model.text.slice(d.valueSpan.start, d.valueSpan.end);
  const problems = checkValue(info, value);
  if (problems.length) reportValue(ctx, d, info, value, problems);
}

/** The words of a continued value as written, joined by one space. */
function joinedWords(text: string, d: DirectiveLine): string {
  return d.args.map((w) => text.slice(w.start, w.end)).join(' ');
}

/** Value kinds made of several words: no "keep only one word" fix for them. */
const MANY_WORDS: readonly ValueKind[] = [
  'string',
  'path',
  'ip-host',
  'listen',
  'http-access',
  'domain-list',
  'smtp-hosts',
  'regex-rule',
  'record-types',
  'record-fields',
  'header-to-field',
];

/** (Apart from {@link checkDirective}, which runs for every directive: the closures here would make it allocate.) */
function reportValue(
  ctx: RuleContext,
  d: DirectiveLine,
  info: DirectiveInfo,
  value: string,
  problems: readonly ValueProblem[],
): void {
  const { model } = ctx;
  for (const p of problems) {
    const span =
      d.physicalLines > 1 || p.length === value.length
        ? d.value
          ? d.valueSpan
          : d.nameSpan
        : { start: d.valueSpan.start + p.offset, end: d.valueSpan.start + p.offset + p.length };
    const fixes: Fix[] = [];
    // the value grammar knows what was meant (commas between record types, a misspelt type)
    if (p.fix && d.physicalLines === 1)
      fixes.push({
        title: p.fix.title,
        changes: [{ span, newText: p.fix.newText }],
        isPreferred: p.fix.preferred,
        safe: p.fix.safe,
      });
    // fractional rate: offer the PowerMTA spelling
    if (d.args.length === 1) {
      const fixed = wholeRates(info, value);
      if (fixed !== value)
        fixes.push({
          title: `Change to ${fixed}`,
          changes: [{ span: d.valueSpan, newText: fixed }],
          isPreferred: true,
          safe: true,
        });
    }
    // several words where exactly one fits: keep it
    if (d.args.length > 1 && !MANY_WORDS.includes(info.value)) {
      const good = d.args.filter((w) => checkValue(info, w.text).length === 0);
      if (good.length === 1) {
        fixes.push({
          title: `Keep only "${good[0].text}"`,
          changes: [{ span: d.valueSpan, newText: model.text.slice(good[0].start, good[0].end) }],
          isPreferred: true,
          safe: false,
        });
      }
    }
    // durations written as bare numbers: offer seconds
    if ((info.value === 'duration' || info.value === 'duration-or-never') && /^\d+$/.test(value)) {
      fixes.push({ title: `Change to ${value}s`, changes: [{ span: d.valueSpan, newText: value + 's' }] });
    }
    ctx.report({ span, message: p.message, fixes });
  }
}

/** (Made once: a regular expression literal in a function makes a new object on every call.) */
const SOURCE_NAME = /^\{[A-Za-z0-9_.-]+\}$/;
const NUMBERS_AND_DOTS = /^\d+(?:\.\d+)*(?:\/\d+)?$/;

/**
 * Numbers and dots that cannot be an IPv4 address or range (`999.1.1.1`, `1.2.3.4.5`, `10.0.0.0/33`): a
 * name of only digits and dots is no host name either. (`10.0.0`, numbers all in range, is left alone.)
 */
function outOfRangeIPv4(arg: string): boolean {
  if (!NUMBERS_AND_DOTS.test(arg)) return false;
  const [addr, mask] = arg.split('/');
  const parts = addr.split('.');
  return parts.length > 4 || parts.some((p) => Number(p) > 255) || (mask !== undefined && Number(mask) > 32);
}

function checkTagArg(ctx: RuleContext, b: Block): void {
  if (b.pseudo || !b.arg || isPlaceholder(b.arg)) return;
  const arg = b.arg;
  let message: string | undefined;
  switch (b.name) {
    case 'domain':
      if (!isDomainPattern(arg))
        message = `"${arg}" is not a domain pattern (use *, example.com, *.example.com, [*.]example.com, [ip/mask] or $macro)`;
      break;
    case 'source':
      if (isCidr(arg) || SOURCE_NAME.test(arg)) break;
      if (outOfRangeIPv4(arg))
        message = `"${arg}" is not an IP address or CIDR range: an IPv4 address is at most four numbers from 0 to 255, and a mask after "/" is 0 to 32`;
      else if (!isHostName(arg)) message = `"${arg}" is not an IP address, CIDR range or {name}`;
      break;
    case 'virtual-mta':
    case 'virtual-mta-pool':
    case 'smtp-pattern-list':
    case 'pattern-list':
      if (WHITE_SPACE.test(arg)) message = `A ${b.name} name cannot contain spaces`;
      else if (b.name === 'virtual-mta-pool' && namesVirtualMta(ctx, arg))
        message = `The pool "${arg}" has the name of a virtual MTA: PowerMTA does not allow a pool and a virtual MTA to share a name. Rename one of them.`;
      break;
  }
  if (message) ctx.report({ span: b.argSpan, message });
}

/** Whether a `<virtual-mta>` of the configuration (or of the files linted with it) has this name. */
function namesVirtualMta(ctx: RuleContext, name: string): boolean {
  const scope = ctx.root ?? ctx.model;
  return scope.defines('virtual-mta', name) || ctx.siblings.some((m) => m.defines('virtual-mta', name));
}

function checkPattern(ctx: RuleContext, l: PatternLine, block: string): void {
  const lead = l.lead.map((w) => w.text.toLowerCase());
  const whole = {
    start: l.lead[0]?.start ?? l.regex?.start ?? l.start,
    end: l.comment ? trimEnd(ctx.model.text, l.comment.start) : l.contentEnd,
  };
  if (l.regex && !l.regex.terminated) {
    ctx.report({
      span: l.regex,
      message: 'The regular expression is not closed with "/" (a pattern must fit on one line)',
    });
    return;
  }
  if (l.regex && REGEX_BLOCKS.has(block)) checkBalance(ctx, l.regex);
  if (block === 'smtp-pattern-list') {
    // a message rule (mail-from, rcpt-to, header) is in the wrong kind of list: wrong-list-kind says so
    if (lead[0] === 'mail-from' || lead[0] === 'rcpt-to' || lead[0] === 'header') return;
    if (lead[0] !== 'reply') {
      ctx.report({ span: l.lead[0] ?? whole, message: `Expected "reply /regex/ actions" in <smtp-pattern-list>` });
      return;
    }
    if (!l.regex) {
      ctx.report({ span: whole, message: 'Expected a regular expression between slashes after "reply"' });
      return;
    }
    checkReplyActions(ctx, l);
  } else if (block === 'bounce-category-patterns') {
    if (!l.regex || l.lead.length) {
      ctx.report({ span: whole, message: 'Expected "/regex/ category" in <bounce-category-patterns>' });
      return;
    }
    if (l.rest.length !== 1)
      ctx.report({
        span: l.rest[1] ?? { start: l.regex.end, end: l.regex.end },
        message: 'Expected exactly one bounce category after the regular expression',
      });
  } else if (block === 'mx-rollup-list') {
    if (lead[0] !== 'mx' || l.lead.length !== 3 || l.regex) {
      ctx.report({ span: whole, message: 'Expected "mx MX-HOST-PATTERN ROLLUP-NAME" in <mx-rollup-list>' });
    }
  } else if (block === 'pattern-list') {
    if (!l.regex || !l.lead.length)
      ctx.report({
        span: whole,
        message: 'Expected "header NAME /regex/ ACTION", "mail-from /regex/ ACTION" or "rcpt-to /regex/ ACTION"',
      });
  }
}

/** The blocks whose rules hold a regular expression PowerMTA compiles. */
const REGEX_BLOCKS = new Set(['smtp-pattern-list', 'pattern-list', 'bounce-category-patterns']);

/** What is said of a parenthesis or bracket that does not balance, and the title of the fix that escapes it. */
const UNBALANCED: Record<
  Exclude<Unbalanced['what'], 'nothing-to-repeat' | 'repeated-quantifier'>,
  { message: string; title: string }
> = {
  'open-group': unbalancedText('This "(" opens a group that is never closed', '(', 'close it with ")"'),
  'close-group': unbalancedText('This ")" closes no group', ')', 'remove it'),
  'open-class': unbalancedText(
    'This "[" opens a character class that is never closed with "]"',
    '[',
    'close it with "]"',
  ),
};

function unbalancedText(what: string, c: string, undo: string): { message: string; title: string } {
  return {
    message: `${what}: PowerMTA cannot compile this regular expression, so the rule never works. Either ${undo}, or write "\\${c}" to match a literal "${c}".`,
    title: `Escape it: \\${c}`,
  };
}

/**
 * A regular expression whose parentheses or brackets do not balance (`/^421 (too many/`, `/abc)/`,
 * `/[abc/`): PowerMTA cannot compile it, so the rule never works. Reported on the character that does not
 * balance, with a fix that escapes it (not automatic: a missing ")" or "]" elsewhere may be what was meant).
 * Regexes with template placeholders (`{{x}}`, `__X__`) are left alone.
 */
function checkBalance(ctx: RuleContext, regex: NonNullable<PatternLine['regex']>): void {
  const body = regex.body;
  const bad = unbalancedAt(body);
  if (!bad || hasPlaceholderSyntax(body)) return;
  const start = regex.start + 1 + bad.at;
  const quantifier = body.slice(bad.at, bad.end);
  if (bad.what === 'nothing-to-repeat') return nothingToRepeat(ctx, quantifier, start);
  if (bad.what === 'repeated-quantifier') return repeatedQuantifier(ctx, quantifier, start);
  const { message, title } = UNBALANCED[bad.what];
  ctx.report({
    span: { start, end: start + 1 },
    message,
    fixes: [{ title, changes: [{ span: { start, end: start }, newText: '\\' }], safe: false }],
  });
}

/**
 * A `*`, `+`, `?` or `{n,m}` at the start of a regex or of an alternative, or a `+` at the start of a group:
 * it repeats nothing (`*RP-001*`, a shell pattern's "any text"). The fixes: `.*` for a `*` (any text, as
 * meant), or the character escaped; neither automatic.
 */
function nothingToRepeat(ctx: RuleContext, q: string, start: number): void {
  const span = { start, end: start + q.length };
  const fixes: Fix[] = [];
  if (q === '*')
    fixes.push({ title: 'Write .* (any text)', changes: [{ span, newText: '.*' }], isPreferred: true, safe: false });
  fixes.push({ title: `Escape it: \\${q[0]}`, changes: [{ span: { start, end: start }, newText: '\\' }], safe: false });
  ctx.report({
    span,
    message: `This "${q}" repeats nothing (nothing comes before it in the pattern, its group or its alternative): PowerMTA cannot compile this regular expression, so the rule never works. ${q === '*' ? 'For "any text", as in a shell pattern, write ".*"; for a literal "*", write "\\*".' : `For a literal "${q[0]}", write "\\${q[0]}".`}`,
    fixes,
  });
}

/**
 * A quantifier right after another (`RP-00**`, `a+*`, `a{2}{3}`, `a*?+`): PCRE cannot repeat a
 * repetition ("quantifier does not follow a repeatable item"). A single `?` or `+` after a quantifier
 * makes it lazy or possessive and is not reported. The fixes: remove the second quantifier (preferred),
 * or escape it when it is one character; neither automatic.
 */
function repeatedQuantifier(ctx: RuleContext, q: string, start: number): void {
  const span = { start, end: start + q.length };
  const fixes: Fix[] = [
    { title: `Remove the second quantifier "${q}"`, changes: [{ span, newText: '' }], isPreferred: true, safe: false },
  ];
  if (q.length === 1)
    fixes.push({ title: `Escape it: \\${q}`, changes: [{ span: { start, end: start }, newText: '\\' }], safe: false });
  ctx.report({
    span,
    message: `This "${q}" follows another quantifier: PCRE cannot repeat a repetition, so PowerMTA cannot compile this regular expression and the rule never works. Remove one of them${q.length === 1 ? `, or write "\\${q}" for a literal "${q}"` : ''}.`,
    fixes,
  });
}

/** Words that start a pattern line of their own (so such a line is not the rest of a wrapped one). */
const PATTERN_LEADS = new Set(['reply', 'mx', 'header', 'mail-from', 'rcpt-to', 'include']);
/** How many lines a wrapped pattern may be spread over. */
const MAX_WRAPPED_LINES = 6;

/**
 * A pattern whose regular expression an editor or a copy-paste wrapped onto the next lines: the
 * lines after it hold the rest of the regex, its closing "/" and what follows. PowerMTA reads one
 * pattern per line, so each piece is broken; one finding covers them all, with a fix that joins them
 * (not automatic: where the wrap took a space away cannot always be told).
 */
function wrappedPattern(
  ctx: RuleContext,
  lines: readonly Line[],
  i: number,
): { finding: ReportInput; last: number } | undefined {
  const text = ctx.model.text;
  const first = lines[i] as PatternLine;
  const regex = first.regex!;
  let joined = text.slice(regex.start, first.contentEnd);
  let blankBefore = false;
  const pieces: string[] = [];
  for (let k = i + 1, used = 0; k < lines.length && used < MAX_WRAPPED_LINES; k++) {
    const l = lines[k];
    if (l.parent !== first.parent) return undefined;
    if (l.kind === 'blank') {
      blankBefore = true;
      continue;
    }
    if (l.kind !== 'pattern') return undefined;
    used++;
    const content = text.slice(l.start, l.contentEnd).replace(/^[ \t]+/, '');
    if (content.startsWith('/') || PATTERN_LEADS.has((/^\S+/.exec(content)?.[0] ?? '').toLowerCase())) return undefined;
    // a wrap across blank lines usually replaced a space between two words
    const sep = blankBefore && /[A-Za-z0-9]$/.test(joined) && /^[A-Za-z0-9]/.test(content) ? ' ' : '';
    pieces.push(sep + content);
    joined += sep + content;
    blankBefore = false;
    const close = regexEnd(joined, 0, joined.length);
    if (close < 0) continue;
    if (!plausibleTail(first.parent!.name, joined.slice(close))) return undefined;
    const end = l.contentEnd;
    const n = k - i + 1;
    const fix: Fix = {
      title: `Join the ${n} lines of this pattern into one`,
      changes: [{ span: { start: first.contentEnd, end }, newText: pieces.join('') }],
      isPreferred: true,
      safe: false,
    };
    return {
      finding: {
        span: { start: regex.start, end },
        message: `This pattern is wrapped over ${n} lines (its closing "/" is on line ${lineNo(ctx.model, l.start)}); PowerMTA reads one pattern per line, so none of these lines works. Join them into one line.`,
        fixes: [fix],
      },
      last: k,
    };
  }
  return undefined;
}

/** Whether what follows a joined regex is what the block expects there (a category, reply actions...). */
function plausibleTail(block: string, tail: string): boolean {
  const words = tail
    .replace(/(^|\s)#.*$/, '')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  if (block === 'bounce-category-patterns') return words.length === 1 && /^[A-Za-z][A-Za-z-]*$/.test(words[0]);
  if (block === 'smtp-pattern-list')
    return (
      words.length > 0 &&
      words.every((w) => w.split(',').every((a) => REPLY_ACTIONS.includes(a.split('=')[0].toLowerCase())))
    );
  if (block === 'pattern-list') return words.length > 0;
  return false;
}

function trimEnd(text: string, end: number): number {
  while (end > 0 && (text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
  return end;
}

const MODES = ['normal', 'backoff'];

/**
 * The actions of the line being checked, key then value, the first `n` entries in use: one array for
 * every line (a line has few actions; a map for each line and a split of each word made a sixth of what
 * the lint of a config of pattern lists allocated).
 */
const SEEN: string[] = [];

/** Where action `k` is among the first `n` entries of {@link SEEN}, or -1. */
function seenAt(n: number, k: string): number {
  for (let i = 0; i < n; i += 2) if (SEEN[i] === k) return i;
  return -1;
}

function seenValue(n: number, k: string): string | undefined {
  const i = seenAt(n, k);
  return i < 0 ? undefined : SEEN[i + 1];
}

/** The action of {@link REPLY_ACTIONS} that text[from, to) names, in any case of its letters. */
function actionAt(text: string, from: number, to: number): string | undefined {
  for (const a of REPLY_ACTIONS) if (a.length === to - from && matchesAsciiLower(text, from, to, a)) return a;
  return undefined;
}

/** A finding on the action at [start, end) (its span made only then: most actions have none). */
function reportAction(ctx: RuleContext, start: number, end: number, message: string): void {
  ctx.report({ span: { start, end }, message });
}

function checkReplyActions(ctx: RuleContext, l: PatternLine): void {
  if (l.rest.length === 0) {
    ctx.report({ span: l.regex!, message: 'A reply rule needs at least one action, e.g. mode=backoff' });
    return;
  }
  let nSeen = 0;
  for (const w of l.rest) {
    const text = w.text;
    // the actions between commas, each key=value (what a second "=" starts is not part of the value)
    for (let from = 0; from <= text.length;) {
      const comma = text.indexOf(',', from);
      const at = from;
      const to = comma < 0 ? text.length : comma;
      from = to + 1;
      if (to === at) continue;
      const s0 = w.start + at;
      const s1 = w.start + to;
      const eq = text.indexOf('=', at);
      const keyEnd = eq < 0 || eq >= to ? to : eq;
      let val: string | undefined;
      if (keyEnd < to) {
        const eq2 = text.indexOf('=', eq + 1);
        val = text.slice(eq + 1, eq2 < 0 || eq2 >= to ? to : eq2);
      }
      // (other than ASCII letters, lower-cased as written)
      const k = actionAt(text, at, keyEnd) ?? text.slice(at, keyEnd).toLowerCase();
      if (!REPLY_ACTIONS.includes(k)) {
        const hint =
          k === 'retry-after'
            ? ' (there is no per-pattern retry-after: use mode=backoff and backoff-retry-after in the domain)'
            : k === 'max-smtp-out'
              ? ' (use mode=backoff and backoff-max-smtp-out in the domain)'
              : '';
        const key = text.slice(at, keyEnd);
        reportAction(ctx, s0, s1, `Unknown pattern action "${key}"${hint}; actions are ${REPLY_ACTIONS.join(', ')}`);
        continue;
      }
      const i = seenAt(nSeen, k);
      if (i >= 0) reportAction(ctx, s0, s1, `Action "${k}" is given twice`);
      if (k === 'mode' && !MODES.includes((val ?? '').toLowerCase()))
        reportAction(ctx, s0, s1, 'mode must be mode=normal or mode=backoff');
      if (
        (k === 'backoff-to-normal-after' || k === 'reenable-after') &&
        (val === undefined || parseDuration(val) === undefined)
      )
        reportAction(ctx, s0, s1, `${k} needs a time interval, e.g. ${k}=1h`);
      if (k === 'backoff-to-normal-after' && seenValue(nSeen, 'mode')?.toLowerCase() !== 'backoff')
        reportAction(ctx, s0, s1, 'backoff-to-normal-after needs mode=backoff before it');
      if (k === 'reenable-after' && seenAt(nSeen, 'disable-source-ip') < 0)
        reportAction(ctx, s0, s1, 'reenable-after needs disable-source-ip before it');
      if (k === 'mode' && i >= 0) reportAction(ctx, s0, s1, 'A rule cannot set both mode=backoff and mode=normal');
      if (
        (k === 'skip-mx' && seenAt(nSeen, 'bounce-queue') >= 0) ||
        (k === 'bounce-queue' && seenAt(nSeen, 'skip-mx') >= 0)
      )
        reportAction(ctx, s0, s1, 'A rule cannot have both skip-mx and bounce-queue');
      // the last value of an action counts
      if (i >= 0) SEEN[i + 1] = val ?? '';
      else {
        SEEN[nSeen] = k;
        SEEN[nSeen + 1] = val ?? '';
        nSeen += 2;
      }
    }
  }
}
