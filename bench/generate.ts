/**
 * Deterministic generators of large, realistic inputs for the benchmarks:
 *  - a PowerMTA configuration of about N lines, shaped like the configs of large senders
 *    (hundreds of virtual MTAs in pools, per-customer domain blocks, Microsoft domains routed to one
 *    queue, smtp-pattern-lists with Microsoft replies, pattern lists, bounce categories, an MX rollup,
 *    macros over several comma-continued lines, backslash continuations, comments, a few mistakes);
 *  - JSON of about the same byte size, for the jsonc-parser comparison;
 *  - shapes: each construct the parser and the analysis know, grown to any size (long lines of every
 *    character class, nesting, siblings, Microsoft domains nested in virtual MTAs, macros, annotations,
 *    references, includes, pattern lists, duplicates), to measure how the time grows with the input.
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

const MICROSOFT = [
  'outlook.com',
  'hotmail.com',
  'hotmail.co.uk',
  'hotmail.de',
  'hotmail.fr',
  'live.com',
  'live.co.uk',
  'live.de',
  'msn.com',
  'windowslive.com',
];
const OTHERS = [
  'gmail.com',
  'yahoo.com',
  'aol.com',
  'icloud.com',
  'gmx.de',
  'web.de',
  'orange.fr',
  'free.fr',
  'libero.it',
  'mail.ru',
  'yandex.ru',
  'comcast.net',
];

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
      out.push(
        `    max-smtp-out ${pick([10, 20, 40])}`,
        '    <domain *>',
        `        max-msg-rate ${pick([300, 600, 1200])}/h`,
        '    </domain>',
      );
      if (r() < 0.3)
        out.push(
          `    <domain ${pick(OTHERS)}>`,
          `        max-smtp-out ${pick([2, 5, 8])}`,
          '        retry-after 15m',
          '    </domain>',
        );
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
      out.push(
        `    max-smtp-out ${pick([2, 4, 10])}`,
        `    retry-after ${pick(['10m', '10m,20m,1h', '30m'])}`,
        `    bounce-after ${pick(['2d', '4d', '3d12h'])}`,
      );
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
  if (!out.some((l) => l === '<virtual-mta-pool pool1>'))
    out.push('<virtual-mta-pool pool1>', '    virtual-mta mta0', '</virtual-mta-pool>', '');
  if (vmta === 0)
    out.push('<virtual-mta mta0>', '    smtp-source-host 10.0.0.1 mta0.example.com', '</virtual-mta>', '');
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
    {
      name: 'unterminated regex',
      text: `<smtp-pattern-list x>\n    reply /${'(a|b)*'.repeat(bytes / 6)}\n</smtp-pattern-list>\n`,
    },
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

/** The shapes of {@link generateMicrosoftNesting}. */
const MICROSOFT_NESTING_SHAPES = ['vmtas', 'pools', 'star', 'macros'] as const;
type MicrosoftNestingShape = (typeof MICROSOFT_NESTING_SHAPES)[number];

/**
 * Microsoft domains nested in `n` virtual MTAs or pools, the shapes that once made the Microsoft analysis
 * quadratic (each block a queue of its own, judged per virtual MTA):
 *  - vmtas: each virtual MTA nests `<domain outlook.com>` and `<domain hotmail.com> queue-to outlook.com`,
 *    all in one pool that a source sends through;
 *  - pools: a pool per virtual MTA, each nesting the two blocks (n routes);
 *  - star: as vmtas, each virtual MTA also nesting a `<domain *>`, with a top-level `<domain outlook.com>`;
 *  - macros: each virtual MTA nests `<domain $ms>`, a macro of four Microsoft domains.
 */
