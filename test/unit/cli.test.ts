/** The built CLI (dist/cli.js), as CI runs it. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fileURLToPath } from 'url';
import { ROOT } from '../helpers/util';
import { DECLARED, GOOD_BODY, LIST, rollups } from '../helpers/microsoft';

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
  assert.deepEqual(res.locations[0].physicalLocation.region, {
    startLine: 2,
    startColumn: 13,
    endLine: 2,
    endColumn: 17,
  });
});

test('sarif artifact URIs follow RFC 3986: relative names percent-encoded segment by segment, absolute paths as file: URIs', () => {
  const dir = layout('pmta-sarif-', {
    'sub dir/a b#%ü[1].pmta': '<domain a.com>\nretry-after soon\n</domain>\n',
    'x:y.pmta': 'retry-after soon\n',
  });
  const uris = (args: string[]) =>
    (
      JSON.parse(run(['--format', 'sarif', ...args], dir).out).runs[0].results as Array<{
        locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }>;
      }>
    ).map((x) => x.locations[0].physicalLocation.artifactLocation.uri);
  assert.deepEqual(
    [...new Set(uris([path.join('sub dir', 'a b#%ü[1].pmta'), 'x:y.pmta']))],
    ['sub%20dir/a%20b%23%25%C3%BC%5B1%5D.pmta', 'x%3Ay.pmta'],
  );
  const abs = path.join(dir, 'sub dir', 'a b#%ü[1].pmta');
  const [uri] = uris([abs]);
  assert.equal(
    uri,
    'file://' +
      abs
        .split(path.sep)
        .map((s) => encodeURIComponent(s))
        .join('/'),
  );
  assert.match(uri, /^file:\/\/\/.*\/sub%20dir\/a%20b%23%25%C3%BC%5B1%5D\.pmta$/);
  assert.equal(fileURLToPath(uri), abs);
});

test('settings file turns rules off; bad settings, misspelled rule ids and missing files exit 2', () => {
  const f = tmp('e.pmta', '<domain a.com>\nretry-after soon\n</domain>\n');
  const s = tmp('settings.json', JSON.stringify({ rules: { 'invalid-value': 'off' } }));
  const ok = run(['--settings', s, f]);
  assert.equal(ok.code, 0);
  assert.match(ok.out, /^0 problems/m);
  const bad = tmp('bad.json', '{"rules": {"invalid-value": "loud"}}');
  const rb = run(['--settings', bad, f]);
  assert.equal(rb.code, 2);
  assert.match(rb.err, /rules\.invalid-value: expected one of/);
  // a misspelled rule id is not ignored: the run stops with a did-you-mean
  const typo = tmp('typo.json', '{"rules": {"invalid-values": "off", "duplicate-blocks": "off"}}');
  const rt = run(['--settings', typo, f]);
  assert.equal(rt.code, 2);
  assert.equal(rt.out, '');
  assert.deepEqual(rt.err.trimEnd().split('\n'), [
    `pmta-lint: ${typo}: rules.invalid-values: there is no rule "invalid-values"; did you mean "invalid-value"?`,
    `pmta-lint: ${typo}: rules.duplicate-blocks: there is no rule "duplicate-blocks"; did you mean "duplicate-block"?`,
  ]);
  const missing = run([path.join(os.tmpdir(), 'no-such-pmta-file.pmta')]);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /no-such-pmta-file\.pmta: no such file or directory/);
  assert.equal(run([]).code, 2);
  assert.equal(run(['--format', 'xml', f]).code, 2);
  assert.equal(run(['--bogus', f]).code, 2);
});

test('a folder without configuration files is an error (status 2), alone or among other arguments, as a missing file is', () => {
  const dir = layout('pmta-empty-', {
    'empty/notes.txt': 'not a configuration\n',
    'empty/.git/config': '[core]\n',
    'empty/node_modules/x/y.conf': '',
    'good/a.pmta': '<domain a.com>\nmax-conn-rate 0.5/s\n</domain>\n',
  });
  const said = `pmta-lint: empty: no *.pmta, *.conf or config file in this folder or its subfolders (hidden ones and node_modules are not looked in)\n`;
  for (const format of ['text', 'json', 'sarif', 'github'])
    assert.deepEqual(run(['--format', format, 'empty'], dir), { code: 2, out: '', err: said }, format);
  // among several: nothing is checked, nothing fixed, as for a file that does not exist
  const a = path.join(dir, 'good', 'a.pmta');
  assert.deepEqual(run(['--fix', 'good', 'empty'], dir), { code: 2, out: '', err: said });
  assert.equal(fs.readFileSync(a, 'utf8'), '<domain a.com>\nmax-conn-rate 0.5/s\n</domain>\n');
  assert.deepEqual(run(['good', 'missing.pmta'], dir), {
    code: 2,
    out: '',
    err: 'pmta-lint: missing.pmta: no such file or directory\n',
  });
  // a folder whose files were already given is not empty
  assert.equal(run([path.join('good', 'a.pmta'), 'good'], dir).code, 0);
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

/** `bytes` with each `from` (as UTF-8) replaced by `to`. */
function replaceBytes(bytes: Buffer, from: string, to: string): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (let i = bytes.indexOf(from); i >= 0; i = bytes.indexOf(from, at)) {
    parts.push(bytes.subarray(at, i), Buffer.from(to));
    at = i + Buffer.byteLength(from);
  }
  parts.push(bytes.subarray(at));
  return Buffer.concat(parts);
}

