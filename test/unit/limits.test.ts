/**
 * Limits and bad input: files over pmta.maxFileSizeKB, binary files, 1 MB lines, include cycles,
 * includes outside the workspace, URLs and network shares. Behaviour only: nothing here is timed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { PmtaLanguageService } from '../../server/src/service';
import { DEFAULT_SETTINGS, normalizeSettings } from '../../server/src/settings';
import { Model } from '../../server/src/model';
import type { IncludeHost } from '../../server/src/hosts/includeHost';
import { parse, rebuild } from '../../server/src/parser/parser';
import { NodeIncludeHost } from '../../server/src/hosts/nodeHost';
import type { NearbyConfig } from '../../server/src/hosts/nearby';
import { lightOutline } from '../../server/src/features/light';
import { ROOT } from '../helpers/util';
import { pushAll } from '../../server/src/util/arrays';
import { shortestInterval } from '../../server/src/microsoft/analysis';

const doc = (text: string, uri = 'file:///limits/pmta/config') => TextDocument.create(uri, 'powermta', 1, text);

// ------------------------------------------------------------------------------------- size limit

test('maxFileSizeKB: the default is 10 MB, here, in package.json and in the README', () => {
  assert.equal(DEFAULT_SETTINGS.maxFileSizeKB, 10240);
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  assert.equal(pkg.contributes.configuration.properties['pmta.maxFileSizeKB'].default, 10240);
  assert.match(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8'), /`pmta\.maxFileSizeKB` \| `10240`/);
});

const BIG =
  '# big\n<domain a.example>\n    max-smtp-outt 5\n    <x>\n    </x>\n</domain>\n<virtual-mta v>\n</virtual-mta>\n' +
  '#'.repeat(3000) +
  '\n<source 0/0>\n';

test('a file over the limit: one file-too-large warning, and only outline and folding', () => {
  const s = new PmtaLanguageService();
  const d = doc(BIG);
  const settings = { maxFileSizeKB: 2 };
  const f = s.lint(d, { settings });
  assert.deepEqual(
    f.map((x) => [x.rule, x.severity, x.span.start, x.span.end]),
    [['file-too-large', 'warning', 0, 0]],
  );
  assert.match(f[0].message, /^This file \(4 KB\) is larger than the size limit of 2 KB, so it is not checked/);
  // the unknown directive is not reported: nothing was analysed
  assert.equal(s.validate(d, { settings }).length, 1);
  assert.equal(s.hover(d, { line: 2, character: 6 }, { settings }), null);
  assert.deepEqual(s.complete(d, { line: 2, character: 6 }, { settings }).items, []);
  // requests without settings use the limit the document was linted with
  assert.deepEqual(s.definition(d, { line: 6, character: 15 }), []);
  assert.deepEqual(s.references(d, { line: 6, character: 15 }), []);
  assert.equal(s.prepareRename(d, { line: 6, character: 15 }), null);
  assert.equal(s.rename(d, { line: 6, character: 15 }, 'w'), null);
  assert.deepEqual(s.format(d, { tabSize: 4, insertSpaces: true }), []);
  assert.deepEqual(s.documentLinks(d), []);
  assert.deepEqual(
    s.codeActions(d, { start: { line: 0, character: 0 }, end: { line: 3, character: 0 } }, {}, { settings }),
    [],
  );
  assert.deepEqual(
    s
      .documentSymbols(d)
      .map((x) => [x.name, x.range.start.line, x.range.end.line, (x.children ?? []).map((c) => c.name)]),
    [
      ['<domain a.example>', 1, 5, ['<x>']],
      ['<virtual-mta v>', 6, 7, []],
      ['<source 0/0>', 9, 10, []],
    ],
  );
  assert.deepEqual(
    s.foldingRanges(d),
    [
      { startLine: 1, endLine: 4 },
      { startLine: 6, endLine: 6 },
      { startLine: 9, endLine: 10 },
    ].filter((r) => r.endLine > r.startLine),
  );
  // under the limit: the full analysis
  const full = s.lint(d, { settings: { maxFileSizeKB: 100 } });
  assert.ok(full.some((x) => x.rule === 'unknown-directive'));
  assert.ok(s.hover(d, { line: 1, character: 3 }, { settings: { maxFileSizeKB: 100 } }), 'hover on <domain>');
});

test('light outline: exact ranges, nesting, unclosed blocks, CRLF', () => {
  const text = '<domain a>\r\n  <x>\r\n</domain>\r\n<virtual-mta v>\r\n  max-smtp-out 1';
  const { symbols, folding } = lightOutline(text);
  assert.deepEqual(JSON.parse(JSON.stringify(symbols)), [
    {
      name: '<domain a>',
      kind: 3,
      range: { start: { line: 0, character: 0 }, end: { line: 2, character: 9 } },
      selectionRange: { start: { line: 0, character: 1 }, end: { line: 0, character: 7 } },
      children: [
        {
          name: '<x>',
          kind: 23,
          range: { start: { line: 1, character: 2 }, end: { line: 2, character: 0 } },
          selectionRange: { start: { line: 1, character: 3 }, end: { line: 1, character: 4 } },
          children: [],
        },
      ],
    },
    {
      name: '<virtual-mta v>',
      kind: 19,
      range: { start: { line: 3, character: 0 }, end: { line: 4, character: 16 } },
      selectionRange: { start: { line: 3, character: 1 }, end: { line: 3, character: 12 } },
      children: [],
    },
  ]);
  assert.deepEqual(folding, [
    { startLine: 0, endLine: 1 },
    { startLine: 3, endLine: 4 },
  ]);
});

test('a document over the limit opened beside another is not analysed as its sibling', () => {
  const s = new PmtaLanguageService();
  const small = doc('<source 0/0>\n    default-virtual-mta v\n</source>\n', 'file:///limits/a.pmta');
  const big = doc('<virtual-mta v>\n</virtual-mta>\n' + '#'.repeat(4000), 'file:///limits/b.pmta');
  // were b analysed, it would define v; it is over the limit, so the reference stays undefined
  const f = s.lint(small, { settings: { maxFileSizeKB: 2 }, siblings: [big] });
  assert.deepEqual(
    f.map((x) => x.rule),
    ['undefined-reference'],
  );
  assert.deepEqual(
    s.lint(small, { settings: { maxFileSizeKB: 100 }, siblings: [big] }).map((x) => x.rule),
    [],
  );
});

test('settings: includes.workspaceOnly and maxFileSizeKB are validated', () => {
  assert.deepEqual(normalizeSettings({ 'pmta.includes.workspaceOnly': true, 'pmta.includes.resolve': true }).settings, {
    includes: { resolve: true, workspaceOnly: true },
  });
  assert.deepEqual(normalizeSettings({ includes: { workspaceOnly: 'yes' } }).problems, [
    'includes.workspaceOnly: expected true or false',
  ]);
});

// ------------------------------------------------------------------------------------- binary

test('a binary file: one polite finding, no analysis, no features', () => {
  const s = new PmtaLanguageService();
  // PNG-like: a signature, then bytes with many NULs
  const bytes =
    '\u0089PNG\r\n\u001a\n' +
    Buffer.from(Array.from({ length: 3000 }, (_, i) => (i % 8 === 0 ? 0 : (i * 7919) % 256))).toString('latin1');
  const d = doc(bytes);
  const f = s.lint(d);
  assert.deepEqual(
    f.map((x) => x.rule),
    ['syntax'],
  );
  assert.match(
    f[0].message,
    /^This looks like a binary file \(it holds NUL bytes or control characters\), not a PowerMTA configuration; it is not analysed$/,
  );
  assert.equal(s.hover(d, { line: 0, character: 1 }), null);
  assert.deepEqual(s.documentSymbols(d), []);
  assert.deepEqual(s.foldingRanges(d), []);
  assert.deepEqual(s.complete(d, { line: 0, character: 1 }).items, []);
});

test('random bytes read as UTF-8 (replacement characters, few NULs) are binary too; a stray junk byte is not', () => {
  const s = new PmtaLanguageService();
  let x = 12345;
  const random = Buffer.from(
    Array.from({ length: 4000 }, () => ((x = (x * 1103515245 + 12345) >>> 0) >>> 16) & 255),
  ).toString('utf8');
  assert.deepEqual(
    s.lint(doc(random)).map((f) => f.message.slice(0, 28)),
    ['This looks like a binary fil'],
  );
  const config = '<domain a.com>\n    max-smtp-out 5\n\u0007\n</domain>\n'.repeat(20);
  const f = s.lint(doc(config, 'file:///junk.pmta')).filter((x) => x.rule === 'syntax');
  assert.equal(f.length, 20);
  assert.ok(f.every((x) => x.message.startsWith('Unexpected control or binary character (U+0007)')));
});

// ------------------------------------------------------------------------------------- 1 MB lines

test('1 MB lines: parsed losslessly, findings with short messages, features answer', () => {
  const MB = 1 << 20;
  const cases: Array<[string, string, string[]]> = [
    ['host-name ' + 'a'.repeat(MB) + '\n', 'one huge word', ['invalid-value']],
    [
      '<smtp-pattern-list x>\n    reply /' + '(a|b)*'.repeat(MB / 6) + '\n</smtp-pattern-list>\n',
      'an unterminated regex',
      ['invalid-value'],
    ],
    [
      'domain-macro m ' + Array.from({ length: MB / 12 }, (_, i) => `d${i}.example`).join(', ') + '\n',
      'a huge list',
      [],
    ],
    ['domain x ' + '{{'.repeat(MB / 2) + '\n', 'braces', ['unknown-directive']],
    ['<' + '<'.repeat(MB) + '\n', 'angle brackets', ['syntax']],
    ['a'.repeat(MB) + ' 5\n', 'a huge directive name', ['unknown-directive']],
    [
      'domain x' + ' '.repeat(MB) + '{{\n',
      'blanks before braces (the pseudo-syntax regex used to backtrack here)',
      ['pseudo-syntax'],
    ],
  ];
  for (const [text, what, rules] of cases) {
    const tree = parse(text);
    assert.equal(rebuild(tree), text, `${what}: lossless`);
    const s = new PmtaLanguageService();
    const d = doc(text);
    const f = s.lint(d);
    assert.deepEqual(
      f.map((x) => x.rule),
      rules,
      what,
    );
    for (const x of f)
      assert.ok(
        x.message.length <= 8000,
        `${what}: the message quotes at most a part of the line (${x.message.length})`,
      );
    for (const k of [0, 5, 1000, MB / 2, text.length - 2]) {
      const p = d.positionAt(k);
      s.hover(d, p);
      s.complete(d, p);
    }
    assert.ok(Array.isArray(s.documentSymbols(d)) && Array.isArray(s.foldingRanges(d)), what);
  }
  // a value is cut in the message, not the message's end
  const f = new PmtaLanguageService().lint(doc('host-name ' + 'a'.repeat(MB) + '\n'));
  assert.match(f[0].message, /^host-name: "a{79}…": expected a host name$/);
});

// ------------------------------------------------------------------------------------- includes

/** An in-memory file system as an include host; records every path it is asked about. */
function memoryHost(files: Record<string, string>): IncludeHost & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    resolveInclude(_from, p) {
      asked.push(p);
      const uri = 'file:///mem/' + p.replace(/^\/+/, '');
      return uri in files ? [uri] : [];
    },
    readFile(uri) {
      asked.push(uri);
      return files[uri];
    },
  };
}

