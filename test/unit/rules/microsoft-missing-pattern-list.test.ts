/** microsoft-missing-pattern-list: a Microsoft queue without a pattern list for Microsoft's replies. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lint } from '../../helpers/util';
import {
  applyFix,
  BACKOFF,
  DECLARED,
  expectShown,
  good,
  LIMITS,
  LIST,
  poolOf,
  rollups,
  shown,
} from '../../helpers/microsoft';

const NO_LIST = LIMITS + '    dkim-sign yes\n';

test('microsoft-missing-pattern-list: the fix adds the list before the block, attaches it and adds the backoff directives', () => {
  const text = `# Microsoft\n<domain outlook.com>\n${NO_LIST}</domain>\n\n${rollups()}`;
  expectShown(text, 'microsoft-missing-pattern-list', [
    '2:9-2:20 "outlook.com" | The outlook.com queue has no smtp-pattern-list (none in its block or in <domain *>), so Microsoft\'s throttling and blocking replies (RP-001, RP-002, 4.7.650, 5.7.606 ...) are treated as ordinary failures and the queue keeps sending at full speed. Common advice is to back off instead: 4h after RP-001, 2h with fewer connections after RP-002.',
  ]);
  // the list slows the queue down when Microsoft throttles it: --fix applies it once the tier is declared
  const fixed = applyFix(text, 'microsoft-missing-pattern-list', {
    safe: false,
    title:
      'Add the microsoft-errors pattern list (18 rules), attach it to <domain outlook.com> and add backoff-max-smtp-out, backoff-retry-after, backoff-max-msg-rate',
  });
  assert.equal(
    fixed,
    `# Microsoft\n${LIST}\n\n<domain outlook.com>\n${NO_LIST}    smtp-pattern-list microsoft-errors\n${BACKOFF}\n</domain>\n\n${rollups()}`,
  );
  assert.deepEqual(lint(fixed), []);
  assert.equal(applyFix(DECLARED + text, 'microsoft-missing-pattern-list', { safe: true }), DECLARED + fixed);
});

test('microsoft-missing-pattern-list: the backoff directives added never let the queue do more while throttled than in normal mode', () => {
  // max-smtp-out 1: the advised backoff-max-smtp-out 2 would double it (PowerMTA's default while backed off
  // is 20); max-msg-rate 30/h is already below the advised 60/h, and PowerMTA keeps it while backed off
  const slow =
    '    max-smtp-out 1\n    max-connect-rate 30/m\n    max-msg-rate 30/h\n    retry-after 20m\n    dkim-sign yes\n';
  const text = `<domain outlook.com>\n${slow}</domain>\n\n${rollups()}`;
  const fixed = applyFix(text, 'microsoft-missing-pattern-list', {
    safe: false,
    title:
      'Add the microsoft-errors pattern list (18 rules), attach it to <domain outlook.com> and add backoff-max-smtp-out, backoff-retry-after',
  });
  assert.equal(
    fixed,
    `${LIST}\n\n<domain outlook.com>\n${slow}    smtp-pattern-list microsoft-errors\n` +
      '    backoff-max-smtp-out 1   # no more connections while throttled than max-smtp-out 1\n' +
      '    backoff-retry-after 30m,2h,4h   # common advice: 30m, then 2h (RP-002), then 4h (RP-001) while throttled\n' +
      `</domain>\n\n${rollups()}`,
  );
  assert.deepEqual(lint(fixed), []);
});

test('microsoft-missing-pattern-list: a list attached in <domain *> counts; a list named microsoft-errors is reused', () => {
  const star = `<domain outlook.com>\n${NO_LIST}${BACKOFF}\n</domain>\n\n${rollups()}\n<domain *>\n    smtp-pattern-list microsoft-errors\n</domain>\n\n${LIST}\n`;
  assert.deepEqual(lint(star), []);
  const unattached = `<domain outlook.com>\n${NO_LIST}</domain>\n\n${rollups()}\n${LIST}\n`;
  const fixed = applyFix(unattached, 'microsoft-missing-pattern-list', { safe: false });
  assert.equal(fixed, good(NO_LIST + '    smtp-pattern-list microsoft-errors\n' + BACKOFF + '\n'));
});

test("microsoft-missing-pattern-list: judged per virtual MTA: a list attached in the pool's <domain outlook.com> counts for every member", () => {
  const pooled = poolOf(2).replace(
    '</virtual-mta-pool>',
    '    <domain outlook.com>\n        smtp-pattern-list microsoft-errors\n    </domain>\n</virtual-mta-pool>',
  );
  const text = `<domain outlook.com>\n${NO_LIST}${BACKOFF}\n</domain>\n\n${rollups()}\n${LIST}\n${pooled}`;
  assert.deepEqual(shown(text, 'microsoft-missing-pattern-list'), []);
  // one member's own <domain outlook.com> attaches nothing: it inherits the pool's list all the same
  const own = text.replace(
    '<virtual-mta v1>\n    smtp-source-host 192.0.2.1 v1.example.com\n',
    '<virtual-mta v1>\n    smtp-source-host 192.0.2.1 v1.example.com\n    <domain outlook.com>\n        max-smtp-out 2\n    </domain>\n',
  );
  assert.deepEqual(shown(own, 'microsoft-missing-pattern-list'), []);
});

test('microsoft-missing-pattern-list: a queue sent to a relay gets no Microsoft replies: no finding', () => {
  const text = `<domain outlook.com>\n${NO_LIST}    smtp-hosts [10.0.0.5]:2525\n</domain>\n\n${rollups()}`;
  assert.deepEqual(shown(text, 'microsoft-missing-pattern-list'), []);
  // an MX lookup of a Microsoft domain still reaches Microsoft
  assert.equal(
    shown(text.replace('[10.0.0.5]:2525', 'lookup-mx:outlook.com'), 'microsoft-missing-pattern-list').length,
    1,
  );
});
