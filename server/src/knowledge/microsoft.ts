/**
 * Microsoft (Outlook.com / Hotmail / Live / MSN consumer mail, plus Microsoft 365 / Exchange Online)
 * delivery knowledge: pure data and small pure lookup helpers. No imports but the shared low-level
 * util/ modules, no Node APIs.
 *
 * Source keys (see the project's Microsoft reference notes for addresses):
 *   S-PM-TRB  Outlook.com Postmaster "Troubleshooting" page (RP/SC/DY/OU codes, 5.7.515)
 *   S-PM-POL  Outlook.com Postmaster "Policies, Practices, and Guidelines" (500 connections, rDNS)
 *   S-HVS     Microsoft blog on high-volume sender requirements (5.7.515 enforcement, May 2025)
 *   S-NDR     Microsoft Learn, Exchange Online NDR / SMTP error reference (5.x.x / 4.x.x codes)
 *   S-NDR-AS  Microsoft Learn, 451 4.7.500-699 (ASxxx) article
 *   S-NDR-700 Microsoft Learn, 5.7.700-5.7.750 article
 *   S-NDR-447 Microsoft Learn, 550 4.4.7 article
 *   S-DBEB    Microsoft Learn, Directory-Based Edge Blocking
 *   S-SISI    Sisimai bounce classifier, Microsoft rules and their real bounce samples
 *   S-TB      Thunderbird ISPDB autoconfig (hotmail.com.xml, office365.com.xml)
 *   S-KUMO    KumoMTA shipped traffic-shaping rules for Outlook / Office 365
 *   S-PMTA-UG PowerMTA User's Guide (pattern-list actions, backoff directives, defaults)
 *   S-WILD    real bounce samples published on forums, pastebins, blogs
 *   SEED-000  the project's seed article on PowerMTA settings for Microsoft (its advice, not its syntax)
 *
 * Certainty marks used below: C = stated by the cited source, W = seen in real bounces (third party,
 * not a Microsoft statement), I = our own inference / industry practice.
 *
 * Every description here is written in our own words.
 */
import { Memo } from '../util/memo';

// ------------------------------------------------------------------------------------------------
// 1. Consumer domains and MX host names
// ------------------------------------------------------------------------------------------------

export type DomainCertainty = 'certain' | 'probable';

export interface MicrosoftDomain {
  /** lower-case domain name */
  domain: string;
  /** certain: listed by S-TB (ISPDB); probable: only in other public lists (check the MX before relying on it) */
  certainty: DomainCertainty;
  /** extra caution, e.g. "doubtful" */
  note?: string;
}

/**
 * Outlook.com consumer domains listed by the Thunderbird ISPDB (S-TB, ispdb/hotmail.com.xml, 102 domains).
 * Microsoft itself only names the families msn.com / outlook.com / hotmail.com / live.com (S-PM-TRB, S-HVS).
 */
const CERTAIN_DOMAINS: readonly string[] = [
  // core families
  'hotmail.com', 'live.com', 'msn.com', 'outlook.com', 'windowslive.com',
  // outlook.*
  'outlook.at', 'outlook.be', 'outlook.cl', 'outlook.cz', 'outlook.de', 'outlook.dk', 'outlook.es', 'outlook.fr',
  'outlook.hu', 'outlook.ie', 'outlook.in', 'outlook.it', 'outlook.jp', 'outlook.kr', 'outlook.lv', 'outlook.my',
  'outlook.ph', 'outlook.pt', 'outlook.sa', 'outlook.sg', 'outlook.sk', 'outlook.co.id', 'outlook.co.il',
  'outlook.co.th', 'outlook.com.ar', 'outlook.com.au', 'outlook.com.br', 'outlook.com.gr', 'outlook.com.tr',
  'outlook.com.vn',
  // hotmail.*
  'hotmail.be', 'hotmail.ca', 'hotmail.cl', 'hotmail.cz', 'hotmail.de', 'hotmail.dk', 'hotmail.es', 'hotmail.fi',
  'hotmail.fr', 'hotmail.gr', 'hotmail.hu', 'hotmail.it', 'hotmail.lt', 'hotmail.lv', 'hotmail.my', 'hotmail.nl',
  'hotmail.no', 'hotmail.ph', 'hotmail.rs', 'hotmail.se', 'hotmail.sg', 'hotmail.sk', 'hotmail.co.id',
  'hotmail.co.il', 'hotmail.co.in', 'hotmail.co.jp', 'hotmail.co.kr', 'hotmail.co.th', 'hotmail.co.uk',
  'hotmail.co.za', 'hotmail.com.ar', 'hotmail.com.au', 'hotmail.com.br', 'hotmail.com.hk', 'hotmail.com.tr',
  'hotmail.com.tw', 'hotmail.com.vn',
  // live.*
  'live.at', 'live.be', 'live.ca', 'live.cl', 'live.cn', 'live.de', 'live.dk', 'live.fi', 'live.fr', 'live.hk',
  'live.ie', 'live.in', 'live.it', 'live.jp', 'live.nl', 'live.no', 'live.ru', 'live.se', 'live.co.jp',
  'live.co.kr', 'live.co.uk', 'live.co.za', 'live.com.ar', 'live.com.au', 'live.com.mx', 'live.com.my',
  'live.com.ph', 'live.com.pt', 'live.com.sg',
  // other
  'livemail.tw',
];

/**
 * Probable / legacy Microsoft consumer domains: present in other public lists but not in ISPDB [W].
 * Sources: PowerMTA domain macros in public configs (macrob/pmta-clibuild and a public PMTA config
 * generator), a Go provider map and the pidgin-sipe domain list (all cited in the reference notes).
 * Deliberately absent: charter.com, compaq.net, sympatico.ca, vcache.com (historical partners, not
 * Outlook.com today), outlook.co.uk (not a Microsoft consumer domain as far as known) and hotmail.com.mx
 * (only in some lists; not in ISPDB). See MICROSOFT_NOT_CONSUMER_DOMAINS.
 */
const PROBABLE_DOMAINS: ReadonlyArray<[string, string?]> = [
  ['hotmail.ch'], ['hotmail.co.nz'],
  ['live.co.in'], ['live.com.co'], ['live.com.pe'], ['live.com.pk'], ['live.com.ve'], ['live.ma'], ['live.ph'],
  ['livemail.com.br'], ['outlook.co.nz'], ['outlook.com.pe'], ['messengeruser.com'], ['passport.com'],
  ['passport.net'], ['windowslive.es'], ['webtv.net'],
  ['msn.cn', 'doubtful: only in one public PowerMTA macro'],
  ['msn.net', 'doubtful: only in one public PowerMTA macro'],
  ['hotmail.co', 'doubtful: only in one public PowerMTA macro'],
];

/** All known Microsoft consumer (Outlook.com) domains, certain ones first. [S-TB; W for 'probable'] */
export const MICROSOFT_CONSUMER_DOMAINS: readonly MicrosoftDomain[] = [
  ...CERTAIN_DOMAINS.map((domain): MicrosoftDomain => ({ domain, certainty: 'certain' })),
  ...PROBABLE_DOMAINS.map(([domain, note]): MicrosoftDomain =>
    note ? { domain, certainty: 'probable', note } : { domain, certainty: 'probable' }),
];

/**
 * Domains that some lists attach to Microsoft but that should NOT be treated as Outlook.com consumer
 * mail today, with the reason. [W / I, reference notes section 2]
 */
export const MICROSOFT_NOT_CONSUMER_DOMAINS: ReadonlyArray<{ domain: string; reason: string }> = [
  { domain: 'charter.com', reason: 'historical Microsoft-hosted partner; not Outlook.com today' },
  { domain: 'compaq.net', reason: 'historical Microsoft-hosted partner; not Outlook.com today' },
  { domain: 'sympatico.ca', reason: 'historical Microsoft-hosted partner; not Outlook.com today' },
  { domain: 'vcache.com', reason: 'historical Microsoft-hosted partner; not Outlook.com today' },
  { domain: 'outlook.co.uk', reason: 'not found as a Microsoft consumer domain' },
];

/**
 * The domains the seed article rolls up into one Microsoft queue: outlook.com plus its nine variants.
 * [SEED-000] All ten are in the certain list.
 */
export const SEED_ROLLUP_DOMAINS: readonly string[] = [
  'outlook.com',
  'hotmail.com', 'hotmail.co.uk', 'hotmail.de', 'hotmail.fr',
  'live.com', 'live.co.uk', 'live.de',
  'msn.com', 'windowslive.com',
];

const DOMAIN_INDEX: ReadonlyMap<string, MicrosoftDomain> = new Map(
  MICROSOFT_CONSUMER_DOMAINS.map((d) => [d.domain, d] as const),
);

/** Lower-case, trim, drop a trailing dot and anything up to an '@' (so an address works too). */
function normalizeDomain(d: string): string {
  let t = d.trim().toLowerCase();
  const at = t.lastIndexOf('@');
  if (at >= 0) t = t.slice(at + 1);
  if (t.endsWith('.')) t = t.slice(0, -1);
  return t;
}

/** True for a certain or probable Outlook.com consumer domain (case-insensitive; an address also works). */
export function isMicrosoftConsumerDomain(d: string): boolean {
  return DOMAIN_INDEX.has(normalizeDomain(d));
}

/** 'certain' | 'probable' for a Microsoft consumer domain, undefined otherwise. */
export function microsoftDomainCertainty(d: string): DomainCertainty | undefined {
  return DOMAIN_INDEX.get(normalizeDomain(d))?.certainty;
}

/** The full record (with any note) for a Microsoft consumer domain. */
export function microsoftDomainInfo(d: string): MicrosoftDomain | undefined {
  return DOMAIN_INDEX.get(normalizeDomain(d));
}

/**
 * Every Outlook.com consumer domain has its own MX host under this suffix, e.g.
 * hotmail-com.olc.protection.outlook.com, outlook-com.olc.protection.outlook.com, and regional hosts such as
 * eur.olc.protection.outlook.com. [C: S-TB comment; S-KUMO MXSuffix; W: bounce samples]
 */
export const MICROSOFT_CONSUMER_MX_SUFFIX = '.olc.protection.outlook.com';

/**
 * Microsoft 365 / Exchange Online Protection tenant MX suffixes (business domains, a different system with
 * its own reply codes): <tenant>.mail.protection.outlook.com, and the newer DANE/DNSSEC hosts under
 * .mx.microsoft. [C: S-TB office365.com.xml; S-KUMO providers "office365" / "office365-dane"]
 */
export const MICROSOFT_M365_MX_SUFFIXES: readonly string[] = ['.mail.protection.outlook.com', '.mx.microsoft'];

/**
 * Front-end host suffixes that appear in Microsoft reply texts (the bracketed server name), for both systems.
 * They are not MX names. [W: S-SISI samples]
 */
export const MICROSOFT_FRONTEND_SUFFIXES: readonly string[] = ['.prod.protection.outlook.com', '.prod.outlook.com'];

/**
 * Representative consumer MX hosts used to judge an <mx-rollup-list> pattern. The first two are per-domain
 * hosts, the last two regional ones. [C/W: reference notes section 1 (S-TB, S-SISI samples)]
 */
export const MICROSOFT_CONSUMER_MX_SAMPLE_HOSTS: readonly string[] = [
  'hotmail-com.olc.protection.outlook.com',
  'outlook-com.olc.protection.outlook.com',
  'eur.olc.protection.outlook.com',
  'apc.olc.protection.outlook.com',
];

/** A representative Microsoft 365 tenant MX host (tenant name invented). */
const M365_SAMPLE_HOSTS: readonly string[] = ['contoso-com.mail.protection.outlook.com'];

/** Hosts that are not Microsoft; a pattern matching one of them is wider than Microsoft. */
const NON_MICROSOFT_SAMPLE_HOSTS: readonly string[] = [
  'gmail-smtp-in.l.google.com',
  'mta5.am0.yahoodns.net',
  'mx.example.com',
  'mx00.mail.com',
];