test('include cycles are detected and reported, not followed forever', () => {
  const host = memoryHost({
    'file:///mem/a.conf': 'include b.conf\n<virtual-mta va>\n</virtual-mta>\n',
    'file:///mem/b.conf': 'include a.conf\n',
    'file:///mem/self.conf': 'include self.conf\n',
  });
  const s = new PmtaLanguageService({ host });
  const f = s.lint(
    TextDocument.create('file:///mem/a.conf', 'powermta', 1, 'include b.conf\n<virtual-mta va>\n</virtual-mta>\n'),
  );
  assert.deepEqual(
    f.map((x) => `${x.rule}: ${x.message}`),
    [],
    'a.conf includes b.conf, which includes a.conf: the cycle is cut in b.conf (the model of b reports it)',
  );
  const b = new Model(TextDocument.create('file:///mem/b.conf', 'powermta', 1, 'include a.conf\n'), { host });
  const inner = b.includes[0].resolved[0];
  assert.equal(inner.uri, 'file:///mem/a.conf');
  assert.equal(inner.includes[0].error, 'include cycle: b.conf → a.conf → b.conf');
  const self = new PmtaLanguageService({ host }).lint(
    TextDocument.create('file:///mem/self.conf', 'powermta', 1, 'include self.conf\n'),
  );
  assert.deepEqual(
    self.map((x) => `${x.rule}: ${x.message}`),
    [
      'unresolved-include: Include not followed: include cycle: self.conf → self.conf; names defined there are not checked',
    ],
  );
});

