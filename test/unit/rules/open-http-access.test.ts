/** The open-http-access rule: admin or operator rights to the web monitor for 0/0 or a public range. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyChanges } from '../../../server/src/features/codeActions';
import { lint, show } from '../../helpers/util';

const RULE = 'open-http-access';
const found = (text: string) => lint(text).filter((f) => f.rule === RULE);
const ADVICE =
  'Give admin and operator access only to the single addresses you manage from (such as 127.0.0.1), and at most monitor to wider ranges.';

test('open-http-access: admin for 0/0 is an error, with a fix that limits it to 127.0.0.1', () => {
  const text = 'http-mgmt-port 8888\nhttp-access 0/0 admin\n';
  const f = found(text);
  assert.deepEqual(show(text, f), [
    `2:1-2:22 "http-access 0/0 admin" | "http-access 0/0 admin" gives every host on the internet admin access to the web monitor (port 8888): whoever reaches it can run commands, edit the configuration and change PowerMTA's state (queues, license key). ${ADVICE}`,
  ]);
  assert.equal(f[0].severity, 'error');
  assert.deepEqual(
    f[0].fixes.map((x) => [x.title, x.isPreferred, x.safe]),
    [['Give admin access to 127.0.0.1 only', true, undefined]],
  );
  assert.equal(applyChanges(text, f[0].fixes[0].changes), 'http-mgmt-port 8888\nhttp-access 127.0.0.1 admin\n');
});

test('open-http-access: operator for a public range is a warning, on the default port', () => {
  const text = 'http-access 183.89.34.0/24 operator\n';
  const f = found(text);
  assert.deepEqual(show(text, f), [
    `1:1-1:36 "http-access 183.89.34.0/24 operator" | "http-access 183.89.34.0/24 operator" gives all 256 public addresses of 183.89.34.0/24 operator access to the web monitor (port 8080): whoever reaches it can read the configuration and run commands. Unless every one of them is yours, anyone there can do the same. ${ADVICE}`,
  ]);
  assert.equal(f[0].severity, 'warning');
});

test('open-http-access: single hosts, private ranges and monitor access are not reported', () => {
  const text =
    'http-access 127.0.0.1 admin\nhttp-access 178.157.56.204 admin\nhttp-access 10.0.0.0/8 admin\nhttp-access ::1 operator\nhttp-access 0/0 monitor\nhttp-access 0/0 monitor,deny-logs\n';
  assert.deepEqual(found(text), []);
});

test('open-http-access: a line whose whole range an earlier line already matches is never used; nothing when the web monitor is off', () => {
  const shadowed = 'http-access 0/0 none\nhttp-access 0/0 admin\nhttp-access 203.0.113.0/24 admin\n';
  assert.deepEqual(found(shadowed), []);
  // an earlier narrower line does not cover the wide one
  const partly = 'http-access 203.0.113.0/24 none\nhttp-access 0/0 admin\n';
  assert.deepEqual(
    show(partly, found(partly)).map((s) => s.slice(0, s.indexOf(' |'))),
    ['2:1-2:22 "http-access 0/0 admin"'],
  );
  assert.deepEqual(found('http-mgmt-port 0\nhttp-access 0/0 admin\n'), []);
});
