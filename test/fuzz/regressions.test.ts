/**
 * Every crash, hang or broken property the fuzzer (or anyone) found, kept as a fixture in
 * test/fixtures/regressions/*.json ({"found", "problem", "input"}: JSON, so that any string,
 * lone surrogates and control characters included, is stored exactly) and replayed here
 * against all the properties of check.ts, at every offset of small inputs. A fixture with
 * "versions" (the texts the input was edited to, in order) also replays those edits as the server
 * sees them (checkVersions).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { checkAll, checkVersions, interestingOffsets } from './check';
import { ROOT } from '../helpers/util';

const DIR = path.join(ROOT, 'test', 'fixtures', 'regressions');
const files = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();

test('the regression corpus is not empty and every fixture is well formed', () => {
  assert.ok(files.length > 0);
  for (const f of files) {
    const fx = JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8'));
    assert.equal(typeof fx.input, 'string', `${f}: "input" is a string`);
    assert.equal(typeof fx.found, 'string', `${f}: "found" says how it was found`);
    assert.equal(typeof fx.problem, 'string', `${f}: "problem" says what went wrong`);
    if (fx.versions !== undefined)
      assert.ok(
        Array.isArray(fx.versions) && fx.versions.every((v: unknown) => typeof v === 'string'),
        `${f}: "versions" is a list of texts`,
      );
  }
});

for (const f of files) {
  test(`regression: ${f}`, () => {
    const { input, versions } = JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8')) as {
      input: string;
      versions?: string[];
    };
    const offsets =
      input.length <= 2000 ? Array.from({ length: input.length + 1 }, (_, i) => i) : interestingOffsets(input, 200);
    checkAll(input, offsets, f);
    if (versions) checkVersions(input, versions);
  });
}
