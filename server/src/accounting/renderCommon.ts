/**
 * Wording shared by the report's text, Markdown and HTML renderers: numbers, the files line, the codes
 * an IP got, the removal paths of a blocked IP grouped by advice. Pure; no output format here.
 */
import {
  RECORD_TYPES,
  type CodeSummary,
  type ConfigUnmatched,
  type FileSummary,
  type Report,
  type ReportConfig,
  type SourceIpSummary,
} from './types';

/** Text safe in HTML (and SVG) content and in quoted attribute values. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** 1234567 → `1,234,567` (the same on every machine, whatever its locale). */
export function num(n: number): string {
  const s = String(Math.trunc(n));
  const neg = s.startsWith('-');
  const d = neg ? s.slice(1) : s;
  let out = '';
  for (let i = 0; i < d.length; i++) {
    if (i > 0 && (d.length - i) % 3 === 0) out += ',';
    out += d[i];
  }
  return (neg ? '-' : '') + out;
}

function plural(n: number, word: string, words = word + 's'): string {
  return `${num(n)} ${n === 1 ? word : words}`;
}

/**
 * What a file gave: `12,345 records (csv), 3 malformed rows skipped (lines 4, 9, 12), 1 record whose
 * time cannot be read (line 7)`.
 */
export function fileLine(f: FileSummary): string {
  if (f.error !== undefined && f.records === 0) return `not read: ${f.error}`;
  const parts = [`${plural(f.records, 'record')}${f.format === 'unknown' ? '' : ` (${f.format})`}`];
  if (f.skipped) {
    const more = f.skipped > f.skippedLines.length ? ', …' : '';
    parts.push(
      `${plural(f.skipped, 'malformed row')} skipped (line${f.skippedLines.length === 1 && !more ? '' : 's'} ${f.skippedLines.join(', ')}${more})`,
    );
  }
  if (f.unreadableTime) {
    const lines = f.unreadableTimeLines;
    const more = f.unreadableTime > lines.length ? ', …' : '';
    parts.push(
      `${plural(f.unreadableTime, 'record')} whose time cannot be read (line${lines.length === 1 && !more ? '' : 's'} ${lines.join(', ')}${more})`,
    );
  }
  if (f.outsideRange) parts.push(`${num(f.outsideRange)} outside the time range`);
  if (f.error !== undefined) parts.push(`then: ${f.error}`);
  return parts.join(', ');
}

/** The headline: how many files and records, over which period. */
export function headline(r: Report): string {
  const records = RECORD_TYPES.reduce((n, t) => n + r.records[t], 0);
  const period = r.period.first && r.period.last ? ` logged from ${r.period.first} to ${r.period.last}` : '';
  return `${plural(r.files.length, 'file')}, ${plural(records, 'record')}${period}`;
}

/** `d 179,300  b 23,212 …`, only the types present (all of them when none is). */
export function recordTypes(r: Report, sep = '  '): string {
  const present = RECORD_TYPES.filter((t) => r.records[t] > 0);
  return (present.length ? present : RECORD_TYPES).map((t) => `${t} ${num(r.records[t])}`).join(sep);
}

/** `S3150 505, S3140 488, 5.5.0 459 +2 more`: the most frequent codes first. */
export function topCodes(codes: Record<string, number>, max = 4): string {
  const list = Object.entries(codes).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const shown = list.slice(0, max).map(([c, n]) => `${c} ${num(n)}`);
  if (list.length > max) shown.push(`+${list.length - max} more`);
  return shown.join(', ');
}

/** A blocked IP's removal paths, the codes that share one advice together. */
export function removalGroups(ip: SourceIpSummary): Array<{ codes: string[]; how: string }> {
  const groups: Array<{ codes: string[]; how: string }> = [];
  for (const r of ip.removal) {
    const g = groups.find((x) => x.how === r.how);
    if (g) g.codes.push(r.code);
    else groups.push({ codes: [r.code], how: r.how });
  }
  return groups;
}

/**
 * When a blocked or throttled IP was last refused, and last delivered: `last blocked
 * 2026-01-15T09:00:00Z, last delivered 2026-01-15T18:19:00Z`; empty when neither time is known.
 */
