/** microsoft-mx-rollup-directive: the blog's "mx-rollup X", which PowerMTA refuses, turned into queue-to or removed. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lint } from '../../helpers/util';
import { applyFix, expectShown, good, GOOD_BODY, shown } from '../../helpers/microsoft';

test("microsoft-mx-rollup-directive: in the queue's own block the fix removes the line", () => {
  const text = good(GOOD_BODY + '    mx-rollup outlook.com\n');
  expectShown(text, 'microsoft-mx-rollup-directive', [
    '11:5-11:26 "mx-rollup outlook.com" | "mx-rollup outlook.com" is not a PowerMTA directive (it comes from blog posts); PowerMTA refuses to load a configuration that contains it. <domain outlook.com> is the outlook.com queue\'s own block, so the line has nothing to do here: remove it.',
  ]);
  const fixed = applyFix(text, 'microsoft-mx-rollup-directive', { safe: true, title: 'Remove the mx-rollup line' });
  assert.equal(fixed, good());
  assert.equal(shown(text, 'unknown-directive').length, 0);
});

test("microsoft-mx-rollup-directive: in a variant's block the fix writes queue-to the Microsoft queue", () => {
  const text = good().replace(
    '<domain live.de>\n    queue-to outlook.com\n',
    '<domain live.de>\n    mx-rollup outlook.com   # as the blog says\n',
  );
  expectShown(text, 'microsoft-mx-rollup-directive', [
    '38:5-38:26 "mx-rollup outlook.com" | "mx-rollup outlook.com" is not a PowerMTA directive (it comes from blog posts); PowerMTA refuses to load a configuration that contains it. To put the mail of <domain live.de> into the outlook.com queue, under its connection limits, write "queue-to outlook.com".',
  ]);
  // the rollup rule leaves this domain to the mx-rollup rule: one problem, one finding
  assert.deepEqual(shown(text, 'microsoft-missing-rollup'), []);
  const fixed = applyFix(text, 'microsoft-mx-rollup-directive', {
    safe: true,
    title: 'Change to "queue-to outlook.com"',
  });
  assert.equal(
    fixed,
    good().replace(
      '<domain live.de>\n    queue-to outlook.com\n',
      '<domain live.de>\n    queue-to outlook.com   # as the blog says\n',
    ),
  );
});

test('microsoft-mx-rollup-directive: the queue the file uses is kept; limits of the variant are dropped, after review', () => {
  const text = good().replace(
    '<domain msn.com>\n    queue-to outlook.com\n',
    '<domain msn.com>\n    max-smtp-out 2\n    mx-rollup outlook.com\n',
  );
  expectShown(text, 'microsoft-mx-rollup-directive', [
    '43:5-43:26 "mx-rollup outlook.com" | "mx-rollup outlook.com" is not a PowerMTA directive (it comes from blog posts); PowerMTA refuses to load a configuration that contains it. To put the mail of <domain msn.com> into the outlook.com queue, under its connection limits, write "queue-to outlook.com". Its own max-smtp-out would then no longer be used: the outlook.com block decides.',
  ]);
  const fixed = applyFix(text, 'microsoft-mx-rollup-directive', {
    safe: false,
    title: 'Change to "queue-to outlook.com" and remove the limits it overrides',
  });
  assert.equal(fixed, good());
  // the file's queue is ms.rollup: outlook.com's own mx-rollup line becomes queue-to ms.rollup
  const other =
    good()
      .replaceAll('queue-to outlook.com', 'queue-to ms.rollup')
      .replace('<domain outlook.com>', '<domain ms.rollup>') +
    '<domain outlook.com>\n    mx-rollup outlook.com\n</domain>\n';
  expectShown(other, 'microsoft-mx-rollup-directive', [
    '88:5-88:26 "mx-rollup outlook.com" | "mx-rollup outlook.com" is not a PowerMTA directive (it comes from blog posts); PowerMTA refuses to load a configuration that contains it. To put the mail of <domain outlook.com> into the ms.rollup queue, under its connection limits, write "queue-to ms.rollup".',
  ]);
  assert.equal(
    applyFix(other, 'microsoft-mx-rollup-directive', { safe: true }),
    other.replace('    mx-rollup outlook.com\n', '    queue-to ms.rollup\n'),
  );
});

test('microsoft-mx-rollup-directive: outside a domain block the fix removes it after review; in blog pseudo-syntax no fix', () => {
  const text = 'mx-rollup outlook.com\n' + good();
  expectShown(text, 'microsoft-mx-rollup-directive', [
    '1:1-1:22 "mx-rollup outlook.com" | "mx-rollup outlook.com" is not a PowerMTA directive (it comes from blog posts); PowerMTA refuses to load a configuration that contains it. Outside a <domain> block it has no meaning either: remove it (queues are shared with "queue-to" in a <domain> block, or by MX host in an <mx-rollup-list>).',
  ]);
  assert.equal(applyFix(text, 'microsoft-mx-rollup-directive', { safe: false }), good());
  const blog = 'domain hotmail.com {{ mx-rollup outlook.com }}\n';
  expectShown(blog, 'microsoft-mx-rollup-directive', [
    '1:23-1:44 "mx-rollup outlook.com" | "mx-rollup outlook.com" is not a PowerMTA directive (it comes from blog posts); PowerMTA refuses to load a configuration that contains it. To put the mail of <domain hotmail.com> into the outlook.com queue, under its connection limits, write "queue-to outlook.com".',
  ]);
  assert.deepEqual(lint(blog).filter((f) => f.rule === 'microsoft-mx-rollup-directive')[0].fixes, []);
  assert.deepEqual(shown(blog, 'unknown-directive'), []);
});
