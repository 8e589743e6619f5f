/**
 * The report's counters: records by type and period, and for Microsoft recipients the counts per code,
 * per source IP and per virtual MTA. Fed by the file readers with values already decoded (strings that
 * repeat are the same string objects, codes come from the reply cache); turned into the
 * {@link Report} at the end. The tables are capped, so that a file of junk cannot grow memory without
 * bound: past a cap, records count in the totals only, and a warning says so.
 */
import { removalPath, type MicrosoftCode } from '../knowledge/microsoft';
import type { ReplyCode } from './replies';
import { isoTime } from './time';
import {
  RECORD_TYPES,
  type CodeSummary,
  type FileSummary,
  type HourSummary,
  type IpStatus,
  type Removal,
  type RemovalPath,
  type Report,
  type SourceIpSummary,
  type UnmatchedReplies,
  type VmtaSummary,
} from './types';

/** Indices into RECORD_TYPES of the types the Microsoft figures count. */
export const TYPE_D = 0;
const TYPE_B = 1;
export const TYPE_T = 2;
/** a queue-level deferral (no recipient of its own) */
export const TYPE_TQ = 3;
/** a bounce a remote server sent back later, found by the bounce processor */
export const TYPE_RB = 6;

const MAX_CODES = 2000;
const MAX_IPS = 10000;
const MAX_VMTAS = 10000;
/** Hour × code cells of the hourly figures (a year of hours for a dozen codes). */
const MAX_HOURLY = 100000;

const HOUR = 3600000;
/**
 * How long deliveries must go on past an IP's last refusal before the report says the block or the
 * throttling may have been lifted. An IP that Microsoft refuses still gets some messages through in the
 * same minutes (other MX hosts answer, records interleave): a delivery seconds after a block says
 * nothing; deliveries an hour and more after the last refusal are what a lifted block looks like.
 */
const RESUMED_AFTER_MS = HOUR;

export class CodeCounts {
  deferred = 0;
  bounced = 0;
  first = Infinity;
  last = -Infinity;
  readonly ips = new Map<string, number>();
  readonly vmtas = new Map<string, number>();
  /** the first reply text that carried it (set by the reader that saw it) */
  example: string | undefined;
  /** its replies that no rule of the pattern lists matched (when rules were given) */
  unmatchedDeferred = 0;
  unmatchedBounced = 0;
  /** the first of them, as logged (set by the reader that saw it) */
  unmatchedExample: string | undefined;
  /** per hour (since 1970), deferrals at key `2 × hour`, bounces at `2 × hour + 1` */
  readonly hourly = new Map<number, number>();
  constructor(readonly reply: ReplyCode) {}
}

class IpCounts {
  delivered = 0;
  deferred = 0;
  bounced = 0;
  readonly codes = new Map<string, number>();
  readonly vmtas = new Map<string, number>();
  /** the block codes its bounces carried */
  readonly blocks = new Map<string, ReplyCode>();
  throttled = false;
  /** the latest times (ms) of a bounce with a block code, a deferral with a throttle code, a delivery; -Infinity: none with a readable time */
  lastBlocked = -Infinity;
  lastThrottled = -Infinity;
  lastDelivered = -Infinity;
}

class VmtaCounts {
  delivered = 0;
  deferred = 0;
  bounced = 0;
  readonly codes = new Map<string, number>();
}

function bump<K>(m: Map<K, number>, k: K): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}

export class Aggregator {
  readonly types = new Float64Array(RECORD_TYPES.length);
  private first = Infinity;
  private last = -Infinity;
  private delivered = 0;
  private deferred = 0;
  private bounced = 0;
  private readonly codes = new Map<string, CodeCounts>();
  private readonly ips = new Map<string, IpCounts>();
  private readonly vmtas = new Map<string, VmtaCounts>();
  private readonly capped = new Set<string>();
  private hourlyCells = 0;

  /** A record of type index `type` (into RECORD_TYPES) logged at `time` (ms, NaN when unknown). */
  record(type: number, time: number): void {
    this.types[type]++;
    if (time < this.first) this.first = time;
    if (time > this.last) this.last = time;
  }

