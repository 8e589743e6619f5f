/**
 * Deterministic PowerMTA accounting files for the delivery report's tests and bench, with the figures the
 * report must find in them known by construction (each record is made for a purpose: which source IP,
 * which Microsoft reply), not computed by a second reader.
 *
 * The traffic: eight source IPs (virtual MTAs mta1-mta8) sending to Microsoft consumer domains, other
 * providers and a Microsoft 365 tenant. 203.0.113.1 gets Outlook.com block-list bounces (S3140, S3150),
 * 203.0.113.2 Microsoft 365 bans (5.7.606), 203.0.113.3 reputation throttling (RP-001, S775),
 * 203.0.113.4 "server busy" deferrals (4.7.500); the others only recipient bounces (5.5.0) and
 * deferrals PowerMTA logs itself (4.4.1, no Microsoft code). Replies carry what real ones do: the IP,
 * the answering server and a timestamp in brackets (every text distinct), commas, quotes, and now and
 * then a line break; the other record types (r, tq, f, rb, rs) appear too.
 */
import { rng } from './generate';
import { RECORD_TYPES, type RecordType } from '../server/src/accounting/types';

/** PowerMTA's usual columns, and a header field the report does not know. */
export const ACCOUNTING_COLUMNS = [
  'type',
  'timeLogged',
  'timeQueued',
  'orig',
  'rcpt',
  'orcpt',
  'dsnAction',
  'dsnStatus',
  'dsnDiag',
  'dsnMta',
  'bounceCat',
  'srcType',
  'srcMta',
  'dlvType',
  'dlvSourceIp',
  'dlvDestinationIp',
  'dlvEsmtpAvailable',
  'dlvSize',
  'vmta',
  'jobId',
  'envId',
  'queue',
  'vmtaPool',
  'header_x-id',
] as const;

export interface AccountingOptions {
  /** data records to write (or see `bytes`) */
  rows?: number;
  /** write records until the output reaches this many bytes */
  bytes?: number;
  seed?: number;
  /** the header's columns, in this order (a subset or another order, as `record-fields` makes); `type` must be one */
  columns?: readonly string[];
  format?: 'csv' | 'json';
  crlf?: boolean;
  /** a malformed row after every this many records (wrong field count, unknown type, a quote closed too early) */
  garbageEvery?: number;
  /** the first record's time, ms since 1970 (UTC) */
  start?: number;
  /** ms between records */
  step?: number;
}

interface ExpectedCode {
  deferred: number;
  bounced: number;
  first: number;
  last: number;
  sourceIps: Record<string, number>;
  vmtas: Record<string, number>;
  /** per hour (ms since 1970 of its start) */
  hours: Record<number, { deferred: number; bounced: number }>;
}

interface ExpectedIp {
  vmta: string;
  delivered: number;
  deferred: number;
  bounced: number;
  status: 'blocked' | 'throttled' | 'ok';
  codes: Record<string, number>;
}

/** What the report must find, filled in while the file is written. */
export interface ExpectedReport {
  records: Record<RecordType, number>;
  recipients: { delivered: number; deferred: number; bounced: number };
  codes: Record<string, ExpectedCode>;
  sourceIps: Record<string, ExpectedIp>;
  /** line numbers of the malformed rows */
  skippedLines: number[];
  /** lines written */
  lines: number;
  bytes: number;
  first: number;
  last: number;
}

const IPS = [
  '203.0.113.1',
  '203.0.113.2',
  '203.0.113.3',
  '203.0.113.4',
  '203.0.113.5',
  '203.0.113.6',
  '203.0.113.7',
  '203.0.113.8',
];
const MS_DOMAINS = [
  'hotmail.com',
  'outlook.com',
  'live.com',
  'msn.com',
  'hotmail.co.uk',
  'live.fr',
  'outlook.de',
  'Hotmail.COM',
];
const OTHER_DOMAINS = ['gmail.com', 'yahoo.com', 'aol.com', 'gmx.de', 'orange.fr', 'comcast.net', 'example.org'];
/** a domain of its own hosted by Outlook.com: Microsoft only by the MX host that answered */
const HOSTED_DOMAIN = 'family-example.net';
/** a Microsoft 365 tenant: Microsoft, but not the consumer service the report is about */
const TENANT_DOMAIN = 'contoso.com';

