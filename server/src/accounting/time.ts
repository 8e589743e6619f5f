/**
 * Times in accounting files. PowerMTA writes timeLogged either as a Unix time (seconds since 1970) or
 * as a date and time with the UTC offset, `2026-01-15 14:23:11-0500`; ISO 8601 (`T`, `Z`, `+05:30`,
 * fractions of a second) is read too. A time without an offset is taken as UTC. Parsed straight from
 * bytes on the hot path, without building a string.
 *
 * A date or time that does not exist (2026-02-30, 24:59, an offset of +25:00) is no time, never rolled
 * over into the next month or day; nor is one a JavaScript date cannot hold (beyond ±275,000 years).
 */

/** The largest time a JavaScript Date holds, in ms either side of 1970. */
const MAX_TIME = 8.64e15;

/** ms, or NaN when a Date cannot hold it. */
function inRange(ms: number): number {
  return ms >= -MAX_TIME && ms <= MAX_TIME ? ms : NaN;
}

/** A Unix time (seconds since 1970, as a JSON record may give it) as ms, or NaN when it is none. */
export function unixTime(seconds: number): number {
  return inRange(seconds * 1000);
}

/** Days in month m (1-12) of year y, leap years as the Gregorian calendar has them. */
function daysInMonth(y: number, m: number): number {
  if (m === 2) return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (month 1-12). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const D0 = 48;

/** Digits buf[i..i+n) as a number, or -1. */
function digits(buf: ArrayLike<number>, i: number, n: number, e: number): number {
  if (i + n > e) return -1;
  let v = 0;
  for (let k = 0; k < n; k++) {
    const c = buf[i + k] - D0;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * A time in buf[s..e) (bytes, or char codes of a string) as ms since 1970 UTC, or NaN when it is not
 * one of the forms above.
 */
export function parseTimeCodes(buf: ArrayLike<number>, s: number, e: number): number {
  while (s < e && buf[s] === 32) s++;
  while (e > s && buf[e - 1] === 32) e--;
  if (s >= e) return NaN;
  // a Unix time: digits only (a fraction allowed)
  if (e - s <= 16 && buf[s + 4] !== 45) {
    let v = 0;
    let i = s;
    for (; i < e; i++) {
      const c = buf[i] - D0;
      if (c < 0 || c > 9) break;
      v = v * 10 + c;
    }
    if (i === e && i > s) return inRange(v * 1000);
    if (i > s && buf[i] === 46) {
      let f = 0;
      let scale = 1;
      for (i++; i < e; i++) {
        const c = buf[i] - D0;
        if (c < 0 || c > 9) return NaN;
        if (scale < 1000) {
          f = f * 10 + c;
          scale *= 10;
        }
      }
      return inRange(v * 1000 + Math.round((f * 1000) / scale));
    }
    return NaN;
  }
  // YYYY-MM-DD[ T]HH:MM:SS[.fff][ ][Z|±HH[:]MM]
  const y = digits(buf, s, 4, e);
  const mo = digits(buf, s + 5, 2, e);
  const d = digits(buf, s + 8, 2, e);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || buf[s + 4] !== 45 || buf[s + 7] !== 45) return NaN;
  if (d > daysInMonth(y, mo)) return NaN;
  let ms = daysFromCivil(y, mo, d) * 86400000;
  let i = s + 10;
  if (i === e) return ms;
  if (buf[i] !== 32 && buf[i] !== 84 && buf[i] !== 116) return NaN;
  const h = digits(buf, i + 1, 2, e);
  const mi = digits(buf, i + 4, 2, e);
  if (h < 0 || h > 23 || mi < 0 || mi > 59 || buf[i + 3] !== 58) return NaN;
  ms += h * 3600000 + mi * 60000;
  i += 6;
  if (i < e && buf[i] === 58) {
    const sec = digits(buf, i + 1, 2, e);
    if (sec < 0 || sec > 60) return NaN;
    ms += sec * 1000;
    i += 3;
    if (i < e && (buf[i] === 46 || buf[i] === 44)) {
      let f = 0;
      let scale = 1;
      for (i++; i < e; i++) {
        const c = buf[i] - D0;
        if (c < 0 || c > 9) break;
        if (scale < 1000) {
          f = f * 10 + c;
          scale *= 10;
        }
      }
      ms += Math.round((f * 1000) / scale);
    }
  }
  if (i < e && buf[i] === 32) i++;
  if (i === e) return ms;
  const z = buf[i];
  if ((z === 90 || z === 122) && i + 1 === e) return ms;
  if (z !== 43 && z !== 45) return NaN;
  const oh = digits(buf, i + 1, 2, e);
  const om = buf[i + 3] === 58 ? digits(buf, i + 4, 2, e) : i + 3 === e ? 0 : digits(buf, i + 3, 2, e);
  const end = buf[i + 3] === 58 ? i + 6 : i + 3 === e ? i + 3 : i + 5;
  if (oh < 0 || oh > 23 || om < 0 || om > 59 || end !== e) return NaN;
  const offset = (oh * 60 + om) * 60000;
  return z === 43 ? ms - offset : ms + offset;
}

/** A time written as text (a JSON record's timeLogged), as ms since 1970 UTC, or NaN. */
export function parseTimeText(text: string): number {
  const codes: number[] = new Array(text.length);
  for (let i = 0; i < text.length; i++) codes[i] = text.charCodeAt(i);
  return parseTimeCodes(codes, 0, codes.length);
}

/** ms since 1970 as ISO 8601 in UTC, whole seconds without a fraction: `2026-01-15T19:23:11Z`. */
export function isoTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('.000Z') ? iso.slice(0, -5) + 'Z' : iso;
}
