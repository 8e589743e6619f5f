/**
 * The report as plain text for a terminal: the files (with the line numbers of skipped rows), the
 * records by type, the Microsoft totals, the source IP table, how to get blocked IPs removed, the codes,
 * the virtual MTAs and the warnings. Columns are aligned; no colours.
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

/** Text from the files without control characters (an escape sequence must not reach the terminal). */
function clean(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
}

/** Rows as aligned columns (numbers right-aligned, text left-aligned), each line indented. */
function table(head: string[], rows: string[][], numeric: boolean[], indent = '  '): string[] {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    indent +
    cells
      .map((c, i) => (i === cells.length - 1 ? c : numeric[i] ? c.padStart(w[i]) : c.padEnd(w[i])))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map((r) => line(r.map(clean)))];
}

/** `  203.0.113.1 (mta1): last blocked 2026-01-15T09:00:00Z, last delivered 2026-01-15T18:19:00Z` */
function ipLine(s: SourceIpSummary): string {
  const times = refusalTimes(s);
  return clean(`  ${s.ip}${s.vmta ? ` (${s.vmta})` : ''}${times ? `: ${times}` : ''}`);
}

export function renderText(r: Report): string {
  const out: string[] = [];
  out.push(`Microsoft delivery report: ${headline(r)}`);
  for (const f of r.files) out.push(clean(`  ${f.file}: ${fileLine(f)}`));
  out.push(`Records by type: ${recordTypes(r)}`);
  out.push('');
  const m = r.microsoft;
  out.push(
    `${MICROSOFT_WORDS}: ${num(m.recipients.delivered)} delivered, ${num(m.recipients.deferred)} deferred, ${num(m.recipients.bounced)} bounced`,
  );

  const config = r.config;
  if (config) out.push('', clean(`Configuration ${config.file}: ${configLine(config)}`));

  if (m.sourceIps.length) {
    out.push('', 'Source IPs');
    const head = ['ip', 'vmta', 'delivered', 'deferred', 'bounced', 'status', 'codes'];
    const rows = m.sourceIps.map((s) => [
      s.ip,
      s.vmta ?? '-',
      num(s.delivered),
      num(s.deferred),
      num(s.bounced),
      STATUS_WORDS[s.status],
      topCodes(s.codes),
    ]);
    // with a configuration: how it maps each IP, before the codes (the last column is not padded)
    if (config) {
      head.splice(6, 0, 'in the configuration');
      rows.forEach((row, i) => row.splice(6, 0, ipInConfig(config, m.sourceIps[i].ip)));
    }
    out.push(
      ...table(
        head,
        rows,
        head.map((h) => NUMERIC_COLUMNS.includes(h)),
      ),
    );
  }

  const blocked = m.sourceIps.filter((s) => s.status === 'blocked');
  if (blocked.length) {
    out.push('', 'Blocked IPs: how to get them removed');
    for (const s of blocked) {
      out.push(ipLine(s));
      const again = deliveredAgain(s);
      if (again) out.push(`    ${again}`);
      for (const g of removalGroups(s)) out.push(`    ${g.codes.join(', ')}: ${g.how}`);
    }
  }

  // throttled IPs: when last throttled (those with a time only)
  const throttled = m.sourceIps.filter((s) => s.status === 'throttled' && s.lastThrottled);
  if (throttled.length) {
    out.push('', 'Throttled IPs');
    for (const s of throttled) {
      out.push(ipLine(s));
      const again = deliveredAgain(s);
      if (again) out.push(`    ${again}`);
    }
  }

  if (m.codes.length) {
    out.push('', 'Codes of the deferrals and bounces');
    out.push(
      ...table(
        ['code', 'deferred', 'bounced', 'first', 'last', 'what'],
        m.codes.map((c) => [c.code, num(c.deferred), num(c.bounced), c.first ?? '-', c.last ?? '-', codeWhat(c)]),
        [false, true, true, false, false, false],
      ),
    );
  }

  if (m.vmtas.length) {
    out.push('', 'Virtual MTAs');
    out.push(
      ...table(
        ['vmta', 'delivered', 'deferred', 'bounced', 'codes'],
        m.vmtas.map((v) => [v.vmta, num(v.delivered), num(v.deferred), num(v.bounced), topCodes(v.codes)]),
        [false, true, true, true, false],
      ),
    );
  }

  if (config) {
    out.push('', `Replies no rule of the pattern lists matches${config.unmatched.length ? '' : ': none'}`);
    if (config.unmatched.length) {
      out.push(
        ...table(
          ['code', 'deferred', 'bounced', 'rule that handles them'],
          config.unmatched.map((u) => [u.code, num(u.deferred), num(u.bounced), ruleOrNone(u)]),
          [false, true, true, false],
        ),
      );
      for (const u of config.unmatched) out.push(clean(`  ${u.code}, e.g.: ${shorten(u.example)}`));
    }
    if (config.rules.length) {
      out.push('', rulesHeading(config));
      for (const rule of config.rules) out.push(`  ${rule.comment}`, `  ${rule.reply}`);
    }
  }

  const warnings = [...r.warnings, ...(config?.warnings ?? []).map((w) => `configuration: ${w}`)];
  if (warnings.length) {
    out.push('', 'Warnings');
    for (const w of warnings) out.push(clean(`  ${w}`));
  }
  return out.join('\n') + '\n';
}
