/**
 * microsoft-backoff-limits: a Microsoft queue that backs off but, from what is set, keeps more pace while
 * throttled than common advice.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyFix,
  BACKOFF,
  DECLARED,
  expectShown,
  fixList,
  findings,
  good,
  LIMITS,
  poolOf,
  shown,
} from '../../helpers/microsoft';

const LISTED = LIMITS + '    smtp-pattern-list microsoft-errors\n';

test('microsoft-backoff-limits: a backing-off list without backoff directives; the fix adds them, without review once the tier is declared', () => {
  const text = good(LISTED + '    dkim-sign yes\n');
  expectShown(text, 'microsoft-backoff-limits', [
    '6:23-6:39 "microsoft-errors" | The pattern list puts the outlook.com queue in backoff mode, but these are not set: backoff-max-smtp-out (default 20, more than its max-smtp-out 4: more connections while Microsoft throttles than in normal mode; common advice: 2); backoff-retry-after (default 1h: a retry every 1h however long Microsoft throttles; common advice: 30m, then 2h, then 4h); backoff-max-msg-rate (not set, so the queue\'s max-msg-rate 150/h applies while Microsoft throttles; common advice: 60/h).',
  ]);
  assert.equal(findings(text, 'microsoft-backoff-limits')[0].severity, 'information');
  assert.deepEqual(fixList(findings(text, 'microsoft-backoff-limits')[0]), [
    'Add backoff-max-smtp-out, backoff-retry-after, backoff-max-msg-rate [preferred]',
  ]);
  const fixed = applyFix(text, 'microsoft-backoff-limits', { safe: false });
  assert.equal(fixed, good(LISTED + '    dkim-sign yes\n' + BACKOFF + '\n'));
  assert.equal(applyFix(DECLARED + text, 'microsoft-backoff-limits', { safe: true }), DECLARED + fixed);
  // only the missing ones are added
  const partial = good(LISTED + '    backoff-max-smtp-out 1\n    dkim-sign yes\n');
  assert.equal(
    applyFix(partial, 'microsoft-backoff-limits'),
    good(LISTED + '    backoff-max-smtp-out 1\n    dkim-sign yes\n' + BACKOFF.split('\n').slice(1).join('\n') + '\n'),
  );
});

test('microsoft-backoff-limits: the fix never allows more connections while throttled than max-smtp-out', () => {
  const one = good(
    LISTED.replace('max-smtp-out 4', 'max-smtp-out 1') +
      '    backoff-retry-after 30m,2h,4h\n    backoff-max-msg-rate 10/m\n    dkim-sign yes\n',
  );
  expectShown(one, 'microsoft-backoff-limits', [
    '6:23-6:39 "microsoft-errors" | The pattern list puts the outlook.com queue in backoff mode, but this is not set: backoff-max-smtp-out (default 20, more than its max-smtp-out 1: more connections while Microsoft throttles than in normal mode; common advice: 2).',
  ]);
  assert.equal(
    applyFix(one, 'microsoft-backoff-limits', { title: 'Add backoff-max-smtp-out' }),
    one.replace(
      '    dkim-sign yes\n',
      '    dkim-sign yes\n    backoff-max-smtp-out 1   # no more connections while throttled than max-smtp-out 1\n',
    ),
  );
});

test('microsoft-backoff-limits: judged from what is set: a slow backoff rate makes the connections count no more', () => {
  // backoff-max-msg-rate 1/m: one message a minute while throttled keeps no more than a connection or two busy
  const slow = good(LISTED + '    backoff-max-msg-rate 1/m\n    dkim-sign yes\n');
  expectShown(slow, 'microsoft-backoff-limits', [
    '6:23-6:39 "microsoft-errors" | The pattern list puts the outlook.com queue in backoff mode, but this is not set: backoff-retry-after (default 1h: a retry every 1h however long Microsoft throttles; common advice: 30m, then 2h, then 4h).',
  ]);
  assert.equal(
    applyFix(slow, 'microsoft-backoff-limits', { title: 'Add backoff-retry-after' }),
    good(
      LISTED +
        '    backoff-max-msg-rate 1/m\n    dkim-sign yes\n    backoff-retry-after 30m,2h,4h   # common advice: 30m, then 2h (RP-002), then 4h (RP-001) while throttled\n',
    ),
  );
  // no backoff-max-msg-rate, but max-msg-rate is already that slow: it applies while backed off too
  const slowNormal = good(
    LISTED.replace('max-msg-rate 150/h', 'max-msg-rate 60/h') +
      '    backoff-retry-after 30m,2h,4h\n    dkim-sign yes\n',
  );
  assert.deepEqual(shown(slowNormal, 'microsoft-backoff-limits'), []);
  // no max-msg-rate either: no limit at all while Microsoft throttles
  const unlimited = good(
    LISTED.replace('    max-msg-rate 150/h\n', '') +
      '    backoff-max-smtp-out 2\n    backoff-retry-after 30m,2h,4h\n    dkim-sign yes\n',
  );
  expectShown(unlimited, 'microsoft-backoff-limits', [
    '5:23-5:39 "microsoft-errors" | The pattern list puts the outlook.com queue in backoff mode, but this is not set: backoff-max-msg-rate (not set, and max-msg-rate neither: no message limit while Microsoft throttles; common advice: 60/h).',
  ]);
  // a backoff-retry-after that is set is the user's choice, however short
  assert.deepEqual(
    shown(
      good(LISTED + '    backoff-max-msg-rate 1/m\n    backoff-retry-after 5m\n    dkim-sign yes\n'),
      'microsoft-backoff-limits',
    ),
    [],
  );
});

test('microsoft-backoff-limits: judged per virtual MTA: the one whose own block sets less is named', () => {
  const vmtas = poolOf(2).replace(
    '<virtual-mta v2>\n    smtp-source-host 192.0.2.2 v2.example.com\n',
    '<virtual-mta v2>\n    smtp-source-host 192.0.2.2 v2.example.com\n    <domain outlook.com>\n        max-msg-rate 600/h\n    </domain>\n',
  );
  const text = good(
    LISTED + '    backoff-max-smtp-out 2\n    backoff-retry-after 30m,2h,4h\n    dkim-sign yes\n',
    vmtas,
  );
  // v1 backs off at its max-msg-rate 150/h, v2 at its own 600/h: v2 is the worse
  expectShown(text, 'microsoft-backoff-limits', [
    '6:23-6:39 "microsoft-errors" | The pattern list puts the outlook.com queue of virtual MTA v2 in backoff mode, but this is not set: backoff-max-msg-rate (not set, so the queue\'s max-msg-rate 600/h applies while Microsoft throttles; common advice: 60/h).',
  ]);
});
