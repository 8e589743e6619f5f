/**
 * The hourly chart of the delivery report: Microsoft deferrals (top) and bounces (bottom) per hour, as
 * bars stacked by code, drawn as inline SVG text (no library, no script, nothing loaded), for the HTML
 * report and the VS Code report view. The most frequent codes get a series each, the others share one;
 * colours come from the page's CSS through classes (`.series-0` … `.series-other`, `.chart-*`), so that
 * each page picks its own palette (the VS Code view, the theme's chart colours). Each bar segment has a
 * tooltip (an SVG `<title>`) with the hour, the code and the count. Pure.
 */
import { esc, num } from './renderCommon';
import type { HourSummary, Report } from './types';

/** Series with a colour of their own; the other codes share the last one. */
export const CHART_SERIES = 8;
/** At most this many bars per panel: longer periods are shown in buckets of several hours. */
const MAX_BARS = 168;
const HOUR = 3600000;

const WIDTH = 960;
const LEFT = 56;
const RIGHT = 12;
const LEGEND = 30;
const PANEL = 190;
const PANEL_TOP = 22;
const PANEL_BOTTOM = 30;

/** A round step for about four grid lines up to `max`. */
function niceStep(max: number): number {
  if (max <= 4) return 1;
  const raw = max / 4;
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= raw && Number.isInteger(m * p)) return m * p;
  return 10 * p;
}

/** `2026-01-15 08:00` from an hour's ms. */
function hourLabel(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

/** The codes of the chart's series: the most frequent first (as the report lists them), the rest as `other`. */
export function chartSeries(r: Report): string[] {
  const inHours = new Set<string>();
  for (const h of r.microsoft.hourly) for (const c of Object.keys(h.codes)) inHours.add(c);
  const ranked = r.microsoft.codes.map((c) => c.code).filter((c) => inHours.has(c));
  return ranked.length <= CHART_SERIES ? ranked : ranked.slice(0, CHART_SERIES - 1);
}

interface Bucket {
  start: number;
  hours: number;
  /** per series index (the last one: other), deferred and bounced */
  deferred: number[];
  bounced: number[];
}

function buckets(hourly: readonly HourSummary[], series: readonly string[]): Bucket[] {
  const first = Date.parse(hourly[0].hour);
  const last = Date.parse(hourly[hourly.length - 1].hour);
  const span = Math.round((last - first) / HOUR) + 1;
  const size = Math.max(1, Math.ceil(span / MAX_BARS));
  const n = Math.ceil(span / size);
  const slots = series.length + 1;
  const out: Bucket[] = [];
  for (let i = 0; i < n; i++)
    out.push({
      start: first + i * size * HOUR,
      hours: size,
      deferred: new Array(slots).fill(0),
      bounced: new Array(slots).fill(0),
    });
  const index = new Map(series.map((c, i) => [c, i]));
  for (const h of hourly) {
    const b = out[Math.floor(Math.round((Date.parse(h.hour) - first) / HOUR) / size)];
    for (const [code, x] of Object.entries(h.codes)) {
      const i = index.get(code) ?? series.length;
      b.deferred[i] += x.deferred;
      b.bounced[i] += x.bounced;
    }
  }
  return out;
}

/** One panel: bars stacked by series, a y axis with round grid lines, hour labels below. */
function panel(
  title: string,
  kind: 'deferred' | 'bounced',
  bs: readonly Bucket[],
  series: readonly string[],
  top: number,
): string {
  const plotW = WIDTH - LEFT - RIGHT;
  const plotTop = top + PANEL_TOP;
  const plotH = PANEL - PANEL_TOP - PANEL_BOTTOM;
  const base = plotTop + plotH;
  const totals = bs.map((b) => b[kind].reduce((a, n) => a + n, 0));
  const max = Math.max(0, ...totals);
  const step = niceStep(max);
  const ceiling = Math.max(step, Math.ceil(max / step) * step);
  const y = (v: number) => base - (v / ceiling) * plotH;
  const out: string[] = [];
  out.push(`<text class="chart-title" x="${LEFT}" y="${top + 14}">${esc(title)}${max === 0 ? ' (none)' : ''}</text>`);
  for (let v = 0; v <= ceiling; v += step) {
    const yy = y(v).toFixed(1);
    out.push(`<line class="chart-grid" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${yy}" y2="${yy}"/>`);
    out.push(
      `<text class="chart-axis" x="${LEFT - 6}" y="${yy}" text-anchor="end" dominant-baseline="middle">${num(v)}</text>`,
    );
  }
  const slot = plotW / bs.length;
  const barW = Math.max(1, slot * 0.8);
  const word = kind === 'deferred' ? 'deferred' : 'bounced';
  bs.forEach((b, i) => {
    const x = (LEFT + i * slot + (slot - barW) / 2).toFixed(1);
    const when = `${hourLabel(b.start)}–${hourLabel(b.start + b.hours * HOUR).slice(11)} UTC`;
    let acc = 0;
    b[kind].forEach((n, s) => {
      if (!n) return;
      const y1 = y(acc + n);
      const h = Math.max(0.5, y(acc) - y1);
      acc += n;
      const name = s < series.length ? series[s] : 'other codes';
      out.push(
        `<rect class="series-${s < series.length ? s : 'other'}" x="${x}" y="${y1.toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}"><title>${esc(`${when}: ${name}, ${num(n)} ${word}`)}</title></rect>`,
      );
    });
  });
  // hour labels: at most eight, on bucket starts
  const every = Math.max(1, Math.ceil(bs.length / 8));
  const sameDay = hourLabel(bs[0].start).slice(0, 10) === hourLabel(bs[bs.length - 1].start).slice(0, 10);
  for (let i = 0; i < bs.length; i += every) {
    const label = sameDay ? hourLabel(bs[i].start).slice(11) : hourLabel(bs[i].start).slice(5);
    out.push(
      `<text class="chart-axis" x="${(LEFT + i * slot + slot / 2).toFixed(1)}" y="${base + 16}" text-anchor="middle">${esc(label)}</text>`,
    );
  }
  out.push(`<line class="chart-base" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${base}" y2="${base}"/>`);
  return out.join('\n');
}

/**
 * The chart as an `<svg>` element (no XML declaration: for inline use in HTML), or '' when no Microsoft
 * deferral or bounce has a readable time.
 */
export function hourlyChart(r: Report): string {
  const hourly = r.microsoft.hourly;
  if (!hourly.length) return '';
  const series = chartSeries(r);
  const bs = buckets(hourly, series);
  const height = LEGEND + 2 * PANEL;
  const legend: string[] = [];
  const names = [
    ...series,
    ...(bs.some((b) => b.deferred[series.length] + b.bounced[series.length] > 0) ? ['other codes'] : []),
  ];
  let x = LEFT;
  names.forEach((name, i) => {
    const cls = i < series.length ? `series-${i}` : 'series-other';
    legend.push(
      `<rect class="${cls}" x="${x}" y="8" width="12" height="12"/><text class="chart-legend" x="${x + 16}" y="18">${esc(name)}</text>`,
    );
    x += 28 + name.length * 7.5;
  });
  const size = bs[0].hours;
  const per = size === 1 ? 'per hour' : `per ${size} hours`;
  return [
    `<svg class="hourly-chart" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${esc(`Microsoft deferrals and bounces ${per}, by code (UTC)`)}">`,
    ...legend,
    panel(`Deferrals ${per} (UTC)`, 'deferred', bs, series, LEGEND),
    panel(`Bounces ${per} (UTC)`, 'bounced', bs, series, LEGEND + PANEL),
    '</svg>',
  ].join('\n');
}
