/**
 * The grammar test files in test/grammar/ (`# SYNTAX TEST "source.powermta"`, one `^` line per scope
 * assertion), run with vscode-tmgrammar-test: `npm run test:grammar` runs the same thing directly.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ROOT } from '../helpers/util';

const CLI = path.join(path.dirname(require.resolve('vscode-tmgrammar-test/package.json')), 'dist', 'unit.js');
const GRAMMAR = path.join(ROOT, 'syntaxes', 'powermta.tmLanguage.json');

function run(pattern: string): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [CLI, '-g', GRAMMAR, pattern], { cwd: ROOT, encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

test('grammar test files pass (vscode-tmgrammar-test)', () => {
  const files = fs.readdirSync(path.join(ROOT, 'test', 'grammar')).filter((f) => f.endsWith('.test.pmta'));
  assert.ok(files.length >= 4, files.join(', '));
  const r = run('test/grammar/*.test.pmta');
  assert.equal(r.status, 0, r.out);
  for (const f of files)
    assert.match(r.out, new RegExp(`✓ test/grammar/${f.replace(/\./g, '\\.')} run successfuly`), r.out);
});

test('a wrong scope assertion fails the run', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pmta-grammar-'));
  try {
    const file = path.join(dir, 'wrong.test.pmta');
    fs.writeFileSync(
      file,
      '# SYNTAX TEST "source.powermta" "wrong on purpose"\nmax-msg-rate 200/h\n#            ^^^^^ constant.numeric.duration.powermta\n',
    );
    const r = run(file);
    assert.notEqual(r.status, 0, r.out);
    assert.match(r.out, /missing required scopes: constant\.numeric\.duration\.powermta/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
