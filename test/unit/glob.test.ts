/**
 * Include wildcards (server/src/hosts/glob.ts), as PowerMTA expands them, and the two include hosts, which
 * both use them: a class such as `[ab]` finds the same files on Node (the disk) and in the browser
 * (through the client).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { globToRegExp, hasGlob } from '../../server/src/hosts/glob';
import { NodeIncludeHost } from '../../server/src/hosts/nodeHost';
import { readAllThrough, WebIncludeHost } from '../../server/src/hosts/webHost';

/** The names of `names` that `glob` matches. */
const matches = (glob: string, names: string[]) => names.filter((n) => globToRegExp(glob).test(n));

const NAMES = [
  'a.conf',
  'b.conf',
  'c.conf',
  'ab.conf',
  '.conf',
  'a.confx',
  'A.conf',
  '!.conf',
  '[.conf',
  ']a.conf',
  '-.conf',
];

test('glob: `*` stands for any run of characters, none included, never a slash', () => {
  assert.deepEqual(matches('*.conf', NAMES), [
    'a.conf',
    'b.conf',
    'c.conf',
    'ab.conf',
    '.conf',
    'A.conf',
    '!.conf',
    '[.conf',
    ']a.conf',
    '-.conf',
  ]);
  assert.deepEqual(matches('a*', NAMES), ['a.conf', 'ab.conf', 'a.confx']);
  assert.equal(globToRegExp('*.conf').test('sub/a.conf'), false);
});

test('glob: `?` stands for exactly one character (one code point), never a slash', () => {
  assert.deepEqual(matches('?.conf', NAMES), ['a.conf', 'b.conf', 'c.conf', 'A.conf', '!.conf', '[.conf', '-.conf']);
  assert.equal(globToRegExp('?.conf').test('📧.conf'), true);
  assert.equal(globToRegExp('a?b').test('a/b'), false);
});

test('glob: `[ab]` stands for one of its characters, case and all', () => {
  assert.deepEqual(matches('[ab].conf', NAMES), ['a.conf', 'b.conf']);
  assert.deepEqual(matches('[ab]*.conf', NAMES), ['a.conf', 'b.conf', 'ab.conf']);
  // a `]` right after the `[` is a member
  assert.deepEqual(matches('[]a]*.conf', NAMES), ['a.conf', 'ab.conf', ']a.conf']);
});

test('glob: `[a-c]` stands for one character of a range; a `-` at either end is itself; a range written backwards matches nothing', () => {
  assert.deepEqual(matches('[a-c].conf', NAMES), ['a.conf', 'b.conf', 'c.conf']);
  assert.deepEqual(matches('[a-].conf', NAMES), ['a.conf', '-.conf']);
  assert.deepEqual(matches('[-c].conf', NAMES), ['c.conf', '-.conf']);
  assert.deepEqual(matches('[c-a].conf', NAMES), []);
});

test('glob: `[!a]` (and `[^a]`) stands for one character outside the class, never a slash', () => {
  assert.deepEqual(matches('[!a].conf', NAMES), ['b.conf', 'c.conf', 'A.conf', '!.conf', '[.conf', '-.conf']);
  assert.deepEqual(matches('[^a].conf', NAMES), matches('[!a].conf', NAMES));
  assert.deepEqual(matches('[!a-c].conf', NAMES), ['A.conf', '!.conf', '[.conf', '-.conf']);
  assert.equal(globToRegExp('x[!a]y').test('x/y'), false);
});

test('glob: a `[` without its `]` is itself, and a name without wildcards is no glob', () => {
  assert.deepEqual(matches('[.conf', NAMES), ['[.conf']);
  assert.deepEqual(matches('[*', NAMES), ['[.conf']);
  assert.equal(hasGlob('[.conf'), false);
  assert.equal(hasGlob('a.conf'), false);
  assert.equal(hasGlob('a]b.conf'), false);
  for (const g of ['*.conf', 'a?.conf', '[ab].conf', '[!a].conf', '[.conf*']) assert.equal(hasGlob(g), true, g);
});

