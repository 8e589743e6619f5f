/**
 * Hovers: directive and block documentation from the catalog, values explained (rates normalised,
 * durations and sizes in words), defined names with a summary of their definition, macro
 * expansions, Microsoft consumer domains covered by a `<domain>` block, and Microsoft SMTP reply
 * codes found anywhere in a line. All texts are our own words.
 */
import type { Hover } from 'vscode-languageserver-types';
import {
  bodyLines,
  lineHolding,
  type DirectiveLine,
  type Line,
  type PatternLine,
  type Span,
  type Word,
} from '../parser/ast';
import { lineNo, safeExpand, type Definition, type Model } from '../model';
import type { Settings } from '../settings';
import type { Finding, IncludedFindings } from '../findings';
import type { BlockInfo, Context, DirectiveInfo, ReferenceKind, ValueKind } from '../knowledge/types';
import { getBlock, getDirective } from '../knowledge/catalog';
import { recordType } from '../knowledge/accounting';
import { parseDuration, parseRate, parseSize } from '../knowledge/values';
import { nameAt } from './navigation';
import { microsoftDomainSection, routeSection } from './microsoft';
import { microsoftHover } from './microsoftHover';
import {
  genericCodeMarkdown,
  ifSentBy,
  isGenericMention,
  microsoftCodeMarkdown,
  namesMicrosoft,
  replyMentions,
} from './replies';
import { mdText } from './markdown';
import { domainKeyMarkdown } from './dkim';
import { isMicrosoftConsumerDomain, microsoftDomainInfo } from '../knowledge/microsoft';
import { list, plural } from '../util/phrases';
import { pushAll } from '../util/arrays';

// ---------------------------------------------------------------------------------------------
// words shared with completion

const VALUE_WORDS: Record<ValueKind, string> = {
  bool: '`yes` or `no` (also `true` / `false`)',
  int: 'a whole number',
  port: 'a TCP port number, from 0 to 65535',
  duration: 'a time interval such as `30s`, `20m`, `4h`, `1d` or `4d12h` (units w, d, h, m, s)',
  'duration-list': 'a comma-separated list of time intervals without spaces, e.g. `10m,1h,4h`',
  'duration-or-never': 'a time interval such as `20m` or `1h`, or `never`',
  rate: 'a rate `N/unit` or `N/Munit` (e.g. `200/h`, `10/m`, `1/2s`), or `unlimited` / `0` for no limit',
  'rate-list': 'a comma-separated list of rates, e.g. `1/day,2/day`',
  size: 'a size such as `500k`, `50M` or `2g` (units b, k, m, g, t), `0` or `unlimited`',
  'data-rate': 'a data volume per time, e.g. `2g/10h` or `1024k/15s`, or `unlimited`',
  ip: 'an IP address',
  cidr: 'an IP address or range, e.g. `10.0.0.0/8`, or `0/0` for everything',
  host: 'a host name',
  'ip-host': 'an IP address followed by a host name',
  'http-access': 'an IP address or range, then the access level: `none`, `monitor`, `operator` or `admin`',
  listen: '`ADDRESS:PORT` (e.g. `0/0:25`), optionally followed by `source=NAME`',
  email: 'an e-mail address',
  domain: 'a domain or domain pattern: `*`, `example.com`, `*.example.com`, `[*.]example.com`, `$macro`',
  'domain-list': 'a comma-separated list of domains',
  enum: 'one of a fixed set of words',
  name: 'a name',
  path: 'a file or directory path',
  string: 'free text',
  'smtp-hosts':
    'SMTP hosts: `[ip]:port`, `host:port` or `lookup-mx:domain`; `,` separates hosts of one level, `;` separates fallback levels',
  'regex-rule': 'a rule: `/regex/` followed by its action',
  'record-types': 'a comma-separated list of accounting record types, e.g. `d,b,rb`',
  'record-fields': 'a record type, then a comma-separated list of fields, e.g. `d *,!orcpt,header_Message-Id`',
  'header-to-field': 'a record type, a header as `header_NAME`, and the accounting field it goes into',
  none: 'no value',
};

const REFERENCE_WORDS: Record<ReferenceKind, string> = {
  'virtual-mta': 'the name of a `<virtual-mta>`',
  'virtual-mta-pool': 'the name of a `<virtual-mta-pool>`',
  'vmta-or-pool': 'the name of a `<virtual-mta>` or `<virtual-mta-pool>`',
  'smtp-pattern-list': 'the name of an `<smtp-pattern-list>`',
  'pattern-list': 'the name of a `<pattern-list>`',
  'domain-macro': 'the name of a `domain-macro`',
  source: 'the name of a `<source>`',
  'rewrite-list': 'the name of a `<rewrite-list>`',
  proxy: 'the name of a `<proxy>`',
  'domain-key-list': 'the name of a `<domain-key-list>`',
};

