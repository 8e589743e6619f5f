/**
 * The report as one self-contained HTML page: inline styles, no script, no image, no font, nothing
 * fetched (a content security policy that allows none), light and dark colours from the reader's
 * preference, the hourly chart as inline SVG (chart.ts). Every text from the files is escaped.
 */
import {
  htmlTable,
  codeWhat,
  configLine,
  deliveredAgain,
  esc,
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
  STATUS_WORDS,
  topCodes,
} from './renderCommon';
import { hourlyChart } from './chart';
import type { Report, SourceIpSummary } from './types';

const STYLE = `
:root { color-scheme: light dark; --fg: #1f2328; --bg: #ffffff; --muted: #59636e; --line: #d1d9e0; --blocked: #cf222e; --throttled: #9a6700; --ok: #1a7f37; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --bg: #0d1117; --muted: #9198a1; --line: #3d444d; --blocked: #ff7b72; --throttled: #d29922; --ok: #3fb950; } }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); margin: 2em; max-width: 80em; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 1.8em; }
table { border-collapse: collapse; margin: 0.5em 0; }
th, td { border-bottom: 1px solid var(--line); padding: 0.3em 0.7em; text-align: left; vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.muted { color: var(--muted); }
.blocked { color: var(--blocked); font-weight: 600; } .throttled { color: var(--throttled); font-weight: 600; } .ok { color: var(--ok); }
.hourly-chart { width: 100%; max-width: 60em; height: auto; font: 13px system-ui, sans-serif; }
.chart-title { fill: var(--fg); font-weight: 600; } .chart-axis, .chart-legend { fill: var(--muted); }
.chart-grid { stroke: var(--line); stroke-width: 0.5; } .chart-base { stroke: var(--muted); stroke-width: 1; }
.series-0 { fill: #cf222e; } .series-1 { fill: #0969da; } .series-2 { fill: #bf8700; } .series-3 { fill: #1a7f37; }
.series-4 { fill: #8250df; } .series-5 { fill: #bc4c00; } .series-6 { fill: #1b7c83; } .series-7 { fill: #bf3989; } .series-other { fill: #8c959f; }
`;

/** An IP, its virtual MTA, and when it was last refused and last delivered. */
function htmlIpLine(s: SourceIpSummary): string {
  const times = refusalTimes(s);
  return `<code>${esc(s.ip)}</code>${s.vmta ? ` (${esc(s.vmta)})` : ''}${times ? `: ${esc(times)}` : ''}`;
}

/** The list item that says it delivered again after its last refusal, or nothing. */
function htmlAgain(s: SourceIpSummary): string {
  const again = deliveredAgain(s);
  return again ? `<li>${esc(again)}</li>` : '';
}