test('URLs and network shares are never followed (no host call), and names are then not checked', () => {
  const host = memoryHost({});
  const text =
    'include http://example.com/x.conf\ninclude https://example.com/y.conf\ninclude ftp://example.com/z.conf\ninclude //server/share/a.conf\ninclude \\\\server\\share\\b.conf\n<source 10.0.0.1>\n    default-virtual-mta nowhere\n</source>\n';
  const f = new PmtaLanguageService({ host }).lint(doc(text));
  assert.deepEqual(host.asked, []);
  // no diagnostic for the skipped includes, and no undefined-reference (the name may be defined there)
  assert.deepEqual(
    f.map((x) => x.rule),
    [],
  );
});

test('includes outside the workspace are not read when the workspace is untrusted or the setting asks', (t) => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pmta-limits-'));
  t.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const host = new NodeIncludeHost();
  const ws = path.join(tmp, 'ws');
  fs.mkdirSync(path.join(ws, 'conf.d'), { recursive: true });
  fs.writeFileSync(path.join(tmp, 'outside.conf'), '<virtual-mta out>\n</virtual-mta>\n');
  fs.writeFileSync(path.join(ws, 'conf.d', 'inside.conf'), '<virtual-mta in>\n</virtual-mta>\n');
  fs.symlinkSync(path.join(tmp, 'outside.conf'), path.join(ws, 'conf.d', 'link.conf'));
  const main = path.join(ws, 'config');
  const text =
    'include conf.d/inside.conf\ninclude ../outside.conf\ninclude conf.d/link.conf\n<source 10.0.0.1>\n    default-virtual-mta in\n</source>\n<source 10.0.0.2>\n    default-virtual-mta out\n</source>\n';
  const at1 = text.indexOf('../outside.conf');
  const at2 = text.indexOf('conf.d/link.conf');
  fs.writeFileSync(main, text);
  const uri = pathToFileURL(main).toString();
  const run = (settings = {}) =>
    new PmtaLanguageService({ host })
      .lint(TextDocument.create(uri, 'powermta', 1, text), { settings })
      .map((x) => `${x.rule}@${x.span.start}: ${x.message}`);

  // trusted: everything is read
  host.setWorkspace([pathToFileURL(ws).toString()], true);
  assert.deepEqual(run(), []);
  // untrusted: the file outside and the link that leads outside are refused, the one inside is read
  host.setWorkspace([pathToFileURL(ws).toString()], false);
  const outside =
    'Include not followed: cannot resolve: the file is outside the workspace folders, and includes are limited to them (untrusted workspace or pmta.includes.workspaceOnly); names defined there are not checked';
  assert.deepEqual(run(), [`unresolved-include@${at1}: ${outside}`, `unresolved-include@${at2}: ${outside}`]);
  // trusted, but the setting asks for it
  host.setWorkspace([pathToFileURL(ws).toString()], true);
  assert.deepEqual(run({ includes: { workspaceOnly: true } }), [
    `unresolved-include@${at1}: ${outside}`,
    `unresolved-include@${at2}: ${outside}`,
  ]);
  // untrusted with no workspace folder at all: nothing is read
  host.setWorkspace([], false);
  assert.equal(run().length, 3);
});

