/**
 * Small helpers over bytes (UTF-8 slices of an accounting file), for the report's hot path: a hash,
 * slices turned into strings once per distinct value, text decoding. No Node APIs (TextDecoder and
 * TextEncoder are globals in browsers and in Node).
 */
import { decodeBytes as decodeLossless } from '../util/encoding';

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const encoder = new TextEncoder();

/** FNV-1a over buf[s..e), 32 bits. */
export function hashBytes(buf: Uint8Array, s: number, e: number): number {
  let h = 0x811c9dc5;
  for (let i = s; i < e; i++) h = Math.imul(h ^ buf[i], 0x01000193);
  return h >>> 0;
}

/**
 * buf[s..e) as text: UTF-8; a byte that is not part of valid UTF-8 is read as Latin-1 (ISO-8859-1),
 * as written by a system that is not UTF-8 (a virtual MTA `m\xe93` is `mé3`, not `m\ufffd3`).
 */
export function decodeBytes(buf: Uint8Array, s: number, e: number): string {
  if (e - s <= 32) {
    // short ASCII values (IPs, names) are built directly: cheaper than a decoder call
    let out = '';
    for (let i = s; i < e; i++) {
      const c = buf[i];
      if (c >= 0x80) return decodeText(buf.subarray(s, e));
      out += String.fromCharCode(c);
    }
    return out;
  }
  return decodeText(buf.subarray(s, e));
}

/** Bytes as text: UTF-8, else each byte that is not UTF-8 as Latin-1 (a byte order mark kept: a field is no file). */
function decodeText(bytes: Uint8Array): string {
  try {
    return strict.decode(bytes);
  } catch {
    // the byte escapes of the lossless decoding (U+DC00 + the byte) as the byte's Latin-1 letter
    const d = decodeLossless(bytes);
    const text = d.text.replace(/[\udc80-\udcff]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xdc00));
    return d.bom ? '\ufeff' + text : text;
  }
}

/** The UTF-8 bytes of a string. */
export function encodeText(text: string): Uint8Array {
  return encoder.encode(text);
}

/** True when buf[s..e) equals key byte for byte. */
export function bytesEqual(buf: Uint8Array, s: number, e: number, key: Uint8Array): boolean {
  if (e - s !== key.length) return false;
  for (let i = 0; i < key.length; i++) if (buf[s + i] !== key[i]) return false;
  return true;
}

interface Interned {
  bytes: Uint8Array;
  text: string;
}

/**
 * Strings for byte slices that repeat (source IPs, virtual MTA names): each distinct value is decoded
 * once and the same string returned after, so the per-row cost is a hash and a comparison. At most
 * `max` values are kept (a file of random junk must not grow memory); past that, slices are decoded
 * each time.
 */
export class ByteStrings {
  private readonly table = new Map<number, Interned[]>();
  private count = 0;
  constructor(private readonly max: number) {}

  get(buf: Uint8Array, s: number, e: number): string {
    const h = hashBytes(buf, s, e);
    const bucket = this.table.get(h);
    if (bucket) for (const x of bucket) if (bytesEqual(buf, s, e, x.bytes)) return x.text;
    const text = decodeBytes(buf, s, e);
    if (this.count < this.max) {
      const entry = { bytes: buf.slice(s, e), text };
      if (bucket) bucket.push(entry);
      else this.table.set(h, [entry]);
      this.count++;
    }
    return text;
  }
}
