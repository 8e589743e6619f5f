/** The `deprecated` rule: directives the catalog marks deprecated, and the fix that writes their replacement. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lint, show } from '../../helpers/util';
import { applyFix, only } from '../../helpers/ruleTests';

test('deprecated: a hint on the name, tagged deprecated, that names the replacement', () => {
  const text = '<domain a.com>\n    Max-Msg-Per-Hour 100\n</domain>\n';
  const f = only(text, 'deprecated');
  assert.deepEqual(show(text, f), ['2:5-2:21 "Max-Msg-Per-Hour" | "Max-Msg-Per-Hour" is deprecated; use max-msg-rate']);
  assert.equal(f[0].severity, 'hint');
  assert.deepEqual(f[0].tags, [2]);
  // the only finding on the line
  assert.deepEqual(
    lint(text).map((x) => x.rule),
    ['deprecated'],
  );
});

test('deprecated: a count per hour becomes the rate N/h, which the replacement takes', () => {
  const text = '<domain a.com>\n    max-msg-per-hour 100\n    backoff-max-msg-per-hour 20\n</domain>\n';
  const f = only(text, 'deprecated');
  assert.deepEqual(
    f.map((x) => x.fixes.map((fix) => fix.title)),
    [['Change to "max-msg-rate 100/h"'], ['Change to "backoff-max-msg-rate 20/h"']],
  );
  assert.equal(f[0].fixes[0].isPreferred, true);
  assert.ok(!f[0].fixes[0].safe, 'offered as a quick fix, not applied by --fix');
  const first = applyFix(text, f[0]);
  assert.equal(first, '<domain a.com>\n    max-msg-rate 100/h\n    backoff-max-msg-per-hour 20\n</domain>\n');
  const both = applyFix(first, only(first, 'deprecated')[0]);
  assert.equal(both, '<domain a.com>\n    max-msg-rate 100/h\n    backoff-max-msg-rate 20/h\n</domain>\n');
  assert.deepEqual(lint(both), []);
});

test('deprecated: a replacement that takes the same kind of value is a rename', () => {
  const text = '<domain a.com>\n    route [192.0.2.25]:2525\n    delivery-priority 5\n</domain>\n';
  const f = only(text, 'deprecated');
  assert.deepEqual(show(text, f), [
    '2:5-2:10 "route" | "route" is deprecated; use smtp-hosts',
    '3:5-3:22 "delivery-priority" | "delivery-priority" is deprecated; use queue-priority',
  ]);
  assert.equal(f[0].fixes[0].title, 'Change to "smtp-hosts"');
  assert.equal(
    applyFix(text, f[0]),
    '<domain a.com>\n    smtp-hosts [192.0.2.25]:2525\n    delivery-priority 5\n</domain>\n',
  );
  assert.equal(applyFix(text, f[1]), '<domain a.com>\n    route [192.0.2.25]:2525\n    queue-priority 5\n</domain>\n');
  assert.deepEqual(lint(applyFix(applyFix(text, f[1]), f[0])), []);
});

test('deprecated: no fix where a rename would change the meaning or break the line', () => {
  const text = [
    'spool /var/spool/pmta', // the replacement is a block
    'smtp-port 25', // smtp-listener takes an address and a port
    'no-http-mgmt-source 10.0.0.1', // http-access would allow what this denies
    '<source 0/0>',
    '    broken-auth-clients yes', // nothing replaces it
    '</source>',
    '<domain a.com>',
    '    max-msg-per-hour 0', // no rate is made of 0 (0 is a value of its own for max-msg-rate)
    '</domain>',
    '',
  ].join('\n');
  const f = only(text, 'deprecated');
  assert.deepEqual(show(text, f), [
    '1:1-1:6 "spool" | "spool" is deprecated; use a <spool DIRECTORY> block',
    '2:1-2:10 "smtp-port" | "smtp-port" is deprecated; use smtp-listener',
    '3:1-3:20 "no-http-mgmt-source" | "no-http-mgmt-source" is deprecated; use http-access',
    '5:5-5:24 "broken-auth-clients" | "broken-auth-clients" is deprecated; use nothing (remove the line; it no longer has an effect)',
    '8:5-8:21 "max-msg-per-hour" | "max-msg-per-hour" is deprecated; use max-msg-rate',
  ]);
  assert.deepEqual(
    f.map((x) => x.fixes),
    [[], [], [], [], []],
  );
});

test('deprecated: turned off or raised in the settings, and silenced by an annotation', () => {
  const text =
    '<domain a.com>\n    max-msg-per-hour 100\n    # pmta-lint: disable-next-line deprecated\n    max-msg-per-hour 50\n</domain>\n';
  assert.deepEqual(
    only(text, 'deprecated').map((x) => x.span.start),
    [text.indexOf('max-msg-per-hour')],
  );
  assert.deepEqual(only(text, 'deprecated', { rules: { deprecated: 'off' } }), []);
  assert.equal(only(text, 'deprecated', { rules: { deprecated: 'warning' } })[0].severity, 'warning');
});
