/**
 * Value grammars of PowerMTA directives (UG 3.2, 3.3.10.33): parse and check values,
 * normalise rates and durations so that rules can compare them.
 */
import type { DirectiveInfo, ValueKind } from './types';
import { Char, isDigitCode, isLetterCode, isSpaceCode } from '../util/text';
import { Memo } from '../util/memo';
import { closestName } from './catalog';
import { RECORD_TYPE_INFO, recordType, recordTypeCodes } from './accounting';

/*
 * The regular expressions of the checks that run for every value (the first two serve the rules too).
 * A regular expression literal inside a function makes a new object each time it is evaluated; these
 * are made once (none is global or sticky, so none keeps state between calls).
 */
export const DIGITS = /^\d+$/;
const DATA_RATE = /^(unlimited|0|\d+[bkmgt]?\/\d*(d|day|h|hr|m|min|s|sec))$/i;
const EMAIL = /^[^\s@]+@[^\s@]+$/;
const NAME = /^[^\s,]+$/;
export const WHITE_SPACE = /\s/;
const WHITE_SPACES = /\s+/;
const IPV6_CHARS = /^[0-9a-fA-F:.]+$/;
const MASK = /^\d{1,3}$/;
const SIZE = /^(\d+)([bkmgt]?)$/;

/** Seconds in each duration unit. */
const DURATION_UNITS: Record<string, number> = { w: 604800, d: 86400, h: 3600, m: 60, s: 1 };
/** Seconds in each rate period unit (UG 3.3.10.33). */
const RATE_UNITS: Record<string, number> = { d: 86400, day: 86400, h: 3600, hr: 3600, m: 60, min: 60, s: 1, sec: 1 };
const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** The longest value whose check is remembered (a value can be a megabyte long). */
const MEMO_VALUE_LENGTH = 200;

/**
 * A value holding template placeholders (`{{ip}}`, `{% x %}`, `__X__`, `IP1_ADDRESS`) is opaque, and so is
 * one that asks to be replaced, in any style: `YOUR_IP`, `yourip`, `YourIP`, `your-domain.com`,
 * `mail.yourdomain.com`, `CHANGEME`.
 */
export function isPlaceholder(value: string): boolean {
  // every pattern below needs one of these: most values have none, and skip the scans
  if (!PLACEHOLDER_HINT.test(value)) return false;
  return hasPlaceholderSyntax(value) || hasUpperSnakeWord(value) || YOUR_VALUE.test(value);
}

/**
 * What each placeholder pattern needs somewhere (a superset: `{{`, `{%`, `${` and `<%` need `{` or `<`,
 * `__x__` and `IP_ADDRESS` need `_`). One test of a regular expression, which V8 compiles to machine
 * code, instead of a loop of ours: a fresh server runs its first analysis in the interpreter, where a
 * loop over every character of every value cost milliseconds.
 */
