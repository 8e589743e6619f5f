/** The browser's include host (server/src/hosts/webHost.ts): lookups by URI, what it asks the client for, and when. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WebIncludeHost, type FileReader } from '../../server/src/hosts/webHost';

const W = 'vscode-vfs://github/acme/mail';

/** A host over `open` documents and a client holding `disk`; `asked` lists what the client was asked, in order. */
function setup(disk: Record<string, string>, open: Record<string, string> = {}) {
  const host = new WebIncludeHost(
    (u) => open[u],
    () => Object.keys(open),
  );
  host.setWorkspace([W]);
  const asked: string[] = [];
  const reader: FileReader = {
    readFiles: async (uris) => {
      asked.push(...uris);
      return uris.map((u) => disk[u] ?? null);
    },
    readDirectory: async (uri) => {
      asked.push(`dir ${uri}`);
      const names = Object.keys(disk)
        .filter((u) => u.startsWith(uri) && !u.slice(uri.length).includes('/'))
        .map((u) => decodeURIComponent(u.slice(uri.length)));
      return names.length ? names : null;
    },
  };
  return { host, asked, reader };
}

test('web host: a relative include is found after one fetch; a missing one is asked for once', async () => {
  const { host, asked, reader } = setup({ [`${W}/pmta/conf.d/a.conf`]: 'A' });
  const from = `${W}/pmta/config`;
  assert.deepEqual(host.resolveInclude(from, 'conf.d/a.conf'), []);
  assert.equal(host.pending, true);
  assert.equal(await host.readThrough(reader), true);
  assert.deepEqual(host.resolveInclude(from, 'conf.d/a.conf'), [`${W}/pmta/conf.d/a.conf`]);
  assert.equal(host.readFile(`${W}/pmta/conf.d/a.conf`), 'A');
  // every candidate of the lookup in one request, as the Node host would try them (a round trip costs more than a miss)
  assert.deepEqual(asked, [`${W}/pmta/conf.d/a.conf`, `${W}/pmta/a.conf`, `${W}/conf.d/a.conf`, `${W}/a.conf`]);

  assert.deepEqual(host.resolveInclude(from, 'conf.d/missing.conf'), []);
  assert.equal(await host.readThrough(reader), false); // asked, nothing found
  assert.deepEqual(host.resolveInclude(from, 'conf.d/missing.conf'), []);
  assert.equal(host.pending, false); // remembered as missing: not asked again
  host.forget();
  host.resolveInclude(from, 'conf.d/missing.conf');
  assert.equal(host.pending, true);
});

test('web host: an absolute path is found by its trailing parts inside the workspace, never asked for outside it', async () => {
  const { host, asked, reader } = setup({
    [`${W}/pmta/conf.d/b.conf`]: 'B',
    [`${W}/pmta/conf.d/a.conf`]: 'A',
    [`${W}/pmta/conf.d/notes.txt`]: 'x',
  });
  const from = `${W}/pmta/config`;
  host.resolveInclude(from, '/etc/pmta/conf.d/*.conf');
  await host.readThrough(reader);
  assert.deepEqual(host.resolveInclude(from, '/etc/pmta/conf.d/*.conf'), [
    `${W}/pmta/conf.d/a.conf`,
    `${W}/pmta/conf.d/b.conf`,
  ]);
  assert.ok(asked.includes(`dir ${W}/pmta/conf.d/`), asked.join('\n'));
  assert.ok(
    asked.every((u) => u.replace(/^dir /, '').startsWith(`${W}/`)),
    asked.join('\n'),
  );
});

test('web host: open documents are found without asking, with their text; names with spaces are encoded as VS Code does', () => {
  const open = { [`${W}/pmta/conf.d/my%20ips.conf`]: 'open text', 'untitled:Untitled-1': 'x' };
  const { host } = setup({}, open);
  const from = `${W}/pmta/config`;
  assert.deepEqual(host.resolveInclude(from, 'conf.d/my ips.conf'), [`${W}/pmta/conf.d/my%20ips.conf`]);
  assert.equal(host.readFile(`${W}/pmta/conf.d/my%20ips.conf`), 'open text');
  assert.equal(host.pending, false);
  // a file outside the workspace is found only when open, never asked for
  const closed = setup({ 'vscode-vfs://github/etc/pmta/x.conf': 'X' });
  assert.deepEqual(closed.host.resolveInclude('vscode-vfs://github/etc/pmta/config', '/etc/pmta/x.conf'), []);
  assert.equal(closed.host.pending, false);
  const opened = setup({}, { 'vscode-vfs://github/etc/pmta/x.conf': 'X' });
  assert.deepEqual(opened.host.resolveInclude('vscode-vfs://github/etc/pmta/config', '/etc/pmta/x.conf'), [
    'vscode-vfs://github/etc/pmta/x.conf',
  ]);
  // a URI without a path hierarchy (untitled:) includes nothing
  assert.deepEqual(host.resolveInclude('untitled:Untitled-1', 'conf.d/my ips.conf'), []);
});

