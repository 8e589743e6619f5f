import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatRate, isCidr, isDomainPattern, isHostName, isIP, isPlaceholder, parseDuration, parseRate, parseSize } from '../../server/src/values';
import { normalizeSettings } from '../../server/src/settings';

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
  for (const p of ['*', 'example.com', '*.example.com', '[*.]example.com', '[192.0.2.0/24]', '$hotmail', 'yahoo.$tld', '{gmImprinter}', 'google.rollup']) assert.ok(isDomainPattern(p), p);
  assert.ok(!isDomainPattern('not a domain'));
});

test('template placeholders', () => {
  for (const p of ['{{ip}}', 'mailer-{{sub}}', '{% x %}', '__BLOCKS__', 'IP1_ADDRESS:25', 'VPS_MAILWIZZ_IP', 'QQQhostnameQQQ', 'YOUR_DOMAIN.com']) assert.ok(isPlaceholder(p), p);
  for (const p of ['mail.example.com', '10m', 'X-Mailer-RecptId', 'pool-cold']) assert.ok(!isPlaceholder(p), p);
});

test('settings are validated, both spellings accepted', () => {
  assert.deepEqual(normalizeSettings({ rules: { syntax: 'off' }, microsoft: { volumeTier: '100k-500k' } }), {
    settings: { rules: { syntax: 'off' }, microsoft: { volumeTier: '100k-500k' } },
    problems: [],
  });
  assert.deepEqual(normalizeSettings({ 'pmta.rules': { syntax: 'warning' }, 'pmta.microsoft.volumeTier': 'auto' }).settings, {
    rules: { syntax: 'warning' },
    microsoft: { volumeTier: 'auto' },
  });
  assert.deepEqual(normalizeSettings({ rules: { syntax: 'loud' }, microsoft: { volumeTier: 'huge' } }).problems, [
    'rules.syntax: expected one of error, warning, information, hint, off',
    'microsoft.volumeTier: expected one of auto, under-100k, 100k-500k, 500k-plus',
  ]);
  assert.deepEqual(normalizeSettings([1]).problems, ['settings must be a JSON object']);
});
