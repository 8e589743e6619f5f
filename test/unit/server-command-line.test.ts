/** The Node server's command line (server/src/server/commandLine.ts); the server run with it: test/lsp/server.test.ts. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cacheDirOf, serverCommand } from '../../server/src/server/commandLine';
import type * as fs from 'fs';
import { defaultCacheDir, mayUseCache } from '../../server/src/server/boot';

test('command line: a transport serves, help and version win over it, nothing else is a transport', () => {
  assert.deepEqual(serverCommand(['--stdio']), { kind: 'serve' });
  assert.deepEqual(serverCommand(['--node-ipc', '--cache-dir=/x']), { kind: 'serve' });
  assert.deepEqual(serverCommand(['--socket', '5007']), { kind: 'serve' });
  assert.deepEqual(serverCommand(['--socket=0']), { kind: 'usage' });
  assert.deepEqual(serverCommand(['--stdio', '--help']), { kind: 'help' });
  assert.deepEqual(serverCommand(['--cache-dir=/x']), { kind: 'usage' });
});

test('command line: --cache-dir=DIR or --cache-dir DIR, the last one given', () => {
  assert.equal(cacheDirOf(['--stdio']), undefined);
  assert.equal(cacheDirOf(['--stdio', '--cache-dir=/home/a/cache dir']), '/home/a/cache dir');
  assert.equal(cacheDirOf(['--cache-dir', 'rel/dir', '--stdio']), 'rel/dir');
  assert.equal(cacheDirOf(['--cache-dir=a', '--cache-dir=b']), 'b');
  // no folder named: no cache
  assert.equal(cacheDirOf(['--cache-dir=']), undefined);
  assert.equal(cacheDirOf(['--cache-dir']), undefined);
  assert.equal(cacheDirOf(['--cache-dir', '--stdio']), undefined);
});

test("command line: without --cache-dir the fallback (the user's cache folder), none with --no-cache-dir, the last one wins", () => {
  assert.equal(cacheDirOf(['--stdio'], '/home/a/.cache/pmta-lsp'), '/home/a/.cache/pmta-lsp');
  assert.equal(cacheDirOf(['--stdio', '--cache-dir=/x'], '/home/a/.cache/pmta-lsp'), '/x');
  assert.equal(cacheDirOf(['--stdio', '--no-cache-dir'], '/home/a/.cache/pmta-lsp'), undefined);
  assert.equal(cacheDirOf(['--no-cache-dir', '--cache-dir=/x'], '/home/a/.cache/pmta-lsp'), '/x');
  assert.equal(cacheDirOf(['--cache-dir=/x', '--no-cache-dir'], '/home/a/.cache/pmta-lsp'), undefined);
  assert.equal(cacheDirOf(['--cache-dir='], '/f'), '/f');
});

test("the user's cache folder: XDG_CACHE_HOME or ~/.cache, ~/Library/Caches on macOS, %LOCALAPPDATA% on Windows", () => {
  assert.equal(defaultCacheDir({}, 'linux', '/home/a'), '/home/a/.cache/pmta-lsp');
  assert.equal(defaultCacheDir({ XDG_CACHE_HOME: '/var/cache/a' }, 'linux', '/home/a'), '/var/cache/a/pmta-lsp');
  // a relative XDG_CACHE_HOME is to be ignored (XDG Base Directory specification)
  assert.equal(defaultCacheDir({ XDG_CACHE_HOME: 'cache' }, 'freebsd', '/home/a'), '/home/a/.cache/pmta-lsp');
  assert.equal(defaultCacheDir({ XDG_CACHE_HOME: '/c' }, 'darwin', '/Users/a'), '/Users/a/Library/Caches/pmta-lsp');
  assert.equal(
    defaultCacheDir({ LOCALAPPDATA: 'C:\\Users\\a\\AppData\\Local' }, 'win32', 'C:\\Users\\a'),
    'C:\\Users\\a\\AppData\\Local\\pmta-lsp\\Cache',
  );
  assert.equal(defaultCacheDir({}, 'win32', 'C:\\Users\\a'), 'C:\\Users\\a\\AppData\\Local\\pmta-lsp\\Cache');
  // no home folder, no cache
  assert.equal(defaultCacheDir({}, 'linux', undefined), undefined);
  assert.equal(defaultCacheDir({}, 'win32', undefined), undefined);
  assert.equal(defaultCacheDir({ XDG_CACHE_HOME: '/c' }, 'linux', undefined), '/c/pmta-lsp');
});

test('the code cache is used only from a folder and a file of the user running the server, writable by no one else', () => {
  const st = (uid: number, mode: number) => ({ uid, mode }) as fs.Stats;
  assert.equal(mayUseCache([st(1000, 0o40700), st(1000, 0o100600)], 1000), true);
  assert.equal(mayUseCache([st(1000, 0o40755), undefined], 1000), true, 'no cache file yet');
  assert.equal(mayUseCache([undefined, undefined], 1000), true, 'no folder yet: made with mode 700');
  // sudo with another user's HOME: that user's folder is not root's to run
  assert.equal(mayUseCache([st(1000, 0o40700), st(1000, 0o100600)], 0), false);
  assert.equal(mayUseCache([st(0, 0o40700), st(1000, 0o100600)], 0), false, "another user's file");
  assert.equal(mayUseCache([st(1000, 0o40777), undefined], 1000), false, 'a folder anyone may write to');
  assert.equal(mayUseCache([st(1000, 0o40770), undefined], 1000), false, 'a folder its group may write to');
  assert.equal(mayUseCache([st(1000, 0o40700), st(1000, 0o100666)], 1000), false, 'a file others may write');
  // no owners (Windows)
  assert.equal(mayUseCache([st(0, 0o40777), undefined], undefined), true);
});