function generateMicrosoftNesting(shape: MicrosoftNestingShape, n: number): string {
  const out: string[] = [];
  const ip = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
  const nested = [
    '    <domain outlook.com>',
    '        max-smtp-out 2',
    '    </domain>',
    '    <domain hotmail.com>',
    '        queue-to outlook.com',
    '    </domain>',
  ];
  const pool = () => {
    out.push('<virtual-mta-pool ms>');
    for (let i = 0; i < n; i++) out.push(`    virtual-mta v${i}`);
    out.push('</virtual-mta-pool>', '<source 0/0>', '    default-virtual-mta ms', '</source>');
  };
  if (shape === 'pools') {
    for (let i = 0; i < n; i++)
      out.push(
        `<virtual-mta v${i}>`,
        `    smtp-source-host ${ip(i)} v${i}.example.com`,
        '</virtual-mta>',
        `<virtual-mta-pool p${i}>`,
        `    virtual-mta v${i}`,
        ...nested,
        '</virtual-mta-pool>',
      );
  } else if (shape === 'macros') {
    out.push('domain-macro ms outlook.com, hotmail.com, live.com, msn.com');
    for (let i = 0; i < n; i++)
      out.push(
        `<virtual-mta v${i}>`,
        `    smtp-source-host ${ip(i)} v${i}.example.com`,
        '    <domain $ms>',
        '        max-smtp-out 2',
        '    </domain>',
        '</virtual-mta>',
      );
    pool();
  } else {
    if (shape === 'star') out.push('<domain outlook.com>', '    max-smtp-out 4', '    retry-after 20m', '</domain>');
    for (let i = 0; i < n; i++) {
      out.push(`<virtual-mta v${i}>`, `    smtp-source-host ${ip(i)} v${i}.example.com`);
      if (shape === 'star') out.push('    <domain *>', '        max-msg-rate 600/h', '    </domain>');
      out.push(...nested, '</virtual-mta>');
    }
    pool();
  }
  return out.join('\n') + '\n';
}

/** What the shapes bench measures on a shape (bench/shapes.ts). */
export type ShapeMeasure = 'lint' | 'fix' | 'format' | 'outline' | 'completion';

/** One input of a shape: its text, where completion is asked, and the files its include lines name. */
export interface ShapeInput {
  text: string;
  /** Completion position (line, character): the end of the long line, the innermost block. */
  at?: { line: number; character: number };
  /** Text of an included file, by the path its include line names. */
  included?: (path: string) => string | undefined;
}

/** A construct grown to size `n` (characters of a line, blocks, lines…). */
export interface Shape {
  name: string;
  /** What `n` counts. */
  unit: string;
  /** The small size: measured at `n` and 8×`n`. */
  n: number;
  /**
   * Another size for some measures to start from (the bench doubles it until a call takes long enough to
   * time): the editor's requests cost less than the analysis, and the outline stops at 5,000 symbols
   * (features/symbols.ts), so its sizes keep 8×N under that.
   */
  sizes?: Partial<Record<ShapeMeasure, number>>;
  measures: readonly ShapeMeasure[];
  make(n: number): ShapeInput;
}

const LINE_MEASURES: readonly ShapeMeasure[] = ['lint', 'completion'];

/** One long line: `prefix` then `unit` repeated up to `n` characters, completion asked at its end. */
function longLine(name: string, prefix: string, unit: string, n: number, measures = LINE_MEASURES): Shape {
  return {
    name,
    unit: 'characters',
    n,
    // (completion costs less than the analysis: measured on longer lines)
    sizes: { completion: n * 4, format: n * 4 },
    measures,
    make(size) {
      const line = prefix + unit.repeat(Math.ceil(size / unit.length));
      return { text: line + '\n', at: { line: 0, character: line.length } };
    },
  };
}

/** `count` lines made by `line(i)`, inside `open`/`close` lines when given. */
function lines(
  count: number,
  line: (i: number) => string | string[],
  open: string[] = [],
  close: string[] = [],
): string {
  const out = [...open];
  for (let i = 0; i < count; i++) {
    const l = line(i);
    if (typeof l === 'string') out.push(l);
    else out.push(...l);
  }
  // (not push(...close): a close of a million lines is more arguments than a call takes)
  for (const l of close) out.push(l);
  return out.join('\n') + '\n';
}

const ip = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

