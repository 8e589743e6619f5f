#!/usr/bin/env node
/**
 * Runs the compiled tests (`npm test`, after `npm run compile-tests`): node's test runner on every
 * `*.test.js` file under out/test/, and on nothing else.
 *
 *   node scripts/test.mjs [node --test options…]   e.g. --test-name-pattern=sarif
 *
 * Given a folder, node's runner (Node 20) also runs every other module below a folder named `test` as a
 * test file: the shared modules (test/helpers/, test/fuzz/check.ts) were counted as passing tests. And
 * Node 20 takes no glob patterns. So the test files are listed here, by name, and handed over one by one.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TESTS = path.join(ROOT, 'out', 'test');

/** The `*.test.js` files below a folder, sorted, as paths relative to the project. */
function testFiles(dir) {
  const out = [];
  for (const e of fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...testFiles(p));
    else if (e.isFile() && e.name.endsWith('.test.js')) out.push(path.relative(ROOT, p));
  }
  return out;
}

if (!fs.existsSync(TESTS)) {
  console.error('test: out/test/ does not exist; run `npm run compile-tests` first');
  process.exit(2);
}
const files = testFiles(TESTS);
if (files.length === 0) {
  console.error('test: no *.test.js file in out/test/');
  process.exit(2);
}
// --test-force-exit: a test file whose tests have all ended exits, even when something it started (a
// server process's pipe, a timer) would keep it waiting: a test that leaves one behind must not hang CI
const r = spawnSync(
  process.execPath,
  ['--test', '--test-force-exit', '--test-reporter=spec', ...process.argv.slice(2), ...files],
  {
    cwd: ROOT,
    stdio: 'inherit',
  },
);
process.exit(r.status ?? 1);
