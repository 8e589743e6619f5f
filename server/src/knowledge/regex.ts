/**
 * What can be told of a pattern's regular expression without compiling it. Patterns are PCRE (UG 3.3.14,
 * 3.3.15): not JavaScript's dialect, so JavaScript's parser is no judge of them (`(?-i)`, possessive
 * quantifiers, `\Q…\E` are PCRE's own).
 */
import { Char, isDigitCode } from '../util/text';

/**
 * A parenthesis or bracket that does not balance, or a quantifier with nothing to repeat: its index in the
 * body, and what is wrong with it.
 */
export interface Unbalanced {
  at: number;
  /** Where the character or quantifier ends (`{2,5}` is one quantifier). */
  end: number;
  /**
   * `(` never closed, `)` that closes no group, `[` whose class is never closed; `*`, `+` or `?` at the
   * start of the pattern or of an alternative (after `|`), or `+` right after `(` (`(*` starts a verb,
   * `(?` a group's options): PCRE's "quantifier does not follow a repeatable item"; a quantifier right
   * after another (`a**`, `a+*`, `a{2}{3}`, `a*?+`; a single `?` or `+` after one makes it lazy or
   * possessive, which PCRE allows): the same error.
   */
  what: 'open-group' | 'close-group' | 'open-class' | 'nothing-to-repeat' | 'repeated-quantifier';
}

/**
 * The first parenthesis or bracket of a regular expression's body (the text between its slashes) that
 * PCRE cannot pair, or quantifier it cannot place: a `)` with no group open, a `[` whose class never
 * ends, a `*`, `+`, `?` or `{n,m}` that repeats nothing (`*RP-001*` written as a shell pattern) or that
 * follows another quantifier (`RP-00**`), else the last `(` left open. A `{` that does not start `{n}`,
 * `{n,}` or `{n,m}` is a literal, as PCRE reads it (`{,m}` too: PCRE2 reads it as a quantifier only
 * from 10.43 on, so it is left alone).
 * Escapes (`\(`, `\[`, `\\`), `\Q…\E` quoting, classes (`[)]`, `[^]]`, `[(]`, `[[:alpha:]]`) and
 * `(?#…)` comments are honoured as PCRE reads them. One pass: each character is read a bounded number
 * of times (a POSIX class name is looked for up to the next `]` or `[:`, which the pass reaches next).
 */
export function unbalancedAt(body: string): Unbalanced | undefined {
  const n = body.length;
  // how many groups are open; where they start is OPEN[0 … depth - 1]
  let depth = 0;
  // where an alternative starts (the pattern's start, after "|"), and right after a group's "("
  let altStart = 0;
  let groupStart = -1;
  // 1 right after a quantifier, 2 after a quantifier and its "?" (lazy) or "+" (possessive), else 0
  let afterQuantifier = 0;
  for (let i = 0; i < n; i++) {
    const c = body.charCodeAt(i);
    const quantifierEnd =
      c === Char.Star || c === Char.Plus || c === Char.Question
        ? i + 1
        : c === Char.LBrace
          ? braceQuantifierEnd(body, i)
          : -1;
    if (quantifierEnd > 0 && i === altStart) return { at: i, end: quantifierEnd, what: 'nothing-to-repeat' };
    if (i === groupStart && c === Char.Plus) return { at: i, end: i + 1, what: 'nothing-to-repeat' };
    if (quantifierEnd > 0 && i !== groupStart) {
      if (afterQuantifier === 1 && (c === Char.Question || c === Char.Plus)) afterQuantifier = 2;
      else if (afterQuantifier) return { at: i, end: quantifierEnd, what: 'repeated-quantifier' };
      else afterQuantifier = 1;
      i = quantifierEnd - 1;
      continue;
    }
    afterQuantifier = 0;
    if (c === Char.Pipe) {
      altStart = i + 1;
      continue;
    }
    if (c === Char.Backslash) {
      const d = body.charCodeAt(i + 1);
      if (d === Char.UpperQ) {
        // \Q…\E: all literal, to the end when there is no \E
        const e = body.indexOf('\\E', i + 2);
        if (e < 0) break;
        i = e + 1;
      } else if (d === Char.LowerC)
        i += 2; // \cX: X is any character
      else i++;
      continue;
    }
    if (c === Char.LBracket) {
      const end = classEnd(body, i);
      if (end < 0) return { at: i, end: i + 1, what: 'open-class' };
      i = end;
      continue;
    }
    if (c === Char.LParen) {
      if (body.charCodeAt(i + 1) === Char.Question && body.charCodeAt(i + 2) === Char.Hash) {
        // a comment: to the first ")"
        const e = body.indexOf(')', i + 3);
        if (e < 0) return { at: i, end: i + 1, what: 'open-group' };
        i = e;
        continue;
      }
      OPEN[depth++] = i;
      groupStart = i + 1;
      continue;
    }
    if (c === Char.RParen) {
      if (depth === 0) return { at: i, end: i + 1, what: 'close-group' };
      depth--;
    }
  }
  return depth ? { at: OPEN[depth - 1], end: OPEN[depth - 1] + 1, what: 'open-group' } : undefined;
}

/** The index after the quantifier `{n}`, `{n,}` or `{n,m}` that starts at `at` (a "{"), or -1 when the "{" is a literal. */
function braceQuantifierEnd(body: string, at: number): number {
  let j = at + 1;
  const digits = () => {
    const from = j;
    while (j < body.length && isDigitCode(body.charCodeAt(j))) j++;
    return j > from;
  };
  if (!digits()) return -1;
  if (body.charCodeAt(j) === Char.Comma) {
    j++;
    digits();
  }
  return body.charCodeAt(j) === Char.RBrace ? j + 1 : -1;
}

/** Where the open groups of the regex being read start: one array for every regex (most open few groups). */
const OPEN: number[] = [];

/** The index of the `]` that closes the class opened at `at`, or -1 (as PCRE2 reads a class). */
function classEnd(body: string, at: number): number {
  const n = body.length;
  let j = at + 1;
  if (body.charCodeAt(j) === Char.Caret) j++;
  // a "]" first is a literal
  if (body.charCodeAt(j) === Char.RBracket) j++;
  while (j < n) {
    const c = body.charCodeAt(j);
    if (c === Char.Backslash) {
      if (body.charCodeAt(j + 1) === Char.UpperQ) {
        const e = body.indexOf('\\E', j + 2);
        if (e < 0) return -1;
        j = e + 2;
      } else j += 2;
      continue;
    }
    if (c === Char.RBracket) return j;
    if (c === Char.LBracket) {
      const t = body.charCodeAt(j + 1);
      if (t === Char.Colon || t === Char.Dot || t === Char.Equals) {
        const e = posixEnd(body, j + 2, t);
        if (e >= 0) {
          j = e;
          continue;
        }
      }
    }
    j++;
  }
  return -1;
}

/**
 * After `[:` (or `[.`, `[=`) at `from`, the index after its `:]` when it is a POSIX class name, else -1:
 * as PCRE2's check_posix_syntax, the name ends at the first `]`, or where another `[:` starts.
 */
function posixEnd(body: string, from: number, term: number): number {
  for (let k = from, n = body.length; k < n; k++) {
    const c = body.charCodeAt(k);
    const d = body.charCodeAt(k + 1);
    if (c === Char.Backslash && (d === Char.RBracket || d === Char.Backslash)) k++;
    else if ((c === Char.LBracket && d === term) || c === Char.RBracket) return -1;
    else if (c === term && d === Char.RBracket) return k + 2;
  }
  return -1;
}
