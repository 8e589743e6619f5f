/**
 * Deterministic generators of large, realistic inputs for the benchmarks:
 *  - a PowerMTA configuration of about N lines, shaped like the configs of large senders
 *    (hundreds of virtual MTAs in pools, per-customer domain blocks, Microsoft domains routed to one
 *    queue, smtp-pattern-lists with Microsoft replies, pattern lists, bounce categories, an MX rollup,
 *    macros over several comma-continued lines, backslash continuations, comments, a few mistakes);
 *  - JSON of about the same byte size, for the jsonc-parser comparison.
 */

/** Small seeded PRNG (mulberry32): the same seed gives the same config on every machine. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MICROSOFT = ['outlook.com', 'hotmail.com', 'hotmail.co.uk', 'hotmail.de', 'hotmail.fr', 'live.com', 'live.co.uk', 'live.de', 'msn.com', 'windowslive.com'];
const OTHERS = ['gmail.com', 'yahoo.com', 'aol.com', 'icloud.com', 'gmx.de', 'web.de', 'orange.fr', 'free.fr', 'libero.it', 'mail.ru', 'yandex.ru', 'comcast.net'];

const MS_REPLIES = [
  ['RP-001', 'mode=backoff,backoff-to-normal-after=4h'],
  ['RP-002', 'mode=backoff,backoff-to-normal-after=2h'],
  ['RP-003', 'mode=backoff,backoff-to-normal-after=2h'],
  ['4\\.7\\.650', 'mode=backoff,backoff-to-normal-after=4h'],
  ['4\\.7\\.651', 'mode=backoff,backoff-to-normal-after=4h'],
  ['4\\.7\\.652|exceeded the maximum number of connections', 'mode=backoff,backoff-to-normal-after=1h'],
  ['exceeded (the )?maximum number of messages per connection', 'mode=backoff,backoff-to-normal-after=1h'],
  ['4\\.7\\.500 Server busy', 'defer-queue'],
  ['Access denied, please try again later', 'mode=backoff,backoff-to-normal-after=1h'],
  ['part of their network is on our block list|\\(A?S31[45]0\\)', 'mode=backoff,backoff-to-normal-after=4h'],
  ['SC-00[1-4]', 'mode=backoff,backoff-to-normal-after=4h'],
  ['OU-00[12]', 'mode=backoff,backoff-to-normal-after=4h'],
  ['DY-00[12]', 'mode=backoff,backoff-to-normal-after=4h'],
  ['5\\.7\\.6(0[6-9]|[1-4][0-9])|banned sending IP', 'mode=backoff,backoff-to-normal-after=4h'],
  ['5\\.7\\.511', 'mode=backoff,backoff-to-normal-after=4h'],
  ['5\\.7\\.515|required authentication level', 'mode=backoff,backoff-to-normal-after=1h'],
  ['5\\.7\\.509|does not pass DMARC', 'mode=backoff,backoff-to-normal-after=1h'],
  ['5\\.7\\.510|does not accept email over IPv6', 'mode=backoff,backoff-to-normal-after=1h'],
];

const GENERIC_REPLIES = [
  ['^421 .*too many connections', 'mode=backoff,backoff-to-normal-after=30m'],
  ['^450 .*try again later', 'mode=backoff'],
  ['^421 .*(rate|throttl)', 'mode=backoff,backoff-to-normal-after=1h'],
  ['^554 .*(blocked|blacklist|spamhaus)', 'mode=backoff,backoff-to-normal-after=2h'],
  ['^452 .*too many recipients', 'mode=normal'],
];

/**
 * A configuration of about `lines` lines (within a few lines). Mostly clean, with a realistic
 * sprinkling of mistakes (about one unit in 150) so that diagnostics and quick fixes are exercised.
 */