const PLACEHOLDER_HINT = /[{<_]|qqq|your|change[-_]?me/i;

/** `YOUR_IP`, `yourip`, `your-domain.com`, `CHANGEME`, `change-me`: a word that asks to be replaced. */
const YOUR_VALUE = /(^|[^A-Za-z0-9])(your|change[-_]?me)/i;

function isWordCode(c: number): boolean {
  return isLetterCode(c) || isDigitCode(c) || c === Char.Underscore;
}

function isUpperOrDigitCode(c: number): boolean {
  return (c >= Char.UpperA && c <= Char.UpperZ) || isDigitCode(c);
}

/** A line terminator, which `.` in a regular expression does not match. */
function isTerminatorCode(c: number): boolean {
  return c === Char.LineFeed || c === Char.CarriageReturn || c === 0x2028 || c === 0x2029;
}

/**
 * Whether `s` holds what `/\{\{.*?\}\}|\{%.*?%\}|<%.*?%>|\$\{[^}]*\}|__\w+__|QQQ\w+QQQ/` finds, in one pass.
 * (Those expressions try every start, each to the end of the line or the text: on a long run of `{{`
 * or `${` with no end, that was quadratic.) For each pair of delimiters, the earliest opening one still
 * in reach is remembered, and a closing one after it is a match.
 */
export function hasPlaceholderSyntax(s: string): boolean {
  const n = s.length;
  // where the text after the earliest opening delimiter starts (-1: none in reach)
  let braces = -1; // {{ … }} on one line
  let percent = -1; // {% … %} on one line
  let angle = -1; // <% … %> on one line
  let dollar = -1; // ${ … } (any characters but } between)
  let under = -1; // __ … __ in one word
  let qqq = -1; // QQQ … QQQ in one word
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    const d = i + 1 < n ? s.charCodeAt(i + 1) : -1;
    if (isTerminatorCode(c)) braces = percent = angle = -1;
    if (!isWordCode(c)) under = qqq = -1;
    switch (c) {
      case Char.LBrace:
        if (d === Char.LBrace && braces < 0) braces = i + 2;
        else if (d === Char.Percent && percent < 0) percent = i + 2;
        break;
      case Char.Lt:
        if (d === Char.Percent && angle < 0) angle = i + 2;
        break;
      case Char.Dollar:
        if (d === Char.LBrace && dollar < 0) dollar = i + 2;
        break;
      case Char.RBrace:
        if (dollar >= 0 && i >= dollar) return true;
        if (d === Char.RBrace && braces >= 0 && i >= braces) return true;
        break;
      case Char.Percent:
        if (d === Char.RBrace && percent >= 0 && i >= percent) return true;
        if (d === Char.Gt && angle >= 0 && i >= angle) return true;
        break;
      case Char.Underscore:
        if (d === Char.Underscore) {
          if (under < 0) under = i + 2;
          else if (i > under) return true;
        }
        break;
      case Char.UpperQ:
        if (d === Char.UpperQ && i + 2 < n && s.charCodeAt(i + 2) === Char.UpperQ) {
          if (qqq < 0) qqq = i + 3;
          else if (i > qqq) return true;
        }
        break;
    }
  }
  return false;
}

/**
 * Whether `s` holds what `/(^|[^A-Za-z0-9])[A-Z][A-Z0-9]*(_[A-Z0-9]+)+([^A-Za-z0-9]|$)/` finds
 * (`IP1_ADDRESS`), by scanning. From a start, the expression can match in one way only: capitals and
 * digits, `_`, capitals and digits again, then no letter or digit. Each character is read at most
 * twice (a start's second part is the next start's first).
 */
function hasUpperSnakeWord(s: string): boolean {
  const n = s.length;
  for (let k = 0; k < n; k++) {
    const c = s.charCodeAt(k);
    if (c < Char.UpperA || c > Char.UpperZ) continue;
    if (k > 0) {
      const b = s.charCodeAt(k - 1);
      if (isLetterCode(b) || isDigitCode(b)) continue;
    }
    let i = k + 1;
    while (i < n && isUpperOrDigitCode(s.charCodeAt(i))) i++;
    if (i >= n || s.charCodeAt(i) !== Char.Underscore) continue;
    const second = ++i;
    while (i < n && isUpperOrDigitCode(s.charCodeAt(i))) i++;
    if (i === second) continue;
    if (i >= n) return true;
    const e = s.charCodeAt(i);
    if (!isLetterCode(e) && !isDigitCode(e)) return true;
  }
  return false;
}

/** Parse a duration such as `1w2d12h`, `300s`, `20m`. Returns seconds, or undefined. */
export function parseDuration(s: string): number | undefined {
  const t = s.trim().toLowerCase();
  // (\d+[wdhms])+, scanned
  if (!t) return undefined;
  let total = 0;
  let i = 0;
  while (i < t.length) {
    const d = i;
    while (i < t.length && isDigitCode(t.charCodeAt(i))) i++;
    if (i === d || i >= t.length) return undefined;
    const unit = DURATION_UNITS[t[i]];
    if (unit === undefined) return undefined;
    total += Number(t.slice(d, i)) * unit;
    i++;
  }
  return total;
}

