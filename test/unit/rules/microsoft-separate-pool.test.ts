/** microsoft-separate-pool: rolled-up variants with limits or routes of their own, and variants nested apart. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, expectShown, good, shown } from '../../helpers/microsoft';

test('microsoft-separate-pool: a rolled-up variant with limits or a route of its own', () => {
  const text = good().replace(
    '<domain live.de>\n    queue-to outlook.com\n',
    '<domain live.de>\n    queue-to outlook.com\n    max-smtp-out 2\n    reroute-to-virtual-mta other\n',
  );
  expectShown(text, 'microsoft-separate-pool', [
    '39:5-39:19 "max-smtp-out 2" | "max-smtp-out 2" does not limit live.de: its mail is rolled into the outlook.com queue (by queue-to) and delivered with that queue\'s settings. Set limits in the outlook.com block.',
    '40:5-40:33 "reroute-to-virtual-mta other" | "reroute-to-virtual-mta other" routes live.de apart from the outlook.com queue it is rolled into (by queue-to): its connections would not count against the shared limits. Route the outlook.com queue as a whole instead.',
  ]);
  const fixed = applyFix(text, 'microsoft-separate-pool', { safe: false, title: 'Remove "max-smtp-out 2"' });
  assert.equal(fixed, text.replace('    max-smtp-out 2\n', ''));
});

test('microsoft-separate-pool: a variant nested in another pool than the Microsoft queue', () => {
  const text =
    good() +
    '<virtual-mta-pool other>\n    virtual-mta x\n    <domain hotmail.com>\n        queue-to outlook.com\n    </domain>\n</virtual-mta-pool>\n';
  expectShown(text, 'microsoft-separate-pool', [
    '89:13-89:24 "hotmail.com" | <domain hotmail.com> is inside <virtual-mta-pool other>, but the outlook.com queue it is rolled into is configured at the top level: mail sent through other reaches Microsoft from other IPs than the ones its limits and connection budget were planned for. Configure the variants where the outlook.com queue is.',
  ]);
  // nested where the Microsoft queue is: fine
  const same = good()
    .replace('<domain outlook.com>', '<virtual-mta-pool ms>\n    virtual-mta x\n    <domain outlook.com>')
    .replace(
      '    dkim-sign yes\n</domain>\n',
      '    dkim-sign yes\n    </domain>\n    <domain hotmail.com>\n        queue-to outlook.com\n    </domain>\n</virtual-mta-pool>\n',
    );
  assert.deepEqual(shown(same, 'microsoft-separate-pool'), []);
});
