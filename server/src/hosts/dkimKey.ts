/**
 * DKIM key files on Node (the server and the CLI; never the pure service): read the file a `domain-key`
 * line names and say what it holds, with Node's crypto: a PEM private key and its type and size, and the
 * public half a DKIM DNS record publishes. The private key never leaves this module: it is neither
 * returned, logged nor put into a message, and no error text of the parser (which could quote the file)
 * is passed on.
 *
 * The answers are kept per path while the file's modification time and size stay the same, so a
 * configuration checked on every pause in typing does not parse its keys each time.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import { pathToFileURL } from 'url';
import type { KeyInfo } from './includeHost';

/** A PEM RSA key of 16384 bits is under 13 KB; anything much larger is not a key file. */
const MAX_KEY_BYTES = 64 * 1024;
/** Answers kept at most; past that, the cache starts again empty. */
const MAX_CACHED = 4096;

const cache = new Map<string, { mtimeMs: number; size: number; info: KeyInfo }>();

/** What the key file at `file` (a path on this machine) holds. */
export function keyFileInfo(file: string): KeyInfo {
  const uri = pathToFileURL(file).toString();
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    return { uri, exists: false, readable: false };
  }
  if (!st.isFile()) return { uri, exists: true, readable: false, problem: 'not-a-file' };
  if (st.size > MAX_KEY_BYTES) return { uri, exists: true, readable: false, problem: 'too-large' };
  const hit = cache.get(file);
  if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.info;
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return {
      uri,
      exists: true,
      readable: false,
      problem: code === 'EACCES' || code === 'EPERM' ? 'permission' : 'not-a-file',
    };
  }
  const info = { uri, exists: true, ...inspectKey(bytes) };
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(file, { mtimeMs: st.mtimeMs, size: st.size, info });
  return info;
}

/** What a key file's bytes hold (without `uri` and `exists`). */
export function inspectKey(bytes: Buffer): Omit<KeyInfo, 'uri' | 'exists'> {
  if (bytes.length === 0 || /^\s*$/.test(bytes.toString('latin1'))) return { readable: false, problem: 'empty' };
  const text = bytes.toString('latin1');
  const labels = [...text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----/g)].map((m) => m[1]);
  if (!labels.length) return { readable: false, problem: 'not-pem' };
  // (tested on the text first: asked for a key that needs a passphrase, OpenSSL could ask the terminal)
  if (labels.includes('ENCRYPTED PRIVATE KEY') || /^Proc-Type:\s*4,\s*ENCRYPTED/m.test(text))
    return { readable: false, problem: 'encrypted' };
  if (!labels.some((l) => l.endsWith('PRIVATE KEY'))) {
    if (labels.some((l) => l.endsWith('PUBLIC KEY'))) return { readable: false, problem: 'public-key' };
    if (labels.some((l) => l.includes('CERTIFICATE'))) return { readable: false, problem: 'certificate' };
    return { readable: false, problem: 'not-pem' };
  }
  try {
    const key = crypto.createPrivateKey({ key: text, format: 'pem', passphrase: '' });
    const publicKeyBase64 = crypto.createPublicKey(key).export({ type: 'spki', format: 'der' }).toString('base64');
    return {
      readable: true,
      kind: key.asymmetricKeyType,
      bits: key.asymmetricKeyDetails?.modulusLength,
      publicKeyBase64,
    };
  } catch {
    return { readable: false, problem: 'unparsable' };
  }
}