export interface Rate {
  /** messages (or units) per second; Infinity for unlimited */
  perSecond: number;
  unlimited: boolean;
}

// (made once: a regular expression literal in a function makes a new object on every call)
const RATE = /^(\d+(?:\.\d+)?)\/(\d*)(d|day|h|hr|m|min|s|sec)$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;
const OCTET = /^\d{1,3}$/;
const SPECIAL_PATTERN = /^\{[A-Za-z0-9_-]+\}$/;
const BRACKETED_PATTERN = /^\[[^\]]+\]$/;
const MACRO_PART = /\$[A-Za-z0-9_]+/g;

/**
 * Parse a rate: `unlimited`, `0` (no limit? PowerMTA treats 0 as unlimited for rates), `N/[M]unit`.
 * Fractional N (`0.5/s`, as a widely copied guide writes it) is parsed with `fractional: true` so rules can offer a rewrite.
 */
export function parseRate(s: string): (Rate & { fractional?: boolean }) | undefined {
  const t = s.trim().toLowerCase();
  if (t === 'unlimited' || t === '0') return { perSecond: Infinity, unlimited: true };
  const m = RATE.exec(t);
  if (!m) return undefined;
  const n = Number(m[1]);
  const mult = m[2] ? Number(m[2]) : 1;
  if (n <= 0 || mult <= 0) return undefined;
  return { perSecond: n / (mult * RATE_UNITS[m[3]]), unlimited: false, fractional: m[1].includes('.') };
}

/** A PowerMTA spelling (integer N) of a rate given per second, preferring the unit the user wrote. */
export function formatRate(perSecond: number, preferUnit: 's' | 'm' | 'h' = 'h'): string {
  const order: Array<['s' | 'm' | 'h', number]> = [
    [preferUnit, preferUnit === 's' ? 1 : preferUnit === 'm' ? 60 : 3600],
    ['s', 1],
    ['m', 60],
    ['h', 3600],
  ];
  for (const [u, secs] of order) {
    const n = perSecond * secs;
    if (Math.abs(n - Math.round(n)) < 1e-9 && Math.round(n) >= 1) return `${Math.round(n)}/${u}`;
  }
  // 1/Ns form
  const every = 1 / perSecond;
  if (Math.abs(every - Math.round(every)) < 1e-9) return `1/${Math.round(every)}s`;
  return `${Math.max(1, Math.round(perSecond * 3600))}/h`;
}

export function parseSize(s: string): number | undefined {
  const t = s.trim().toLowerCase();
  if (t === 'unlimited') return Infinity;
  const m = SIZE.exec(t);
  if (!m) return undefined;
  return Number(m[1]) * SIZE_UNITS[m[2]];
}

/** Four dot-separated numbers of 1 to 3 digits, each at most 255 (scanned: no array, no regex). */
function isIPv4(s: string): boolean {
  let parts = 0;
  let digits = 0;
  let n = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : Char.Dot; // a final '.' closes the last part
    if (c === Char.Dot) {
      if (digits === 0 || n > 255 || ++parts > 4) return false;
      digits = 0;
      n = 0;
    } else if (isDigitCode(c)) {
      if (++digits > 3) return false;
      n = n * 10 + (c - Char.Zero);
    } else return false;
  }
  return parts === 4;
}

function isIPv6(s: string): boolean {
  if (!IPV6_CHARS.test(s) || !s.includes(':')) return false;
  const dbl = s.split('::').length - 1;
  if (dbl > 1) return false;
  const groups = s.split(':').filter((g) => g !== '');
  const last = groups[groups.length - 1];
  const v4 = last && last.includes('.');
  if (v4 && !isIPv4(last)) return false;
  const n = groups.length + (v4 ? 1 : 0);
  if (!groups.every((g, i) => (i === groups.length - 1 && v4) || HEX_GROUP.test(g))) return false;
  return dbl ? n < 8 : n === 8;
}

export function isIP(s: string): boolean {
  return isIPv4(s) || isIPv6(s);
}

