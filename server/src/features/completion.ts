/**
 * Completion: directive names valid in the enclosing block, block snippets, tag names after `<`,
 * the name of the block to close after `</`, values (yes/no, enum words, defined names, macros),
 * `<domain>` arguments (macros, Microsoft consumer domains) and smtp-pattern-list actions.
 */
import type {
  CompletionItem,
  CompletionItemKind,
  CompletionList,
  InsertTextFormat,
  Range,
} from 'vscode-languageserver-types';
import type { Block, Line } from '../parser/ast';
import { safeExpand, type Model } from '../model';
import type { BlockInfo, Context, DirectiveInfo, ReferenceKind, ValueKind } from '../knowledge/types';
import { allBlocks, directivesFor, getBlock, getDirective } from '../knowledge/catalog';
import { blockMarkdown, directiveMarkdown, lineAt } from './hover';
import { MICROSOFT_CONSUMER_DOMAINS } from '../knowledge/microsoft';
import type { Settings } from '../settings';
import { microsoftAdvice } from './microsoft';
import { plural } from '../util/phrases';
import { Char, forEachListWord, isSpaceCode, matchesAsciiLower } from '../util/text';
import { pushAll } from '../util/arrays';

const CIK = {
  Function: 3 as CompletionItemKind,
  Variable: 6 as CompletionItemKind,
  Module: 9 as CompletionItemKind,
  Property: 10 as CompletionItemKind,
  Value: 12 as CompletionItemKind,
  Keyword: 14 as CompletionItemKind,
  Snippet: 15 as CompletionItemKind,
  Reference: 18 as CompletionItemKind,
  EnumMember: 20 as CompletionItemKind,
  Constant: 21 as CompletionItemKind,
  Struct: 22 as CompletionItemKind,
};
const SNIPPET = 2 as InsertTextFormat;
const PLAIN = 1 as InsertTextFormat;
const DEPRECATED_TAG = 1 as const;

const EMPTY: CompletionList = { isIncomplete: false, items: [] };

/** Escape text for a snippet placeholder. */
function esc(s: string): string {
  return s.replace(/[\\$}]/g, (c) => '\\' + c);
}

function escChoice(s: string): string {
  return s.replace(/[\\$},|]/g, (c) => '\\' + c);
}

const PLACEHOLDERS: Record<ValueKind, string> = {
  bool: 'yes',
  int: '1',
  port: '25',
  duration: '10m',
  'duration-list': '10m,1h',
  'duration-or-never': '1h',
  rate: '100/h',
  'rate-list': '100/h',
  size: '10M',
  'data-rate': '1g/h',
  ip: '192.0.2.1',
  cidr: '0/0',
  host: 'mail.example.com',
  'ip-host': '192.0.2.1 mail.example.com',
  listen: '0/0:25',
  'http-access': '127.0.0.1 monitor',
  email: 'postmaster@example.com',
  domain: 'example.com',
  'domain-list': 'example.com',
  enum: 'value',
  name: 'name',
  path: '/path/to/file',
  string: 'value',
  'smtp-hosts': '[192.0.2.1]:25',
  'regex-rule': '/regex/ action',
  'record-types': 'd,b',
  'record-fields': 'd *',
  'header-to-field': 'd header_X-Campaign jobId',
  none: '',
};

/**
 * The value to suggest in a directive snippet: its default, else the example's value, else a placeholder
 * (not the default of http-access, the level alone: the line needs an address before it).
 */