test('--fix writes back exactly the bytes it read outside what it fixed: ISO-8859-1 comments and paths, CRLF, a byte order mark, UTF-8 mixed with ISO-8859-1', () => {
  const latin1 = Buffer.from(
    '# Konfiguration f\xfcr M\xfcller\r\n<acct-file /var/log/pmta/m\xfcller.csv>\r\n    move-interval 5m\r\n</acct-file>\r\n<domain a.com>\r\n    max-conn-rate 0.5/s # \xe0 revoir\r\n</domain>\r\n',
    'latin1',
  );
  const bom = Buffer.concat([
    Buffer.from([0xef, 0xbb, 0xbf]),
    Buffer.from('<domain b.com>\n    max-conn-rate 0.5/s\n</domain>\n'),
  ]);
  const mixed = Buffer.concat([
    Buffer.from('# für Müller (UTF-8)\r\n', 'utf8'),
    Buffer.from(
      '<acct-file /var/log/pmta/m\xfcller.csv>\n</acct-file>\r\n<domain c.com>\n    max-conn-rate 0.5/s\r\n</domain>',
      'latin1',
    ),
  ]);
  const included = Buffer.from(
    '<domain d.com>\r\n    max-conn-rate 0.5/s\r\n</domain>\r\n# \xa9 M\xfcller\r\n',
    'latin1',
  );
  const dir = layout('pmta-bytes-', { config: 'include conf.d/*.conf\n' });
  const files: Record<string, Buffer> = {
    'latin1.pmta': latin1,
    'bom.pmta': bom,
    'mixed.pmta': mixed,
    [path.join('conf.d', 'l.conf')]: included,
  };
  fs.mkdirSync(path.join(dir, 'conf.d'));
  for (const [name, b] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), b);

  // reported: one encoding finding per file that is not UTF-8, no syntax error; the byte order mark shifts no column
  const before = run(['latin1.pmta', 'bom.pmta', 'mixed.pmta', 'config'], dir);
  assert.deepEqual(
    before.out
      .trimEnd()
      .split('\n')
      .map((l) => l.split(' ').slice(0, 3).join(' ')),
    [
      'latin1.pmta:1:18: information encoding',
      'latin1.pmta:6:5: warning unknown-directive',
      'bom.pmta:2:5: warning unknown-directive',
      'mixed.pmta:2:27: information encoding',
      'mixed.pmta:5:5: warning unknown-directive',
      `${path.join('conf.d', 'l.conf')}:2:5: warning unknown-directive`,
      `${path.join('conf.d', 'l.conf')}:4:3: information encoding`,
      '7 problems (0',
    ],
  );
  assert.match(
    before.out,
    /latin1\.pmta:1:18: information encoding This file is not valid UTF-8: 4 bytes are not \(the first here, 0xFC\)/,
  );

  run(['--fix', 'latin1.pmta', 'bom.pmta', 'mixed.pmta', 'config'], dir);
  for (const [name, b] of Object.entries(files)) {
    assert.deepEqual(
      fs.readFileSync(path.join(dir, name)),
      replaceBytes(b, 'max-conn-rate 0.5/s', 'max-connect-rate 30/m'),
      name,
    );
  }
  assert.equal(fs.readFileSync(path.join(dir, 'config'), 'utf8'), 'include conf.d/*.conf\n');
});

