/**
 * The hourly chart of the delivery report (inline SVG): one bar segment per hour and code with its
 * tooltip, the most frequent codes as series of their own and the rest as "other codes", hours without
 * replies as gaps, long periods in buckets of several hours, text escaped, nothing loaded.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reportOnTexts, renderHtml, type Report } from '../../server/src/accounting';
import { CHART_SERIES, chartSeries, hourlyChart } from '../../server/src/accounting/chart';

const HEADER = 'type,timeLogged,rcpt,dsnDiag,dlvSourceIp';

/** One Microsoft record a line: [type, ISO time, reply]. */
function report(rows: Array<[string, string, string]>): Report {
  const lines = rows.map(
    ([type, time, reply]) => `${type},${time},a@hotmail.com,"${reply.replace(/"/g, '""')}",203.0.113.1`,
  );
  return reportOnTexts({ 'acct.csv': [HEADER, ...lines].join('\n') + '\n' });
}

const rects = (svg: string) =>
  [
    ...svg.matchAll(
      /<rect class="(series-[^"]+)" x="[^"]+" y="[^"]+" width="[^"]+" height="[^"]+"><title>([^<]*)<\/title><\/rect>/g,
    ),
  ].map((m) => `${m[1]} ${m[2]}`);

test('chart: a segment per hour and code, stacked, with its tooltip; an hour without replies is a gap; the legend names the series', () => {
  const r = report([
    ['t', '2026-01-15T08:05:00Z', 'smtp;421 RP-001 rate limited'],
    ['t', '2026-01-15T08:10:00Z', 'smtp;421 RP-001 rate limited'],
    ['t', '2026-01-15T08:20:00Z', 'smtp;451 4.7.650 rate limited (S775)'],
    ['b', '2026-01-15T08:30:00Z', 'smtp;550 5.7.606 Access denied, banned sending IP [203.0.113.1]'],
    ['t', '2026-01-15T10:00:00Z', 'smtp;421 RP-001 rate limited'],
  ]);
  assert.deepEqual(chartSeries(r), ['RP-001', '5.7.606', 'S775']);
  const svg = hourlyChart(r);
  assert.match(
    svg,
    /^<svg class="hourly-chart" viewBox="0 0 960 410" role="img" aria-label="Microsoft deferrals and bounces per hour, by code \(UTC\)">/,
  );
  assert.deepEqual(rects(svg), [
    'series-0 2026-01-15 08:00–09:00 UTC: RP-001, 2 deferred',
    'series-2 2026-01-15 08:00–09:00 UTC: S775, 1 deferred',
    'series-0 2026-01-15 10:00–11:00 UTC: RP-001, 1 deferred',
    'series-1 2026-01-15 08:00–09:00 UTC: 5.7.606, 1 bounced',
  ]);
  // three hours (09:00 empty), one label each on the same day
  assert.deepEqual([...svg.matchAll(/text-anchor="middle">([^<]+)</g)].map((m) => m[1]).slice(0, 6), [
    '08:00',
    '09:00',
    '10:00',
    '08:00',
    '09:00',
    '10:00',
  ]);
  assert.deepEqual(
    [...svg.matchAll(/<text class="chart-legend"[^>]*>([^<]+)</g)].map((m) => m[1]),
    ['RP-001', '5.7.606', 'S775'],
  );
  assert.match(svg, />Deferrals per hour \(UTC\)</);
  assert.match(svg, />Bounces per hour \(UTC\)</);
});

test('chart: past the series a colour each, the least frequent codes share "other codes"; a long period is drawn in buckets of hours', () => {
  const rows: Array<[string, string, string]> = [];
  // 10 codes, code i seen 20 - i times, spread over 20 days
  for (let i = 0; i < 10; i++)
    for (let k = 0; k < 20 - i; k++)
      rows.push(['t', new Date(Date.UTC(2026, 0, 1 + k, i)).toISOString(), `smtp;421 4.4.${10 + i} try later`]);
  const r = report(rows);
  const series = chartSeries(r);
  assert.equal(series.length, CHART_SERIES - 1);
  assert.deepEqual(series, ['4.4.10', '4.4.11', '4.4.12', '4.4.13', '4.4.14', '4.4.15', '4.4.16']);
  const svg = hourlyChart(r);
  assert.match(svg, /<text class="chart-legend" [^>]+>other codes<\/text>/);
  assert.match(svg, /aria-label="Microsoft deferrals and bounces per 3 hours, by code \(UTC\)"/);
  // 20 days of hours in buckets of 3: at most 168 bars; the last three codes are "other"
  const other = rects(svg).filter((x) => x.startsWith('series-other'));
  assert.ok(other.length > 0);
  // 4.4.17 at 07:00 and 4.4.18 at 08:00 in the bucket from 06:00; 4.4.19 at 09:00 in the next
  assert.match(other[0], /^series-other 2026-01-01 06:00–09:00 UTC: other codes, 2 deferred$/);
  assert.match(other[1], /^series-other 2026-01-01 09:00–12:00 UTC: other codes, 1 deferred$/);
  assert.equal(
    new Set([...svg.matchAll(/<rect class="series-[^"]+" x="([^"]+)"/g)].map((m) => m[1])).size <= 168,
    true,
  );
});

test('chart: nothing without times; codes from the file are escaped; in the HTML report, nothing is loaded', () => {
  assert.equal(hourlyChart(reportOnTexts({ 'n.csv': 'type,rcpt,dsnDiag\nb,a@hotmail.com,550 5.7.606 banned\n' })), '');
  const r = report([['b', '2026-01-15T08:05:00Z', 'smtp;550 5.7.606 banned']]);
  // a code as hostile as a file could make it (the engine's codes are tame; the chart does not rely on it)
  r.microsoft.codes[0].code = '<b>"x"</b>';
  r.microsoft.hourly[0].codes = { '<b>"x"</b>': { deferred: 0, bounced: 1 } };
  const svg = hourlyChart(r);
  assert.match(svg, /: &lt;b&gt;&quot;x&quot;&lt;\/b&gt;, 1 bounced<\/title>/);
  assert.doesNotMatch(svg, /<b>/);
  const html = renderHtml(r);
  assert.match(html, /<h2>Deferrals and bounces per hour<\/h2>\n<svg class="hourly-chart"/);
  assert.doesNotMatch(html, /\ssrc=|\shref=|url\(|@import|<link|https?:\/\/(?!sender)/i);
});
