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
  Comma = 44,
  Hyphen = 45,
  Dot = 46,
  Slash = 47,
  Zero = 48,
  Colon = 58,
  Lt = 60,
  Gt = 62,
  UpperA = 65,
  UpperQ = 81,
  UpperZ = 90,
  Backslash = 92,
  Underscore = 95,
  LBrace = 123,
  RBrace = 125,
  Delete = 0x7f,
  ReplacementCharacter = 0xfffd,
  ByteOrderMark = 0xfeff,
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

/** `[A-Za-z]`. */
export function isLetterCode(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** `[0-9]`. */
export function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** `[A-Za-z0-9_.-]`: a character of a tag name. */
export function isTagNameCode(c: number): boolean {
  return isLetterCode(c) || isDigitCode(c) || c === Char.Underscore || c === Char.Dot || c === Char.Hyphen;
}
