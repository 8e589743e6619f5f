/**
 * The page of the VS Code "Microsoft Delivery Report" view (client/src/report/page.ts) on real answers of
 * the server's request: a strict content security policy (nothing loaded; the one style and the one
 * script run with the page's nonce only), no remote URL anywhere it could be loaded from, every text from
 * the files and the configuration escaped, the blocked IPs with their removal path, the links and the
 * button the script hands to the extension, the chart, the explanations.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ReportBuilder } from '../../server/src/accounting';
import { codeById, removalPath } from '../../server/src/knowledge/microsoft';
import { PmtaLanguageService } from '../../server/src/service';
import type { DeliveryReportResult } from '../../server/src/server/protocol';
import { reportPage } from '../../client/src/report/page';
import { generateAccounting } from '../../bench/accounting';

const NONCE = 'n0nceN0NCEn0nce0123456789abcdef';
const service = new PmtaLanguageService();

const CONFIG = `<virtual-mta mta1>
    smtp-source-host 203.0.113.1 mta1.example.com
</virtual-mta>
<virtual-mta mta2>
    smtp-source-host 203.0.113.2 mta2.example.com
</virtual-mta>
<virtual-mta-pool microsoft-pool>
    virtual-mta mta1
    virtual-mta mta2
</virtual-mta-pool>
<smtp-pattern-list microsoft-errors>
    reply /RP-001/ mode=backoff
</smtp-pattern-list>
<domain outlook.com>
    smtp-pattern-list microsoft-errors
</domain>
`;

/** What the server answers (deliveryReport.ts does the same steps), on `text`, with or without the configuration. */
function answer(text: string, withConfig: boolean, name = '/var/log/pmta/acct.csv'): DeliveryReportResult {
  const doc = TextDocument.create('file:///etc/pmta/config', 'powermta', 1, CONFIG);
  const facts = withConfig ? service.report.reportConfig(doc)! : undefined;
  const b = new ReportBuilder({ replyRules: facts?.replyRules });
  const f = b.file(name);
  f.push(text);
  f.end();
  const report = b.report();
  if (facts) report.config = service.report.reportConfigSection('/etc/pmta/config', report, b.unmatched(), facts);
  const result: DeliveryReportResult = {
    report,
    explanations: service.report.codeExplanations(report.microsoft.codes.map((c) => c.code)),
    vmtas: facts?.vmtas ?? {},
  };
  if (facts) result.config = { uri: doc.uri };
  return result;
}

const GEN = generateAccounting({ rows: 2000, step: 30000 });

