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
 *   S-NDR-700 Microsoft Learn, 5.7.700-5.7.749 / 5.7.750 articles and the older 5.7.7xx article
 *   S-NDR-447 Microsoft Learn, 550 4.4.7 article (its versions differ: 24 hours or two days)
 *   S-NDR-510 Microsoft Learn, 550 5.1.0 article
 *   S-NDR-518 Microsoft Learn, 5.1.8 article
 *   S-FWD     Microsoft Learn, configuring and controlling external email forwarding (5.7.520)
 *   S-DBEB    Microsoft Learn, Directory-Based Edge Blocking
 *   S-SISI    Sisimai bounce classifier, Microsoft rules and their real bounce samples
 *   S-TB      Thunderbird ISPDB autoconfig (hotmail.com.xml, office365.com.xml)
 *   S-KUMO    KumoMTA shipped traffic-shaping rules for Outlook / Office 365
 *   S-PMTA-UG PowerMTA User's Guide (pattern-list actions, backoff directives, defaults)
 *   S-WILD    real bounce samples published on forums, pastebins, blogs
 *   GUIDE     a widely copied PowerMTA guide for Microsoft traffic: its advice (volume tiers, the budget of 60
 *             connections, reactions per code), which is common advice and not a Microsoft source; not its syntax
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
  'hotmail.com',
  'live.com',
  'msn.com',
  'outlook.com',
  'windowslive.com',
  // outlook.*
  'outlook.at',
  'outlook.be',
  'outlook.cl',
  'outlook.cz',
  'outlook.de',
  'outlook.dk',
  'outlook.es',
  'outlook.fr',
  'outlook.hu',
  'outlook.ie',
  'outlook.in',
  'outlook.it',
  'outlook.jp',
  'outlook.kr',
  'outlook.lv',
  'outlook.my',
  'outlook.ph',
  'outlook.pt',
  'outlook.sa',
  'outlook.sg',
  'outlook.sk',
  'outlook.co.id',
  'outlook.co.il',
  'outlook.co.th',
  'outlook.com.ar',
  'outlook.com.au',
  'outlook.com.br',
  'outlook.com.gr',
  'outlook.com.tr',
  'outlook.com.vn',
  // hotmail.*
  'hotmail.be',
  'hotmail.ca',
  'hotmail.cl',
  'hotmail.cz',
  'hotmail.de',
  'hotmail.dk',
  'hotmail.es',
  'hotmail.fi',
  'hotmail.fr',
  'hotmail.gr',
  'hotmail.hu',
  'hotmail.it',
  'hotmail.lt',
  'hotmail.lv',
  'hotmail.my',
  'hotmail.nl',
  'hotmail.no',
  'hotmail.ph',
  'hotmail.rs',
  'hotmail.se',
  'hotmail.sg',
  'hotmail.sk',
  'hotmail.co.id',
  'hotmail.co.il',
  'hotmail.co.in',
  'hotmail.co.jp',
  'hotmail.co.kr',
  'hotmail.co.th',
  'hotmail.co.uk',
  'hotmail.co.za',
  'hotmail.com.ar',
  'hotmail.com.au',
  'hotmail.com.br',
  'hotmail.com.hk',
  'hotmail.com.tr',
  'hotmail.com.tw',
  'hotmail.com.vn',
  // live.*
  'live.at',
  'live.be',
  'live.ca',
  'live.cl',
  'live.cn',
  'live.de',
  'live.dk',
  'live.fi',
  'live.fr',
  'live.hk',
  'live.ie',
  'live.in',
  'live.it',
  'live.jp',
  'live.nl',
  'live.no',
  'live.ru',
  'live.se',
  'live.co.jp',
  'live.co.kr',
  'live.co.uk',
  'live.co.za',
  'live.com.ar',
  'live.com.au',
  'live.com.mx',
  'live.com.my',
  'live.com.ph',
  'live.com.pt',
  'live.com.sg',
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
  ['hotmail.ch'],
  ['hotmail.co.nz'],
  ['live.co.in'],
  ['live.com.co'],
  ['live.com.pe'],
  ['live.com.pk'],
  ['live.com.ve'],
  ['live.ma'],
  ['live.ph'],
  ['livemail.com.br'],
  ['outlook.co.nz'],
  ['outlook.com.pe'],
  ['messengeruser.com'],
  ['passport.com'],
  ['passport.net'],
  ['windowslive.es'],
  ['webtv.net'],
  ['msn.cn', 'doubtful: only in one public PowerMTA macro'],
  ['msn.net', 'doubtful: only in one public PowerMTA macro'],
  ['hotmail.co', 'doubtful: only in one public PowerMTA macro'],
];