/** `1.2.3.4`, `1.2.3.0/24`, the short forms `0/0` and `10.1.0/24`, IPv6 with /mask. */
export function isCidr(s: string): boolean {
  const [addr, mask, extra] = s.split('/');
  if (extra !== undefined) return false;
  if (mask !== undefined) {
    if (!MASK.test(mask)) return false;
    const bits = Number(mask);
    if (isIPv6(addr)) return bits <= 128;
    const parts = addr.split('.');
    if (parts.length < 1 || parts.length > 4 || !parts.every((p) => OCTET.test(p) && Number(p) <= 255)) return false;
    return bits <= 32;
  }
  return isIP(addr);
}

const HOST_LABEL = /^(?!-)[A-Za-z0-9_-]{1,63}(?<!-)$/;

/**
 * Dot-separated labels: ASCII labels of letters, digits, `-` and `_` that neither start nor end with
 * `-` (at most 63 characters when they hold a `_`), or labels of any letters and digits (IDN).
 * ASCII labels are scanned; a label with other characters goes through the regexes.
 */
export function isHostName(s: string): boolean {
  if (s.length > 253 || !s) return false;
  const end = s.charCodeAt(s.length - 1) === Char.Dot ? s.length - 1 : s.length;
  let from = 0;
  for (;;) {
    let to = s.indexOf('.', from);
    if (to < 0 || to > end) to = end;
    if (!isHostLabel(s, from, to)) return false;
    if (to >= end) return true;
    from = to + 1;
  }
}

function isHostLabel(s: string, from: number, to: number): boolean {
  if (to <= from) return false;
  let underscore = false;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (isLetterCode(c) || isDigitCode(c) || c === Char.Hyphen) continue;
    if (c === Char.Underscore) underscore = true;
    else if (c > 127) {
      const l = s.slice(from, to);
      return HOST_LABEL.test(l) || /^[^\x00-\x7f]+$/.test(l) || /^(?!-)[\p{L}\p{N}-]+(?<!-)$/u.test(l);
    } else return false;
  }
  // HOST_LABEL: no '-' at either end and 1 to 63 characters; without '_' the IDN form takes any length
  if (s.charCodeAt(from) === Char.Hyphen || s.charCodeAt(to - 1) === Char.Hyphen) return false;
  return !underscore || to - from <= 63;
}

/** A domain pattern: `*`, `name`, `*.name`, `[*.]name`, `[ip/mask]`, with `$macro` parts and `{special}`. */
export function isDomainPattern(s: string): boolean {
  if (s === '*') return true;
  // block arguments repeat (a <domain outlook.com> in every virtual MTA): remember the answers
  if (s.length > MEMO_VALUE_LENGTH) return domainPatternOnce(s);
  let known = domainPatterns.get(s);
  if (known === undefined) domainPatterns.set(s, (known = domainPatternOnce(s)));
  return known;
}

const domainPatterns = new Memo<string, boolean>(20000);

function domainPatternOnce(s: string): boolean {
  if (SPECIAL_PATTERN.test(s)) return true;
  if (BRACKETED_PATTERN.test(s)) return isCidr(s.slice(1, -1));
  let t = s;
  if (t.startsWith('[*.]')) t = t.slice(4);
  else if (t.startsWith('*.')) t = t.slice(2);
  // (a global replace allocates even when nothing matches, and most patterns name no macro)
  if (t.includes('$')) t = t.replace(MACRO_PART, 'macro');
  return isHostName(t);
}

/** A value as quoted in a message: long ones are cut (a 1 MB value must not make a 1 MB message). */
export function shown(v: string, max = 80): string {
  return v.length > max ? v.slice(0, max - 1) + '…' : v;
}

export interface ValueProblem {
  /** Offset inside the value string where the problem starts, and its length. */
  offset: number;
  length: number;
  message: string;
  /** Text to write at the problem's place instead, when the intent is plain. */
  fix?: { newText: string; title: string; safe: boolean; preferred: boolean };
}

const BOOLS = ['yes', 'no', 'true', 'false'];

