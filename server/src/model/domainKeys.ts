/**
 * The `domain-key SELECTOR, DOMAIN, FILE` lines of a document: their three parts with their spans, and
 * what the host found in each key file (hosts/includeHost.ts KeyInfo), read while the model is built, as
 * included files are. Without a host that reads key files (the browser's, or none), with includes turned
 * off, for a key kept in Vault or a template placeholder, nothing is read and the reason is kept, so that
 * the rules stay silent and the hover can say why.
 *
 * Also which keys can sign the mail of a `<domain>` block: those of the top level, of the virtual MTA or
 * pool the block stands in, and of the pools and members around it (UG 3.3.1.43.1, 3.3.12.9, 3.3.13.3),
 * across the files of a configuration (a `domain-key` in a file included inside a `<virtual-mta>` is that
 * virtual MTA's).
 */
import type { Block, DirectiveLine, Span } from '../parser/ast';
import type { IncludeAccess, IncludeHost, KeyInfo } from '../hosts/includeHost';
import { isPlaceholder } from '../knowledge/values';
import { getDirective } from '../knowledge/catalog';
import type { DirectiveInfo } from '../knowledge/types';

const DOMAIN_KEY = getDirective('domain-key');

/** One part of a `domain-key` line, trimmed. */
interface KeyPart {
  text: string;
  span: Span;
}

/** Why a key file was not read. */
type Unread =
  /** no file access here (the browser, an editor without a disk, a document that is not a file) */
  | 'no-file-access'
  /** includes (and with them every other file) are turned off */
  | 'includes-off'
  /** kept in a Vault store, not in a file */
  | 'vault'
  /** a template placeholder or a Vault path with {selector}/{domain} markers */
  | 'placeholder'
  /** the line does not have three comma-separated parts */
  | 'syntax';

export interface DomainKeyLine {
  line: DirectiveLine;
  selector?: KeyPart;
  domain?: KeyPart;
  file?: KeyPart;
  /** What the host found in the file; undefined when it was not read (see {@link unread}). */
  key?: KeyInfo;
  unread?: Unread;
}

/** What reading key files needs of a build (the model's BuildOptions). */
export interface KeyReadOptions {
  host?: IncludeHost;
  resolveIncludes?: boolean;
  workspaceOnly?: boolean;
}

/** The three comma-separated parts of a `domain-key` value (the file may hold commas); undefined when fewer. */
function keyParts(text: string, line: DirectiveLine): Pick<DomainKeyLine, 'selector' | 'domain' | 'file'> | undefined {
  const start = line.valueSpan.start;
  const value = text.slice(start, line.valueSpan.end);
  const c1 = value.indexOf(',');
  const c2 = c1 < 0 ? -1 : value.indexOf(',', c1 + 1);
  if (c2 < 0) return undefined;
  const part = (from: number, to: number): KeyPart | undefined => {
    let s = from;
    let e = to;
    while (s < e && /\s/.test(value[s])) s++;
    while (e > s && /\s/.test(value[e - 1])) e--;
    return e > s ? { text: value.slice(s, e), span: { start: start + s, end: start + e } } : undefined;
  };
  return { selector: part(0, c1), domain: part(c1 + 1, c2), file: part(c2 + 1, value.length) };
}

/** The `domain-key` lines among `directives`, their key files read through the host when it can. */
export function readDomainKeys(
  uri: string,
  text: string,
  directives: readonly DirectiveLine[],
  infos: ReadonlyArray<DirectiveInfo | undefined>,
  options: KeyReadOptions,
): DomainKeyLine[] {
  const out: DomainKeyLine[] = [];
  const access: IncludeAccess = { workspaceOnly: options.workspaceOnly === true };
  for (let i = 0; i < directives.length; i++) {
    // (the catalog entry the model looked up, compared: cheaper than the name on every line)
    if (infos[i] !== DOMAIN_KEY) continue;
    const line = directives[i];
    const parts = keyParts(text, line);
    if (!parts?.file || !parts.selector || !parts.domain) {
      out.push({ line, ...parts, unread: 'syntax' });
      continue;
    }
    const file = parts.file.text;
    const entry: DomainKeyLine = { line, ...parts };
    if (/^\{vault\}/i.test(file)) entry.unread = /\$\{(selector|domain)\}/i.test(file) ? 'placeholder' : 'vault';
    else if (
      isPlaceholder(file) ||
      isPlaceholder(parts.selector.text) ||
      /^\{(selector|domain)\}$/i.test(parts.selector.text)
    )
      entry.unread = 'placeholder';
    else if (options.resolveIncludes === false) entry.unread = 'includes-off';
    else {
      let key: KeyInfo | undefined;
      try {
        key = options.host?.keyInfo?.(uri, file, access);
      } catch {
        key = undefined;
      }
      if (key) entry.key = key;
      else entry.unread = 'no-file-access';
    }
    out.push(entry);
  }
  return out;
}

/** Where a `domain-key` line belongs: the top level, a virtual MTA, a pool or a key list (names in lower case). */
export type KeyOwner =
  | { kind: 'global' }
  | { kind: 'virtual-mta' | 'virtual-mta-pool' | 'domain-key-list'; name: string }
  | { kind: 'elsewhere' };

/** The owner of a `domain-key` line from the blocks around it (innermost first). */
export function keyOwner(blocks: readonly Block[]): KeyOwner {
  const b = blocks[0];
  if (!b) return { kind: 'global' };
  if (b.name === 'virtual-mta' || b.name === 'virtual-mta-pool' || b.name === 'domain-key-list')
    return { kind: b.name, name: b.arg.toLowerCase() };
  return { kind: 'elsewhere' };
}