test('--fix on a configuration fixes the files it includes too, each as part of it', () => {
  const dir = layout('pmta-fix-', {
    config: 'include conf.d/*.conf\n<domain b.com>\nmax-conn-rate 1/s\n</domain>\n',
    'conf.d/a.conf': '<domain a.com>\nmax-conn-rate 0.5/s\n</domain>\n',
    'conf.d/clean.conf': '<domain c.com>\n    max-smtp-out 2\n</domain>\n',
  });
  const before = fs.statSync(path.join(dir, 'conf.d', 'clean.conf')).mtimeMs;
  const r = run(['--fix', 'config'], dir);
  assert.equal(
    fs.readFileSync(path.join(dir, 'config'), 'utf8'),
    'include conf.d/*.conf\n<domain b.com>\nmax-connect-rate 1/s\n</domain>\n',
  );
  assert.equal(
    fs.readFileSync(path.join(dir, 'conf.d', 'a.conf'), 'utf8'),
    '<domain a.com>\nmax-connect-rate 30/m\n</domain>\n',
  );
  assert.equal(
    fs.statSync(path.join(dir, 'conf.d', 'clean.conf')).mtimeMs,
    before,
    'a file without fixes is not written',
  );
  // every change, file, line, before → after
  const a = path.join('conf.d', 'a.conf');
  assert.deepEqual(r.err.trimEnd().split('\n'), [
    'config: applied 1 fix',
    'config:3: max-conn-rate 1/s → max-connect-rate 1/s',
    `${a}: applied 2 fixes`,
    `${a}:2: max-conn-rate 0.5/s → max-connect-rate 30/m`,
  ]);
  // the report is made on the fixed files
  assert.equal(r.out.trimEnd(), '0 problems (0 errors, 0 warnings, 0 info, 0 hints) in 3 files');
});

test('--fix rolls Microsoft domains into the outlook.com queue only once the volume tier is declared (it changes how fast Microsoft mail goes out)', () => {
  const text = `<domain outlook.com>\n${GOOD_BODY}</domain>\n\n${LIST}\n`;
  const f = tmp('ms.pmta', text);
  const r = run(['--fix', f]);
  assert.equal(fs.readFileSync(f, 'utf8'), text);
  assert.equal(r.err, '');
  assert.deepEqual(r.out.trimEnd().split('\n'), [
    `${f}:1:9: warning microsoft-missing-rollup 9 Microsoft consumer domains do not share the outlook.com queue and its connection limits: hotmail.com, hotmail.co.uk, hotmail.de, hotmail.fr, live.com, live.co.uk, live.de, msn.com, windowslive.com (9 of the 10 checked: the ten that common advice rolls up and every Microsoft domain this configuration names). Together the Microsoft queues may open up to 184 connections per IP instead of 4. Roll them up with "queue-to outlook.com". Rolling them up changes how fast Microsoft mail goes out, so --fix and "fix all" do it only once the volume is declared with "# pmta-lint: microsoft-tier=…"; until then, make the change yourself if it suits your volume.`,
    '1 problem (0 errors, 1 warning, 0 info, 0 hints) in 1 file',
  ]);
  // declared: rolled up, each inserted line reported
  const g = tmp('ms.pmta', DECLARED + text);
  const d = run(['--fix', g]);
  const rolled = `${DECLARED}<domain outlook.com>\n${GOOD_BODY}</domain>\n\n${rollups()}\n${LIST}\n`;
  assert.equal(fs.readFileSync(g, 'utf8'), rolled);
  const first = (DECLARED + text).split('\n').indexOf('</domain>') + 3; // the line after the blank line that follows the block
  const inserted = `${rollups()}\n`.split('\n').slice(0, -1);
  assert.deepEqual(d.err.trimEnd().split('\n'), [
    `${g}: applied 1 fix`,
    ...inserted.map((l, i) => `${g}:${first + i}: +${l ? ' ' + l : ''}`),
  ]);
  assert.equal(d.out.trimEnd(), '0 problems (0 errors, 0 warnings, 0 info, 0 hints) in 1 file');
});

