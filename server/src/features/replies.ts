/**
 * SMTP replies in Markdown, shared by the hover and the "Explain SMTP reply" command: Microsoft codes
 * found in a line (widened to the reply written around them) with what they mean and what to do, and
 * the generic meaning of basic and enhanced status codes (RFC 5321 and RFC 3463, in our words).
 */
import { findMicrosoftCodes, type MicrosoftCode, type MicrosoftCodeMention } from '../knowledge/microsoft';
import { mdText } from './markdown';

const SOURCE_NAMES: Record<string, string> = {
  'S-PM-TRB': 'Outlook.com Postmaster troubleshooting page',
  'S-PM-POL': 'Outlook.com Postmaster policies page',
  'S-PM-SVC': 'Outlook.com Postmaster services page',
  'S-HVS': "Microsoft's 2025 announcement on high-volume senders",
  'S-NDR': 'Microsoft Learn, Exchange Online NDR reference',
  'S-NDR-AS': 'Microsoft Learn, 4.7.500-699 article',
  'S-NDR-700': 'Microsoft Learn, 5.7.700-750 article',
  'S-NDR-447': 'Microsoft Learn, 4.4.7 article',
  'S-DBEB': 'Microsoft Learn, Directory-Based Edge Blocking',
  'S-SISI': 'Sisimai bounce classifier',
  'S-TB': 'Thunderbird ISPDB',
  'S-KUMO': 'KumoMTA shaping rules',
  'S-PMTA-UG': "PowerMTA User's Guide",
  'S-WILD': 'real bounce samples',
  GUIDE: 'a widely copied PowerMTA guide for Microsoft traffic (common advice, not a Microsoft source)',
};

const CERTAINTY_WORDS: Record<string, string> = {
  C: 'stated by the source',
  W: 'seen in real bounces, not a Microsoft statement',
  I: 'our inference',
};

function sourceNames(source: string): string {
  return source
    .split(/[;,]\s*/)
    .map((k) => k.trim())
    .filter(Boolean)
    .map((k) => SOURCE_NAMES[k] ?? k)
    .join('; ');
}

/** How a code is written in a reply: `421 RP-001`, `550 5.7.515`, `451 4.7.650`. */
function codeLabel(c: MicrosoftCode): string {
  const parts = [c.smtp, c.enhanced && c.enhanced !== c.id ? c.enhanced : undefined, c.id].filter(Boolean);
  return parts.join(' ');
}

/** Which Microsoft system sends a code, and which block list a block code means. */
function systemLines(c: MicrosoftCode): string[] {
  const out: string[] = [];
  if (c.kind === 'm365') out.push('**Sent by:** Microsoft 365 / Exchange Online (business mail hosted by Microsoft), not the Outlook.com consumer servers.');
  else out.push(`**Sent by:** Outlook.com consumer mail (Hotmail, Live, MSN, Outlook.com)${c.kind === 'olc-wild' ? '; the code is seen in real bounces but not in Microsoft\'s published table' : ''}.`);
  if (c.category === 'block') {
    out.push(
      c.kind === 'm365'
        ? "**Block list:** Microsoft 365's blocked-senders list; removal is self-service at https://sender.office.com/."
        : '**Block list:** the Outlook.com consumer block list; removal goes through the Outlook.com sender support form, not the Microsoft 365 delist portal.',
    );
  }
  return out;
}

/**
 * A Microsoft reply mention widened to the reply written around it: the basic code and the
 * enhanced code just before it (`421 4.7.0 RP-001`, `550 5.7.1 … (S3150)` stays the tag alone).
 */
export interface ReplyMention extends MicrosoftCodeMention {
  /** the text of the whole reply prefix + code as written */
  written: string;
}

const SEP = String.raw`(?:[ \t]+|-|\\s[+*]?|\.\*\??)`; // a space, the `-` of a multi-line reply, or a regex gap (\s, \s+, .*)
const ENHANCED = String.raw`[245]\\?\.\d{1,3}\\?\.\d{1,3}`; // 4.7.0, or 4\.7\.0 in a regex
const REPLY_PREFIX = new RegExp(String.raw`(?:^|[^\w.\\])((?:[245]\d\d${SEP}(?:${ENHANCED}${SEP})?|${ENHANCED}${SEP}))$`);

/** Every Microsoft code mention in a line, each widened to the reply prefix written before it. */
export function replyMentions(lineText: string): ReplyMention[] {
  let hits: MicrosoftCodeMention[];
  try {
    hits = findMicrosoftCodes(lineText);
  } catch {
    return [];
  }
  const out: ReplyMention[] = [];
  for (let i = 0; i < hits.length; i++) {
    const h = hits[i];
    let start = h.start;
    const before = lineText.slice(Math.max(0, h.start - 40), h.start);
    const m = REPLY_PREFIX.exec(before);
    if (m) {
      const s = h.start - m[1].length;
      // the prefix must not swallow an earlier mention (`550 5.7.606` is one mention already)
      if (!out.length || out[out.length - 1].end <= s) start = s;
    }
    out.push({ ...h, start, written: lineText.slice(start, h.end) });
  }
  return out;
}

