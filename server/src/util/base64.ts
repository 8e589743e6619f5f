/**
 * Bytes as base64 text and back, for file chunks sent over JSON-RPC (`pmta/readFileChunk`), with what
 * both a browser and Node have (`btoa`, `atob`). Imports nothing.
 */

/** Bytes per `String.fromCharCode` call (its arguments go on the stack). */
const SLICE = 0x8000;

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += SLICE) binary += String.fromCharCode(...bytes.subarray(i, i + SLICE));
  return btoa(binary);
}

/** The bytes of base64 text; throws on text that is not base64. */
export function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
