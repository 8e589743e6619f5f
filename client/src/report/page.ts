/**
 * The page of the "Microsoft Delivery Report" view: the server's answer (pmta/deliveryReport) as one
 * HTML document for a VS Code webview. Everything is in it (styles, the hourly chart as inline SVG, a
 * small script), under a strict content security policy: nothing may be loaded, and the style and the
 * script run only with the page's nonce. Colours are the theme's (VS Code's CSS variables). Every text
 * from the files and the configuration is escaped; links carry their target in a data attribute and the
 * script hands them to the extension, which opens only what the report names. Pure: no `vscode` here
 * (the panel is view.ts), so that tests can read the page.
 */
import { hourlyChart } from '../../../server/src/accounting/chart';
import {
  deliveredAgain,
  esc,
  fileLine,
  headline,
  htmlTable,
  ipInConfig,
  num,
  recordTypes,
  refusalTimes,
  removalGroups,
  ruleOrNone,
  rulesHeading,
  STATUS_WORDS,
  topCodes,
} from '../../../server/src/accounting/renderCommon';
import type { DeliveryReportResult } from '../../../server/src/server/protocol';

/** What the page needs from its webview. */
export interface PageEnv {
  /** a fresh random value: the style and the script run with it only */
  nonce: string;
}

/** Messages the page sends to the extension. */
export type PageMessage = { type: 'openVmta'; name: string } | { type: 'openLink'; url: string } | { type: 'addRules' };

/** Messages the extension sends to the page: how adding the rules went. */
export type ViewMessage = { type: 'rulesAdded'; text: string } | { type: 'rulesFailed'; text: string };