test('--fix reports each change on standard error in every format, so that JSON and SARIF stay parseable; inserted lines with +', () => {
  const text = '<domain a.com>\n    max-conn-rate 0.5/s\n    <x>\n';
  for (const format of ['json', 'sarif', 'github']) {
    const f = tmp('g.pmta', text);
    const r = run(['--fix', '--format', format, f]);
    assert.deepEqual(
      r.err.trimEnd().split('\n'),
      [
        `${f}: applied 4 fixes`,
        `${f}:2: max-conn-rate 0.5/s → max-connect-rate 30/m`,
        `${f}:4: +     </x>`,
        `${f}:5: + </domain>`,
      ],
      format,
    );
    assert.equal(
      fs.readFileSync(f, 'utf8'),
      '<domain a.com>\n    max-connect-rate 30/m\n    <x>\n    </x>\n</domain>\n',
    );
    if (format !== 'github') assert.doesNotThrow(() => JSON.parse(r.out), format);
  }
  // nothing to fix: nothing printed, nothing written
  const clean = tmp('h.pmta', '<domain a.com>\n    max-smtp-out 2\n</domain>\n');
  const mtime = fs.statSync(clean).mtimeMs;
  const r = run(['--fix', clean]);
  assert.equal(r.err, '');
  assert.equal(fs.statSync(clean).mtimeMs, mtime);
});

test('--fix shows a removal, a rename and an insertion side by side as what they are, numbered as in the file written', () => {
  const f = tmp('r.pmta', '<domain a.com>\nmax-smtp-out 2\nmax-smtp-out 2\n421-means-mx-unavailable yes\n<x>\n');
  const r = run(['--fix', f]);
  assert.equal(
    fs.readFileSync(f, 'utf8'),
    '<domain a.com>\nmax-smtp-out 2\nsmtp-421-means-mx-unavailable yes\n<x>\n</x>\n</domain>\n',
  );
  assert.deepEqual(r.err.trimEnd().split('\n'), [
    `${f}: applied 4 fixes`,
    `${f}:3: - max-smtp-out 2`,
    `${f}:3: 421-means-mx-unavailable yes → smtp-421-means-mx-unavailable yes`,
    `${f}:5: + </x>`,
    `${f}:6: + </domain>`,
  ]);
});

