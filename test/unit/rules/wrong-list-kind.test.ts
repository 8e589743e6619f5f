import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyChanges } from '../../../server/src/features/codeActions';
import { PmtaLanguageService } from '../../../server/src/service';
import { doc, lint, memoryHost, show } from '../../helpers/util';

const REPLIES =
  '<pattern-list backoff>\n    reply /421/ mode=backoff,backoff-to-normal-after=1h\n    reply /452/ bounce-rcpt\n</pattern-list>\n<domain a.com>\n    smtp-pattern-list backoff\n</domain>\n';

test('wrong-list-kind: reply rules in a <pattern-list>; the list and its use are reported once each, undefined-reference stays quiet', () => {
  const f = lint(REPLIES);
  assert.deepEqual(show(REPLIES, f), [
    '2:5-2:10 "reply" | A reply rule does nothing in a <pattern-list>, which matches incoming messages: SMTP replies are matched only by an <smtp-pattern-list> that a <domain> names with smtp-pattern-list, so this backoff never happens',
    '3:5-3:10 "reply" | A reply rule does nothing in a <pattern-list>, which matches incoming messages: SMTP replies are matched only by an <smtp-pattern-list> that a <domain> names with smtp-pattern-list',
    '6:23-6:30 "backoff" | "backoff" names a <pattern-list> (rules for incoming messages); smtp-pattern-list takes an <smtp-pattern-list> (rules for SMTP replies)',
  ]);
  assert.deepEqual(
    f.map((x) => `${x.rule} ${x.severity}`),
    ['wrong-list-kind error', 'wrong-list-kind error', 'wrong-list-kind error'],
  );
  // every rule is a reply rule: the fix changes the tag, and everything is right then
  const fix = f[0].fixes[0];
  assert.equal(fix.title, 'Change <pattern-list backoff> to <smtp-pattern-list backoff>');
  assert.equal(fix.safe, undefined);
  const fixed = applyChanges(REPLIES, fix.changes);
  assert.equal(
    fixed,
    REPLIES.replace('<pattern-list backoff>', '<smtp-pattern-list backoff>').replace(
      '</pattern-list>',
      '</smtp-pattern-list>',
    ),
  );
  assert.deepEqual(lint(fixed), []);
});

test('wrong-list-kind: mail-from, rcpt-to and header rules in an <smtp-pattern-list>; no invalid-value on them', () => {
  const text = [
    '<virtual-mta v>',
    '</virtual-mta>',
    '<smtp-pattern-list sel>',
    '    mail-from /@news\\.example\\.com$/ virtual-mta=v',
    '    rcpt-to /@example\\.net$/ virtual-mta=v',
    '</smtp-pattern-list>',
    '<smtp-pattern-list mixed>',
    '    reply /421/ mode=backoff',
    '    header Subject /x/ virtual-mta=v',
    '</smtp-pattern-list>',
    '<source 0/0>',
    '    pattern-list sel',
    '</source>',
    '',
  ].join('\n');
  const f = lint(text);
  assert.deepEqual(show(text, f), [
    '4:5-4:14 "mail-from" | A mail-from rule does nothing in an <smtp-pattern-list>, which matches SMTP replies only: mail-from rules belong in a <pattern-list> that a <source> names with pattern-list',
    '5:5-5:12 "rcpt-to" | A rcpt-to rule does nothing in an <smtp-pattern-list>, which matches SMTP replies only: rcpt-to rules belong in a <pattern-list> that a <source> names with pattern-list',
    '9:5-9:11 "header" | A header rule does nothing in an <smtp-pattern-list>, which matches SMTP replies only: header rules belong in a <pattern-list> that a <source> names with pattern-list',
    '12:18-12:21 "sel" | "sel" names an <smtp-pattern-list> (rules for SMTP replies); pattern-list takes a <pattern-list> (rules for incoming messages)',
  ]);
  assert.deepEqual(
    f[0].fixes.map((x) => x.title),
    ['Change <smtp-pattern-list sel> to <pattern-list sel>'],
  );
  // a list with rules of both kinds gets no tag change
  assert.deepEqual(f[2].fixes, []);
});

test('wrong-list-kind: the right kinds are quiet, and a name the other kind has in an included file counts', () => {
  const good =
    '<virtual-mta v>\n</virtual-mta>\n<pattern-list sel>\n    mail-from /@x/ virtual-mta=v\n</pattern-list>\n<smtp-pattern-list errs>\n    reply /421/ mode=backoff\n</smtp-pattern-list>\n<source 0/0>\n    pattern-list sel\n</source>\n<domain a.com>\n    smtp-pattern-list errs\n</domain>\n';
  assert.deepEqual(lint(good), []);
  const files = {
    'file:///etc/pmta/config': 'include /etc/pmta/lists.conf\n<domain a.com>\n    smtp-pattern-list sel\n</domain>\n',
    'file:///etc/pmta/lists.conf':
      '<virtual-mta v>\n</virtual-mta>\n<pattern-list sel>\n    mail-from /@x/ virtual-mta=v\n</pattern-list>\n',
  };
  const svc = new PmtaLanguageService({ host: memoryHost(files) });
  const text = files['file:///etc/pmta/config'];
  const f = svc.lint(doc(text, 'file:///etc/pmta/config'));
  assert.deepEqual(show(text, f), [
    '3:23-3:26 "sel" | "sel" names a <pattern-list> (rules for incoming messages); smtp-pattern-list takes an <smtp-pattern-list> (rules for SMTP replies)',
  ]);
});
