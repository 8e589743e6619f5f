/**
 * Which records go to Microsoft consumer mail (Outlook.com, Hotmail, Live, MSN): the recipient's domain
 * is one of the knowledge base's Microsoft consumer domains, or the host that answered (dsnMta) is an
 * Outlook.com consumer MX host (`hotmail-com.olc.protection.outlook.com (52.101.…)`), which also catches
 * a domain of its own hosted there. Byte versions for CSV rows (a hash and a comparison, no string),
 * text versions for JSON records.
 */
import {
  isMicrosoftConsumerDomain,
  isMicrosoftConsumerMxHost,
  MICROSOFT_CONSUMER_DOMAINS,
  MICROSOFT_CONSUMER_MX_SUFFIX,
} from '../knowledge/microsoft';
import { bytesEqual, encodeText, hashBytes } from './bytes';

/** The domains' bytes by hash. */
const DOMAINS: ReadonlyMap<number, Uint8Array[]> = (() => {
  const m = new Map<number, Uint8Array[]>();
  for (const d of MICROSOFT_CONSUMER_DOMAINS) {
    const bytes = encodeText(d.domain);
    const h = hashBytes(bytes, 0, bytes.length);
    const list = m.get(h);
    if (list) list.push(bytes);
    else m.set(h, [bytes]);
  }
  return m;
})();

const MX_SUFFIX = encodeText(MICROSOFT_CONSUMER_MX_SUFFIX);

/** Longest domain looked at (longer ones are not Microsoft's). */
const MAX_DOMAIN = 64;

/**
 * True when the address in buf[s..e) has a Microsoft consumer domain. The domain (after the last `@`,
 * without a trailing `>` or `.`) is lower-cased into `scratch` and looked up.
 */
export function isMicrosoftAddressBytes(buf: Uint8Array, s: number, e: number, scratch: Uint8Array): boolean {
  while (e > s && (buf[e - 1] === 62 || buf[e - 1] === 46 || buf[e - 1] === 32)) e--;
  let at = e - 1;
  while (at >= s && buf[at] !== 64) at--;
  if (at < s) return false;
  const n = e - at - 1;
  if (n <= 0 || n > MAX_DOMAIN) return false;
  for (let i = 0; i < n; i++) {
    const c = buf[at + 1 + i];
    scratch[i] = c >= 65 && c <= 90 ? c + 32 : c;
  }
  const list = DOMAINS.get(hashBytes(scratch, 0, n));
  if (!list) return false;
  for (const d of list) if (bytesEqual(scratch, 0, n, d)) return true;
  return false;
}

/** True when the dsnMta value in buf[s..e) names an Outlook.com consumer MX host (host, then ` (IP)`). */
export function isConsumerMxBytes(buf: Uint8Array, s: number, e: number): boolean {
  let end = s;
  while (end < e && buf[end] !== 32 && buf[end] !== 40) end++;
  if (end > s && buf[end - 1] === 46) end--;
  const n = MX_SUFFIX.length;
  if (end - s < n) return false;
  for (let i = 0; i < n; i++) {
    const c = buf[end - n + i];
    if ((c >= 65 && c <= 90 ? c + 32 : c) !== MX_SUFFIX[i]) return false;
  }
  return true;
}

/** The text version of {@link isMicrosoftAddressBytes}. */
export function isMicrosoftAddress(address: string): boolean {
  return isMicrosoftConsumerDomain(address.trim().replace(/>+$/, ''));
}

/** The text version of {@link isConsumerMxBytes}. */
export function isConsumerMx(dsnMta: string): boolean {
  const host = dsnMta.trim().split(/[ (]/, 1)[0];
  return host !== '' && isMicrosoftConsumerMxHost(host);
}