  /**
   * A d, b or t record to a Microsoft recipient, or a tq or rb record with a Microsoft reply: its source
   * IP and virtual MTA (undefined when not logged) and, for b, t, tq and rb, its reply's code, and
   * whether the reply is one from the remote server that no rule of the pattern lists matched. A tq
   * counts as a deferral and an rb as a bounce in the codes, source IPs, virtual MTAs and hours, not in
   * the recipients' totals (which are per recipient: d, t and b). Returns the code's counters (for its
   * example texts).
   */
  microsoft(
    type: number,
    time: number,
    ip: string | undefined,
    vmta: string | undefined,
    reply: ReplyCode | undefined,
    unmatched = false,
  ): CodeCounts | undefined {
    const ipc = ip === undefined ? undefined : this.ipCounts(ip);
    const vc = vmta === undefined ? undefined : this.vmtaCounts(vmta);
    if (ipc && vmta !== undefined) bump(ipc.vmtas, vmta);
    if (type === TYPE_D) {
      this.delivered++;
      if (ipc) {
        ipc.delivered++;
        // NaN (no readable time) is never later
        if (time > ipc.lastDelivered) ipc.lastDelivered = time;
      }
      if (vc) vc.delivered++;
      return undefined;
    }
    const bounce = type === TYPE_B || type === TYPE_RB;
    if (type === TYPE_B) this.bounced++;
    else if (type === TYPE_T) this.deferred++;
    if (ipc) {
      if (bounce) ipc.bounced++;
      else ipc.deferred++;
    }
    if (vc) {
      if (bounce) vc.bounced++;
      else vc.deferred++;
    }
    if (!reply) return undefined;
    const cc = this.codeCounts(reply);
    if (!cc) return undefined;
    if (bounce) cc.bounced++;
    else cc.deferred++;
    if (unmatched && bounce) cc.unmatchedBounced++;
    else if (unmatched) cc.unmatchedDeferred++;
    if (time < cc.first) cc.first = time;
    if (time > cc.last) cc.last = time;
    if (!Number.isNaN(time)) {
      const key = Math.floor(time / HOUR) * 2 + (bounce ? 1 : 0);
      const n = cc.hourly.get(key);
      if (n !== undefined) cc.hourly.set(key, n + 1);
      else if (this.hourlyCells < MAX_HOURLY) {
        cc.hourly.set(key, 1);
        this.hourlyCells++;
      } else this.capped.add('hourly');
    }
    if (ip !== undefined && ipc) bump(cc.ips, ip);
    if (vmta !== undefined && vc) bump(cc.vmtas, vmta);
    if (ipc) {
      bump(ipc.codes, reply.code);
      if (bounce && reply.effect === 'block') {
        ipc.blocks.set(reply.code, reply);
        if (time > ipc.lastBlocked) ipc.lastBlocked = time;
      } else if (!bounce && reply.effect === 'throttle') {
        ipc.throttled = true;
        if (time > ipc.lastThrottled) ipc.lastThrottled = time;
      }
    }
    if (vc) bump(vc.codes, reply.code);
    return cc;
  }

  private codeCounts(reply: ReplyCode): CodeCounts | undefined {
    let c = this.codes.get(reply.code);
    if (c) return c;
    if (this.codes.size >= MAX_CODES) return this.cap('codes');
    this.codes.set(reply.code, (c = new CodeCounts(reply)));
    return c;
  }

  private ipCounts(ip: string): IpCounts | undefined {
    let c = this.ips.get(ip);
    if (c) return c;
    if (this.ips.size >= MAX_IPS) return this.cap('ips');
    this.ips.set(ip, (c = new IpCounts()));
    return c;
  }

  private vmtaCounts(vmta: string): VmtaCounts | undefined {
    let c = this.vmtas.get(vmta);
    if (c) return c;
    if (this.vmtas.size >= MAX_VMTAS) return this.cap('vmtas');
    this.vmtas.set(vmta, (c = new VmtaCounts()));
    return c;
  }

  /** Notes that a table is full (for the warning); the record counts in the totals only. */
  private cap(what: 'codes' | 'ips' | 'vmtas' | 'hourly'): undefined {
    this.capped.add(what);
    return undefined;
  }

  /** The report, from these counts and the files' summaries and warnings. */
  report(files: FileSummary[], warnings: string[]): Report {
    const records = Object.fromEntries(RECORD_TYPES.map((t, i) => [t, this.types[i]])) as Report['records'];
    const capWords: Record<string, string> = {
      codes: `more than ${MAX_CODES} distinct codes: the others count in the totals only`,
      ips: `more than ${MAX_IPS} distinct source IPs: the others count in the totals only`,
      vmtas: `more than ${MAX_VMTAS} distinct virtual MTAs: the others count in the totals only`,
      hourly: `more than ${MAX_HOURLY} hours × codes: the hourly figures leave out the hours of codes that came later`,
    };
    return {
      version: 1,
      files,
      records,
      period: { first: time(this.first), last: time(this.last) },
      microsoft: {
        recipients: { delivered: this.delivered, deferred: this.deferred, bounced: this.bounced },
        codes: this.codeSummaries(),
        sourceIps: this.ipSummaries(),
        vmtas: this.vmtaSummaries(),
        hourly: this.hourlySummaries(),
      },
      warnings: [...warnings, ...[...this.capped].map((c) => capWords[c])],
    };
  }

  /** The codes with replies no rule matched, most such replies first. */
  unmatched(): UnmatchedReplies[] {
    return [...this.codes.values()]
      .filter((c) => c.unmatchedDeferred + c.unmatchedBounced > 0)
      .map((c) => ({
        code: c.reply.code,
        count: c.unmatchedDeferred + c.unmatchedBounced,
        deferred: c.unmatchedDeferred,
        bounced: c.unmatchedBounced,
        example: c.unmatchedExample ?? '',
      }))
      .sort((a, b) => b.count - a.count || compareText(a.code, b.code));
  }

