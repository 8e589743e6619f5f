/**
 * A file's bytes as text and back, without losing a byte. PowerMTA reads its configuration byte for byte;
 * most files are UTF-8 (or ASCII), but a config edited long ago may hold ISO-8859-1 or Windows-1252
 * bytes in a comment or a path (`<acct-file /var/log/pmta/müller.csv>`), or mix them with UTF-8. Read
 * as UTF-8 with replacement characters, such a byte is lost, and a rewrite (`pmta-lint --fix`) names
 * another file.
 *
 * So: valid UTF-8 is decoded as UTF-8, and each byte that is not part of a valid UTF-8 sequence becomes
 * one "byte escape", the lone low surrogate U+DC80–U+DCFF (U+DC00 + the byte), as Python's
 * `surrogateescape` does. A lone surrogate never comes out of valid UTF-8 (UTF-8 cannot encode one), so
 * encoding the text again gives back every byte: each escape as its byte, the rest as UTF-8. An escape is
 * one UTF-16 code unit, so positions count one per such byte; the parser reads it as an ordinary
 * character. A UTF-8 byte order mark is taken off the text (editors do not show it, so columns agree
 * with theirs) and put back when encoding.
 *
 * Pure (TextDecoder and TextEncoder exist in Node and in browsers).
 */

/** The first byte escape (a byte that is not UTF-8 is U+DC00 + the byte: U+DC80–U+DCFF). */
const ESCAPE_FIRST = 0xdc80;
const ESCAPE_LAST = 0xdcff;

const STRICT = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const LENIENT = new TextDecoder('utf-8', { ignoreBOM: true });
const ENCODER = new TextEncoder();

/** A file's text, and what it takes to write the same bytes back. */
export interface DecodedText {
  /** The text, without the byte order mark; each byte that is not UTF-8 as its escape. */
  text: string;
  /** The bytes began with the UTF-8 byte order mark (EF BB BF). */
  bom: boolean;
  /** How many bytes are not UTF-8 (each one escape in the text). */
  invalid: number;
}

/** Decode a file's bytes without loss (see the top of this file). */
export function decodeBytes(bytes: Uint8Array): DecodedText {
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = bom ? bytes.subarray(3) : bytes;
  try {
    return { text: STRICT.decode(body), bom, invalid: 0 };
  } catch {
    // not UTF-8 throughout: the valid runs decoded as UTF-8, each other byte escaped
  }
  const parts: string[] = [];
  let invalid = 0;
  let run = 0;
  for (let i = 0; i < body.length;) {
    const n = sequenceLength(body, i);
    if (n > 0) {
      i += n;
      continue;
    }
    if (run < i) parts.push(LENIENT.decode(body.subarray(run, i)));
    parts.push(String.fromCharCode(0xdc00 + body[i]));
    invalid++;
    run = ++i;
  }
  if (run < body.length) parts.push(LENIENT.decode(body.subarray(run)));
  return { text: parts.join(''), bom, invalid };
}

/**
 * The length of the well-formed UTF-8 sequence at `i` (the Unicode standard's table 3-7: no overlong
 * form, no surrogate, nothing above U+10FFFF), or 0 when the byte there does not start one.
 */
function sequenceLength(b: Uint8Array, i: number): number {
  const c = b[i];
  if (c < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < b.length && b[i + k] >= lo && b[i + k] <= hi;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if ((c >= 0xe1 && c <= 0xec) || c === 0xee || c === 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (c === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (c === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (c >= 0xf1 && c <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (c === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

/**
 * The bytes of a text decoded by {@link decodeBytes} (or edited since): each byte escape as its byte,
 * everything else as UTF-8, after the byte order mark when `bom`.
 */
export function encodeText(text: string, bom = false): Uint8Array {
  const escapes = byteEscapes(text);
  if (escapes.length === 0 && !bom) return ENCODER.encode(text);
  const chunks: Uint8Array[] = bom ? [new Uint8Array([0xef, 0xbb, 0xbf])] : [];
  let from = 0;
  for (const at of escapes) {
    if (from < at) chunks.push(ENCODER.encode(text.slice(from, at)));
    chunks.push(new Uint8Array([text.charCodeAt(at) - 0xdc00]));
    from = at + 1;
  }
  if (from < text.length) chunks.push(ENCODER.encode(text.slice(from)));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Whether the character at `i` is a byte escape: U+DC80–U+DCFF, not the second half of a surrogate pair. */
function isByteEscape(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < ESCAPE_FIRST || c > ESCAPE_LAST) return false;
  const before = i > 0 ? text.charCodeAt(i - 1) : 0;
  return !(before >= 0xd800 && before <= 0xdbff);
}

/** A code unit of the byte escapes' range (a byte escape, or the second half of a surrogate pair). */
const ESCAPE_UNIT = /[\udc80-\udcff]/;

/** The offsets of the byte escapes in a text. */
export function byteEscapes(text: string): number[] {
  const out: number[] = [];
  // most texts have none: one search in machine code instead of the loop over every character (which a
  // fresh server ran in V8's interpreter, on every file it checks and writes)
  const first = text.search(ESCAPE_UNIT);
  if (first < 0) return out;
  for (let i = first; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= ESCAPE_FIRST && c <= ESCAPE_LAST && isByteEscape(text, i)) out.push(i);
  }
  return out;
}