export function generateConfig(lines: number, seed = 42): string {
  const r = rng(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)];
  const out: string[] = [];
  out.push(
    '# PowerMTA configuration (generated for benchmarks)',
    '# pmta-lint: microsoft-tier=500k-plus',
    '',
    'postmaster postmaster@example.com',
    'host-name mail.example.com',
    'log-file /var/log/pmta/pmta.log',
    'spool /var/spool/pmta',
    'run-as-root no',
    'smtp-listener 0/0:25',
    'http-mgmt-port 8080',
    'http-access 127.0.0.1 admin',
    'sync-msg-create false',
    'sync-msg-update false',
    '',
    '# Microsoft consumer domains, listed over several lines',
    'domain-macro microsoft outlook.com, hotmail.com, hotmail.co.uk, hotmail.de,',
    '    hotmail.fr, live.com, live.co.uk, live.de,',
    '    msn.com, windowslive.com',
    'domain-macro bigfree gmail.com, yahoo.com, aol.com, icloud.com',
    '',
    'domain-key s1, example.com, /etc/pmta/dkim/example.com.private',
    'domain-key s1, *, /etc/pmta/dkim/default.private',
    '',
    '<source 127.0.0.1>',
    '    always-allow-relaying yes',
    '    process-x-virtual-mta yes',
    '    smtp-service yes',
    '    default-virtual-mta pool0',
    '</source>',
    '',
    '<source 0/0>',
    '    always-allow-relaying no',
    '    smtp-service yes',
    '</source>',
    '',
    '<smtp-pattern-list microsoft-errors>',
  );
  for (const [re, act] of MS_REPLIES) out.push(`    # ${re.slice(0, 12)}: Microsoft reply`, `    reply /${re}/ ${act}`);
  out.push('</smtp-pattern-list>', '', '<smtp-pattern-list generic-errors>');
  for (const [re, act] of GENERIC_REPLIES) out.push(`    reply /${re}/ ${act}`);
  out.push(
    '</smtp-pattern-list>',
    '',
    '<bounce-category-patterns>',
    '    /spam/ spam-related',
    '    /junk mail/ spam-related',
    '    /user unknown/ bad-mailbox',
    '    /mailbox (is )?(full|over quota)/ quota-issues',
    '    /.*/ other',
    '</bounce-category-patterns>',
    '',
    '<pattern-list routing>',
    '    mail-from /@news\\.example\\.com$/ virtual-mta=mta1',
    '    header X-Campaign /^promo/ virtual-mta-pool=pool1',
    '</pattern-list>',
    '',
    '<mx-rollup-list>',
    '    mx *.google.com gmail.rollup',
    '</mx-rollup-list>',
    '',
    '<domain *>',
    '    max-smtp-out 20',
    '    max-msg-per-connection 100',
    '    retry-after 10m,20m,1h',
    '    bounce-after 4d12h',
    '    smtp-pattern-list generic-errors',
    '    dkim-sign yes',
    '</domain>',
    '',
    '<domain outlook.com>',
    '    max-smtp-out 5',
    '    max-connect-rate 1/s',
    '    max-msg-rate 200/h',
    '    retry-after 20m',
    '    smtp-pattern-list microsoft-errors',
    '    backoff-max-smtp-out 2',
    '    backoff-retry-after 30m,2h,4h',
    '    backoff-max-msg-rate 60/h',
    '    dkim-sign yes',
    '</domain>',
    '',
  );
  for (const d of MICROSOFT.slice(1)) out.push(`<domain ${d}>`, '    queue-to outlook.com', '</domain>', '');
  out.push('<domain $bigfree>', '    max-smtp-out 10', '    max-msg-rate 1000/h', '</domain>', '');

  let vmta = 0;
  let pool = 0;
  let customer = 0;
  let unit = 0;
  const poolSize = 8;
  // the rest: repeated units until the target is reached; the tail adds pools for the last vmtas
  while (out.length < lines - 12) {
    unit++;
    const kind = unit % 5;
    if (kind === 1 || kind === 3) {
      // a virtual MTA with its own per-domain settings
      const i = vmta++;
      const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
      out.push(`# ${pick(['main', 'backup', 'warmup', 'transactional'])} sender ${i}`);
      out.push(`<virtual-mta mta${i}>`);
      if (r() < 0.1) out.push(`    smtp-source-host ${ip} \\`, `        mta${i}.example.com`);
      else out.push(`    smtp-source-host ${ip} mta${i}.example.com`);
      out.push(`    max-smtp-out ${pick([10, 20, 40])}`, '    <domain *>', `        max-msg-rate ${pick([300, 600, 1200])}/h`, '    </domain>');
      if (r() < 0.3) out.push(`    <domain ${pick(OTHERS)}>`, `        max-smtp-out ${pick([2, 5, 8])}`, '        retry-after 15m', '    </domain>');
      out.push('</virtual-mta>', '');
      if (vmta % poolSize === 0) {
        out.push(`<virtual-mta-pool pool${pool}>`);
        for (let k = vmta - poolSize; k < vmta; k++) out.push(`    virtual-mta mta${k}`);
        if (r() < 0.5) out.push('    <domain $bigfree>', '        max-smtp-out 2', '    </domain>');
        out.push('</virtual-mta-pool>', '');
        pool++;
      }
    } else if (kind === 2 || kind === 4) {
      // a customer's domain
      const c = customer++;
      out.push(`<domain customer${c}.example>`);
      out.push(`    max-smtp-out ${pick([2, 4, 10])}`, `    retry-after ${pick(['10m', '10m,20m,1h', '30m'])}`, `    bounce-after ${pick(['2d', '4d', '3d12h'])}`);
      if (r() < 0.5) out.push('    smtp-pattern-list generic-errors   # shared rules');
      if (r() < 0.3) out.push(`    queue-to customer${Math.floor(c / 2)}.example`);
      out.push('    dkim-sign yes', '</domain>', '');
    } else {
      // comments and a mistake now and then
      out.push('# ------------------------------------------------------------');
      const m = r();
      if (m < 0.02) out.push('max-smtp-outt 5   # a typo');
      else if (m < 0.04) out.push(`<domain typo${unit}.example>`, '    max-msg-rate 0.5/s', '</domain>');
      else if (m < 0.05) out.push(`<domain other${unit}.example>`, '    default-virtual-mta missing-pool', '</domain>');
      out.push('');
    }
  }
  // last pools, the default pool referenced by <source 127.0.0.1>, then pad to the exact line count
  if (vmta % poolSize !== 0) {
    out.push(`<virtual-mta-pool pool${pool}>`);
    for (let k = vmta - (vmta % poolSize); k < vmta; k++) out.push(`    virtual-mta mta${k}`);
    out.push('</virtual-mta-pool>', '');
  }
  if (pool === 0) out.push('<virtual-mta-pool pool0>', '    virtual-mta mta0', '</virtual-mta-pool>', '');
  if (!out.some((l) => l === '<virtual-mta-pool pool1>')) out.push('<virtual-mta-pool pool1>', '    virtual-mta mta0', '</virtual-mta-pool>', '');
  if (vmta === 0) out.push('<virtual-mta mta0>', '    smtp-source-host 10.0.0.1 mta0.example.com', '</virtual-mta>', '');
  while (out.length < lines) out.push('# end');
  return out.join('\n') + '\n';
}