/** All known Microsoft consumer (Outlook.com) domains, certain ones first. [S-TB; W for 'probable'] */
export const MICROSOFT_CONSUMER_DOMAINS: readonly MicrosoftDomain[] = [
  ...CERTAIN_DOMAINS.map((domain): MicrosoftDomain => ({ domain, certainty: 'certain' })),
  ...PROBABLE_DOMAINS.map(([domain, note]): MicrosoftDomain =>
    note ? { domain, certainty: 'probable', note } : { domain, certainty: 'probable' },
  ),
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
 * The domains the guide rolls up into one Microsoft queue: outlook.com plus its nine variants.
 * [GUIDE] All ten are in the certain list.
 */
export const GUIDE_ROLLUP_DOMAINS: readonly string[] = [
  'outlook.com',
  'hotmail.com',
  'hotmail.co.uk',
  'hotmail.de',
  'hotmail.fr',
  'live.com',
  'live.co.uk',
  'live.de',
  'msn.com',
  'windowslive.com',
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
 * Representative consumer MX hosts used to judge an <mx-rollup-list> pattern. The first two are per-domain
 * hosts, the last two regional ones. [C/W: reference notes section 1 (S-TB, S-SISI samples)]
 */
const MICROSOFT_CONSUMER_MX_SAMPLE_HOSTS: readonly string[] = [
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

/**
 * Compile a PowerMTA MX host pattern (as written after `mx` in <mx-rollup-list>) to a JS RegExp.
 * Semantics we assume (PowerMTA documents the feature only by example, e.g. `mx *.google.com google.rollup`
 * which must match hosts such as aspmx.l.google.com): matching is case-insensitive; `*` matches any run of
 * characters, dots included, so `*.example.com` covers every sub-domain depth but not example.com itself;
 * `[*.]example.com` (the UG domain-pattern form) covers example.com and all its sub-domains. Quotes and a
 * trailing dot are ignored. Returns undefined for an empty pattern.
 */
function mxPatternToRegExp(pattern: string): RegExp | undefined {
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

/**
 * Where Microsoft documents a code:
 *  - 'postmaster-table': Outlook.com's postmaster troubleshooting page (its SMTP error table and FAQ) [S-PM-TRB];
 *  - 'microsoft-learn': Microsoft Learn, the Exchange Online NDR reference or one of its articles [S-NDR family];
 *  - 'real-bounces-only': in no Microsoft table or article; known from real bounces and from bounce
 *    classifiers (the meaning is then ours or a third party's, never Microsoft's word).
 */
type MicrosoftDocumentation = 'postmaster-table' | 'microsoft-learn' | 'real-bounces-only';

/**
 * The Microsoft system that sends a reply. Tell them apart by the MX host a message was delivered to (or the
 * host named in the bounce):
 *  - 'outlook.com': Outlook.com's consumer servers, MX hosts `*.olc.protection.outlook.com` (hotmail.com,
 *    outlook.com, live.com, msn.com and their country domains);
 *  - 'microsoft-365': Microsoft 365 / Exchange Online Protection, the MX hosts of business domains hosted by
 *    Microsoft (`<tenant>.mail.protection.outlook.com`, `*.mx.microsoft`), and Exchange Online itself where it is
 *    the sending system (the reports it sends its own users);
 *  - 'either': both systems send it.
 */
export type MicrosoftSystem = 'outlook.com' | 'microsoft-365' | 'either';

/** The systems in words (hover, "Explain SMTP reply", reports). */
export const MICROSOFT_SYSTEM_WORDS: Readonly<Record<MicrosoftSystem, string>> = {
  'outlook.com':
    "Outlook.com's consumer mail servers (MX hosts `*.olc.protection.outlook.com`: hotmail.com, outlook.com, live.com, msn.com and their country domains)",
  'microsoft-365':
    'Microsoft 365 / Exchange Online (business domains hosted by Microsoft, MX hosts `*.mail.protection.outlook.com` or `*.mx.microsoft`; or Exchange Online as the sending system)',
  either:
    "either system: Outlook.com's consumer mail servers (`*.olc.protection.outlook.com`) or Microsoft 365 / Exchange Online (`*.mail.protection.outlook.com`)",
};

/**
 * How the block or listing behind a reply is lifted, and by whom:
 *  - 'outlook-sender-support': a mitigation request through Outlook.com's sender support form, linked from the
 *    postmaster site's Support section; real bounces carry its link [W: S-WILD];
 *  - 'office-delist-portal': Microsoft 365's self-service delist portal, https://sender.office.com/ [C: S-NDR];
 *  - 'delist-mail': a mail to delist@microsoft.com with the full NDR and the IP [C: S-NDR];
 *  - 'microsoft-support': a case with Microsoft support; no self-service path exists [C: S-NDR, S-NDR-700];
 *  - 'tenant-admin': the admin of the sending Microsoft 365 organisation lifts it in its own settings;
 *  - 'spamhaus': the block follows a Spamhaus listing, removed through Spamhaus [C: S-PM-TRB];
 *  - 'recipient-organisation': the recipient organisation's own block or restriction; only it can lift it;
 *  - 'none': nothing is listed; fix the cause (a throttle, an authentication or configuration problem, a bad
 *    address).
 */
export type MicrosoftRemovalPath =
  | 'outlook-sender-support'
  | 'office-delist-portal'
  | 'delist-mail'
  | 'microsoft-support'
  | 'tenant-admin'
  | 'spamhaus'
  | 'recipient-organisation'
  | 'none';

/** The removal paths in words (hover, "Explain SMTP reply", reports). */
export const MICROSOFT_REMOVAL_WORDS: Readonly<Record<MicrosoftRemovalPath, string>> = {
  'outlook-sender-support': "Outlook.com's sender support form",
  'office-delist-portal': "Microsoft 365's delist portal",
  'delist-mail': 'a mail to Microsoft',
  'microsoft-support': 'Microsoft support',
  'tenant-admin': "the sending Microsoft 365 organisation's admin",
  spamhaus: 'Spamhaus',
  'recipient-organisation': 'the recipient organisation',
  none: 'nothing to delist: fix the cause',
};

/**
 * Outlook.com's sender support form, by the link real block-list bounces carry. [W: S-WILD] (The postmaster
 * troubleshooting page, https://sendersupport.olc.protection.outlook.com/pm/troubleshooting.aspx, explains the
 * codes; it is not the form.)
 */
export const OUTLOOK_SENDER_SUPPORT_FORM = 'http://go.microsoft.com/fwlink/?LinkID=614866';
/** Microsoft 365's self-service delist portal for 5.7.606-649. [C: S-NDR; W: bounce samples] */
export const OFFICE_DELIST_PORTAL = 'https://sender.office.com/';
/** The address for 5.7.511 delisting requests. [C: S-NDR] */
export const MICROSOFT_DELIST_ADDRESS = 'delist@microsoft.com';
/** Where Outlook.com's table sends OU-001 removals. [C: S-PM-TRB] */
export const SPAMHAUS_SITE = 'https://www.spamhaus.org';

/** The source keys of the entries below, in words (hover, "Explain SMTP reply", reports). */
export const MICROSOFT_SOURCE_NAMES: Readonly<Record<string, string>> = {
  'S-PM-TRB': 'Outlook.com Postmaster troubleshooting page',
  'S-PM-POL': 'Outlook.com Postmaster policies page',
  'S-PM-SVC': 'Outlook.com Postmaster services page',
  'S-HVS': "Microsoft's 2025 announcement on high-volume senders",
  'S-NDR': 'Microsoft Learn, Exchange Online NDR reference',
  'S-NDR-AS': 'Microsoft Learn, 4.7.500-699 article',
  'S-NDR-700': 'Microsoft Learn, 5.7.700-750 articles',
  'S-NDR-447': 'Microsoft Learn, 4.4.7 article',
  'S-NDR-510': 'Microsoft Learn, 5.1.0 article',
  'S-NDR-518': 'Microsoft Learn, 5.1.8 article',
  'S-FWD': 'Microsoft Learn, external email forwarding article',
  'S-DBEB': 'Microsoft Learn, Directory-Based Edge Blocking',
  'S-SISI': 'Sisimai bounce classifier',
  'S-TB': 'Thunderbird ISPDB',
  'S-KUMO': 'KumoMTA shaping rules',
  'S-PMTA-UG': "PowerMTA User's Guide",
  'S-WILD': 'real bounce samples published online',
  GUIDE: 'a widely copied PowerMTA guide for Microsoft traffic (common advice, not a Microsoft source)',
};

/** How the block or listing behind a reply is lifted. */
interface MicrosoftRemoval {
  /** the kind of path (see MicrosoftRemovalPath) */
  path: MicrosoftRemovalPath;
  /** the page, portal or address to use, when there is one (a URL or an e-mail address) */
  where?: string;
  /** what to do, in our words, one or two sentences */
  steps: string;
}

/** The removal of the blocks Outlook.com lifts on request once the cause is fixed (SC-001, OU-002, the policy text without a code). */
const FIX_THEN_SENDER_SUPPORT: MicrosoftRemoval = {
  path: 'outlook-sender-support',
  where: OUTLOOK_SENDER_SUPPORT_FORM,
  steps: 'Fix the cause first, then ask for mitigation through the sender support form, with the reply and the IP.',
};

/** Our own grouping, for rules that need to tell throttles from blocks from bad addresses. [I] */
type MicrosoftCodeCategory =
  | 'throttle' // slow down; reputation- or volume-driven, temporary
  | 'transient' // Microsoft-side hiccup; plain retry
  | 'block' // the sending IP (or network, or domain) is refused
  | 'auth' // SPF / DKIM / DMARC / rDNS requirements not met
  | 'policy' // recipient-side or generic policy refusal
  | 'config' // a sender configuration mistake (HELO, IPv6, connectors...)
  | 'recipient' // the address is invalid or unusable
  | 'message' // the message itself is malformed or too large
  | 'expiry' // gave up after retrying
  | 'sender-side'; // only produced when Microsoft 365 is the sending system

export interface MicrosoftCode {
  /** e.g. 'RP-001', '5.7.606-649', 'S3150', '4.7.650'; a short name when the reply has no code ('sender-id') */
  id: string;
  /** how the reply is named when its id is not a code, e.g. '550 … Sender ID validation failure' */
  label?: string;
  /** other tokens that identify the same condition (anti-spam tags, sibling codes) */
  aliases?: string[];
  /** for range ids: first and last enhanced code, inclusive */
  range?: { from: string; to: string };
  /** where Microsoft documents it, if anywhere */
  documented: MicrosoftDocumentation;
  /** the Microsoft system that sends the reply */
  system: MicrosoftSystem;
  /** basic SMTP reply code when a source shows it */
  smtp?: '421' | '432' | '450' | '451' | '452' | '550' | '554';
  /** enhanced status code when a source shows it */
  enhanced?: string;
  title: string;
  /** what it means (Microsoft's published meaning where there is one; our reading is said to be ours) */
  meaning: string;
  /** what the sender should do */
  action: string;
  /** what to do in PowerMTA configuration */
  pmta: string;
  /** how the block or listing behind it is lifted ('none' when nothing is listed) */
  removal: MicrosoftRemoval;
  /** true for a 4xx reply (PowerMTA keeps the message and retries) */
  temporary: boolean;
  category: MicrosoftCodeCategory;
  /** suggested PowerMTA bounce category for 5xx replies, for <bounce-category-patterns> [I] */
  bounceCategory?: string;
  /** how the guide (GUIDE) describes it, where the guide covers it (it is sometimes wrong) */
  guideSays?: string;
  /**
   * What the reply is about when it is not the sending IP: one recipient's mailbox (a per-recipient
   * limit such as 4.3.2) or the sending domain (a banned domain, 5.7.800). Such a reply does not make
   * the IP blocked or throttled, whatever its category.
   */
  about?: 'recipient' | 'domain';
  /**
   * Words (a PowerMTA regex body, matched case-insensitively) a reply with this entry's enhanced code must
   * carry for the entry to explain it: the code alone also comes with other meanings (4.3.2 is "recipient
   * thread limit" here, and a generic "system not accepting messages" elsewhere).
   */
  requires?: string;
  /**
   * For a reply with no code of its own that no recommended rule matches: the words that tell it (a
   * PowerMTA regex body, matched case-insensitively), which the delivery report classifies it by.
   */
  words?: string;
  /** a realistic reply text (IP 203.0.113.10, domains example.com / contoso.com) */
  sampleReply: string;
  /** source keys: every fact of the entry (meaning, system, removal) comes from one of them */
  source: string;
  certainty: 'C' | 'W' | 'I';
}

export const MICROSOFT_CODES: readonly MicrosoftCode[] = [
  // ---------------- 1a. Outlook.com consumer codes published by Microsoft [C: S-PM-TRB] ----------------
  {
    id: 'RP-001',
    documented: 'postmaster-table',
    system: 'outlook.com',
    smtp: '421',
    title: 'Rate limit exceeded (IP/domain reputation)',
    meaning:
      'Outlook.com is capping how fast this IP may send because of the reputation of the IP or the sending domain. It is a temporary throttle, not a block.',
    action:
      'Send less and more slowly to Outlook.com, look at the IP in SNDS (complaints, trap hits), clean the list, and only raise volume again once the deferrals stop.',
    pmta: 'Put the Microsoft queue in backoff: `reply /RP-001/ mode=backoff,backoff-to-normal-after=4h`, with backoff-max-smtp-out, backoff-max-msg-rate and backoff-retry-after in the Microsoft <domain> block. There is no per-pattern retry-after in PowerMTA.',
    removal: {
      path: 'none',
      steps:
        "Nothing is listed: it is a rate limit. The deferrals ease as the reputation of the IP and domain recovers; if they go on after the cause is fixed, ask for mitigation through Outlook.com's sender support form.",
    },
    temporary: true,
    category: 'throttle',
    guideSays:
      'Listed as "421 4.7.0 RP-001 - IP blocked, reputation policy": stop sending, check SNDS and do not retry for at least 4h. Microsoft describes a reputation-based rate limit, not a block, and publishes no enhanced code with it.',
    sampleReply:
      '421 RP-001 The mail server IP connecting to Outlook.com server has exceeded the rate limit allowed. Reason for rate limitation is related to IP/domain reputation.',
    source: 'S-PM-TRB; GUIDE',
    certainty: 'C',
  },
  {
    id: 'RP-002',
    documented: 'postmaster-table',
    system: 'outlook.com',
    smtp: '421',
    title: 'Per-connection rate limit exceeded (reputation)',
    meaning:
      "Too much mail was pushed through a single connection for what this IP's reputation allows. Microsoft ties the limit to IP/domain reputation.",
    action: 'Deliver fewer messages per connection and slow down overall while reputation recovers.',
    pmta: 'Lower max-msg-per-connection for the Microsoft queue and back off: `reply /RP-002/ mode=backoff,backoff-to-normal-after=2h` with backoff-max-smtp-out 2.',
    removal: {
      path: 'none',
      steps: 'Nothing is listed: it is a rate limit on one connection, which eases as reputation recovers.',
    },
    temporary: true,
    category: 'throttle',
    guideSays:
      'Listed as "421 4.7.0 RP-002 - connection rate limit exceeded": lower max-conn-rate and raise retry-after to 30m (its pattern list says retry-after=2h max-smtp-out=2). Microsoft\'s table describes the rate on one connection, not the connection rate.',
    sampleReply:
      '421 RP-002 The mail server IP connecting to Outlook.com server has exceeded the rate limit allowed on this connection.',
    source: 'S-PM-TRB; GUIDE',
    certainty: 'C',
  },
  {
    id: 'RP-003',
    documented: 'postmaster-table',
    system: 'outlook.com',
    smtp: '421',
    title: 'Connection limit exceeded (reputation)',
    meaning:
      'The IP opened more connections than Outlook.com allows it at its current reputation. Like RP-001/002 it is reputation-driven and temporary.',
    action:
      'Open fewer simultaneous connections and open them more slowly; make sure all Microsoft domains share one queue so the limit is not multiplied per domain.',
    pmta: 'Lower max-smtp-out and max-connect-rate for the Microsoft queue, roll all Microsoft domains into one queue, and back off: `reply /RP-003/ mode=backoff,backoff-to-normal-after=2h`.',
    removal: {
      path: 'none',
      steps: 'Nothing is listed: it is a connection limit, which eases as reputation recovers.',
    },
    temporary: true,
    category: 'throttle',
    guideSays:
      'Listed as "421 4.7.0 RP-003 - sender domain blocked": check domain reputation and DMARC. Microsoft\'s table says it is a connection limit, not a domain block.',
    sampleReply:
      '421 RP-003 The mail server IP connecting to Outlook.com server has exceeded the connection limit allowed.',
    source: 'S-PM-TRB; GUIDE',
    certainty: 'C',
  },
  {
    id: '5.7.515',
    documented: 'postmaster-table',
    system: 'outlook.com',
    smtp: '550',
    enhanced: '5.7.515',
    title: 'Sending domain lacks required authentication',
    meaning:
      'A domain sending more than 5,000 messages a day to Outlook.com must pass SPF and DKIM and publish DMARC (p=none at least) aligned with one of them; this one does not. Rejected since 5 May 2025.',
    action:
      'Fix SPF, DKIM signing and a DMARC record with alignment for the From domain, then resend. The recipient address is fine: do not suppress it.',
    pmta: 'Check dkim-sign / domain-key for the From domain. `reply /5\\.7\\.515/ mode=backoff,backoff-to-normal-after=1h` limits how much mail bounces until DNS is fixed; classify it as policy-related, not bad-mailbox.',
    removal: {
      path: 'none',
      steps:
        'Nothing is listed: once SPF and DKIM pass and DMARC is published and aligned for the sending domain, its mail is accepted again.',
    },
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
    documented: 'postmaster-table',
    system: 'outlook.com',
    smtp: '550',
    title: 'Policy rejection: content or reputation',
    meaning:
      'Outlook.com refused the mail for policy reasons: the content looks like spam or the IP/domain reputation is poor. Old Hotmail servers sent it with the "part of their network is on our block list" text.',
    action:
      'Find the cause (content, list quality, complaints, traps), fix it, then ask Outlook.com sender support for mitigation.',
    pmta: 'Back the queue off rather than keep bouncing: `reply /SC-00[1-4]/ mode=backoff,backoff-to-normal-after=4h`. Never treat it as an invalid recipient.',
    removal: FIX_THEN_SENDER_SUPPORT,
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
    documented: 'postmaster-table',
    system: 'outlook.com',
    smtp: '550',
    title: 'Blocked for namespace mining',
    meaning:
      'The IP was seen probing Outlook.com addresses (checking which exist without really sending), so it is blocked.',
    action:
      'Stop any RCPT-based address verification against Outlook.com and check the server and accounts for compromise.',
    pmta: 'Back off the queue (`reply /SC-00[1-4]/ mode=backoff,...`) and remove any list-verification traffic from this IP.',
    removal: {
      path: 'outlook-sender-support',
      where: OUTLOOK_SENDER_SUPPORT_FORM,
      steps:
        'Stop the address probing first, then ask for mitigation through the sender support form, with the reply and the IP.',
    },
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
    documented: 'postmaster-table',
    system: 'outlook.com',
    smtp: '550',
    title: 'Blocked as open proxy or relay',
    meaning: 'Outlook.com believes the sending IP is an open proxy or open relay.',
    action: 'Close the relay or proxy, make sure only authenticated sources can relay, then request mitigation.',
    pmta: 'Back off the queue (`reply /SC-00[1-4]/ mode=backoff,...`); check that no <source> has always-allow-relaying for outside networks.',
    removal: {
      path: 'outlook-sender-support',
      where: OUTLOOK_SENDER_SUPPORT_FORM,
      steps:
        'Close the relay or proxy first, then ask for mitigation through the sender support form, with the reply and the IP.',
    },
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
    documented: 'postmaster-table',
    system: 'outlook.com',
    smtp: '550',
    title: 'Blocked after user complaints',
    meaning: 'Outlook.com users complained about mail from this IP and it has been blocked; Microsoft points to JMRP.',
    action:
      'Enrol the IP in JMRP, suppress everyone who complains, review consent and frequency, then request mitigation.',
    pmta: 'Back off the queue (`reply /SC-00[1-4]/ mode=backoff,...`) and feed JMRP reports into suppression.',
    removal: {
      path: 'outlook-sender-support',
      where: OUTLOOK_SENDER_SUPPORT_FORM,
      steps:
        'Enrol in JMRP and remove the complainers first, then ask for mitigation through the sender support form, with the reply and the IP.',
    },
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
    documented: 'postmaster-table',
    system: 'outlook.com',
    smtp: '550',
    title: 'Dynamic IP not accepted',
    meaning:
      "The IP looks like dynamic / residential address space (Microsoft refers to Spamhaus's lists of such ranges), which Outlook.com generally refuses.",
    action: 'Send from a static IP with forward-confirmed reverse DNS that names your mail host.',
    pmta: 'Back off the queue (`reply /DY-00[12]/ mode=backoff,...`) and move Microsoft traffic to a properly registered static IP.',
    removal: {
      path: 'none',
      steps:
        "Nothing to ask Microsoft to lift: Outlook.com generally refuses mail from dynamic IPs (its table points to Spamhaus's lists of dynamic addresses). Send from a static IP whose reverse DNS names your mail host; if a static IP of yours is on such a list, its owner can ask Spamhaus to remove it.",
    },
    temporary: false,
    category: 'block',
    bounceCategory: 'policy-related',
    sampleReply:
      "550 DY-001 Mail rejected by Outlook.com for policy reasons. We generally do not accept email from dynamic IP's as they are not typically used to deliver unauthenticated SMTP email to an Internet mail server.",
    source: 'S-PM-TRB',
    certainty: 'C',
  },
  {
    id: 'DY-002',
    documented: 'postmaster-table',
    system: 'outlook.com',
    smtp: '550',
    title: 'Host looks compromised',
    meaning: 'Outlook.com thinks the sending server or PC is compromised or infected.',
    action: 'Investigate and clean the host, rotate credentials, then request mitigation.',
    pmta: 'Back off the queue (`reply /DY-00[12]/ mode=backoff,...`) and check for unexpected injection sources.',
    removal: {
      path: 'outlook-sender-support',
      where: OUTLOOK_SENDER_SUPPORT_FORM,
      steps:
        'Clean the host first, then ask for mitigation through the sender support form, with the reply and the IP.',
    },
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
    documented: 'postmaster-table',
    system: 'outlook.com',
    smtp: '550',
    title: 'Blocked: IP listed at Spamhaus',
    meaning: 'A policy block that Microsoft links to a Spamhaus listing of the sending IP.',
    action: 'Look the IP up at Spamhaus and follow their removal process.',
    pmta: 'Back off the queue (`reply /OU-00[12]/ mode=backoff,...`) until the listing is gone.',
    removal: {
      path: 'spamhaus',
      where: SPAMHAUS_SITE,
      steps:
        "Microsoft's table sends removal requests for this block to Spamhaus: look the IP up there and follow Spamhaus's removal process. Outlook.com's support form does not lift it.",
    },
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
    documented: 'postmaster-table',
    system: 'outlook.com',
    smtp: '550',
    title: 'Policy rejection: content or reputation',
    meaning: 'Same explanation as SC-001: spam-like content or poor IP/domain reputation.',
    action: 'As for SC-001: fix the cause, then request mitigation from Outlook.com sender support.',
    pmta: 'Back off the queue (`reply /OU-00[12]/ mode=backoff,...`).',
    removal: FIX_THEN_SENDER_SUPPORT,
    temporary: false,
    category: 'block',
    bounceCategory: 'spam-related',
    sampleReply:
      '550 OU-002 Mail rejected by Outlook.com for policy reasons. Reasons for rejection may be related to content with spam-like characteristics or IP/domain reputation.',
    source: 'S-PM-TRB',
    certainty: 'C',
  },
  {
    id: 'policy-reasons',
    label: '550 … Mail rejected by … for policy reasons (no code)',
    documented: 'real-bounces-only',
    system: 'outlook.com',
    smtp: '550',
    title: 'Policy rejection without a code (old Hotmail wording)',
    meaning:
      'The words Outlook.com\'s policy blocks (SC-001 to SC-004, DY-001/002, OU-001/002) start with, here without their code. Old Hotmail servers said "Mail rejected by Windows Live Hotmail for policy reasons"; today\'s servers say "Mail rejected by Outlook.com for policy reasons" and add the code. Without the code the cause is not said; by our reading it is the general content or reputation block (SC-001).',
    action:
      'Treat it as SC-001: find what hurts the IP or the domain (content, list quality, complaints, traps), fix it, then ask for mitigation through the Outlook.com sender support form.',
    pmta: "Today's replies carry their code, which the recommended rules match; a list that still meets the old wording can back off from it as from SC-001: `reply /Windows Live Hotmail for policy reasons/ mode=backoff,backoff-to-normal-after=4h`. Never treat it as an invalid recipient.",
    removal: FIX_THEN_SENDER_SUPPORT,
    temporary: false,
    category: 'block',
    bounceCategory: 'spam-related',
    words: 'Mail rejected by (Windows Live Hotmail|Outlook\\.com) for policy reasons',
    sampleReply: '550 Mail rejected by Windows Live Hotmail for policy reasons.',
    source: 'S-PM-TRB; S-WILD',
    certainty: 'W',
  },
  {
    id: 'sender-id',
    label: '550 … Sender ID validation failure',
    documented: 'postmaster-table',
    system: 'outlook.com',
    smtp: '550',
    title: "Sender ID validation failure: the domain's SPF record allows no IP",
    meaning:
      'Outlook.com refuses mail from a domain whose SPF (Sender ID) record says that no IP may send for it, such as `v=spf1 -all`, the record owners publish for domains that send no mail.',
    action:
      'If the domain now sends mail, publish an SPF record that lists the sending IPs. Microsoft says a change can take up to 48 hours to be seen everywhere: wait before sending again, and test first.',
    pmta: "Nothing in the domain block: fix the SPF record of the envelope sender's domain. Classify it as policy-related, not bad-mailbox.",
    removal: {
      path: 'none',
      steps: 'Nothing is listed: once the SPF record allows the sending IPs, the mail is accepted.',
    },
    temporary: false,
    category: 'auth',
    bounceCategory: 'policy-related',
    sampleReply: '550 command rejected due to Sender ID validation failure.',
    source: 'S-PM-TRB',
    certainty: 'C',
  },

  // ---------------- 1b. Outlook.com consumer replies seen in the wild [W]; 4.7.500 and 5.5.0 are also in Microsoft Learn ----
  {
    id: 'S3150',
    aliases: ['S3140', 'AS3150', 'AS3140'],
    documented: 'real-bounces-only',
    system: 'outlook.com',
    smtp: '550',
    enhanced: '5.7.1',
    title: 'IP on Outlook.com block list',
    meaning:
      "Outlook.com's consumer MX hosts (`*.olc.protection.outlook.com`) refuse mail from this IP with 550 5.7.1 because it (or its network) is on Outlook.com's own block list. The S/AS number is an internal anti-spam rule ID that Microsoft does not document. Every attempt is refused; the recipient is not at fault.",
    action:
      'Ask for mitigation through the Outlook.com sender support form, quoting the tag and IP; register the IP in SNDS and JMRP and fix what caused the block.',
    pmta: '`reply /part of their network is on our block list|\\(A?S31[45]0\\)/ mode=backoff,backoff-to-normal-after=4h` slows the queue so fewer messages bounce. In a pool, taking the blocked IP out of Microsoft traffic is the alternative (disable-source-ip). Do not mark recipients invalid.',
    removal: {
      path: 'outlook-sender-support',
      where: OUTLOOK_SENDER_SUPPORT_FORM,
      steps:
        'Fix what caused the block and register the IP in SNDS and JMRP first, then ask for mitigation through the sender support form, quoting the tag, the IP and the reply.',
    },
    temporary: false,
    category: 'block',
    bounceCategory: 'spam-related',
    guideSays:
      'Listed as "550 5.7.1 IP blocked - permanent IP block": contact Microsoft sender support and use another IP. The refusal is permanent per attempt, but the block can be lifted after mitigation.',
    sampleReply:
      "550 5.7.1 Unfortunately, messages from [203.0.113.10] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150). You can also refer your provider to http://mail.live.com/mail/troubleshooting.aspx#errors.",
    source: 'S-WILD; S-SISI; S-KUMO; S-PM-TRB; GUIDE',
    certainty: 'W',
  },
  {
    id: 'AS3160',
    documented: 'real-bounces-only',
    system: 'outlook.com',
    smtp: '550',
    enhanced: '5.7.1',
    title: 'Anti-spam tag AS3160 (an Outlook.com block, by our reading)',
    meaning:
      'An internal anti-spam rule ID of Outlook.com\'s servers; Microsoft does not publish what it means. It has been reported with AS3140 and AS3150, the tags of Outlook.com\'s block-list rejection, and our reading is that it marks the same kind of IP block. The reply text decides: "part of their network is on our block list" is that block (see S3150). The example below is that text with this tag; no published sample shows the whole reply.',
    action:
      'Read the reply text. With the block-list text, treat it as S3150: quote the tag when asking for mitigation.',
    pmta: 'The recommended S3150 rule matches the block-list text, so it handles this reply whatever its tag. Do not mark recipients invalid.',
    removal: {
      path: 'outlook-sender-support',
      where: OUTLOOK_SENDER_SUPPORT_FORM,
      steps:
        'With the block-list text, as for S3150: fix the cause and register the IP in SNDS and JMRP first, then ask for mitigation through the sender support form, quoting the tag.',
    },
    temporary: false,
    category: 'block',
    bounceCategory: 'spam-related',
    sampleReply:
      "550 5.7.1 Unfortunately, messages from [203.0.113.10] weren't sent. Please contact your Internet service provider since part of their network is on our block list (AS3160).",
    source: 'S-WILD',
    certainty: 'I',
  },
  {
    id: 'block-list',
    label: '550 5.7.1 … part of their network is on our block list (no known tag)',
    documented: 'real-bounces-only',
    system: 'outlook.com',
    smtp: '550',
    enhanced: '5.7.1',
    title: 'IP on Outlook.com block list (no known tag)',
    meaning:
      "The words of Outlook.com's block-list rejection (see S3150) without a tag, or with a tag the knowledge base does not know. The words decide: Outlook.com refuses mail from this IP because it (or its network) is on Outlook.com's own block list. Every attempt is refused; the recipient is not at fault.",
    action:
      'As for S3150: ask for mitigation through the Outlook.com sender support form, quoting the reply and the IP; register the IP in SNDS and JMRP and fix what caused the block.',
    pmta: 'The recommended S3150 rule matches these words whatever the tag: `reply /part of their network is on our block list|\\(A?S31[45]0\\)/ mode=backoff,backoff-to-normal-after=4h`. Do not mark recipients invalid.',
    removal: {
      path: 'outlook-sender-support',
      where: OUTLOOK_SENDER_SUPPORT_FORM,
      steps:
        'As for S3150: fix what caused the block and register the IP in SNDS and JMRP first, then ask for mitigation through the sender support form, quoting the reply and the IP.',
    },
    temporary: false,
    category: 'block',
    bounceCategory: 'spam-related',
    sampleReply:
      "550 5.7.1 Unfortunately, messages from [203.0.113.10] weren't sent. Please contact your Internet service provider since part of their network is on our block list. You can also refer your provider to http://mail.live.com/mail/troubleshooting.aspx#errors.",
    source: 'S-WILD; S-SISI; S-KUMO',
    certainty: 'W',
  },
  {
    id: '4.7.650',
    aliases: ['S775'],
    documented: 'real-bounces-only',
    system: 'outlook.com',
    smtp: '451',
    enhanced: '4.7.650',
    title: 'Temporarily rate limited (IP reputation)',
    meaning:
      "Outlook.com is deferring mail from this IP because of its reputation. It can last from hours to days. (Our reading, not Microsoft's: it plays the part RP-001 plays, so the recommended list backs off from it the same way.)",
    action: 'Reduce volume and concurrency, warm the IP more gradually, and request mitigation if it persists.',
    pmta: '`reply /4\\.7\\.650/ mode=backoff,backoff-to-normal-after=4h` plus the Microsoft backoff directives.',
    removal: {
      path: 'none',
      steps:
        "Nothing is listed: it is a reputation throttle that eases as reputation recovers; if it lasts for days, ask for mitigation through Outlook.com's sender support form.",
    },
    temporary: true,
    category: 'throttle',
    sampleReply:
      '451 4.7.650 The mail server [203.0.113.10] has been temporarily rate limited due to IP reputation. For e-mail delivery information, see https://aka.ms/postmaster (S775)',
    source: 'S-WILD; S-SISI; S-KUMO; S-PM-TRB',
    certainty: 'W',
  },
  {
    id: '4.7.651',
    aliases: ['S3114'],
    documented: 'real-bounces-only',
    system: 'outlook.com',
    smtp: '451',
    enhanced: '4.7.651',
    title: 'Temporarily rate limited (IP reputation)',
    meaning: 'Same situation as 4.7.650 under a different internal rule: a reputation-based deferral of this IP.',
    action: 'As for 4.7.650: slow down, warm up, request mitigation if it persists.',
    pmta: '`reply /4\\.7\\.651/ mode=backoff,backoff-to-normal-after=4h` plus the Microsoft backoff directives.',
    removal: {
      path: 'none',
      steps:
        "Nothing is listed: it is a reputation throttle that eases as reputation recovers; if it lasts for days, ask for mitigation through Outlook.com's sender support form.",
    },
    temporary: true,
    category: 'throttle',
    sampleReply:
      '451 4.7.651 The mail server [203.0.113.10] has been temporarily rate limited due to IP reputation. For e-mail delivery information, see https://aka.ms/postmaster (S3114)',
    source: 'S-WILD; S-PM-TRB',
    certainty: 'W',
  },
  {
    id: '4.7.652',
    aliases: ['S3115'],
    documented: 'real-bounces-only',
    system: 'outlook.com',
    smtp: '451',
    enhanced: '4.7.652',
    title: 'Too many connections',
    meaning:
      'The IP has more simultaneous connections open to Outlook.com than it is allowed; extra connections are deferred.',
    action:
      "Lower the number of concurrent connections to Microsoft. (Our reading, not Microsoft's: the limit seems to count the IP's connections to all of Outlook.com's MX hosts together, so trying another MX host would likely meet it again.)",
    pmta: 'Lower max-smtp-out (and backoff-max-smtp-out) for the single Microsoft queue: `reply /4\\.7\\.652|exceeded the maximum number of connections/ mode=backoff,backoff-to-normal-after=1h`.',
    removal: { path: 'none', steps: 'Nothing is listed: open fewer connections at once.' },
    temporary: true,
    category: 'throttle',
    sampleReply: '451 4.7.652 The mail server [203.0.113.10] has exceeded the maximum number of connections. (S3115)',
    source: 'S-WILD; S-SISI; S-KUMO',
    certainty: 'W',
  },
  {
    id: 'msgs-per-connection',
    documented: 'real-bounces-only',
    system: 'outlook.com',
    title: 'Too many messages per connection',
    meaning:
      'Outlook.com ended or deferred the session because too many messages were sent on one connection. No enhanced code is known for it.',
    action: 'Send fewer messages per connection.',
    pmta: 'Set a modest max-msg-per-connection for the Microsoft queue and back off briefly: `reply /exceeded (the )?maximum number of messages per connection/ mode=backoff,backoff-to-normal-after=1h`.',
    removal: { path: 'none', steps: 'Nothing is listed: send fewer messages per connection.' },
    temporary: true,
    category: 'throttle',
    sampleReply: '451 The mail server [203.0.113.10] has exceeded maximum number of messages per connection.',
    source: 'S-KUMO',
    certainty: 'W',
  },
  {
    id: '4.7.500',
    aliases: ['AS761', 'AS843', 'S77719'],
    documented: 'microsoft-learn',
    system: 'either',
    smtp: '451',
    enhanced: '4.7.500',
    title: 'Server busy: new or changed traffic (IP throttling)',
    meaning:
      'The first code of Microsoft\'s 4.7.500-699 range, which Microsoft\'s article calls IP throttling, a kind of graylisting: the sending IP is new, or its pattern changed a lot (much more mail than before), so it is held back for a while. Outlook.com\'s servers word it "Server busy. Please try again later" with an AS tag; Microsoft\'s NDR table words the range "Access denied, please try again later". The article says it clears over a few days as the IP builds a sending history.',
    action: 'Keep retrying at the normal pace and ramp volume gradually; nothing to fix if it clears.',
    pmta: 'Normal retry at retry-after; no backoff needed. Our list uses `reply /4\\.7\\.500 Server busy/ defer-queue`, which only waits for the next retry and leaves the queue mode alone (mode=normal would cancel an RP-001 backoff).',
    removal: {
      path: 'none',
      steps:
        "Nothing is listed: Microsoft's article says the throttling fades over a few days as the IP builds a sending history.",
    },
    temporary: true,
    category: 'throttle',
    guideSays:
      'Listed as "451 4.7.500 - server busy, temporary throttle": normal retry at the standard retry-after. This agrees with the samples.',
    sampleReply: '451 4.7.500 Server busy. Please try again later from [203.0.113.10]. (AS761)',
    source: 'S-NDR; S-NDR-AS; S-WILD; S-SISI; S-KUMO; GUIDE',
    certainty: 'C',
  },
  {
    id: 'AS844',
    documented: 'real-bounces-only',
    system: 'outlook.com',
    smtp: '451',
    enhanced: '4.7.500',
    title: 'Anti-spam tag AS844 (a "server busy" deferral, by our reading)',
    meaning:
      'An internal anti-spam rule ID of Outlook.com\'s servers; Microsoft does not publish what it means. It has been reported with AS843, the tag of the 4.7.500 "Server busy" deferral, and our reading is that it marks the same kind of temporary throttle. The example below is that reply with this tag; no published sample shows the whole reply.',
    action: 'Read the reply code: with 451 4.7.500 "Server busy", keep retrying at the normal pace (see 4.7.500).',
    pmta: 'The recommended 4.7.500 rule matches "4.7.500 Server busy" whatever the tag.',
    removal: { path: 'none', steps: 'Nothing is listed: a deferral that fades as the IP builds a sending history.' },
    temporary: true,
    category: 'throttle',
    sampleReply: '451 4.7.500 Server busy. Please try again later from [203.0.113.10]. (AS844)',
    source: 'S-WILD',
    certainty: 'I',
  },
  {
    id: '4.7.700',
    documented: 'real-bounces-only',
    system: 'outlook.com',
    smtp: '451',
    enhanced: '4.7.700',
    title: 'Filtering agent busy',
    meaning: 'A Microsoft-side filtering component was busy; nothing is wrong with the sender.',
    action: 'Retry normally.',
    pmta: 'No pattern needed; the normal retry-after handles it.',
    removal: { path: 'none', steps: 'Nothing is listed: retry.' },
    temporary: true,
    category: 'transient',
    sampleReply: '451 4.7.700 PFA agent busy, please try again.',
    source: 'S-SISI',
    certainty: 'W',
  },
  {
    id: 'PRX4',
    documented: 'real-bounces-only',
    system: 'outlook.com',
    smtp: '451',
    enhanced: '4.7.0',
    title: 'Temporary server error',
    meaning: "A temporary fault inside Microsoft's front end (proxy) while handling the session.",
    action: 'Retry normally.',
    pmta: 'No pattern needed; the normal retry-after handles it.',
    removal: { path: 'none', steps: 'Nothing is listed: retry.' },
    temporary: true,
    category: 'transient',
    sampleReply: '451 4.7.0 Temporary server error. Please try again later. PRX4',
    source: 'S-SISI; S-KUMO',
    certainty: 'W',
  },
  {
    id: 'ATTR18',
    documented: 'real-bounces-only',
    system: 'outlook.com',
    smtp: '451',
    enhanced: '4.4.3',
    title: 'Temporary server error',
    meaning: 'A temporary Microsoft-side error reported with an attribution tag; not caused by the sender.',
    action: 'Retry normally.',
    pmta: 'No pattern needed; the normal retry-after handles it.',
    removal: { path: 'none', steps: 'Nothing is listed: retry.' },
    temporary: true,
    category: 'transient',
    sampleReply: '451 4.4.3 Temporary server error. Please try again later ATTR18',
    source: 'S-SISI; S-KUMO',
    certainty: 'W',
  },
  {
    id: '5.5.0',
    documented: 'microsoft-learn',
    system: 'outlook.com',
    smtp: '550',
    enhanced: '5.5.0',
    title: 'Mailbox unavailable (address not found)',
    meaning:
      "Microsoft's NDR table: the recipient's domain is hotmail.com or outlook.com and the address was not found, as with 5.1.10. The mailbox does not exist.",
    action: 'Remove the address from the list.',
    pmta: 'Let it bounce and suppress the recipient (bad-mailbox).',
    removal: { path: 'none', steps: 'Nothing is listed: the address does not exist.' },
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
    documented: 'microsoft-learn',
    system: 'microsoft-365',
    smtp: '432',
    enhanced: '4.3.2',
    title: 'Recipient thread limit exceeded',
    meaning: 'One recipient mailbox is receiving mail too fast; the deferral is about that mailbox only.',
    about: 'recipient',
    requires: 'recipient thread limit',
    action: 'Retry later; avoid bursts to a single recipient.',
    pmta: 'Normal retry; no queue-level action.',
    removal: { path: 'none', steps: "Nothing is listed: the recipient's mailbox is receiving too fast; retry later." },
    temporary: true,
    category: 'throttle',
    sampleReply: '432 4.3.2 STOREDRV.Deliver; recipient thread limit exceeded',
    source: 'S-NDR',
    certainty: 'C',
  },
  {
    id: '4.4.316',
    documented: 'microsoft-learn',
    system: 'microsoft-365',
    enhanced: '4.4.316',
    title: 'Connection refused by the destination (Microsoft 365 sending)',
    meaning:
      'Exchange Online, sending, could not connect to a mail server outside Microsoft: the connection was refused (socket error 10061). Microsoft says it is almost always a problem of the receiving server or its network.',
    action:
      'Only relevant when Microsoft 365 sends to you: check that your server accepts connections on port 25 from Microsoft.',
    pmta: 'Nothing in an outbound configuration; if PowerMTA receives this mail, check its smtp-listener and firewall.',
    removal: { path: 'none', steps: 'Nothing is listed: the receiving server must accept the connection.' },
    temporary: true,
    category: 'sender-side',
    sampleReply: '4.4.316 Connection refused [Message=Socket error code 10061]',
    source: 'S-NDR',
    certainty: 'C',
  },
  {
    id: '4.4.7',
    documented: 'microsoft-learn',
    system: 'microsoft-365',
    smtp: '550',
    enhanced: '4.4.7',
    title: 'Message expired',
    meaning:
      "Exchange Online, sending, gave up after retrying. How long it tries depends: versions of Microsoft's article say it retries over 24 hours and reports after 24 hours, or retries over 24 hours and reports after two days, or retries over two days. Seen when Microsoft 365 is the sending side.",
    action: 'Look at why the destination kept failing.',
    pmta: "PowerMTA's own equivalent is bounce-after (default 4d12h).",
    removal: { path: 'none', steps: 'Nothing is listed: find out why the destination kept refusing or failing.' },
    temporary: false,
    category: 'expiry',
    bounceCategory: 'message-expired',
    sampleReply: '550 4.4.7 QUEUE.Expired; message expired',
    source: 'S-NDR; S-NDR-447; S-PMTA-UG',
    certainty: 'C',
  },
  {
    id: '4.5.3',
    documented: 'microsoft-learn',
    system: 'microsoft-365',
    enhanced: '4.5.3',
    title: 'Too many recipients',
    meaning: 'The message had more than 200 envelope recipients for the same domain.',
    action: 'Split the message into batches of at most 200 recipients.',
    pmta: 'Set max-rcpt-per-message 200 (or lower) for Microsoft destinations.',
    removal: { path: 'none', steps: 'Nothing is listed: send fewer recipients per message.' },
    temporary: true,
    category: 'message',
    sampleReply: '452 4.5.3 Too many recipients',
    source: 'S-NDR',
    certainty: 'C',
  },
  {
    id: '4.7.26',
    documented: 'microsoft-learn',
    system: 'microsoft-365',
    enhanced: '4.7.26',
    title: 'IPv6 mail must pass SPF or DKIM',
    meaning: 'Mail arriving over IPv6 must pass SPF or DKIM; this message passed neither (often: not signed).',
    action: 'Sign with DKIM and cover the IPv6 source in SPF, or deliver over IPv4.',
    pmta: 'Check dkim-sign / domain-key and the IPv6 smtp-source-host of the virtual MTAs used for Microsoft.',
    removal: { path: 'none', steps: 'Nothing is listed: sign with DKIM or pass SPF over IPv6, or deliver over IPv4.' },
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
    documented: 'microsoft-learn',
    system: 'microsoft-365',
    title: 'Access denied, try again later (suspicious activity)',
    meaning:
      'Microsoft\'s NDR table: suspicious activity was detected and sending is restricted for a while to evaluate it. Its 4.7.500-699 (ASxxx) article calls it IP throttling: the sending IP changed its pattern a lot, often much more mail than before. Outlook.com\'s servers send the first code of the range as "Server busy" (see 4.7.500).',
    action: 'Slow down and keep the traffic pattern steady; it usually clears within days.',
    pmta: '`reply /Access denied, please try again later/ mode=backoff,backoff-to-normal-after=1h`.',
    removal: {
      path: 'none',
      steps:
        'Nothing to request: Microsoft lifts the restriction shortly when the activity is valid; for a sender that does not use Microsoft 365 it fades over a few days of steady sending.',
    },
    temporary: true,
    category: 'throttle',
    sampleReply: '451 4.7.550 Access denied, please try again later',
    source: 'S-NDR; S-NDR-AS; S-KUMO',
    certainty: 'C',
  },
  {
    id: '4.7.850-899',
    range: { from: '4.7.850', to: '4.7.899' },
    documented: 'microsoft-learn',
    system: 'microsoft-365',
    title: 'Access denied, try again later (suspicious IP activity)',
    meaning: 'Same kind of temporary restriction as 4.7.500-699, triggered by suspicious activity on the IP.',
    action: 'Slow down and keep the traffic pattern steady.',
    pmta: 'Covered by `reply /Access denied, please try again later/ mode=backoff,...`.',
    removal: {
      path: 'none',
      steps: 'Nothing to request: Microsoft lifts the restriction shortly when the activity is valid.',
    },
    temporary: true,
    category: 'throttle',
    sampleReply: '451 4.7.850 Access denied, please try again later',
    source: 'S-NDR',
    certainty: 'C',
  },
  {
    id: '4.7.321-325',
    range: { from: '4.7.321', to: '4.7.325' },
    documented: 'microsoft-learn',
    system: 'microsoft-365',
    title: 'DANE / DNSSEC delivery failure (temporary)',
    meaning:
      'Exchange Online, sending, could not deliver because the destination failed a TLS, DANE or DNSSEC check (no STARTTLS, an expired certificate, a TLSA mismatch, invalid DNSSEC records, a certificate that does not name the host); it keeps retrying.',
    action: 'Only relevant when Microsoft 365 sends to you: fix your TLS certificate, TLSA or DNSSEC records.',
    pmta: 'Nothing to do in an outbound PowerMTA configuration.',
    removal: { path: 'none', steps: 'Nothing is listed: the receiving side fixes its TLS, DANE or DNSSEC setup.' },
    temporary: true,
    category: 'sender-side',
    sampleReply: '450 4.7.321 starttls-not-supported: Destination mail server must support TLS to receive mail.',
    source: 'S-NDR',
    certainty: 'C',
  },
  {
    id: '5.7.321-325',
    range: { from: '5.7.321', to: '5.7.325' },
    documented: 'microsoft-learn',
    system: 'microsoft-365',
    title: 'DANE / DNSSEC delivery failure (permanent)',
    meaning:
      'The permanent forms of 4.7.321-325: Exchange Online, sending, gave up because the destination failed a TLS, DANE or DNSSEC check (no STARTTLS, an expired certificate, a TLSA mismatch, invalid DNSSEC records, a certificate that does not name the host).',
    action: 'Only relevant when Microsoft 365 sends to you: fix your TLS certificate, TLSA or DNSSEC records.',
    pmta: 'Nothing to do in an outbound PowerMTA configuration.',
    removal: { path: 'none', steps: 'Nothing is listed: the receiving side fixes its TLS, DANE or DNSSEC setup.' },
    temporary: false,
    category: 'sender-side',
    sampleReply: '5.7.323 tlsa-invalid: The domain failed DANE validation.',
    source: 'S-NDR',
    certainty: 'C',
  },
  {
    id: '4.4.8',
    documented: 'microsoft-learn',
    system: 'microsoft-365',
    enhanced: '4.4.8',
    title: 'MX host failed MTA-STS validation (temporary)',
    meaning:
      "Exchange Online, sending, found that the destination's MX host is not one its MTA-STS policy names; it keeps retrying.",
    action: 'Only relevant when Microsoft 365 sends to you: list your MX hosts in your MTA-STS policy.',
    pmta: 'Nothing to do in an outbound PowerMTA configuration.',
    removal: { path: 'none', steps: 'Nothing is listed: the receiving side fixes its MTA-STS policy.' },
    temporary: true,
    category: 'sender-side',
    sampleReply: '4.4.8 MX hosts of contoso.com failed MTA-STS validation',
    source: 'S-NDR',
    certainty: 'C',
  },
  {
    id: '5.4.8',
    documented: 'microsoft-learn',
    system: 'microsoft-365',
    enhanced: '5.4.8',
    title: 'MX host failed MTA-STS validation (permanent)',
    meaning: "Exchange Online, sending, gave up because the destination's MX host is not one its MTA-STS policy names.",
    action: 'Only relevant when Microsoft 365 sends to you: list your MX hosts in your MTA-STS policy.',
    pmta: 'Nothing to do in an outbound PowerMTA configuration.',
    removal: { path: 'none', steps: 'Nothing is listed: the receiving side fixes its MTA-STS policy.' },
    temporary: false,
    category: 'sender-side',
    sampleReply: '5.4.8 MX hosts of contoso.com failed MTA-STS validation',
    source: 'S-NDR',
    certainty: 'C',
  },
  {
    id: '4.7.5',
    documented: 'microsoft-learn',
    system: 'microsoft-365',
    enhanced: '4.7.5',
    title: 'Certificate failed MTA-STS validation (temporary)',
    meaning:
      "Exchange Online, sending, found that the destination server's certificate does not chain to a trusted authority or does not name the host of the MTA-STS policy; it keeps retrying.",
    action: "Only relevant when Microsoft 365 sends to you: fix your server's certificate.",
    pmta: 'Nothing to do in an outbound PowerMTA configuration.',
    removal: { path: 'none', steps: 'Nothing is listed: the receiving side fixes its certificate.' },
    temporary: true,
    category: 'sender-side',
    sampleReply: '4.7.5 Remote certificate failed MTA-STS validation. Reason: CertificateExpired',
    source: 'S-NDR',
    certainty: 'C',
  },
  {
    id: '5.7.5',
    documented: 'microsoft-learn',
    system: 'microsoft-365',
    enhanced: '5.7.5',
    title: 'Certificate failed MTA-STS validation (permanent)',
    meaning:
      "Exchange Online, sending, gave up because the destination server's certificate does not chain to a trusted authority or does not name the host of the MTA-STS policy.",
    action: "Only relevant when Microsoft 365 sends to you: fix your server's certificate.",
    pmta: 'Nothing to do in an outbound PowerMTA configuration.',
    removal: { path: 'none', steps: 'Nothing is listed: the receiving side fixes its certificate.' },
    temporary: false,
    category: 'sender-side',
    sampleReply: '5.7.5 Remote certificate failed MTA-STS validation. Reason: CertificateExpired',
    source: 'S-NDR',
    certainty: 'C',
  },
  {
    id: '5.1.8',
    documented: 'microsoft-learn',
    system: 'microsoft-365',
    enhanced: '5.1.8',
    title: 'Bad outbound sender (account blocked for spam)',
    meaning:
      'A Microsoft 365 account was blocked for sending too much spam, usually because it was compromised. Microsoft 365 sending side.',
    action: 'Only relevant to Microsoft 365 tenants sending mail.',
    pmta: 'Nothing to do in PowerMTA.',
    removal: {
      path: 'tenant-admin',
      where: 'https://security.microsoft.com/restrictedusers',
      steps:
        "Only for Microsoft 365 senders: after securing the account, the organisation's admin unblocks it on the Restricted users page; sending resumes within a few hours.",
    },
    temporary: false,
    category: 'sender-side',
    sampleReply: '550 5.1.8 Access denied, bad outbound sender',
    source: 'S-NDR; S-NDR-518',
    certainty: 'C',
  },
  {
    id: '5.7.501',
    documented: 'microsoft-learn',
    system: 'microsoft-365',
    enhanced: '5.7.501',
    title: 'Spam abuse detected (sending account)',
    meaning: 'A Microsoft 365 sending account was banned for spam. It comes from the Microsoft 365 sending side.',
    action: 'Only relevant to Microsoft 365 tenants sending mail.',
    pmta: 'Nothing to do in PowerMTA.',
    removal: {
      path: 'microsoft-support',
      steps:
        'Only for Microsoft 365 senders: once the account is secured, the organisation asks Microsoft support to restore its sending.',
    },
    temporary: false,
    category: 'sender-side',
    sampleReply: '550 5.7.501 Access denied, spam abuse detected',
    source: 'S-NDR',
    certainty: 'C',
  },
  {
    id: '5.7.502',
    aliases: ['5.7.503'],
    documented: 'microsoft-learn',
    system: 'microsoft-365',
    enhanced: '5.7.502',
    title: 'Banned sender (sending account)',
    meaning: 'A Microsoft 365 sending account has been banned. Microsoft 365 sending side.',
    action: 'Only relevant to Microsoft 365 tenants sending mail.',
    pmta: 'Nothing to do in PowerMTA.',
    removal: {
      path: 'microsoft-support',
      steps:
        'Only for Microsoft 365 senders: once the account is secured, the organisation asks Microsoft support to restore its sending.',
    },
    temporary: false,
    category: 'sender-side',
    sampleReply: '550 5.7.502 Access denied, banned sender',
    source: 'S-NDR',
    certainty: 'C',
  },
  {
    id: '5.7.506',
    documented: 'microsoft-learn',
    system: 'microsoft-365',
    enhanced: '5.7.506',
    title: 'Bad HELO',
    meaning: 'The client greeted with a name that belongs to the receiving side instead of its own host name.',
    action: 'Make EHLO announce your own fully qualified host name.',
    pmta: 'Set host-name / smtp-source-host so each virtual MTA announces its own name.',
    removal: { path: 'none', steps: 'Nothing is listed: greet with your own host name.' },
    temporary: false,
    category: 'config',
    bounceCategory: 'bad-configuration',
    sampleReply: '550 5.7.506 Access Denied, Bad HELO',
    source: 'S-NDR',
    certainty: 'C',
  },
  {
    id: '5.7.507',
    documented: 'microsoft-learn',
    system: 'microsoft-365',
    enhanced: '5.7.507',
    title: 'Rejected by recipient organisation',
    meaning: 'The recipient organisation has chosen to block the sending IP.',
    action: 'Contact the recipient organisation.',
    pmta: 'Let it bounce; do not suppress as an invalid address.',
    removal: {
      path: 'recipient-organisation',
      steps: 'The recipient organisation blocked the IP itself: only it can lift the block.',
    },
    temporary: false,
    category: 'policy',
    bounceCategory: 'policy-related',
    sampleReply: '550 5.7.507 Access denied, rejected by recipient',
    source: 'S-NDR',
    certainty: 'C',
  },
  {
    id: '5.7.508',
    documented: 'microsoft-learn',
    system: 'microsoft-365',
    enhanced: '5.7.508',
    title: 'IPv6 range over its limits',
    meaning: 'The sending IPv6 range sent too much mail too quickly.',
    action: 'Slow down, or deliver over IPv4.',
    pmta: 'Lower the rate for Microsoft or use IPv4 source addresses for it.',
    removal: { path: 'none', steps: 'Nothing is listed: send more slowly over IPv6, or over IPv4.' },
    temporary: false,
    category: 'throttle',
    bounceCategory: 'policy-related',
    sampleReply: '550 5.7.508 Access denied, [2001:db8::10] has exceeded permitted limits within /64 range',
    source: 'S-NDR',
    certainty: 'C',
  },
  {
    id: '5.7.509',
    documented: 'microsoft-learn',
    system: 'microsoft-365',
    enhanced: '5.7.509',
    title: 'DMARC failure with p=reject',
    meaning: 'The From domain fails DMARC and its DMARC policy is reject, so the message is refused.',
    action: 'Fix SPF/DKIM so at least one passes aligned with the From domain.',
    pmta: 'Check dkim-sign / domain-key for the From domain. `reply /5\\.7\\.509|does not pass DMARC/ mode=backoff,backoff-to-normal-after=1h` limits bounces until fixed; classify as policy-related.',
    removal: { path: 'none', steps: 'Nothing is listed: make SPF or DKIM pass aligned with the From domain.' },
    temporary: false,
    category: 'auth',
    bounceCategory: 'policy-related',
    guideSays:
      'Listed as "550 5.7.1 DMARC - DMARC policy failure": debug SPF/DKIM alignment and the From domain. Microsoft\'s documented code for this rejection is 5.7.509, not 5.7.1.',
    sampleReply:
      '550 5.7.509 Access denied, sending domain [EXAMPLE.COM] does not pass DMARC verification and has a DMARC policy of reject.',
    source: 'S-NDR; S-SISI; GUIDE',
    certainty: 'C',
  },
  {
    id: '5.7.510',
    documented: 'microsoft-learn',
    system: 'microsoft-365',
    smtp: '550',
    enhanced: '5.7.510',
    title: 'Recipient domain refuses IPv6',
    meaning: 'The recipient domain does not take mail over IPv6; the message came over IPv6.',
    action: 'Deliver to that domain over IPv4.',
    pmta: 'Use IPv4 smtp-source-host addresses for virtual MTAs that deliver to Microsoft. A `reply /5\\.7\\.510|does not accept email over IPv6/ mode=backoff` rule only limits bounces meanwhile.',
    removal: { path: 'none', steps: 'Nothing is listed: deliver to that domain over IPv4.' },
    temporary: false,
    category: 'config',
    bounceCategory: 'bad-configuration',
    guideSays:
      'Only appears in the guide\'s pattern list, as "550 5.7.510" with an invented "bounce type=administrative" action and no explanation. Microsoft documents it as the IPv6 refusal.',
    sampleReply: '550 5.7.510 Access denied, [contoso.com] does not accept email over IPv6',
    source: 'S-NDR; GUIDE',
    certainty: 'C',
  },
  {
    id: '5.7.511',
    documented: 'microsoft-learn',
    system: 'microsoft-365',
    enhanced: '5.7.511',
    title: 'Banned sending IP (Microsoft 365)',
    meaning: 'The sending IP is banned by Microsoft 365. Removal is requested by mail with the full NDR and the IP.',
    action: 'Email delist@microsoft.com with the NDR and the IP, after fixing the cause.',
    pmta: '`reply /5\\.7\\.511/ mode=backoff,backoff-to-normal-after=4h`; do not suppress recipients.',
    removal: {
      path: 'delist-mail',
      where: MICROSOFT_DELIST_ADDRESS,
      steps:
        "Fix what got the IP banned, then mail delist@microsoft.com with the full NDR and the IP (older versions of Microsoft's page gave delist@messaging.microsoft.com). The self-service portal is for 5.7.606-649.",
    },
    temporary: false,
    category: 'block',
    bounceCategory: 'spam-related',
    sampleReply: '550 5.7.511 Access denied, banned sender[203.0.113.10]',
    source: 'S-NDR; S-SISI',
    certainty: 'C',
  },
  {
    id: '5.7.512',
    documented: 'microsoft-learn',
    system: 'microsoft-365',
    enhanced: '5.7.512',
    title: 'Missing or invalid From header',
    meaning: 'The message has no valid From: header as RFC 5322 section 3.6.2 requires.',
    action: 'Fix the message generator so every message has one valid From: header.',
    pmta: 'Nothing in the domain block; fix the injected messages.',
    removal: { path: 'none', steps: 'Nothing is listed: give every message one valid From: header.' },
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
    documented: 'microsoft-learn',
    system: 'microsoft-365',
    enhanced: '5.7.513',
    title: "Blocked by recipient tenant's own block list",
    meaning: 'The recipient organisation put the sending IP on its own block list.',
    action: 'Contact the recipient organisation.',
    pmta: 'Let it bounce; not an invalid address.',
    removal: {
      path: 'recipient-organisation',
      steps: 'The recipient organisation put the IP on its own block list: ask it to remove the IP.',
    },
    temporary: false,
    category: 'policy',
    bounceCategory: 'policy-related',
    sampleReply:
      '550 5.7.513 Service unavailable, Client host [203.0.113.10] blocked by contoso.com using Customer Block list (AS16012607)',
    source: 'S-NDR',
    certainty: 'C',
  },
  {
    id: '5.7.520',
    documented: 'microsoft-learn',
    system: 'microsoft-365',
    enhanced: '5.7.520',
    title: 'External forwarding blocked (Microsoft 365 sending)',
    meaning:
      "A Microsoft 365 organisation's outbound spam policy does not allow automatic forwarding to outside addresses, so a forwarded message was refused. Microsoft 365 sending side.",
    action:
      'Only relevant to Microsoft 365 tenants: the admin allows automatic external forwarding for the users who need it.',
    pmta: 'Nothing to do in PowerMTA.',
    removal: {
      path: 'tenant-admin',
      steps:
        "Only for Microsoft 365 senders: the organisation's admin turns automatic external forwarding on in its outbound spam policy.",
    },
    temporary: false,
    category: 'sender-side',
    sampleReply: '550 5.7.520 Access denied, Your organization does not allow external forwarding.',
    source: 'S-FWD',
    certainty: 'C',
  },
  {
    id: '5.7.606-649',
    range: { from: '5.7.606', to: '5.7.649' },
    aliases: ['AS16012609'],
    documented: 'microsoft-learn',
    system: 'microsoft-365',
    smtp: '550',
    title: 'Banned sending IP (blocked-senders list)',
    meaning:
      "The sending IP is on Microsoft's blocked-senders list. Removal is self-service through the delist portal at sender.office.com.",
    action: 'Fix the cause, then request removal at https://sender.office.com/.',
    pmta: '`reply /5\\.7\\.6(0[6-9]|[1-4][0-9])|banned sending IP/ mode=backoff,backoff-to-normal-after=4h`. bounce-queue would bounce every queued Microsoft message at once: avoid it. Classify as a block, not bad-mailbox.',
    removal: {
      path: 'office-delist-portal',
      where: OFFICE_DELIST_PORTAL,
      steps: 'Fix the cause, then request removal at the self-service delist portal.',
    },
    temporary: false,
    category: 'block',
    bounceCategory: 'spam-related',
    guideSays:
      'Listed as "550 5.7.606 - access denied, banned IP": delist at sendersupport.olc.protection.outlook.com, and its pattern list bounces it with an invented "bounce type=administrative". Microsoft sends these delistings to https://sender.office.com/ instead.',
    sampleReply:
      '550 5.7.606 Access denied, banned sending IP [203.0.113.10]. To request removal from this list please visit https://sender.office.com/ and follow the directions. (AS16012609)',
    source: 'S-NDR; S-WILD; GUIDE',
    certainty: 'C',
  },
  {
    id: '5.7.703',
    documented: 'microsoft-learn',
    system: 'microsoft-365',
    enhanced: '5.7.703',
    title: "Blocked by sender tenant's allow/block list",
    meaning: 'The sending Microsoft 365 organisation blocked the message with its Tenant Allow/Block List.',
    action: 'Only relevant to Microsoft 365 tenants sending mail.',
    pmta: 'Nothing to do in PowerMTA.',
    removal: {
      path: 'tenant-admin',
      steps:
        "Only for Microsoft 365 senders: the organisation's admin removes the entry from its Tenant Allow/Block List.",
    },
    temporary: false,
    category: 'sender-side',
    sampleReply:
      "550 5.7.703 Your message can't be delivered because messages to contoso.com are blocked by your organization using Tenant Allow Block List.",
    source: 'S-NDR',
    certainty: 'C',
  },
  {
    id: '5.7.705',
    documented: 'microsoft-learn',
    system: 'microsoft-365',
    enhanced: '5.7.705',
    title: 'Tenant exceeded threshold',
    meaning: 'A Microsoft 365 tenant sent too much spam or bulk mail and its outbound mail is blocked.',
    action: 'Only relevant to Microsoft 365 tenants sending mail.',
    pmta: 'Nothing to do in PowerMTA.',
    removal: {
      path: 'microsoft-support',
      steps:
        'Only for Microsoft 365 senders: after fixing the cause (a compromised account or server), the organisation explains it to Microsoft support, which lifts the block.',
    },
    temporary: false,
    category: 'sender-side',
    sampleReply: '550 5.7.705 Access denied, tenant has exceeded threshold',
    source: 'S-NDR; S-NDR-700',
    certainty: 'C',
  },
  {
    id: '5.7.708',
    documented: 'microsoft-learn',
    system: 'microsoft-365',
    enhanced: '5.7.708',
    title: 'Traffic not accepted from this IP (tenant)',
    meaning: 'A Microsoft 365 tenant (often a new or trial one) tried to send from a low-reputation IP range.',
    action: 'Only relevant to Microsoft 365 tenants sending mail.',
    pmta: 'Nothing to do in PowerMTA.',
    removal: {
      path: 'microsoft-support',
      steps:
        'Only for Microsoft 365 senders: the organisation asks Microsoft support for an exception until it has licences.',
    },
    temporary: false,
    category: 'sender-side',
    sampleReply: '550 5.7.708 Access denied, traffic not accepted from this IP',
    source: 'S-NDR; S-NDR-700',
    certainty: 'C',
  },
  {
    id: '5.7.700-749',
    range: { from: '5.7.700', to: '5.7.749' },
    documented: 'microsoft-learn',
    system: 'microsoft-365',
    smtp: '550',
    title: 'Tenant blocked from sending',
    meaning:
      'Microsoft\'s 5.7.700-749 codes block a whole Microsoft 365 organisation from sending: too much spam or bulk mail (5.7.705, "tenant has exceeded threshold"), or mail from low-reputation IPs used by new tenants (5.7.708). Its neighbour 5.7.750 blocks mail from unregistered domains. Microsoft 365 sending side.',
    action:
      'Only relevant to Microsoft 365 tenants sending mail: fix the compromise or open relay, then contact Microsoft support.',
    pmta: 'Nothing to do in PowerMTA.',
    removal: {
      path: 'microsoft-support',
      steps:
        'Only for Microsoft 365 senders: the organisation fixes the cause, explains it to Microsoft support and asks it to lift the block.',
    },
    temporary: false,
    category: 'sender-side',
    sampleReply: '550 5.7.705 Access denied, tenant has exceeded threshold',
    source: 'S-NDR; S-NDR-700',
    certainty: 'C',
  },
  {
    id: '5.7.750',
    documented: 'microsoft-learn',
    system: 'microsoft-365',
    enhanced: '5.7.750',
    title: 'Sending from unregistered domains',
    meaning: 'A Microsoft 365 tenant sent too much mail from domains it has not added and verified.',
    action: 'Only relevant to Microsoft 365 tenants sending mail.',
    pmta: 'Nothing to do in PowerMTA.',
    removal: {
      path: 'tenant-admin',
      steps:
        "Only for Microsoft 365 senders: the organisation's admin adds and validates every domain it sends from; a tenant blocked after a compromise asks Microsoft support to lift the block.",
    },
    temporary: false,
    category: 'sender-side',
    sampleReply: '550 5.7.750 Service unavailable. Client blocked from sending from unregistered domains',
    source: 'S-NDR; S-NDR-700',
    certainty: 'C',
  },
  {
    id: '5.7.800',
    documented: 'microsoft-learn',
    system: 'microsoft-365',
    enhanced: '5.7.800',
    title: 'Banned sender domain',
    meaning:
      'The EHLO domain, the envelope sender domain or the From domain is banned for spam. The ban is on a domain, not on the sending IP: another IP sending for the same domains meets it too.',
    about: 'domain',
    action: 'Contact Microsoft support after fixing the cause; consider which of the three domains is affected.',
    pmta: 'Check the host-name and envelope sender domains used for Microsoft; let it bounce meanwhile.',
    removal: {
      path: 'microsoft-support',
      steps:
        "Microsoft's NDR table: contact Microsoft support to restore the domain's ability to send, after fixing the cause. There is no self-service portal for it.",
    },
    temporary: false,
    category: 'block',
    bounceCategory: 'spam-related',
    sampleReply: '550 5.7.800 Access denied, banned sender',
    source: 'S-NDR',
    certainty: 'C',
  },
  {
    id: '5.7.23',
    documented: 'microsoft-learn',
    system: 'microsoft-365',
    enhanced: '5.7.23',
    title: 'SPF violation',
    meaning: "The message was refused because the sending IP is not allowed by the domain's SPF record.",
    action: 'Add the sending IPs to SPF (within the 10-lookup limit).',
    pmta: 'Nothing in the domain block; fix DNS. Classify as policy-related.',
    removal: { path: 'none', steps: 'Nothing is listed: publish an SPF record that covers the sending IPs.' },
    temporary: false,
    category: 'auth',
    bounceCategory: 'policy-related',
    sampleReply: '550 5.7.23 The message was rejected because of Sender Policy Framework violation',
    source: 'S-NDR; S-SISI',
    certainty: 'C',
  },
  {
    id: '5.7.25',
    documented: 'microsoft-learn',
    system: 'microsoft-365',
    enhanced: '5.7.25',
    title: 'IPv6 sender without reverse DNS',
    meaning: 'The sending IPv6 address has no PTR record.',
    action: 'Publish reverse DNS for the IPv6 address, or deliver over IPv4.',
    pmta: 'Check the IPv6 smtp-source-host addresses used for Microsoft.',
    removal: { path: 'none', steps: 'Nothing is listed: publish reverse DNS for the IPv6 address.' },
    temporary: false,
    category: 'auth',
    bounceCategory: 'bad-configuration',
    sampleReply: '550 5.7.25 Access denied, the sending IPv6 address [2001:db8::10] must have a reverse DNS record',
    source: 'S-NDR',
    certainty: 'C',
  },
  {
    id: '5.7.57',
    documented: 'microsoft-learn',
    system: 'microsoft-365',
    enhanced: '5.7.57',
    title: 'Unauthenticated submission',
    meaning:
      'An application tried to send through smtp.office365.com without logging in. This is mail submission, not MX delivery.',
    action: 'Authenticate to the submission service, or deliver to the MX instead.',
    pmta: "Check smtp-hosts / auth-username for routes that use Microsoft's submission host.",
    removal: { path: 'none', steps: 'Nothing is listed: authenticate to the submission service.' },
    temporary: false,
    category: 'config',
    bounceCategory: 'bad-configuration',
    sampleReply: '530 5.7.57 Client was not authenticated to send anonymous mail during MAIL FROM',
    source: 'S-NDR',
    certainty: 'C',
  },
  {
    id: '5.7.64',
    documented: 'microsoft-learn',
    system: 'microsoft-365',
    enhanced: '5.7.64',
    title: 'Tenant attribution: relay denied',
    meaning: 'An inbound connector (usually on-premises to Exchange Online) is misconfigured, so the relay is refused.',
    action: 'Fix the connector configuration in the Microsoft 365 tenant.',
    pmta: 'Nothing in a normal outbound configuration.',
    removal: { path: 'none', steps: "Nothing is listed: the tenant's admin fixes the connector." },
    temporary: false,
    category: 'config',
    bounceCategory: 'relaying-issues',
    sampleReply: '550 5.7.64 TenantAttribution; Relay Access Denied',
    source: 'S-NDR',
    certainty: 'C',
  },
  {
    id: '5.7.1',
    documented: 'microsoft-learn',
    system: 'either',
    enhanced: '5.7.1',
    title: 'Not authorised (generic)',
    meaning:
      "Microsoft's NDR table: a generic refusal by Microsoft 365 (delivery not authorised, relaying refused, or the sender not authenticated). Outlook.com's consumer MX hosts (`*.olc.protection.outlook.com`) also send 550 5.7.1 for their block-list rejections, with an S3140, S3150 or AS3150 tag; the tag and the text tell them apart.",
    action:
      'Read the text after the code: a block-list text means an IP block (see S3150); otherwise check recipient-side restrictions.',
    pmta: 'Match the text, not the bare 5.7.1, in pattern lists; 5.7.1 alone is too generic to act on.',
    removal: {
      path: 'none',
      steps:
        "Nothing is listed for the generic refusal. With the block-list text and an S3140/S3150 tag it is an Outlook.com IP block: see S3150 (Outlook.com's sender support form).",
    },
    temporary: false,
    category: 'policy',
    bounceCategory: 'policy-related',
    guideSays:
      'The guide uses "550 5.7.1" both for an IP block and for DMARC failure; only the reply text distinguishes them.',
    sampleReply: '550 5.7.1 Delivery not authorized',
    source: 'S-NDR; S-WILD; S-SISI; GUIDE',
    certainty: 'C',
  },
  {
    id: '5.7.12',
    aliases: ['5.7.124', '5.7.13', '5.7.133', '5.7.134', '5.7.135', '5.7.136'],
    documented: 'microsoft-learn',
    system: 'microsoft-365',
    enhanced: '5.7.12',
    title: 'Recipient accepts only authorised senders',
    meaning:
      'The recipient (group, mailbox or organisation) only accepts mail from internal or explicitly allowed senders.',
    action: 'Ask the recipient to allow your sender; otherwise stop mailing it.',
    pmta: 'Let it bounce; treat as policy-related rather than an invalid address.',
    removal: {
      path: 'recipient-organisation',
      steps: 'The recipient only takes mail from senders it allows: only it can let you in.',
    },
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
    documented: 'microsoft-learn',
    system: 'microsoft-365',
    enhanced: '5.0.350',
    title: 'Generic refusal from the recipient organisation (AS345: nested attachments)',
    meaning:
      'A catch-all code for many different refusals by the recipient organisation. Microsoft\'s table names two texts: "x-dg-ref header is too long" (Rich Text messages) and "policy violation detected (AS345)", which is about nested attachments (an attachment inside an attachment).',
    action:
      'Read the text: with AS345, send without attachments nested in other attachments; otherwise ask the recipient organisation.',
    pmta: 'Let it bounce.',
    removal: {
      path: 'none',
      steps:
        'Nothing is listed: with AS345, send the message without attachments nested in attachments; otherwise the recipient organisation can say what its filter refused.',
    },
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
    documented: 'microsoft-learn',
    system: 'microsoft-365',
    enhanced: '5.2.121',
    title: 'Recipient hourly receive limit',
    about: 'recipient',
    meaning:
      'The recipient has received too many messages this hour, from this sender (5.2.121) or from everyone (5.2.122). It is a rate problem even though the code is 5xx.',
    action: 'Send fewer messages to the same recipient per hour and resend later.',
    pmta: 'Do not suppress the recipient; avoid bursts to one mailbox.',
    removal: { path: 'none', steps: 'Nothing is listed: send fewer messages per hour to that recipient.' },
    temporary: false,
    category: 'throttle',
    bounceCategory: 'quota-issues',
    sampleReply: "550 5.2.121 Recipient's per hour message receive limit from specific sender exceeded.",
    source: 'S-NDR; S-SISI',
    certainty: 'C',
  },
  {
    id: '5.1.0',
    documented: 'microsoft-learn',
    system: 'microsoft-365',
    enhanced: '5.1.0',
    title: 'Sender denied',
    meaning:
      'The destination refused mail from this sender or for this recipient: the sender is on the recipient\'s own block list, the sending domain\'s SPF record is incomplete ("SPF Permanent Error"), or, inside Exchange, the recipient could not be resolved.',
    action:
      'Check the SPF record of the sending domain and the recipient address; if the recipient blocked you, only they can undo it.',
    pmta: 'Let it bounce; classify it as policy-related rather than bad-mailbox.',
    removal: { path: 'none', steps: 'Nothing is listed at Microsoft: fix SPF, or ask the recipient to unblock you.' },
    temporary: false,
    category: 'policy',
    bounceCategory: 'policy-related',
    sampleReply: '550 5.1.0 Sender denied',
    source: 'S-NDR; S-NDR-510',
    certainty: 'C',
  },
  {
    id: '5.1.1',
    documented: 'microsoft-learn',
    system: 'microsoft-365',
    enhanced: '5.1.1',
    title: 'Bad destination mailbox',
    meaning: 'The recipient address does not exist.',
    action: 'Remove the address.',
    pmta: 'Let it bounce and suppress (bad-mailbox).',
    removal: { path: 'none', steps: 'Nothing is listed: the address does not exist.' },
    temporary: false,
    category: 'recipient',
    bounceCategory: 'bad-mailbox',
    sampleReply: '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found',
    source: 'S-NDR; S-SISI',
    certainty: 'C',
  },
  {
    id: '5.1.10',
    documented: 'microsoft-learn',
    system: 'microsoft-365',
    enhanced: '5.1.10',
    title: 'Recipient not found',
    meaning: "The recipient's address could not be found in the destination organisation.",
    action: 'Remove the address.',
    pmta: 'Let it bounce and suppress (bad-mailbox).',
    removal: { path: 'none', steps: 'Nothing is listed: the address does not exist.' },
    temporary: false,
    category: 'recipient',
    bounceCategory: 'bad-mailbox',
    sampleReply: '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup',
    source: 'S-NDR; S-SISI',
    certainty: 'C',
  },
  {
    id: '5.4.1',
    documented: 'microsoft-learn',
    system: 'microsoft-365',
    enhanced: '5.4.1',
    title: 'Recipient rejected at the edge, or relay denied',
    meaning:
      'With "Recipient address rejected: Access denied" the address does not exist in the tenant (Directory-Based Edge Blocking). With "Relay Access Denied" the server does not accept mail for that domain at all, a DNS/MX problem.',
    action: "Remove the address in the first case; check the domain's MX in the second.",
    pmta: 'Suppress only for the "Recipient address rejected" text.',
    removal: { path: 'none', steps: "Nothing is listed: the address does not exist, or the domain's MX is wrong." },
    temporary: false,
    category: 'recipient',
    bounceCategory: 'bad-mailbox',
    sampleReply: '550 5.4.1 Recipient address rejected: Access denied.',
    source: 'S-NDR; S-DBEB',
    certainty: 'C',
  },
  {
    id: '5.7.504',
    documented: 'microsoft-learn',
    system: 'microsoft-365',
    enhanced: '5.7.504',
    title: 'Recipient address rejected',
    meaning: 'The recipient is invalid.',
    action: 'Remove the address.',
    pmta: 'Let it bounce and suppress (bad-mailbox).',
    removal: { path: 'none', steps: 'Nothing is listed: the address is not valid.' },
    temporary: false,
    category: 'recipient',
    bounceCategory: 'bad-mailbox',
    sampleReply: '550 5.7.504 Recipient address rejected: Access denied',
    source: 'S-NDR; S-SISI',
    certainty: 'C',
  },
  {
    id: '5.7.505',
    documented: 'microsoft-learn',
    system: 'microsoft-365',
    enhanced: '5.7.505',
    title: 'Banned recipient',
    meaning: 'The recipient address is banned or invalid.',
    action: 'Remove the address.',
    pmta: 'Let it bounce and suppress.',
    removal: { path: 'none', steps: 'Nothing is listed: the address is not valid.' },
    temporary: false,
    category: 'recipient',
    bounceCategory: 'inactive-mailbox',
    sampleReply: '550 5.7.505 Access denied, banned recipient',
    source: 'S-NDR; S-SISI',
    certainty: 'C',
  },
  {
    id: '5.2.2',
    documented: 'microsoft-learn',
    system: 'microsoft-365',
    enhanced: '5.2.2',
    title: 'Mailbox full, or sender submission quota',
    meaning:
      'On Exchange servers it means the recipient mailbox is full. In Exchange Online "Submission quota exceeded" is instead a quota of the sending account.',
    action: 'Treat as a soft failure only when the text says the mailbox is full.',
    pmta: 'Classify as quota-issues when the text says mailbox full.',
    removal: { path: 'none', steps: 'Nothing is listed: the mailbox is full, or a sending account is over its quota.' },
    temporary: false,
    category: 'recipient',
    bounceCategory: 'quota-issues',
    sampleReply: '552 5.2.2 mailbox full',
    source: 'S-NDR; S-SISI',
    certainty: 'C',
  },
  {
    id: '5.4.300',
    documented: 'microsoft-learn',
    system: 'microsoft-365',
    enhanced: '5.4.300',
    title: 'Message expired',
    meaning: 'Exchange Online stopped retrying the message.',
    action: 'Look at why the destination kept failing.',
    pmta: "PowerMTA's equivalent is bounce-after.",
    removal: { path: 'none', steps: 'Nothing is listed: find out why the destination kept failing.' },
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
    documented: 'microsoft-learn',
    system: 'microsoft-365',
    enhanced: '5.4.6',
    title: 'Routing loop',
    meaning: 'The message went round in a loop between mail systems.',
    action: 'Fix the routing (MX, connectors, forwarding).',
    pmta: 'Check smtp-hosts / routes for the affected domain.',
    removal: { path: 'none', steps: 'Nothing is listed: fix the routing loop.' },
    temporary: false,
    category: 'config',
    bounceCategory: 'routing-errors',
    sampleReply: '554 5.4.6 Routing loop detected',
    source: 'S-NDR',
    certainty: 'C',
  },
  {
    id: '5.6.11',
    documented: 'microsoft-learn',
    system: 'microsoft-365',
    enhanced: '5.6.11',
    title: 'Invalid characters (bare line feeds)',
    meaning: 'The message contains bare LF line endings or other characters Exchange Online refuses.',
    action: 'Make the injecting application produce CRLF line endings.',
    pmta: 'Fix the injected messages; nothing in the domain block.',
    removal: { path: 'none', steps: 'Nothing is listed: send CRLF line endings.' },
    temporary: false,
    category: 'message',
    bounceCategory: 'content-related',
    sampleReply:
      '550 5.6.11 SMTPSEND.BareLinefeedsAreIllegal; message contains bare linefeeds, which cannot be sent via DATA',
    source: 'S-NDR',
    certainty: 'C',
  },
  {
    id: '5.3.190',
    documented: 'microsoft-learn',
    system: 'microsoft-365',
    enhanced: '5.3.190',
    title: 'Journaling to Microsoft 365 not supported',
    meaning:
      'An on-premises journaling rule sends journal reports to Microsoft 365, but the organisation has not turned Journaling Archive on, so they are refused.',
    action: 'Only relevant to Microsoft 365 organisations: turn Journaling Archive on, or journal elsewhere.',
    pmta: 'Nothing to do in PowerMTA.',
    removal: { path: 'none', steps: 'Nothing is listed: the organisation changes its journaling setup.' },
    temporary: false,
    category: 'config',
    bounceCategory: 'bad-configuration',
    sampleReply:
      '5.3.190 Journaling on-premises messages to Microsoft 365 or Office 365 not supported when Journaling Archive is disabled',
    source: 'S-NDR',
    certainty: 'C',
  },
  {
    id: '5.1.90',
    documented: 'microsoft-learn',
    system: 'microsoft-365',
    enhanced: '5.1.90',
    title: 'Sender recipient limit reached',
    meaning:
      'A Microsoft 365 user hit its daily sending limit (about 10,000 recipients a day). Microsoft 365 sending side.',
    action: 'Only relevant to Microsoft 365 users sending mail.',
    pmta: 'Nothing to do in PowerMTA.',
    removal: {
      path: 'none',
      steps:
        'Nothing is listed: the sending account reached its daily recipient limit; Microsoft says that can mean it was compromised.',
    },
    temporary: false,
    category: 'sender-side',
    sampleReply: "550 5.1.90 Your message can't be sent because you've reached your daily limit for message recipients",
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
    for (const b of y.alts)
      for (const c of z.alts) {
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

/** Replies that carry no code of their own, found by a phrase of their text (lower case), with their entry's id. */
const PHRASES: ReadonlyArray<readonly [string, string]> = [['sender id validation failure', 'sender-id']];

function scanPhrase(s: string, i: number): Expansion | undefined {
  if (isWordChar(s[i - 1])) return undefined;
  for (const [phrase, id] of PHRASES) {
    if (s.slice(i, i + phrase.length).toLowerCase() === phrase && !isWordChar(s[i + phrase.length]))
      return { alts: [id], end: i + phrase.length };
  }
  return undefined;
}

const SCANNERS: ReadonlyArray<(s: string, i: number) => Expansion | undefined> = [
  scanDashTag,
  scanAntiSpamTag,
  scanLiteralTag,
  scanPhrase,
  scanEnhanced,
];

/** Characters a mention can start with; other positions are skipped quickly. */
const START_CHARS = /[0-9[(\\RSDOAPrsdoap]/;

/**
 * Find Microsoft code mentions in one line of text: plain replies (`421 RP-001`, `"550 5.7.606"`, `(S3150)`)
 * and regex bodies of pattern lists (`reply /RP-00[12]/`, `/4\.7\.650/`, `5\.7\.6[0-4][0-9]`,
 * `5\.7\.6(0[6-9]|[1-4][0-9])`, `\(A?S31[45]0\)`), and the few replies without a code by a phrase of their
 * text ("Sender ID validation failure"). Offsets are UTF-16 indices into `text`, end exclusive.
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
// 3. Volume tiers (the guide's recommendations: common advice) and connection budgets
// ------------------------------------------------------------------------------------------------

/**
 * The volume tiers' ids, lowest volume first (the order of {@link MICROSOFT_TIERS}). The settings, the
 * protocol and package.json's `pmta.microsoft.volumeTier` take their tier names from here.
 */
export const TIER_IDS = ['under-100k', '100k-500k', '500k-plus'] as const;
export type TierId = (typeof TIER_IDS)[number];

export interface MicrosoftTier {
  id: TierId;
  label: string;
  /** messages per day to Microsoft; max exclusive, absent for the top tier */
  dailyVolume: { min: number; max?: number };
  /** per-IP simultaneous connections (max-smtp-out) */
  maxSmtpOut: 4 | 5 | 6;
  /** connection rate as the guide writes it (its `max-conn-rate`, which is not a PowerMTA name) */
  maxConnectRate: '0.5/s' | '1/s';
  /** the same rate in valid PowerMTA syntax for max-connect-rate (integer count per period) */
  maxConnectRatePmta: string;
  maxMsgRate: '150/h' | '200/h' | '250/h';
  retryAfter: '20m' | '15m';
  /** number of IPs the guide assumes for the tier */
  poolSize?: [number, number];
}

/**
 * The guide's connection tuning by daily volume to Microsoft. [GUIDE]
 * These are the guide's recommendations (common advice), NOT Microsoft limits: Microsoft publishes no per-IP rate, connection
 * or per-connection figures for Outlook.com; its only published number is the 500 simultaneous connections
 * below (S-PM-POL), and its limits are dynamic and reputation-based. Treat the table as a project heuristic.
 * The guide writes `0.5/s`; PowerMTA rates take an integer count, so the same rate is written `30/m` (or `1/2s`).
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

/** The guide's tier for a daily volume to Microsoft. */
export function microsoftTierForVolume(messagesPerDay: number): MicrosoftTier {
  return (
    MICROSOFT_TIERS.find(
      (t) =>
        messagesPerDay >= t.dailyVolume.min && (t.dailyVolume.max === undefined || messagesPerDay < t.dailyVolume.max),
    ) ?? MICROSOFT_TIERS[0]
  );
}

/**
 * The guide's total connection budget to Microsoft at its largest tier: 10 IPs x 6 connections = 60
 * simultaneous connections (pool size x max-smtp-out). [GUIDE; a heuristic, not a Microsoft figure]
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
  /** how users are told what the rule handles, where no code names it (else the codes it covers) */
  label?: string;
  /** PCRE body without the slashes; no unescaped '/' and no '#' (PowerMTA wants \x23) */
  regex: string;
  /** comma-separated PowerMTA actions */
  actions: string;
  /** short note in our words: what common advice (the guide) or, failing that, we advise */
  comment: string;
  /**
   * The code id of a reply the rule matches by its words alone, with no tag or code the knowledge base
   * knows (the delivery report names such a reply by it); `codeId` when absent.
   */
  byWords?: string;
}

/** Name of the recommended list. */
export const MICROSOFT_PATTERN_LIST_NAME = 'microsoft-errors';

/**
 * The recommended rules, most specific first (PowerMTA applies the first rule that matches).
 *
 * Action choices [I, from S-PMTA-UG semantics and the guide's advice]:
 *  - 4xx throttles (RP-00x, 4.7.650-652, "Access denied, please try again later") → mode=backoff with a
 *    backoff-to-normal-after sized to the guide's advice (RP-001 4h, RP-002 2h) or to S-KUMO's suspension
 *    times (1h for connection / per-connection limits). The guide's per-pattern "retry-after=" and
 *    "max-smtp-out=" do not exist in PowerMTA; they become MICROSOFT_BACKOFF_DIRECTIVES in the domain block.
 *  - 5xx IP blocks (S3140/S3150, SC/OU/DY, 5.7.606-649, 5.7.511) → mode=backoff,backoff-to-normal-after=4h:
 *    the 5xx already bounces the recipient; backoff only slows the queue so that fewer messages bounce while
 *    the block lasts, and the queue retries at full speed every 4h. bounce-queue is NOT used: it would
 *    bounce every queued Microsoft message at once, on a block that mitigation can lift.
 *  - 5xx authentication rejections (5.7.515, 5.7.509) and 5.7.510 → mode=backoff with 1h: same damage
 *    limiting, shorter because the fix is DNS/config on our side and takes effect quickly.
 *  - 4.7.500 "Server busy" → defer-queue: the guide wants a normal retry at retry-after. PowerMTA needs at
 *    least one action per rule; mode=normal would cancel a running RP-001 backoff, while defer-queue just
 *    waits for the next retry and leaves the mode alone.
 */
export const MICROSOFT_PATTERN_ENTRIES: readonly MicrosoftPatternEntry[] = [
  {
    codeId: 'RP-001',
    covers: ['RP-001'],
    regex: 'RP-001',
    actions: 'mode=backoff,backoff-to-normal-after=4h',
    comment: 'reputation rate limit; common advice: stop, check SNDS, stay slowed for at least 4h',
  },
  {
    codeId: 'RP-002',
    covers: ['RP-002'],
    regex: 'RP-002',
    actions: 'mode=backoff,backoff-to-normal-after=2h',
    comment: 'too much on one connection; common advice: fewer connections, back off 2h',
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
    label: 'too many messages per connection',
    regex: 'exceeded (the )?maximum number of messages per connection',
    actions: 'mode=backoff,backoff-to-normal-after=1h',
    comment: 'a reply without a code; lower max-msg-per-connection',
  },
  {
    codeId: '4.7.500',
    covers: ['4.7.500'],
    regex: '4\\.7\\.500 Server busy',
    actions: 'defer-queue',
    comment: 'server busy; common advice: plain retry at retry-after, no backoff',
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
    comment: 'IP on the Outlook.com block list (5.7.1); request mitigation from Outlook.com sender support',
    byWords: 'block-list',
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
    comment: 'banned sending IP (Microsoft 365); request delisting at sender.office.com',
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
    comment: 'DMARC failure with p=reject; fix SPF/DKIM alignment',
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
 * Directives for the Microsoft <domain> block that carry out the guide's per-code advice, since PowerMTA has no
 * per-pattern retry or connection settings. The rules above decide WHEN the queue backs off and for how long;
 * these decide HOW it behaves meanwhile.
 *
 *  - backoff-max-smtp-out 2: the guide's "max-smtp-out=2" for RP-002. [GUIDE]
 *  - backoff-retry-after 30m,2h,4h: the guide asks for a 30m retry (RP-002, its table), 2h (RP-002, its pattern
 *    list) and 4h (RP-001). One list per queue can only escalate: a short hiccup costs 30 minutes, a throttle
 *    that persists moves to 2h and then to 4h between attempts (the last value repeats). [GUIDE; S-PMTA-UG
 *    for the list form]
 *  - backoff-max-msg-rate 60/h: about one message a minute while throttled, KumoMTA's default reaction to
 *    Microsoft reputation throttling; the guide names no backoff rate. [S-KUMO; I]
 *  - backoff-to-normal-after-delivery is deliberately NOT set: a single accepted message would end the 4h
 *    slow period the guide asks for after RP-001.
 */
export const MICROSOFT_BACKOFF_DIRECTIVES: readonly BackoffDirective[] = [
  {
    name: 'backoff-max-smtp-out',
    value: '2',
    comment: 'common advice: fewer connections while throttled (RP-002)',
    source: 'GUIDE',
  },
  {
    name: 'backoff-retry-after',
    value: '30m,2h,4h',
    comment: 'common advice: 30m, then 2h (RP-002), then 4h (RP-001) while throttled',
    source: 'GUIDE; S-PMTA-UG',
  },
  {
    name: 'backoff-max-msg-rate',
    value: '60/h',
    comment: 'about one message a minute while throttled',
    source: 'S-KUMO',
  },
];

/** Whether a reply's text has the words a code needs to be this entry's ({@link MicrosoftCode.requires}; ignoring case, as PowerMTA matches). */
export function hasRequiredWords(code: MicrosoftCode, text: string): boolean {
  return !code.requires || compilePowerMtaRegex(code.requires)?.test(text) === true;
}

/** What a pattern entry handles, for users: its label, else the codes it covers (`SC-001/SC-002`). */
export function patternEntryLabel(entry: MicrosoftPatternEntry): string {
  return entry.label ?? entry.covers.join('/');
}

/** The recommended rules, each compiled once (as PowerMTA reads them). */
let compiledEntries: Array<{ entry: MicrosoftPatternEntry; re: RegExp | undefined }> | undefined;

/**
 * The first recommended rule that matches a reply, as the server said it (PowerMTA applies the first rule
 * that matches). The delivery report classifies a reply with it, and its configuration part names it as
 * the rule that handles an unmatched reply: both halves of the report read a reply the same way.
 */
export function patternEntryForReply(reply: string): MicrosoftPatternEntry | undefined {
  compiledEntries ??= MICROSOFT_PATTERN_ENTRIES.map((entry) => ({ entry, re: compilePowerMtaRegex(entry.regex) }));
  return compiledEntries.find((r) => r.re?.test(reply))?.entry;
}

/** The entries told by their words alone ({@link MicrosoftCode.words}), each compiled once. */
let wordEntries: Array<{ code: MicrosoftCode; re: RegExp | undefined }> | undefined;

/** The entry whose {@link MicrosoftCode.words} a reply with no code of its own matches. */
export function wordsEntryForReply(reply: string): MicrosoftCode | undefined {
  wordEntries ??= MICROSOFT_CODES.filter((c) => c.words).map((code) => ({
    code,
    re: compilePowerMtaRegex(code.words!),
  }));
  return wordEntries.find((w) => w.re?.test(reply))?.code;
}

/** One rule as two lines: a comment naming the codes, then the `reply` line. No trailing line break. */
export function renderPatternEntry(entry: MicrosoftPatternEntry, indent: string, eol = '\n'): string {
  return `${indent}# ${patternEntryLabel(entry)}: ${entry.comment}${eol}${indent}reply /${entry.regex}/ ${entry.actions}`;
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

/**
 * Compile a PowerMTA pattern body the way PowerMTA reads it (case-insensitive unless `(?-i)`); JS RegExp
 * stands in for PCRE, and a body it cannot compile gives undefined. Remembered: one object per body (no
 * g or y flag, so `test` keeps no state).
 */
export function compilePowerMtaRegex(body: string): RegExp | undefined {
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
 * requiring text Microsoft does not send (e.g. the guide's "421 4.7.0 RP-001": Microsoft's published reply has
 * no 4.7.0) correctly counts as not covering. Unknown code ids → false.
 */
export function patternListCoversCode(regexes: readonly string[], codeId: string): boolean {
  const code = codeById(codeId);
  if (!code) return false;
  return regexes.some((body) => compilePowerMtaRegex(body)?.test(code.sampleReply) === true);
}

let entryCodesMade: readonly MicrosoftCode[] | undefined;

/**
 * The codes the recommended entries cover (24 of the 77): the only ones a list's coverage is judged on,
 * so the only sample replies each of its rules is tested against.
 */
function entryCodes(): readonly MicrosoftCode[] {
  if (entryCodesMade) return entryCodesMade;
  const covered = new Set(MICROSOFT_PATTERN_ENTRIES.flatMap((e) => e.covers.map(codeById)));
  return (entryCodesMade = MICROSOFT_CODES.filter((c) => covered.has(c)));
}

/**
 * Of {@link entryCodes}, those whose sample reply a regex body matches, found once per body (lists are
 * checked on every analysis).
 */
const matched = new Memo<string, ReadonlySet<MicrosoftCode>>(1000);

function codesMatchedBy(body: string): ReadonlySet<MicrosoftCode> {
  let set = matched.get(body);
  if (set === undefined) {
    const re = compilePowerMtaRegex(body);
    set = new Set(re ? entryCodes().filter((c) => re.test(c.sampleReply)) : []);
    matched.set(body, set);
  }
  return set;
}

/** The recommended entries whose codes none of the given regex bodies cover (for "add missing rules"). */
export function missingPatternEntries(regexes: readonly string[]): MicrosoftPatternEntry[] {
  // the codes the list covers, each body matched once (asking body by body for each code of each entry
  // compiled a list of thousands of rules again and again once the memo of bodies overflowed)
  const covered = new Set<MicrosoftCode>();
  for (const body of regexes) for (const c of codesMatchedBy(body)) covered.add(c);
  return MICROSOFT_PATTERN_ENTRIES.filter(
    (e) =>
      !e.covers.every((id) => {
        const code = codeById(id);
        return code !== undefined && covered.has(code);
      }),
  );
}

// ------------------------------------------------------------------------------------------------
// 5. What a reply says about the IP that sent the mail (the delivery report from accounting files)
// ------------------------------------------------------------------------------------------------

/**
 * How a code bears on the sending IP, derived from the entry's category (no list of its own):
 *  - 'block': the IP (or its network) is refused: Outlook.com's block list (S3140/S3150), its policy
 *    blocks (SC/OU/DY), Microsoft 365's banned-sender lists (5.7.606-649, 5.7.511). [C: S-PM-TRB, S-NDR;
 *    W: S-WILD, S-SISI classifies them as "blocked"]
 *  - 'throttle': Microsoft slows the IP down: RP-001/002/003, 4.7.650-652, 4.7.500 and the Microsoft 365
 *    4.7.500-699 / 4.7.850-899 throttles. [C: S-PM-TRB, S-NDR-AS; W: S-WILD, S-KUMO]
 * Other codes (bad recipients, authentication, content, transient faults) say nothing about the IP, nor
 * do the limits of one recipient's mailbox (4.3.2, 5.2.121) or a ban of the sending domain (5.7.800),
 * whatever their category (their `about`): the report shows them as what they are, as it does 5.7.515.
 * [C: S-NDR: 4.3.2 and 5.2.121 are per recipient; 5.7.800 bans the EHLO, MAIL FROM or From domain]
 * The report calls an IP blocked when one of its bounces carries a block code, and throttled when one
 * of its deferrals carries a throttle code.
 */
export function sourceIpEffect(code: MicrosoftCode): 'block' | 'throttle' | undefined {
  if (code.about) return undefined;
  if (code.category === 'block') return 'block';
  if (code.category === 'throttle') return 'throttle';
  return undefined;
}

/**
 * How the block or listing behind a code is lifted, in words, from the entry's `removal`: who lifts it,
 * where (a page, a portal or an address), and what to do; with nothing listed (path 'none'), the steps
 * alone, which say so. The hover's "Removal" line and the delivery report's removal paths are this text.
 */
export function removalPath(code: MicrosoftCode): string {
  const r = code.removal;
  if (r.path === 'none') return r.steps;
  return `${MICROSOFT_REMOVAL_WORDS[r.path]}${r.where ? ` (${r.where})` : ''}. ${r.steps}`;
}
