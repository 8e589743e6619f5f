import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Model } from '../../server/src/model';
import type { IncludeAccess, IncludeHost } from '../../server/src/hosts/includeHost';
import { fileKey, followIncludes, startBuild, type Followed } from '../../server/src/model/includes';
import { at, doc, memoryHost } from '../helpers/util';

const ROOT = 'file:///etc/pmta/config';

function build(
  text: string,
  host: IncludeHost,
  options: Omit<ConstructorParameters<typeof Model>[1], 'host'> = {},
): Model {
  return new Model(doc(text, ROOT), { host, ...options });
}

/** Each include of a model as "path -> file names | error" ("skipped" when not attempted). */
function outcome(m: Model): string[] {
  return m.includes.map((i) => {
    const files = i.resolved.map((r) => r.uri.slice(r.uri.lastIndexOf('/') + 1)).join(' ');
    return [i.path, '->', i.skipped ? 'skipped' : files, i.error ? `| ${i.error}` : ''].filter(Boolean).join(' ');
  });
}

test('an include: the exact span of its path, the line it is on, the model of the file', () => {
  const host = memoryHost({ 'file:///etc/pmta/a.conf': '<virtual-mta a>\n</virtual-mta>\n' });
  const text = '# main\n  include   a.conf   # trailing\n';
  const m = build(text, host);
  assert.equal(m.includes.length, 1);
  const inc = m.includes[0];
  assert.deepEqual(inc.span, { start: at(text, 'a.conf'), end: at(text, 'a.conf') + 6 });
  assert.equal(inc.line.name, 'include');
  assert.equal(inc.line.line, 1);
  assert.equal(inc.skipped, false);
  assert.equal(inc.error, undefined);
  assert.deepEqual(
    inc.resolved.map((r) => [r.uri, r.text]),
    [['file:///etc/pmta/a.conf', '<virtual-mta a>\n</virtual-mta>\n']],
  );
  assert.deepEqual(
    m.lookup('virtual-mta', 'A').map((d) => d.uri),
    ['file:///etc/pmta/a.conf'],
  );
});

test('includes are followed in document order, a glob in the order the host lists its files, depth first', () => {
  const host = memoryHost({
    'file:///etc/pmta/conf.d/b.conf': 'include /etc/pmta/nested.conf\n<virtual-mta x>\n</virtual-mta>\n',
    'file:///etc/pmta/conf.d/a.conf': '<virtual-mta x>\n</virtual-mta>\n',
    'file:///etc/pmta/conf.d/c.txt': 'not matched',
    'file:///etc/pmta/nested.conf': '<virtual-mta x>\n</virtual-mta>\n',
    'file:///etc/pmta/last.conf': '<virtual-mta x>\n</virtual-mta>\n',
  });
  const m = build('include conf.d/*.conf\ninclude /etc/pmta/last.conf\n<virtual-mta x>\n</virtual-mta>\n', host);
  assert.deepEqual(outcome(m), ['conf.d/*.conf -> a.conf b.conf', '/etc/pmta/last.conf -> last.conf']);
  assert.deepEqual(host.reads, [
    'file:///etc/pmta/conf.d/a.conf',
    'file:///etc/pmta/conf.d/b.conf',
    'file:///etc/pmta/nested.conf',
    'file:///etc/pmta/last.conf',
  ]);
  assert.deepEqual(
    m.allModels().map((x) => x.uri),
    [
      ROOT,
      'file:///etc/pmta/conf.d/a.conf',
      'file:///etc/pmta/conf.d/b.conf',
      'file:///etc/pmta/nested.conf',
      'file:///etc/pmta/last.conf',
    ],
  );
  // definitions come in the same order: this file's, then the included files' in turn
  assert.deepEqual(
    m.lookup('virtual-mta', 'x').map((d) => d.uri.slice(d.uri.lastIndexOf('/') + 1)),
    ['config', 'a.conf', 'b.conf', 'nested.conf', 'last.conf'],
  );
});

