/**
 * Character codes and character classes by UTF-16 code unit, shared by the parser, the value
 * grammars and the model: code that scans text one `charCodeAt` at a time instead of running a
 * regular expression on it. Imports nothing.
 *
 * The codes are a `const enum`: the compiler writes the numbers in where they are used, so a scanning
 * loop compares with a constant, as it did when each module had its own `const HASH = 35`.
 */

/** UTF-16 code units the scanners look for by name. */
export const enum Char {
  Nul = 0,
  Tab = 9,
  LineFeed = 10,
  FormFeed = 12,
  CarriageReturn = 13,
  Space = 32,
  Quote = 34,
  Hash = 35,
  Dollar = 36,
  Percent = 37,
  LParen = 40,
  RParen = 41,
  Star = 42,
  Plus = 43,
  Comma = 44,
  Hyphen = 45,
  Dot = 46,
  Slash = 47,
  Zero = 48,
  Colon = 58,
  Lt = 60,
  Equals = 61,
  Gt = 62,
  Question = 63,
  UpperA = 65,
  UpperQ = 81,
  UpperZ = 90,
  LBracket = 91,
  Backslash = 92,
  RBracket = 93,
  Caret = 94,
  Underscore = 95,
  LowerC = 99,
  LBrace = 123,
  Pipe = 124,
  RBrace = 125,
  Delete = 0x7f,
  ByteOrderMark = 0xfeff,
  ReplacementCharacter = 0xfffd,
}

/** Space or tab: what separates words on a PowerMTA line. */
export function isBlankCode(c: number): boolean {
  return c === Char.Space || c === Char.Tab;
}

/** Exactly the characters of the regular expression class `\s` (and of `String.prototype.trim`). */
export function isSpaceCode(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** End of [from, to) of `text` without trailing `\s` characters (what `trimEnd` keeps). */
export function trimEndSpace(text: string, from: number, to: number): number {
  while (to > from && isSpaceCode(text.charCodeAt(to - 1))) to--;
  return to;
}

/** The first offset from `from` (before `to`) that is not white space (`\s`), as trimStart would leave it. */
export function skipSpace(text: string, from: number, to: number): number {
  while (from < to && isSpaceCode(text.charCodeAt(from))) from++;
  return from;
}

/** `[A-Za-z]`. */
export function isLetterCode(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** `[0-9]`. */
export function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Whether `text` holds `lower` (lower-case ASCII) from `at`, ending by `to`, with ASCII letters in any
 * case: `pmta-lint`, a verb, a domain, compared where they stand instead of on a lower-cased copy.
 */
export function matchesAsciiLower(text: string, at: number, to: number, lower: string): boolean {
  if (at + lower.length > to) return false;
  for (let k = 0; k < lower.length; k++) {
    const c = text.charCodeAt(at + k);
    if ((c >= Char.UpperA && c <= Char.UpperZ ? c + 32 : c) !== lower.charCodeAt(k)) return false;
  }
  return true;
}

/**
 * Each word of `text` from `from` to `to`, words being separated by white space (`\s`) or commas (a
 * rule list, a domain list): `visit(start, end)` in order, without making a string of them.
 */
export function forEachListWord(
  text: string,
  from: number,
  to: number,
  visit: (start: number, end: number) => void,
): void {
  let i = from;
  while (i < to) {
    let c = text.charCodeAt(i);
    if (c === Char.Comma || isSpaceCode(c)) {
      i++;
      continue;
    }
    const start = i;
    while (i < to && (c = text.charCodeAt(i)) !== Char.Comma && !isSpaceCode(c)) i++;
    visit(start, i);
  }
}

/** `[A-Za-z0-9_.-]`: a character of a tag name. */
export function isTagNameCode(c: number): boolean {
  return isLetterCode(c) || isDigitCode(c) || c === Char.Underscore || c === Char.Dot || c === Char.Hyphen;
}