export function renderHtml(r: Report): string {
  const m = r.microsoft;
  const parts: string[] = [];
  parts.push(`<h1>Microsoft delivery report</h1>`);
  parts.push(`<p>${esc(headline(r))}.</p>`);
  parts.push(`<ul>${r.files.map((f) => `<li><code>${esc(f.file)}</code>: ${esc(fileLine(f))}</li>`).join('')}</ul>`);
  parts.push(`<p class="muted">Records by type: ${esc(recordTypes(r, ', '))}.</p>`);
  parts.push(
    `<p><strong>${esc(MICROSOFT_WORDS)}:</strong> ${num(m.recipients.delivered)} delivered, ${num(m.recipients.deferred)} deferred, ${num(m.recipients.bounced)} bounced.</p>`,
  );

  const config = r.config;
  if (config)
    parts.push(`<p><strong>Configuration</strong> <code>${esc(config.file)}</code>: ${esc(configLine(config))}.</p>`);

  if (m.sourceIps.length) {
    parts.push('<h2>Source IPs</h2>');
    const head = ['IP', 'virtual MTA', 'delivered', 'deferred', 'bounced', 'status', 'codes'];
    const rows = m.sourceIps.map((s) => [
      `<code>${esc(s.ip)}</code>`,
      esc(s.vmta ?? ''),
      num(s.delivered),
      num(s.deferred),
      num(s.bounced),
      `<span class="${s.status}">${esc(STATUS_WORDS[s.status])}</span>`,
      esc(topCodes(s.codes)),
    ]);
    if (config) {
      head.splice(6, 0, 'in the configuration');
      rows.forEach((row, i) => row.splice(6, 0, esc(ipInConfig(config, m.sourceIps[i].ip))));
    }
    parts.push(
      htmlTable(
        head,
        rows,
        head.map((h) => NUMERIC_COLUMNS.includes(h)),
      ),
    );
  }

  const blocked = m.sourceIps.filter((s) => s.status === 'blocked');
  if (blocked.length) {
    parts.push('<h2>Blocked IPs: how to get them removed</h2>');
    parts.push(
      '<ul>' +
        blocked
          .map(
            (s) =>
              `<li>${htmlIpLine(s)}<ul>${htmlAgain(s)}${removalGroups(s)
                .map((g) => `<li><code>${esc(g.codes.join(', '))}</code>: ${esc(g.how)}</li>`)
                .join('')}</ul></li>`,
          )
          .join('\n') +
        '</ul>',
    );
  }

  const throttled = m.sourceIps.filter((s) => s.status === 'throttled' && s.lastThrottled);
  if (throttled.length) {
    parts.push('<h2>Throttled IPs</h2>');
    parts.push(
      '<ul>' +
        throttled
          .map((s) => `<li>${htmlIpLine(s)}${s.deliveredSinceRefused ? `<ul>${htmlAgain(s)}</ul>` : ''}</li>`)
          .join('\n') +
        '</ul>',
    );
  }

  if (m.codes.length) {
    parts.push('<h2>Codes of the deferrals and bounces</h2>');
    parts.push(
      htmlTable(
        ['code', 'deferred', 'bounced', 'first', 'last', 'what', 'what to do', 'example'],
        m.codes.map((c) => [
          `<code>${esc(c.code)}</code>`,
          num(c.deferred),
          num(c.bounced),
          esc(c.first ?? ''),
          esc(c.last ?? ''),
          esc(codeWhat(c)),
          esc(c.action ?? ''),
          `<code class="muted">${esc(c.example)}</code>`,
        ]),
        [false, true, true, false, false, false, false, false],
      ),
    );
  }

  const chart = hourlyChart(r);
  if (chart) {
    parts.push('<h2>Deferrals and bounces per hour</h2>');
    parts.push(chart);
  }

  if (m.vmtas.length) {
    parts.push('<h2>Virtual MTAs</h2>');
    parts.push(
      htmlTable(
        ['virtual MTA', 'delivered', 'deferred', 'bounced', 'codes'],
        m.vmtas.map((v) => [esc(v.vmta), num(v.delivered), num(v.deferred), num(v.bounced), esc(topCodes(v.codes))]),
        [false, true, true, true, false],
      ),
    );
  }

  if (config) {
    parts.push('<h2>Replies no rule of the pattern lists matches</h2>');
    if (!config.unmatched.length) parts.push('<p>None: a rule of the pattern lists matches every Microsoft reply.</p>');
    else {
      parts.push(
        htmlTable(
          ['code', 'deferred', 'bounced', 'rule that handles them', 'example'],
          config.unmatched.map((u) => [
            `<code>${esc(u.code)}</code>`,
            num(u.deferred),
            num(u.bounced),
            u.rule ? `<code>${esc(u.rule)}</code>` : esc(ruleOrNone(u)),
            `<code class="muted">${esc(u.example)}</code>`,
          ]),
          [false, true, true, false, false],
        ),
      );
    }
    if (config.rules.length) {
      parts.push(`<p>${esc(rulesHeading(config))}:</p>`);
      parts.push(`<pre><code>${esc(config.rules.flatMap((x) => [x.comment, x.reply]).join('\n'))}</code></pre>`);
    }
  }

  const warnings = [...r.warnings, ...(config?.warnings ?? []).map((w) => `configuration: ${w}`)];
  if (warnings.length) {
    parts.push('<h2>Warnings</h2>');
    parts.push(`<ul>${warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>`);
  }

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Microsoft delivery report</title>
<style>${STYLE}</style>
</head>
<body>
${parts.join('\n')}
</body>
</html>
`;
}