interface Reply {
  code: string;
  /** dsnDiag, given the IP, a server name and a timestamp */
  diag: (ip: string, server: string, ts: string, n: number) => string;
  status: string;
  effect?: 'block' | 'throttle';
}

const BLOCKS: Record<string, Reply[]> = {
  '203.0.113.1': [
    {
      code: 'S3140',
      diag: (ip, server, ts) =>
        `smtp;550 5.7.1 Unfortunately, messages from [${ip}] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3140). You can also refer your provider to http://mail.live.com/mail/troubleshooting.aspx#errors. [${server}.namprd04.prod.outlook.com ${ts}]`,
      status: '5.7.1 (delivery not authorized, message refused)',
      effect: 'block',
    },
    {
      code: 'S3150',
      diag: (ip, server, ts, n) =>
        n % 3 === 0
          ? `smtp;550-5.7.1 Unfortunately, messages from [${ip}] weren't sent.\n550 5.7.1 Please contact your Internet service provider since part of their network is on our block list (S3150). [${server}.eurprd03.prod.outlook.com ${ts}]`
          : `smtp;550 5.7.1 Unfortunately, messages from [${ip}] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150). You can also refer your provider to "http://mail.live.com/mail/troubleshooting.aspx#errors". [${server}.eurprd03.prod.outlook.com ${ts}]`,
      status: '5.7.1 (delivery not authorized, message refused)',
      effect: 'block',
    },
  ],
  '203.0.113.2': [
    {
      code: '5.7.606',
      diag: (ip, server, ts) =>
        `smtp;550 5.7.606 Access denied, banned sending IP [${ip}]. To request removal from this list please visit https://sender.office.com/ and follow the directions. (AS16012609) [${server}.namprd11.prod.outlook.com ${ts}]`,
      status: '5.7.606 (delivery not authorized, message refused)',
      effect: 'block',
    },
  ],
};

const THROTTLES: Record<string, Reply[]> = {
  '203.0.113.3': [
    {
      code: 'RP-001',
      diag: (_ip, server, ts) =>
        `smtp;421 RP-001 The mail server IP connecting to Outlook.com server has exceeded the rate limit allowed. Reason for rate limitation is related to IP/domain reputation. [${server} ${ts}]`,
      status: '4.0.0 (undefined status)',
      effect: 'throttle',
    },
    {
      code: 'S775',
      diag: (ip, server, ts) =>
        `smtp;451 4.7.650 The mail server [${ip}] has been temporarily rate limited due to IP reputation. For e-mail delivery information, see https://aka.ms/postmaster (S775) [${server}.namprd02.prod.outlook.com ${ts}]`,
      status: '4.7.650 (delivery not authorized, message refused)',
      effect: 'throttle',
    },
  ],
  '203.0.113.4': [
    {
      code: '4.7.500',
      diag: (ip, server, ts) =>
        `smtp;451 4.7.500 Server busy. Please try again later from [${ip}]. (AS761) [${server}.namprd06.prod.outlook.com ${ts}]`,
      status: '4.7.500 (delivery not authorized, message refused)',
      effect: 'throttle',
    },
  ],
};

const RECIPIENT_BOUNCE: Reply = {
  code: '5.5.0',
  diag: (_ip, server, ts) =>
    `smtp;550 5.5.0 Requested action not taken: mailbox unavailable. [${server}.namprd15.prod.outlook.com ${ts}]`,
  status: '5.5.0 (other or undefined protocol status)',
};