/** True when an MX host name belongs to the Outlook.com consumer pool. */
export function isMicrosoftConsumerMxHost(host: string): boolean {
  return normalizeDomain(host).endsWith(MICROSOFT_CONSUMER_MX_SUFFIX);
}

/** True when an MX host name belongs to a Microsoft 365 tenant. */
export function isMicrosoft365MxHost(host: string): boolean {
  const h = normalizeDomain(host);
  return MICROSOFT_M365_MX_SUFFIXES.some((s) => h.endsWith(s));
}

/**
 * Compile a PowerMTA MX host pattern (as written after `mx` in <mx-rollup-list>) to a JS RegExp.
 * Semantics we assume (PowerMTA documents the feature only by example, e.g. `mx *.google.com google.rollup`
 * which must match hosts such as aspmx.l.google.com): matching is case-insensitive; `*` matches any run of
 * characters, dots included, so `*.example.com` covers every sub-domain depth but not example.com itself;
 * `[*.]example.com` (the UG domain-pattern form) covers example.com and all its sub-domains. Quotes and a
 * trailing dot are ignored. Returns undefined for an empty pattern.
 */
export function mxPatternToRegExp(pattern: string): RegExp | undefined {
  let p = pattern.trim().toLowerCase();
  if (p.length >= 2 && p.startsWith('"') && p.endsWith('"')) p = p.slice(1, -1);
  if (p.endsWith('.')) p = p.slice(0, -1);
  if (!p) return undefined;
  let prefix = '';
  if (p.startsWith('[*.]')) {
    prefix = '(?:.*\\.)?';
    p = p.slice(4);
  }
  const body = p
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${prefix}${body}$`, 'i');
}

export interface MxPatternCoverage {
  /** how many of MICROSOFT_CONSUMER_MX_SAMPLE_HOSTS the pattern matches: all, some (e.g. one exact host) or none */
  consumer: 'all' | 'some' | 'none';
  /** the pattern also matches Microsoft 365 tenant MX hosts (business domains would join the rollup) */
  includesM365: boolean;
  /** the pattern also matches hosts that are not Microsoft at all (e.g. `*.com`, `*`) */
  tooBroad: boolean;
}

/**
 * Judge an <mx-rollup-list> `mx` pattern against Microsoft's consumer MX hosts.
 *  - `*.olc.protection.outlook.com`  → all consumer hosts, nothing else (the precise choice)
 *  - `*.protection.outlook.com`, `*.outlook.com` → all consumer hosts, but Microsoft 365 tenants too
 *  - `*.hotmail.com`, `mx*.hotmail.com` → none: Hotmail's MX hosts have not been under hotmail.com for years
 *  - `hotmail-com.olc.protection.outlook.com` → some: only that one domain's host
 *  - `*.com`, `*` → all, and far too broad
 */
export function analyzeMxPattern(pattern: string): MxPatternCoverage {
  const re = mxPatternToRegExp(pattern);
  if (!re) return { consumer: 'none', includesM365: false, tooBroad: false };
  const hits = MICROSOFT_CONSUMER_MX_SAMPLE_HOSTS.filter((h) => re.test(h)).length;
  return {
    consumer: hits === 0 ? 'none' : hits === MICROSOFT_CONSUMER_MX_SAMPLE_HOSTS.length ? 'all' : 'some',
    includesM365: M365_SAMPLE_HOSTS.some((h) => re.test(h)),
    tooBroad: NON_MICROSOFT_SAMPLE_HOSTS.some((h) => re.test(h)),
  };
}

/**
 * Does an <mx-rollup-list> `mx` pattern cover all of Microsoft's consumer MX hosts
 * (hotmail-com.olc.protection.outlook.com, eur.olc.protection.outlook.com, ...)?
 * True for `*.olc.protection.outlook.com`, `*.protection.outlook.com`, `*.outlook.com` (and over-broad
 * patterns such as `*.com`; use analyzeMxPattern to tell those apart); false for `*.hotmail.com`,
 * `*.live.com`, `*.msn.com` and single exact hosts.
 */
export function mxPatternCoversMicrosoftConsumer(pattern: string): boolean {
  return analyzeMxPattern(pattern).consumer === 'all';
}

// ------------------------------------------------------------------------------------------------
// 2. Reply codes
// ------------------------------------------------------------------------------------------------

export type MicrosoftCodeKind =
  /** Outlook.com consumer code published in Microsoft's postmaster table (S-PM-TRB) */
  | 'olc-published'
  /** Outlook.com consumer reply seen in real bounces, not in Microsoft's table */
  | 'olc-wild'
  /** Microsoft 365 / Exchange Online code (S-NDR family) */
  | 'm365';

/** Our own grouping, for rules that need to tell throttles from blocks from bad addresses. [I] */
export type MicrosoftCodeCategory =
  | 'throttle' // slow down; reputation- or volume-driven, temporary
  | 'transient' // Microsoft-side hiccup; plain retry
  | 'block' // the sending IP (or network) is refused
  | 'auth' // SPF / DKIM / DMARC / rDNS requirements not met
  | 'policy' // recipient-side or generic policy refusal
  | 'config' // a sender configuration mistake (HELO, IPv6, connectors...)
  | 'recipient' // the address is invalid or unusable
  | 'message' // the message itself is malformed or too large
  | 'expiry' // gave up after retrying
  | 'sender-side'; // only produced when Microsoft 365 is the sending system

export interface MicrosoftCode {
  /** e.g. 'RP-001', '5.7.606-649', 'S3150', '4.7.650' */
  id: string;
  /** other tokens that identify the same condition (anti-spam tags, sibling codes) */
  aliases?: string[];
  /** for range ids: first and last enhanced code, inclusive */
  range?: { from: string; to: string };
  kind: MicrosoftCodeKind;
  /** basic SMTP reply code when a source shows it */
  smtp?: '421' | '432' | '450' | '451' | '452' | '550' | '554';
  /** enhanced status code when a source shows it */
  enhanced?: string;
  title: string;
  /** what it means (Microsoft's published meaning where there is one) */
  meaning: string;
  /** what the sender should do */
  action: string;
  /** what to do in PowerMTA configuration */
  pmta: string;
  /** true for a 4xx reply (PowerMTA keeps the message and retries) */
  temporary: boolean;
  category: MicrosoftCodeCategory;
  /** suggested PowerMTA bounce category for 5xx replies, for <bounce-category-patterns> [I] */
  bounceCategory?: string;
  /** how the seed article describes it, where the seed covers it (it is sometimes wrong) */
  seedSays?: string;
  /** a realistic reply text (IP 203.0.113.10, domains example.com / contoso.com) */
  sampleReply: string;
  /** source keys */
  source: string;
  certainty: 'C' | 'W' | 'I';
}

export const MICROSOFT_CODES: readonly MicrosoftCode[] = [
  // ---------------- 1a. Outlook.com consumer codes published by Microsoft [C: S-PM-TRB] ----------------
  {
    id: 'RP-001',
    kind: 'olc-published',
    smtp: '421',
    title: 'Rate limit exceeded (IP/domain reputation)',
    meaning:
      'Outlook.com is capping how fast this IP may send because of the reputation of the IP or the sending domain. It is a temporary throttle, not a block.',
    action:
      'Send less and more slowly to Outlook.com, look at the IP in SNDS (complaints, trap hits), clean the list, and only raise volume again once the deferrals stop.',
    pmta:
      'Put the Microsoft queue in backoff: `reply /RP-001/ mode=backoff,backoff-to-normal-after=4h`, with backoff-max-smtp-out, backoff-max-msg-rate and backoff-retry-after in the Microsoft <domain> block. There is no per-pattern retry-after in PowerMTA.',
    temporary: true,
    category: 'throttle',
    seedSays:
      'Listed as "421 4.7.0 RP-001 - IP blocked, reputation policy": stop sending, check SNDS and do not retry for at least 4h. Microsoft describes a reputation-based rate limit, not a block, and publishes no enhanced code with it.',
    sampleReply:
      '421 RP-001 The mail server IP connecting to Outlook.com server has exceeded the rate limit allowed. Reason for rate limitation is related to IP/domain reputation.',
    source: 'S-PM-TRB; SEED-000',
    certainty: 'C',
  },
  {
    id: 'RP-002',
    kind: 'olc-published',
    smtp: '421',
    title: 'Per-connection rate limit exceeded (reputation)',
    meaning:
      'Too much mail was pushed through a single connection for what this IP\'s reputation allows. Microsoft ties the limit to IP/domain reputation.',
    action: 'Deliver fewer messages per connection and slow down overall while reputation recovers.',
    pmta:
      'Lower max-msg-per-connection for the Microsoft queue and back off: `reply /RP-002/ mode=backoff,backoff-to-normal-after=2h` with backoff-max-smtp-out 2.',
    temporary: true,
    category: 'throttle',
    seedSays:
      'Listed as "421 4.7.0 RP-002 - connection rate limit exceeded": lower max-conn-rate and raise retry-after to 30m (its pattern list says retry-after=2h max-smtp-out=2). Microsoft\'s table describes the rate on one connection, not the connection rate.',
    sampleReply:
      '421 RP-002 The mail server IP connecting to Outlook.com server has exceeded the rate limit allowed on this connection.',
    source: 'S-PM-TRB; SEED-000',
    certainty: 'C',
  },
  {
    id: 'RP-003',
    kind: 'olc-published',
    smtp: '421',
    title: 'Connection limit exceeded (reputation)',
    meaning:
      'The IP opened more connections than Outlook.com allows it at its current reputation. Like RP-001/002 it is reputation-driven and temporary.',
    action:
      'Open fewer simultaneous connections and open them more slowly; make sure all Microsoft domains share one queue so the limit is not multiplied per domain.',
    pmta:
      'Lower max-smtp-out and max-connect-rate for the Microsoft queue, roll all Microsoft domains into one queue, and back off: `reply /RP-003/ mode=backoff,backoff-to-normal-after=2h`.',
    temporary: true,
    category: 'throttle',
    seedSays:
      'Listed as "421 4.7.0 RP-003 - sender domain blocked": check domain reputation and DMARC. Microsoft\'s table says it is a connection limit, not a domain block.',
    sampleReply:
      '421 RP-003 The mail server IP connecting to Outlook.com server has exceeded the connection limit allowed.',
    source: 'S-PM-TRB; SEED-000',
    certainty: 'C',
  },
  {
    id: '5.7.515',
    kind: 'olc-published',
    smtp: '550',
    enhanced: '5.7.515',
    title: 'Sending domain lacks required authentication',
    meaning:
      'A domain sending more than 5,000 messages a day to Outlook.com must pass SPF and DKIM and publish DMARC (p=none at least) aligned with one of them; this one does not. Rejected since 5 May 2025.',
    action:
      'Fix SPF, DKIM signing and a DMARC record with alignment for the From domain, then resend. The recipient address is fine: do not suppress it.',
    pmta:
      'Check dkim-sign / domain-key for the From domain. `reply /5\\.7\\.515/ mode=backoff,backoff-to-normal-after=1h` limits how much mail bounces until DNS is fixed; classify it as policy-related, not bad-mailbox.',
    temporary: false,
    category: 'auth',
    bounceCategory: 'policy-related',
    sampleReply:
      '550 5.7.515 Access denied, sending domain [EXAMPLE.COM] does not meet the required authentication level.',
    source: 'S-PM-TRB; S-HVS; S-PM-POL',
    certainty: 'C',
  },
  {
    id: 'SC-001',
    kind: 'olc-published',
    smtp: '550',
    title: 'Policy rejection: content or reputation',
    meaning:
      'Outlook.com refused the mail for policy reasons: the content looks like spam or the IP/domain reputation is poor. Old Hotmail servers sent it with the "part of their network is on our block list" text.',
    action:
      'Find the cause (content, list quality, complaints, traps), fix it, then ask Outlook.com sender support for mitigation.',
    pmta:
      'Back the queue off rather than keep bouncing: `reply /SC-00[1-4]/ mode=backoff,backoff-to-normal-after=4h`. Never treat it as an invalid recipient.',
    temporary: false,
    category: 'block',
    bounceCategory: 'spam-related',
    sampleReply:
      '550 SC-001 Mail rejected by Outlook.com for policy reasons. Reasons for rejection may be related to content with spam-like characteristics or IP/domain reputation.',
    source: 'S-PM-TRB; S-WILD',
    certainty: 'C',
  },
  {
    id: 'SC-002',
    kind: 'olc-published',
    smtp: '550',
    title: 'Blocked for namespace mining',
    meaning:
      'The IP was seen probing Outlook.com addresses (checking which exist without really sending), so it is blocked.',
    action:
      'Stop any RCPT-based address verification against Outlook.com and check the server and accounts for compromise.',
    pmta: 'Back off the queue (`reply /SC-00[1-4]/ mode=backoff,...`) and remove any list-verification traffic from this IP.',
    temporary: false,
    category: 'block',
    bounceCategory: 'policy-related',
    sampleReply:
      '550 SC-002 Mail rejected by Outlook.com for policy reasons. The mail server IP connecting to Outlook.com has exhibited namespace mining behavior.',
    source: 'S-PM-TRB',
    certainty: 'C',
  },
  {
    id: 'SC-003',
    kind: 'olc-published',
    smtp: '550',
    title: 'Blocked as open proxy or relay',
    meaning: 'Outlook.com believes the sending IP is an open proxy or open relay.',
    action: 'Close the relay or proxy, make sure only authenticated sources can relay, then request mitigation.',
    pmta:
      'Back off the queue (`reply /SC-00[1-4]/ mode=backoff,...`); check that no <source> has always-allow-relaying for outside networks.',
    temporary: false,
    category: 'block',
    bounceCategory: 'policy-related',
    sampleReply:
      '550 SC-003 Mail rejected by Outlook.com for policy reasons. Your IP address appears to be an open proxy/relay.',
    source: 'S-PM-TRB',
    certainty: 'C',
  },
  {
    id: 'SC-004',
    kind: 'olc-published',
    smtp: '550',
    title: 'Blocked after user complaints',
    meaning: 'Outlook.com users complained about mail from this IP and it has been blocked; Microsoft points to JMRP.',
    action: 'Enrol the IP in JMRP, suppress everyone who complains, review consent and frequency, then request mitigation.',
    pmta: 'Back off the queue (`reply /SC-00[1-4]/ mode=backoff,...`) and feed JMRP reports into suppression.',
    temporary: false,
    category: 'block',
    bounceCategory: 'spam-related',
    sampleReply:
      '550 SC-004 Mail rejected by Outlook.com for policy reasons. A block has been placed against your IP address because we have received complaints concerning mail coming from that IP address.',
    source: 'S-PM-TRB',
    certainty: 'C',
  },
  {
    id: 'DY-001',
    kind: 'olc-published',
    smtp: '550',
    title: 'Dynamic IP not accepted',
    meaning:
      'The IP looks like dynamic / residential address space (Microsoft refers to Spamhaus\'s lists of such ranges), which Outlook.com generally refuses.',
    action: 'Send from a static IP with forward-confirmed reverse DNS that names your mail host.',
    pmta: 'Back off the queue (`reply /DY-00[12]/ mode=backoff,...`) and move Microsoft traffic to a properly registered static IP.',
    temporary: false,
    category: 'block',
    bounceCategory: 'policy-related',
    sampleReply:
      '550 DY-001 Mail rejected by Outlook.com for policy reasons. We generally do not accept email from dynamic IP\'s as they are not typically used to deliver unauthenticated SMTP email to an Internet mail server.',
    source: 'S-PM-TRB',
    certainty: 'C',
  },
  {
    id: 'DY-002',
    kind: 'olc-published',
    smtp: '550',
    title: 'Host looks compromised',
    meaning: 'Outlook.com thinks the sending server or PC is compromised or infected.',
    action: 'Investigate and clean the host, rotate credentials, then request mitigation.',
    pmta: 'Back off the queue (`reply /DY-00[12]/ mode=backoff,...`) and check for unexpected injection sources.',
    temporary: false,
    category: 'block',
    bounceCategory: 'policy-related',
    sampleReply:
      '550 DY-002 Mail rejected by Outlook.com for policy reasons. The likely cause is a compromised or virus infected server/personal computer.',
    source: 'S-PM-TRB',
    certainty: 'C',
  },
  {
    id: 'OU-001',
    kind: 'olc-published',
    smtp: '550',
    title: 'Blocked: IP listed at Spamhaus',
    meaning: 'A policy block that Microsoft links to a Spamhaus listing of the sending IP.',
    action: 'Look the IP up at Spamhaus and follow their removal process.',
    pmta: 'Back off the queue (`reply /OU-00[12]/ mode=backoff,...`) until the listing is gone.',
    temporary: false,
    category: 'block',
    bounceCategory: 'spam-related',
    sampleReply:
      '550 OU-001 Mail rejected by Outlook.com for policy reasons. For more information about this block and to request removal please go to: Spamhaus.',
    source: 'S-PM-TRB',
    certainty: 'C',
  },
  {
    id: 'OU-002',
    kind: 'olc-published',
    smtp: '550',
    title: 'Policy rejection: content or reputation',
    meaning: 'Same explanation as SC-001: spam-like content or poor IP/domain reputation.',
    action: 'As for SC-001: fix the cause, then request mitigation from Outlook.com sender support.',
    pmta: 'Back off the queue (`reply /OU-00[12]/ mode=backoff,...`).',
    temporary: false,
    category: 'block',
    bounceCategory: 'spam-related',
    sampleReply:
      '550 OU-002 Mail rejected by Outlook.com for policy reasons. Reasons for rejection may be related to content with spam-like characteristics or IP/domain reputation.',
    source: 'S-PM-TRB',
    certainty: 'C',
  },

  // ---------------- 1b. Outlook.com consumer replies seen in the wild [W] ----------------
  {
    id: 'S3150',
    aliases: ['S3140', 'AS3150', 'AS3140'],
    kind: 'olc-wild',
    smtp: '550',
    enhanced: '5.7.1',
    title: 'IP on Outlook.com block list',
    meaning:
      'Outlook.com refuses mail from this IP because it (or its network) is on Microsoft\'s internal block list. The S/AS number is an internal anti-spam rule ID that Microsoft does not document. Every attempt is refused; the recipient is not at fault.',
    action:
      'Ask for mitigation through the Outlook.com sender support form, quoting the tag and IP; register the IP in SNDS and JMRP and fix what caused the block.',
    pmta:
      '`reply /part of their network is on our block list|\\(A?S31[45]0\\)/ mode=backoff,backoff-to-normal-after=4h` slows the queue so fewer messages bounce. In a pool, taking the blocked IP out of Microsoft traffic is the alternative (disable-source-ip). Do not mark recipients invalid.',
    temporary: false,
    category: 'block',
    bounceCategory: 'spam-related',
    seedSays:
      'Listed as "550 5.7.1 IP blocked - permanent IP block": contact Microsoft sender support and use another IP. The refusal is permanent per attempt, but the block can be lifted after mitigation.',
    sampleReply:
      '550 5.7.1 Unfortunately, messages from [203.0.113.10] weren\'t sent. Please contact your Internet service provider since part of their network is on our block list (S3150). You can also refer your provider to http://mail.live.com/mail/troubleshooting.aspx#errors.',
    source: 'S-WILD; S-SISI; S-KUMO; SEED-000',
    certainty: 'W',
  },
  {
    id: '4.7.650',
    aliases: ['S775'],
    kind: 'olc-wild',
    smtp: '451',
    enhanced: '4.7.650',
    title: 'Temporarily rate limited (IP reputation)',
    meaning:
      'Outlook.com is deferring mail from this IP because of its reputation. It can last from hours to days; it is the modern form of the RP-001 situation.',
    action: 'Reduce volume and concurrency, warm the IP more gradually, and request mitigation if it persists.',
    pmta: '`reply /4\\.7\\.650/ mode=backoff,backoff-to-normal-after=4h` plus the Microsoft backoff directives.',
    temporary: true,
    category: 'throttle',
    sampleReply:
      '451 4.7.650 The mail server [203.0.113.10] has been temporarily rate limited due to IP reputation. For e-mail delivery information, see https://aka.ms/postmaster (S775)',
    source: 'S-WILD; S-SISI; S-KUMO',
    certainty: 'W',
  },
  {
    id: '4.7.651',
    aliases: ['S3114'],
    kind: 'olc-wild',
    smtp: '451',
    enhanced: '4.7.651',
    title: 'Temporarily rate limited (IP reputation)',
    meaning: 'Same situation as 4.7.650 under a different internal rule: a reputation-based deferral of this IP.',
    action: 'As for 4.7.650: slow down, warm up, request mitigation if it persists.',
    pmta: '`reply /4\\.7\\.651/ mode=backoff,backoff-to-normal-after=4h` plus the Microsoft backoff directives.',
    temporary: true,
    category: 'throttle',
    sampleReply:
      '451 4.7.651 The mail server [203.0.113.10] has been temporarily rate limited due to IP reputation. For e-mail delivery information, see https://aka.ms/postmaster (S3114)',
    source: 'S-WILD',
    certainty: 'W',
  },
  {
    id: '4.7.652',
    aliases: ['S3115'],
    kind: 'olc-wild',
    smtp: '451',
    enhanced: '4.7.652',
    title: 'Too many connections',
    meaning:
      'The IP has more simultaneous connections open to Outlook.com than it is allowed; extra connections are deferred.',
    action:
      'Lower the number of concurrent connections to Microsoft. Trying another MX does not help: all consumer MX hosts are one pool.',
    pmta:
      'Lower max-smtp-out (and backoff-max-smtp-out) for the single Microsoft queue: `reply /4\\.7\\.652|exceeded the maximum number of connections/ mode=backoff,backoff-to-normal-after=1h`. skip-mx is pointless here.',
    temporary: true,
    category: 'throttle',
    sampleReply: '451 4.7.652 The mail server [203.0.113.10] has exceeded the maximum number of connections. (S3115)',
    source: 'S-WILD; S-SISI; S-KUMO',
    certainty: 'W',
  },
  {
    id: 'msgs-per-connection',
    kind: 'olc-wild',
    title: 'Too many messages per connection',
    meaning:
      'Outlook.com ended or deferred the session because too many messages were sent on one connection. No enhanced code is known for it.',
    action: 'Send fewer messages per connection.',
    pmta:
      'Set a modest max-msg-per-connection for the Microsoft queue and back off briefly: `reply /exceeded (the )?maximum number of messages per connection/ mode=backoff,backoff-to-normal-after=1h`.',
    temporary: true,
    category: 'throttle',
    sampleReply: '451 The mail server [203.0.113.10] has exceeded maximum number of messages per connection.',
    source: 'S-KUMO',
    certainty: 'W',
  },
  {
    id: '4.7.500',
    aliases: ['AS761', 'AS843', 'S77719'],
    kind: 'olc-wild',
    smtp: '451',
    enhanced: '4.7.500',
    title: 'Server busy (new or changed traffic)',
    meaning:
      'A temporary deferral, usually because the IP\'s sending pattern is new or changed a lot; it fades over a few days as history builds. In Microsoft 365, 4.7.500-699 with "Access denied, please try again later" is a different, suspicious-activity throttle.',
    action: 'Keep retrying at the normal pace and ramp volume gradually; nothing to fix if it clears.',
    pmta:
      'Normal retry at retry-after; no backoff needed. Our list uses `reply /4\\.7\\.500 Server busy/ defer-queue`, which only waits for the next retry and leaves the queue mode alone (mode=normal would cancel an RP-001 backoff).',
    temporary: true,
    category: 'throttle',
    seedSays: 'Listed as "451 4.7.500 - server busy, temporary throttle": normal retry at the standard retry-after. This agrees with the samples.',
    sampleReply: '451 4.7.500 Server busy. Please try again later from [203.0.113.10]. (AS761)',
    source: 'S-WILD; S-SISI; S-NDR-AS; S-KUMO; SEED-000',
    certainty: 'W',
  },
  {
    id: '4.7.700',
    kind: 'olc-wild',
    smtp: '451',
    enhanced: '4.7.700',
    title: 'Filtering agent busy',
    meaning: 'A Microsoft-side filtering component was busy; nothing is wrong with the sender.',
    action: 'Retry normally.',
    pmta: 'No pattern needed; the normal retry-after handles it.',
    temporary: true,
    category: 'transient',
    sampleReply: '451 4.7.700 PFA agent busy, please try again.',
    source: 'S-SISI',
    certainty: 'W',
  },
  {
    id: 'PRX4',
    kind: 'olc-wild',
    smtp: '451',
    enhanced: '4.7.0',
    title: 'Temporary server error',
    meaning: 'A temporary fault inside Microsoft\'s front end (proxy) while handling the session.',
    action: 'Retry normally.',
    pmta: 'No pattern needed; the normal retry-after handles it.',
    temporary: true,
    category: 'transient',
    sampleReply: '451 4.7.0 Temporary server error. Please try again later. PRX4',
    source: 'S-SISI; S-KUMO',
    certainty: 'W',
  },
  {
    id: 'ATTR18',
    kind: 'olc-wild',
    smtp: '451',
    enhanced: '4.4.3',
    title: 'Temporary server error',
    meaning: 'A temporary Microsoft-side error reported with an attribution tag; not caused by the sender.',
    action: 'Retry normally.',
    pmta: 'No pattern needed; the normal retry-after handles it.',
    temporary: true,
    category: 'transient',
    sampleReply: '451 4.4.3 Temporary server error. Please try again later ATTR18',
    source: 'S-SISI; S-KUMO',
    certainty: 'W',
  },
  {
    id: '5.5.0',
    kind: 'olc-wild',
    smtp: '550',
    enhanced: '5.5.0',
    title: 'Mailbox unavailable (address not found)',
    meaning: 'For hotmail.com / outlook.com addresses this means the mailbox does not exist.',
    action: 'Remove the address from the list.',
    pmta: 'Let it bounce and suppress the recipient (bad-mailbox).',
    temporary: false,
    category: 'recipient',
    bounceCategory: 'bad-mailbox',
    sampleReply: '550 5.5.0 Requested action not taken: mailbox unavailable',
    source: 'S-NDR; S-SISI',
    certainty: 'C',
  },

  // ---------------- 1c. Microsoft 365 / Exchange Online codes [C: S-NDR unless noted] ----------------
  {
    id: '4.3.2',
    kind: 'm365',
    smtp: '432',
    enhanced: '4.3.2',
    title: 'Recipient thread limit exceeded',
    meaning: 'One recipient mailbox is receiving mail too fast; the deferral is about that mailbox only.',
    action: 'Retry later; avoid bursts to a single recipient.',
    pmta: 'Normal retry; no queue-level action.',
    temporary: true,
    category: 'throttle',
    sampleReply: '432 4.3.2 STOREDRV.Deliver; recipient thread limit exceeded',
    source: 'S-NDR',
    certainty: 'C',
  },
  {
    id: '4.4.7',
    kind: 'm365',
    smtp: '550',
    enhanced: '4.4.7',
    title: 'Message expired',
    meaning:
      'Exchange Online gave up after retrying (it retries for about a day and reports after two days). Seen when Microsoft 365 is the sending side.',
    action: 'Look at why the destination kept failing.',
    pmta: 'PowerMTA\'s own equivalent is bounce-after (default 4d12h).',
    temporary: false,
    category: 'expiry',
    bounceCategory: 'message-expired',
    sampleReply: '550 4.4.7 QUEUE.Expired; message expired',
    source: 'S-NDR; S-NDR-447; S-PMTA-UG',
    certainty: 'C',
  },
  {
    id: '4.5.3',
    kind: 'm365',
    enhanced: '4.5.3',
    title: 'Too many recipients',
    meaning: 'The message had more than 200 envelope recipients for the same domain.',
    action: 'Split the message into batches of at most 200 recipients.',
    pmta: 'Set max-rcpt-per-message 200 (or lower) for Microsoft destinations.',
    temporary: true,
    category: 'message',
    sampleReply: '452 4.5.3 Too many recipients',
    source: 'S-NDR',
    certainty: 'C',
  },
  {
    id: '4.7.26',
    kind: 'm365',
    enhanced: '4.7.26',
    title: 'IPv6 mail must pass SPF or DKIM',
    meaning: 'Mail arriving over IPv6 must pass SPF or DKIM; this message passed neither (often: not signed).',
    action: 'Sign with DKIM and cover the IPv6 source in SPF, or deliver over IPv4.',
    pmta: 'Check dkim-sign / domain-key and the IPv6 smtp-source-host of the virtual MTAs used for Microsoft.',
    temporary: true,
    category: 'auth',
    sampleReply:
      '450 4.7.26 Access denied, a message sent over IPv6 [2001:db8::10] must pass either SPF or DKIM validation, this message is not signed',
    source: 'S-NDR',
    certainty: 'C',
  },
  {
    id: '4.7.500-699',
    range: { from: '4.7.500', to: '4.7.699' },
    kind: 'm365',
    title: 'Access denied, try again later (suspicious activity)',
    meaning:
      'Microsoft 365 temporarily restricts the IP after spotting suspicious activity, typically a sudden change in its sending pattern.',
    action: 'Slow down and keep the traffic pattern steady; it usually clears within days.',
    pmta: '`reply /Access denied, please try again later/ mode=backoff,backoff-to-normal-after=1h`.',
    temporary: true,
    category: 'throttle',
    sampleReply: '451 4.7.550 Access denied, please try again later',
    source: 'S-NDR; S-NDR-AS; S-KUMO',
    certainty: 'C',
  },
  {
    id: '4.7.850-899',
    range: { from: '4.7.850', to: '4.7.899' },
    kind: 'm365',
    title: 'Access denied, try again later (suspicious IP activity)',
    meaning: 'Same kind of temporary restriction as 4.7.500-699, triggered by suspicious activity on the IP.',
    action: 'Slow down and keep the traffic pattern steady.',
    pmta: 'Covered by `reply /Access denied, please try again later/ mode=backoff,...`.',
    temporary: true,
    category: 'throttle',
    sampleReply: '451 4.7.850 Access denied, please try again later',
    source: 'S-NDR',
    certainty: 'C',
  },
  {
    id: '4.7.321-325',
    range: { from: '4.7.321', to: '4.7.325' },
    aliases: ['4.4.8', '4.7.5'],
    kind: 'm365',
    title: 'DANE / DNSSEC / MTA-STS delivery failure',
    meaning: 'Errors Exchange Online reports when it is the sender and the destination fails DANE, DNSSEC or MTA-STS checks.',
    action: 'Only relevant when Microsoft 365 sends to you: fix your TLSA / DNSSEC / MTA-STS setup.',
    pmta: 'Nothing to do in an outbound PowerMTA configuration.',
    temporary: true,
    category: 'sender-side',
    sampleReply: '450 4.7.321 starttls-not-supported: Destination mail server must support TLS to receive mail.',
    source: 'S-NDR',
    certainty: 'C',
  },
  {
    id: '5.7.501',
    kind: 'm365',
    enhanced: '5.7.501',
    title: 'Spam abuse detected (sending account)',
    meaning: 'A Microsoft 365 sending account was banned for spam. It comes from the Microsoft 365 sending side.',
    action: 'Only relevant to Microsoft 365 tenants sending mail.',
    pmta: 'Nothing to do in PowerMTA.',
    temporary: false,
    category: 'sender-side',
    sampleReply: '550 5.7.501 Access denied, spam abuse detected',
    source: 'S-NDR',
    certainty: 'C',
  },
  {
    id: '5.7.502',
    aliases: ['5.7.503'],
    kind: 'm365',
    enhanced: '5.7.502',
    title: 'Banned sender (sending account)',
    meaning: 'A Microsoft 365 sending account has been banned. Microsoft 365 sending side.',
    action: 'Only relevant to Microsoft 365 tenants sending mail.',
    pmta: 'Nothing to do in PowerMTA.',
    temporary: false,
    category: 'sender-side',
    sampleReply: '550 5.7.502 Access denied, banned sender',
    source: 'S-NDR',
    certainty: 'C',
  },
  {
    id: '5.7.506',
    kind: 'm365',
    enhanced: '5.7.506',
    title: 'Bad HELO',
    meaning: 'The client greeted with a name that belongs to the receiving side instead of its own host name.',
    action: 'Make EHLO announce your own fully qualified host name.',
    pmta: 'Set host-name / smtp-source-host so each virtual MTA announces its own name.',
    temporary: false,
    category: 'config',
    bounceCategory: 'bad-configuration',
    sampleReply: '550 5.7.506 Access Denied, Bad HELO',
    source: 'S-NDR',
    certainty: 'C',
  },
  {
    id: '5.7.507',
    kind: 'm365',
    enhanced: '5.7.507',
    title: 'Rejected by recipient organisation',
    meaning: 'The recipient organisation has chosen to block the sending IP.',
    action: 'Contact the recipient organisation.',
    pmta: 'Let it bounce; do not suppress as an invalid address.',
    temporary: false,
    category: 'policy',
    bounceCategory: 'policy-related',
    sampleReply: '550 5.7.507 Access denied, rejected by recipient',
    source: 'S-NDR',
    certainty: 'C',
  },
  {
    id: '5.7.508',
    kind: 'm365',
    enhanced: '5.7.508',
    title: 'IPv6 range over its limits',
    meaning: 'The sending IPv6 range sent too much mail too quickly.',
    action: 'Slow down, or deliver over IPv4.',
    pmta: 'Lower the rate for Microsoft or use IPv4 source addresses for it.',
    temporary: false,
    category: 'throttle',
    bounceCategory: 'policy-related',
    sampleReply: '550 5.7.508 Access denied, [2001:db8::10] has exceeded permitted limits within /64 range',
    source: 'S-NDR',
    certainty: 'C',
  },
  {
    id: '5.7.509',
    kind: 'm365',
    enhanced: '5.7.509',
    title: 'DMARC failure with p=reject',
    meaning: 'The From domain fails DMARC and its DMARC policy is reject, so the message is refused.',
    action: 'Fix SPF/DKIM so at least one passes aligned with the From domain.',
    pmta:
      'Check dkim-sign / domain-key for the From domain. `reply /5\\.7\\.509|does not pass DMARC/ mode=backoff,backoff-to-normal-after=1h` limits bounces until fixed; classify as policy-related.',
    temporary: false,
    category: 'auth',
    bounceCategory: 'policy-related',
    seedSays:
      'Listed as "550 5.7.1 DMARC - DMARC policy failure": debug SPF/DKIM alignment and the From domain. Microsoft\'s documented code for this rejection is 5.7.509, not 5.7.1.',
    sampleReply:
      '550 5.7.509 Access denied, sending domain [EXAMPLE.COM] does not pass DMARC verification and has a DMARC policy of reject.',
    source: 'S-NDR; S-SISI; SEED-000',
    certainty: 'C',
  },
  {
    id: '5.7.510',
    kind: 'm365',
    smtp: '550',
    enhanced: '5.7.510',
    title: 'Recipient domain refuses IPv6',
    meaning: 'The recipient domain does not take mail over IPv6; the message came over IPv6.',
    action: 'Deliver to that domain over IPv4.',
    pmta:
      'Use IPv4 smtp-source-host addresses for virtual MTAs that deliver to Microsoft. A `reply /5\\.7\\.510|does not accept email over IPv6/ mode=backoff` rule only limits bounces meanwhile.',
    temporary: false,
    category: 'config',
    bounceCategory: 'bad-configuration',
    seedSays:
      'Only appears in the seed\'s pattern list, as "550 5.7.510" with an invented "bounce type=administrative" action and no explanation. Microsoft documents it as the IPv6 refusal.',
    sampleReply: '550 5.7.510 Access denied, [contoso.com] does not accept email over IPv6',
    source: 'S-NDR; SEED-000',
    certainty: 'C',
  },
  {
    id: '5.7.511',
    kind: 'm365',
    enhanced: '5.7.511',
    title: 'Banned sending IP (Microsoft 365)',
    meaning: 'The sending IP is banned by Microsoft 365. Removal is requested by mail with the full NDR and the IP.',
    action: 'Email delist@microsoft.com with the NDR and the IP, after fixing the cause.',
    pmta: '`reply /5\\.7\\.511/ mode=backoff,backoff-to-normal-after=4h`; do not suppress recipients.',
    temporary: false,
    category: 'block',
    bounceCategory: 'spam-related',
    sampleReply: '550 5.7.511 Access denied, banned sender[203.0.113.10]',
    source: 'S-NDR; S-SISI',
    certainty: 'C',
  },
  {
    id: '5.7.512',
    kind: 'm365',
    enhanced: '5.7.512',
    title: 'Missing or invalid From header',
    meaning: 'The message has no valid From: header as RFC 5322 section 3.6.2 requires.',
    action: 'Fix the message generator so every message has one valid From: header.',
    pmta: 'Nothing in the domain block; fix the injected messages.',
    temporary: false,
    category: 'message',
    bounceCategory: 'content-related',
    sampleReply: '550 5.7.512 Access denied, message must be RFC 5322 section 3.6.2 compliant',
    source: 'S-NDR',
    certainty: 'C',
  },
  {
    id: '5.7.513',
    aliases: ['AS16012607'],
    kind: 'm365',
    enhanced: '5.7.513',
    title: 'Blocked by recipient tenant\'s own block list',
    meaning: 'The recipient organisation put the sending IP on its own block list.',
    action: 'Contact the recipient organisation.',
    pmta: 'Let it bounce; not an invalid address.',
    temporary: false,
    category: 'policy',
    bounceCategory: 'policy-related',
    sampleReply:
      '550 5.7.513 Service unavailable, Client host [203.0.113.10] blocked by contoso.com using Customer Block list (AS16012607)',
    source: 'S-NDR',
    certainty: 'C',
  },
  {
    id: '5.7.606-649',
    range: { from: '5.7.606', to: '5.7.649' },
    aliases: ['AS16012609'],
    kind: 'm365',
    smtp: '550',
    title: 'Banned sending IP (blocked-senders list)',
    meaning:
      'The sending IP is on Microsoft\'s blocked-senders list. Removal is self-service through the delist portal at sender.office.com.',
    action: 'Fix the cause, then request removal at https://sender.office.com/.',
    pmta:
      '`reply /5\\.7\\.6(0[6-9]|[1-4][0-9])|banned sending IP/ mode=backoff,backoff-to-normal-after=4h`. bounce-queue would bounce every queued Microsoft message at once: avoid it. Classify as a block, not bad-mailbox.',
    temporary: false,
    category: 'block',
    bounceCategory: 'spam-related',
    seedSays:
      'Listed as "550 5.7.606 - access denied, banned IP": delist at sendersupport.olc.protection.outlook.com, and its pattern list bounces it with an invented "bounce type=administrative". Microsoft sends these delistings to https://sender.office.com/ instead.',
    sampleReply:
      '550 5.7.606 Access denied, banned sending IP [203.0.113.10]. To request removal from this list please visit https://sender.office.com/ and follow the directions. (AS16012609)',
    source: 'S-NDR; S-WILD; SEED-000',
    certainty: 'C',
  },
  {
    id: '5.7.703',
    kind: 'm365',
    enhanced: '5.7.703',
    title: 'Blocked by sender tenant\'s allow/block list',
    meaning: 'The sending Microsoft 365 organisation blocked the message with its Tenant Allow/Block List.',
    action: 'Only relevant to Microsoft 365 tenants sending mail.',
    pmta: 'Nothing to do in PowerMTA.',
    temporary: false,
    category: 'sender-side',
    sampleReply: '550 5.7.703 Your message can\'t be delivered because messages to contoso.com are blocked by your organization using Tenant Allow Block List.',
    source: 'S-NDR',
    certainty: 'C',
  },
  {
    id: '5.7.705',
    kind: 'm365',
    enhanced: '5.7.705',
    title: 'Tenant exceeded threshold',
    meaning: 'A Microsoft 365 tenant sent too much spam or bulk mail and its outbound mail is blocked.',
    action: 'Only relevant to Microsoft 365 tenants sending mail.',
    pmta: 'Nothing to do in PowerMTA.',
    temporary: false,
    category: 'sender-side',
    sampleReply: '550 5.7.705 Access denied, tenant has exceeded threshold',
    source: 'S-NDR-700',
    certainty: 'C',
  },
  {
    id: '5.7.708',
    kind: 'm365',
    enhanced: '5.7.708',
    title: 'Traffic not accepted from this IP (tenant)',
    meaning: 'A Microsoft 365 tenant (often a new or trial one) tried to send from a low-reputation IP range.',
    action: 'Only relevant to Microsoft 365 tenants sending mail.',
    pmta: 'Nothing to do in PowerMTA.',
    temporary: false,
    category: 'sender-side',
    sampleReply: '550 5.7.708 Access denied, traffic not accepted from this IP',
    source: 'S-NDR-700',
    certainty: 'C',
  },
  {
    id: '5.7.750',
    kind: 'm365',
    enhanced: '5.7.750',
    title: 'Sending from unregistered domains',
    meaning: 'A Microsoft 365 tenant sent too much mail from domains it has not added and verified.',
    action: 'Only relevant to Microsoft 365 tenants sending mail.',
    pmta: 'Nothing to do in PowerMTA.',
    temporary: false,
    category: 'sender-side',
    sampleReply: '550 5.7.750 Service unavailable. Client blocked from sending from unregistered domains',
    source: 'S-NDR-700',
    certainty: 'C',
  },
  {
    id: '5.7.800',
    kind: 'm365',
    enhanced: '5.7.800',
    title: 'Banned sender domain',
    meaning: 'The EHLO domain, the envelope sender domain or the From domain is banned for spam.',
    action: 'Contact Microsoft support after fixing the cause; consider which of the three domains is affected.',
    pmta: 'Check the host-name and envelope sender domains used for Microsoft; let it bounce meanwhile.',
    temporary: false,
    category: 'block',
    bounceCategory: 'spam-related',
    sampleReply: '550 5.7.800 Access denied, banned sender',
    source: 'S-NDR',
    certainty: 'C',
  },
  {
    id: '5.7.23',
    kind: 'm365',
    enhanced: '5.7.23',
    title: 'SPF violation',
    meaning: 'The message was refused because the sending IP is not allowed by the domain\'s SPF record.',
    action: 'Add the sending IPs to SPF (within the 10-lookup limit).',
    pmta: 'Nothing in the domain block; fix DNS. Classify as policy-related.',
    temporary: false,
    category: 'auth',
    bounceCategory: 'policy-related',
    sampleReply: '550 5.7.23 The message was rejected because of Sender Policy Framework violation',
    source: 'S-NDR; S-SISI',
    certainty: 'C',
  },
  {
    id: '5.7.25',
    kind: 'm365',
    enhanced: '5.7.25',
    title: 'IPv6 sender without reverse DNS',
    meaning: 'The sending IPv6 address has no PTR record.',
    action: 'Publish reverse DNS for the IPv6 address, or deliver over IPv4.',
    pmta: 'Check the IPv6 smtp-source-host addresses used for Microsoft.',
    temporary: false,
    category: 'auth',
    bounceCategory: 'bad-configuration',
    sampleReply: '550 5.7.25 Access denied, the sending IPv6 address [2001:db8::10] must have a reverse DNS record',
    source: 'S-NDR',
    certainty: 'C',
  },
  {
    id: '5.7.57',
    kind: 'm365',
    enhanced: '5.7.57',
    title: 'Unauthenticated submission',
    meaning: 'An application tried to send through smtp.office365.com without logging in. This is mail submission, not MX delivery.',
    action: 'Authenticate to the submission service, or deliver to the MX instead.',
    pmta: 'Check smtp-hosts / auth-username for routes that use Microsoft\'s submission host.',
    temporary: false,
    category: 'config',
    bounceCategory: 'bad-configuration',
    sampleReply: '530 5.7.57 Client was not authenticated to send anonymous mail during MAIL FROM',
    source: 'S-NDR',
    certainty: 'C',
  },
  {
    id: '5.7.64',
    kind: 'm365',
    enhanced: '5.7.64',
    title: 'Tenant attribution: relay denied',
    meaning: 'An inbound connector (usually on-premises to Exchange Online) is misconfigured, so the relay is refused.',
    action: 'Fix the connector configuration in the Microsoft 365 tenant.',
    pmta: 'Nothing in a normal outbound configuration.',
    temporary: false,
    category: 'config',
    bounceCategory: 'relaying-issues',
    sampleReply: '550 5.7.64 TenantAttribution; Relay Access Denied',
    source: 'S-NDR',
    certainty: 'C',
  },
  {
    id: '5.7.1',
    kind: 'm365',
    enhanced: '5.7.1',
    title: 'Not authorised (generic)',
    meaning:
      'A generic refusal: delivery not authorised, relaying refused or sender not authenticated. Outlook.com also uses 5.7.1 for its block-list rejections; the tag (S3140/S3150) tells them apart.',
    action: 'Read the text after the code: a block-list text means an IP block (see S3150); otherwise check recipient-side restrictions.',
    pmta: 'Match the text, not the bare 5.7.1, in pattern lists; 5.7.1 alone is too generic to act on.',
    temporary: false,
    category: 'policy',
    bounceCategory: 'policy-related',
    seedSays: 'The seed uses "550 5.7.1" both for an IP block and for DMARC failure; only the reply text distinguishes them.',
    sampleReply: '550 5.7.1 Delivery not authorized',
    source: 'S-NDR; S-WILD; SEED-000',
    certainty: 'C',
  },
  {
    id: '5.7.12',
    aliases: ['5.7.124', '5.7.13', '5.7.133', '5.7.134', '5.7.135', '5.7.136'],
    kind: 'm365',
    enhanced: '5.7.12',
    title: 'Recipient accepts only authorised senders',
    meaning: 'The recipient (group, mailbox or organisation) only accepts mail from internal or explicitly allowed senders.',
    action: 'Ask the recipient to allow your sender; otherwise stop mailing it.',
    pmta: 'Let it bounce; treat as policy-related rather than an invalid address.',
    temporary: false,
    category: 'policy',
    bounceCategory: 'policy-related',
    sampleReply: '550 5.7.12 Sender was not authenticated by organization',
    source: 'S-NDR',
    certainty: 'C',
  },
  {
    id: '5.0.350',
    aliases: ['AS345'],
    kind: 'm365',
    enhanced: '5.0.350',
    title: 'Generic refusal from recipient organisation',
    meaning: 'A catch-all code the recipient organisation uses, for example a policy violation flagged by its filters.',
    action: 'Read the text; contact the recipient organisation if needed.',
    pmta: 'Let it bounce.',
    temporary: false,
    category: 'policy',
    bounceCategory: 'policy-related',
    sampleReply: '550 5.0.350 Requested action not taken: policy violation detected (AS345)',
    source: 'S-NDR',
    certainty: 'C',
  },
  {
    id: '5.2.121',
    aliases: ['5.2.122'],
    kind: 'm365',
    enhanced: '5.2.121',
    title: 'Recipient hourly receive limit',
    meaning:
      'The recipient has received too many messages this hour, from this sender (5.2.121) or from everyone (5.2.122). It is a rate problem even though the code is 5xx.',
    action: 'Send fewer messages to the same recipient per hour and resend later.',
    pmta: 'Do not suppress the recipient; avoid bursts to one mailbox.',
    temporary: false,
    category: 'throttle',
    bounceCategory: 'quota-issues',
    sampleReply: '550 5.2.121 Recipient\'s per hour message receive limit from specific sender exceeded.',
    source: 'S-NDR; S-SISI',
    certainty: 'C',
  },
  {
    id: '5.1.1',
    kind: 'm365',
    enhanced: '5.1.1',
    title: 'Bad destination mailbox',
    meaning: 'The recipient address does not exist.',
    action: 'Remove the address.',
    pmta: 'Let it bounce and suppress (bad-mailbox).',
    temporary: false,
    category: 'recipient',
    bounceCategory: 'bad-mailbox',
    sampleReply: '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found',
    source: 'S-NDR; S-SISI',
    certainty: 'C',
  },
  {
    id: '5.1.10',
    kind: 'm365',
    enhanced: '5.1.10',
    title: 'Recipient not found',
    meaning: 'The recipient\'s address could not be found in the destination organisation.',
    action: 'Remove the address.',
    pmta: 'Let it bounce and suppress (bad-mailbox).',
    temporary: false,
    category: 'recipient',
    bounceCategory: 'bad-mailbox',
    sampleReply: '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup',
    source: 'S-NDR; S-SISI',
    certainty: 'C',
  },
  {
    id: '5.4.1',
    kind: 'm365',
    enhanced: '5.4.1',
    title: 'Recipient rejected at the edge, or relay denied',
    meaning:
      'With "Recipient address rejected: Access denied" the address does not exist in the tenant (Directory-Based Edge Blocking). With "Relay Access Denied" the server does not accept mail for that domain at all, a DNS/MX problem.',
    action: 'Remove the address in the first case; check the domain\'s MX in the second.',
    pmta: 'Suppress only for the "Recipient address rejected" text.',
    temporary: false,
    category: 'recipient',
    bounceCategory: 'bad-mailbox',
    sampleReply: '550 5.4.1 Recipient address rejected: Access denied.',
    source: 'S-NDR; S-DBEB',
    certainty: 'C',
  },
  {
    id: '5.7.504',
    kind: 'm365',
    enhanced: '5.7.504',
    title: 'Recipient address rejected',
    meaning: 'The recipient is invalid.',
    action: 'Remove the address.',
    pmta: 'Let it bounce and suppress (bad-mailbox).',
    temporary: false,
    category: 'recipient',
    bounceCategory: 'bad-mailbox',
    sampleReply: '550 5.7.504 Recipient address rejected: Access denied',
    source: 'S-NDR; S-SISI',
    certainty: 'C',
  },
  {
    id: '5.7.505',
    kind: 'm365',
    enhanced: '5.7.505',
    title: 'Banned recipient',
    meaning: 'The recipient address is banned or invalid.',
    action: 'Remove the address.',
    pmta: 'Let it bounce and suppress.',
    temporary: false,
    category: 'recipient',
    bounceCategory: 'inactive-mailbox',
    sampleReply: '550 5.7.505 Access denied, banned recipient',
    source: 'S-NDR; S-SISI',
    certainty: 'C',
  },
  {
    id: '5.2.2',
    kind: 'm365',
    enhanced: '5.2.2',
    title: 'Mailbox full, or sender submission quota',
    meaning:
      'On Exchange servers it means the recipient mailbox is full. In Exchange Online "Submission quota exceeded" is instead a quota of the sending account.',
    action: 'Treat as a soft failure only when the text says the mailbox is full.',
    pmta: 'Classify as quota-issues when the text says mailbox full.',
    temporary: false,
    category: 'recipient',
    bounceCategory: 'quota-issues',
    sampleReply: '552 5.2.2 mailbox full',
    source: 'S-NDR; S-SISI',
    certainty: 'C',
  },
  {
    id: '5.4.300',
    kind: 'm365',
    enhanced: '5.4.300',
    title: 'Message expired',
    meaning: 'Exchange Online stopped retrying the message.',
    action: 'Look at why the destination kept failing.',
    pmta: 'PowerMTA\'s equivalent is bounce-after.',
    temporary: false,
    category: 'expiry',
    bounceCategory: 'message-expired',
    sampleReply: '550 5.4.300 Message expired',
    source: 'S-NDR',
    certainty: 'C',
  },
  {
    id: '5.4.6',
    aliases: ['5.4.14'],
    kind: 'm365',
    enhanced: '5.4.6',
    title: 'Routing loop',
    meaning: 'The message went round in a loop between mail systems.',
    action: 'Fix the routing (MX, connectors, forwarding).',
    pmta: 'Check smtp-hosts / routes for the affected domain.',
    temporary: false,
    category: 'config',
    bounceCategory: 'routing-errors',
    sampleReply: '554 5.4.6 Routing loop detected',
    source: 'S-NDR',
    certainty: 'C',
  },
  {
    id: '5.6.11',
    kind: 'm365',
    enhanced: '5.6.11',
    title: 'Invalid characters (bare line feeds)',
    meaning: 'The message contains bare LF line endings or other characters Exchange Online refuses.',
    action: 'Make the injecting application produce CRLF line endings.',
    pmta: 'Fix the injected messages; nothing in the domain block.',
    temporary: false,
    category: 'message',
    bounceCategory: 'content-related',
    sampleReply: '550 5.6.11 SMTPSEND.BareLinefeedsAreIllegal; message contains bare linefeeds, which cannot be sent via DATA',
    source: 'S-NDR',
    certainty: 'C',
  },
  {
    id: '5.1.90',
    kind: 'm365',
    enhanced: '5.1.90',
    title: 'Sender recipient limit reached',
    meaning: 'A Microsoft 365 user hit its daily sending limit (about 10,000 recipients a day). Microsoft 365 sending side.',
    action: 'Only relevant to Microsoft 365 users sending mail.',
    pmta: 'Nothing to do in PowerMTA.',
    temporary: false,
    category: 'sender-side',
    sampleReply: '550 5.1.90 Your message can\'t be sent because you\'ve reached your daily limit for message recipients',
    source: 'S-NDR',
    certainty: 'C',
  },
];

// ---- code index ----

interface RangeEntry {
  cls: string;
  subject: string;
  from: number;
  to: number;
  code: MicrosoftCode;
}

const CODE_INDEX: ReadonlyMap<string, MicrosoftCode> = (() => {
  const m = new Map<string, MicrosoftCode>();
  for (const c of MICROSOFT_CODES) {
    m.set(c.id.toUpperCase(), c);
    for (const a of c.aliases ?? []) if (!m.has(a.toUpperCase())) m.set(a.toUpperCase(), c);
  }
  return m;
})();

const RANGES: readonly RangeEntry[] = MICROSOFT_CODES.flatMap((code): RangeEntry[] => {
  if (!code.range) return [];
  const [c1, s1, d1] = code.range.from.split('.');
  const d2 = code.range.to.split('.')[2];
  return [{ cls: c1, subject: s1, from: Number(d1), to: Number(d2), code }];
});

/**
 * Look a code up by id or alias ('RP-001', 'rp-001', 'S3140', '5.7.606-649'), or by any enhanced code
 * that falls inside a range entry ('5.7.610' → the 5.7.606-649 entry). Exact ids win over ranges, so
 * '4.7.500' is the Outlook.com "server busy" entry, not the Microsoft 365 4.7.500-699 range.
 */
export function codeById(id: string): MicrosoftCode | undefined {
  const key = id.trim().toUpperCase();
  const exact = CODE_INDEX.get(key);
  if (exact) return exact;
  const m = /^([245])\.(\d{1,3})\.(\d{1,3})$/.exec(key);
  if (!m) return undefined;
  const detail = Number(m[3]);
  return RANGES.find((r) => r.cls === m[1] && r.subject === m[2] && detail >= r.from && detail <= r.to)?.code;
}

// ---- finding code mentions in text ----

export interface MicrosoftCodeMention {
  /** UTF-16 offset of the first character of the mention in the searched text */
  start: number;
  /** UTF-16 offset just after the mention */
  end: number;
  /** the first code the mention denotes (see findMicrosoftCodes) */
  code: MicrosoftCode;
  /** every distinct code the mention may denote, in order; covers[0] === code */
  covers: MicrosoftCode[];
}

/** Cap on how many concrete strings one regex fragment may expand to before we give up on it. */
const MAX_EXPANSION = 2000;

interface Expansion {
  alts: string[];
  end: number;
}

function isDigitChar(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function isWordChar(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z0-9_]/.test(c);
}

const ALL_DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** `[...]` made only of digits, digit ranges and `\d`. */
function parseDigitClass(s: string, i: number): Expansion | undefined {
  let j = i + 1;
  if (s[j] === '^') return undefined;
  const set = new Set<string>();
  while (j < s.length && s[j] !== ']') {
    if (s[j] === '\\' && s[j + 1] === 'd') {
      for (const d of ALL_DIGITS) set.add(d);
      j += 2;
    } else if (isDigitChar(s[j])) {
      if (s[j + 1] === '-' && isDigitChar(s[j + 2])) {
        const lo = s.charCodeAt(j);
        const hi = s.charCodeAt(j + 2);
        if (lo > hi) return undefined;
        for (let c = lo; c <= hi; c++) set.add(String.fromCharCode(c));
        j += 3;
      } else {
        set.add(s[j]);
        j++;
      }
    } else {
      return undefined;
    }
  }
  if (s[j] !== ']' || set.size === 0) return undefined;
  return { alts: [...set].sort(), end: j + 1 };
}

/** `(a|b)` or `(?:a|b)` whose alternatives are digit sequences. */
function parseDigitGroup(s: string, i: number): Expansion | undefined {
  let j = i + 1;
  if (s.startsWith('?:', j)) j += 2;
  const out: string[] = [];
  for (;;) {
    const seq = parseDigitSeq(s, j, 1, 12);
    if (!seq) return undefined;
    out.push(...seq.alts);
    if (out.length > MAX_EXPANSION) return undefined;
    j = seq.end;
    if (s[j] === '|') {
      j++;
      continue;
    }
    if (s[j] === ')') return { alts: out, end: j + 1 };
    return undefined;
  }
}

/** One digit atom: a digit, `\d`, a digit class or a digit group. */
function parseDigitAtom(s: string, i: number): Expansion | undefined {
  const c = s[i];
  if (isDigitChar(c)) return { alts: [c], end: i + 1 };
  if (c === '\\' && s[i + 1] === 'd') return { alts: ALL_DIGITS, end: i + 2 };
  if (c === '[') return parseDigitClass(s, i);
  if (c === '(') return parseDigitGroup(s, i);
  return undefined;
}

/** A bounded quantifier after an atom: none, `?`, `{n}`, `{m,n}`. Unbounded ones (`*`, `+`, `{m,}`) → undefined. */
function parseQuantifier(s: string, i: number): { min: number; max: number; end: number } | undefined {
  if (s[i] === '?') return { min: 0, max: 1, end: i + 1 };
  if (s[i] === '*' || s[i] === '+') return undefined;
  if (s[i] === '{') {
    const m = /^\{(\d+)(?:(,)(\d*))?\}/.exec(s.slice(i, i + 12));
    if (!m) return { min: 1, max: 1, end: i };
    const min = Number(m[1]);
    if (m[2] && m[3] === '') return undefined;
    const max = m[3] ? Number(m[3]) : min;
    if (max < min || max > 8) return undefined;
    return { min, max, end: i + m[0].length };
  }
  return { min: 1, max: 1, end: i };
}

/**
 * A run of digit atoms starting at i, expanded to the concrete strings it denotes, keeping only strings of
 * minLen..maxLen characters. Stops before the first non-atom, or once every string is maxLen long.
 */
function parseDigitSeq(s: string, i: number, minLen: number, maxLen: number): Expansion | undefined {
  let alts = [''];
  let j = i;
  let consumed = false;
  while (!alts.every((a) => a.length >= maxLen)) {
    const atom = parseDigitAtom(s, j);
    if (!atom) break;
    const q = parseQuantifier(s, atom.end);
    if (!q) return undefined;
    const next = new Set<string>();
    for (const a of alts) {
      let reps = [a];
      for (let n = 0; n <= q.max; n++) {
        if (n >= q.min) for (const r of reps) next.add(r);
        if (n === q.max) break;
        const grown: string[] = [];
        for (const r of reps) for (const x of atom.alts) grown.push(r + x);
        reps = grown;
        if (reps.length + next.size > MAX_EXPANSION) return undefined;
      }
      if (next.size > MAX_EXPANSION) return undefined;
    }
    alts = [...next];
    j = q.end;
    consumed = true;
  }
  if (!consumed) return undefined;
  alts = alts.filter((a) => a.length >= minLen && a.length <= maxLen);
  return alts.length ? { alts, end: j } : undefined;
}

/** A literal or regex-escaped dot: `.`, `\.`, `[.]`. Returns the index after it. */
function parseDot(s: string, i: number): number | undefined {
  if (s[i] === '\\' && s[i + 1] === '.') return i + 2;
  if (s[i] === '.') return i + 1;
  if (s.startsWith('[.]', i)) return i + 3;
  return undefined;
}

/** Enhanced status code `x.y.z` at i (x in 2/4/5, y and z 1-3 digits), in text or regex spelling. */
function scanEnhanced(s: string, i: number): Expansion | undefined {
  const prev = s[i - 1];
  if (isWordChar(prev) || prev === '.' || prev === '\\') return undefined;
  const x = parseDigitSeq(s, i, 1, 1);
  if (!x) return undefined;
  const d1 = parseDot(s, x.end);
  if (d1 === undefined) return undefined;
  const y = parseDigitSeq(s, d1, 1, 3);
  if (!y) return undefined;
  const d2 = parseDot(s, y.end);
  if (d2 === undefined) return undefined;
  const z = parseDigitSeq(s, d2, 1, 3);
  if (!z) return undefined;
  const end = z.end;
  if (isWordChar(s[end])) return undefined;
  // a fourth dotted part means an IP address or version number, not a status code
  const d3 = parseDot(s, end);
  if (d3 !== undefined && parseDigitAtom(s, d3)) return undefined;
  const alts: string[] = [];
  for (const a of x.alts) {
    if (a !== '2' && a !== '4' && a !== '5') continue;
    for (const b of y.alts) for (const c of z.alts) {
      alts.push(`${a}.${b}.${c}`);
      if (alts.length > MAX_EXPANSION) return undefined;
    }
  }
  return alts.length ? { alts, end } : undefined;
}

const DASH_TAG_PREFIXES = new Set(['RP', 'SC', 'DY', 'OU']);

/** Outlook.com tags `RP-001`, `SC-00[1-4]`, `RP\-00(1|2)`... */
function scanDashTag(s: string, i: number): Expansion | undefined {
  if (isWordChar(s[i - 1])) return undefined;
  const prefix = s.slice(i, i + 2).toUpperCase();
  if (!DASH_TAG_PREFIXES.has(prefix)) return undefined;
  let j = i + 2;
  if (s[j] === '\\' && s[j + 1] === '-') j += 2;
  else if (s[j] === '-') j += 1;
  else return undefined;
  const seq = parseDigitSeq(s, j, 3, 3);
  if (!seq || isWordChar(s[seq.end])) return undefined;
  return { alts: seq.alts.map((d) => `${prefix}-${d}`), end: seq.end };
}

/** Anti-spam rule tags `S3150`, `AS3140`, `S31[45]0`... (not `\S`, the regex class). */
function scanAntiSpamTag(s: string, i: number): Expansion | undefined {
  const prev = s[i - 1];
  if (isWordChar(prev) || prev === '\\') return undefined;
  let j: number;
  let prefix: string;
  if ((s[i] === 'A' || s[i] === 'a') && (s[i + 1] === 'S' || s[i + 1] === 's')) {
    prefix = 'AS';
    j = i + 2;
  } else if (s[i] === 'S' || s[i] === 's') {
    prefix = 'S';
    j = i + 1;
  } else {
    return undefined;
  }
  const seq = parseDigitSeq(s, j, 2, 8);
  if (!seq || isWordChar(s[seq.end])) return undefined;
  return { alts: seq.alts.map((d) => prefix + d), end: seq.end };
}

const LITERAL_TAGS = ['PRX4', 'ATTR18'];

function scanLiteralTag(s: string, i: number): Expansion | undefined {
  if (isWordChar(s[i - 1])) return undefined;
  for (const t of LITERAL_TAGS) {
    if (s.slice(i, i + t.length).toUpperCase() === t && !isWordChar(s[i + t.length])) {
      return { alts: [t], end: i + t.length };
    }
  }
  return undefined;
}

const SCANNERS: ReadonlyArray<(s: string, i: number) => Expansion | undefined> = [
  scanDashTag,
  scanAntiSpamTag,
  scanLiteralTag,
  scanEnhanced,
];

/** Characters a mention can start with; other positions are skipped quickly. */
const START_CHARS = /[0-9\[(\\RSDOAPrsdoap]/;

/**
 * Find Microsoft code mentions in one line of text: plain replies (`421 RP-001`, `"550 5.7.606"`, `(S3150)`)
 * and regex bodies of pattern lists (`reply /RP-00[12]/`, `/4\.7\.650/`, `5\.7\.6[0-4][0-9]`,
 * `5\.7\.6(0[6-9]|[1-4][0-9])`, `\(A?S31[45]0\)`). Offsets are UTF-16 indices into `text`, end exclusive.
 *
 * A regex fragment that stands for several codes (a character class, `\d`, a small group or a bounded
 * quantifier) is reported ONCE for its whole span: `code` is the first known code in expansion order
 * (`RP-00[123]` → RP-001) and `covers` lists every distinct known code it denotes (RP-001, RP-002, RP-003).
 * Fragments with unbounded quantifiers (`\d+`) or that expand to too many strings are ignored, and so is
 * alternation across whole codes inside one group (`(RP-001|RP-002)` is found as two separate mentions).
 * Tags are matched case-insensitively, since PowerMTA patterns are case-insensitive.
 */
export function findMicrosoftCodes(text: string): MicrosoftCodeMention[] {
  const out: MicrosoftCodeMention[] = [];
  let i = 0;
  while (i < text.length) {
    if (!START_CHARS.test(text[i])) {
      i++;
      continue;
    }
    let found: MicrosoftCodeMention | undefined;
    for (const scan of SCANNERS) {
      const exp = scan(text, i);
      if (!exp) continue;
      const covers: MicrosoftCode[] = [];
      for (const token of exp.alts) {
        const code = codeById(token);
        if (code && !covers.includes(code)) covers.push(code);
      }
      if (covers.length) {
        found = { start: i, end: exp.end, code: covers[0], covers };
        break;
      }
    }
    if (found) {
      out.push(found);
      i = found.end;
    } else {
      i++;
    }
  }
  return out;
}

// ------------------------------------------------------------------------------------------------
// 3. Volume tiers (seed recommendations) and connection budgets
// ------------------------------------------------------------------------------------------------

export interface MicrosoftTier {
  id: 'under-100k' | '100k-500k' | '500k-plus';
  label: string;
  /** messages per day to Microsoft; max exclusive, absent for the top tier */
  dailyVolume: { min: number; max?: number };
  /** per-IP simultaneous connections (max-smtp-out) */
  maxSmtpOut: 4 | 5 | 6;
  /** connection rate as the seed writes it (its `max-conn-rate`, which is not a PowerMTA name) */
  maxConnectRate: '0.5/s' | '1/s';
  /** the same rate in valid PowerMTA syntax for max-connect-rate (integer count per period) */
  maxConnectRatePmta: string;
  maxMsgRate: '150/h' | '200/h' | '250/h';
  retryAfter: '20m' | '15m';
  /** number of IPs the seed assumes for the tier */
  poolSize?: [number, number];
}

/**
 * The seed's connection tuning by daily volume to Microsoft. [SEED-000]
 * These are the seed's recommendations, NOT Microsoft limits: Microsoft publishes no per-IP rate, connection
 * or per-connection figures for Outlook.com; its only published number is the 500 simultaneous connections
 * below (S-PM-POL), and its limits are dynamic and reputation-based. Treat the table as a project heuristic.
 * The seed writes `0.5/s`; PowerMTA rates take an integer count, so the same rate is written `30/m` (or `1/2s`).
 */
export const MICROSOFT_TIERS: readonly MicrosoftTier[] = [
  {
    id: 'under-100k',
    label: 'Under 100,000 messages/day to Microsoft',
    dailyVolume: { min: 0, max: 100_000 },
    maxSmtpOut: 4,
    maxConnectRate: '0.5/s',
    maxConnectRatePmta: '30/m',
    maxMsgRate: '150/h',
    retryAfter: '20m',
  },
  {
    id: '100k-500k',
    label: '100,000 to 500,000 messages/day to Microsoft',
    dailyVolume: { min: 100_000, max: 500_000 },
    maxSmtpOut: 5,
    maxConnectRate: '1/s',
    maxConnectRatePmta: '1/s',
    maxMsgRate: '200/h',
    retryAfter: '20m',
  },
  {
    id: '500k-plus',
    label: '500,000+ messages/day to Microsoft (pool of 6-10 IPs)',
    dailyVolume: { min: 500_000 },
    maxSmtpOut: 6,
    maxConnectRate: '1/s',
    maxConnectRatePmta: '1/s',
    maxMsgRate: '250/h',
    retryAfter: '15m',
    poolSize: [6, 10],
  },
];

/** The seed tier for a daily volume to Microsoft. */
export function microsoftTierForVolume(messagesPerDay: number): MicrosoftTier {
  return (
    MICROSOFT_TIERS.find(
      (t) => messagesPerDay >= t.dailyVolume.min && (t.dailyVolume.max === undefined || messagesPerDay < t.dailyVolume.max),
    ) ?? MICROSOFT_TIERS[0]
  );
}

/**
 * The seed's total connection budget to Microsoft at its largest tier: 10 IPs x 6 connections = 60
 * simultaneous connections (pool size x max-smtp-out). [SEED-000; a heuristic, not a Microsoft figure]
 */
export const MICROSOFT_CONNECTION_BUDGET = 60;

/**
 * Outlook.com policy: a sender must not open more than 500 simultaneous connections to its inbound servers
 * without prior arrangement. The only connection number Microsoft publishes. [C: S-PM-POL]
 */
export const MICROSOFT_POLICY_MAX_CONNECTIONS = 500;

// ------------------------------------------------------------------------------------------------
// 4. Recommended smtp-pattern-list and backoff directives (real PowerMTA syntax)
// ------------------------------------------------------------------------------------------------

export interface MicrosoftPatternEntry {
  /** the main code this rule handles (a MICROSOFT_CODES id) */
  codeId: string;
  /** every code id the rule is meant to handle, codeId first */
  covers: string[];
  /** PCRE body without the slashes; no unescaped '/' and no '#' (PowerMTA wants \x23) */
  regex: string;
  /** comma-separated PowerMTA actions */
  actions: string;
  /** short note in our words: what the seed (or, failing that, we) advise */
  comment: string;
}

/** Name of the recommended list. */
export const MICROSOFT_PATTERN_LIST_NAME = 'microsoft-errors';

/**
 * The recommended rules, most specific first (PowerMTA applies the first rule that matches).
 *
 * Action choices [I, from S-PMTA-UG semantics and the seed's advice]:
 *  - 4xx throttles (RP-00x, 4.7.650-652, "Access denied, please try again later") → mode=backoff with a
 *    backoff-to-normal-after sized to the seed's advice (RP-001 4h, RP-002 2h) or to S-KUMO's suspension
 *    times (1h for connection / per-connection limits). The seed's per-pattern "retry-after=" and
 *    "max-smtp-out=" do not exist in PowerMTA; they become MICROSOFT_BACKOFF_DIRECTIVES in the domain block.
 *  - 5xx IP blocks (S3140/S3150, SC/OU/DY, 5.7.606-649, 5.7.511) → mode=backoff,backoff-to-normal-after=4h:
 *    the 5xx already bounces the recipient; backoff only slows the queue so that fewer messages bounce while
 *    the block lasts, and the queue retries at full speed every 4h. bounce-queue is NOT used: it would
 *    bounce every queued Microsoft message at once, on a block that mitigation can lift.
 *  - 5xx authentication rejections (5.7.515, 5.7.509) and 5.7.510 → mode=backoff with 1h: same damage
 *    limiting, shorter because the fix is DNS/config on our side and takes effect quickly.
 *  - 4.7.500 "Server busy" → defer-queue: the seed wants a normal retry at retry-after. PowerMTA needs at
 *    least one action per rule; mode=normal would cancel a running RP-001 backoff, while defer-queue just
 *    waits for the next retry and leaves the mode alone.
 */
export const MICROSOFT_PATTERN_ENTRIES: readonly MicrosoftPatternEntry[] = [
  {
    codeId: 'RP-001',
    covers: ['RP-001'],
    regex: 'RP-001',
    actions: 'mode=backoff,backoff-to-normal-after=4h',
    comment: 'reputation rate limit; seed: stop, check SNDS, stay slowed for at least 4h',
  },
  {
    codeId: 'RP-002',
    covers: ['RP-002'],
    regex: 'RP-002',
    actions: 'mode=backoff,backoff-to-normal-after=2h',
    comment: 'too much on one connection; seed: fewer connections, back off 2h',
  },
  {
    codeId: 'RP-003',
    covers: ['RP-003'],
    regex: 'RP-003',
    actions: 'mode=backoff,backoff-to-normal-after=2h',
    comment: 'connection limit; fewer connections, back off 2h',
  },
  {
    codeId: '4.7.650',
    covers: ['4.7.650'],
    regex: '4\\.7\\.650',
    actions: 'mode=backoff,backoff-to-normal-after=4h',
    comment: 'rate limited due to IP reputation (S775); handled like RP-001',
  },
  {
    codeId: '4.7.651',
    covers: ['4.7.651'],
    regex: '4\\.7\\.651',
    actions: 'mode=backoff,backoff-to-normal-after=4h',
    comment: 'rate limited due to IP reputation (S3114); handled like RP-001',
  },
  {
    codeId: '4.7.652',
    covers: ['4.7.652'],
    regex: '4\\.7\\.652|exceeded the maximum number of connections',
    actions: 'mode=backoff,backoff-to-normal-after=1h',
    comment: 'too many simultaneous connections (S3115); fewer connections for 1h',
  },
  {
    codeId: 'msgs-per-connection',
    covers: ['msgs-per-connection'],
    regex: 'exceeded (the )?maximum number of messages per connection',
    actions: 'mode=backoff,backoff-to-normal-after=1h',
    comment: 'too many messages on one connection; lower max-msg-per-connection',
  },
  {
    codeId: '4.7.500',
    covers: ['4.7.500'],
    regex: '4\\.7\\.500 Server busy',
    actions: 'defer-queue',
    comment: 'server busy; seed: plain retry at retry-after, no backoff',
  },
  {
    codeId: '4.7.500-699',
    covers: ['4.7.500-699', '4.7.850-899'],
    regex: 'Access denied, please try again later',
    actions: 'mode=backoff,backoff-to-normal-after=1h',
    comment: 'Microsoft 365 suspicious-activity throttle; slow down for 1h',
  },
  {
    codeId: 'S3150',
    covers: ['S3150'],
    regex: 'part of their network is on our block list|\\(A?S31[45]0\\)',
    actions: 'mode=backoff,backoff-to-normal-after=4h',
    comment: 'IP on the Outlook.com block list (5.7.1); seed: ask sender support, use another IP',
  },
  {
    codeId: 'SC-001',
    covers: ['SC-001', 'SC-002', 'SC-003', 'SC-004'],
    regex: 'SC-00[1-4]',
    actions: 'mode=backoff,backoff-to-normal-after=4h',
    comment: 'policy blocks (reputation, mining, open relay, complaints); fix, then request mitigation',
  },
  {
    codeId: 'OU-001',
    covers: ['OU-001', 'OU-002'],
    regex: 'OU-00[12]',
    actions: 'mode=backoff,backoff-to-normal-after=4h',
    comment: 'policy blocks (Spamhaus listing, reputation)',
  },
  {
    codeId: 'DY-001',
    covers: ['DY-001', 'DY-002'],
    regex: 'DY-00[12]',
    actions: 'mode=backoff,backoff-to-normal-after=4h',
    comment: 'dynamic or compromised-looking IP',
  },
  {
    codeId: '5.7.606-649',
    covers: ['5.7.606-649'],
    regex: '5\\.7\\.6(0[6-9]|[1-4][0-9])|banned sending IP',
    actions: 'mode=backoff,backoff-to-normal-after=4h',
    comment: 'banned sending IP; seed: request delisting (the portal is sender.office.com)',
  },
  {
    codeId: '5.7.511',
    covers: ['5.7.511'],
    regex: '5\\.7\\.511',
    actions: 'mode=backoff,backoff-to-normal-after=4h',
    comment: 'banned sending IP (Microsoft 365); delist by mail',
  },
  {
    codeId: '5.7.515',
    covers: ['5.7.515'],
    regex: '5\\.7\\.515|required authentication level',
    actions: 'mode=backoff,backoff-to-normal-after=1h',
    comment: 'bulk sender without SPF+DKIM+DMARC; fix DNS, do not suppress recipients',
  },
  {
    codeId: '5.7.509',
    covers: ['5.7.509'],
    regex: '5\\.7\\.509|does not pass DMARC',
    actions: 'mode=backoff,backoff-to-normal-after=1h',
    comment: 'DMARC failure with p=reject; seed: debug SPF/DKIM alignment',
  },
  {
    codeId: '5.7.510',
    covers: ['5.7.510'],
    regex: '5\\.7\\.510|does not accept email over IPv6',
    actions: 'mode=backoff,backoff-to-normal-after=1h',
    comment: 'IPv6 not accepted; deliver to Microsoft over IPv4',
  },
];

export interface BackoffDirective {
  name: string;
  value: string;
  comment: string;
  source: string;
}

/**
 * Directives for the Microsoft <domain> block that carry out the seed's per-code advice, since PowerMTA has no
 * per-pattern retry or connection settings. The rules above decide WHEN the queue backs off and for how long;
 * these decide HOW it behaves meanwhile.
 *
 *  - backoff-max-smtp-out 2: the seed's "max-smtp-out=2" for RP-002. [SEED-000]
 *  - backoff-retry-after 30m,2h,4h: the seed asks for a 30m retry (RP-002, its table), 2h (RP-002, its pattern
 *    list) and 4h (RP-001). One list per queue can only escalate: a short hiccup costs 30 minutes, a throttle
 *    that persists moves to 2h and then to 4h between attempts (the last value repeats). [SEED-000; S-PMTA-UG
 *    for the list form]
 *  - backoff-max-msg-rate 60/h: about one message a minute while throttled, KumoMTA's default reaction to
 *    Microsoft reputation throttling; the seed names no backoff rate. [S-KUMO; I]
 *  - backoff-to-normal-after-delivery is deliberately NOT set: a single accepted message would end the 4h
 *    slow period the seed asks for after RP-001.
 */
export const MICROSOFT_BACKOFF_DIRECTIVES: readonly BackoffDirective[] = [
  {
    name: 'backoff-max-smtp-out',
    value: '2',
    comment: 'seed: fewer connections while throttled (RP-002)',
    source: 'SEED-000',
  },
  {
    name: 'backoff-retry-after',
    value: '30m,2h,4h',
    comment: 'seed: 30m, then 2h (RP-002), then 4h (RP-001) while throttled',
    source: 'SEED-000; S-PMTA-UG',
  },
  {
    name: 'backoff-max-msg-rate',
    value: '60/h',
    comment: 'about one message a minute while throttled',
    source: 'S-KUMO',
  },
];

/** One rule as two lines: a comment naming the codes, then the `reply` line. No trailing line break. */
export function renderPatternEntry(entry: MicrosoftPatternEntry, indent: string, eol = '\n'): string {
  return `${indent}# ${entry.covers.join('/')}: ${entry.comment}${eol}${indent}reply /${entry.regex}/ ${entry.actions}`;
}

