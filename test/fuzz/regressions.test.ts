/**
 * Every crash, hang or broken property the fuzzer (or anyone) found, kept as a fixture in
 * test/fixtures/regressions/*.json ({"found", "problem", "input"}: JSON, so that any string,
 * lone surrogates and control characters included, is stored exactly) and replayed here
 * against all the properties of check.ts, at every offset of small inputs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { checkAll, interestingOffsets } from './check';
import { ROOT } from '../helpers/util';

const DIR = path.join(ROOT, 'test', 'fixtures', 'regressions');
const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();

test('the regression corpus is not empty and every fixture is well formed', () => {
  assert.ok(files.length > 0);
  for (const f of files) {
    const fx = JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8'));
    assert.equal(typeof fx.input, 'string', `${f}: "input" is a string`);
    assert.equal(typeof fx.found, 'string', `${f}: "found" says how it was found`);
    assert.equal(typeof fx.problem, 'string', `${f}: "problem" says what went wrong`);
  }
});

for (const f of files) {
  test(`regression: ${f}`, () => {
    const { input } = JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8')) as { input: string };
    const offsets = input.length <= 2000 ? Array.from({ length: input.length + 1 }, (_, i) => i) : interestingOffsets(input, 200);
    checkAll(input, offsets, f);
  });
}