export function refusalTimes(ip: SourceIpSummary): string {
  if (ip.status === 'ok') return '';
  const refused = ip.status === 'blocked' ? ip.lastBlocked : ip.lastThrottled;
  const parts: string[] = [];
  if (refused) parts.push(`last ${ip.status} ${refused}`);
  if (ip.lastDelivered) parts.push(`last delivered ${ip.lastDelivered}`);
  return parts.join(', ');
}

/**
 * For a blocked or throttled IP that delivered again after the refusal that set its status, the
 * sentence that says so (the status stays: this only warns that it may be out of date); else undefined.
 */
export function deliveredAgain(ip: SourceIpSummary): string | undefined {
  if (!ip.deliveredSinceRefused) return undefined;
  const refused = ip.status === 'blocked' ? ip.lastBlocked : ip.lastThrottled;
  return ip.status === 'blocked'
    ? `delivered again after its last refusal (${refused}): the block may have been lifted; check before asking for removal`
    : `delivered again after its last refusal (${refused}): the throttling may have eased`;
}

/** What a code is, in a few words. */
export function codeWhat(c: CodeSummary): string {
  return c.title ?? 'not a code the knowledge base explains';
}

/** `blocked` / `throttled` / `ok`, spelled for people. */
export const STATUS_WORDS: Record<string, string> = { blocked: 'BLOCKED', throttled: 'throttled', ok: 'ok' };

/** The columns of the source IP table that hold numbers (aligned right). */
export const NUMERIC_COLUMNS: readonly string[] = ['delivered', 'deferred', 'bounced'];

export const MICROSOFT_WORDS = 'Microsoft recipients (Outlook.com, Hotmail, Live, MSN)';

// ---- with a configuration (--config) ----

/** How the configuration maps an IP: `mta1 (pool microsoft-pool)`, `mta1, mta2 (pools a, b)`, or `not in it`. */
export function ipInConfig(config: ReportConfig, ip: string): string {
  const c = config.sourceIps.find((x) => x.ip === ip);
  if (!c || !c.vmtas.length) return 'not in it';
  const pools = c.pools.length ? ` (pool${c.pools.length > 1 ? 's' : ''} ${c.pools.join(', ')})` : '';
  return c.vmtas.join(', ') + pools;
}

/** `Microsoft queue outlook.com, pattern list microsoft-errors` (or `no pattern list`). */
export function configLine(config: ReportConfig): string {
  const lists = config.patternLists;
  return `Microsoft queue ${config.queue}, ${lists.length ? `pattern list${lists.length > 1 ? 's' : ''} ${lists.join(', ')}` : 'no pattern list'}`;
}

/** The rule that handles unmatched replies, or what to say when the recommended list has none. */
export function ruleOrNone(u: ConfigUnmatched): string {
  return u.rule ?? 'none advised (an ordinary deferral or bounce)';
}

/** Where the rules go, as a heading. */
export function rulesHeading(config: ReportConfig): string {
  return config.ruleList
    ? `Rules to add at the end of the pattern list ${config.ruleList} (its own rules keep precedence: PowerMTA applies the first rule that matches)`
    : `Rules to add (the configuration has no pattern list of the ${config.queue} queue to add them to: attach one first)`;
}

/** A reply cut to `max` characters for a line of text. */
export function shorten(text: string, max = 120): string {
  const one = text.replace(/\s+/g, ' ');
  return one.length > max ? one.slice(0, max - 1) + '…' : one;
}

/** An HTML table: header cells escaped, body cells as given (already HTML), numeric columns classed `n`. */
export function htmlTable(
  head: readonly string[],
  rows: readonly string[][],
  numeric: readonly boolean[],
  cls = '',
): string {
  const th = head.map((h, i) => `<th${numeric[i] ? ' class="n"' : ''}>${esc(h)}</th>`).join('');
  const body = rows
    .map((row) => `<tr>${row.map((c, i) => `<td${numeric[i] ? ' class="n"' : ''}>${c}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table${cls ? ` class="${cls}"` : ''}>\n<thead><tr>${th}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}
