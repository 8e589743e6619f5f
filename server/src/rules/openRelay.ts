/**
 * `open-relay` (error; warning for a narrower public range): PowerMTA relays mail to any domain for
 * clients of a `<source>` with `always-allow-relaying yes` (UG 3.3.1.42.1), so that setting on a source
 * that covers the internet makes the server an open relay:
 *
 * - `<source 0/0>` (an error) or a public range wider than one host (a warning: every address of it must
 *   be yours), unless those clients must authenticate (`require-auth yes`) or get no SMTP service
 *   (`smtp-service no`), inherited from a wider source as PowerMTA merges them (UG 3.3.7); private and
 *   loopback ranges are not reported, nor anything when every listener is on a loopback address;
 * - a named source that an `smtp-listener … source=NAME` (or `<smtp-listener>`'s `source`) on a public or
 *   every address hands to each client: the User's Guide warns that anybody who can connect to that
 *   address may then relay (UG 3.3.1.24).
 *
 * Settings of a whole configuration count (duplicate `<source>` blocks: the last value), and only what
 * lies in this file is reported.
 */
import type { DirectiveLine, Span } from '../parser/ast';
import type { Fix, Related } from '../findings';
import { lineNo, type Model } from '../model';
import { blocksAround, entriesOf, includeParents, inReadingOrder, type Placed } from '../model/scope';
import {
  addressCount,
  contains,
  formatRange,
  isEverything,
  isLocalRange,
  isLoopback,
  isSingleHost,
  parseRange,
  type IpRange,
} from '../knowledge/network';
import type { Rule, RuleContext } from './types';

const SOURCE_SETTINGS = entriesOf('always-allow-relaying', 'require-auth', 'smtp-service');
const [RELAYING] = entriesOf('always-allow-relaying');
const [LISTENER] = entriesOf('smtp-listener');
const [SOURCE] = entriesOf('source');

export const openRelayRule: Rule = {
  id: 'open-relay',
  defaultSeverity: 'error',
  description:
    'always-allow-relaying yes for <source 0/0>, a public range, or a named source every client of a public listener gets: an open relay.',
  check(ctx) {
    const { model } = ctx;
    if (!concerns(model)) return;
    const scope = ctx.root ?? model;
    const sources = new SourceSettings(scope);
    const listeners = listenersOf(scope);
    const everyLoopback = listeners.length > 0 && listeners.every((l) => l.range && isLoopback(l.range));
    if (!everyLoopback) for (const p of sources.relaying) if (p.model === model) checkRange(ctx, sources, p);
    for (const l of listeners) if (l.model === model) checkListener(ctx, sources, l);
  },
};

/** The file has a line this rule judges: always-allow-relaying, a listener that names a source. (Catalog entries compared: see inReadingOrder.) */
function concerns(model: Model): boolean {
  for (let i = 0, list = model.directives, infos = model.directiveInfos; i < list.length; i++) {
    const info = infos[i];
    if (info === RELAYING) return true;
    if (info === LISTENER && list[i].value.toLowerCase().includes('source=')) return true;
    if (info === SOURCE && list[i].parent?.name === 'smtp-listener') return true;
  }
  return false;
}

/** The `<source>` settings of a configuration, by source (a range written in full, or a name in lower case), the last value of each. */
class SourceSettings {
  private byKey = new Map<string, { range?: IpRange; values: Map<string, Placed> }>();
  /** The `always-allow-relaying yes` lines that are the last word of their source. */
  readonly relaying: Placed[] = [];

  constructor(scope: Model) {
    const parents = includeParents(scope);
    for (const p of inReadingOrder(scope, SOURCE_SETTINGS)) {
      const block = blocksAround(p.line, p.model.uri, parents)[0];
      if (block?.name !== 'source') continue;
      const range = parseRange(block.arg);
      const key = range ? formatRange(range) : block.arg.toLowerCase();
      let entry = this.byKey.get(key);
      if (!entry) this.byKey.set(key, (entry = { range, values: new Map() }));
      entry.values.set(p.line.name, p);
    }
    for (const e of this.byKey.values()) {
      const p = e.values.get('always-allow-relaying');
      if (p && isYes(p.line)) this.relaying.push(p);
    }
  }

  /** The last setting of `name` for a source, else (for a range) that of the narrowest wider range that sets it. */
  effective(key: string, name: string): Placed | undefined {
    const own = this.byKey.get(key);
    const set = own?.values.get(name);
    if (set || !own?.range) return set;
    let best: { prefix: number; p: Placed } | undefined;
    for (const e of this.byKey.values()) {
      const p = e.values.get(name);
      if (!p || !e.range || e === own || !contains(e.range, own.range)) continue;
      if (!best || e.range.prefix > best.prefix) best = { prefix: e.range.prefix, p };
    }
    return best?.p;
  }

  /** Clients of this source must authenticate, or get no SMTP service. */
  closed(key: string): boolean {
    const auth = this.effective(key, 'require-auth');
    const service = this.effective(key, 'smtp-service');
    return (!!auth && isYes(auth.line)) || (!!service && isNo(service.line));
  }

  keyOf(p: Placed, scope: Model): string {
    const block = blocksAround(p.line, p.model.uri, includeParents(scope))[0]!;
    const range = parseRange(block.arg);
    return range ? formatRange(range) : block.arg.toLowerCase();
  }