/** The explanation of one Microsoft code, as Markdown (hover and the "Explain SMTP reply" command). */
export function microsoftCodeMarkdown(hit: Pick<ReplyMention, 'code' | 'covers'> & { written?: string }): string {
  const c = hit.code;
  const where = c.kind === 'm365' ? 'Microsoft 365 / Exchange Online' : 'Outlook.com';
  const parts: string[] = [`**${codeLabel(c)}** — ${c.title} *(${where} reply, ${c.temporary ? 'temporary: PowerMTA keeps the message and retries' : 'permanent: the recipient bounces'})*`];
  const written = hit.written?.trim();
  if (written && written.toUpperCase() !== c.id.toUpperCase() && written !== codeLabel(c) && hit.covers.length <= 1) parts.push(`Written here as \`${written}\`.`);
  if (hit.covers.length > 1) {
    parts.push(`This pattern matches ${hit.covers.length} codes: ${hit.covers.map((x) => '`' + x.id + '`').join(', ')}. The first one:`);
  }
  parts.push(mdText(c.meaning));
  parts.push(...systemLines(c));
  if (c.action) parts.push(`**What to do:** ${mdText(c.action)}`);
  if (c.pmta) parts.push(`**In PowerMTA:** ${mdText(c.pmta)}`);
  if (c.guideSays) parts.push(`**What a widely copied PowerMTA guide says:** ${mdText(c.guideSays)}`);
  if (c.sampleReply) parts.push('Example reply:\n```text\n' + c.sampleReply + '\n```');
  parts.push(`*Source: ${sourceNames(c.source)} (${CERTAINTY_WORDS[c.certainty] ?? c.certainty})*`);
  return parts.join('\n\n');
}

// ---------------------------------------------------------------------------------------------
// any mail server

const CLASS_WORDS: Record<string, string> = {
  '2': 'success: the receiving server accepted the command or the message',
  '4': 'a temporary failure: the receiving server asks to try again later, and PowerMTA keeps the message queued and retries (`retry-after`) until `bounce-after` expires',
  '5': 'a permanent failure: the receiving server refuses, and PowerMTA bounces the recipient without retrying',
};

/** RFC 3463 subjects (the middle number of an enhanced code), in our words. */
const SUBJECT_WORDS: Record<string, string> = {
  '0': 'other or undefined',
  '1': 'the address (sender or recipient)',
  '2': 'the recipient mailbox',
  '3': 'the receiving mail system',
  '4': 'the network or routing',
  '5': 'the SMTP protocol exchange',
  '6': 'the message content or its encoding',
  '7': 'security or policy (authentication, reputation, blocking)',
};

/** A few common enhanced codes, RFC 3463, in our words. */
const DETAIL_WORDS: Record<string, string> = {
  '1.1': 'the mailbox does not exist (bad address)',
  '1.2': 'the destination domain does not exist or cannot take mail',
  '2.1': 'the mailbox is disabled',
  '2.2': 'the mailbox is full',
  '3.4': 'the message is too big for the receiving system',
  '4.1': 'no answer from the receiving host',
  '4.4': 'the message could not be routed',
  '4.7': 'the delivery time expired',
  '5.3': 'too many recipients',
  '7.1': 'delivery not authorised: the message or the sender was refused by policy',
};

/** True for a plain enhanced code (5.1.1, 4.7.0) from Microsoft 365's table: every mail server sends those. */
export function isGenericCode(c: { kind: string; id: string }): boolean {
  return c.kind === 'm365' && /^[245]\.\d{1,3}\.\d{1,3}$/.test(c.id);
}

/** True when a text names Microsoft's mail systems (a host, a brand or a domain family). */
export function namesMicrosoft(text: string): boolean {
  return /outlook|hotmail|\blive\.|\bmsn\.|microsoft|office\s?365|exchange|protection\.outlook/i.test(text);
}

/** What a basic and an enhanced status code mean on any mail server (RFC 5321, RFC 3463), as Markdown paragraphs. */
export function genericCodeMarkdown(basic: string | undefined, enhanced: string | undefined): string[] {
  const out: string[] = [];
  const cls = basic?.[0] ?? enhanced?.[0];
  if (basic) out.push(`**${basic}** — ${CLASS_WORDS[basic[0]] ?? 'not a standard SMTP reply class'}.`);
  if (enhanced) {
    const [c, s, d] = enhanced.split('.');
    const detail = DETAIL_WORDS[`${s}.${d}`];
    out.push(
      `**${enhanced}** — enhanced status code: ${c === '4' ? 'temporary' : c === '5' ? 'permanent' : c === '2' ? 'success' : 'unknown class'}, about ${SUBJECT_WORDS[s] ?? 'an unknown subject'}${detail ? `; ${detail}` : ''}.`,
    );
  }
  if (basic && enhanced && basic[0] !== enhanced[0]) out.push(`The basic code (${basic[0]}xx) and the enhanced code (${enhanced[0]}.x.x) disagree; PowerMTA acts on the basic code.`);
  if (!out.length) out.push('No SMTP reply code (such as `550` or `4.7.0`) and no Microsoft code (such as `RP-001` or `S3150`) was found in this text.');
  else if (cls === '4') out.push('**In PowerMTA:** an `<smtp-pattern-list>` rule (`reply /…/ mode=backoff`) can slow the queue while such replies last.');
  else if (cls === '5') out.push('**In PowerMTA:** the recipient bounces; check the bounce category your accounting file records for it before suppressing the address.');
  return out;
}