test('a file included twice is read and built once', () => {
  const host = memoryHost({
    'file:///etc/pmta/a.conf': 'include b.conf\n',
    'file:///etc/pmta/b.conf': 'max-smtp-out 1\n',
  });
  const m = build('include a.conf\ninclude b.conf\ninclude /etc/pmta/b.conf\n', host);
  assert.deepEqual(outcome(m), ['a.conf -> a.conf', 'b.conf -> b.conf', '/etc/pmta/b.conf -> b.conf']);
  assert.deepEqual(host.reads, ['file:///etc/pmta/a.conf', 'file:///etc/pmta/b.conf']);
  const b = m.includes[1].resolved[0];
  assert.equal(m.includes[0].resolved[0].includes[0].resolved[0], b);
  assert.equal(m.includes[2].resolved[0], b);
});

test('cycles are cut where they close, with the chain of file names', () => {
  const host = memoryHost({
    'file:///etc/pmta/a.conf': 'include b.conf\n',
    'file:///etc/pmta/b.conf': 'include config\ninclude a.conf\ninclude c.conf\n',
    'file:///etc/pmta/c.conf': '',
    [ROOT]: 'never read: the open text is used',
  });
  const m = build('include a.conf\ninclude config\n', host);
  assert.deepEqual(outcome(m), ['a.conf -> a.conf', 'config -> | include cycle: config → config']);
  const b = m.includes[0].resolved[0].includes[0].resolved[0];
  assert.deepEqual(outcome(b), [
    'config -> | include cycle: config → a.conf → b.conf → config',
    'a.conf -> | include cycle: config → a.conf → b.conf → a.conf',
    'c.conf -> c.conf',
  ]);
  assert.ok(!host.reads.includes(ROOT));
});

test('a file that includes itself is a cycle, whichever way its URI is spelled', () => {
  // VS Code escapes the colon after the drive letter, in upper case; the host spells it plainly
  const uri = 'file:///C%3A/pmta/self.conf';
  const host: IncludeHost = {
    resolveInclude: () => ['file:///c:/pmta/self.conf'],
    readFile: () => 'include self.conf\n',
  };
  const m = new Model(doc('include self.conf\n', uri), { host });
  assert.deepEqual(outcome(m), ['self.conf -> | include cycle: self.conf → self.conf']);
});

test('what cannot be followed says why', () => {
  const files: Record<string, string> = { 'file:///etc/pmta/ok.conf': '' };
  const base = memoryHost(files);
  const host: IncludeHost = {
    resolveInclude(from, p, access) {
      if (p === 'denied.conf') throw new Error('outside the workspace folders');
      if (p === 'unreadable.conf') return ['file:///etc/pmta/unreadable.conf'];
      if (p === 'throws.conf') return ['file:///etc/pmta/throws.conf'];
      return base.resolveInclude(from, p, access);
    },
    readFile(uri, access) {
      if (uri.endsWith('throws.conf')) throw new Error('EACCES');
      return base.readFile(uri, access);
    },
  };
  const m = build(
    'include missing.conf\ninclude conf.d/*.conf\ninclude denied.conf\ninclude unreadable.conf\ninclude throws.conf\ninclude ok.conf\n',
    host,
  );
  assert.deepEqual(outcome(m), [
    'missing.conf -> | no file found for "missing.conf"',
    'conf.d/*.conf -> | no file found for "conf.d/*.conf"',
    'denied.conf -> | cannot resolve: outside the workspace folders',
    'unreadable.conf -> | cannot read file:///etc/pmta/unreadable.conf',
    'throws.conf -> | cannot read file:///etc/pmta/throws.conf',
    'ok.conf -> ok.conf',
  ]);
  assert.equal(m.hasUnresolvedIncludes, true);
});