test('web host: a client that fails or answers nonsense counts as "missing", so the lookup ends', async () => {
  const { host } = setup({});
  const broken: FileReader = {
    readFiles: async () => {
      throw new Error('offline');
    },
    readDirectory: async () => 42 as unknown as string[],
  };
  host.resolveInclude(`${W}/config`, 'conf.d/*.conf');
  host.resolveInclude(`${W}/config`, 'a.conf');
  assert.equal(await host.readThrough(broken), false);
  assert.equal(host.pending, false);
  assert.deepEqual(host.resolveInclude(`${W}/config`, 'a.conf'), []);
  assert.equal(host.pending, false);
});

test('web host: the configurations near a file are found through the client, inside its workspace folder only', async () => {
  const disk = {
    [`${W}/srv/pmta/config`]: 'include /etc/pmta/conf.d/*.conf\n',
    [`${W}/srv/pmta/notes.txt`]: 'include x\n', // not a configuration's name
    [`${W}/srv/pmta/conf.d/b.conf`]: '<domain x>\n</domain>\n', // includes nothing
    [`${W}/srv/pmta/conf.d/a.conf`]: '',
    [`${W}/top.conf`]: 'include srv/pmta/config\n', // four folders up from conf.d/a.conf: too far
    [`${W}/srv/x.pmta`]: 'include y\n', // three folders up: found
  };
  const { host, asked, reader } = setup(disk);
  const uri = `${W}/srv/pmta/conf.d/a.conf`;
  assert.deepEqual(host.nearbyConfigs(uri), []);
  while (host.pending) await host.readThrough(reader);
  assert.deepEqual(host.nearbyConfigs(uri), []); // the folders were listed; now the files are wanted
  while (host.pending) await host.readThrough(reader);
  assert.deepEqual(
    host.nearbyConfigs(uri).map((c) => c.uri),
    [`${W}/srv/pmta/config`, `${W}/srv/x.pmta`],
  );
  assert.equal(host.nearbyConfigs(uri)[0].text, 'include /etc/pmta/conf.d/*.conf\n');
  assert.deepEqual(asked, [
    `dir ${W}/srv/pmta/conf.d/`,
    `dir ${W}/srv/pmta/`,
    `dir ${W}/srv/`,
    `${W}/srv/pmta/conf.d/b.conf`,
    `${W}/srv/pmta/config`,
    `${W}/srv/x.pmta`,
  ]);
  // outside every workspace folder: nothing is looked for
  const outside = setup(disk);
  assert.deepEqual(outside.host.nearbyConfigs('vscode-vfs://github/other/x.conf'), []);
  assert.equal(outside.host.pending, false);
});

test('web host: a glob that names only the including file, by its pattern alone, is passed over, as on Node', async () => {
  // from conf.d/sub/c.conf, the first candidate of /x/pmta/conf.d/*.conf that names a file is
  // conf.d/sub/*.conf, which holds only c.conf itself: the file pattern alone in c.conf's folder (sub,
  // not conf.d), a guess from the pattern only, passed over; so the lookup goes on to
  // pmta/conf.d/c.conf, found by a later candidate
  const { host, reader } = setup({ [`${W}/conf.d/sub/c.conf`]: 'C', [`${W}/pmta/conf.d/c.conf`]: 'P' });
  const from = `${W}/conf.d/sub/c.conf`;
  while ((host.resolveInclude(from, '/x/pmta/conf.d/*.conf'), host.pending)) await host.readThrough(reader);
  assert.deepEqual(host.resolveInclude(from, '/x/pmta/conf.d/*.conf'), [`${W}/pmta/conf.d/c.conf`]);
});

test('web host: a wildcard that matches the including file is a cycle at the path as written and where a folder was matched', async () => {
  const from = `${W}/pmta/conf.d/a.conf`;
  const files = { [from]: 'A', [`${W}/pmta/conf.d/b.conf`]: 'B' };
  const resolve = async (include: string) => {
    const { host, reader } = setup(files);
    while ((host.resolveInclude(from, include), host.pending)) await host.readThrough(reader);
    return host.resolveInclude(from, include);
  };
  // relative to the including file: as written
  assert.deepEqual(await resolve('*.conf'), [from, `${W}/pmta/conf.d/b.conf`]);
  // /etc/pmta/conf.d/*.conf: conf.d/*.conf matched below pmta, a folder's name with the files
  assert.deepEqual(await resolve('/etc/pmta/conf.d/*.conf'), [from, `${W}/pmta/conf.d/b.conf`]);
  // /nowhere/*.conf: only the file pattern, in a.conf's own folder
  assert.deepEqual(await resolve('/nowhere/*.conf'), [`${W}/pmta/conf.d/b.conf`]);
});