/** The value grammar of a directive in words. */
function valueInWords(info: DirectiveInfo): string {
  if (info.references) return REFERENCE_WORDS[info.references] ?? VALUE_WORDS.name;
  if (info.value === 'enum' && info.values?.length) return 'one of ' + info.values.map((v) => '`' + v + '`').join(', ');
  return VALUE_WORDS[info.value] ?? info.value;
}

/** "UG 3.3.10.33; REAL" → "PowerMTA User's Guide, section 3.3.10.33; real-world configurations". */
function sourceInWords(source: string): string {
  return source
    .replace(/\bUG\s+(\d+(?:\.\d+)*)/g, "PowerMTA User's Guide, section $1")
    .replace(/\bUG\b/g, "PowerMTA User's Guide")
    .replace(/\bREAL\b/g, 'real-world configurations')
    .replace(/\bSPDOC\b/g, "SparkPost's PowerMTA integration guide");
}

function deprecationText(d: string): string {
  const t = d.trim();
  if (/^nothing\b/i.test(t)) return `**Deprecated:** no replacement${mdText(t.slice(7))}`;
  return `**Deprecated:** use ${mdText(t)} instead.`;
}

function contextName(c: Context | string): string {
  return c === 'global' ? 'top level' : '`<' + c + '>`';
}

/** Markdown documentation of a directive (hover and completion). */
export function directiveMarkdown(info: DirectiveInfo, writtenAs?: string): string {
  const parts: string[] = [];
  const alias = writtenAs && writtenAs.toLowerCase() !== info.name ? ` (written \`${writtenAs}\`, an alias)` : '';
  parts.push(`**${info.name}**${alias} — directive`);
  if (info.deprecated) parts.push(deprecationText(info.deprecated));
  parts.push(mdText(info.description));
  if (info.detail) parts.push(mdText(info.detail));
  const facts: string[] = [];
  facts.push(`- **Value:** ${valueInWords(info)}`);
  if (info.default !== undefined) facts.push(`- **Default:** \`${info.default}\``);
  if (info.contexts?.length) facts.push(`- **Allowed in:** ${info.contexts.map(contextName).join(', ')}`);
  if (info.repeatable) facts.push('- May appear several times in one block');
  if (info.clearable) facts.push('- `""` clears an inherited value');
  if (info.aliases?.length) facts.push(`- **Also written:** ${info.aliases.map((a) => '`' + a + '`').join(', ')}`);
  parts.push(facts.join('\n'));
  if (info.example) parts.push('```pmta\n' + info.example + '\n```');
  if (info.source) parts.push(`*Source: ${sourceInWords(info.source)}*`);
  return parts.join('\n\n');
}

const BODY_WORDS: Record<string, string> = {
  directives: 'directives, one per line',
  'smtp-patterns': '`reply /regex/ actions` rules, the first match wins',
  patterns: '`header`, `mail-from` or `rcpt-to` `/regex/ action` rules',
  'bounce-patterns': '`/regex/ category` lines, usually ending with `// other`',
  'mx-rollup': '`mx MX-PATTERN ROLLUP-NAME` lines',
  raw: 'entries, one per line',
};

/** Markdown documentation of a block tag. */
export function blockMarkdown(info: BlockInfo): string {
  const parts: string[] = [];
  parts.push(`**\`<${info.name}>\`** — block`);
  parts.push(mdText(info.description));
  if (info.detail) parts.push(mdText(info.detail));
  const facts: string[] = [];
  const arg = info.arg === 'none' ? 'none' : `${info.arg}${info.argKind ? ` (${argKindWords(info.argKind)})` : ''}`;
  facts.push(`- **Argument:** ${arg}`);
  facts.push(`- **May appear in:** ${info.parents.map(contextName).join(', ')}`);
  facts.push(`- **Holds:** ${BODY_WORDS[info.body] ?? info.body}`);
  if (info.defines) facts.push(`- Its argument names it: other directives refer to it by that name`);
  parts.push(facts.join('\n'));
  if (info.example) parts.push('```pmta\n' + info.example + '\n```');
  if (info.source) parts.push(`*Source: ${sourceInWords(info.source)}*`);
  return parts.join('\n\n');
}

function argKindWords(k: NonNullable<BlockInfo['argKind']>): string {
  switch (k) {
    case 'domain':
      return 'a domain pattern';
    case 'name':
      return 'a name';
    case 'cidr':
      return 'an IP address or range';
    case 'path':
      return 'a path or `|program`';
    case 'listen':
      return '`ADDRESS:PORT`';
    default:
      return 'text';
  }
}

// ---------------------------------------------------------------------------------------------
// numbers and values in words