/** Kinds whose value is one item. */
const SINGLE = new Set<ValueKind>([
  'bool',
  'int',
  'port',
  'duration',
  'duration-or-never',
  'rate',
  'data-rate',
  'size',
  'ip',
  'cidr',
  'host',
  'email',
  'domain',
  'enum',
  'name',
]);

/** Check one item (no commas) against a kind; returns a message or undefined. */
function checkItem(kind: ValueKind, v: string, info?: DirectiveInfo): string | undefined {
  const lv = v.toLowerCase();
  switch (kind) {
    case 'bool':
      return BOOLS.includes(lv) ? undefined : `expected yes, no, true or false`;
    case 'int':
      return DIGITS.test(v) ? undefined : `expected a whole number`;
    case 'port':
      return DIGITS.test(v) && Number(v) <= 65535 ? undefined : `expected a port number from 0 to 65535`;
    case 'duration':
      return parseDuration(v) !== undefined ? undefined : `expected a time interval such as 30s, 20m, 4h, 1d or 4d12h`;
    case 'duration-or-never':
      return lv === 'never' || parseDuration(v) !== undefined
        ? undefined
        : `expected a time interval such as 20m or 1h, or "never"`;
    case 'rate': {
      const r = parseRate(v);
      if (!r) return `expected a rate such as 200/h, 10/m, 1/2s or "unlimited"`;
      if (r.fractional)
        return `PowerMTA rates take a whole number: write ${formatRate(r.perSecond, unitOf(v))} instead of ${shown(v)}`;
      return undefined;
    }
    case 'data-rate':
      return DATA_RATE.test(v) ? undefined : `expected a data rate such as 2g/10h or 1024k/15s`;
    case 'size':
      return parseSize(v) !== undefined ? undefined : `expected a size such as 0, 500k, 50M, 2g or "unlimited"`;
    case 'ip':
      return isIP(v) ? undefined : `expected an IP address`;
    case 'cidr':
      return isCidr(v) ? undefined : `expected an IP address or range such as 10.0.0.0/8 or 0/0`;
    case 'host':
      return isHostName(v) ? undefined : `expected a host name`;
    case 'email':
      return EMAIL.test(v) ? undefined : `expected an e-mail address`;
    case 'domain':
      return isDomainPattern(v)
        ? undefined
        : `expected a domain or domain pattern (*, example.com, *.example.com, [*.]example.com, $macro)`;
    case 'enum':
      return info?.values?.includes(lv) ? undefined : `expected one of: ${(info?.values ?? []).join(', ')}`;
    case 'name':
      return NAME.test(v) ? undefined : `expected a name`;
    default:
      return undefined;
  }
}

function unitOf(v: string): 's' | 'm' | 'h' {
  const u = v.split('/')[1]?.replace(/^\d+/, '');
  return u?.startsWith('s') ? 's' : u?.startsWith('m') ? 'm' : 'h';
}

/** Results of {@link checkValue} by catalog entry (a few hundred) and value: a config repeats the same values thousands of times. */
const checked = new Map<DirectiveInfo, Memo<string, readonly ValueProblem[]>>();

/**
 * Check a directive value against its catalog entry. Returns problems with offsets relative to `value`
 * (shared between calls: do not change them). Values that hold template placeholders are not checked.
 */
export function checkValue(info: DirectiveInfo, value: string): readonly ValueProblem[] {
  if (value.length > MEMO_VALUE_LENGTH) return checkValueOnce(info, value);
  let byValue = checked.get(info);
  if (byValue === undefined) checked.set(info, (byValue = new Memo(2000)));
  let problems = byValue.get(value);
  if (problems === undefined) byValue.set(value, (problems = checkValueOnce(info, value)));
  return problems;
}

/** No problem (shared: callers never change a result). */
const NONE: readonly ValueProblem[] = Object.freeze([]);

/** One problem covering the whole value. */
function whole(value: string, message: string): ValueProblem[] {
  return [{ offset: 0, length: value.length, message }];
}

