/**
 * SMTP replies in Markdown, shared by the hover and the "Explain SMTP reply" command: Microsoft codes
 * found in a line (widened to the reply written around them) with what they mean and what to do, and
 * the generic meaning of basic and enhanced status codes (RFC 5321 and RFC 3463, in our words).
 */
import {
  findMicrosoftCodes,
  hasRequiredWords,
  MICROSOFT_SOURCE_NAMES,
  MICROSOFT_SYSTEM_WORDS,
  type MicrosoftCode,
  type MicrosoftCodeMention,
  type MicrosoftSystem,
  removalPath,
} from '../knowledge/microsoft';
import { mdText } from './markdown';
import type { CodeExplanation } from '../types';

const CERTAINTY_WORDS: Record<string, string> = {
  C: 'stated by the source',
  W: 'seen in real bounces, not a Microsoft statement',
  I: 'our reading of the sources, not a Microsoft statement',
};

const DOCUMENTED_WORDS: Record<MicrosoftCode['documented'], string> = {
  'postmaster-table': "in Outlook.com's postmaster troubleshooting page.",
  'microsoft-learn': "in Microsoft Learn's Exchange Online NDR reference.",
  'real-bounces-only': 'in no Microsoft table or article; known from real bounces.',
};

/** Short names of the systems, for the title line. */
const SYSTEM_SHORT: Record<MicrosoftSystem, string> = {
  'outlook.com': 'Outlook.com',
  'microsoft-365': 'Microsoft 365 / Exchange Online',
  either: 'Outlook.com or Microsoft 365',
};

function sourceNames(source: string): string {
  return source
    .split(/[;,]\s*/)
    .map((k) => k.trim())
    .filter(Boolean)
    .map((k) => MICROSOFT_SOURCE_NAMES[k] ?? k)
    .join('; ');
}

/** How a code is written in a reply: `421 RP-001`, `550 5.7.515`, `451 4.7.650`; the label for a reply without a code. */
function codeLabel(c: MicrosoftCode): string {
  if (c.label) return c.label;
  const parts = [c.smtp, c.enhanced && c.enhanced !== c.id ? c.enhanced : undefined, c.id].filter(Boolean);
  return parts.join(' ');
}

/** The "Sent by" line of a code: its entry's system. */
function sentByLine(c: MicrosoftCode): string {
  return `**Sent by:** ${MICROSOFT_SYSTEM_WORDS[c.system]}.`;
}

/**
 * The "Removal" line of a code: its entry's removal path, where to go and what to do. With nothing listed
 * (path 'none') the steps say so themselves.
 */
function removalLine(c: MicrosoftCode): string {
  return `**Removal:** ${mdText(removalPath(c))}`;
}