function group(n: number): string {
  const s = String(Math.round(n));
  return s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A readable number: integers grouped, small numbers with 2 significant digits. */
function fmtNumber(n: number): string {
  if (!Number.isFinite(n)) return '∞';
  if (n >= 100) return group(n);
  if (n >= 10) return trimZeros(n.toFixed(1));
  if (n >= 1) return trimZeros(n.toFixed(2));
  if (n === 0) return '0';
  return trimZeros(Number(n.toPrecision(2)).toString());
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

const DURATION_NAMES: Record<string, [string, string]> = {
  w: ['week', 'weeks'],
  d: ['day', 'days'],
  h: ['hour', 'hours'],
  m: ['minute', 'minutes'],
  s: ['second', 'seconds'],
};

/** Seconds in words: 390 → "6 minutes 30 seconds". */
function secondsInWords(total: number): string {
  if (!Number.isFinite(total)) return 'never';
  let rest = Math.round(total);
  if (rest === 0) return '0 seconds';
  const out: string[] = [];
  for (const [u, secs] of [
    ['w', 604800],
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as Array<[string, number]>) {
    const n = Math.floor(rest / secs);
    if (n > 0) {
      out.push(`${n} ${DURATION_NAMES[u][n === 1 ? 0 : 1]}`);
      rest -= n * secs;
    }
  }
  return out.join(' ');
}

/** `4d12h` → "4 days 12 hours"; undefined when not a duration. */
function durationInWords(v: string): string | undefined {
  const secs = parseDuration(v);
  if (secs === undefined) return undefined;
  const written = [...v.toLowerCase().matchAll(/(\d+)([wdhms])/g)]
    .map((m) => `${Number(m[1])} ${DURATION_NAMES[m[2]][Number(m[1]) === 1 ? 0 : 1]}`)
    .join(' ');
  const normal = secondsInWords(secs);
  return normal === written ? written : `${written} (= ${normal})`;
}

/** Markdown explaining a rate, or undefined when the text is not a rate. */
function rateInWords(v: string, what: [string, string] = ['message', 'messages']): string | undefined {
  const r = parseRate(v);
  if (!r) return undefined;
  if (r.unlimited) return `\`${v}\`: unlimited — no rate limit`;
  const ps = r.perSecond;
  // the unit the value is written in (when written as N/unit) is not repeated
  const w = /^\d+(?:\.\d+)?\/(1?)([a-z]+)$/i.exec(v.trim());
  const writtenUnit = w
    ? ({ d: 'd', day: 'd', h: 'h', hr: 'h', m: 'm', min: 'm', s: 's', sec: 's' } as Record<string, string>)[
        w[2].toLowerCase()
      ]
    : undefined;
  const forms = (
    [
      ['h', 3600],
      ['m', 60],
      ['s', 1],
    ] as Array<[string, number]>
  )
    .filter(([u]) => u !== writtenUnit)
    .map(([u, secs]) => `\`${fmtNumber(ps * secs)}/${u}\``);
  const lines = [`\`${v}\` ≈ ${forms.join(' ≈ ')}`];
  const every = 1 / ps;
  const perDay = `${fmtNumber(ps * 86400)} ${what[1]} a day`;
  if (every >= 1) lines.push(`About one ${what[0]} every ${secondsInWords(every)} (${perDay}).`);
  else lines.push(`About ${fmtNumber(ps)} ${what[1]} a second (${perDay}).`);
  if (r.fractional)
    lines.push(
      'PowerMTA expects a whole number before the `/`: write the same rate with a longer period, such as `1/2s` or `30/m`.',
    );
  return lines.join('\n\n');
}

function sizeInWords(v: string): string | undefined {
  const n = parseSize(v);
  if (n === undefined) return undefined;
  if (!Number.isFinite(n)) return `\`${v}\`: unlimited`;
  if (n === 0 && v.trim() === '0') return '`0`: no limit';
  return `\`${v}\` = ${group(n)} bytes`;
}

function rateWhat(name: string): [string, string] {
  if (/connect/.test(name)) return ['connection', 'connections'];
  if (/volume|data/.test(name)) return ['unit', 'units'];
  if (/auth-failure/.test(name)) return ['failure', 'failures'];
  if (/msg|message/.test(name)) return ['message', 'messages'];
  return ['event', 'events'];
}

// ---------------------------------------------------------------------------------------------
// Microsoft

/** A sentence about the Microsoft consumer domains among `domains`, or undefined when none. */
function microsoftCoverage(domains: readonly string[], subdomainsOnly = false): string | undefined {
  if (subdomainsOnly) return undefined;
  const ms = domains.filter((d) => isMicrosoftConsumerDomain(d));
  if (!ms.length) return undefined;
  const probable = ms.filter((d) => microsoftDomainInfo(d)?.certainty === 'probable');
  const caution = probable.length
    ? ` ${probable.length === ms.length && ms.length === 1 ? 'It is' : `${list(probable, 10)} ${probable.length === 1 ? 'is' : 'are'}`} only probably Microsoft's: check the MX before relying on it.`
    : '';
  if (domains.length === 1)
    return `\`${ms[0]}\` is a Microsoft consumer domain (Outlook.com): its mail goes to Microsoft's shared Outlook.com servers.${caution}`;
  return `Covers ${plural(ms.length, 'Microsoft consumer domain')} (Outlook.com)${ms.length === domains.length ? '' : ` of ${domains.length}`}; they all share Microsoft's Outlook.com servers.${caution}`;
}

// ---------------------------------------------------------------------------------------------
// finding what is under the cursor

/** The line node containing an offset (the inner line of an inline pseudo block when inside it). */
export function lineAt(model: Model, offset: number): Line | undefined {
  const lines = model.tree.lines;
  let found = lineHolding(lines, offset);
  if (!found && lines.length && offset === model.text.length) {
    const last = lines[lines.length - 1];
    if (last.end === offset && last.contentEnd === last.end) found = last;
  }
  if (found && found.kind === 'pseudo-inline' && found.inner) {
    const inner = found.inner;
    if (offset >= inner.start && offset <= inner.contentEnd) return inner;
  }
  return found;
}

function inSpan(s: Span | undefined, offset: number): boolean {
  return !!s && offset >= s.start && offset <= s.end && s.end > s.start;
}

/** Around the offset, at most this many characters either side are searched for Microsoft codes (long lines). */
const CODE_WINDOW = 2048;

/**
 * The physical line (start, content end) containing an offset, from the document's line index; on a
 * very long line, only a window around the offset (a code mention is short).
 */
function physicalLineAt(model: Model, offset: number): Span {
  const text = model.text;
  const at = Math.min(offset, text.length);
  const line = model.positionAt(at).line;
  const starts = model.tree.lineStarts;
  const s = starts[line];
  let e = line + 1 < starts.length ? starts[line + 1] : text.length;
  while (e > s && (text[e - 1] === '\n' || text[e - 1] === '\r')) e--;
  if (e - s <= 2 * CODE_WINDOW) return { start: s, end: e };
  return { start: Math.max(s, at - CODE_WINDOW), end: Math.min(e, at + CODE_WINDOW) };
}

interface Result {
  md: string;
  span?: Span;
}

/** Where a definition is: "line N" in this file, "line N of `file`" elsewhere in the configuration. */
function describeLocation(model: Model, d: { uri: string; span: Span }, config: Model = model): string {
  const m = config.allModels().find((x) => x.uri === d.uri) ?? model;
  const line = lineNo(m, d.span.start);
  if (d.uri === model.uri) return `line ${line}`;
  const file = d.uri.slice(d.uri.lastIndexOf('/') + 1);
  return `line ${line} of \`${decodeSafe(file)}\``;
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Pool members with the source IPs of their `<virtual-mta>` blocks: "`mta1` (192.0.2.10), `mta2`". */
function membersWithIps(model: Model, members: string[], max = 20): string {
  return list(members, max, (name) => {
    const ips: string[] = [];
    for (const v of model.lookup('virtual-mta', name)) {
      if (!v.block) continue;
      for (const c of v.block.children)
        if (c.kind === 'directive' && c.name === 'smtp-source-host' && c.args[0]) ips.push(c.args[0].text);
    }
    return '`' + name + '`' + (ips.length ? ` (${ips.join(', ')})` : '');
  });
}

/** A summary of what a definition holds. */
function definitionSummary(model: Model, d: Definition): string[] {
  const out: string[] = [];
  if (d.kind === 'domain-macro') {
    pushAll(out, macroSummary(model, d.name));
    return out;
  }
  const b = d.block;
  if (!b) return out;
  const body = bodyLines(b);
  const directives = body.filter((l): l is DirectiveLine => l.kind === 'directive');
  switch (d.kind) {
    case 'virtual-mta-pool': {
      const members = directives
        .filter((x) => x.name === 'virtual-mta')
        .map((x) => x.args[0]?.text ?? '')
        .filter(Boolean);
      const owner = model.allModels().find((m) => m.uri === d.uri) ?? model;
      out.push(
        `${plural(members.length, 'member virtual-mta')}${members.length ? ': ' + membersWithIps(owner, members) : ''}`,
      );
      break;
    }
    case 'virtual-mta': {
      const src = directives.filter((x) => x.name === 'smtp-source-host').map((x) => x.value);
      if (src.length) out.push(`Sends from ${src.map((s) => '`' + s + '`').join(', ')}`);
      const pools = model
        .allDefinitions('virtual-mta-pool')
        .filter((p) =>
          p.block
            ? bodyLines(p.block).some(
                (l) =>
                  l.kind === 'directive' &&
                  l.name === 'virtual-mta' &&
                  l.args[0]?.text.toLowerCase() === d.name.toLowerCase(),
              )
            : false,
        );
      if (pools.length) out.push(`Member of ${pools.map((p) => '`' + p.name + '`').join(', ')}`);
      break;
    }
    case 'smtp-pattern-list':
    case 'pattern-list': {
      const rules = body.filter((l) => l.kind === 'pattern' && (l.regex || l.quoted));
      const includes = directives.filter((x) => x.name === 'include').length;
      out.push(plural(rules.length, 'rule') + (includes ? ` (plus ${plural(includes, 'include')})` : ''));
      break;
    }
    default:
      out.push(plural(directives.length, 'setting'));
  }
  const nested = b.children.filter((c) => c.kind === 'block').length;
  if (nested) out.push(plural(nested, 'nested block'));
  return out;
}

function macroSummary(model: Model, name: string): string[] {
  const def = model.macro(name);
  if (!def) return [`\`$${name}\` is not defined in this file or the files it includes.`];
  const exp = safeExpand(model, '$' + name);
  if (!exp) return [`\`$${name}\` could not be expanded (it uses an undefined macro or refers to itself).`];
  const out = [`Expands to ${plural(exp.length, 'domain')}: ${list(exp)}`];
  const ms = microsoftCoverage(exp);
  if (ms) out.push(ms);
  return out;
}

function referenceHover(model: Model, offset: number, config: Model): Result | undefined {
  const at = nameAt(model, offset);
  if (!at) return undefined;
  if (at.kind === 'domain-macro') {
    const head = `**domain-macro** \`$${at.name}\``;
    const defs = config.lookup('domain-macro', at.name);
    const where = defs.length ? `Defined at ${defs.map((d) => describeLocation(model, d, config)).join(', ')}` : '';
    return { md: [head, where, ...macroSummary(model, at.name)].filter(Boolean).join('\n\n'), span: at.span };
  }
  const defs = at.definition ? [at.definition] : config.lookup(at.kind, at.name);
  const kindLabel = at.definition ? at.definition.kind : (defs[0]?.kind ?? at.kind);
  const label = kindLabel === 'vmta-or-pool' ? 'virtual-mta or pool' : kindLabel;
  const parts = [`**${label}** \`${at.name}\``];
  if (!defs.length) {
    parts.push(
      config.hasUnresolvedIncludes
        ? `Not defined in this file or the files it includes${config !== model ? ', nor in the configuration that includes it' : ''} (some includes could not be read).`
        : `Not defined in this file or the files it includes${config !== model ? ', nor in the configuration that includes it' : ''}.`,
    );
  }
  for (const d of defs.slice(0, 5)) {
    const summary = definitionSummary(model, d);
    parts.push([`Defined at ${describeLocation(model, d, config)}`, ...summary].join(' — '));
  }
  if (defs.length > 1) parts.push(`Defined ${defs.length} times.`);
  const main = defs[0]?.block;
  if (main && (main.name === 'virtual-mta-pool' || main.name === 'virtual-mta')) {
    const route = routeSection(model, main, config);
    if (route) parts.push(route);
  }
  if (at.definition) {
    const uses = config
      .allModels()
      .reduce(
        (n, m) =>
          n +
          m.references.filter(
            (r) =>
              r.name.toLowerCase() === at.name.toLowerCase() &&
              (r.kind === at.kind ||
                (r.kind === 'vmta-or-pool' && (at.kind === 'virtual-mta' || at.kind === 'virtual-mta-pool'))),
          ).length,
        0,
      );
    parts.push(
      uses
        ? `Used ${plural(uses, 'time')}.`
        : config !== model
          ? 'Not used in this configuration.'
          : 'Not used in this file or the files it includes.',
    );
  }
  return { md: parts.join('\n\n'), span: at.span };
}

/** What a domain pattern covers, in words. */
function domainArgHover(
  model: Model,
  config: Model,
  arg: string,
  span: Span,
  settings: Settings = {},
  offset?: number,
): Result {
  const parts: string[] = [];
  const a = arg.trim();
  if (a === '*')
    parts.push('`*` — every destination domain: the defaults for domains that have no more specific block.');
  else if (/^\{[\w-]+\}$/.test(a)) parts.push(`\`${a}\` — a special queue name reserved by PowerMTA.`);
  else if (/^\[[^\]]*\]$/.test(a) && !a.startsWith('[*.]'))
    parts.push(`\`${a}\` — mail addressed to literal IP addresses in this range.`);
  else if (a.startsWith('[*.]')) parts.push(`\`${a}\` — \`${a.slice(4)}\` and all its subdomains.`);
  else if (a.startsWith('*.'))
    parts.push(`\`${a}\` — the subdomains of \`${a.slice(2)}\`, not \`${a.slice(2)}\` itself.`);
  else if (!a.includes('$'))
    parts.push(`\`${a}\` — this domain only (a more specific block always wins over a wildcard, whatever the order).`);
  if (a.includes('$')) {
    const exp = safeExpand(model, a);
    if (!exp) parts.push(`\`${a}\` uses a macro that is not defined (or refers to itself).`);
    else {
      parts.push(`\`${a}\` expands to ${plural(exp.length, 'domain')}: ${list(exp)}`);
      if (exp.length > 1)
        parts.push(
          'Each of these domains still gets its own queue: the limits in this block apply to every queue separately.',
        );
      const ms = microsoftCoverage(exp);
      if (ms) parts.push(ms);
    }
  } else {
    const base = a.replace(/^\[\*\.\]/, '').replace(/^\*\./, '');
    const ms = microsoftCoverage([base], a.startsWith('*.'));
    if (ms) parts.push(ms);
    // the Microsoft analysis: how this block's domain is queued, and the limits of that queue
    const queued = offset !== undefined ? microsoftHover(model, offset, settings, config) : undefined;
    if (queued) parts.push(queued);
    if (!a.startsWith('*.') && !a.startsWith('[')) {
      const section = microsoftDomainSection(model, base, settings, !queued, config);
      if (section) parts.push(section);
    }
  }
  return { md: parts.join('\n\n'), span };
}

const PATTERN_ACTIONS: Record<string, string> = {
  'mode=backoff':
    'Puts the queue into backoff mode: the `backoff-*` settings of the domain (fewer connections, lower rate, slower retries) apply until it returns to normal.',
  'mode=normal': 'Returns the queue to normal mode.',
  'backoff-to-normal-after':
    'How long the queue stays in backoff mode before returning to normal; needs `mode=backoff` earlier in the rule.',
  'skip-mx': 'Gives up on this MX host for now and tries the next one.',
  'bounce-queue': 'Bounces every message in the queue.',
  'bounce-rcpt': 'Bounces the recipient; only for 4xx replies to RCPT TO.',
  'defer-queue': 'Stops delivery attempts for the queue until its next retry.',
  'disable-source-ip': 'Stops using the source IP address for this destination.',
  'reenable-after': 'When a disabled source IP may be used again; needs `disable-source-ip` earlier in the rule.',
};

function patternHover(line: PatternLine, offset: number): Result | undefined {
  const lead = line.lead[0];
  if (lead && inSpan(lead, offset) && lead.text.toLowerCase() === 'reply') {
    return {
      md: '**reply** `/regex/ actions` — when an SMTP reply matches the regular expression (case-insensitive), apply the comma-separated actions. The first matching rule wins.',
      span: lead,
    };
  }
  for (const w of line.rest) {
    if (!inSpan(w, offset)) continue;
    // the word may hold several comma-separated actions
    let pos = w.start + (w.quoted ? 1 : 0);
    for (const part of w.text.split(',')) {
      const s = pos;
      const e = pos + part.length;
      pos = e + 1;
      if (offset < s || offset > e || !part) continue;
      const [key, val] = part.split('=');
      const k = key.toLowerCase();
      const doc = PATTERN_ACTIONS[part.toLowerCase()] ?? PATTERN_ACTIONS[k];
      if (!doc) return undefined;
      const parts = [`**${part}** — smtp-pattern-list action`, doc];
      if (val) {
        const words = durationInWords(val);
        if (words) parts.push(`\`${val}\` = ${words}`);
      }
      return { md: parts.join('\n\n'), span: { start: s, end: e } };
    }
  }
  return undefined;
}

/** The value word (and comma-separated item) under the cursor. */
function itemAt(words: Word[], offset: number, text: string): { word: Word; item: string; span: Span } | undefined {
  for (const w of words) {
    if (offset < w.start || offset > w.end) continue;
    const inner = w.quoted
      ? { start: w.start + 1, end: Math.max(w.start + 1, w.end - 1) }
      : { start: w.start, end: w.end };
    const raw = text.slice(inner.start, inner.end);
    let pos = inner.start;
    for (const part of raw.split(',')) {
      const s = pos;
      const e = pos + part.length;
      pos = e + 1;
      if (offset >= s && offset <= e && part.trim()) return { word: w, item: part.trim(), span: { start: s, end: e } };
    }
    return { word: w, item: w.text, span: w };
  }
  return undefined;
}

function valueHover(
  model: Model,
  config: Model,
  line: DirectiveLine,
  info: DirectiveInfo,
  offset: number,
  settings: Settings = {},
): Result | undefined {
  const it = itemAt(line.args, offset, model.text);
  if (!it) return undefined;
  const v = it.item;
  // queue-to names a queue, which is a domain name (or a rollup name)
  const kind: ValueKind =
    line.name === 'domain-macro'
      ? it.word === line.args[0]
        ? 'name'
        : 'domain-list'
      : line.name === 'queue-to'
        ? 'domain'
        : info.value;
  switch (kind) {
    case 'rate':
    case 'rate-list': {
      const md = rateInWords(v, rateWhat(info.name));
      return md ? { md: `**${info.name}**\n\n${md}`, span: it.span } : undefined;
    }
    case 'duration':
    case 'duration-list':
    case 'duration-or-never': {
      if (v.toLowerCase() === 'never') return { md: `**${info.name}** \`never\` — no time limit`, span: it.span };
      const words = durationInWords(v);
      return words ? { md: `**${info.name}** \`${v}\` = ${words}`, span: it.span } : undefined;
    }
    case 'size': {
      const md = sizeInWords(v);
      return md ? { md: `**${info.name}** ${md}`, span: it.span } : undefined;
    }
    case 'data-rate': {
      const m = /^(\d+)([bkmgt]?)\/(\d*)([a-z]+)$/i.exec(v);
      if (v.toLowerCase() === 'unlimited' || v === '0')
        return { md: `**${info.name}** \`${v}\`: unlimited`, span: it.span };
      if (!m) return undefined;
      const bytes = parseSize(m[1] + m[2]);
      const per = parseRate(`1/${m[3]}${m[4]}`);
      if (bytes === undefined || !per) return undefined;
      const perHour = bytes * per.perSecond * 3600;
      return { md: `**${info.name}** \`${v}\` ≈ ${group(perHour)} bytes per hour`, span: it.span };
    }
    case 'record-types':
    case 'record-fields':
    case 'header-to-field': {
      // the record type: every item of `records`, the first word of the others
      if (kind !== 'record-types' && it.word !== line.args[0]) return undefined;
      const t = recordType(v);
      return t
        ? { md: `**${info.name}** \`${v}\`: record type ${t.code} (${t.long}), ${t.meaning}`, span: it.span }
        : undefined;
    }
    case 'domain':
    case 'domain-list': {
      if (v.includes('$')) return domainArgHover(model, config, v, it.span, settings);
      const base = v.replace(/^\[\*\.\]/, '').replace(/^\*\./, '');
      const ms = microsoftCoverage([base]);
      const section = microsoftDomainSection(model, base, settings, true, config);
      if (!ms && !section) return undefined;
      return { md: [ms, section].filter(Boolean).join('\n\n'), span: it.span };
    }
    default:
      return undefined;
  }
}

function directiveHover(
  model: Model,
  config: Model,
  line: DirectiveLine,
  offset: number,
  settings: Settings = {},
  included: readonly IncludedFindings[] = [],
): Result | undefined {
  const info = getDirective(line.name);
  // a DKIM key: its file and the DNS record to publish, after the directive's documentation on its name
  const key = line.name === 'domain-key' ? domainKeyMarkdown(model, line) : undefined;
  if (key)
    return inSpan(line.nameSpan, offset) && info
      ? { md: `${directiveMarkdown(info, line.rawName)}\n\n---\n\n${key}`, span: line.nameSpan }
      : { md: key, span: line.valueSpan };
  if (inSpan(line.nameSpan, offset)) {
    if (!info) return undefined;
    return { md: directiveMarkdown(info, line.rawName), span: line.nameSpan };
  }
  const ref = referenceHover(model, offset, config);
  if (ref) return ref;
  if (!info) return undefined;
  if (line.name === 'include') {
    const inc = includeHover(model, line, offset, included);
    if (inc) return inc;
  }
  return valueHover(model, config, line, info, offset, settings);
}

/** Problems as a short count: "2 errors, 1 warning", or "no problems". */
function problemCount(findings: readonly Finding[]): string {
  const n = (s: Finding['severity']) => findings.filter((f) => f.severity === s).length;
  const parts = [
    plural(n('error'), 'error'),
    plural(n('warning'), 'warning'),
    `${n('information')} info`,
    plural(n('hint'), 'hint'),
  ].filter((p) => !p.startsWith('0 '));
  return parts.length ? parts.join(', ') : 'no problems';
}

/**
 * On the path of an `include`: the files it reads (a wildcard can match several), with their size and,
 * when this file's configuration was checked, the problems found in each as part of it; or why it is
 * not followed.
 */
function includeHover(
  model: Model,
  line: DirectiveLine,
  offset: number,
  included: readonly IncludedFindings[],
): Result | undefined {
  const inc = model.includes.find((i) => i.line === line && inSpan(i.span, offset));
  if (!inc) return undefined;
  const parts = [`**include** \`${inc.path}\``];
  if (inc.skipped)
    parts.push('Not followed (a URL, a network share or a template placeholder, or includes are turned off).');
  else if (!inc.resolved.length) parts.push(`Not followed: ${inc.error ?? 'no file found'}.`);
  else {
    const problems = new Map(included.map((i) => [i.uri, i.findings]));
    const MAX = 30;
    const rows = inc.resolved.slice(0, MAX).map((m) => {
      const found = problems.get(m.uri);
      const lines = m.tree.lineStarts.length - (/[\r\n]$/.test(m.text) ? 1 : 0);
      return `- \`${decodeSafe(m.uri.slice(m.uri.lastIndexOf('/') + 1))}\` (${plural(lines, 'line')}${found ? `; ${problemCount(found)}` : ''})`;
    });
    if (inc.resolved.length > MAX) rows.push(`- … and ${inc.resolved.length - MAX} more`);
    parts.push(`Reads ${plural(inc.resolved.length, 'file')}:\n\n${rows.join('\n')}`);
    if (inc.error) parts.push(inc.error + '.');
  }
  return { md: parts.join('\n\n'), span: inc.span };
}

function tagHover(
  model: Model,
  config: Model,
  line: Line,
  offset: number,
  findings: readonly Finding[],
  settings: Settings = {},
): Result | undefined {
  let nameSpan: Span | undefined;
  let name = '';
  let argSpan: Span | undefined;
  let arg = '';
  if (line.kind === 'open-tag' || line.kind === 'close-tag') {
    nameSpan = line.nameSpan;
    name = line.name;
    if (line.kind === 'open-tag') {
      argSpan = line.argSpan;
      arg = line.arg;
    }
  } else if (line.kind === 'pseudo-open' || line.kind === 'pseudo-inline') {
    nameSpan = line.keywordSpan;
    name = line.keyword ?? '';
    argSpan = line.argSpan;
    arg = line.arg ?? '';
  }
  if (nameSpan && inSpan(nameSpan, offset)) {
    const info = getBlock(name);
    if (!info) return undefined;
    let md = blockMarkdown(info);
    const block = line.parent && (line.parent.open === line || line.parent.close === line) ? line.parent : undefined;
    if (block) {
      const n = findings.filter((f) => f.span.start >= block.start && f.span.end <= block.end).length;
      if (n) md += `\n\n${plural(n, 'problem')} reported in this block.`;
    }
    return { md, span: nameSpan };
  }
  if (argSpan && inSpan(argSpan, offset)) {
    const ref = referenceHover(model, offset, config);
    if (ref) return ref;
    if (name === 'domain' && arg) return domainArgHover(model, config, arg, argSpan, settings, offset);
  }
  return undefined;
}

function codeHover(model: Model, offset: number, line: Line | undefined): Result | undefined {
  // never on a directive or tag name
  if (
    line &&
    (line.kind === 'directive' || line.kind === 'open-tag' || line.kind === 'close-tag') &&
    inSpan(line.nameSpan, offset)
  )
    return undefined;
  const phys = physicalLineAt(model, offset);
  const lineText = model.text.slice(phys.start, phys.end);
  const hit = replyMentions(lineText).find((h) => offset - phys.start >= h.start && offset - phys.start <= h.end);
  if (!hit) return undefined;
  const span = { start: phys.start + hit.start, end: phys.start + hit.end };
  let md = microsoftCodeMarkdown(hit);
  // 5.1.1 or 5.7.1 alone is in Microsoft's NDR reference, but every mail server sends it: outside a
  // Microsoft context, say what it means anywhere first and what it means at Microsoft second.
  if (isGenericMention(hit) && !namesMicrosoft(lineText) && !inMicrosoftContext(model, line)) {
    const enhanced = hit.code.enhanced ?? hit.code.id;
    const basic = /^[245]\d\d\b/.exec(hit.written.trim())?.[0];
    md = genericCodeMarkdown(basic, enhanced).join('\n\n') + `\n\n---\n\n**${ifSentBy(hit.code)}**\n\n` + md;
  }
  return { md, span };
}

/**
 * True when a line stands where Microsoft replies are expected: in a block whose name or argument
 * names Microsoft (`<smtp-pattern-list microsoft-errors>`, `<domain hotmail.com>`), or in a pattern
 * list that a Microsoft consumer domain's block attaches.
 */
function inMicrosoftContext(model: Model, line: Line | undefined): boolean {
  for (let b = line?.parent; b; b = b.parent) {
    if (
      namesMicrosoft(b.arg) ||
      (b.name === 'domain' && (model.expandDomain(b.arg) ?? []).some((d) => isMicrosoftConsumerDomain(d)))
    )
      return true;
    if (b.name === 'smtp-pattern-list' && b.arg) {
      const name = b.arg.toLowerCase();
      for (const m of model.allModels())
        for (const r of m.references) {
          if (r.kind !== 'smtp-pattern-list' || r.name.toLowerCase() !== name) continue;
          const owner = r.line.parent;
          if (owner?.name === 'domain' && (m.expandDomain(owner.arg) ?? []).some((d) => isMicrosoftConsumerDomain(d)))
            return true;
        }
    }
  }
  return false;
}

/**
 * Hover at an offset of a document. `config` is the configuration the document is part of (a file that
 * includes it, with this model among its files), when there is one: names and the Microsoft queues are
 * looked up there. `included`: the findings of the files this one includes, when known (shown on the
 * path of an `include`).
 */
export function hover(
  model: Model,
  offset: number,
  settings: Settings,
  findings: Finding[],
  config: Model = model,
  included: readonly IncludedFindings[] = [],
): Hover | null {
  const text = model.text;
  const at = Math.max(0, Math.min(Number.isFinite(offset) ? offset : 0, text.length));
  const line = lineAt(model, at);
  let result: Result | undefined = codeHover(model, at, line);
  if (!result && line) {
    switch (line.kind) {
      case 'directive':
        result = directiveHover(model, config, line, at, settings ?? {}, included);
        break;
      case 'open-tag':
      case 'close-tag':
      case 'pseudo-open':
      case 'pseudo-inline':
        result = tagHover(model, config, line, at, findings ?? [], settings ?? {});
        break;
      case 'pattern':
        // the virtual MTA or pool a pattern-list result names, else the rule
        result = referenceHover(model, at, config) ?? patternHover(line, at);
        break;
      default:
        break;
    }
  }
  if (!result) return null;
  const value = result.md;
  const hv: Hover = { contents: { kind: 'markdown', value } };
  if (result?.span) hv.range = model.range(result.span);
  return hv;
}
