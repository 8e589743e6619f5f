import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  checkValue,
  formatRate,
  isCidr,
  isDomainPattern,
  isHostName,
  isIP,
  isPlaceholder,
  parseDuration,
  parseRate,
  parseSize,
} from '../../server/src/knowledge/values';
import { normalizeSettings } from '../../server/src/settings';
import { getDirective } from '../../server/src/knowledge/catalog';

test('durations', () => {
  assert.equal(parseDuration('20m'), 1200);
  assert.equal(parseDuration('4d12h'), 4 * 86400 + 12 * 3600);
  assert.equal(parseDuration('1w2d12h'), 604800 + 2 * 86400 + 12 * 3600);
  assert.equal(parseDuration('300s'), 300);
  assert.equal(parseDuration('20min'), undefined);
  assert.equal(parseDuration('10'), undefined);
  assert.equal(parseDuration(''), undefined);
});

test('rates normalise across units', () => {
  assert.equal(parseRate('0.5/s')!.perSecond, 0.5);
  assert.equal(parseRate('30/m')!.perSecond, 0.5);
  assert.equal(parseRate('1800/h')!.perSecond, 0.5);
  assert.equal(parseRate('1/2s')!.perSecond, 0.5);
  assert.equal(parseRate('83/10m')!.perSecond, 83 / 600);
  assert.equal(parseRate('2/day')!.perSecond, 2 / 86400);
  assert.equal(parseRate('unlimited')!.unlimited, true);
  assert.equal(parseRate('0.5/s')!.fractional, true);
  assert.equal(parseRate('200/hour'), undefined);
  assert.equal(parseRate('0/h'), undefined);
  assert.equal(formatRate(0.5, 's'), '30/m');
  assert.equal(formatRate(1, 's'), '1/s');
  assert.equal(formatRate(200 / 3600, 'h'), '200/h');
  assert.equal(formatRate(1 / 7, 'h'), '1/7s');
});

test('sizes', () => {
  assert.equal(parseSize('50M'), 50 * 1024 * 1024);
  assert.equal(parseSize('10000K'), 10000 * 1024);
  assert.equal(parseSize('0'), 0);
  assert.equal(parseSize('unlimited'), Infinity);
  assert.equal(parseSize('50MB'), undefined);
});

test('addresses, hosts and domain patterns', () => {
  assert.ok(isIP('192.0.2.1'));
  assert.ok(isIP('::1'));
  assert.ok(isIP('2001:db8::1'));
  assert.ok(!isIP('256.1.1.1'));
  assert.ok(isCidr('0/0'));
  assert.ok(isCidr('10.1.0/24'));
  assert.ok(isCidr('192.0.2.0/24'));
  assert.ok(!isCidr('192.0.2.0/33'));
  assert.ok(isHostName('mail.example.com'));
  assert.ok(isHostName('bücher.de'));
  assert.ok(!isHostName('-bad.example'));
  for (const p of [
    '*',
    'example.com',
    '*.example.com',
    '[*.]example.com',
    '[192.0.2.0/24]',
    '$hotmail',
    'yahoo.$tld',
    '{gmImprinter}',
    'google.rollup',
  ])
    assert.ok(isDomainPattern(p), p);
  assert.ok(!isDomainPattern('not a domain'));
});

