/**
 * `suspicious-regex` (information): a regular expression of a pattern list (`<smtp-pattern-list>` reply
 * rules, `<pattern-list>` rules, `<bounce-category-patterns>`) that cannot mean what it says:
 *
 * - a bracket class that reads like a literal code: `/[GL01]/` is one character, G, L, 0 or 1, not the
 *   text "[GL01]" of a reply (escape the brackets: `\[GL01\]`); so is `[RP-001]`, whose `P-0` is a
 *   range out of order;
 * - a class shorthand that lost its backslash: `d+`, `S+`, `s*`, `w{2}` after a character that is not
 *   part of a word match the letter (in either case: patterns ignore case), not digits or spaces.
 *
 * Information only, with a fix each (not applied by `--fix`: the author decides what was meant).
 * Patterns are PCRE (UG 3.3.14, 3.3.15); the scan honours escapes and skips classes. A regex whose
 * parentheses or brackets do not balance is invalid-value's: PowerMTA cannot compile it at all.
 */
import type { PatternLine } from '../parser/ast';
import type { Rule, RuleContext } from './types';

const BLOCKS = new Set(['smtp-pattern-list', 'pattern-list', 'bounce-category-patterns']);

const SHORTHANDS: Record<string, string> = {
  d: 'digits',
  D: 'characters other than digits',
  s: 'white space',
  S: 'characters other than white space',
  w: 'word characters',
  W: 'characters other than word characters',
};

export const suspiciousRegexRule: Rule = {
  id: 'suspicious-regex',
  defaultSeverity: 'information',
  description:
    'A pattern regex that cannot mean what it says: a bracket class that reads like a literal code ([GL01]), or d+, S+, s* without their backslash.',
  check(ctx) {
    // the blocks of patterns, not every line of the file
    for (let i = 0, blocks = ctx.model.blocks; i < blocks.length; i++) {
      const b = blocks[i];
      if (b.pseudo || !BLOCKS.has(b.name)) continue;
      for (const l of b.children) if (l.kind === 'pattern' && l.regex) scan(ctx, l);
    }
  },
};

function scan(ctx: RuleContext, l: PatternLine): void {
  const regex = l.regex!;
  const at = regex.start + 1;
  const body = ctx.model.text.slice(at, regex.terminated ? regex.end - 1 : regex.end);
  for (let i = 0; i < body.length;) {
    const c = body[i];
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === '[') {
      const end = classEnd(body, i);
      if (end < 0) return;
      const content = body.slice(i + 1, end);
      if (looksLikeCode(content)) reportClass(ctx, at + i, content);
      i = end + 1;
      continue;
    }
    if (SHORTHANDS[c] && !isWordChar(body[i - 1]) && body[i - 1] !== '\\' && isQuantifier(body, i + 1)) {
      const q = body[i + 1] === '{' ? body.slice(i + 1, body.indexOf('}', i + 1) + 1 || i + 2) : body[i + 1];
      const written = c + q;
      ctx.report({
        span: { start: at + i, end: at + i + written.length },
        message: `"${written}" matches the letter "${c}" (in either case), not ${SHORTHANDS[c]}: the backslash of "\\${written}" is missing.`,
        fixes: [
          {
            title: `Write \\${written}`,
            changes: [{ span: { start: at + i, end: at + i }, newText: '\\' }],
            isPreferred: true,
          },
        ],
      });
      i += written.length;
      continue;
    }
    i++;
  }
}

/** The index of the `]` that closes the class opened at `open`, or -1. */
function classEnd(body: string, open: number): number {
  let j = open + 1;
  if (body[j] === '^') j++;
  if (body[j] === ']') j++;
  while (j < body.length) {
    const c = body[j];
    if (c === '\\') j += 2;
    else if (c === '[' && body[j + 1] === ':') {
      const close = body.indexOf(':]', j + 2);
      j = close < 0 ? j + 1 : close + 2;
    } else if (c === ']') return j;
    else j++;
  }
  return -1;
}

/** Letters then digits (`GL01`, `TS03`, `RP-001`), or three or more letters and digits with one twice (`550`): a text, not a set. */
function looksLikeCode(content: string): boolean {
  if (content.length < 3) return false;
  if (/^[A-Za-z]{1,6}-?[0-9]{1,6}$/.test(content)) return true;
  if (!/^[A-Za-z0-9]+$/.test(content)) return false;
  const lower = content.toLowerCase();
  return new Set(lower).size < lower.length;
}

function reportClass(ctx: RuleContext, start: number, content: string): void {
  const chars = [...new Set(content.replace(/-/g, ''))];
  const which = chars.length > 1 ? `${chars.slice(0, -1).join(', ')} or ${chars[chars.length - 1]}` : chars[0];
  const dash = content.indexOf('-');
  const range =
    dash > 0 && content.charCodeAt(dash - 1) > content.charCodeAt(dash + 1)
      ? ` ("${content.slice(dash - 1, dash + 2)}" is a range out of order, which PCRE refuses)`
      : '';
  const escaped = `\\[${content}\\]`;
  ctx.report({
    span: { start, end: start + content.length + 2 },
    message: `"[${content}]" is a character class: it matches one character (${which}), not the text "${content}"${range}. To match the code in its brackets, escape them: ${escaped}.`,
    fixes: [
      {
        title: `Escape the brackets: ${escaped}`,
        changes: [{ span: { start, end: start + content.length + 2 }, newText: escaped }],
        isPreferred: true,
      },
    ],
  });
}

function isWordChar(c: string | undefined): boolean {
  if (c === undefined) return false;
  const k = c.charCodeAt(0);
  return (k >= 48 && k <= 57) || (k >= 65 && k <= 90) || (k >= 97 && k <= 122) || k === 95;
}

/** `+`, `*` or `{n`, `{n,`, `{n,m}` at `i`. */
function isQuantifier(body: string, i: number): boolean {
  const c = body[i];
  return c === '+' || c === '*' || (c === '{' && /^\{\d+(,\d*)?\}/.test(body.slice(i, i + 12)));
}
