/**
 * Shapes of the knowledge data (directive catalog, block catalog).
 * The data itself lives in directives.ts / blocks.ts; code reads it through catalog.ts.
 */

/** A place a directive can stand: the global level or inside a block with this tag name. */
export type Context =
  | 'global'
  | 'domain'
  | 'virtual-mta'
  | 'virtual-mta-pool'
  | 'source'
  | 'smtp-user'
  | 'source-group'
  | 'smtp-pattern-list'
  | 'pattern-list'
  | 'acct-file'
  | 'spool'
  | 'bounce-processor'
  | 'feedback-loop-processor'
  | 'mx-rollup-list'
  | 'bounce-category-patterns'
  | 'address-list'
  | 'email-patterns'
  | 'rewrite-list'
  | 'domain-key-list'
  | 'dns'
  | 'smtp-listener'
  | 'proxy'
  | 'vault'
  | 'transmissions-api'
  | 'signals'
  | 'http-mgmt'
  | 'domain-macro';

/**
 * The grammar of a directive's value. The validator in rules/invalidValue.ts understands each kind.
 * - bool: yes|no|true|false
 * - int: a non-negative whole number
 * - duration: 1w2d12h, 300s, 20m (units w d h m s; bare number = seconds is NOT accepted)
 * - duration-list: comma-separated durations without spaces (retry-after 10m,10m,1h)
 * - duration-or-never: a duration or `never`
 * - rate: unlimited | 0 | N/[M]unit  (unit d|day|h|hr|m|min|s|sec)
 * - rate-list: comma-separated rates
 * - size: N[b|k|m|g|t] | 0 | unlimited
 * - data-rate: like rate with a size suffix on N (2g/10h)
 * - ip: IPv4 or IPv6 address
 * - cidr: IP with optional /mask, or the short forms 0/0, 10.1.0/24
 * - host: a DNS host name
 * - ip-host: `IP HOST` pair (smtp-source-host)
 * - listen: CIDR:PORT or [IPv6]:PORT, optional `source=NAME`
 * - email: an e-mail address
 * - domain: a domain name or domain pattern (*, *.x, [*.]x, $macro)
 * - domain-list: comma-separated list of domains (domain-macro, relay-domain)
 * - enum: one of `values`
 * - name: a bare identifier (vmta, pool, list, macro names...)
 * - path: a file or directory path
 * - string: anything (free text, passwords, header names...)
 * - smtp-hosts: the smtp-hosts grammar ([ip]:port, host:port, lookup-mx:domain, `,` and `;`)
 * - regex-rule: a pattern-list rule (/regex/ action)
 * - record-types: comma-separated accounting record types (records d,b,rb); `values`, when given, lists
 *   the letters allowed (the long names of those are allowed too)
 * - record-fields: a record type, then a comma-separated field list (record-fields d *,!orcpt)
 * - header-to-field: a record type (not tq), a header_NAME and an accounting field (map-header-to-field)
 * - none: takes no value
 */
export type ValueKind =
  | 'bool'
  | 'int'
  /** a TCP port: a whole number from 0 to 65535 */
  | 'port'
  | 'duration'
  | 'duration-list'
  | 'duration-or-never'
  | 'rate'
  | 'rate-list'
  | 'size'
  | 'data-rate'
  | 'ip'
  | 'cidr'
  | 'host'
  | 'ip-host'
  | 'listen'
  /** `CIDR LEVEL` of http-access */
  | 'http-access'
  | 'email'
  | 'domain'
  | 'domain-list'
  | 'enum'
  | 'name'
  | 'path'
  | 'string'
  | 'smtp-hosts'
  | 'regex-rule'
  | 'record-types'
  | 'record-fields'
  | 'header-to-field'
  | 'none';

/** Which kind of defined name a directive's value refers to (checked by undefined-reference). */
export type ReferenceKind =
  | 'virtual-mta'
  | 'virtual-mta-pool'
  /** a virtual-mta or a pool (default-virtual-mta, reroute-to-virtual-mta) */
  | 'vmta-or-pool'
  | 'smtp-pattern-list'
  | 'pattern-list'
  | 'domain-macro'
  | 'source'
  | 'rewrite-list'
  | 'proxy'
  | 'domain-key-list';

/** Where a fact comes from. UG = PowerMTA User's Guide section; REAL = seen in real configs; SPDOC = SparkPost doc. */
type Source = string;

export interface DirectiveInfo {
  /** Canonical lower-case name. */
  name: string;
  /** Where it may appear. A directive valid in `domain` is also valid in a <domain> nested in a vmta or pool. */
  contexts: Context[];
  value: ValueKind;
  /** For value 'enum': the allowed words (lower case); for 'record-types': the record type letters allowed. */
  values?: string[];
  /** PowerMTA's default when the directive is not set, as PowerMTA writes it. */
  default?: string;
  /** May appear several times in one block. */
  repeatable?: boolean;
  /** The value may be `""` to clear an inherited value. */
  clearable?: boolean;
  /** The first word of the value names something defined elsewhere. */
  references?: ReferenceKind;
  /** One sentence, in our own words. */
  description: string;
  /** Optional longer note for hover (our words). */
  detail?: string;
  /** Where the fact comes from, e.g. "UG 3.3.10.33" or "REAL". */
  source: Source;
  /** Deprecated: what to use instead. */
  deprecated?: string;
  /** Other spellings PowerMTA accepts for the same directive. */
  aliases?: string[];
  /** Example line (our own). */
  example?: string;
}

/** What the body of a block holds. */
type BodyKind =
  /** ordinary `directive value` lines */
  | 'directives'
  /** `reply /regex/ actions` lines */
  | 'smtp-patterns'
  /** `header|mail-from|rcpt-to /regex/ action` lines */
  | 'patterns'
  /** `/regex/ category` lines */
  | 'bounce-patterns'
  /** `mx MX-PATTERN ROLLUP-NAME` lines */
  | 'mx-rollup'
  /** lines we keep as opaque text (address lists, e-mail patterns) */
  | 'raw';

export interface BlockInfo {
  name: string;
  /** Contexts in which the block may be opened (global = top level). */
  parents: Context[];
  /** Argument: required, optional, or none. */
  arg: 'required' | 'optional' | 'none';
  /** Kind of argument, for validation and completion. */
  argKind?: 'domain' | 'name' | 'cidr' | 'path' | 'listen' | 'string';
  body: BodyKind;
  /** The block defines a name that other directives reference. */
  defines?: ReferenceKind;
  description: string;
  /** Optional longer note for hover (our words). */
  detail?: string;
  source: Source;
  example?: string;
}