/**
 * The whole `<smtp-pattern-list microsoft-errors>` block. `indent` prefixes each rule line, `eol` joins lines;
 * there is no line break after the closing tag.
 */
export function renderMicrosoftPatternList(
  indent: string,
  eol: string,
  entries: readonly MicrosoftPatternEntry[] = MICROSOFT_PATTERN_ENTRIES,
): string {
  const lines = [`<smtp-pattern-list ${MICROSOFT_PATTERN_LIST_NAME}>`];
  for (const e of entries) lines.push(renderPatternEntry(e, indent, eol));
  lines.push('</smtp-pattern-list>');
  return lines.join(eol);
}

/** The backoff directives as lines with trailing comments. No trailing line break. */
export function renderMicrosoftBackoffDirectives(indent: string, eol: string): string {
  return MICROSOFT_BACKOFF_DIRECTIVES.map((d) => `${indent}${d.name} ${d.value}   # ${d.comment}`).join(eol);
}

/**
 * Compiled pattern bodies (a list is checked against every code on every analysis; none of these has
 * the g or y flag, so `test` keeps no state and one object serves every call). `null`: does not compile.
 */
const compiled = new Memo<string, RegExp | null>(1000);

/** Compile a PowerMTA pattern body the way PowerMTA reads it (case-insensitive unless `(?-i)`). */
function compilePowerMtaRegex(body: string): RegExp | undefined {
  let re = compiled.get(body);
  if (re === undefined) compiled.set(body, (re = compileOnce(body) ?? null));
  return re ?? undefined;
}

