/**
 * "Explain SMTP reply": a pasted bounce line, accounting record or log line in, an explanation out.
 * Microsoft codes get the same text as the hover (replies.ts, from knowledge/microsoft.ts); any other reply gets the
 * generic meaning of its basic and enhanced status codes (RFC 5321 and RFC 3463, in our words).
 */
import type { MicrosoftCode } from '../knowledge/microsoft';
import type { ExplainedCode, ReplyExplanation } from '../types';
import {
  genericCodeMarkdown,
  ifSentBy,
  isGenericMention,
  microsoftCodeMarkdown,
  namesMicrosoft,
  replyMentions,
} from './replies';

/** The longest input looked at; a pasted log rarely needs more. */
const MAX_INPUT = 20_000;
const MAX_CODES = 5;

/** Explain a pasted SMTP reply, bounce or log line. Pure; never throws. */
export function explainReply(input: string): ReplyExplanation {
  const text = typeof input === 'string' ? input.slice(0, MAX_INPUT) : '';
  const basic = /(?:^|[^\w.])([245]\d\d)(?=[ \t-]|$)/m.exec(text)?.[1];
  const enhanced = /(?:^|[^\w.])([245]\.\d{1,3}\.\d{1,3})(?![\w.])/m.exec(text)?.[1];
  const codes: ExplainedCode[] = [];
  const entries: MicrosoftCode[] = [];
  let allGeneric = true;
  const sections: string[] = [];
  const seen = new Set<string>();
  for (const line of text.split(/\r\n|\r|\n/)) {
    for (const m of replyMentions(line)) {
      if (!isGenericMention(m)) allGeneric = false;
      if (seen.has(m.code.id)) continue;
      seen.add(m.code.id);
      if (codes.length >= MAX_CODES) continue;
      codes.push({
        id: m.code.id,
        written: m.written,
        title: m.code.title,
        temporary: m.code.temporary,
        system: m.code.system,
      });
      entries.push(m.code);
      sections.push(microsoftCodeMarkdown(m));
    }
  }
  // a generic code (5.7.1) is explained after the specific one (S3150) it comes with
  const plain = new Set(['5.7.1', '5.7.0', '4.7.0']);
  if (codes.length > 1) {
    const order = codes
      .map((c, i) => ({ c, e: entries[i], s: sections[i], g: plain.has(c.id) ? 1 : 0, i }))
      .sort((a, b) => a.g - b.g || a.i - b.i);
    order.forEach((o, i) => {
      codes[i] = o.c;
      entries[i] = o.e;
      sections[i] = o.s;
    });
  }
  let temporary: boolean | undefined;
  const cls = basic?.[0] ?? enhanced?.[0] ?? (codes.length ? (codes[0].temporary ? '4' : '5') : undefined);
  if (cls === '4') temporary = true;
  else if (cls === '5') temporary = false;
  let markdown: string;
  // An enhanced code alone (5.1.1, 5.7.1) is in Microsoft's NDR reference but every server sends it: unless the
  // text names Microsoft, explain it in general first and Microsoft's reading second.
  if (entries.length && allGeneric && !namesMicrosoft(text)) {
    markdown =
      genericCodeMarkdown(basic, enhanced).join('\n\n') +
      `\n\n---\n\n**${ifSentBy(entries[0])}**\n\n` +
      sections.join('\n\n---\n\n');
  } else if (codes.length) {
    const head = codes.length === 1 ? 'One Microsoft code' : `${codes.length} Microsoft codes`;
    markdown =
      `${head} found: ${codes.map((c) => '`' + c.written + '`').join(', ')}.\n\n` + sections.join('\n\n---\n\n');
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