/**
 * Every shape of the shapes bench, with the size whose analysis takes a few ms (the bench measures it and
 * 8 times it). Long lines hold one character class each; the other shapes repeat one construct.
 */
export const SHAPES: readonly Shape[] = [
  longLine('line of {', 'domain x ', '{', 256 * 1024),
  longLine('line of {{', 'domain x ', '{{', 256 * 1024),
  longLine('line of }}', '', '}}', 256 * 1024),
  longLine('line of <', '<', '<', 256 * 1024),
  longLine('line of >', '<domain x', '>', 256 * 1024),
  longLine('line of quotes', 'smtp-source-host ', '"', 256 * 1024),
  longLine('line of backslashes', 'host-name ', '\\', 256 * 1024),
  longLine('line of spaces', 'host-name', ' ', 256 * 1024, ['lint', 'completion', 'format']),
  longLine('line of commas', 'domain-macro m ', ',', 64 * 1024),
  longLine('line of letters', 'host-name ', 'a', 256 * 1024),
  longLine('line of #', 'host-name ', 'a#', 256 * 1024),
  longLine('line of words and commas', 'domain-macro m ', 'd.example, ', 64 * 1024),
  {
    name: 'blocks nested deep',
    unit: 'levels',
    n: 2000,
    measures: ['lint', 'format', 'outline', 'completion'],
    make(n) {
      const text =
        lines(n, (i) => `${'  '.repeat(Math.min(i, 8))}<virtual-mta v${i}>`) +
        lines(n, (i) => `${'  '.repeat(Math.min(n - 1 - i, 8))}</virtual-mta>`);
      return { text, at: { line: n, character: 0 } };
    },
  },
  {
    name: 'sibling blocks',
    unit: 'blocks',
    n: 1000,
    sizes: { outline: 600 },
    measures: ['lint', 'fix', 'format', 'outline'],
    make: (n) => ({ text: lines(n, (i) => [`<domain d${i}.example>`, `max-smtp-out ${(i % 9) + 1}`, '</domain>']) }),
  },
  {
    name: 'unclosed blocks',
    unit: 'blocks',
    n: 250,
    measures: ['lint', 'fix', 'outline'],
    make: (n) => ({ text: lines(n, (i) => [`<domain d${i}.example>`, '    max-smtp-out 2']) }),
  },
  {
    name: 'stray close tags',
    unit: 'lines',
    n: 2000,
    measures: ['lint', 'fix'],
    make: (n) => ({ text: lines(n, (i) => (i % 2 ? '</domain>' : '</virtual-mta>')) }),
  },
  {
    name: 'doubled-brace blocks (blog form)',
    unit: 'blocks',
    n: 500,
    measures: ['lint', 'fix', 'outline'],
    make: (n) => ({ text: lines(n, (i) => [`domain d${i}.example {{`, '    max-smtp-out 2', '}}']) }),
  },
  ...MICROSOFT_NESTING_SHAPES.map((shape): Shape => ({
    name: `Microsoft domains in virtual MTAs: ${shape}`,
    unit: shape === 'pools' ? 'pools' : 'virtual MTAs',
    n: shape === 'pools' ? 100 : shape === 'star' ? 250 : 500,
    measures: ['lint'],
    make: (n) => ({ text: generateMicrosoftNesting(shape, n) }),
  })),
  {
    name: 'pool members',
    unit: 'members (each a virtual MTA, in two pools with <domain> blocks)',
    n: 1000,
    measures: ['lint'],
    make: (n) => ({
      text: lines(
        n,
        (i) => [`<virtual-mta v${i}>`, `    smtp-source-host ${ip(i)} v${i}.example.com`, '</virtual-mta>'],
        [],
        ['a', 'b'].flatMap((p) => [
          `<virtual-mta-pool ${p}>`,
          ...Array.from({ length: n }, (_, i) => `    virtual-mta v${i}`),
          '    <domain d.example>',
          '        max-smtp-out 2',
          '    </domain>',
          '</virtual-mta-pool>',
        ]),
      ),
    }),
  },
  {
    name: 'macros naming macros',
    unit: 'macros',
    n: 500,
    sizes: { outline: 600, completion: 4000 },
    measures: ['lint', 'outline', 'completion'],
    make(n) {
      // each names the one before twice (a chain that doubles at each macro when expanded naively)
      const text = lines(
        n,
        (i) =>
          i ? `domain-macro m${i} $m${i - 1}, $m${i - 1}, d${i}.example` : 'domain-macro m0 outlook.com, d0.example',
        [],
        [`<domain $m${n - 1}>`, '    max-smtp-out 2', '    ', '</domain>'],
      );
      return { text, at: { line: n + 2, character: 4 } };
    },
  },
  {
    name: 'annotations',
    unit: 'annotated lines',
    n: 2000,
    measures: ['lint'],
    make: (n) => ({
      text: lines(
        n,
        (i) =>
          i % 10 === 5
            ? ['    # pmta-lint: disable invalid-value', '    max-smtp-out x', '    # pmta-lint: enable invalid-value']
            : ['    # pmta-lint: disable-next-line unknown-directive', `    max-smtp-outt ${i}`],
        ['<domain a.example>'],
        ['</domain>'],
      ),
    }),
  },
  {
    name: 'undefined references',
    unit: 'references (and as many names defined)',
    n: 500,
    measures: ['lint'],
    make: (n) => ({
      text: lines(n, (i) => [
        `<virtual-mta v${i}>`,
        `    smtp-source-host ${ip(i)} v${i}.example.com`,
        '</virtual-mta>',
        `<domain d${i}.example>`,
        `    default-virtual-mta missing${i}`,
        '</domain>',
      ]),
    }),
  },
  {
    name: 'include lines',
    unit: 'includes',
    n: 500,
    sizes: { outline: 600 },
    measures: ['lint', 'outline'],
    make: (n) => ({
      text: lines(n, (i) => `include conf.d/f${i}.conf`),
      included: (p) => {
        const m = /f(\d+)\.conf$/.exec(p);
        return m ? `<domain inc${m[1]}.example>\n    max-smtp-out 2\n</domain>\n` : undefined;
      },
    }),
  },
  {
    name: 'pattern lists',
    unit: 'lists (each used by a domain)',
    n: 250,
    sizes: { outline: 300 },
    measures: ['lint', 'outline'],
    make: (n) => ({
      text: lines(n, (i) => [
        `<smtp-pattern-list l${i}>`,
        `    reply /RP-00${(i % 3) + 1}/ mode=backoff,backoff-to-normal-after=4h`,
        `    reply /4\\.7\\.65${i % 3}/ mode=backoff`,
        `    reply /^421 .*too many connections ${i}/ mode=backoff`,
        '</smtp-pattern-list>',
        `<domain d${i}.example>`,
        `    smtp-pattern-list l${i}`,
        '</domain>',
      ]),
    }),
  },
  {
    name: 'patterns in one list',
    unit: 'patterns',
    n: 250,
    measures: ['lint', 'fix'],
    make: (n) => ({
      text: lines(
        n,
        (i) =>
          i % 2
            ? `    reply /RP-00${i % 10}|^4\\.7\\.${i}/ mode=backoff,backoff-to-normal-after=4h`
            : `    reply /^421 .*rate ${i}/ mode=backoff`,
        ['<smtp-pattern-list ms>'],
        [
          '</smtp-pattern-list>',
          '<bounce-category-patterns>',
          ...Array.from({ length: n }, (_, i) => `    /user ${i} unknown/ bad-mailbox`),
          '</bounce-category-patterns>',
          '<domain outlook.com>',
          '    smtp-pattern-list ms',
          '</domain>',
        ],
      ),
    }),
  },
  {
    // the same line again and again: the fix that removes the earlier one is safe, so fix all applies them
    name: 'duplicate lines',
    unit: 'lines',
    n: 2000,
    measures: ['lint', 'fix'],
    make: (n) => ({ text: lines(n, () => '    max-smtp-out 2', ['<domain a.example>'], ['</domain>']) }),
  },
];
