/** The Node server's command line (server/src/server/commandLine.ts); the server run with it: test/lsp/server.test.ts. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cacheDirOf, serverCommand } from '../../server/src/server/commandLine';

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
