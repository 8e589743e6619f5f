/**
 * The scanner of one parse: the scans of a line's text that the parser runs on every line (the
 * comment, junk characters, `{{`, where the content ends, the words of a value), and the state they
 * share. That state was module-level variables; it belongs to one parse, so a parse makes a scanner
 * ({@link newScanner}) and hands it to each scan; nothing it found is left set between parses (only
 * an empty array is kept for the next parse, see {@link endScan}).
 *
 * Two choices here are for speed, measured on the bench's 1 MB lines (and kept in V8's terms):
 * - The scanner is a plain object made by one object literal, not a class instance. A major garbage
 *   collection between two parses, when no scanner is alive, collects the hidden class of a class's
 *   instances, and with it the optimised code of the scans that used it; a 1 MB line then took up to
 *   twice as long to parse. The hidden class of an object literal is kept by the literal.
 * - The text is an argument of each scan, not a field of the scanner: the scan loop over a string read
 *   from a field ran 40% slower.
 */
import type { Word } from './ast';
import { Char, isBlankCode, isSpaceCode } from '../util/text';

/** The state the scans of one parse share. */
export interface Scanner {
  /** What the last {@link scanLine} found besides the comment: the first junk character (-1: none). */
  junk: number;
  /** What the last {@link scanLine} found besides the comment: whether `{{` occurs. */
  braces: boolean;
  /** What the last {@link scanLine} found besides the comment: the end of the last character that is not white space. */
  stop: number;
  /**
   * Reused while collecting words; results are copied out at their exact length by {@link exact} (a
   * pushed-to array keeps room for 17).
   */
  readonly words: Word[];
  /**
   * Set when parsing with lines taken over from a previous version: the strings of the lines parsed then
   * are copied out of the text (see {@link own}).
   */
  readonly ownStrings: boolean;
}

/**
 * The word array of the last parse that ended, for the next one to collect words into. A 1 MB line of
 * 87,000 words grows the array to that size: grown again in every parse, it cost that parse a tenth
 * of its time. An array here holds no word ({@link exact} clears what it hands out), and a parse takes it
 * out while it runs, so two parses never share one.
 */
const spareWords: Word[][] = [];

/** The scanner of a new parse; give it back with {@link endScan} when the parse ends. */
export function newScanner(ownStrings = false): Scanner {
  return { junk: -1, braces: false, stop: 0, words: spareWords.pop() ?? [], ownStrings };
}

/** The end of a parse: its word array is kept for the next parse (one array at most). */
export function endScan(sc: Scanner): void {
  if (spareWords.length === 0) spareWords.push(sc.words);
}

/**
 * Control characters other than tab, line feed and carriage return, and DEL. Not the replacement
 * character U+FFFD, nor the escapes of bytes that are not UTF-8 (util/encoding.ts): a file in another
 * encoding read as UTF-8 is a text with odd letters, not junk (the `encoding` rule says so once).
 */
function isJunkCode(c: number): boolean {
  return (c <= 0x1f && c !== 9 && c !== 10 && c !== 13) || c === 0x7f;
}

/** A character {@link scanLine} does more with than step over: a junk character (and a line end), `"`, `{`, `#`. */
const NOT_PLAIN = /[\x00-\x08\x0a-\x1f\x7f"{#]/;

/**
 * The comment in [from, to) of `text` (see {@link findComment}), and in the same pass over the text
 * before it, into the scanner: the first junk character ({@link Scanner.junk}, -1: none; with
 * `junkStops`, the scan stops there and the comment is then not looked for), whether `{{` occurs
 * ({@link Scanner.braces}), and the end of the last character that is not white space
 * ({@link Scanner.stop}, `from` when none). Every character is looked at, those the comment search steps
 * over (after a backslash in quotes, the second brace of a pair) too.
 */
export function scanLine(sc: Scanner, text: string, from: number, to: number, junkStops = true): number {
  let junk = -1;
  let pairs = false;
  let comment = -1;
  let quote = false;
  let braces = 0;
  let skip = false;
  // Up to the first character the loop below does more with than look at (a junk character, `"`, `{`,
  // `#`), it only moves `stop`: that stretch is found by one search in machine code, most lines have
  // nothing else, and the loop starts there. (A fresh server parses its first file in V8's interpreter,
  // where this loop over every character was a fifth of the time to the first diagnostics.)
  const plain = from < to ? text.slice(from, to).search(NOT_PLAIN) : -1;
  const resume = plain < 0 ? to : from + plain;
  let stop = resume;
  while (stop > from && isSpaceCode(text.charCodeAt(stop - 1))) stop--;
  for (let i = resume; i < to; i++) {
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
  sc.junk = junk;
  sc.braces = pairs;
  sc.stop = stop;
  return comment;
}

/** Position of the comment `#` in [from, to) of `text`: a `#` at the start or after white space, outside quotes and template braces. */
export function findComment(sc: Scanner, text: string, from: number, to: number): number {
  return scanLine(sc, text, from, to, false);
}

/** The word of `text` starting at `from` (after `\s` characters), honouring double quotes; `to` bounds it. */
export function wordAt(sc: Scanner, text: string, from: number, to: number): Word | undefined {
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
    return { text: own(sc, closed ? s : text.slice(start + 1, i)), start, end: i, quoted: true };
  }
  while (i < to && !isSpaceCode(text.charCodeAt(i))) i++;
  return { text: own(sc, text.slice(start, i)), start, end: i, quoted: false };
}

/** Split [from, to) of `text` into words, honouring double quotes. */
export function splitWords(sc: Scanner, text: string, from: number, to: number): Word[] {
  const words = sc.words;
  let n = 0;
  let i = from;
  for (;;) {
    const w = wordAt(sc, text, i, to);
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
export function own(sc: Scanner, s: string): string {
  return sc.ownStrings && s.length >= 13 ? (' ' + s).slice(1) : s;
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
