/** microsoft-missing-dkim: a Microsoft queue that does not DKIM-sign, judged per virtual MTA. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, expectShown, good, GOOD_BODY, ms, poolOf } from '../../helpers/microsoft';

test('microsoft-missing-dkim: unset, "no" in the block, or inherited "no"; dkim-sign yes from <domain *> counts', () => {
  const noDkim = GOOD_BODY.replace('    dkim-sign yes\n', '');
  const text = good(noDkim);
  expectShown(text, 'microsoft-missing-dkim', [
    '1:9-1:20 "outlook.com" | The outlook.com queue is not DKIM-signed: no "dkim-sign yes" in its block or in <domain *>, and PowerMTA does not sign by default. Outlook.com rejects mail without passing DKIM, SPF and DMARC from senders of more than 5,000 messages a day (550 5.7.515). Signing also needs a domain-key line (selector, domain, key file); this configuration has none yet.',
  ]);
  assert.equal(
    applyFix(text, 'microsoft-missing-dkim', { safe: true, title: 'Sign with DKIM: dkim-sign yes' }),
    good(noDkim + '    dkim-sign yes\n'),
  );
  const no = good(GOOD_BODY.replace('dkim-sign yes', 'dkim-sign no'), 'domain-key s1, example.com, /etc/pmta/s1.pem\n');
  expectShown(no, 'microsoft-missing-dkim', [
    '10:15-10:17 "no" | The outlook.com queue is not DKIM-signed: "dkim-sign no". Outlook.com rejects mail without passing DKIM, SPF and DMARC from senders of more than 5,000 messages a day (550 5.7.515).',
  ]);
  assert.equal(
    applyFix(no, 'microsoft-missing-dkim'),
    good(GOOD_BODY, 'domain-key s1, example.com, /etc/pmta/s1.pem\n'),
  );
  assert.deepEqual(ms(good(noDkim, '<domain *>\n    dkim-sign yes\n</domain>\n')), []);
  const inherited = good(noDkim, '<domain *>\n    dkim-sign no\n</domain>\n');
  expectShown(inherited, 'microsoft-missing-dkim', [
    '1:9-1:20 "outlook.com" | The outlook.com queue is not DKIM-signed: it inherits "dkim-sign no" from <domain *> (line 87). Outlook.com rejects mail without passing DKIM, SPF and DMARC from senders of more than 5,000 messages a day (550 5.7.515). Signing also needs a domain-key line (selector, domain, key file); this configuration has none yet.',
  ]);
  assert.equal(
    applyFix(inherited, 'microsoft-missing-dkim'),
    good(noDkim + '    dkim-sign yes\n', '<domain *>\n    dkim-sign no\n</domain>\n'),
  );
});

test('microsoft-missing-dkim: judged per virtual MTA: one whose own <domain *> does not sign is named, and gets a block of the queue that signs', () => {
  const vmtas = poolOf(2).replace(
    '<virtual-mta v2>\n    smtp-source-host 192.0.2.2 v2.example.com\n',
    '<virtual-mta v2>\n    smtp-source-host 192.0.2.2 v2.example.com\n    <domain *>\n        dkim-sign no\n    </domain>\n',
  );
  const text = good(GOOD_BODY, vmtas);
  expectShown(text, 'microsoft-missing-dkim', [
    '1:9-1:20 "outlook.com" | The outlook.com queue is not DKIM-signed for virtual MTA v2: it inherits "dkim-sign no" from <domain *> inside <virtual-mta v2> (line 93). Outlook.com rejects mail without passing DKIM, SPF and DMARC from senders of more than 5,000 messages a day (550 5.7.515). Signing also needs a domain-key line (selector, domain, key file); this configuration has none yet.',
  ]);
  // signing does not change throughput: safe although the volume tier is not declared
  const fixed = applyFix(text, 'microsoft-missing-dkim', { safe: true, title: 'Sign with DKIM: dkim-sign yes' });
  assert.equal(
    fixed,
    text.replace(
      '        dkim-sign no\n    </domain>\n',
      '        dkim-sign no\n    </domain>\n    <domain outlook.com>\n        dkim-sign yes\n    </domain>\n',
    ),
  );
  assert.deepEqual(ms(fixed), []);
});