/** "If Microsoft 365 (Exchange Online) sent it:" and the like, before Microsoft's reading of a generic code. */
export function ifSentBy(c: MicrosoftCode): string {
  return c.system === 'outlook.com'
    ? 'If Outlook.com sent it:'
    : c.system === 'microsoft-365'
      ? 'If Microsoft 365 (Exchange Online) sent it:'
      : 'If Microsoft (Outlook.com or Microsoft 365) sent it:';
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
const REPLY_PREFIX = new RegExp(
  String.raw`(?:^|[^\w.\\])((?:[245]\d\d${SEP}(?:${ENHANCED}${SEP})?|${ENHANCED}${SEP}))$`,
);

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
    // a code Microsoft uses for one thing only with its words (4.3.2: recipient thread limit): in a reply
    // with other words it is not that thing (a regex naming the code is still about it)
    if (!hasRequiredWords(h.code, lineText) && !lineText.slice(h.start, h.end).includes('\\')) continue;
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

/**
 * The explanation of one Microsoft code, as Markdown (hover and the "Explain SMTP reply" command). Every line
 * comes from the code's own entry: what it means, which system sends it, where it is documented, how its
 * block or listing is lifted, what to do.
 */
export function microsoftCodeMarkdown(hit: Pick<ReplyMention, 'code' | 'covers'> & { written?: string }): string {
  const c = hit.code;
  const parts: string[] = [
    `**${codeLabel(c)}** — ${c.title} *(${SYSTEM_SHORT[c.system]} reply, ${c.temporary ? 'temporary: PowerMTA keeps the message and retries' : 'permanent: the recipient bounces'})*`,
  ];
  const written = hit.written?.trim();
  if (written && written.toUpperCase() !== c.id.toUpperCase() && written !== codeLabel(c) && hit.covers.length <= 1)
    parts.push(`Written here as \`${written}\`.`);
  if (hit.covers.length > 1) {
    parts.push(
      `This pattern matches ${hit.covers.length} codes: ${hit.covers.map((x) => '`' + x.id + '`').join(', ')}. The first one:`,
    );
  }
  parts.push(mdText(c.meaning));
  parts.push(sentByLine(c));
  parts.push(`**Documented:** ${DOCUMENTED_WORDS[c.documented]}`);
  parts.push(removalLine(c));
  if (c.action) parts.push(`**What to do:** ${mdText(c.action)}`);
  if (c.pmta) parts.push(`**In PowerMTA:** ${mdText(c.pmta)}`);
  if (c.guideSays) parts.push(`**What a widely copied PowerMTA guide says:** ${mdText(c.guideSays)}`);
  if (c.sampleReply) parts.push('Example reply:\n```text\n' + c.sampleReply + '\n```');
  parts.push(`*Source: ${sourceNames(c.source)} (${CERTAINTY_WORDS[c.certainty] ?? c.certainty})*`);
  return parts.join('\n\n');
}

/**
 * The explanation of one Microsoft code as fields (the delivery report's view shows them apart), in
 * the words of {@link microsoftCodeMarkdown}: each field is one of its paragraphs, Markdown code spans
 * kept.
 */
export function codeExplanation(c: MicrosoftCode): CodeExplanation {
  const out: CodeExplanation = {
    id: c.id,
    label: codeLabel(c),
    title: c.title,
    system: SYSTEM_SHORT[c.system],
    sentBy: MICROSOFT_SYSTEM_WORDS[c.system],
    temporary: c.temporary,
    meaning: mdText(c.meaning),
    documented: DOCUMENTED_WORDS[c.documented],
    removal: mdText(removalPath(c)),
    action: mdText(c.action),
    pmta: mdText(c.pmta),
    source: `${sourceNames(c.source)} (${CERTAINTY_WORDS[c.certainty] ?? c.certainty})`,
  };
  if (c.guideSays) out.guideSays = mdText(c.guideSays);
  return out;
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

/**
 * True for an entry that is a plain enhanced code (5.1.1, 5.7.1, 4.7.500) from Microsoft Learn's NDR reference:
 * any mail server may send such a code, so Microsoft's reading applies only when Microsoft sent it.
 */
function isGenericCode(c: Pick<MicrosoftCode, 'documented' | 'id'>): boolean {
  return c.documented === 'microsoft-learn' && /^[245]\.\d{1,3}\.\d{1,3}$/.test(c.id);
}

/**
 * True for a mention of such a code written as the code itself (`5.7.1`, `550 5.7.1`, `4\.7\.500`): a tag
 * that stands for it (`AS761` for 4.7.500) is Microsoft's own, so Microsoft's reading comes first there.
 */
export function isGenericMention(m: { code: Pick<MicrosoftCode, 'documented' | 'id'>; written: string }): boolean {
  return isGenericCode(m.code) && /^(?:[245]\d\d[ \t-]+)?[245]\\?\.\d{1,3}\\?\.\d{1,3}$/.test(m.written.trim());
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
  if (basic && enhanced && basic[0] !== enhanced[0])
    out.push(
      `The basic code (${basic[0]}xx) and the enhanced code (${enhanced[0]}.x.x) disagree; PowerMTA acts on the basic code.`,
    );
  if (!out.length)
    out.push(
      'No SMTP reply code (such as `550` or `4.7.0`) and no Microsoft code (such as `RP-001` or `S3150`) was found in this text.',
    );
  else if (cls === '4')
    out.push(
      '**In PowerMTA:** an `<smtp-pattern-list>` rule (`reply /…/ mode=backoff`) can slow the queue while such replies last.',
    );
  else if (cls === '5')
    out.push(
      '**In PowerMTA:** the recipient bounces; check the bounce category your accounting file records for it before suppressing the address.',
    );
  return out;
}
