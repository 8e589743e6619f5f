/**
 * The report as Markdown (GitHub-flavoured tables), for a ticket, a wiki page or a pull request. Text
 * from the files (names, codes, virtual MTAs, replies) is escaped so that it cannot break a table or
 * turn into markup.
 */
import {
  codeWhat,
  fileLine,
  headline,
  MICROSOFT_WORDS,
  num,
  recordTypes,
  removalGroups,
  STATUS_WORDS,
  topCodes,
} from './renderCommon';
import type { Report } from './types';

/**
 * Text safe in a Markdown table cell or list item: line breaks as spaces, and the characters that can
 * start markup in running text escaped (a `-` or `+` only at the start, where it would make a list).
 */
function mdCell(text: string): string {
  return text
    .replace(/\r?\n|\r/g, ' ')
    .replace(/[\\`*_[\]<>|~#]/g, (c) => '\\' + c)
    .replace(/^[-+]/, (c) => '\\' + c);
}

function mdTable(head: string[], rows: string[][], right: boolean[]): string[] {
  return [`| ${head.join(' | ')} |`, `|${right.map((r) => (r ? ' ---: ' : ' --- ')).join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

export function renderMarkdown(r: Report): string {
  const out: string[] = ['# Microsoft delivery report', ''];
  out.push(`${mdCell(headline(r))}.`, '');
  for (const f of r.files) out.push(`- \`${f.file.replace(/`/g, "'")}\`: ${mdCell(fileLine(f))}`);
  out.push('', `Records by type: ${recordTypes(r, ', ')}.`, '');
  const m = r.microsoft;
  out.push(`**${MICROSOFT_WORDS}:** ${num(m.recipients.delivered)} delivered, ${num(m.recipients.deferred)} deferred, ${num(m.recipients.bounced)} bounced.`);

  if (m.sourceIps.length) {
    out.push('', '## Source IPs', '');
    out.push(
      ...mdTable(
        ['IP', 'virtual MTA', 'delivered', 'deferred', 'bounced', 'status', 'codes'],
        m.sourceIps.map((s) => [
          mdCell(s.ip),
          s.vmta ? mdCell(s.vmta) : '',
          num(s.delivered),
          num(s.deferred),
          num(s.bounced),
          s.status === 'blocked' ? `**${STATUS_WORDS[s.status]}**` : STATUS_WORDS[s.status],
          mdCell(topCodes(s.codes)),
        ]),
        [false, false, true, true, true, false, false],
      ),
    );
  }

  const blocked = m.sourceIps.filter((s) => s.status === 'blocked');
  if (blocked.length) {
    out.push('', '## Blocked IPs: how to get them removed', '');
    for (const s of blocked) {
      out.push(`- **${mdCell(s.ip)}**${s.vmta ? ` (${mdCell(s.vmta)})` : ''}`);
      for (const g of removalGroups(s)) out.push(`  - ${g.codes.map(mdCell).join(', ')}: ${mdCell(g.how)}`);
    }
  }

  if (m.codes.length) {
    out.push('', '## Codes of the deferrals and bounces', '');
    out.push(
      ...mdTable(
        ['code', 'deferred', 'bounced', 'first', 'last', 'what', 'what to do'],
        m.codes.map((c) => [`\`${c.code.replace(/`/g, "'")}\``, num(c.deferred), num(c.bounced), c.first ?? '', c.last ?? '', mdCell(codeWhat(c)), c.action ? mdCell(c.action) : '']),
        [false, true, true, false, false, false, false],
      ),
    );
  }

  if (m.vmtas.length) {
    out.push('', '## Virtual MTAs', '');
    out.push(
      ...mdTable(
        ['virtual MTA', 'delivered', 'deferred', 'bounced', 'codes'],
        m.vmtas.map((v) => [mdCell(v.vmta), num(v.delivered), num(v.deferred), num(v.bounced), mdCell(topCodes(v.codes))]),
        [false, true, true, true, false],
      ),
    );
  }

  if (r.warnings.length) {
    out.push('', '## Warnings', '');
    for (const w of r.warnings) out.push(`- ${mdCell(w)}`);
  }
  return out.join('\n') + '\n';
}