/** a deferral PowerMTA logs itself: no dsnDiag, the code only in dsnStatus */
const NO_ANSWER: Reply = { code: '4.4.1', diag: () => '', status: '4.4.1 (no answer from host)' };

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** ms as PowerMTA writes it, in UTC-5: `2026-01-15 09:23:11-0500`. */
function pmtaTime(ms: number): string {
  const d = new Date(ms - 5 * 3600000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}-0500`;
}

/** A CSV field as RFC 4180 quotes it: only when it holds a comma, a quote or a line break. */
function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function emptyExpected(): ExpectedReport {
  return {
    records: Object.fromEntries(RECORD_TYPES.map((t) => [t, 0])) as Record<RecordType, number>,
    recipients: { delivered: 0, deferred: 0, bounced: 0 },
    codes: {},
    sourceIps: Object.fromEntries(
      IPS.map((ip, i): [string, ExpectedIp] => [
        ip,
        { vmta: `mta${i + 1}`, delivered: 0, deferred: 0, bounced: 0, status: 'ok', codes: {} },
      ]),
    ),
    skippedLines: [],
    lines: 0,
    bytes: 0,
    first: Infinity,
    last: -Infinity,
  };
}

/** Adds a Microsoft deferral or bounce to the expected figures. */
function expectReply(x: ExpectedReport, reply: Reply, type: 't' | 'b', ip: string, vmta: string, time: number): void {
  const c = (x.codes[reply.code] ??= {
    deferred: 0,
    bounced: 0,
    first: Infinity,
    last: -Infinity,
    sourceIps: {},
    vmtas: {},
    hours: {},
  });
  const hour = (c.hours[time - (time % 3600000)] ??= { deferred: 0, bounced: 0 });
  if (type === 't') {
    c.deferred++;
    hour.deferred++;
  } else {
    c.bounced++;
    hour.bounced++;
  }
  c.first = Math.min(c.first, time);
  c.last = Math.max(c.last, time);
  c.sourceIps[ip] = (c.sourceIps[ip] ?? 0) + 1;
  c.vmtas[vmta] = (c.vmtas[vmta] ?? 0) + 1;
  const s = x.sourceIps[ip];
  s.codes[reply.code] = (s.codes[reply.code] ?? 0) + 1;
  if (reply.effect === 'block' && type === 'b') s.status = 'blocked';
  else if (reply.effect === 'throttle' && type === 't' && s.status === 'ok') s.status = 'throttled';
}

/**
 * The file as chunks of about 1 MB (or one chunk for small files); `expected` is filled in as they are
 * made, and is complete once the generator is done.
 */
export function* accountingChunks(opts: AccountingOptions, expected: ExpectedReport): Generator<string> {
  const r = rng(opts.seed ?? 19);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)];
  const columns = opts.columns ?? ACCOUNTING_COLUMNS;
  const json = opts.format === 'json';
  const eol = opts.crlf ? '\r\n' : '\n';
  const step = opts.step ?? 250;
  let time = opts.start ?? Date.UTC(2026, 0, 15, 0, 0, 0);
  let out = '';
  let rows = 0;
  const x = expected;
  const emit = (text: string, lines: number) => {
    out += text;
    x.lines += lines;
    x.bytes += text.length;
  };
  if (!json) emit(columns.join(',') + eol, 1);
  const done = () => (opts.bytes !== undefined ? x.bytes >= opts.bytes : rows >= (opts.rows ?? 1000));
  while (!done()) {
    if (opts.garbageEvery && rows > 0 && rows % opts.garbageEvery === 0) {
      x.skippedLines.push(x.lines + 1);
      const kind = (rows / opts.garbageEvery) % 3;
      if (json)
        emit(kind === 0 ? '{"type": "d", "rcpt": ' + eol : kind === 1 ? '[1, 2]' + eol : '{"type": "zz"}' + eol, 1);
      else if (kind === 0) emit('#### rotated by logrotate ####' + eol, 1);
      else if (kind === 1) emit(['zz', ...columns.slice(1).map(() => '')].join(',') + eol, 1);
      else emit(['d', '"2026-01-15 10:00:00"x', ...columns.slice(2).map(() => '')].join(',') + eol, 1);
    }
    rows++;
    time += Math.floor(r() * step);
    // the time as logged: whole seconds
    const logged = time - (time % 1000);
    const rec: Record<string, string> = {};
    const roll = r();
    const type: RecordType =
      roll < 0.62
        ? 'd'
        : roll < 0.8
          ? 't'
          : roll < 0.88
            ? 'b'
            : roll < 0.95
              ? 'r'
              : roll < 0.97
                ? 'tq'
                : roll < 0.98
                  ? 'f'
                  : roll < 0.99
                    ? 'rb'
                    : 'rs';
    const ipIndex = Math.floor(r() * IPS.length);
    const ip = IPS[ipIndex];
    const vmta = `mta${ipIndex + 1}`;
    const server = `BN${Math.floor(r() * 9)}PEPF0000${Math.floor(r() * 1e4)
      .toString(16)
      .toUpperCase()}`;
    const ts = new Date(time + Math.floor(r() * 900)).toISOString();
    const dest = r();
    const kind = dest < 0.45 ? 'ms' : dest < 0.5 ? 'hosted' : dest < 0.55 ? 'tenant' : 'other';
    const domain =
      kind === 'ms'
        ? pick(MS_DOMAINS)
        : kind === 'hosted'
          ? HOSTED_DOMAIN
          : kind === 'tenant'
            ? TENANT_DOMAIN
            : pick(OTHER_DOMAINS);
    const rcpt = `user${Math.floor(r() * 1e6)}@${domain}`;
    const mx =
      kind === 'ms'
        ? `${domain.toLowerCase().replace(/\./g, '-')}.olc.protection.outlook.com (52.101.${Math.floor(r() * 255)}.${Math.floor(r() * 255)})`
        : kind === 'hosted'
          ? `family-example-net.olc.protection.outlook.com (52.101.9.${Math.floor(r() * 255)})`
          : kind === 'tenant'
            ? `contoso-com.mail.protection.outlook.com (52.101.40.${Math.floor(r() * 255)})`
            : `mx${Math.floor(r() * 4)}.${domain} (198.51.100.${Math.floor(r() * 255)})`;
    let microsoft = kind === 'ms' || kind === 'hosted';
    rec.type = type;
    rec.timeLogged = pmtaTime(time);
    rec.timeQueued = pmtaTime(time - Math.floor(r() * 60000));
    rec.orig = `bounce-${Math.floor(r() * 1e5)}@news.example.com`;
    rec.rcpt = rcpt;
    rec.orcpt = r() < 0.1 ? `rfc822;${rcpt}` : '';
    rec.srcType = 'smtp';
    rec.srcMta = 'app1.example.com (192.0.2.10)';
    rec.jobId = `campaign-${Math.floor(r() * 50)}`;
    rec.envId = '';
    rec.queue = `${domain.toLowerCase()}/${vmta}`;
    rec.vmtaPool = ipIndex < 4 ? 'pool-a' : 'pool-b';
    rec['header_x-id'] = `${Math.floor(r() * 1e9).toString(36)}`;
    const counted = x.records[type] !== undefined;
    if (type === 'd' || type === 't' || type === 'b') {
      rec.dlvType = 'smtp';
      rec.dlvSourceIp = ip;
      rec.dlvDestinationIp = mx.replace(/^.*\((.*)\)$/, '$1');
      rec.dlvEsmtpAvailable = 'PIPELINING,SIZE,STARTTLS,8BITMIME,ENHANCEDSTATUSCODES,CHUNKING';
      rec.dlvSize = String(8000 + Math.floor(r() * 40000));
      rec.vmta = vmta;
      rec.dsnMta = mx;
      if (type === 'd') {
        rec.dsnAction = 'relayed';
        rec.dsnStatus = '2.0.0 (success)';
        rec.dsnDiag =
          kind === 'other'
            ? `smtp;250 2.0.0 OK ${Math.floor(time / 1000)} ${Math.floor(r() * 1e9).toString(36)}.${Math.floor(r() * 999)} - gsmtp`
            : `smtp;250 2.6.0 <${Math.floor(r() * 1e12)}@news.example.com> [InternalId=${Math.floor(r() * 1e13)}, Hostname=${server}.prod.outlook.com] ${Math.floor(r() * 90000)} bytes in 0.${Math.floor(r() * 999)}, ${Math.floor(r() * 900)}.${Math.floor(r() * 999)} KB/sec Queued mail for delivery`;
        if (microsoft) {
          x.recipients.delivered++;
          x.sourceIps[ip].delivered++;
        }
      } else {
        let reply: Reply;
        const special = type === 'b' ? BLOCKS[ip] : THROTTLES[ip];
        if (!microsoft)
          reply =
            type === 'b'
              ? {
                  code: '5.1.1',
                  diag: () => `smtp;550 5.1.1 <${rcpt}>: Recipient address rejected: User unknown`,
                  status: '5.1.1 (bad destination mailbox address)',
                }
              : NO_ANSWER;
        else if (special && r() < 0.7) reply = special[Math.floor(r() * special.length)];
        else reply = type === 'b' ? RECIPIENT_BOUNCE : NO_ANSWER;
        rec.dsnAction = type === 'b' ? 'failed' : 'delayed';
        rec.dsnStatus = reply.status;
        rec.dsnDiag = reply.diag(ip, server, ts, rows);
        rec.bounceCat = type === 'b' ? (reply.effect === 'block' ? 'policy-related' : 'bad-mailbox') : '';
        if (!rec.dsnDiag) {
          // no connection, no answering host: a hosted domain is then not recognisable as Microsoft's
          rec.dsnMta = '';
          if (kind === 'hosted') microsoft = false;
        }
        if (microsoft) {
          if (type === 'b') {
            x.recipients.bounced++;
            x.sourceIps[ip].bounced++;
          } else {
            x.recipients.deferred++;
            x.sourceIps[ip].deferred++;
          }
          expectReply(x, reply, type, ip, vmta, logged);
        }
      }
    } else if (type === 'r') {
      rec.dsnAction = '';
    } else if (type === 'f') {
      rec.rcpt = `jmrp@${pick(MS_DOMAINS)}`;
    }
    if (counted) x.records[type]++;
    x.first = Math.min(x.first, logged);
    x.last = Math.max(x.last, logged);
    let line: string;
    let breaks = 0;
    if (json) {
      const o: Record<string, string> = {};
      for (const c of columns) if (rec[c] !== undefined && rec[c] !== '') o[c] = rec[c];
      line = JSON.stringify(o);
    } else {
      line = columns.map((c) => csvField(rec[c] ?? '')).join(',');
      for (let i = line.indexOf('\n'); i >= 0; i = line.indexOf('\n', i + 1)) breaks++;
    }
    emit(line + eol, 1 + breaks);
    if (out.length >= 1 << 20) {
      yield out;
      out = '';
    }
  }
  if (out) yield out;
}

/** A whole (small) accounting file as a string, with the figures the report must find in it. */
export function generateAccounting(opts: AccountingOptions): { text: string; expected: ExpectedReport } {
  const expected = emptyExpected();
  let text = '';
  for (const chunk of accountingChunks(opts, expected)) text += chunk;
  return { text, expected };
}

/** An empty {@link ExpectedReport}, for {@link accountingChunks}. */
export function newExpected(): ExpectedReport {
  return emptyExpected();
}