test('the configuration that includes a file is looked for next to it, within the workspace folder, only inside it when untrusted', (t) => {
  const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pmta-nearby-')));
  t.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const host = new NodeIncludeHost();
  const ws = path.join(tmp, 'ws');
  const pmta = path.join(ws, 'etc', 'pmta');
  fs.mkdirSync(path.join(pmta, 'conf.d', 'more'), { recursive: true });
  fs.writeFileSync(path.join(tmp, 'outside.conf'), 'include ws/etc/pmta/conf.d/*.conf\n');
  fs.writeFileSync(path.join(ws, 'top.pmta'), 'include etc/pmta/config\n');
  fs.writeFileSync(path.join(pmta, 'config'), '# main\ninclude /etc/pmta/conf.d/*.conf\n');
  fs.writeFileSync(path.join(pmta, 'notes.txt'), 'include conf.d/a.conf\n');
  fs.writeFileSync(path.join(pmta, 'other.conf'), '<domain *>\n</domain>\n');
  fs.writeFileSync(path.join(pmta, 'conf.d', 'b.conf'), '  include more/c.conf\n');
  fs.writeFileSync(path.join(pmta, 'conf.d', 'a.conf'), '<virtual-mta m1>\n</virtual-mta>\n');
  const a = pathToFileURL(path.join(pmta, 'conf.d', 'a.conf')).toString();
  const names = (list: NearbyConfig[]) => list.map((c) => path.relative(tmp, fileURLToPath(c.uri)));
  // in its folder and two above (but only names a configuration goes by, with an include line); never above the workspace folder
  host.setWorkspace([pathToFileURL(pmta).toString()], true);
  assert.deepEqual(names(host.nearbyConfigs(a)), [
    path.join('ws', 'etc', 'pmta', 'conf.d', 'b.conf'),
    path.join('ws', 'etc', 'pmta', 'config'),
  ]);
  host.setWorkspace([pathToFileURL(ws).toString()], true);
  assert.deepEqual(names(host.nearbyConfigs(a)), [
    path.join('ws', 'etc', 'pmta', 'conf.d', 'b.conf'),
    path.join('ws', 'etc', 'pmta', 'config'),
  ]);
  assert.deepEqual(names(host.nearbyConfigs(pathToFileURL(path.join(pmta, 'conf.d', 'more', 'c.conf')).toString())), [
    path.join('ws', 'etc', 'pmta', 'conf.d', 'b.conf'),
    path.join('ws', 'etc', 'pmta', 'config'),
  ]);
  // the text and its version come along
  const found = host.nearbyConfigs(a)[1];
  assert.equal(found.text, '# main\ninclude /etc/pmta/conf.d/*.conf\n');
  assert.equal(found.mtime, fs.statSync(path.join(pmta, 'config')).mtimeMs);
  // no workspace folder: two levels
  host.setWorkspace([], true);
  assert.deepEqual(names(host.nearbyConfigs(a)), [
    path.join('ws', 'etc', 'pmta', 'conf.d', 'b.conf'),
    path.join('ws', 'etc', 'pmta', 'config'),
  ]);
  // untrusted: nothing outside the workspace folders, nothing at all without one
  host.setWorkspace([pathToFileURL(path.join(pmta, 'conf.d')).toString()], false);
  assert.deepEqual(names(host.nearbyConfigs(a)), [path.join('ws', 'etc', 'pmta', 'conf.d', 'b.conf')]);
  host.setWorkspace([], false);
  assert.deepEqual(host.nearbyConfigs(a), []);
  // not a file URI
  assert.deepEqual(host.nearbyConfigs('untitled:Untitled-1'), []);
});