test('independent files are checked apart, each its own configuration; includes are followed', () => {
  const dir = tmpDir('pmta-inc-');
  fs.mkdirSync(path.join(dir, 'conf.d'));
  fs.writeFileSync(path.join(dir, 'conf.d', 'pools.conf'), '<virtual-mta-pool p>\n</virtual-mta-pool>\n');
  fs.writeFileSync(
    path.join(dir, 'config'),
    'include /etc/pmta/conf.d/*.conf\n<source 0/0>\ndefault-virtual-mta p\n</source>\n',
  );
  const r = run([path.join(dir, 'config')]);
  assert.equal(r.code, 0, r.out);
  fs.writeFileSync(path.join(dir, 'other'), '<source 0/0>\ndefault-virtual-mta q\n</source>\n');
  assert.equal(run([path.join(dir, 'other')]).code, 1);
  // a file that defines q, given with it but not included by it, is another configuration: q is still undefined in "other"
  fs.writeFileSync(path.join(dir, 'q.conf'), '<virtual-mta q>\n</virtual-mta>\n');
  const both = run([path.join(dir, 'other'), path.join(dir, 'q.conf')]);
  assert.equal(both.code, 1);
  assert.match(both.out, /other:2:21: error undefined-reference The virtual MTA or pool "q" is not defined/);
  // included, it counts
  fs.writeFileSync(path.join(dir, 'other'), 'include q.conf\n<source 0/0>\ndefault-virtual-mta q\n</source>\n');
  assert.equal(run([path.join(dir, 'other'), path.join(dir, 'q.conf')]).code, 0);
});

test('a folder is grouped into its configurations: a conf.d layout is one, independent servers are checked apart', () => {
  const dir = layout('pmta-groups-', {
    'servers/server1.pmta':
      '<virtual-mta m1>\n    smtp-source-host 10.0.0.1 a.example\n</virtual-mta>\n<source 0/0>\n    default-virtual-mta m1\n</source>\n',
    // uses the m1 that only server1 defines: the problem must not be hidden by server1
    'servers/server2.pmta': '<source 0/0>\n    default-virtual-mta m1\n</source>\n',
    'servers/pmta/config': 'include /etc/pmta/conf.d/*.conf\n<source 0/0>\n    default-virtual-mta m2\n</source>\n',
    'servers/pmta/conf.d/vmtas.conf': '<virtual-mta m2>\n    smtp-source-host 10.0.0.2 b.example\n</virtual-mta>\n',
    'servers/pmta/conf.d/domains.conf': '<domain *>\n    max-smtp-out 5\n    retry-after soon\n</domain>\n',
  });
  const r = run(['servers'], dir);
  assert.equal(r.code, 1);
  assert.deepEqual(r.out.trimEnd().split('\n'), [
    `${path.join('servers', 'pmta', 'conf.d', 'domains.conf')}:3:17: error invalid-value retry-after: "soon": expected a time interval such as 30s, 20m, 4h, 1d or 4d12h`,
    `${path.join('servers', 'server2.pmta')}:2:25: error undefined-reference The virtual MTA or pool "m1" is not defined; define it with <virtual-mta m1> or <virtual-mta-pool m1>`,
    '2 problems (2 errors, 0 warnings, 0 info, 0 hints) in 5 files',
  ]);
  // JSON: each configuration's root, then the files it includes; each file once
  const json = JSON.parse(run(['--format', 'json', 'servers'], dir).out) as Array<{
    file: string;
    diagnostics: unknown[];
  }>;
  assert.deepEqual(
    json.map((x) => [x.file, x.diagnostics.length]),
    [
      [path.join('servers', 'pmta', 'config'), 0],
      [path.join('servers', 'pmta', 'conf.d', 'domains.conf'), 1],
      [path.join('servers', 'pmta', 'conf.d', 'vmtas.conf'), 0],
      [path.join('servers', 'server1.pmta'), 0],
      [path.join('servers', 'server2.pmta'), 1],
    ],
  );
});

