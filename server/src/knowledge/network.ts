/**
 * IP address ranges as PowerMTA writes them (`0/0`, `10/8`, `10.1.0/24`, `192.0.2.7`, `::1`,
 * `2001:db8::/32`): parsed into bytes and a prefix length, so that the rules can tell a range that
 * covers the whole internet or a public network from a single host or a private network, and whether
 * one range holds another. Pure; no regular expression runs on a value.
 */

export interface IpRange {
  version: 4 | 6;
  /** The network address (host bits cleared): 4 or 16 bytes. */
  bytes: Uint8Array;
  /** Prefix length: 0 (everything) to 32 or 128 (one host). */
  prefix: number;
}

/** A range: an address, or an address and `/prefix`, in PowerMTA's short IPv4 forms too. Undefined for anything else (a name). */
export function parseRange(text: string): IpRange | undefined {
  const slash = text.indexOf('/');
  const addr = slash < 0 ? text : text.slice(0, slash);
  const mask = slash < 0 ? undefined : text.slice(slash + 1);
  if (mask !== undefined && !/^\d{1,3}$/.test(mask)) return undefined;
  if (addr.includes(':')) {
    const bytes = parseIPv6(addr);
    const prefix = mask === undefined ? 128 : Number(mask);
    return bytes && prefix <= 128 ? network({ version: 6, bytes, prefix }) : undefined;
  }
  // without a mask, four parts; with one, PowerMTA's short forms leave out trailing zero parts (10/8)
  const bytes = parseIPv4(addr, mask === undefined);
  const prefix = mask === undefined ? 32 : Number(mask);
  return bytes && prefix <= 32 ? network({ version: 4, bytes, prefix }) : undefined;
}

/** Bits of an address of this version. */
function addressBits(r: IpRange): number {
  return r.version === 4 ? 32 : 128;
}

/** The range is one address. */
export function isSingleHost(r: IpRange): boolean {
  return r.prefix === addressBits(r);
}

/** The range is every address (`0/0`, `::/0`). */
export function isEverything(r: IpRange): boolean {
  return r.prefix === 0;
}

/** `outer` holds every address of `inner` (same version). */
export function contains(outer: IpRange, inner: IpRange): boolean {
  if (outer.version !== inner.version || outer.prefix > inner.prefix) return false;
  return samePrefix(outer.bytes, inner.bytes, outer.prefix);
}

/**
 * Ranges that are not reachable from the internet: loopback, RFC 1918 private networks, link-local,
 * the shared address space of carrier-grade NAT (RFC 6598), and IPv6 unique local and link-local
 * addresses. (Documentation ranges such as 192.0.2.0/24 count as public: configs copy them from
 * examples, and what they stand for is a real address.)
 */
const LOCAL_RANGES: readonly IpRange[] = [
  '127.0.0.0/8',
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '169.254.0.0/16',
  '100.64.0.0/10',
  '::1/128',
  'fc00::/7',
  'fe80::/10',
].map((s) => parseRange(s)!);

/** Every address of the range is loopback or private (see {@link LOCAL_RANGES}). */
export function isLocalRange(r: IpRange): boolean {
  return LOCAL_RANGES.some((l) => contains(l, r));
}

/** Every address of the range is a loopback address (127.0.0.0/8, ::1). */
export function isLoopback(r: IpRange): boolean {
  return contains(LOCAL_RANGES[0], r) || contains(LOCAL_RANGES[6], r);
}

/** How many addresses the range holds, in words: "256", "16,777,216", "2^64". */
export function addressCount(r: IpRange): string {
  const free = addressBits(r) - r.prefix;
  return free > 40 ? `2^${free}` : (2 ** free).toLocaleString('en-US');
}

/** The range written back in full: `0.0.0.0/0`, `10.0.0.0/8`, `2001:db8::/32`, a host without its prefix. */
export function formatRange(r: IpRange): string {
  const addr = r.version === 4 ? Array.from(r.bytes).join('.') : formatIPv6(r.bytes);
  return isSingleHost(r) ? addr : `${addr}/${r.prefix}`;
}

// ---------------------------------------------------------------------------------------------

function network(r: IpRange): IpRange {
  const bytes = r.bytes.slice();
  for (let bit = r.prefix; bit < bytes.length * 8; bit++) bytes[bit >> 3] &= ~(0x80 >> (bit & 7));
  return { ...r, bytes };
}

function samePrefix(a: Uint8Array, b: Uint8Array, bits: number): boolean {
  const whole = bits >> 3;
  for (let i = 0; i < whole; i++) if (a[i] !== b[i]) return false;
  const rest = bits & 7;
  if (!rest) return true;
  const m = (0xff << (8 - rest)) & 0xff;
  return (a[whole] & m) === (b[whole] & m);
}

/** 1 to 4 dot-separated numbers of at most 255 (4 required when `full`); missing parts are zero. */
function parseIPv4(s: string, full: boolean): Uint8Array | undefined {
  const parts = s.split('.');
  if (parts.length > 4 || (full && parts.length !== 4)) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < parts.length; i++) {
    if (!/^\d{1,3}$/.test(parts[i])) return undefined;
    const n = Number(parts[i]);
    if (n > 255) return undefined;
    out[i] = n;
  }
  return out;
}

/** Eight groups of up to four hex digits, one `::` allowed, an IPv4 tail allowed. */
function parseIPv6(s: string): Uint8Array | undefined {
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string): number[] | undefined => {
    if (h === '') return [];
    const out: number[] = [];
    const items = h.split(':');
    for (let i = 0; i < items.length; i++) {
      const g = items[i];
      if (i === items.length - 1 && g.includes('.')) {
        const v4 = parseIPv4(g, true);
        if (!v4) return undefined;
        out.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(g)) out.push(parseInt(g, 16));
      else return undefined;
    }
    return out;
  };
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...new Array<number>(missing).fill(0), ...tail];
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 0xff;
  });
  return out;
}

/** The shortest usual form: the longest run of two or more zero groups as `::`. */
function formatIPv6(b: Uint8Array): string {
  const g: number[] = [];
  for (let i = 0; i < 16; i += 2) g.push((b[i] << 8) | b[i + 1]);
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j;
  }
  const hex = (xs: number[]) => xs.map((x) => x.toString(16)).join(':');
  if (best < 0) return hex(g);
  return `${hex(g.slice(0, best))}::${hex(g.slice(best + bestLen))}`;
}
