/** The dkim-rsa-sha1 rule: RFC 8301 forbids rsa-sha1 for signing. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PmtaLanguageService } from '../../../server/src/service';
import { applyChanges } from '../../../server/src/features/codeActions';
import { doc, lint, show } from '../../helpers/util';

const RULE = 'dkim-rsa-sha1';
const found = (text: string) => lint(text).filter((f) => f.rule === RULE);

test('dkim-rsa-sha1: dkim-algorithm and second-dkim-algorithm rsa-sha1, with a safe fix to rsa-sha256', () => {
  const text =
    '<domain *>\n    dkim-algorithm RSA-SHA1\n    second-dkim-algorithm rsa-sha1\n</domain>\n<domain gmail.com>\n    dkim-algorithm rsa-sha256\n</domain>\n';
  const f = found(text);
  const why =
    "must not be used for signing (RFC 8301): receivers that follow it treat rsa-sha1 signatures as invalid, so this mail counts as unsigned. Use rsa-sha256, PowerMTA's default.";
  assert.deepEqual(show(text, f), [
    `2:20-2:28 "RSA-SHA1" | "dkim-algorithm rsa-sha1" ${why}`,
    `3:27-3:35 "rsa-sha1" | "second-dkim-algorithm rsa-sha1" ${why}`,
  ]);
  assert.equal(f[0].severity, 'warning');
  assert.deepEqual(
    f[0].fixes.map((x) => [x.title, x.isPreferred, x.safe]),
    [['Sign with rsa-sha256', true, true]],
  );
  assert.equal(applyChanges(text, f[1].fixes[0].changes).split('\n')[2], '    second-dkim-algorithm rsa-sha256');
  // --fix applies it
  const { text: fixed } = new PmtaLanguageService().fixAll(doc(text));
  assert.equal(
    fixed,
    '<domain *>\n    dkim-algorithm rsa-sha256\n    second-dkim-algorithm rsa-sha256\n</domain>\n<domain gmail.com>\n    dkim-algorithm rsa-sha256\n</domain>\n',
  );
  assert.deepEqual(found(fixed), []);
});
