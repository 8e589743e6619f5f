/** The `invalid-value` rule: values that do not fit their directive, malformed pattern rules and block arguments (its big expected texts are in test/fixtures/rules/invalid-value/). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lint, show } from '../../helpers/util';
import { applyFix, fixture, only } from '../../helpers/ruleTests';

test('invalid-value: rates, durations, booleans, integers', () => {
  const text = [
    '<domain a.com>',
    '    max-msg-rate 200/hour',
    '    retry-after 20min',
    '    use-starttls maybe',
    '    max-smtp-out five',
    '    max-msg-rate 0.5/s',
    '</domain>',
    '',
  ].join('\n');
  const f = only(text, 'invalid-value');
  assert.deepEqual(
    f.map((x) => text.slice(x.span.start, x.span.end)),
    ['200/hour', '20min', 'maybe', 'five', '0.5/s'],
  );
  assert.match(f[4].message, /whole number: write 30\/m instead of 0\.5\/s/);
  assert.equal(applyFix(text, f[4]).includes('max-msg-rate 30/m'), true);
});

test('invalid-value: the guide\'s "max-smtp-out tuning 5" keeps the number', () => {
  const text = '<domain a.com>\nmax-smtp-out tuning 5\n</domain>\n';
  const f = only(text, 'invalid-value');
  assert.equal(f.length, 1);
  assert.equal(applyFix(text, f[0]), '<domain a.com>\nmax-smtp-out 5\n</domain>\n');
});

test('invalid-value: valid values are accepted', () => {
  const text = [
    'smtp-listener 0/0:25',
    'http-access 10.1.0/24 admin',
    '<domain [*.]example.com>',
    '    max-msg-rate 1/2s',
    '    max-connect-rate 30/m',
    '    retry-after 10m,1h,4h',
    '    bounce-after 4d12h',
    '    backoff-notify ""',
    '    use-starttls yes',
    '</domain>',
    '<virtual-mta v>',
    '    smtp-source-host 2001:db8::1 v6.example.com',
    '</virtual-mta>',
    '',
  ].join('\n');
  assert.deepEqual(show(text, only(text, 'invalid-value')), []);
});

test('invalid-value: pattern rules and block arguments', () => {
  const text = [
    '<smtp-pattern-list p>',
    '    reply /RP-001/ retry-after=4h',
    '    reply /x/ backoff-to-normal-after=1h',
    '    reply /unclosed mode=backoff',
    '    bounce /x/ mode=backoff',
    '</smtp-pattern-list>',
    '<domain not a domain>',
    '</domain>',
    '',
  ].join('\n');
  const msgs = show(text, only(text, 'invalid-value'));
  assert.deepEqual(msgs, [
    '2:20-2:34 "retry-after=4h" | Unknown pattern action "retry-after" (there is no per-pattern retry-after: use mode=backoff and backoff-retry-after in the domain); actions are mode, backoff-to-normal-after, skip-mx, bounce-queue, bounce-rcpt, defer-queue, disable-source-ip, reenable-after',
    '3:15-3:41 "backoff-to-normal-after=1h" | backoff-to-normal-after needs mode=backoff before it',
    '4:11-4:33 "/unclosed mode=backoff" | The regular expression is not closed with "/" (a pattern must fit on one line)',
    '5:5-5:11 "bounce" | Expected "reply /regex/ actions" in <smtp-pattern-list>',
    '7:9-7:21 "not a domain" | "not a domain" is not a domain pattern (use *, example.com, *.example.com, [*.]example.com, [ip/mask] or $macro)',
  ]);
});

test('invalid-value: template placeholders are not checked', () => {
  const text = '<virtual-mta v>\nsmtp-source-host {{ip}} {{domain}}\n</virtual-mta>\nsmtp-listener IP1_ADDRESS:25\n';
  assert.deepEqual(only(text, 'invalid-value'), []);
});

test('invalid-value: a pattern wrapped over several lines is one finding, with a fix that joins it', () => {
  const text = fixture('invalid-value/wrapped-pattern.pmta');
  const found = only(text, 'invalid-value');
  assert.deepEqual(show(text, found), [
    '2:5-5:29 "/(user|mailbox) (has|is)? *(currently|temporarily \\n+)?(disabled|not\\n\\nactivated)/ inactive-mailbox" | This pattern is wrapped over 4 lines (its closing "/" is on line 5); PowerMTA reads one pattern per line, so none of these lines works. Join them into one line.',
    '6:5-9:21 "/does not \\nexist|bad|\\n\\ninvalid/ bad-mailbox" | This pattern is wrapped over 4 lines (its closing "/" is on line 9); PowerMTA reads one pattern per line, so none of these lines works. Join them into one line.',
  ]);
  assert.equal(found[0].fixes[0].title, 'Join the 4 lines of this pattern into one');
  assert.equal(found[0].fixes[0].safe, false);
  // a space comes back between two words a blank line separated, not after a "|"
  let fixed = applyFix(text, found[0]);
  fixed = applyFix(fixed, only(fixed, 'invalid-value')[0]);
  assert.equal(fixed, fixture('invalid-value/wrapped-pattern.fixed.pmta'));
  assert.deepEqual(lint(fixed), []);
});