test('a file two configurations include gets what each finds in it, once; files that include each other are one configuration', () => {
  const dir = layout('pmta-shared-', {
    'a.pmta': 'include common.conf\n<virtual-mta m>\n</virtual-mta>\n',
    'b.pmta': 'include common.conf\n<virtual-mta n>\n</virtual-mta>\n',
    'common.conf': '<source 0/0>\n    default-virtual-mta m\n    retry-after soon\n</source>\n',
  });
  const r = run(['.'], dir);
  assert.deepEqual(r.out.trimEnd().split('\n'), [
    // b.pmta does not define m: its configuration has the problem, in common.conf
    'common.conf:2:25: error undefined-reference The virtual MTA or pool "m" is not defined; did you mean "n"?',
    'common.conf:3:5: warning wrong-context "retry-after" is not allowed in <source>; it belongs in <domain>',
    'common.conf:3:17: error invalid-value retry-after: "soon": expected a time interval such as 30s, 20m, 4h, 1d or 4d12h',
    '3 problems (2 errors, 1 warning, 0 info, 0 hints) in 3 files',
  ]);
  const cycle = layout('pmta-cycle-', {
    'a.conf': 'include b.conf\n<virtual-mta m>\n</virtual-mta>\n',
    'b.conf': 'include a.conf\n<source 0/0>\n    default-virtual-mta m\n</source>\n',
  });
  const c = run(['.'], cycle);
  assert.equal(c.code, 0, c.out);
  assert.deepEqual(c.out.trimEnd().split('\n'), [
    'b.conf:1:9: information unresolved-include Include not followed: include cycle: a.conf → b.conf → a.conf; names defined there are not checked',
    '1 problem (0 errors, 0 warnings, 1 info, 0 hints) in 2 files',
  ]);
});

test('a file that includes itself is an include cycle, as two files that include each other are: by its name, by a wildcard', () => {
  const dir = layout('pmta-self-', {
    'self.conf': 'include self.conf\n',
    'conf.d/a.conf': 'include /etc/pmta/conf.d/*.conf\n<virtual-mta m>\n</virtual-mta>\n',
    'conf.d/b.conf': '<source 0/0>\n    default-virtual-mta m\n</source>\n',
  });
  const r = run(['self.conf'], dir);
  assert.deepEqual(r.out.trimEnd().split('\n'), [
    'self.conf:1:9: information unresolved-include Include not followed: include cycle: self.conf → self.conf; names defined there are not checked',
    '1 problem (0 errors, 0 warnings, 1 info, 0 hints) in 1 file',
  ]);
  // the wildcard names a.conf itself and b.conf: the cycle is said, b.conf is included (m is defined there)
  const g = run([path.join('conf.d', 'a.conf')], dir);
  assert.deepEqual(g.out.trimEnd().split('\n'), [
    `${path.join('conf.d', 'a.conf')}:1:9: information unresolved-include Include not followed: include cycle: a.conf → a.conf; names defined there are not checked`,
    '1 problem (0 errors, 0 warnings, 1 info, 0 hints) in 2 files',
  ]);
  // a path whose folder is nowhere: its file pattern alone, in the including file's folder, is a guess
  // that does not name the including file (no cycle to report; nothing found)
  const nowhere = layout('pmta-nowhere-', { 'main.conf': 'include /nowhere/*.conf\n' });
  assert.deepEqual(run(['main.conf'], nowhere).out.trimEnd().split('\n'), [
    'main.conf:1:9: information unresolved-include Include not followed: no file found for "/nowhere/*.conf"; names defined there are not checked',
    '1 problem (0 errors, 0 warnings, 1 info, 0 hints) in 1 file',
  ]);
});

test('an include naming a folder says so, with the wildcard form that includes its files', () => {
  const dir = layout('pmta-folder-', {
    'incdir/a.conf': '<virtual-mta m>\n</virtual-mta>\n',
    'pmtadir/b.pmta': '',
    'emptydir/.keep': '',
    'sub/main.conf':
      'include ../incdir\ninclude ../incdir/\ninclude /etc/pmta/pmtadir\ninclude ../emptydir\ninclude ../nothing\n',
  });
  const main = path.join('sub', 'main.conf');
  const r = run([main], dir);
  const folder = (line: number, col: number, p: string, pattern: string) =>
    `${main}:${line}:${col}: information unresolved-include Include not followed: "${p}" is a folder, and include takes files, not folders: "include ${pattern}" includes the files in it; names defined there are not checked`;
  assert.deepEqual(r.out.trimEnd().split('\n'), [
    folder(1, 9, '../incdir', '../incdir/*.conf'),
    folder(2, 9, '../incdir/', '../incdir/*.conf'),
    // an absolute path found below the including file's folders, as files are
    folder(3, 9, '/etc/pmta/pmtadir', '/etc/pmta/pmtadir/*.pmta'),
    folder(4, 9, '../emptydir', '../emptydir/*'),
    `${main}:5:9: information unresolved-include Include not followed: no file found for "../nothing"; names defined there are not checked`,
    '5 problems (0 errors, 0 warnings, 5 info, 0 hints) in 1 file',
  ]);
});