test('glob: regular expression characters in a name are only themselves', () => {
  const names = [
    'a+b(1).conf',
    'aab(1).conf',
    'a+b1.conf',
    'x$y^z.conf',
    'x{2}|y.conf',
    'back\\slash.conf',
    'dotXconf',
  ];
  assert.deepEqual(matches('a+b(1).conf', names), ['a+b(1).conf']);
  assert.deepEqual(matches('x$y^z.conf', names), ['x$y^z.conf']);
  assert.deepEqual(matches('x{2}|y.conf', names), ['x{2}|y.conf']);
  assert.deepEqual(matches('back\\slash.conf', names), ['back\\slash.conf']);
  assert.deepEqual(matches('dot.conf', names), []);
  assert.deepEqual(matches('*(1).conf', names), ['a+b(1).conf', 'aab(1).conf']);
  assert.deepEqual(matches('[+$].conf', ['+.conf', '$.conf', 'a.conf']), ['+.conf', '$.conf']);
});

test('include hosts: `include conf.d/[ab]*.conf` finds conf.d/a.conf and conf.d/b.conf on Node and in the browser alike', async (t) => {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pmta-glob-')));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.mkdirSync(path.join(dir, 'conf.d'));
  for (const n of ['a.conf', 'b.conf', 'c.conf', '[ab]*.conf'])
    fs.writeFileSync(path.join(dir, 'conf.d', n), `# ${n}\n`);
  const folder = pathToFileURL(dir).toString();
  const from = `${folder}/config`;
  const want = [`${folder}/conf.d/a.conf`, `${folder}/conf.d/b.conf`];

  const disk = new NodeIncludeHost();
  assert.deepEqual(disk.resolveInclude(from, 'conf.d/[ab]*.conf'), want);
  assert.deepEqual(disk.resolveInclude(from, 'conf.d/[!ab].conf'), [`${folder}/conf.d/c.conf`]);

  const web = new WebIncludeHost(
    () => undefined,
    () => [],
  );
  web.setWorkspace([folder]);
  const reader = {
    readFiles: async (uris: string[]) => uris.map((u) => disk.readFile(u) ?? null),
    readDirectory: async (uri: string) => fs.readdirSync(new URL(uri)),
  };
  web.resolveInclude(from, 'conf.d/[ab]*.conf');
  await readAllThrough(web, reader);
  assert.deepEqual(web.resolveInclude(from, 'conf.d/[ab]*.conf'), want);
  assert.deepEqual(web.resolveInclude(from, 'conf.d/[!ab].conf'), [`${folder}/conf.d/c.conf`]);
});

test('Node host: a folder an include names gets the wildcard form for its files, not when it has a wildcard or lies outside the workspace it is limited to', (t) => {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pmta-folder-')));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.mkdirSync(path.join(dir, 'srv', 'conf.d'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'srv', 'conf.d', 'a.conf'), '');
  const from = pathToFileURL(path.join(dir, 'srv', 'config')).toString();
  const host = new NodeIncludeHost();
  assert.equal(host.folderPattern(from, 'conf.d'), 'conf.d/*.conf');
  assert.equal(host.folderPattern(from, 'conf.d//'), 'conf.d/*.conf');
  assert.equal(host.folderPattern(from, 'conf.d\\'), 'conf.d\\*.conf');
  assert.equal(host.folderPattern(from, 'conf.d/a.conf'), undefined);
  assert.equal(host.folderPattern(from, 'conf*'), undefined);
  assert.equal(host.folderPattern(from, 'missing'), undefined);
  host.setWorkspace([path.join(dir, 'srv')], true);
  assert.equal(host.folderPattern(from, 'conf.d', { workspaceOnly: true }), 'conf.d/*.conf');
  host.setWorkspace([path.join(dir, 'elsewhere')], true);
  assert.equal(host.folderPattern(from, 'conf.d', { workspaceOnly: true }), undefined);
  assert.equal(host.folderPattern(from, 'conf.d'), 'conf.d/*.conf');
});