/** Where the first two words of a value start and end, and where a third starts (-1: none); see {@link twoWords}. */
const WORDS = new Int32Array(5);

/** Fills {@link WORDS} for `value` (runs of characters other than white space). */
function twoWords(value: string): Int32Array {
  WORDS.fill(-1);
  let i = 0;
  for (let k = 0; k < 3; k++) {
    while (i < value.length && isSpaceCode(value.charCodeAt(i))) i++;
    if (i >= value.length) break;
    WORDS[2 * k] = i;
    if (k === 2) break;
    while (i < value.length && !isSpaceCode(value.charCodeAt(i))) i++;
    WORDS[2 * k + 1] = i;
  }
  return WORDS;
}

function checkValueOnce(info: DirectiveInfo, value: string): readonly ValueProblem[] {
  const kind = info.value;
  if (isPlaceholder(value)) return NONE;
  if (value === '""' && info.clearable) return NONE;
  if (kind === 'none') return value ? whole(value, `${info.name} takes no value`) : NONE;
  if (value === '') {
    if ((kind === 'string' || kind === 'path') && info.clearable) return NONE;
    return whole(value, `${info.name} needs a value`);
  }
  if (SINGLE.has(kind)) {
    // (most values are one word: no array for them)
    const words = WHITE_SPACE.test(value) ? value.split(WHITE_SPACES) : undefined;
    if (words && (kind !== 'name' || info.references === undefined)) {
      if (words.length > 1) {
        const msg = checkItem(kind, words[0], info);
        const first = msg
          ? `${info.name}: "${shown(words[0])}": ${msg}`
          : `${info.name} takes one value; "${shown(words.slice(1).join(' '))}" is extra`;
        return whole(value, first);
      }
    }
    const msg = checkItem(kind, words ? words[0] : value, info);
    return msg ? whole(value, `${info.name}: "${shown(value)}": ${msg}`) : NONE;
  }
  if (kind === 'duration-list' || kind === 'rate-list') {
    if (WHITE_SPACE.test(value))
      return whole(value, `${info.name}: write the list without spaces, comma-separated (e.g. 10m,1h,4h)`);
    const itemKind: ValueKind = kind === 'duration-list' ? 'duration' : 'rate';
    const out: ValueProblem[] = [];
    let off = 0;
    for (const item of value.split(',')) {
      const msg = checkItem(itemKind, item, info);
      if (msg) out.push({ offset: off, length: item.length, message: `${info.name}: "${shown(item)}": ${msg}` });
      off += item.length + 1;
    }
    return out;
  }
  if (kind === 'ip-host') {
    // (values are trimmed: the IP starts at 0) scanned, not split: every virtual MTA has its own
    const w = twoWords(value);
    const ipEnd = w[1];
    const hostStart = w[2];
    const hostEnd = w[3];
    const restStart = w[4];
    const ip = value.slice(0, ipEnd);
    if (!isIP(ip))
      return [
        {
          offset: 0,
          length: ip.length,
          message: `${info.name}: "${shown(ip)}": expected an IP address followed by a host name`,
        },
      ];
    if (hostStart < 0) return whole(value, `${info.name}: a host name must follow the IP address`);
    const host = value.slice(hostStart, hostEnd);
    if (!isHostName(host))
      return [
        { offset: hostStart, length: host.length, message: `${info.name}: "${shown(host)}": expected a host name` },
      ];
    if (restStart >= 0)
      return whole(
        value,
        `${info.name} takes an IP address and a host name; "${shown(value.slice(restStart).split(/\s+/).join(' '))}" is extra`,
      );
    return NONE;
  }
  if (kind === 'listen') {
    const [addr] = value.split(/\s+/);
    const m = /^(.*):(\d+)$/.exec(addr);
    const host = m?.[1].replace(/^\[(.*)\]$/, '$1');
    if (!m || !(isCidr(host!) || isHostName(host!)) || Number(m[2]) > 65535)
      return [
        {
          offset: 0,
          length: addr.length,
          message: `${info.name}: "${shown(addr)}": expected ADDRESS:PORT such as 0/0:25 or 127.0.0.1:2525`,
        },
      ];
    return NONE;
  }
  if (kind === 'http-access') return checkHttpAccess(info, value);
  if (kind === 'record-types') return checkRecordTypes(info, value);
  if (kind === 'record-fields' || kind === 'header-to-field') return checkRecordTypeFirst(info, value);
  if (kind === 'domain-list') {
    const out: ValueProblem[] = [];
    const re = /[^,\s]+/g;
    for (const m of value.matchAll(re)) {
      if (!isDomainPattern(m[0]) && !/^[A-Za-z0-9-]+$/.test(m[0]))
        out.push({ offset: m.index!, length: m[0].length, message: `${info.name}: "${shown(m[0])}" is not a domain` });
    }
    return out;
  }
  return NONE;
}