test('the examples folder: each example is its own configuration (microsoft.pmta gets its 10 problems, as alone)', () => {
  const alone = run([path.join('examples', 'microsoft.pmta')])
    .out.trimEnd()
    .split('\n')
    .slice(0, -1);
  assert.equal(alone.length, 10);
  const all = run(['examples']).out.split('\n');
  assert.deepEqual(
    all.filter((l) => l.startsWith(path.join('examples', 'microsoft.pmta') + ':')),
    alone,
  );
});

test('standard input: - reads the configuration, --stdin-filename names it and places its includes; it cannot be fixed', () => {
  const dir = layout('pmta-stdin-', {
    config: 'include conf.d/*.conf\n<virtual-mta m1>\n</virtual-mta>\n',
    'conf.d/a.conf': '<source 0/0>\n    default-virtual-mta m1\n</source>\n',
  });
  const stdin = (args: string[], input: string) => {
    const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, input, encoding: 'utf8' });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  const text = '<domain a.com>\n    retry-after soon\n</domain>\n';
  assert.deepEqual(stdin(['-'], text), {
    code: 1,
    out: '<stdin>:2:17: error invalid-value retry-after: "soon": expected a time interval such as 30s, 20m, 4h, 1d or 4d12h\n1 problem (1 error, 0 warnings, 0 info, 0 hints) in 1 file\n',
    err: '',
  });
  const named = stdin(['--format', 'json', '--stdin-filename', path.join('conf.d', 'x.conf'), '-'], text);
  assert.equal(JSON.parse(named.out)[0].file, path.join('conf.d', 'x.conf'));
  // its includes are looked for from where it says it is
  assert.equal(stdin(['--stdin-filename', 'main.pmta', '-'], 'include conf.d/a.conf\ninclude config\n').code, 0);
  // given with the configuration that includes the file it names, it stands for that file's text there (as an unsaved editor)
  const edited = stdin(
    ['--stdin-filename', path.join('conf.d', 'a.conf'), 'config', '-'],
    '<source 0/0>\n    default-virtual-mta m9\n</source>\n',
  );
  assert.equal(edited.code, 1);
  assert.deepEqual(edited.out.trimEnd().split('\n'), [
    `${path.join('conf.d', 'a.conf')}:2:25: error undefined-reference The virtual MTA or pool "m9" is not defined; did you mean "m1"?`,
    '1 problem (1 error, 0 warnings, 0 info, 0 hints) in 2 files',
  ]);
  for (const [args, message] of [
    [['--fix', '-'], '--fix cannot rewrite standard input (-): give the path of the file instead'],
    [['-', '-'], 'standard input (-) can be given once'],
    [
      ['--stdin-filename', 'x.conf', 'config'],
      '--stdin-filename names standard input, which is read only when - is given',
    ],
  ] as Array<[string[], string]>) {
    const r = stdin(args, text);
    assert.equal(r.code, 2);
    assert.equal(r.err.split('\n')[0], `pmta-lint: ${message}`);
  }
});