test('URLs, network shares and placeholders are skipped without asking the host', () => {
  const host = memoryHost({});
  let asked = 0;
  const counting: IncludeHost = {
    resolveInclude: (f, p, a) => (asked++, host.resolveInclude(f, p, a)),
    readFile: (u, a) => host.readFile(u, a),
  };
  const m = build(
    'include https://example.com/x.conf\ninclude //server/share/a.conf\ninclude \\\\server\\share\\b.conf\ninclude {{include_path}}\ninclude __INCLUDE__\ninclude file:///etc/pmta/none.conf\n',
    counting,
  );
  assert.deepEqual(outcome(m), [
    'https://example.com/x.conf -> skipped',
    '//server/share/a.conf -> skipped',
    '\\\\server\\share\\b.conf -> skipped',
    '{{include_path}} -> skipped',
    '__INCLUDE__ -> skipped',
    'file:///etc/pmta/none.conf -> | no file found for "file:///etc/pmta/none.conf"',
  ]);
  assert.equal(asked, 1);
});

test('without a host, or with includes turned off, nothing is followed and every include is skipped', () => {
  const host = memoryHost({ 'file:///etc/pmta/a.conf': '' });
  assert.deepEqual(outcome(new Model(doc('include a.conf\n', ROOT))), ['a.conf -> skipped']);
  assert.deepEqual(outcome(build('include a.conf\n', host, { resolveIncludes: false })), ['a.conf -> skipped']);
  assert.deepEqual(host.reads, []);
  assert.equal(new Model(doc('include a.conf\n', ROOT)).hasUnresolvedIncludes, true);
});

test('the host is asked with the including file and the access the build allows', () => {
  const seen: Array<[string, string, IncludeAccess | undefined]> = [];
  const host: IncludeHost = {
    resolveInclude(from, p, access) {
      seen.push([from, p, access]);
      return p === 'a.conf' ? ['file:///etc/pmta/sub/a.conf'] : [];
    },
    readFile: (uri) => (uri.endsWith('a.conf') ? 'include b.conf\n' : undefined),
  };
  build('include a.conf\n', host, { workspaceOnly: true });
  assert.deepEqual(seen, [
    [ROOT, 'a.conf', { workspaceOnly: true }],
    ['file:///etc/pmta/sub/a.conf', 'b.conf', { workspaceOnly: true }],
  ]);
  seen.length = 0;
  build('include nothing.conf\n', host);
  assert.deepEqual(seen, [[ROOT, 'nothing.conf', { workspaceOnly: false }]]);
});

test('includes nested deeper than 8 levels are not followed', () => {
  const files: Record<string, string> = {};
  for (let i = 1; i <= 10; i++) files[`file:///etc/pmta/f${i}.conf`] = i < 10 ? `include f${i + 1}.conf\n` : '';
  const m = build('include f1.conf\n', memoryHost(files));
  const chain = m.allModels();
  assert.deepEqual(
    chain.map((x) => x.uri.slice(x.uri.lastIndexOf('/') + 1)),
    ['config', 'f1.conf', 'f2.conf', 'f3.conf', 'f4.conf', 'f5.conf', 'f6.conf', 'f7.conf', 'f8.conf'],
  );
  assert.deepEqual(outcome(chain[8]), ['f9.conf -> | includes nested deeper than 8 levels are not followed']);
});

test('at most 256 included files are read; the include that passes the bound says so', () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 300; i++) files[`file:///etc/pmta/conf.d/f${String(i).padStart(3, '0')}.conf`] = '';
  const host = memoryHost(files);
  const m = build('include conf.d/*.conf\n', host);
  assert.equal(host.reads.length, 256);
  assert.equal(m.includes[0].resolved.length, 256);
  assert.equal(m.includes[0].resolved[255].uri, 'file:///etc/pmta/conf.d/f255.conf');
  assert.equal(m.includes[0].error, 'more than 256 included files; the rest are not followed');
});