test('an included file is read again when its modification time or size changed, or after the host forgets what it read', (t) => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pmta-read-'));
  t.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const host = new NodeIncludeHost();
  const f = path.join(tmp, 'a.conf');
  const uri = pathToFileURL(f).toString();
  const write = (text: string, mtime: number) => {
    fs.writeFileSync(f, text);
    fs.utimesSync(f, mtime, mtime);
  };
  write('one\n', 1000);
  assert.equal(host.readFile(uri), 'one\n');
  write('three\n', 1000); // another size
  assert.equal(host.readFile(uri), 'three\n');
  write('four!\n', 2000); // the same size, another time
  assert.equal(host.readFile(uri), 'four!\n');
  write('five!\n', 2000); // the same size and time: the text read before, until the host is told
  assert.equal(host.readFile(uri), 'four!\n');
  host.forget();
  assert.equal(host.readFile(uri), 'five!\n');
});

test('the language service never runs anything and never opens a connection', () => {
  // the sources the server and the CLI are built from: no process spawning, no eval, no network module
  const dir = path.join(ROOT, 'server', 'src');
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(d, e.name));
      else if (e.name.endsWith('.ts')) files.push(path.join(d, e.name));
    }
  };
  walk(dir);
  assert.ok(files.length > 20);
  const forbidden =
    /\b(child_process|node:child_process|worker_threads|vm\.run|eval\(|new Function\(|from 'https?'|from 'node:https?'|from 'net'|from 'node:net'|from 'dgram'|fetch\(|XMLHttpRequest|WebSocket)/;
  for (const f of files) {
    const src = fs.readFileSync(f, 'utf8');
    const m = forbidden.exec(src);
    assert.equal(m, null, `${path.relative(ROOT, f)} uses ${m?.[0]}`);
  }
});

test('a new version with the same text keeps the model and the findings of the previous one', () => {
  const service = new PmtaLanguageService();
  const text = '<domain outlook.com>\n  max-smtp-out 5\n</domain>\n';
  const doc = TextDocument.create('file:///same/pmta/config', 'powermta', 1, text);
  const model = service.getModel(doc, { settings: {} });
  const findings = service.lint(doc, {});
  TextDocument.update(doc, [{ text: text + 'x' }], 2);
  TextDocument.update(doc, [{ text }], 3);
  assert.equal(service.getModel(doc, { settings: {} }), model);
  assert.equal(service.lint(doc, {}), findings);
  TextDocument.update(doc, [{ text: text.replace('5', '6') }], 4);
  assert.notEqual(service.getModel(doc, { settings: {} }), model);
});

// ------------------------------------------------------------------------------ lists past V8's argument limit

test('lists longer than V8 takes as arguments: 200,000 virtual MTAs with an include, a retry list of 200,000 intervals', () => {
  // `push(...list)` and `Math.min(...list)` throw "Maximum call stack size exceeded" past about 120,000 items
  const big = new Array(500_000).fill(1);
  assert.equal(pushAll([0], big).length, 500_001);
  assert.equal(shortestInterval(Array.from({ length: 200_000 }, (_, i) => `${i + 5}m`).join(',')), 300);

  const n = 200_000;
  const text =
    'include /limits/pmta/extra.conf\n' +
    Array.from({ length: n }, (_, i) => `<virtual-mta v${i}>\n</virtual-mta>\n`).join('') +
    '<domain *>\n    default-virtual-mta v-nope\n</domain>\n';
  const service = new PmtaLanguageService({
    host: memoryHost({ 'file:///mem/limits/pmta/extra.conf': '# extra\n' }),
  });
  const d = doc(text);
  const found = service.lint(d, { settings: { rules: { 'wrong-context': 'off' } } });
  assert.deepEqual(
    found.map((f) => `${f.rule} ${f.message}`),
    [
      'undefined-reference The virtual MTA or pool "v-nope" is not defined; define it with <virtual-mta v-nope> or <virtual-mta-pool v-nope>',
    ],
  );
  // the names are offered at a default-virtual-mta, all of them
  const line = 1 + 2 * n + 1;
  const items = service.complete(d, { line, character: '    default-virtual-mta '.length }).items;
  assert.ok(items.length >= n, `${items.length} items`);
});