// ---------------------------------------------------------------------------------------------
// web monitor access (UG 3.3.1.46.3)

/** The access levels of `http-access` (`monitor,deny-logs` is monitor without the log files). */
const HTTP_ACCESS_LEVELS = ['none', 'monitor', 'monitor,deny-logs', 'operator', 'admin'];

/** `http-access CIDR LEVEL`: an address or range, then one access level. */
function checkHttpAccess(info: DirectiveInfo, value: string): readonly ValueProblem[] {
  const w = twoWords(value);
  const range = value.slice(0, w[1]);
  if (!isCidr(range))
    return [
      {
        offset: 0,
        length: range.length,
        message: `${info.name}: "${shown(range)}": expected an IP address or range such as 127.0.0.1 or 10.0.0.0/8, then an access level`,
      },
    ];
  if (w[2] < 0)
    return whole(value, `${info.name} needs an access level after the address: none, monitor, operator or admin`);
  const level = value.slice(w[2], w[3]);
  if (!HTTP_ACCESS_LEVELS.includes(level.toLowerCase()))
    return [
      {
        offset: w[2],
        length: level.length,
        message: `${info.name}: "${shown(level)}" is not an access level: write none, monitor, operator or admin`,
      },
    ];
  if (w[4] >= 0)
    return [
      {
        offset: w[4],
        length: value.length - w[4],
        message: `${info.name} takes an address and one access level; "${shown(value.slice(w[4]).split(WHITE_SPACES).join(' '))}" is extra`,
      },
    ];
  return NONE;
}

// ---------------------------------------------------------------------------------------------
// accounting record types (UG 3.3.11.11, 3.3.11.12, 3.3.11.10, 3.3.10.9)

/** The letters a directive takes ("d, b, t, tq, r, f, rb or rs"), for messages. */
function recordTypesInWords(info: DirectiveInfo): string {
  const codes = info.values ?? recordTypeCodes();
  return codes.slice(0, -1).join(', ') + ' or ' + codes[codes.length - 1];
}

/** The record type a word names, if the directive takes it (`values` limits the letters). */
function allowedRecordType(info: DirectiveInfo, word: string) {
  const t = recordType(word);
  return t && (!info.values || info.values.includes(t.code)) ? t : undefined;
}

/** What is wrong with one word where a record type is expected, and the type it was likely meant to be. */
function badRecordType(info: DirectiveInfo, word: string, offset: number): ValueProblem {
  const t = recordType(word);
  if (t)
    return {
      offset,
      length: word.length,
      message: `${info.name}: "${shown(word)}" (${t.meaning}) cannot be used here: write ${recordTypesInWords(info)}`,
    };
  const names = RECORD_TYPE_INFO.filter((x) => !info.values || info.values.includes(x.code)).flatMap((x) => [
    x.code,
    x.long,
  ]);
  const close = word.length > 2 ? closestName(word.toLowerCase(), names) : undefined;
  return {
    offset,
    length: word.length,
    message: `${info.name}: "${shown(word)}" is not a record type${close ? ` (did you mean "${close}"?)` : ''}: write ${recordTypesInWords(info)}`,
    fix: close ? { newText: close, title: `Change to ${close}`, safe: false, preferred: true } : undefined,
  };
}