function compileOnce(body: string): RegExp | undefined {
  let src = body;
  let flags = 'i';
  if (src.startsWith('(?i)')) src = src.slice(4);
  else if (src.startsWith('(?-i)')) {
    src = src.slice(5);
    flags = '';
  }
  try {
    return new RegExp(src, flags);
  } catch {
    return undefined;
  }
}

/**
 * Given the regex bodies of an existing list's `reply` rules, does any of them match the sample reply of
 * this code? JS RegExp stands in for PCRE; a body JS cannot compile counts as not matching. Note that a rule
 * requiring text Microsoft does not send (e.g. the seed's "421 4.7.0 RP-001": Microsoft's published reply has
 * no 4.7.0) correctly counts as not covering. Unknown code ids → false.
 */
export function patternListCoversCode(regexes: readonly string[], codeId: string): boolean {
  const code = codeById(codeId);
  if (!code) return false;
  return regexes.some((body) => codesMatchedBy(body).has(code));
}

/** The codes whose sample reply a regex body matches, found once per body (lists are checked on every analysis). */
const matched = new Memo<string, ReadonlySet<MicrosoftCode>>(1000);

function codesMatchedBy(body: string): ReadonlySet<MicrosoftCode> {
  let set = matched.get(body);
  if (set === undefined) {
    const re = compilePowerMtaRegex(body);
    set = new Set(re ? MICROSOFT_CODES.filter((c) => re.test(c.sampleReply)) : []);
    matched.set(body, set);
  }
  return set;
}

/** The recommended entries whose codes none of the given regex bodies cover (for "add missing rules"). */
export function missingPatternEntries(regexes: readonly string[]): MicrosoftPatternEntry[] {
  return MICROSOFT_PATTERN_ENTRIES.filter((e) => !e.covers.every((id) => patternListCoversCode(regexes, id)));
}
