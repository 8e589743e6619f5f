/**
 * The report as Markdown (GitHub-flavoured tables), for a ticket, a wiki page or a pull request. Text
 * from the files (names, codes, virtual MTAs, replies) is escaped so that it cannot break a table or
 * turn into markup.
 */
import {
  codeWhat,
  configLine,
  deliveredAgain,
  fileLine,
  headline,
  ipInConfig,
  MICROSOFT_WORDS,
  NUMERIC_COLUMNS,
  num,
  recordTypes,
  refusalTimes,
  removalGroups,
  ruleOrNone,
  rulesHeading,
  shorten,
  STATUS_WORDS,
  topCodes,
} from './renderCommon';
import type { Report, SourceIpSummary } from './types';

/**
 * Text safe in a Markdown table cell or list item: line breaks as spaces, and the characters that can
 * start markup in running text escaped (a `-` or `+` only at the start, where it would make a list).
 */
function mdCell(text: string): string {
  return text
    .replace(/\r?\n|\r/g, ' ')
    .replace(/[\\`*_[\]<>|~#&]/g, (c) => '\\' + c)
    .replace(/^[-+]/, (c) => '\\' + c);
}

/**
 * Text as inline code, shown as it is: line breaks as spaces; fenced by more backticks than any run of
 * them inside, with a space each side when it starts or ends with a backtick or a space (Markdown takes
 * one off each side). In a table cell (`inTable`), each `|` is written `\|`: GFM reads that as a pipe,
 * inside code too, where a bare `|` would end the cell.
 */
function mdCode(text: string, inTable: boolean): string {
  let t = text.replace(/\r?\n|\r/g, ' ');
  if (inTable) t = t.replace(/\|/g, '\\|');
  if (!t.trim()) return t && mdCell(t);
  let longest = 0;
  for (const run of t.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  const pad = /^[` ]|[` ]$/.test(t) ? ' ' : '';
  return `${fence}${pad}${t}${pad}${fence}`;
}

function mdTable(head: string[], rows: string[][], right: boolean[]): string[] {
  return [
    `| ${head.join(' | ')} |`,
    `|${right.map((r) => (r ? ' ---: ' : ' --- ')).join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ];
}

/** `- **203.0.113.1** (mta1): last blocked 2026-01-15T09:00:00Z, last delivered 2026-01-15T18:19:00Z` */
function mdIpLine(s: SourceIpSummary): string {
  const times = refusalTimes(s);
  return `- **${mdCell(s.ip)}**${s.vmta ? ` (${mdCell(s.vmta)})` : ''}${times ? `: ${mdCell(times)}` : ''}`;
}

export function renderMarkdown(r: Report): string {
  const out: string[] = ['# Microsoft delivery report', ''];
  out.push(`${mdCell(headline(r))}.`, '');
  for (const f of r.files) out.push(`- ${mdCode(f.file, false)}: ${mdCell(fileLine(f))}`);
  out.push('', `Records by type: ${recordTypes(r, ', ')}.`, '');
  const m = r.microsoft;
  out.push(
    `**${MICROSOFT_WORDS}:** ${num(m.recipients.delivered)} delivered, ${num(m.recipients.deferred)} deferred, ${num(m.recipients.bounced)} bounced.`,
  );

  const config = r.config;
  if (config) out.push('', `**Configuration** ${mdCode(config.file, false)}: ${mdCell(configLine(config))}.`);

  if (m.sourceIps.length) {
    out.push('', '## Source IPs', '');
    const head = ['IP', 'virtual MTA', 'delivered', 'deferred', 'bounced', 'status', 'codes'];
    const rows = m.sourceIps.map((s) => [
      mdCell(s.ip),
      s.vmta ? mdCell(s.vmta) : '',
      num(s.delivered),
      num(s.deferred),
      num(s.bounced),
      s.status === 'blocked' ? `**${STATUS_WORDS[s.status]}**` : STATUS_WORDS[s.status],
      mdCell(topCodes(s.codes)),
    ]);
    if (config) {
      head.splice(6, 0, 'in the configuration');
      rows.forEach((row, i) => row.splice(6, 0, mdCell(ipInConfig(config, m.sourceIps[i].ip))));
    }
    out.push(
      ...mdTable(
        head,
        rows,
        head.map((h) => NUMERIC_COLUMNS.includes(h)),
      ),
    );
  }

  const blocked = m.sourceIps.filter((s) => s.status === 'blocked');
  if (blocked.length) {
    out.push('', '## Blocked IPs: how to get them removed', '');
    for (const s of blocked) {
      out.push(mdIpLine(s));
      const again = deliveredAgain(s);
      if (again) out.push(`  - ${mdCell(again)}`);
      for (const g of removalGroups(s)) out.push(`  - ${g.codes.map(mdCell).join(', ')}: ${mdCell(g.how)}`);
    }
  }

  const throttled = m.sourceIps.filter((s) => s.status === 'throttled' && s.lastThrottled);
  if (throttled.length) {
    out.push('', '## Throttled IPs', '');
    for (const s of throttled) {
      out.push(mdIpLine(s));
      const again = deliveredAgain(s);
      if (again) out.push(`  - ${mdCell(again)}`);
    }
  }

  if (m.codes.length) {
    out.push('', '## Codes of the deferrals and bounces', '');
    out.push(
      ...mdTable(
        ['code', 'deferred', 'bounced', 'first', 'last', 'what', 'what to do'],
        m.codes.map((c) => [
          mdCode(c.code, true),
          num(c.deferred),
          num(c.bounced),
          c.first ?? '',
          c.last ?? '',
          mdCell(codeWhat(c)),
          c.action ? mdCell(c.action) : '',
        ]),
        [false, true, true, false, false, false, false],
      ),
    );
  }

  if (m.vmtas.length) {
    out.push('', '## Virtual MTAs', '');
    out.push(
      ...mdTable(
        ['virtual MTA', 'delivered', 'deferred', 'bounced', 'codes'],
        m.vmtas.map((v) => [
          mdCell(v.vmta),
          num(v.delivered),
          num(v.deferred),
          num(v.bounced),
          mdCell(topCodes(v.codes)),
        ]),
        [false, true, true, true, false],
      ),
    );
  }

  if (config) {
    out.push('', '## Replies no rule of the pattern lists matches', '');
    if (!config.unmatched.length) out.push('None: a rule of the pattern lists matches every Microsoft reply.');
    else {
      out.push(
        ...mdTable(
          ['code', 'deferred', 'bounced', 'rule that handles them', 'example'],
          config.unmatched.map((u) => [
            mdCode(u.code, true),
            num(u.deferred),
            num(u.bounced),
            u.rule ? mdCode(u.rule, true) : mdCell(ruleOrNone(u)),
            mdCell(shorten(u.example)),
          ]),
          [false, true, true, false, false],
        ),
      );
    }
    if (config.rules.length) {
      const lines = config.rules.flatMap((x) => [x.comment, x.reply]);
      // a fence longer than any run of backticks in the lines
      let longest = 2;
      for (const run of lines.join('\n').match(/`+/g) ?? []) longest = Math.max(longest, run.length);
      const fence = '`'.repeat(longest + 1);
      out.push('', `${mdCell(rulesHeading(config))}:`, '', fence, ...lines, fence);
    }
  }

  const warnings = [...r.warnings, ...(config?.warnings ?? []).map((w) => `configuration: ${w}`)];
  if (warnings.length) {
    out.push('', '## Warnings', '');
    for (const w of warnings) out.push(`- ${mdCell(w)}`);
  }
  return out.join('\n') + '\n';
}