/**
 * `records d,b,rb`: record types separated by commas (a space after a comma is allowed, as the User's
 * Guide writes it). `records d b` is one list item with a space in it; `all` is no record type.
 */
function checkRecordTypes(info: DirectiveInfo, value: string): readonly ValueProblem[] {
  const items = value.split(',');
  // words separated by spaces alone: the list needs commas
  if (items.length === 1 && WHITE_SPACE.test(value)) {
    const words = value.split(WHITE_SPACES);
    if (words.every((w) => allowedRecordType(info, w))) {
      const joined = words.join(',');
      return [
        {
          offset: 0,
          length: value.length,
          message: `${info.name}: separate the record types with commas: ${joined}`,
          fix: { newText: joined, title: `Change to ${joined}`, safe: true, preferred: true },
        },
      ];
    }
  }
  const out: ValueProblem[] = [];
  let off = 0;
  for (const raw of items) {
    const lead = raw.length - raw.trimStart().length;
    const item = raw.trim();
    const at = off + lead;
    off += raw.length + 1;
    if (!item || allowedRecordType(info, item)) continue;
    if (WHITE_SPACE.test(item)) {
      out.push({
        offset: at,
        length: item.length,
        message: `${info.name}: "${shown(item)}": separate the record types with commas`,
      });
      continue;
    }
    if (item.toLowerCase() === 'all' || item === '*') {
      const every = (info.values ?? recordTypeCodes()).join(',');
      out.push({
        offset: at,
        length: item.length,
        message: `${info.name}: "${item}" is not a record type; PowerMTA has no word for every type: list them (${every})`,
        fix:
          items.length === 1
            ? { newText: every, title: `Change to ${every}`, safe: false, preferred: false }
            : undefined,
      });
      continue;
    }
    out.push(badRecordType(info, item, at));
  }
  return out;
}

/**
 * `record-fields TYPE FIELD-LIST` and `map-header-to-field TYPE header_NAME FIELD`: the first word is a
 * record type (map-header-to-field does not take tq); what follows is checked for its shape only.
 */
function checkRecordTypeFirst(info: DirectiveInfo, value: string): readonly ValueProblem[] {
  const w = twoWords(value);
  const type = value.slice(0, w[1]);
  const form =
    info.value === 'header-to-field' ? `${info.name} TYPE header_NAME FIELD` : `${info.name} TYPE FIELD,FIELD,…`;
  if (!allowedRecordType(info, type)) return [badRecordType(info, type, 0)];
  if (w[2] < 0)
    return whole(
      value,
      `${info.name} needs a record type and then ${info.value === 'header-to-field' ? 'a header_NAME and an accounting field' : 'the fields to write'}: ${form}`,
    );
  if (info.value !== 'header-to-field') return NONE;
  const header = value.slice(w[2], w[3]);
  if (!/^header_\S+$/i.test(header))
    return [
      {
        offset: w[2],
        length: header.length,
        message: `${info.name}: "${shown(header)}": expected the header as header_NAME (header_X-Campaign): ${form}`,
      },
    ];
  if (w[4] < 0) return whole(value, `${info.name} needs the accounting field the header goes into: ${form}`);
  const rest = value.slice(w[4]);
  if (WHITE_SPACE.test(rest))
    return [
      {
        offset: w[4],
        length: rest.length,
        message: `${info.name} takes a record type, a header and one field; "${shown(rest)}" is more: ${form}`,
      },
    ];
  return NONE;
}

/** A rate (or list of rates) with its fractional rates in PowerMTA's spelling (0.5/s as 30/m): the safe fix invalid-value offers. */
export function wholeRates(info: DirectiveInfo, value: string): string {
  if (info.value !== 'rate' && info.value !== 'rate-list') return value;
  return value
    .split(',')
    .map((it) => {
      const r = parseRate(it);
      return r && r.fractional ? formatRate(r.perSecond, unitOf(it)) : it;
    })
    .join(',');
}