const STYLE = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 0 1.5em 2em; line-height: 1.45; }
h1 { font-size: 1.5em; font-weight: 600; margin: 0.8em 0 0.3em; } h2 { font-size: 1.2em; font-weight: 600; margin: 1.8em 0 0.5em; }
table { border-collapse: collapse; margin: 0.4em 0; }
th, td { border-bottom: 1px solid var(--vscode-editorWidget-border, var(--vscode-panel-border)); padding: 0.3em 0.7em; text-align: left; vertical-align: top; }
th { font-weight: 600; color: var(--vscode-descriptionForeground); }
.n { text-align: right; font-variant-numeric: tabular-nums; }
code, pre { font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); }
pre { background: var(--vscode-textCodeBlock-background); padding: 0.6em 0.8em; overflow-x: auto; }
.muted { color: var(--vscode-descriptionForeground); }
.totals { display: flex; gap: 1em; flex-wrap: wrap; margin: 0.8em 0; }
.total { border: 1px solid var(--vscode-editorWidget-border, var(--vscode-panel-border)); border-radius: 4px; padding: 0.4em 1em; }
.total b { display: block; font-size: 1.6em; font-variant-numeric: tabular-nums; }
.status { font-weight: 600; padding: 0 0.4em; border-radius: 3px; }
.blocked { color: var(--vscode-errorForeground); } .throttled { color: var(--vscode-editorWarning-foreground); } .ok { color: var(--vscode-charts-green); }
.again { color: var(--vscode-editorWarning-foreground); font-weight: 600; }
.removal { margin: 0.2em 0 0; padding-left: 1.2em; } .removal li { margin: 0.2em 0; max-width: 60em; }
.ips tr:has(+ .removal-row) td { border-bottom: none; } .removal-row td { padding-top: 0; }
.ips td:last-child, .codes td:nth-child(-n+5) { white-space: nowrap; } .removal-row td:last-child { white-space: normal; }
a { color: var(--vscode-textLink-foreground); text-decoration: none; cursor: pointer; } a:hover { text-decoration: underline; }
details summary { cursor: pointer; } details > div { margin: 0.4em 0 0.6em; max-width: 60em; } details p { margin: 0.3em 0; }
.example { max-width: 40em; overflow-wrap: anywhere; }
button { font-family: inherit; color: var(--vscode-button-foreground); background: var(--vscode-button-background); border: none; padding: 0.4em 1em; cursor: pointer; border-radius: 2px; }
button:hover { background: var(--vscode-button-hoverBackground); } button:disabled { opacity: 0.5; cursor: default; }
.note { border-left: 3px solid var(--vscode-textBlockQuote-border); padding: 0.2em 0.8em; color: var(--vscode-descriptionForeground); }
.hourly-chart { width: 100%; max-width: 70em; height: auto; font-family: var(--vscode-font-family); font-size: 13px; }
.chart-title { fill: var(--vscode-foreground); font-weight: 600; } .chart-axis, .chart-legend { fill: var(--vscode-descriptionForeground); }
.chart-grid { stroke: var(--vscode-editorWidget-border, var(--vscode-panel-border)); stroke-width: 0.5; } .chart-base { stroke: var(--vscode-descriptionForeground); }
.series-0 { fill: var(--vscode-charts-red); } .series-1 { fill: var(--vscode-charts-blue); } .series-2 { fill: var(--vscode-charts-yellow); }
.series-3 { fill: var(--vscode-charts-green); } .series-4 { fill: var(--vscode-charts-purple); } .series-5 { fill: var(--vscode-charts-orange); }
.series-6 { fill: var(--vscode-terminal-ansiCyan); } .series-7 { fill: var(--vscode-terminal-ansiMagenta); } .series-other { fill: var(--vscode-descriptionForeground); }
`;

/** The page's script: clicks on links and the button become messages to the extension. */
const SCRIPT = `
const vscode = acquireVsCodeApi();
document.addEventListener('click', (e) => {
  const t = e.target.closest('[data-vmta], [data-link], #add-rules');
  if (!t) return;
  e.preventDefault();
  if (t.dataset.vmta !== undefined) vscode.postMessage({ type: 'openVmta', name: t.dataset.vmta });
  else if (t.dataset.link !== undefined) vscode.postMessage({ type: 'openLink', url: t.dataset.link });
  else if (!t.disabled) { t.disabled = true; vscode.postMessage({ type: 'addRules' }); }
});
window.addEventListener('message', (e) => {
  const m = e.data, button = document.getElementById('add-rules'), status = document.getElementById('add-rules-status');
  if (!button || !status || !m || typeof m.text !== 'string') return;
  status.textContent = m.text;
  if (m.type === 'rulesFailed') button.disabled = false;
});
`;

/** Text with its Markdown code spans (`x`) as <code>, escaped. */
function withCode(text: string): string {
  return esc(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

/** A virtual MTA name, as a link to its `<virtual-mta>` block when the configuration defines it. */
function vmtaLink(r: DeliveryReportResult, name: string): string {
  return r.vmtas[name.toLowerCase()]
    ? `<a href="#" data-vmta="${esc(name)}" title="Go to &lt;virtual-mta ${esc(name)}&gt;">${esc(name)}</a>`
    : esc(name);
}

/** A removal text with its page or address as a link (the extension opens only the report's own). */
function removalHtml(how: string, where: string | undefined): string {
  const text = esc(how);
  if (!where) return text;
  const target = where.includes('@') && !where.includes('/') ? `mailto:${where}` : where;
  return text.replace(esc(where), `<a href="#" data-link="${esc(target)}">${esc(where)}</a>`);
}

function sourceIps(r: DeliveryReportResult): string {
  const m = r.report.microsoft;
  const config = r.report.config;
  if (!m.sourceIps.length) return '';
  const head = ['IP', 'virtual MTA', 'delivered', 'deferred', 'bounced', 'status', 'codes'];
  if (config) head.splice(2, 0, 'in the configuration');
  const numeric = head.map((h) => ['delivered', 'deferred', 'bounced'].includes(h));
  const rows = m.sourceIps.map((s) => {
    const row = [
      `<code>${esc(s.ip)}</code>`,
      s.vmta ? vmtaLink(r, s.vmta) : '',
      num(s.delivered),
      num(s.deferred),
      num(s.bounced),
      `<span class="status ${s.status}">${esc(STATUS_WORDS[s.status])}</span>`,
      esc(topCodes(s.codes)),
    ];
    if (config) {
      const c = config.sourceIps.find((x) => x.ip === s.ip);
      const pools = c?.pools.length
        ? ` <span class="muted">(pool${c.pools.length > 1 ? 's' : ''} ${esc(c.pools.join(', '))})</span>`
        : '';
      row.splice(
        2,
        0,
        c?.vmtas.length
          ? c.vmtas.map((v) => vmtaLink(r, v)).join(', ') + pools
          : `<span class="muted">${esc(ipInConfig(config, s.ip))}</span>`,
      );
    }
    const cells = `<tr>${row.map((c, i) => `<td${numeric[i] ? ' class="n"' : ''}>${c}</td>`).join('')}</tr>`;
    // a blocked or throttled IP: when it was last refused and last delivered, whether it delivered
    // again since, and for a blocked one how to get it removed, under its row
    const times = refusalTimes(s);
    const again = deliveredAgain(s);
    if (!times && !s.removal.length) return cells;
    const note =
      (times ? `<div class="muted">${esc(times)}</div>` : '') + (again ? `<div class="again">${esc(again)}</div>` : '');
    const removal = removalGroups(s)
      .map(
        (g) =>
          `<li><code>${esc(g.codes.join(', '))}</code>: ${removalHtml(g.how, s.removal.find((x) => x.how === g.how)?.where)}</li>`,
      )
      .join('');
    const how = removal ? `<b>How to get it removed:</b><ul class="removal">${removal}</ul>` : '';
    return `${cells}\n<tr class="removal-row"><td></td><td colspan="${head.length - 1}">${note}${how}</td></tr>`;
  });
  const th = head.map((h, i) => `<th${numeric[i] ? ' class="n"' : ''}>${esc(h)}</th>`).join('');
  return `<h2>Source IPs</h2>\n<table class="ips">\n<thead><tr>${th}</tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`;
}

function codes(r: DeliveryReportResult): string {
  const m = r.report.microsoft;
  if (!m.codes.length) return '';
  const rows = m.codes.map((c) => {
    const x = r.explanations[c.code];
    const what = x
      ? `<details><summary>${esc(x.title)} <span class="muted">(${esc(x.system)}, ${x.temporary ? 'temporary' : 'permanent'})</span></summary><div>` +
        [
          `<p>${withCode(x.meaning)}</p>`,
          `<p><b>Sent by:</b> ${withCode(x.sentBy)}.</p>`,
          `<p><b>Documented:</b> ${withCode(x.documented)}</p>`,
          `<p><b>Removal:</b> ${withCode(x.removal)}</p>`,
          `<p><b>What to do:</b> ${withCode(x.action)}</p>`,
          `<p><b>In PowerMTA:</b> ${withCode(x.pmta)}</p>`,
          x.guideSays ? `<p><b>What a widely copied PowerMTA guide says:</b> ${withCode(x.guideSays)}</p>` : '',
          `<p class="muted">Source: ${withCode(x.source)}</p>`,
        ].join('') +
        '</div></details>'
      : `<span class="muted">${esc(c.title ?? 'not a code the knowledge base explains')}</span>`;
    return [
      `<code>${esc(c.code)}</code>`,
      num(c.deferred),
      num(c.bounced),
      esc(c.first ?? ''),
      esc(c.last ?? ''),
      what,
      `<code class="muted example">${esc(c.example)}</code>`,
    ];
  });
  return `<h2>Codes of the deferrals and bounces</h2>\n${htmlTable(['code', 'deferred', 'bounced', 'first', 'last', 'what it is', 'example'], rows, [false, true, true, false, false, false, false], 'codes')}`;
}

function unmatched(r: DeliveryReportResult): string {
  const config = r.report.config;
  if (!config) {
    return '<h2>Replies no rule of the pattern lists matches</h2>\n<p class="note">Open the PowerMTA configuration in an editor and run the report again: it maps each source IP to its virtual MTAs and pools, and lists the replies that no rule of its pattern lists handles, with the rules to add.</p>';
  }
  const out = ['<h2>Replies no rule of the pattern lists matches</h2>'];
  out.push(
    `<p class="muted">Configuration <code>${esc(config.file)}</code>: Microsoft queue <code>${esc(config.queue)}</code>, ${config.patternLists.length ? `pattern list${config.patternLists.length > 1 ? 's' : ''} ${config.patternLists.map((l) => `<code>${esc(l)}</code>`).join(', ')}` : 'no pattern list'}.</p>`,
  );
  if (!config.unmatched.length) out.push('<p>None: a rule of the pattern lists matches every Microsoft reply.</p>');
  else {
    out.push(
      htmlTable(
        ['code', 'deferred', 'bounced', 'rule that handles them', 'example'],
        config.unmatched.map((u) => [
          `<code>${esc(u.code)}</code>`,
          num(u.deferred),
          num(u.bounced),
          u.rule ? `<code>${esc(u.rule)}</code>` : `<span class="muted">${esc(ruleOrNone(u))}</span>`,
          `<code class="muted example">${esc(u.example)}</code>`,
        ]),
        [false, true, true, false, false],
        'unmatched',
      ),
    );
  }
  if (config.rules.length) {
    out.push(`<p>${esc(rulesHeading(config))}:</p>`);
    out.push(`<pre><code>${esc(config.rules.flatMap((x) => [x.comment, x.reply]).join('\n'))}</code></pre>`);
    if (config.ruleList && r.config) {
      const n = config.rules.length;
      out.push(
        `<p><button id="add-rules">Add ${n} rule${n === 1 ? '' : 's'} to ${esc(config.ruleList)}</button> <span id="add-rules-status" class="muted" role="status"></span></p>`,
      );
    }
  }
  return out.join('\n');
}

/** The view's title: the report's files by name (or how many). */
export function reportTitle(result: DeliveryReportResult): string {
  const names = result.report.files.map((f) =>
    f.file
      .replace(/[/\\]+$/, '')
      .split(/[/\\]/)
      .pop(),
  );
  return `Microsoft Delivery Report: ${names.length > 2 ? `${names.length} files` : names.join(', ')}`;
}

/** The pages and addresses the report names (removal paths): the only links the view may open. */
export function reportLinks(r: DeliveryReportResult): Set<string> {
  const out = new Set<string>();
  const add = (where: string | undefined) => {
    if (!where) return;
    if (/^https?:\/\//.test(where)) out.add(where);
    else if (/^[^\s@/]+@[^\s@/]+$/.test(where)) out.add(`mailto:${where}`);
  };
  for (const c of r.report.microsoft.codes) add(c.removal?.where);
  for (const s of r.report.microsoft.sourceIps) for (const x of s.removal) add(x.where);
  return out;
}

/** The whole page. */
export function reportPage(result: DeliveryReportResult, env: PageEnv): string {
  const r = result.report;
  const m = r.microsoft;
  const nonce = esc(env.nonce);
  const parts: string[] = [];
  parts.push('<h1>Microsoft delivery report</h1>');
  parts.push(`<p class="muted">${esc(headline(r))}. Records by type: ${esc(recordTypes(r, ', '))}.</p>`);
  parts.push(
    `<ul class="files">${r.files.map((f) => `<li><code>${esc(f.file)}</code>: ${esc(fileLine(f))}</li>`).join('')}</ul>`,
  );
  const rc = m.recipients;
  parts.push(
    `<div class="totals" aria-label="Microsoft recipients (Outlook.com, Hotmail, Live, MSN)">` +
      `<div class="total"><b>${num(rc.delivered)}</b>delivered</div><div class="total"><b>${num(rc.deferred)}</b>deferred</div><div class="total"><b>${num(rc.bounced)}</b>bounced</div>` +
      `<div class="total"><b>${num(m.sourceIps.filter((s) => s.status === 'blocked').length)}</b>blocked IPs</div></div>`,
  );
  parts.push('<p class="muted">To Microsoft consumer recipients: Outlook.com, Hotmail, Live, MSN.</p>');
  parts.push(sourceIps(result));
  const chart = hourlyChart(r);
  if (chart) parts.push('<h2>Deferrals and bounces per hour</h2>', chart);
  parts.push(codes(result));
  parts.push(unmatched(result));
  const warnings = [...r.warnings, ...(r.config?.warnings ?? []).map((w) => `configuration: ${w}`)];
  if (warnings.length) parts.push(`<h2>Warnings</h2>\n<ul>${warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Microsoft delivery report</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
${parts.filter(Boolean).join('\n')}
<script nonce="${nonce}">${SCRIPT}</script>
</body>
</html>
`;
}
