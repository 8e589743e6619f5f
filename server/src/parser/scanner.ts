/**
 * The scanner of one parse: the scans of a line's text that the parser runs on every line (the
 * comment, junk characters, `{{`, where the content ends, the words of a value), and the state they
 * share. That state was module-level variables; it belongs to one parse (one text), so a parse makes a
 * scanner and nothing is left set between parses.
 */
import type { Word } from './ast';
import { Char, isBlankCode, isSpaceCode } from '../util/text';

/** Control characters other than tab, line feed and carriage return, DEL, and the replacement character. */
function isJunkCode(c: number): boolean {
  return (c <= 0x1f && c !== 9 && c !== 10 && c !== 13) || c === 0x7f || c === 0xfffd;
}

export class Scanner {
  /** What the last {@link scanLine} found besides the comment: the first junk character (-1: none). */
  junk = -1;
  /** What the last {@link scanLine} found besides the comment: whether `{{` occurs. */
  braces = false;
  /** What the last {@link scanLine} found besides the comment: the end of the last character that is not white space. */
  stop = 0;
  /**
   * Reused while collecting words; results are copied out at their exact length by {@link exact} (a
   * pushed-to array keeps room for 17).
   */
  readonly words: Word[] = [];

  /**
   * @param text the whole text being parsed
   * @param ownStrings set when parsing with lines taken over from a previous version: the strings of the
   * lines parsed then are copied out of the text (see {@link own}).
   */
  constructor(
    readonly text: string,
    private readonly ownStrings = false,
  ) {}

  /**
   * The comment in [from, to) (see {@link findComment}), and in the same pass over the text before it:
   * the first junk character ({@link junk}, -1: none; with `junkStops`, the scan stops there and the
   * comment is then not looked for), whether `{{` occurs ({@link braces}), and the end of the last
   * character that is not white space ({@link stop}, `from` when none). Every character is looked at,
   * those the comment search steps over (after a backslash in quotes, the second brace of a pair) too.
   */
  scanLine(from: number, to: number, junkStops = true): number {
    const text = this.text;
    let junk = -1;
    let pairs = false;
    let stop = from;
    let comment = -1;
    let quote = false;
    let braces = 0;
    let skip = false;
    for (let i = from; i < to; i++) {
      const c = text.charCodeAt(i);
      if (junk < 0 && isJunkCode(c)) {
        junk = i;
        if (junkStops) break;
      }
      // the comment search, which steps over a character with `skip`
      if (skip) skip = false;
      else if (quote) {
        if (c === Char.Backslash) skip = true;
        else if (c === Char.Quote) quote = false;
      } else if (c === Char.Quote) {
        quote = true;
      } else if (c === Char.LBrace) {
        if (text.charCodeAt(i + 1) === Char.LBrace) {
          braces++;
          skip = true;
        }
      } else if (c === Char.RBrace) {
        if (braces > 0 && text.charCodeAt(i + 1) === Char.RBrace) {
          braces--;
          skip = true;
        }
      } else if (c === Char.Hash && braces === 0 && (i === from || isBlankCode(text.charCodeAt(i - 1)))) {
        comment = i;
        break;
      }
      // the text before the comment
      if (c === Char.LBrace && i + 1 < to && text.charCodeAt(i + 1) === Char.LBrace) pairs = true;
      if (!isSpaceCode(c)) stop = i + 1;
    }
    this.junk = junk;
    this.braces = pairs;
    this.stop = stop;
    return comment;
  }

  /** Position of the comment `#` in [from, to): a `#` at the start or after white space, outside quotes and template braces. */
  findComment(from: number, to: number): number {
    return this.scanLine(from, to, false);
  }

  /** The word starting at `from` (after `\s` characters), honouring double quotes; `to` bounds it. */
  wordAt(from: number, to: number): Word | undefined {
    const text = this.text;
    let i = from;
    while (i < to && isSpaceCode(text.charCodeAt(i))) i++;
    if (i >= to) return undefined;
    const start = i;
    if (text.charCodeAt(i) === Char.Quote) {
      i++;
      let s = '';
      let runStart = i;
      let closed = false;
      while (i < to) {
        const c = text.charCodeAt(i);
        if (c === Char.Backslash && i + 1 < to) {
          s += text.slice(runStart, i) + text[i + 1];
          i += 2;
          runStart = i;
          continue;
        }
        if (c === Char.Quote) {
          s += text.slice(runStart, i);
          closed = true;
          i++;
          break;
        }
        i++;
      }
      if (!closed) s += text.slice(runStart, i);
      // a quoted word glued to more text ("a"b) keeps going as one word
      const glued = i;
      while (i < to && !isSpaceCode(text.charCodeAt(i))) i++;
      if (i > glued) s += text.slice(glued, i);
      return { text: this.own(closed ? s : text.slice(start + 1, i)), start, end: i, quoted: true };
    }
    while (i < to && !isSpaceCode(text.charCodeAt(i))) i++;
    return { text: this.own(text.slice(start, i)), start, end: i, quoted: false };
  }

  /** Split [from, to) into words, honouring double quotes. */
  splitWords(from: number, to: number): Word[] {
    const words = this.words;
    let n = 0;
    let i = from;
    for (;;) {
      const w = this.wordAt(i, to);
      if (!w) break;
      words[n++] = w;
      i = w.end;
    }
    return exact(words, n);
  }

  /**
   * `s`, not referring to the text it was taken from when the scanner owns its strings. (A substring of
   * 13 characters or more refers to the whole text it was taken from; lines taken over from version to
   * version would otherwise keep the text of every version that parsed one of them.)
   */
  own(s: string): string {
    return this.ownStrings && s.length >= 13 ? (' ' + s).slice(1) : s;
  }
}

/** The first n entries of a reused array, in an array of their own; the entries are cleared from it. */
export function exact(words: Word[], n: number): Word[] {
  if (n === 0) return [];
  if (n === 1) {
    const w = words[0];
    words[0] = undefined as unknown as Word;
    return [w];
  }
  const out = words.slice(0, n);
  words.fill(undefined as unknown as Word, 0, n);
  return out;
}
