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

/** A temporary folder holding these files (names may have folders: `conf.d/a.conf`). */
function layout(prefix: string, files: Record<string, string>): string {
  const dir = tmpDir(prefix);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
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

test('--fix on a configuration fixes the files it includes too, each as part of it', () => {
  const dir = layout('pmta-fix-', {
    config: 'include conf.d/*.conf\n<domain b.com>\nmax-conn-rate 1/s\n</domain>\n',
    'conf.d/a.conf': '<domain a.com>\nmax-conn-rate 0.5/s\n</domain>\n',
    'conf.d/clean.conf': '<domain c.com>\n    max-smtp-out 2\n</domain>\n',
  });
  const before = fs.statSync(path.join(dir, 'conf.d', 'clean.conf')).mtimeMs;
  const r = run(['--fix', 'config'], dir);
  assert.equal(fs.readFileSync(path.join(dir, 'config'), 'utf8'), 'include conf.d/*.conf\n<domain b.com>\nmax-connect-rate 1/s\n</domain>\n');
  assert.equal(fs.readFileSync(path.join(dir, 'conf.d', 'a.conf'), 'utf8'), '<domain a.com>\nmax-connect-rate 30/m\n</domain>\n');
  assert.equal(fs.statSync(path.join(dir, 'conf.d', 'clean.conf')).mtimeMs, before, 'a file without fixes is not written');
  assert.deepEqual(r.err.trimEnd().split('\n'), ['config: applied 1 fix', `${path.join('conf.d', 'a.conf')}: applied 2 fixes`]);
  // the report is made on the fixed files
  assert.equal(r.out.trimEnd(), '0 problems (0 errors, 0 warnings, 0 info, 0 hints) in 3 files');
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

test('the problems of included files are reported under their names; a given fragment is checked as part of its configuration', () => {
  const dir = layout('pmta-confd-', {
    config: 'include /etc/pmta/conf.d/*.conf\n<virtual-mta m1>\n</virtual-mta>\n<domain *>\n    dkim-sign yes\n</domain>\n',
    'conf.d/a.conf': '<source 0/0>\n    default-virtual-mta m1\n</source>\n',
    'conf.d/b.conf': '<source 10.0.0.0/8>\n    default-virtual-mta m2\n    retry-after soon\n</source>\n',
  });
  const expected = [
    `conf.d${path.sep}b.conf:2:25: error undefined-reference The virtual MTA or pool "m2" is not defined; did you mean "m1"?`,
    `conf.d${path.sep}b.conf:3:5: warning wrong-context "retry-after" is not allowed in <source>; it belongs in <domain>`,
    `conf.d${path.sep}b.conf:3:17: error invalid-value retry-after: "soon": expected a time interval such as 30s, 20m, 4h, 1d or 4d12h`,
  ];
  // the configuration: its own lines are fine, the included b.conf is not
  const r = run(['config'], dir);
  assert.equal(r.code, 1, r.out);
  assert.deepEqual(r.out.trimEnd().split('\n'), [...expected, '3 problems (2 errors, 1 warning, 0 info, 0 hints) in 3 files']);
  // given with the configuration, a fragment is reported once, as part of it
  assert.deepEqual(run(['config', path.join('conf.d', 'b.conf'), path.join('conf.d', 'a.conf')], dir).out.trimEnd().split('\n'), [
    ...expected,
    '3 problems (2 errors, 1 warning, 0 info, 0 hints) in 3 files',
  ]);
  // given alone, a fragment does not know m1 (nothing says which configuration it belongs to)
  assert.match(run([path.join('conf.d', 'a.conf')], dir).out, /The virtual MTA or pool "m1" is not defined/);
  // JSON names the included files too
  const json = JSON.parse(run(['--format', 'json', 'config'], dir).out) as Array<{ file: string; diagnostics: unknown[] }>;
  assert.deepEqual(json.map((x) => [x.file, x.diagnostics.length]), [['config', 0], [path.join('conf.d', 'a.conf'), 0], [path.join('conf.d', 'b.conf'), 3]]);
  // not followed with --no-includes
  assert.equal(run(['--no-includes', 'config'], dir).out.trimEnd(), '0 problems (0 errors, 0 warnings, 0 info, 0 hints) in 1 file');
});

test('--list-rules and --help', () => {
  const r = run(['--list-rules']);
  assert.equal(r.code, 0);
  assert.match(r.out, /^syntax\s+error\s+/m);
  assert.match(run(['--help']).out, /^Usage: pmta-lint/);
});

test('the bundled split configuration: checked whole, the fragment has no false error; alone it has', () => {
  const split = path.join('examples', 'split', 'pmta');
  const whole = run([path.join(split, 'config')]);
  assert.equal(whole.code, 0, whole.out);
  const lines = whole.out.trimEnd().split('\n');
  assert.deepEqual(lines.map((l) => l.split(' ').slice(0, 3).join(' ')), [
    `${path.join(split, 'conf.d', 'microsoft.conf')}:12:9: warning microsoft-missing-rollup`,
    `${path.join(split, 'conf.d', 'microsoft.conf')}:12:9: warning microsoft-missing-pattern-list`,
    `${path.join(split, 'conf.d', 'microsoft.conf')}:13:18: information microsoft-unsafe-limit`,
    `${path.join(split, 'conf.d', 'microsoft.conf')}:13:18: information microsoft-connection-budget`,
    '4 problems (0',
  ]);
  assert.match(lines[3], /pool microsoft-pool \(4 virtual MTAs\) × max-smtp-out 20 .* = 80 simultaneous connections/);
  const alone = run([path.join(split, 'conf.d', 'microsoft.conf')]);
  assert.equal(alone.code, 1);
  assert.match(alone.out, /microsoft\.conf:9:25: error undefined-reference The virtual MTA or pool "microsoft-pool" is not defined/);
  assert.match(alone.out, /warning microsoft-missing-dkim/);
});

test('github format: one workflow command per finding, its properties and message escaped, then the summary', () => {
  const dir = tmpDir('pmta-lint-gh-');
  const f = path.join(dir, 'a,b.pmta');
  fs.writeFileSync(f, '<domain a.com>\nretry-after soon\n</domain>\n# pmta-lint: nonsense\n');
  const r = run(['--format', 'github', 'a,b.pmta'], dir);
  assert.equal(r.code, 1);
  assert.deepEqual(r.out.split('\n'), [
    '::error file=a%2Cb.pmta,line=2,col=13,endLine=2,endColumn=17,title=pmta-lint invalid-value::retry-after: "soon": expected a time interval such as 30s, 20m, 4h, 1d or 4d12h',
    '::warning file=a%2Cb.pmta,line=4,col=14,endLine=4,endColumn=22,title=pmta-lint annotation::Unknown pmta-lint annotation "nonsense": use disable-next-line RULE, disable RULE, enable RULE or KEY=VALUE',
    '2 problems (1 error, 1 warning, 0 info, 0 hints) in 1 file',
    '',
  ]);
});

test('output into a pipe closed early (pmta-lint … | head): no stack trace, the status of the findings', () => {
  // a reader that is gone before the CLI writes (more than a pipe holds: 5,000 findings)
  const f = tmp('many.pmta', '<domain a.com>\n' + 'retry-after soon\n'.repeat(5000) + '</domain>\n');
  const r = spawnSync('sh', ['-c', `"${process.execPath}" "${CLI}" --format json "${f}" | true`], { encoding: 'utf8' });
  assert.equal(r.stderr, '');
});