/** JSON of about `bytes` bytes describing the same kind of data (an object per virtual MTA and domain). */
export function generateJson(bytes: number, seed = 42): string {
  const r = rng(seed);
  const parts: string[] = [];
  let size = 2;
  let i = 0;
  while (size < bytes - 200) {
    const o = {
      name: `mta${i}`,
      source: { ip: `10.${(i >> 8) & 255}.${i & 255}.1`, host: `mta${i}.example.com` },
      maxSmtpOut: Math.floor(r() * 40),
      domains: [
        { pattern: '*', maxMsgRate: '600/h', retryAfter: ['10m', '20m', '1h'] },
        { pattern: `customer${i}.example`, maxSmtpOut: 2, dkimSign: true, comment: 'shared rules' },
      ],
    };
    const s = JSON.stringify(o, null, 2);
    parts.push(s);
    size += s.length + 2;
    i++;
  }
  return '[\n' + parts.join(',\n') + '\n]\n';
}

/** Pathological inputs: one line of about `bytes` characters each. */
export function pathologicalLines(bytes: number): Array<{ name: string; text: string }> {
  const words = Array.from({ length: Math.ceil(bytes / 12) }, (_, i) => `d${i}.example`).join(', ');
  return [
    { name: 'directive with a huge list', text: `domain-macro huge ${words}\n` },
    { name: 'one huge word', text: `host-name ${'a'.repeat(bytes)}\n` },
    { name: 'unterminated regex', text: `<smtp-pattern-list x>\n    reply /${'(a|b)*'.repeat(bytes / 6)}\n</smtp-pattern-list>\n` },
    { name: 'comment', text: `# ${'x '.repeat(bytes / 2)}\n` },
    { name: 'open braces', text: `domain x ${'{{'.repeat(bytes / 2)}\n` },
    { name: 'angle brackets', text: `<${'<'.repeat(bytes)}\n` },
    { name: 'quotes and hashes', text: `smtp-source-host "${'#"'.repeat(bytes / 2)}\n` },
    { name: 'placeholder-like', text: `host-name ${'A_B'.repeat(bytes / 3)}\n` },
  ];
}

/**
 * A configuration cut into `parts` files of about the same number of lines, each cut between two
 * top-level blocks (as a conf.d layout splits it): the files, in order.
 */
export function splitConfig(text: string, parts: number): string[] {
  const lines = text.split('\n');
  const per = Math.ceil(lines.length / parts);
  const out: string[] = [];
  let cur: string[] = [];
  let depth = 0;
  for (const l of lines) {
    cur.push(l);
    if (/^\s*<\//.test(l)) depth--;
    else if (/^\s*<[a-z]/i.test(l) && !/\/>\s*$/.test(l)) depth++;
    if (depth <= 0 && cur.length >= per && out.length < parts - 1) {
      out.push(cur.join('\n') + '\n');
      cur = [];
      depth = 0;
    }
  }
  if (cur.length) out.push(cur.join('\n'));
  return out;
}