  private codeSummaries(): CodeSummary[] {
    return [...this.codes.values()]
      .map((c): CodeSummary => {
        const e = c.reply.entry;
        return {
          code: c.reply.code,
          count: c.deferred + c.bounced,
          deferred: c.deferred,
          bounced: c.bounced,
          first: time(c.first),
          last: time(c.last),
          sourceIps: sortedRecord(c.ips),
          vmtas: sortedRecord(c.vmtas),
          title: e?.title ?? null,
          action: e?.action ?? null,
          category: e?.category ?? null,
          system: e?.system ?? null,
          removal: e ? removalOf(e) : null,
          effect: c.reply.effect ?? null,
          example: c.example ?? '',
        };
      })
      .sort((a, b) => b.count - a.count || compareText(a.code, b.code));
  }

  private ipSummaries(): SourceIpSummary[] {
    const rank: Record<IpStatus, number> = { blocked: 0, throttled: 1, ok: 2 };
    return [...this.ips.entries()]
      .map(([ip, c]): SourceIpSummary => {
        const status: IpStatus = c.blocks.size ? 'blocked' : c.throttled ? 'throttled' : 'ok';
        // the last refusal of the kind that sets the status (none for an ok IP)
        const refused = status === 'blocked' ? c.lastBlocked : status === 'throttled' ? c.lastThrottled : -Infinity;
        let vmta: string | null = null;
        let most = 0;
        for (const [v, n] of c.vmtas) {
          if (n > most || (n === most && vmta !== null && compareText(v, vmta) < 0)) {
            vmta = v;
            most = n;
          }
        }
        return {
          ip,
          vmta,
          vmtas: sortedRecord(c.vmtas),
          delivered: c.delivered,
          deferred: c.deferred,
          bounced: c.bounced,
          status,
          lastBlocked: time(c.lastBlocked),
          lastThrottled: time(c.lastThrottled),
          lastDelivered: time(c.lastDelivered),
          deliveredSinceRefused: Number.isFinite(refused) && c.lastDelivered - refused >= RESUMED_AFTER_MS,
          codes: sortedRecord(c.codes),
          removal: [...c.blocks.values()]
            .filter((r) => r.entry)
            .sort((a, b) => compareText(a.code, b.code))
            .map((r): Removal => ({ code: r.code, ...removalOf(r.entry!) })),
        };
      })
      .sort(
        (a, b) =>
          rank[a.status] - rank[b.status] ||
          b.bounced + b.deferred - (a.bounced + a.deferred) ||
          compareIps(a.ip, b.ip),
      );
  }

  /** The hours with Microsoft deferrals or bounces, in order, each with its codes. */
  private hourlySummaries(): HourSummary[] {
    const hours = new Map<number, HourSummary>();
    for (const c of this.codes.values()) {
      for (const [key, n] of c.hourly) {
        const h = Math.floor(key / 2);
        let s = hours.get(h);
        if (!s) hours.set(h, (s = { hour: isoTime(h * HOUR), deferred: 0, bounced: 0, codes: {} }));
        const x = (s.codes[c.reply.code] ??= { deferred: 0, bounced: 0 });
        if (key % 2) {
          x.bounced += n;
          s.bounced += n;
        } else {
          x.deferred += n;
          s.deferred += n;
        }
      }
    }
    return [...hours.entries()].sort((a, b) => a[0] - b[0]).map(([, s]) => s);
  }

  private vmtaSummaries(): VmtaSummary[] {
    return [...this.vmtas.entries()]
      .map(([vmta, c]): VmtaSummary => ({
        vmta,
        delivered: c.delivered,
        deferred: c.deferred,
        bounced: c.bounced,
        codes: sortedRecord(c.codes),
      }))
      .sort((a, b) => compareText(a.vmta, b.vmta));
  }
}

/** An entry's removal path, in the hover's words. */
function removalOf(e: MicrosoftCode): RemovalPath {
  const { path, where } = e.removal;
  return where ? { path, where, how: removalPath(e) } : { path, how: removalPath(e) };
}

function time(ms: number): string | null {
  return Number.isFinite(ms) ? isoTime(ms) : null;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** IPv4 addresses in numeric order, before anything else (IPv6), which sorts as text. */
function compareIps(a: string, b: string): number {
  const x = ipv4Number(a);
  const y = ipv4Number(b);
  if (x !== undefined && y !== undefined) return x - y;
  if (x !== undefined) return -1;
  if (y !== undefined) return 1;
  return compareText(a, b);
}

function ipv4Number(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  return m ? ((+m[1] * 256 + +m[2]) * 256 + +m[3]) * 256 + +m[4] : undefined;
}

/**
 * A map as a plain object, written most frequent first, then by key, so that the output is the same
 * from run to run (a reader must not rely on the order: keys that look like integers come first in
 * JavaScript objects).
 */
function sortedRecord(m: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of [...m.entries()].sort((a, b) => b[1] - a[1] || compareText(a[0], b[0]))) out[k] = v;
  return out;
}
