/** IP ranges as PowerMTA writes them (knowledge/network.ts), which the open-relay and open-http-access rules judge. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addressCount,
  contains,
  formatRange,
  isEverything,
  isLocalRange,
  isLoopback,
  isSingleHost,
  parseRange,
} from '../../server/src/knowledge/network';

const R = (s: string) => {
  const r = parseRange(s);
  assert.ok(r, s);
  return r!;
};

test('network: PowerMTA short forms, full forms and IPv6 parse to the same network; names do not parse', () => {
  assert.equal(formatRange(R('0/0')), '0.0.0.0/0');
  assert.equal(formatRange(R('10/8')), '10.0.0.0/8');
  assert.equal(formatRange(R('10.1.0/24')), '10.1.0.0/24');
  assert.equal(formatRange(R('192.0.2.77/24')), '192.0.2.0/24');
  assert.equal(formatRange(R('192.0.2.77')), '192.0.2.77');
  assert.equal(formatRange(R('2001:DB8:0:0:1::/64')), '2001:db8::/64');
  assert.equal(formatRange(R('::1')), '::1');
  assert.equal(formatRange(R('::ffff:192.0.2.1')), '::ffff:c000:201');
  for (const bad of [
    'mta1',
    '{auth}',
    '10.1.0',
    '1.2.3.4/33',
    '1.2.3.256',
    '::1/129',
    '1::2::3',
    'YOUR_IP',
    '1.2.3.4/x',
    '',
  ])
    assert.equal(parseRange(bad), undefined, bad);
});

test('network: everything, one host, containment, local ranges, address counts', () => {
  assert.ok(isEverything(R('0/0')) && isEverything(R('::/0')) && !isEverything(R('0.0.0.0')));
  assert.ok(isSingleHost(R('203.0.113.5')) && isSingleHost(R('2001:db8::5')) && !isSingleHost(R('203.0.113.4/31')));
  assert.ok(
    contains(R('0/0'), R('203.0.113.0/24')) &&
      contains(R('203.0.113.0/24'), R('203.0.113.9')) &&
      !contains(R('203.0.113.0/25'), R('203.0.113.0/24')),
  );
  assert.ok(!contains(R('0/0'), R('::1')), 'no version mixes');
  for (const local of [
    '127.0.0.1',
    '10/8',
    '172.20.0.0/16',
    '192.168.1.0/24',
    '169.254.0.0/16',
    '100.64.1.0/24',
    '::1',
    'fd00::/8',
    'fe80::1',
  ])
    assert.ok(isLocalRange(R(local)), local);
  for (const pub of ['0/0', '8.8.8.0/24', '172.32.0.0/16', '192.0.2.0/24', '2001:db8::/32', '10.0.0.0/7'])
    assert.ok(!isLocalRange(R(pub)), pub);
  assert.ok(isLoopback(R('127.0.0.1')) && isLoopback(R('::1')) && !isLoopback(R('10.0.0.1')));
  assert.deepEqual(
    ['203.0.113.0/24', '10/8', '0/0', '2001:db8::/64', '1.2.3.4'].map((s) => addressCount(R(s))),
    ['256', '16,777,216', '4,294,967,296', '2^64', '1'],
  );
});