// The definitions the scanners in knowledge/values.ts replaced (split and regular expressions): the scanners
// must answer the same for every string.
const HOST_LABEL = /^(?!-)[A-Za-z0-9_-]{1,63}(?<!-)$/;
function isHostNameByRegex(s: string): boolean {
  if (s.length > 253 || !s) return false;
  const t = s.endsWith('.') ? s.slice(0, -1) : s;
  return t
    .split('.')
    .every((l) => HOST_LABEL.test(l) || /^[^\x00-\x7f]+$/.test(l) || /^(?!-)[\p{L}\p{N}-]+(?<!-)$/u.test(l));
}
function isIPv4ByRegex(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

test('host names and IPv4 addresses: the scanners answer as the regular expressions they replaced', () => {
  const label = fc.oneof(
    fc.string({ unit: fc.constantFrom('a', 'Z', '0', '9', '-', '_', 'ü', '字', ' ', '@'), maxLength: 70 }),
    fc.constantFrom('', '-', 'a-', '-a', 'a_b', 'x'.repeat(63), 'x'.repeat(64), 'x'.repeat(63) + '_', 'bücher'),
  );
  const host = fc
    .tuple(fc.array(label, { minLength: 1, maxLength: 5 }), fc.boolean())
    .map(([ls, dot]) => ls.join('.') + (dot ? '.' : ''));
  fc.assert(
    fc.property(host, (h) => isHostName(h) === isHostNameByRegex(h)),
    { numRuns: 3000 },
  );
  const octet = fc.oneof(fc.nat(300).map(String), fc.constantFrom('', '0000', '01', 'a', ' 1', '255', '256'));
  const ipv4 = fc.array(octet, { minLength: 1, maxLength: 6 }).map((os) => os.join('.'));
  fc.assert(
    fc.property(
      fc.oneof(ipv4, fc.string({ maxLength: 20 })),
      (s) => isIP(s) === (isIPv4ByRegex(s) || (s.includes(':') && isIP(s))),
    ),
    { numRuns: 3000 },
  );
  for (const [s, ok] of [
    ['1.2.3.4', true],
    ['255.255.255.255', true],
    ['256.1.1.1', false],
    ['1.2.3', false],
    ['1.2.3.4.', false],
    ['1..3.4', false],
    ['1.2.3.4444', false],
    ['', false],
  ] as const)
    assert.equal(isIP(s), ok, s);
  for (const [s, ok] of [
    ['a.', true],
    ['.', false],
    ['a..b', false],
    ['x'.repeat(64) + '.com', true],
    ['x'.repeat(63) + '_.com', false],
    ['a_b.example', true],
    ['a-.example', false],
  ] as const)
    assert.equal(isHostName(s), ok, s);
});

test('an IP address and a host name: problems with exact offsets', () => {
  const info = getDirective('smtp-source-host')!;
  assert.deepEqual(checkValue(info, '192.0.2.1 mail.example.com'), []);
  assert.deepEqual(checkValue(info, '192.0.2 mail.example.com'), [
    { offset: 0, length: 7, message: 'smtp-source-host: "192.0.2": expected an IP address followed by a host name' },
  ]);
  assert.deepEqual(checkValue(info, '192.0.2.1'), [
    { offset: 0, length: 9, message: 'smtp-source-host: a host name must follow the IP address' },
  ]);
  assert.deepEqual(checkValue(info, '192.0.2.1  -bad.example'), [
    { offset: 11, length: 12, message: 'smtp-source-host: "-bad.example": expected a host name' },
  ]);
  assert.deepEqual(checkValue(info, '192.0.2.1 mail.example.com x  y'), [
    { offset: 0, length: 31, message: 'smtp-source-host takes an IP address and a host name; "x y" is extra' },
  ]);
});

test('template placeholders', () => {
  for (const p of [
    '{{ip}}',
    'mailer-{{sub}}',
    '{% x %}',
    '__BLOCKS__',
    'IP1_ADDRESS:25',
    'VPS_MAILWIZZ_IP',
    'QQQhostnameQQQ',
    'YOUR_DOMAIN.com',
  ])
    assert.ok(isPlaceholder(p), p);
  for (const p of ['mail.example.com', '10m', 'X-Mailer-RecptId', 'pool-cold']) assert.ok(!isPlaceholder(p), p);
});

test('placeholders that ask to be replaced, in any style', () => {
  for (const p of [
    'YOUR_IP',
    'yourip',
    'YourIP',
    'your-domain.com',
    'yourdomain.com',
    'mail.yourdomain.com',
    'your_ip',
    'CHANGEME',
    'change-me',
    'Change_Me',
  ])
    assert.ok(isPlaceholder(p), p);
  for (const p of ['exchange-mail', 'mail.contoso.com', 'policy', 'cycle', 'yo', 'detour.example.com', 'toyourself'])
    assert.ok(!isPlaceholder(p), p);
});

/** What isPlaceholder found with regular expressions before it scanned (the scan must find the same). */
function placeholderByRegex(value: string): boolean {
  return (
    /\{\{.*?\}\}|\{%.*?%\}|\$\{[^}]*\}|<%.*?%>/.test(value) ||
    /__[A-Za-z0-9_]+__|QQQ\w+QQQ/.test(value) ||
    /(^|[^A-Za-z0-9])[A-Z][A-Z0-9]*(_[A-Z0-9]+)+([^A-Za-z0-9]|$)/.test(value) ||
    /(^|[^A-Za-z0-9])(your|change[-_]?me)/i.test(value)
  );
}

