/**
 * The `file-too-large` rule: a file over the size limit is not parsed, gets this one finding, and fails a
 * pmta-lint run (with the limit and the flag that raises it named).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PmtaLanguageService } from '../../../server/src/service';
import { RULES } from '../../../server/src/rules';
import { runRules, runToEnd } from '../../../server/src/rules/run';
import { doc, model, ROOT } from '../../helpers/util';

const CLI = path.join(ROOT, 'dist', 'cli.js');
const made: string[] = [];
after(() => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});

/** A folder holding these files. */
function layout(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pmta-large-'));
  made.push(dir);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

function run(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const message = (kb: number, limit: number) =>
  `This file (${kb} KB) is larger than the size limit of ${limit} KB, so it is not checked: no rule ran on it. ` +
  'Raise the limit to check it: --max-file-size with pmta-lint, the setting pmta.maxFileSizeKB in the editor.';

/** 3 KB with a mistake that an analysis would report. */
const LARGE = '<domain a.com>\n    retry-after soon\n</domain>\n' + '# filler\n'.repeat(330);

test('file-too-large: a text over the limit gets this warning at its start, and nothing else runs on it', () => {
  const s = new PmtaLanguageService();
  const f = s.lint(doc(LARGE), { settings: { maxFileSizeKB: 2 } });
  assert.deepEqual(
    f.map((x) => [x.rule, x.severity, x.span.start, x.span.end, x.message]),
    [['file-too-large', 'warning', 0, 0, message(Math.ceil(LARGE.length / 1024), 2)]],
  );
  // at the limit it is checked
  assert.deepEqual(
    s.lint(doc(LARGE), { settings: { maxFileSizeKB: LARGE.length / 1024 } }).map((x) => x.rule),
    ['invalid-value'],
  );
  // a rule like the others: listed, with a default severity and a description
  const rule = RULES.find((r) => r.id === 'file-too-large');
  assert.equal(rule?.defaultSeverity, 'warning');
  assert.match(rule?.description ?? '', /--max-file-size/);
});

test('file-too-large: the settings set its severity or turn it off (the file is still not analysed)', () => {
  const s = new PmtaLanguageService();
  assert.deepEqual(
    s
      .lint(doc(LARGE), { settings: { maxFileSizeKB: 2, rules: { 'file-too-large': 'error' } } })
      .map((x) => [x.rule, x.severity]),
    [['file-too-large', 'error']],
  );
  assert.deepEqual(s.lint(doc(LARGE), { settings: { maxFileSizeKB: 2, rules: { 'file-too-large': 'off' } } }), []);
});

test('file-too-large: a model built anyway over the limit gets it from the rule run too', () => {
  const findings = runToEnd(runRules(model(LARGE), { maxFileSizeKB: 2 }, [], undefined));
  assert.deepEqual(
    findings.filter((f) => f.rule === 'file-too-large').map((f) => f.message),
    [message(Math.ceil(LARGE.length / 1024), 2)],
  );
});

test('file-too-large: pmta-lint fails with status 2 and names the limit and --max-file-size; a larger limit checks the file', () => {
  const dir = layout({ 'large.pmta': LARGE, 'small.pmta': '<domain b.com>\n    max-smtp-out 2\n</domain>\n' });
  const r = run(['--max-file-size', '2', 'large.pmta', 'small.pmta'], dir);
  assert.equal(r.code, 2);
  assert.deepEqual(r.out.split('\n'), [
    `large.pmta:1:1: warning file-too-large ${message(Math.ceil(LARGE.length / 1024), 2)}`,
    '1 problem (0 errors, 1 warning, 0 info, 0 hints) in 2 files',
    '',
  ]);
  assert.equal(
    r.err,
    'pmta-lint: warning: large.pmta was not checked: it is larger than the limit of 2 KB (raise it with --max-file-size)\n',
  );
  // units, and the settings file's maxFileSizeKB
  assert.equal(run(['--max-file-size=4k', 'large.pmta'], dir).code, 1, 'checked: its retry-after is an error');
  assert.equal(run(['--max-file-size=1m', 'large.pmta'], dir).code, 1);
  fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ maxFileSizeKB: 2 }));
  assert.equal(run(['--settings', 'settings.json', 'large.pmta'], dir).code, 2);
  assert.equal(
    run(['--settings', 'settings.json', '--max-file-size', '8', 'large.pmta'], dir).code,
    1,
    'the flag wins',
  );
  // JSON and SARIF keep their output; the warning goes to standard error
  const json = run(['--format', 'json', '--max-file-size', '2', 'large.pmta'], dir);
  assert.equal(json.code, 2);
  assert.deepEqual(
    JSON.parse(json.out)[0].diagnostics.map((d: { code: string }) => d.code),
    ['file-too-large'],
  );
  assert.match(json.err, /^pmta-lint: warning: large\.pmta was not checked/);
  // standard input is read, then not checked either
  const stdin = spawnSync(process.execPath, [CLI, '--max-file-size', '2', '-'], {
    cwd: dir,
    input: LARGE,
    encoding: 'utf8',
  });
  assert.equal(stdin.status, 2);
  assert.equal(
    stdin.stdout.split('\n')[0],
    `<stdin>:1:1: warning file-too-large ${message(Math.ceil(LARGE.length / 1024), 2)}`,
  );
  assert.equal(
    stdin.stderr,
    'pmta-lint: warning: <stdin> was not checked: it is larger than the limit of 2 KB (raise it with --max-file-size)\n',
  );
  for (const bad of ['0', 'big', '-3', '2x']) {
    const u = run(['--max-file-size', bad, 'small.pmta'], dir);
    assert.equal(u.code, 2);
    assert.match(
      u.err,
      new RegExp(`^pmta-lint: --max-file-size: "${bad}" is not a size: give KB \\(20480\\) or a unit \\(20m, 512k\\)`),
    );
  }
});

test('file-too-large: an included file over the limit is not read, and fails the run too; turned off, it passes', () => {
  const dir = layout({
    config: 'include conf.d/*.conf\n<domain b.com>\n    max-smtp-out 2\n</domain>\n',
    'conf.d/large.conf': LARGE,
  });
  const r = run(['--max-file-size', '2', 'config'], dir);
  assert.equal(r.code, 2);
  const large = path.join('conf.d', 'large.conf');
  assert.deepEqual(r.out.trimEnd().split('\n').slice(-2), [
    `${large}:1:1: warning file-too-large ${message(Math.ceil(LARGE.length / 1024), 2)}`,
    '2 problems (0 errors, 1 warning, 1 info, 0 hints) in 2 files',
  ]);
  assert.equal(
    r.err,
    `pmta-lint: warning: ${large} was not checked: it is larger than the limit of 2 KB (raise it with --max-file-size)\n`,
  );
  fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ rules: { 'file-too-large': 'off' } }));
  const off = run(['--settings', 'settings.json', '--max-file-size', '2', 'config'], dir);
  assert.equal(off.code, 0, off.out);
  assert.equal(off.err, '');
});