test('open files stand in for the files on disk: their models, their texts, models of an earlier build', () => {
  const files: Record<string, string> = {
    'file:///etc/pmta/a.conf': 'on disk a\n',
    'file:///etc/pmta/b%20c.conf': 'on disk b\n',
    'file:///etc/pmta/d.conf': 'on disk d\n',
    'file:///etc/pmta/e.conf': 'include d.conf\n',
  };
  const host = memoryHost(files);
  const aOpen = new Model(doc('<virtual-mta open-a>\n</virtual-mta>\n', 'file:///etc/pmta/a.conf'));
  const first = build('include d.conf\ninclude e.conf\n', host);
  const d = first.includes[0].resolved[0];
  host.reads.length = 0;
  const m = build('include a.conf\ninclude b%20c.conf\ninclude d.conf\ninclude e.conf\n', host, {
    overlay: new Map([[fileKey('file:///etc/pmta/a.conf'), aOpen]]),
    openTexts: new Map([[fileKey('file:///etc/pmta/b%20c.conf'), 'unsaved b\n']]),
    reuse: new Map([
      ['file:///etc/pmta/d.conf', d],
      ['file:///etc/pmta/e.conf', first.includes[1].resolved[0]],
    ]),
  });
  assert.equal(m.includes[0].resolved[0], aOpen);
  assert.equal(m.includes[1].resolved[0].text, 'unsaved b\n');
  // the same text, including nothing: the model of the earlier build
  assert.equal(m.includes[2].resolved[0], d);
  // e.conf includes a file: built again, from the text read again
  assert.notEqual(m.includes[3].resolved[0], first.includes[1].resolved[0]);
  assert.deepEqual(host.reads, ['file:///etc/pmta/d.conf', 'file:///etc/pmta/e.conf']);
  // a changed file is not taken over
  files['file:///etc/pmta/d.conf'] = 'changed\n';
  const again = build('include d.conf\n', host, { reuse: new Map([['file:///etc/pmta/d.conf', d]]) });
  assert.equal(again.includes[0].resolved[0].text, 'changed\n');
});

test('the previous tree of the document is not passed on to the files it includes', () => {
  // a.conf starts with the lines the document starts with: given the document's previous tree, its
  // parse would take them over from it
  const common = 'max-smtp-out 1\nmax-msg-rate 1/s\n# c\n';
  const host = memoryHost({ 'file:///etc/pmta/a.conf': common + 'max-smtp-out 2\n' });
  const v1 = build(common + 'include a.conf\n', host);
  const first = v1.tree.lines[0];
  const v2 = build(common + 'include a.conf\n# edited\n', host, { previous: v1.tree });
  assert.equal(v2.tree.lines[0], first, 'the document takes its first line over');
  const a = v2.includes[0].resolved[0];
  assert.notEqual(a.tree.lines[0], first, 'the included file parses its own');
  assert.deepEqual(
    a.tree.lines.map((l) => l.line),
    [0, 1, 2, 3],
  );
});

test('followIncludes works on any model type through the build function it is given', () => {
  type Fake = { text: string; includes: Followed<Fake>[]; uri: string };
  const built: string[] = [];
  const host = memoryHost({ 'file:///x/a.conf': 'A', 'file:///x/b.conf': 'B' });
  const includes: Followed<Fake>[] = [
    { path: 'a.conf', resolved: [], skipped: true },
    { path: '*.conf', resolved: [], skipped: true },
  ];
  const st = startBuild<Fake>({});
  followIncludes<Fake>('file:///x/main', includes, { host }, st, (d) => {
    built.push(d.uri);
    return { text: d.getText(), includes: [], uri: d.uri };
  });
  assert.deepEqual(built, ['file:///x/a.conf', 'file:///x/b.conf']);
  assert.deepEqual(
    includes.map((i) => i.resolved.map((r) => r.text)),
    [['A'], ['A', 'B']],
  );
  assert.equal(st.count, 2);
  assert.deepEqual(st.stack, []);
});
