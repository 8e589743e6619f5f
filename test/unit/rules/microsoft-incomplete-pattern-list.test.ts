/** microsoft-incomplete-pattern-list: attached lists that miss Microsoft replies the recommended list handles. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PmtaLanguageService } from '../../../server/src/service';
import type { IncludeHost } from '../../../server/src/hosts/includeHost';
import { MICROSOFT_PATTERN_ENTRIES, renderPatternEntry } from '../../../server/src/knowledge/microsoft';
import { doc, lint } from '../../helpers/util';
import { applyFix, DECLARED, expectShown, good, GOOD_BODY, isMs, LIST } from '../../helpers/microsoft';

test("microsoft-incomplete-pattern-list: codes the attached list misses, and rules that cannot match Microsoft's reply", () => {
  const guideList =
    '<smtp-pattern-list microsoft-patterns>\n    reply /421 4\\.7\\.0 RP-001/ mode=backoff\n    reply /RP-002/ mode=backoff\n    reply /550 5\\.7\\.606/ mode=backoff\n</smtp-pattern-list>\n';
  const text = good(
    GOOD_BODY.replace('smtp-pattern-list microsoft-errors', 'smtp-pattern-list microsoft-patterns'),
    guideList,
  ).replace(LIST + '\n', '');
  expectShown(text, 'microsoft-incomplete-pattern-list', [
    '6:23-6:41 "microsoft-patterns" | The pattern list microsoft-patterns used by the outlook.com queue misses 16 of the 18 Microsoft replies the recommended list handles: RP-001, RP-003, 4.7.650, 4.7.651, 4.7.652, too many messages per connection, 4.7.500, 4.7.500-699/4.7.850-899, S3150, SC-001/SC-002/SC-003/SC-004, OU-001/OU-002, DY-001/DY-002, 5.7.511, 5.7.515, 5.7.509, 5.7.510. Note: /421 4\\.7\\.0 RP-001/ names RP-001 but does not match Microsoft\'s reply ("421 RP-001 The mail server IP connecting to Outlook.com s...").',
  ]);
  assert.equal(lint(text).find((f) => f.rule === 'microsoft-incomplete-pattern-list')!.severity, 'information');
  // the rules back off when Microsoft throttles: --fix adds them once the tier is declared
  const fixed = applyFix(text, 'microsoft-incomplete-pattern-list', { safe: false });
  assert.equal(applyFix(DECLARED + text, 'microsoft-incomplete-pattern-list', { safe: true }), DECLARED + fixed);
  const added = MICROSOFT_PATTERN_ENTRIES.filter((e) => e.codeId !== 'RP-002' && e.codeId !== '5.7.606-649')
    .map((e) => renderPatternEntry(e, '    ', '\n') + '\n')
    .join('');
  assert.equal(fixed, text.replace('</smtp-pattern-list>', added + '</smtp-pattern-list>'));
  assert.deepEqual(lint(fixed), []);
});

test('microsoft-incomplete-pattern-list: a list other queues use too is completed only after review', () => {
  const shared = '<smtp-pattern-list blocking-errors>\n    reply /RP-00[123]/ mode=backoff\n</smtp-pattern-list>\n';
  const body = GOOD_BODY.replace('    smtp-pattern-list microsoft-errors\n', '');
  // attached in <domain *>: gmail.com's mail would back off on the rules added as well
  const star = good(body, shared + '\n<domain *>\n    smtp-pattern-list blocking-errors\n</domain>\n').replace(
    LIST + '\n',
    '',
  );
  // attached in the Microsoft queue and in another domain's block
  const other = good(
    body + '    smtp-pattern-list blocking-errors\n',
    shared + '\n<domain gmail.com>\n    smtp-pattern-list blocking-errors\n</domain>\n',
  ).replace(LIST + '\n', '');
  // attached in the Microsoft queue's blocks only: completing it changes Microsoft mail only
  const own = good(body + '    smtp-pattern-list blocking-errors\n', shared).replace(LIST + '\n', '');
  const fixesOf = (text: string) =>
    lint(text)
      .filter((f) => f.rule === 'microsoft-incomplete-pattern-list')
      .flatMap((f) => f.fixes.map((x) => `${x.title} | safe ${!!x.safe} | preferred ${!!x.isPreferred}`));
  const review =
    'Add 15 Microsoft rules to blocking-errors (the list is used by other queues too) | safe false | preferred false';
  assert.deepEqual(fixesOf(DECLARED + star), [review]);
  assert.deepEqual(fixesOf(DECLARED + other), [review]);
  assert.deepEqual(fixesOf(DECLARED + own), ['Add 15 Microsoft rules to blocking-errors | safe true | preferred true']);
  // --fix leaves a shared list alone
  assert.equal(new PmtaLanguageService().fixAll(doc(DECLARED + star)).text, DECLARED + star);
});

test('microsoft-incomplete-pattern-list: a list in an included file is followed; no fix edits another file', () => {
  const files: Record<string, string> = {
    'file:///etc/pmta/ms-list.conf': '<smtp-pattern-list ms>\n    reply /RP-001/ mode=backoff\n</smtp-pattern-list>\n',
  };
  const host: IncludeHost = {
    resolveInclude: (_f, p) => (files['file://' + p] !== undefined ? ['file://' + p] : []),
    readFile: (u) => files[u],
  };
  const text =
    'include /etc/pmta/ms-list.conf\n' + good(GOOD_BODY.replace('microsoft-errors', 'ms')).replace(LIST + '\n', '');
  const f = new PmtaLanguageService({ host }).lint(doc(text)).filter(isMs);
  assert.deepEqual(
    f.map((x) => `${x.rule}: ${x.message.slice(0, 79)} / fixes ${x.fixes.length}`),
    [
      'microsoft-incomplete-pattern-list: The pattern list ms used by the outlook.com queue misses 17 of the 18 Microsoft / fixes 0',
    ],
  );
});
