/** The built CLI (dist/cli.js), as CI runs it. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ROOT } from '../helpers/util';

const CLI = path.join(ROOT, 'dist', 'cli.js');

function run(args: string[], cwd = ROOT) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Temporary folders made by the tests, removed at the end. */
const made: string[] = [];
after(() => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});

function tmpDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

function tmp(name: string, text: string): string {
  const dir = tmpDir('pmta-lint-');
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
}

test('text format: file:line:col: severity code message, and a summary line', () => {
  const f = tmp('a.pmta', '<domain a.com>\n    max-smtp-outt 5\n    retry-after soon\n</domain>\n');
  const r = run([f]);
  assert.equal(r.code, 1);
  const lines = r.out.trimEnd().split('\n');
  assert.deepEqual(lines, [
    `${f}:2:5: warning unknown-directive Unknown directive "max-smtp-outt"; did you mean "max-smtp-out"?`,
    `${f}:3:17: error invalid-value retry-after: "soon": expected a time interval such as 30s, 20m, 4h, 1d or 4d12h`,
    '2 problems (1 error, 1 warning, 0 info, 0 hints) in 1 file',
  ]);
});

test('exit 0 without errors; warnings do not fail', () => {
  const f = tmp('b.pmta', '<domain a.com>\n    max-smtp-outt 5\n</domain>\n');
  assert.equal(run([f]).code, 0);
  assert.equal(run([path.join(ROOT, 'examples', 'clean.pmta')]).code, 0);
});

test('json format', () => {
  const f = tmp('c.pmta', '<domain a.com>\nretry-after soon\n</domain>\n');
  const r = run(['--format', 'json', f]);
  assert.equal(r.code, 1);
  assert.deepEqual(JSON.parse(r.out), [
    {
      file: f,
      diagnostics: [
        {
          range: { start: { line: 1, character: 12 }, end: { line: 1, character: 16 } },
          severity: 'error',
          code: 'invalid-value',
          message: 'retry-after: "soon": expected a time interval such as 30s, 20m, 4h, 1d or 4d12h',
        },
      ],
    },
  ]);
});

test('sarif format is SARIF 2.1.0 with rules and 1-based regions', () => {
  const f = tmp('d.pmta', '<domain a.com>\nretry-after soon\n</domain>\n');
  const r = run(['--format=sarif', f]);
  const sarif = JSON.parse(r.out);
  assert.equal(sarif.version, '2.1.0');
  const run0 = sarif.runs[0];
  assert.equal(run0.tool.driver.name, 'pmta-lint');
  assert.ok(run0.tool.driver.rules.some((x: { id: string }) => x.id === 'invalid-value'));
  assert.equal(run0.results.length, 1);
  const res = run0.results[0];
  assert.equal(res.ruleId, 'invalid-value');
  assert.equal(res.level, 'error');
  assert.equal(run0.tool.driver.rules[res.ruleIndex].id, 'invalid-value');
  assert.deepEqual(res.locations[0].physicalLocation.region, { startLine: 2, startColumn: 13, endLine: 2, endColumn: 17 });
});

test('settings file turns rules off; bad settings and missing files exit 2', () => {
  const f = tmp('e.pmta', '<domain a.com>\nretry-after soon\n</domain>\n');
  const s = tmp('settings.json', JSON.stringify({ rules: { 'invalid-value': 'off' } }));
  const ok = run(['--settings', s, f]);
  assert.equal(ok.code, 0);
  assert.match(ok.out, /^0 problems/m);
  const bad = tmp('bad.json', '{"rules": {"invalid-value": "loud"}}');
  const rb = run(['--settings', bad, f]);
  assert.equal(rb.code, 2);
  assert.match(rb.err, /rules\.invalid-value: expected one of/);
  const missing = run([path.join(os.tmpdir(), 'no-such-pmta-file.pmta')]);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /no-such-pmta-file\.pmta: no such file or directory/);
  assert.equal(run([]).code, 2);
  assert.equal(run(['--format', 'xml', f]).code, 2);
  assert.equal(run(['--bogus', f]).code, 2);
});

test('--fix rewrites the file with the safe fixes; without it nothing is written', () => {
  const text = '<domain a.com>\nmax-conn-rate 0.5/s\n</domain>\n';
  const f = tmp('f.pmta', text);
  run([f]);
  assert.equal(fs.readFileSync(f, 'utf8'), text);
  const r = run(['--fix', f]);
  assert.equal(fs.readFileSync(f, 'utf8'), '<domain a.com>\nmax-connect-rate 30/m\n</domain>\n');
  assert.match(r.err, /applied 2 fixes/);
});

test('files linted together share definitions; includes are followed', () => {
  const dir = tmpDir('pmta-inc-');
  fs.mkdirSync(path.join(dir, 'conf.d'));
  fs.writeFileSync(path.join(dir, 'conf.d', 'pools.conf'), '<virtual-mta-pool p>\n</virtual-mta-pool>\n');
  fs.writeFileSync(path.join(dir, 'config'), 'include /etc/pmta/conf.d/*.conf\n<source 0/0>\ndefault-virtual-mta p\n</source>\n');
  const r = run([path.join(dir, 'config')]);
  assert.equal(r.code, 0, r.out);
  fs.writeFileSync(path.join(dir, 'other'), '<source 0/0>\ndefault-virtual-mta q\n</source>\n');
  assert.equal(run([path.join(dir, 'other')]).code, 1);
  fs.writeFileSync(path.join(dir, 'q.conf'), '<virtual-mta q>\n</virtual-mta>\n');
  assert.equal(run([path.join(dir, 'other'), path.join(dir, 'q.conf')]).code, 0);
});

test('--list-rules and --help', () => {
  const r = run(['--list-rules']);
  assert.equal(r.code, 0);
  assert.match(r.out, /^syntax\s+error\s+/m);
  assert.match(run(['--help']).out, /^Usage: pmta-lint/);
});