  named(name: string): { key: string } | undefined {
    const key = name.toLowerCase();
    return this.byKey.has(key) ? { key } : undefined;
  }
}

function checkRange(ctx: RuleContext, sources: SourceSettings, p: Placed): void {
  const scope = ctx.root ?? ctx.model;
  const source = blocksAround(p.line, p.model.uri, includeParents(scope))[0]!;
  const range = parseRange(source.arg);
  if (!range || isLocalRange(range) || isSingleHost(range)) return;
  const key = sources.keyOf(p, scope);
  if (sources.closed(key)) return;
  const everything = isEverything(range);
  const tag = `<source ${source.arg}>`;
  const how =
    'Allow relaying only from your own feeding hosts (<source 127.0.0.1>, or each of their addresses), or make the clients authenticate (require-auth yes).';
  const message = everything
    ? `Open relay: ${tag} with always-allow-relaying yes lets every host on the internet send mail through this server to any domain; open relays are found and abused within hours, and their IPs end on blocklists. ${how}`
    : `${tag} with always-allow-relaying yes lets every one of the ${addressCount(range)} public addresses of ${formatRange(range)} send mail through this server to any domain: an open relay to each of them that is not yours. ${how}`;
  const fixes: Fix[] = [
    {
      title: `Stop relaying for ${tag}: always-allow-relaying no`,
      changes: [{ span: p.line.valueSpan, newText: 'no' }],
      isPreferred: true,
    },
  ];
  ctx.report({ span: spanOf(p.line), message, fixes, severity: everything ? 'error' : 'warning' });
}

/** An inbound listener: its address (undefined for a host name or a placeholder) and the named source it hands out. */
interface Listener {
  model: Model;
  address: string;
  range?: IpRange;
  source?: { name: string; span: Span };
}

/** The `smtp-listener` lines and `<smtp-listener>` blocks of a configuration. */
function listenersOf(scope: Model): Listener[] {
  const out: Listener[] = [];
  for (const m of scope.allModels()) {
    for (let i = 0, list = m.directives, infos = m.directiveInfos; i < list.length; i++) {
      const d = list[i];
      if (infos[i] !== LISTENER || d.parent || !d.args[0]) continue;
      const address = d.args[0].text;
      const l: Listener = { model: m, address, range: listenRange(address) };
      for (const w of d.args.slice(1)) {
        if (/^source=./i.test(w.text)) l.source = { name: w.text.slice(7), span: { start: w.start + 7, end: w.end } };
      }
      out.push(l);
    }
    for (const b of m.blocks) {
      if (b.name !== 'smtp-listener' || b.pseudo) continue;
      const l: Listener = { model: m, address: b.arg, range: listenRange(b.arg.split(/\s+/)[0]) };
      for (const c of b.children) {
        if (c.kind === 'directive' && c.name === 'source' && c.args[0])
          l.source = { name: c.args[0].text, span: { start: c.args[0].start, end: c.args[0].end } };
      }
      out.push(l);
    }
  }
  return out;
}

/** The addresses of `ADDRESS:PORT`; `0.0.0.0` and `::` (every interface) as every address. */
function listenRange(value: string): IpRange | undefined {
  const colon = value.lastIndexOf(':');
  if (colon <= 0) return undefined;
  const addr = value.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
  const r = parseRange(addr);
  if (r && isSingleHost(r) && r.bytes.every((b) => b === 0)) return { ...r, prefix: 0 };
  return r;
}

function checkListener(ctx: RuleContext, sources: SourceSettings, l: Listener): void {
  if (!l.source || !l.range || isLocalRange(l.range)) return;
  const named = sources.named(l.source.name);
  if (!named) return;
  const relay = sources.effective(named.key, 'always-allow-relaying');
  if (!relay || !isYes(relay.line) || sources.closed(named.key) || sources.closed('0.0.0.0/0')) return;
  const related: Related[] = [
    {
      span: spanOf(relay.line),
      message: `always-allow-relaying yes in <source ${l.source.name}>`,
      uri: relay.model === ctx.model ? undefined : relay.model.uri,
    },
  ];
  const where = isEverything(l.range) ? 'every address of this server' : `the public address ${formatRange(l.range)}`;
  ctx.report({
    span: l.source.span,
    message:
      `Open relay: every client that connects to ${l.address} (${where}) gets <source ${l.source.name}>, which has always-allow-relaying yes (line ${lineNo(relay.model, relay.line.start)}${relay.model === ctx.model ? '' : ` of ${baseName(relay.model.uri)}`}), ` +
      'so anyone who can reach this listener may send mail through it to any domain. Listen on a loopback or private address, or make the clients authenticate (require-auth yes in that source).',
    related,
  });
}

function spanOf(line: DirectiveLine): Span {
  return { start: line.nameSpan.start, end: line.valueSpan.end };
}

function isYes(d: DirectiveLine): boolean {
  return /^(yes|true)$/i.test(d.plainValue ? d.value : (d.args[0]?.text ?? ''));
}

function isNo(d: DirectiveLine): boolean {
  return /^(no|false)$/i.test(d.plainValue ? d.value : (d.args[0]?.text ?? ''));
}

function baseName(uri: string): string {
  const name = uri.slice(uri.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}