function placeholderFor(info: DirectiveInfo): string {
  if (
    info.default !== undefined &&
    info.default !== '' &&
    info.value !== 'http-access' &&
    !/\s/.test(info.default) &&
    !/^\(/.test(info.default)
  )
    return info.default;
  if (info.example) {
    const m = /^\s*(\S+)\s+(.+?)\s*$/.exec(info.example.split('\n')[0]);
    if (m && m[1].toLowerCase() === info.name) return m[2];
  }
  if (info.references)
    return info.references === 'domain-macro'
      ? 'name'
      : info.references.replace('vmta-or-pool', 'virtual-mta') + '-name';
  return PLACEHOLDERS[info.value] ?? 'value';
}

function directiveSnippet(info: DirectiveInfo): string {
  if (info.value === 'none') return info.name;
  if (info.value === 'bool' || (info.value === 'enum' && info.values?.length)) {
    const values = info.value === 'bool' ? ['yes', 'no'] : [...(info.values ?? [])];
    const def = info.default?.toLowerCase();
    const mapped = def === 'true' ? 'yes' : def === 'false' ? 'no' : def;
    if (mapped && values.includes(mapped)) {
      values.splice(values.indexOf(mapped), 1);
      values.unshift(mapped);
    }
    return `${info.name} \${1|${values.map(escChoice).join(',')}|}`;
  }
  return `${info.name} \${1:${esc(placeholderFor(info))}}`;
}

function blockArgPlaceholder(info: BlockInfo): string {
  switch (info.argKind) {
    case 'domain':
      return 'example.com';
    case 'cidr':
      return '0/0';
    case 'path':
      return '/var/log/pmta/acct.csv';
    case 'listen':
      return '0/0:25';
    case 'name':
      return 'name';
    default:
      return info.name === 'domain' ? 'example.com' : 'name';
  }
}

/** `<domain ${1:example.com}>\n\t$0\n</domain>` */
function blockSnippet(info: BlockInfo): string {
  const arg = info.arg === 'none' ? '' : info.arg === 'optional' ? '$1' : ` \${1:${esc(blockArgPlaceholder(info))}}`;
  return `<${info.name}${arg}>\n\t$0\n</${info.name}>`;
}

// ---------------------------------------------------------------------------------------------

/** The block a new line at this offset would belong to. */
function contextBlockAt(model: Model, offset: number, line: Line | undefined): Block | undefined {
  if (line) {
    const p = line.parent;
    if (p && (p.open === line || p.close === line)) return p.parent;
    return p;
  }
  // after the last line (end of the file): the last line's context, or the block it opens
  const lines = model.tree.lines;
  let last: Line | undefined;
  for (let i = lines.length - 1; i >= 0; i--) {
    if (lines[i].end <= offset) {
      last = lines[i];
      break;
    }
  }
  if (!last) return undefined;
  const p = last.parent;
  if (p && p.open === last) return p.open.kind === 'pseudo-inline' ? p.parent : p;
  if (p && p.close === last) return p.parent;
  return p;
}

function contextOfBlock(b: Block | undefined): Context {
  return (b ? b.name : 'global') as Context;
}

function bodyKind(b: Block | undefined): string {
  if (!b) return 'directives';
  return getBlock(b.name)?.body ?? 'directives';
}

function rangeOf(model: Model, start: number, end: number): Range {
  return model.range({ start, end });
}

/** Length of the word characters right after the cursor (replaced along with the typed part). */
function wordAfter(text: string, offset: number, re: RegExp): number {
  const m = re.exec(text.slice(offset, offset + 200));
  return m ? m[0].length : 0;
}

function directiveItems(
  model: Model,
  ctxBlock: Block | undefined,
  start: number,
  end: number,
  settings: Settings,
  config: Model,
): CompletionItem[] {
  const ctx = contextOfBlock(ctxBlock);
  const range = rangeOf(model, start, end);
  // a value already follows the word being completed: insert the name only
  const rest = model.text.slice(end, physicalEnd(model.text, end));
  const hasValue = /^[ \t]+[^\s#]/.test(rest);
  const present = new Set<string>();
  if (ctxBlock) for (const c of ctxBlock.children) if (c.kind === 'directive') present.add(c.name);
  const items: CompletionItem[] = [];
  // in a block that shapes Microsoft mail, the settings the Microsoft advice names come first, with its values
  const advice =
    ctxBlock && ctxBlock.name === 'domain' ? microsoftAdvice(model, ctxBlock, settings, false, config) : undefined;
  for (const info of directivesFor(ctx)) {
    const advised = advice?.values.get(info.name);
    const snippet = hasValue
      ? info.name
      : advised !== undefined
        ? `${info.name} \${1:${esc(advised)}}`
        : directiveSnippet(info);
    const used = present.has(info.name) && !info.repeatable;
    const detail = info.default !== undefined ? `${shortValue(info)} · default ${info.default}` : shortValue(info);
    const item: CompletionItem = {
      label: info.name,
      kind: CIK.Property,
      detail: advised !== undefined ? `Microsoft ${advice!.tier}: ${advised} · ${detail}` : detail,
      documentation: { kind: 'markdown', value: directiveMarkdown(info) },
      filterText: info.name,
      sortText: (info.deprecated ? '3' : used ? '2' : advised !== undefined ? '0' : '1') + info.name,
      insertTextFormat: SNIPPET,
      textEdit: { range, newText: snippet },
    };
    if (info.deprecated) item.tags = [DEPRECATED_TAG];
    items.push(item);
  }
  for (const b of allBlocks()) {
    if (!b.parents.includes(ctx) || hasValue) continue;
    items.push({
      label: `<${b.name}>`,
      kind: CIK.Module,
      detail: 'block',
      documentation: { kind: 'markdown', value: blockMarkdown(b) },
      filterText: b.name,
      sortText: '4' + b.name,
      insertTextFormat: SNIPPET,
      textEdit: { range, newText: blockSnippet(b) },
    });
  }
  return items;
}

function shortValue(info: DirectiveInfo): string {
  if (info.references)
    return info.references === 'vmta-or-pool' ? 'virtual-mta or pool name' : `${info.references} name`;
  if (info.value === 'enum' && info.values?.length) return info.values.join(' | ');
  if (info.value === 'bool') return 'yes | no';
  return info.value;
}

/** First-word completions inside pattern blocks (`reply /re/ …`, `mx …`, `/re/ category`). */
function patternLeadItems(model: Model, ctxBlock: Block | undefined, start: number, end: number): CompletionItem[] {
  const range = rangeOf(model, start, end);
  const body = bodyKind(ctxBlock);
  const items: CompletionItem[] = [];
  const snip = (label: string, newText: string, doc: string): CompletionItem => ({
    label,
    kind: CIK.Keyword,
    documentation: { kind: 'markdown', value: doc },
    filterText: label,
    insertTextFormat: SNIPPET,
    textEdit: { range, newText },
  });
  if (body === 'smtp-patterns')
    items.push(
      snip(
        'reply',
        'reply /${1:regex}/ ${2:mode=backoff}',
        'A rule: when an SMTP reply matches `/regex/`, apply the comma-separated actions.',
      ),
    );
  if (body === 'patterns') {
    items.push(snip('header', 'header ${1:Subject} /${2:regex}/ ${3:action}', 'Match a message header.'));
    items.push(snip('mail-from', 'mail-from /${1:regex}/ ${2:action}', 'Match the envelope sender.'));
    items.push(snip('rcpt-to', 'rcpt-to /${1:regex}/ ${2:action}', 'Match an envelope recipient.'));
  }
  if (body === 'mx-rollup')
    items.push(
      snip(
        'mx',
        'mx ${1:*.example.com} ${2:example.rollup}',
        'Roll the queues of every domain whose MX host matches the pattern up into one queue.',
      ),
    );
  // include and the other directives the block allows
  for (const info of directivesFor(contextOfBlock(ctxBlock))) {
    items.push({
      label: info.name,
      kind: CIK.Property,
      documentation: { kind: 'markdown', value: directiveMarkdown(info) },
      filterText: info.name,
      insertTextFormat: SNIPPET,
      textEdit: { range, newText: directiveSnippet(info) },
    });
  }
  return items;
}

const ACTIONS: Array<{ label: string; snippet: string; doc: string }> = [
  {
    label: 'mode=backoff',
    snippet: 'mode=backoff',
    doc: 'Put the queue into backoff mode (the `backoff-*` settings apply).',
  },
  { label: 'mode=normal', snippet: 'mode=normal', doc: 'Return the queue to normal mode.' },
  {
    label: 'backoff-to-normal-after=',
    snippet: 'backoff-to-normal-after=${1:1h}',
    doc: 'Leave backoff mode after this time; needs `mode=backoff` earlier in the rule.',
  },
  { label: 'skip-mx', snippet: 'skip-mx', doc: 'Try the next MX host.' },
  { label: 'bounce-queue', snippet: 'bounce-queue', doc: 'Bounce every message in the queue.' },
  { label: 'bounce-rcpt', snippet: 'bounce-rcpt', doc: 'Bounce the recipient (4xx replies to RCPT TO only).' },
  { label: 'defer-queue', snippet: 'defer-queue', doc: 'Stop trying the queue until its next retry.' },
  { label: 'disable-source-ip', snippet: 'disable-source-ip', doc: 'Stop using the source IP for this destination.' },
  {
    label: 'reenable-after=',
    snippet: 'reenable-after=${1:1h}',
    doc: 'Use a disabled source IP again after this time; needs `disable-source-ip` earlier in the rule.',
  },
];

function actionItems(model: Model, already: string, start: number, end: number): CompletionItem[] {
  const used = new Set(
    already
      .split(/[\s,]+/)
      .map((s) => s.split('=')[0].toLowerCase())
      .filter(Boolean),
  );
  const range = rangeOf(model, start, end);
  return ACTIONS.filter(
    (a) => !used.has(a.label.split('=')[0]) || (a.label.startsWith('mode=') && !used.has('mode')),
  ).map((a, i) => ({
    label: a.label,
    kind: CIK.EnumMember,
    documentation: { kind: 'markdown', value: a.doc },
    filterText: a.label,
    sortText: String(i).padStart(2, '0'),
    insertTextFormat: a.snippet.includes('$') ? SNIPPET : PLAIN,
    textEdit: { range, newText: a.snippet },
  }));
}

/** The `$macro` names defined in `config` (this file, or the configuration it is part of). */
function macroItems(model: Model, start: number, end: number, config: Model): CompletionItem[] {
  const range = rangeOf(model, start, end);
  const seen = new Set<string>();
  const items: CompletionItem[] = [];
  for (const d of config.allDefinitions('domain-macro')) {
    const key = d.name.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    const count = safeExpand(config, '$' + d.name)?.length;
    items.push({
      label: '$' + d.name,
      kind: CIK.Variable,
      detail: count !== undefined ? `domain-macro · ${plural(count, 'domain')}` : 'domain-macro',
      filterText: '$' + d.name,
      textEdit: { range, newText: '$' + d.name },
    });
  }
  return items;
}

/** The names of a kind defined in `config` (this file, or the configuration it is part of). */
function definedNameItems(
  model: Model,
  kind: ReferenceKind,
  start: number,
  end: number,
  config: Model,
): CompletionItem[] {
  const kinds: ReferenceKind[] = kind === 'vmta-or-pool' ? ['virtual-mta', 'virtual-mta-pool'] : [kind];
  const range = rangeOf(model, start, end);
  const seen = new Set<string>();
  const items: CompletionItem[] = [];
  for (const k of kinds) {
    for (const d of config.allDefinitions(k)) {
      const key = d.name.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      items.push({
        label: d.name,
        kind: CIK.Reference,
        detail: d.kind,
        filterText: d.name,
        textEdit: { range, newText: d.name },
      });
    }
  }
  return items;
}

function valueItems(
  model: Model,
  info: DirectiveInfo,
  firstWord: boolean,
  start: number,
  end: number,
  config: Model,
): CompletionItem[] {
  const range = rangeOf(model, start, end);
  const items: CompletionItem[] = [];
  const word = (label: string, detail?: string, kind = CIK.Value): CompletionItem => ({
    label,
    kind,
    detail,
    filterText: label,
    textEdit: { range, newText: label },
  });
  if (!firstWord) return items;
  if (info.references) {
    pushAll(items, definedNameItems(model, info.references, start, end, config));
    if (info.name === 'default-virtual-mta')
      items.push(word('by-smtp-source-ip', 'choose the virtual-mta by the source IP', CIK.Keyword));
    return items;
  }
  if (info.value === 'bool') return [word('yes'), word('no')];
  if (info.value === 'enum')
    return (info.values ?? []).map((v) => word(v, v === info.default ? 'default' : undefined, CIK.EnumMember));
  if (info.value === 'duration-or-never') items.push(word('never'));
  if ((info.value === 'rate' || info.value === 'size' || info.value === 'data-rate') && info.default !== 'unlimited')
    items.push(word('unlimited'));
  if (info.default !== undefined && info.default !== '' && !/\s/.test(info.default))
    items.unshift(word(info.default, 'default'));
  return items;
}

function domainArgItems(model: Model, start: number, end: number, config: Model): CompletionItem[] {
  const range = rangeOf(model, start, end);
  const items: CompletionItem[] = [
    {
      label: '*',
      kind: CIK.Constant,
      detail: 'every domain (defaults)',
      filterText: '*',
      sortText: '0',
      textEdit: { range, newText: '*' },
    },
  ];
  for (const m of macroItems(model, start, end, config)) items.push({ ...m, sortText: '1' + m.label });
  const core = new Set(['hotmail.com', 'outlook.com', 'live.com', 'msn.com']);
  for (const d of MICROSOFT_CONSUMER_DOMAINS) {
    items.push({
      label: d.domain,
      kind: CIK.Value,
      detail:
        d.certainty === 'certain'
          ? 'Microsoft consumer domain (Outlook.com)'
          : `probably a Microsoft consumer domain${d.note ? ` (${d.note})` : ''}: check its MX`,
      filterText: d.domain,
      sortText: (core.has(d.domain) ? '2' : d.certainty === 'certain' ? '3' : '4') + d.domain,
      textEdit: { range, newText: d.domain },
    });
  }
  return items;
}

/** Microsoft consumer domains for a `domain-macro` list, without those already listed. */
function microsoftDomainItems(model: Model, start: number, end: number, listed: string): CompletionItem[] {
  const range = rangeOf(model, start, end);
  const have = listedMicrosoftDomains(listed);
  const core = new Set(['hotmail.com', 'outlook.com', 'live.com', 'msn.com']);
  return MICROSOFT_CONSUMER_DOMAINS.filter((d) => !have.has(d.domain)).map((d) => ({
    label: d.domain,
    kind: CIK.Value,
    detail:
      d.certainty === 'certain'
        ? 'Microsoft consumer domain (Outlook.com)'
        : 'probably a Microsoft consumer domain: check its MX',
    filterText: d.domain,
    sortText: (core.has(d.domain) ? '2' : d.certainty === 'certain' ? '3' : '4') + d.domain,
    textEdit: { range, newText: d.domain },
  }));
}

/** The Microsoft consumer domains by length, for {@link listedMicrosoftDomains}. */
let domainsByLength: Map<number, string[]> | undefined;

/**
 * The Microsoft consumer domains that are words of `listed` (separated by white space or commas), in any
 * ASCII case. The words are compared where they stand: a list can be a megabyte of other domains, and a
 * string for each of them made the completion's cost grow faster than the line.
 */
function listedMicrosoftDomains(listed: string): Set<string> {
  if (!domainsByLength) {
    domainsByLength = new Map();
    for (const { domain } of MICROSOFT_CONSUMER_DOMAINS) {
      const list = domainsByLength.get(domain.length);
      if (list) list.push(domain);
      else domainsByLength.set(domain.length, [domain]);
    }
  }
  const byLength = domainsByLength;
  const found = new Set<string>();
  forEachListWord(listed, 0, listed.length, (start, end) => {
    for (const domain of byLength.get(end - start) ?? NO_DOMAINS)
      if (matchesAsciiLower(listed, start, end, domain)) found.add(domain);
  });
  return found;
}
const NO_DOMAINS: readonly string[] = [];

/** Queues for `queue-to`: the Microsoft queue first (for a Microsoft domain), then the other exact `<domain>` names. */
function queueItems(
  model: Model,
  ctxBlock: Block | undefined,
  start: number,
  end: number,
  config: Model,
): CompletionItem[] {
  const range = rangeOf(model, start, end);
  const own = ctxBlock?.name === 'domain' ? ctxBlock.arg.trim().toLowerCase() : '';
  let msQueue = ctxBlock?.name === 'domain' ? microsoftAdvice(model, ctxBlock, {}, true, config)?.queue : undefined;
  // a Microsoft domain that is its own Microsoft queue: suggest the queue the Microsoft snippets use
  if (msQueue === own && own !== 'outlook.com') msQueue = 'outlook.com';
  const seen = new Set<string>([own]);
  const items: CompletionItem[] = [];
  if (msQueue && !seen.has(msQueue)) {
    seen.add(msQueue);
    items.push({
      label: msQueue,
      kind: CIK.Reference,
      detail: 'the Microsoft queue: share its limits',
      filterText: msQueue,
      sortText: '0',
      textEdit: { range, newText: msQueue },
    });
  }
  for (const m of config.allModels()) {
    for (const b of m.blocks) {
      const a = b.arg.trim().toLowerCase();
      if (b.name !== 'domain' || b.parent || !a || /[*$[{]/.test(a) || seen.has(a)) continue;
      seen.add(a);
      items.push({
        label: b.arg.trim(),
        kind: CIK.Reference,
        detail: 'a <domain> queue',
        filterText: a,
        sortText: '1' + a,
        textEdit: { range, newText: b.arg.trim() },
      });
    }
  }
  return items;
}

function sourceArgItems(model: Model, start: number, end: number): CompletionItem[] {
  const range = rangeOf(model, start, end);
  return [
    ['0/0', 'every client address'],
    ['127.0.0.1', 'local submissions'],
    ['{pickup}', 'messages from the pickup directory'],
    ['{auth}', 'authenticated SMTP clients'],
  ].map(([label, detail]) => ({
    label,
    kind: CIK.Value,
    detail,
    filterText: label,
    textEdit: { range, newText: label },
  }));
}

/** True when the text before the cursor on this line is inside a comment. */
function inComment(before: string): boolean {
  let quote = false;
  for (let i = 0; i < before.length; i++) {
    const c = before[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === '"') quote = false;
      continue;
    }
    if (c === '"') quote = true;
    else if (c === '#' && (i === 0 || before[i - 1] === ' ' || before[i - 1] === '\t')) return true;
  }
  return false;
}

/**
 * Completion at an offset. `config` is the configuration the document is part of (a file that includes
 * it, with this model among its files), when there is one: the names defined there are offered.
 */
export function complete(model: Model, offset: number, settings: Settings = {}, config: Model = model): CompletionList {
  const text = model.text;
  if (!Number.isFinite(offset)) return EMPTY;
  const at = Math.max(0, Math.min(offset, text.length));
  let lineStart = at;
  while (lineStart > 0 && text[lineStart - 1] !== '\n' && text[lineStart - 1] !== '\r') lineStart--;
  const before = text.slice(lineStart, at);
  if (inComment(before)) return EMPTY;
  const line = lineAt(model, at);
  const ctxBlock = contextBlockAt(model, at, line);
  const items = (list: CompletionItem[]): CompletionList => ({ isIncomplete: false, items: list });

  // a template line or a line continued from the previous one: no suggestions except values
  const continuation = line && line.kind === 'directive' && line.physicalLines > 1 && lineStart > line.start;
  if (line && line.kind === 'template') return EMPTY;

  // </ → the block to close
  let m = /^[ \t]*<\/([\w.-]*)$/.exec(before);
  if (m) {
    let target: Block | undefined;
    if (line && line.kind === 'close-tag' && line.parent?.close === line) target = line.parent;
    else target = ctxBlock;
    if (!target || target.pseudo) return EMPTY;
    const start = at - m[1].length;
    const end = at + wordAfter(text, at, /^[\w.-]*>?/);
    const label = `${target.name}>`;
    return items([
      {
        label,
        kind: CIK.Keyword,
        detail: `close <${target.name}${target.arg ? ' ' + target.arg : ''}>`,
        filterText: label,
        textEdit: { range: rangeOf(model, start, end), newText: label },
      },
    ]);
  }

  // < → block names with the whole block as a snippet
  m = /^[ \t]*<([\w.-]*)$/.exec(before);
  if (m) {
    const ctx = contextOfBlock(ctxBlock);
    const start = at - m[1].length - 1;
    const end = at + wordAfter(text, at, /^[\w.-]*/);
    const range = rangeOf(model, start, end);
    const list = allBlocks()
      .filter((b) => b.parents.includes(ctx))
      .map((b): CompletionItem => ({
        label: b.name,
        kind: CIK.Module,
        detail: 'block',
        documentation: { kind: 'markdown', value: blockMarkdown(b) },
        filterText: '<' + b.name,
        insertTextFormat: SNIPPET,
        textEdit: { range, newText: blockSnippet(b) },
      }));
    return items(list);
  }

  // <tag ARG → argument values
  m = /^[ \t]*<([\w.-]+)[ \t]+([^\s>]*)$/.exec(before);
  if (m) {
    const tag = m[1].toLowerCase();
    const partial = m[2];
    const end = at + wordAfter(text, at, /^[^\s>]*/);
    const dollar = partial.lastIndexOf('$');
    if (dollar >= 0) return items(macroItems(model, at - (partial.length - dollar), end, config));
    const start = at - partial.length;
    if (tag === 'domain') return items(domainArgItems(model, start, end, config));
    if (tag === 'source') return items(sourceArgItems(model, start, end));
    return EMPTY;
  }

  const body = bodyKind(ctxBlock);

  // pattern blocks
  if (!continuation && body !== 'directives' && body !== 'raw') {
    m = /^[ \t]*([\w.-]*)$/.exec(before);
    if (m) {
      const end = at + wordAfter(text, at, /^[\w.-]*/);
      return items(patternLeadItems(model, ctxBlock, at - m[1].length, end));
    }
    if (body === 'smtp-patterns') {
      const r = /^[ \t]*(?:reply[ \t]+)?\/(?:\\.|[^\\/])*\/[ \t]+(.*)$/i.exec(before);
      if (r) {
        const typed = typedWord(r[1]);
        const end = at + wordAfter(text, at, /^[^\s,]*/);
        const rest = text.slice(at + (end - at), physicalEnd(text, at));
        return items(
          actionItems(model, r[1].slice(0, r[1].length - typed.length) + ' ' + rest, at - typed.length, end),
        );
      }
    }
    return EMPTY;
  }

  // first word: directives and blocks
  m = /^[ \t]*([A-Za-z0-9_.-]*)$/.exec(before);
  if (m && !continuation) {
    const end = at + wordAfter(text, at, /^[\w.-]*/);
    return items(directiveItems(model, ctxBlock, at - m[1].length, end, settings, config));
  }

  // value position of a directive
  let name: string | undefined;
  let valueBefore: string;
  if (continuation && line && line.kind === 'directive') {
    name = line.name;
    valueBefore = text.slice(line.valueSpan.start, at);
  } else {
    const v = /^[ \t]*([A-Za-z0-9_.-]+)[ \t]+(.*)$/.exec(before);
    if (!v) return EMPTY;
    name = v[1];
    valueBefore = v[2];
  }
  const info = getDirective(name);
  const typed = typedWord(valueBefore);
  const end = at + wordAfter(text, at, /^[^\s,#]*/);
  const dollar = typed.lastIndexOf('$');
  if (dollar >= 0) return items(macroItems(model, at - (typed.length - dollar), end, config));
  if (!info) return EMPTY;
  const firstWord = !continuation && valueBefore.length === typed.length;
  if (info.name === 'domain-macro' && !firstWord)
    return items(microsoftDomainItems(model, at - typed.length, end, valueBefore));
  if (info.name === 'queue-to' && firstWord) return items(queueItems(model, ctxBlock, at - typed.length, end, config));
  return items(valueItems(model, info, firstWord, at - typed.length, end, config));
}

/**
 * The word being typed at the end of `before`: its last characters that are neither white space nor
 * commas (what `/[^\s,]*$/` finds, by a scan from the end: that expression tries every start, each
 * to the next space, which was quadratic after a long word).
 */
function typedWord(before: string): string {
  let i = before.length;
  while (i > 0) {
    const c = before.charCodeAt(i - 1);
    if (c === Char.Comma || isSpaceCode(c)) break;
    i--;
  }
  return before.slice(i);
}

function physicalEnd(text: string, offset: number): number {
  let e = offset;
  while (e < text.length && text[e] !== '\n' && text[e] !== '\r') e++;
  return e;
}
