/**
 * "Explain SMTP reply": a pasted bounce line, accounting record or log line in, an explanation out.
 * Microsoft codes get the same text as the hover (knowledge/microsoft.ts); any other reply gets the
 * generic meaning of its basic and enhanced status codes (RFC 5321 and RFC 3463, in our words).
 */
import { microsoftCodeMarkdown, replyMentions } from './hover';

export interface ExplainedCode {
  /** the code id in the knowledge table, e.g. `RP-001`, `5.7.606-649` */
  id: string;
  /** the text as written in the reply, e.g. `421 4.7.0 RP-001` */
  written: string;
  title: string;
  temporary: boolean;
  /** `outlook.com` (consumer) or `microsoft-365` */
  system: 'outlook.com' | 'microsoft-365';
}

export interface ReplyExplanation {
  /** Markdown for a person. */
  markdown: string;
  /** The Microsoft codes found, in order. */
  codes: ExplainedCode[];
  /** The basic SMTP code found (first one), e.g. `550`. */
  basic?: string;
  /** The enhanced status code found (first one), e.g. `5.7.1`. */
  enhanced?: string;
  /** True when the reply asks to try again later (4xx), false for a refusal (5xx), undefined when unknown. */
  temporary?: boolean;
}

/** The longest input looked at; a pasted log rarely needs more. */
const MAX_INPUT = 20_000;
const MAX_CODES = 5;

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

/** Explain a pasted SMTP reply, bounce or log line. Pure; never throws. */
export function explainReply(input: string): ReplyExplanation {
  const text = typeof input === 'string' ? input.slice(0, MAX_INPUT) : '';
  const basic = /(?:^|[^\w.])([245]\d\d)(?=[ \t-]|$)/m.exec(text)?.[1];
  const enhanced = /(?:^|[^\w.])([245]\.\d{1,3}\.\d{1,3})(?![\w.])/m.exec(text)?.[1];
  const codes: ExplainedCode[] = [];
  const sections: string[] = [];
  const seen = new Set<string>();
  for (const line of text.split(/\r\n|\r|\n/)) {
    for (const m of replyMentions(line)) {
      if (seen.has(m.code.id)) continue;
      seen.add(m.code.id);
      if (codes.length >= MAX_CODES) continue;
      codes.push({ id: m.code.id, written: m.written, title: m.code.title, temporary: m.code.temporary, system: m.code.kind === 'm365' ? 'microsoft-365' : 'outlook.com' });
      sections.push(microsoftCodeMarkdown(m));
    }
  }
  // a generic code (5.7.1) is explained after the specific one (S3150) it comes with
  const plain = new Set(['5.7.1', '5.7.0', '4.7.0']);
  if (codes.length > 1) {
    const order = codes.map((c, i) => ({ c, s: sections[i], g: plain.has(c.id) ? 1 : 0, i })).sort((a, b) => a.g - b.g || a.i - b.i);
    codes.splice(0, codes.length, ...order.map((o) => o.c));
    sections.splice(0, sections.length, ...order.map((o) => o.s));
  }
  let temporary: boolean | undefined;
  const cls = basic?.[0] ?? enhanced?.[0] ?? (codes.length ? (codes[0].temporary ? '4' : '5') : undefined);
  if (cls === '4') temporary = true;
  else if (cls === '5') temporary = false;
  let markdown: string;
  // An enhanced code alone (5.1.1, 5.7.1) is in Microsoft 365's table but every server sends it: unless the
  // text names Microsoft, explain it in general first and Microsoft's reading second.
  if (codes.length && codes.every((c) => isGenericCode({ kind: c.system === 'microsoft-365' ? 'm365' : 'olc', id: c.id })) && !namesMicrosoft(text)) {
    markdown = genericCodeMarkdown(basic, enhanced).join('\n\n') + '\n\n---\n\n**If Microsoft 365 (Exchange Online) sent it:**\n\n' + sections.join('\n\n---\n\n');
  } else if (codes.length) {
    const head = codes.length === 1 ? 'One Microsoft code' : `${codes.length} Microsoft codes`;
    markdown = `${head} found: ${codes.map((c) => '`' + c.written + '`').join(', ')}.\n\n` + sections.join('\n\n---\n\n');
    if (seen.size > MAX_CODES) markdown += `\n\n(${seen.size - MAX_CODES} more codes not shown.)`;
  } else {
    markdown = genericCodeMarkdown(basic, enhanced).join('\n\n');
  }
  const out: ReplyExplanation = { markdown, codes };
  if (basic) out.basic = basic;
  if (enhanced) out.enhanced = enhanced;
  if (temporary !== undefined) out.temporary = temporary;
  return out;
}