test('the problems of included files are reported under their names; a given fragment is checked as part of its configuration', () => {
  const dir = layout('pmta-confd-', {
    config:
      'include /etc/pmta/conf.d/*.conf\n<virtual-mta m1>\n</virtual-mta>\n<domain *>\n    dkim-sign yes\n</domain>\n',
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
  assert.deepEqual(r.out.trimEnd().split('\n'), [
    ...expected,
    '3 problems (2 errors, 1 warning, 0 info, 0 hints) in 3 files',
  ]);
  // given with the configuration, a fragment is reported once, as part of it
  assert.deepEqual(
    run(['config', path.join('conf.d', 'b.conf'), path.join('conf.d', 'a.conf')], dir)
      .out.trimEnd()
      .split('\n'),
    [...expected, '3 problems (2 errors, 1 warning, 0 info, 0 hints) in 3 files'],
  );
  // given alone, a fragment does not know m1 (nothing says which configuration it belongs to)
  assert.match(run([path.join('conf.d', 'a.conf')], dir).out, /The virtual MTA or pool "m1" is not defined/);
  // JSON names the included files too
  const json = JSON.parse(run(['--format', 'json', 'config'], dir).out) as Array<{
    file: string;
    diagnostics: unknown[];
  }>;
  assert.deepEqual(
    json.map((x) => [x.file, x.diagnostics.length]),
    [
      ['config', 0],
      [path.join('conf.d', 'a.conf'), 0],
      [path.join('conf.d', 'b.conf'), 3],
    ],
  );
  // not followed with --no-includes
  assert.equal(
    run(['--no-includes', 'config'], dir).out.trimEnd(),
    '0 problems (0 errors, 0 warnings, 0 info, 0 hints) in 1 file',
  );
});

test("--list-rules, --help and --version (the package's)", () => {
  const r = run(['--list-rules']);
  assert.equal(r.code, 0);
  assert.match(r.out, /^syntax\s+error\s+/m);
  assert.match(r.out, /^encoding\s+information\s+The file is not valid UTF-8/m);
  assert.match(
    r.out,
    /^file-too-large\s+warning\s+A file larger than the size limit \(--max-file-size, pmta\.maxFileSizeKB; 10 MB by default\)/m,
  );
  const help = run(['--help']);
  assert.match(
    help.out,
    /^Usage: pmta-lint \[options\] FILE\|DIR\|-\.\.\.\n {7}pmta-lint report \[options\] FILE\.\.\.\n/,
  );
  assert.match(help.out, /^`pmta-lint report --help`: the Microsoft delivery report from accounting files\.$/m);
  for (const option of [
    '--format',
    '--settings',
    '--fix',
    '--no-includes',
    '--max-file-size',
    '--stdin-filename',
    '--list-rules',
  ])
    assert.match(help.out, new RegExp(`^  ${option} `, 'm'));
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  assert.deepEqual(run(['--version']), { code: 0, out: pkg.version + '\n', err: '' });
});

test('the bundled split configuration: checked whole, the fragment has no false error; alone it has', () => {
  const split = path.join('examples', 'split', 'pmta');
  const whole = run([path.join(split, 'config')]);
  assert.equal(whole.code, 0, whole.out);
  const lines = whole.out.trimEnd().split('\n');
  assert.deepEqual(
    lines.map((l) => l.split(' ').slice(0, 3).join(' ')),
    [
      // the DKIM key file of the pool lives on the mail server, not in the repository
      `${path.join(split, 'conf.d', 'ips.conf')}:24:33: information dkim-key-missing`,
      `${path.join(split, 'conf.d', 'microsoft.conf')}:12:9: warning microsoft-missing-rollup`,
      `${path.join(split, 'conf.d', 'microsoft.conf')}:12:9: warning microsoft-missing-pattern-list`,
      `${path.join(split, 'conf.d', 'microsoft.conf')}:13:18: information microsoft-unsafe-limit`,
      `${path.join(split, 'conf.d', 'microsoft.conf')}:13:18: information microsoft-connection-budget`,
      '5 problems (0',
    ],
  );
  assert.match(lines[4], /pool microsoft-pool \(4 virtual MTAs\) × max-smtp-out 20 .* = 80 simultaneous connections/);
  const alone = run([path.join(split, 'conf.d', 'microsoft.conf')]);
  assert.equal(alone.code, 1);
  assert.match(
    alone.out,
    /microsoft\.conf:9:25: error undefined-reference The virtual MTA or pool "microsoft-pool" is not defined/,
  );
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
