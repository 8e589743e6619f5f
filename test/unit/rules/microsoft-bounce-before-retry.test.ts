/** microsoft-bounce-before-retry: a bounce-after no longer than the Microsoft queue's wait before a retry. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PmtaLanguageService } from '../../../server/src/service';
import { doc } from '../../helpers/util';
import { applyFix, DECLARED, expectShown, findings, fixList, good, GOOD_BODY, shown } from '../../helpers/microsoft';

const RULE = 'microsoft-bounce-before-retry';
/** The Microsoft block without its backoff directives and pattern list: retry-after 20m applies after a deferral. */
const PLAIN = GOOD_BODY.split('\n')
  .filter((l) => !/smtp-pattern-list|backoff-/.test(l))
  .join('\n');

test('microsoft-bounce-before-retry: bounce-after inherited from <domain *>, not longer than retry-after; the fix, for review only, gives the queue the default back', () => {
  const text = good(PLAIN, '<domain *>\n    bounce-after 1m\n</domain>\n');
  const line = text.split('\n').indexOf('    bounce-after 1m') + 1;
  expectShown(text, RULE, [
    `1:9-1:20 "outlook.com" | bounce-after 1m of the outlook.com queue (from <domain *>, line ${line}) is not longer than its retry-after 20m: a message Microsoft defers is bounced before it is tried again. Microsoft's throttling replies (RP-001, RP-002, 4.7.650 ...) are temporary failures: the mail they hold back would go out later; with this setting it bounces.`,
  ]);
  const [f] = findings(text, RULE);
  assert.equal(f.severity, 'warning');
  assert.deepEqual(
    f.related?.map((r) => [text.slice(r.span.start, r.span.end), r.message]),
    [['1m', 'the bounce-after the queue inherits']],
  );
  assert.deepEqual(fixList(f), ["Keep the outlook.com queue's mail until PowerMTA's default: bounce-after 4d12h"]);
  assert.equal(
    applyFix(text, RULE, { safe: false }),
    text.replace('    dkim-sign yes\n</domain>', '    dkim-sign yes\n    bounce-after 4d12h\n</domain>'),
  );
  // mail kept longer than the user chose: --fix leaves it, tier declared or not
  const declared = DECLARED + text;
  assert.equal(new PmtaLanguageService().fixAll(doc(declared)).text.includes('bounce-after 4d12h'), false);
});

test("microsoft-bounce-before-retry: the queue's own bounce-after is reported on its value; a longer one is fine", () => {
  const own = good(PLAIN.replace('    retry-after 20m\n', '    retry-after 20m\n    bounce-after 20m\n'));
  expectShown(own, RULE, [
    '6:18-6:21 "20m" | bounce-after 20m of the outlook.com queue is not longer than its retry-after 20m: a message Microsoft defers is bounced before it is tried again. Microsoft\'s throttling replies (RP-001, RP-002, 4.7.650 ...) are temporary failures: the mail they hold back would go out later; with this setting it bounces.',
  ]);
  assert.deepEqual(
    shown(good(PLAIN.replace('    retry-after 20m\n', '    retry-after 20m\n    bounce-after 21m\n')), RULE),
    [],
  );
  // no bounce-after: PowerMTA's 4d12h
  assert.deepEqual(shown(good(PLAIN), RULE), []);
  // a value that cannot be read is invalid-value's to report
  assert.deepEqual(
    shown(good(PLAIN.replace('    retry-after 20m\n', '    retry-after 20m\n    bounce-after 10\n')), RULE),
    [],
  );
});

test('microsoft-bounce-before-retry: a queue that backs off waits backoff-retry-after (its first value) after a throttle', () => {
  // the recommended list backs off; backoff-retry-after 30m,2h,4h: 30m before the first retry
  const hour = good(GOOD_BODY.replace('    dkim-sign yes\n', '    dkim-sign yes\n    bounce-after 1h\n'));
  assert.deepEqual(shown(hour, RULE), []);
  const half = good(GOOD_BODY.replace('    dkim-sign yes\n', '    dkim-sign yes\n    bounce-after 30m\n'));
  const at = half.split('\n').indexOf('    bounce-after 30m') + 1;
  expectShown(half, RULE, [
    `${at}:18-${at}:21 "30m" | bounce-after 30m of the outlook.com queue is not longer than its backoff-retry-after 30m,2h,4h (the wait before a retry while its pattern list has it backed off): a message Microsoft defers is bounced before it is tried again. Microsoft's throttling replies (RP-001, RP-002, 4.7.650 ...) are temporary failures: the mail they hold back would go out later; with this setting it bounces.`,
  ]);
  // without backoff-retry-after, PowerMTA's 1h applies while backed off
  const dflt = good(
    GOOD_BODY.split('\n')
      .filter((l) => !l.includes('backoff-retry-after'))
      .join('\n')
      .replace('    dkim-sign yes\n', '    dkim-sign yes\n    bounce-after 1h\n'),
  );
  assert.match(shown(dflt, RULE)[0], /not longer than its backoff-retry-after 1h \(/);
});