/** Every attribute of every tag of the page, `name=value` (text is escaped: its `<` starts no tag). */
function attributes(html: string): string[] {
  const out: string[] = [];
  for (const tag of html.matchAll(
    /<[a-zA-Z][\w-]*((?:\s+[\w:-]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*\/?>/g,
  )) {
    for (const a of tag[1].matchAll(/\s+([\w:-]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?/g))
      out.push(`${a[1].toLowerCase()}=${a[2] ?? ''}`);
  }
  return out;
}

/** The attributes that could make the webview load something. */
function loads(html: string): string[] {
  return attributes(html).filter((a) => /^(src|href|srcset|action|formaction|poster|data|xlink:href)=/.test(a));
}

test('report view: a strict content security policy, the nonce on the only style and script, nothing that loads anything', () => {
  for (const withConfig of [false, true]) {
    const html = reportPage(answer(GEN.text, withConfig), { nonce: NONCE });
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html);
    assert.ok(csp, 'a content security policy');
    assert.equal(csp[1], `default-src 'none'; style-src 'nonce-${NONCE}'; script-src 'nonce-${NONCE}'`);
    // it comes first in <head>, before anything it governs
    assert.ok(html.indexOf('Content-Security-Policy') < html.indexOf('<style'));
    assert.deepEqual(
      [...html.matchAll(/<style\b[^>]*>/g)].map((m) => m[0]),
      [`<style nonce="${NONCE}">`],
    );
    assert.deepEqual(
      [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]),
      [`<script nonce="${NONCE}">`],
    );
    // no attribute that loads: the only href is the links' "#"; no inline style attribute, no event handler attribute
    assert.deepEqual([...new Set(loads(html))], ['href="#"']);
    assert.doesNotMatch(html, /url\(|@import|<link|<iframe|<img|<object|<embed/i);
    for (const a of attributes(html)) assert.doesNotMatch(a, /^(style|on[a-z]+)=/, a);
    // every http(s) URL on the page is a removal page, in text or in a data attribute the extension checks
    for (const m of html.matchAll(/https?:\/\/[^\s"'<)]+/g))
      assert.match(
        m[0],
        /^(https:\/\/(sender\.office\.com\/|sendersupport\.olc\.protection\.outlook\.com\/|aka\.ms\/)|http:\/\/(mail\.live\.com\/|go\.microsoft\.com\/fwlink\/\?LinkID=614866$))/,
        m[0],
      );
  }
});

test("report view: the blocked IPs with their removal path (the hover's words) and its page as a link; the codes explained; the hourly chart", () => {
  const html = reportPage(answer(GEN.text, false), { nonce: NONCE });
  const row =
    /<tr><td><code>203\.0\.113\.2<\/code><\/td>.*?<\/tr>\n<tr class="removal-row">.*?<\/tr>/.exec(html)?.[0] ?? '';
  assert.match(row, /<span class="status blocked">BLOCKED<\/span>/);
  const how = removalPath(codeById('5.7.606')!).replace(/'/g, '&#39;');
  assert.ok(
    row.includes(
      `<li><code>5.7.606</code>: ${how.replace('https://sender.office.com/', '<a href="#" data-link="https://sender.office.com/">https://sender.office.com/</a>')}</li>`,
    ),
    row,
  );
  assert.match(html, /<tr><td><code>203\.0\.113\.3<\/code><\/td>.*?<span class="status throttled">throttled<\/span>/);
  // S3140 explained as in the hover: meaning, sent by, removal, what to do
  const s3140 = /<tr><td><code>S3140<\/code><\/td>.*?<\/tr>/s.exec(html)?.[0] ?? '';
  assert.match(
    s3140,
    /<details><summary>IP on Outlook\.com block list <span class="muted">\(Outlook\.com, permanent\)<\/span><\/summary>/,
  );
  assert.match(
    s3140,
    /<p><b>Sent by:<\/b> Outlook\.com&#39;s consumer mail servers \(MX hosts <code>\*\.olc\.protection\.outlook\.com<\/code>/,
  );
  assert.match(s3140, /<p><b>Removal:<\/b> Outlook\.com&#39;s sender support form/);
  assert.match(html, /<h2>Deferrals and bounces per hour<\/h2>\n<svg class="hourly-chart"/);
  // without a configuration: how to get its part
  assert.match(html, /Open the PowerMTA configuration in an editor and run the report again/);
  assert.doesNotMatch(html, /id="add-rules"/);
});

test("report view with the configuration: the IPs' virtual MTAs and pool as links, the unmatched replies and the button that adds the rules", () => {
  const r = answer(GEN.text, true);
  const html = reportPage(r, { nonce: NONCE });
  assert.match(html, /<th>in the configuration<\/th>/);
  assert.match(
    html,
    /<td><a href="#" data-vmta="mta1" title="Go to &lt;virtual-mta mta1&gt;">mta1<\/a> <span class="muted">\(pool microsoft-pool\)<\/span><\/td>/,
  );
  assert.match(html, /<td><span class="muted">not in it<\/span><\/td>/);
  const n = r.report.config!.rules.length;
  assert.ok(n >= 3);
  assert.ok(html.includes(`<button id="add-rules">Add ${n} rules to microsoft-errors</button>`));
  assert.match(
    html,
    /<pre><code># 4\.7\.650: rate limited due to IP reputation \(S775\); handled like RP-001\nreply \/4\\\.7\\\.650\/ mode=backoff,backoff-to-normal-after=4h\n/,
  );
  // a queue without a list to add them to: the rules, no button
  const noList = structuredClone(r);
  noList.report.config!.ruleList = null;
  assert.doesNotMatch(reportPage(noList, { nonce: NONCE }), /id="add-rules"/);
});

test('report view: everything from the files and the configuration is escaped', () => {
  const evil = '<img src=x onerror=alert(1)>"\'&';
  const text = [
    'type,timeLogged,rcpt,dsnStatus,dsnDiag,dlvSourceIp,vmta',
    `b,2026-01-15 10:00:00+0000,a@hotmail.com,5.0.0,"smtp;550 5.7.606 Access denied, banned sending IP ${evil.replace(/"/g, '""')}","${evil.replace(/"/g, '""')}","${evil.replace(/"/g, '""')}"`,
    '',
  ].join('\n');
  const r = answer(text, true, `/tmp/${evil}.csv`);
  r.vmtas[evil.toLowerCase()] = {
    name: evil,
    uri: 'file:///x',
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
  };
  const html = reportPage(r, { nonce: NONCE });
  assert.doesNotMatch(html, /<img|onerror=alert\(1\)>|"'&[^a#]/);
  assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;'));
  assert.ok(html.includes(`data-vmta="&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;"`));
  assert.deepEqual([...new Set(loads(html))], ['href="#"']);
  // the nonce itself is escaped where it is written (a caller's mistake cannot open the page)
  assert.doesNotMatch(reportPage(r, { nonce: '"><script>' }), /nonce=""><script>/);
});

test('report view: under a blocked or throttled IP, when it was last refused and last delivered, and that it delivered again since', () => {
  const MX = 'hotmail-com.olc.protection.outlook.com (52.101.1.1)';
  const text = [
    'type,timeLogged,rcpt,dsnStatus,dsnDiag,dsnMta,dlvSourceIp,vmta',
    `b,2026-01-15 09:00:00+0000,a@hotmail.com,5.7.1,"smtp;550 5.7.1 Unfortunately, messages from [4.4.4.4] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150).",${MX},4.4.4.4,mta1`,
    `d,2026-01-15 10:00:00+0000,a@hotmail.com,2.0.0,smtp;250 ok,${MX},4.4.4.4,mta1`,
    `t,2026-01-15 09:00:00+0000,a@hotmail.com,4.7.0,"smtp;421 RP-001 rate limit exceeded",${MX},5.5.5.5,mta2`,
    `d,2026-01-15 08:00:00+0000,a@hotmail.com,2.0.0,smtp;250 ok,${MX},5.5.5.5,mta2`,
  ].join('\n');
  const html = reportPage(answer(text + '\n', false), { nonce: NONCE });
  const under = (ip: string) =>
    new RegExp(
      `<tr><td><code>${ip.replace(/\./g, '\\.')}</code></td>.*?</tr>\\n<tr class="removal-row">(.*?)</tr>`,
    ).exec(html)?.[1] ?? '';
  const blocked = under('4.4.4.4');
  assert.ok(
    blocked.includes(
      '<div class="muted">last blocked 2026-01-15T09:00:00Z, last delivered 2026-01-15T10:00:00Z</div><div class="again">delivered again after its last refusal (2026-01-15T09:00:00Z): the block may have been lifted; check before asking for removal</div><b>How to get it removed:</b>',
    ),
    blocked,
  );
  const throttled = under('5.5.5.5');
  assert.ok(
    throttled.includes(
      '<div class="muted">last throttled 2026-01-15T09:00:00Z, last delivered 2026-01-15T08:00:00Z</div></td>',
    ),
    throttled,
  );
  assert.doesNotMatch(throttled, /delivered again|How to get it removed/);
});