test('template placeholders: the scan finds what the regular expressions found', () => {
  const edge = [
    '{{}}',
    '{{}',
    '{{{}}',
    '{{\n}}',
    '{{\r}}',
    '{{\u2028}}',
    'a{{b}}c',
    '}}{{',
    '{%}',
    '{%%}',
    '{%\n%}',
    '<%%>',
    '<%>',
    '<%\n%>',
    '${}',
    '${',
    '${\n}',
    '$}{}',
    '{${}',
    '____',
    '_____',
    '__a__',
    '__a _b__',
    '__-__',
    'QQQQQQ',
    'QQQQQQQ',
    'QQQaQQQ',
    'QQQ QQQ',
    'A_B',
    'a_B',
    'aA_B',
    'A_b',
    'A_B_c',
    'A_Bc',
    '_A_B',
    '1A_B',
    '-A_B-',
    'A__B',
    'AB_',
    'A_',
    'YOUR',
    'xYOUR',
    'CHANGEME',
    'CHANGE_ME',
    'é_A_B',
    'A_Bé',
    '{{' + 'x'.repeat(50) + '}}',
    '{'.repeat(40),
    '${'.repeat(20) + '}',
    '_'.repeat(30) + '!',
  ];
  for (const v of edge) assert.equal(isPlaceholder(v), placeholderByRegex(v), JSON.stringify(v));
  const alphabet = fc.constantFrom(
    '{',
    '}',
    '%',
    '<',
    '>',
    '$',
    '_',
    'Q',
    'A',
    'B',
    '1',
    'a',
    'Y',
    'C',
    ' ',
    '\n',
    '\r',
    '\u2028',
    'é',
    '-',
    'YOUR',
    'CHANGE',
    'your',
    'change-me',
    'y',
    'c',
  );
  fc.assert(
    fc.property(fc.array(alphabet, { maxLength: 24 }), (parts) => {
      const v = parts.join('');
      assert.equal(isPlaceholder(v), placeholderByRegex(v), JSON.stringify(v));
    }),
    { numRuns: 20000 },
  );
});

test('settings are validated, both spellings accepted', () => {
  assert.deepEqual(normalizeSettings({ rules: { syntax: 'off' }, microsoft: { volumeTier: '100k-500k' } }), {
    settings: { rules: { syntax: 'off' }, microsoft: { volumeTier: '100k-500k' } },
    problems: [],
  });
  assert.deepEqual(
    normalizeSettings({ 'pmta.rules': { syntax: 'warning' }, 'pmta.microsoft.volumeTier': 'auto' }).settings,
    {
      rules: { syntax: 'warning' },
      microsoft: { volumeTier: 'auto' },
    },
  );
  assert.deepEqual(normalizeSettings({ rules: { syntax: 'loud' }, microsoft: { volumeTier: 'huge' } }).problems, [
    'rules.syntax: expected one of error, warning, information, hint, off',
    'microsoft.volumeTier: expected one of auto, under-100k, 100k-500k, 500k-plus',
  ]);
  assert.deepEqual(normalizeSettings([1]).problems, ['settings must be a JSON object']);
});
