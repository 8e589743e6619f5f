/**
 * The language server over stdio, as any LSP editor runs it: `node dist/server.js --stdio` (this suite
 * always starts the Node build; protocol.test.ts covers the handshake, document sync and every feature
 * request, on either build). Here: what bad requests and a binary document get, the command line, and
 * V8's code cache (`--cache-dir`, `--no-cache-dir`, the user's cache folder by default).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LspTestClient, SERVER_JS } from '../helpers/lspClient';
import { CACHE_DELAY_MS } from '../../server/src/server/boot';
import { ROOT } from '../helpers/util';

let client: LspTestClient;

before(async () => {
  client = await LspTestClient.start({
    script: [SERVER_JS, '--stdio'],
    initializationOptions: { settings: { rules: { 'duplicate-directive': 'off' } } },
  });
});

after(() => client?.kill());

const URI = 'file:///virtual/pmta/config';

test('bad requests get an answer, not a crash', async () => {
  await client.open(URI, '<domain example.com>\n    max-smtp-outt 5\n    retry-after soon\n</domain>\n');
  await client.waitForDiagnostics(URI, { version: 1 });
  const unknown = await client.request('textDocument/hover', {
    textDocument: { uri: 'file:///nope' },
    position: { line: 0, character: 0 },
  });
  assert.equal(unknown, null);
  const far = await client.request('textDocument/hover', {
    textDocument: { uri: URI },
    position: { line: 9999, character: 9999 },
  });
  assert.ok(far === null || typeof far === 'object');
  await assert.rejects(client.request('pmta/doesNotExist', {}));
  // binary junk as a document
  const junk = 'file:///virtual/junk.pmta';
  await client.open(junk, '\u0000\u0001\u0002'.repeat(200));
  const diags = await client.waitForDiagnostics(junk, { version: 1 });
  assert.equal(diags.length, 1);
  assert.match(String(diags[0].message), /binary/);
  // the server is still alive
  const symbols = await client.request('textDocument/documentSymbol', { textDocument: { uri: URI } });
  assert.ok(Array.isArray(symbols));
});

test('without a transport the server prints a short usage and exits 2; --help and --version answer', () => {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [SERVER_JS, ...args], { encoding: 'utf8', timeout: 30_000 });
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  for (const args of [[], ['--socket=abc'], ['--verbose']]) {
    const r = run(...args);
    assert.equal(r.status, 2, args.join(' '));
    assert.equal(r.stdout, '');
    const lines = r.stderr.split('\n');
    assert.equal(
      lines[0],
      'pmta-lsp: no transport: start the server with --stdio, --node-ipc, --socket=PORT (a port number) or --pipe=NAME',
    );
    assert.equal(lines[2], 'Usage: node server.js --stdio | --node-ipc | --socket=PORT | --pipe=NAME');
    // a usage, not the bundle's source and a stack trace
    assert.ok(r.stderr.length < 2000, `${r.stderr.length} characters`);
    assert.doesNotMatch(r.stderr, /^\s+at /m);
  }
  const help = run('--help');
  assert.equal(help.status, 0);
  assert.match(help.stdout, /^Usage: node server\.js --stdio/);
  assert.match(help.stdout, new RegExp(`pmta-lsp ${pkg.version.replace(/\./g, '\\.')}\\)`));
  assert.equal(help.stderr, '');
  const version = run('--version');
  assert.equal(version.status, 0);
  assert.equal(version.stdout, pkg.version + '\n');
  assert.equal(run('-v').stdout, pkg.version + '\n');
});

test('--cache-dir: the code cache is written after the first analysis, used by the next server, and rebuilt when V8 refuses it', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pmta-cache-test-'));
  try {
    const cacheDir = path.join(dir, 'code cache'); // made by the server, with a space in its name
    // the cache of another version of the server left by an update, unused for eight days: removed when
    // a new one is written; one of another version used yesterday (a second server started from the
    // same folder) is kept
    fs.mkdirSync(cacheDir);
    const stale = path.join(cacheDir, `server-${'0'.repeat(32)}.v8cache`);
    fs.writeFileSync(stale, 'old');
    const daysAgo = (days: number) => new Date(Date.now() - days * 24 * 3600 * 1000);
    fs.utimesSync(stale, daysAgo(8), daysAgo(8));
    const other = path.join(cacheDir, `server-${'1'.repeat(32)}.v8cache`);
    fs.writeFileSync(other, 'in use');
    fs.utimesSync(other, daysAgo(1), daysAgo(1));
    const text = '<domain example.com>\n    max-smtp-outt 5\n</domain>\n';
    // each server is shut down once `until` holds, or after `ms`
    const run = async (until: () => boolean, ms = CACHE_DELAY_MS + 5000) => {
      const c = await LspTestClient.start({ script: [SERVER_JS, '--stdio', `--cache-dir=${cacheDir}`] });
      try {
        await c.open(URI, text);
        const diags = await c.waitForDiagnostics(URI, { version: 1 });
        return diags.map((d) => `${d.code} ${d.message}`);
      } finally {
        await waitFor(until, ms);
        await c.shutdown();
      }
    };
    const first = await run(() => cacheFiles(cacheDir).length === 2 && !fs.existsSync(stale));
    assert.deepEqual(first, ['unknown-directive Unknown directive "max-smtp-outt"; did you mean "max-smtp-out"?']);
    assert.equal(fs.readFileSync(other, 'utf8'), 'in use');
    fs.rmSync(other);
    const [name] = cacheFiles(cacheDir);
    const file = path.join(cacheDir, name);
    assert.match(name, /^server-[0-9a-f]{32}\.v8cache$/);
    assert.ok(fs.statSync(file).size > 100_000, 'the cache holds the compiled server');
    if (process.platform !== 'win32') assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    // a second server reads it, and V8 takes it: nothing is written again, but a date two days old is
    // made today's (the cache is in use)
    fs.utimesSync(file, daysAgo(2), daysAgo(2));
    const bytes = fs.readFileSync(file);
    const inode = fs.statSync(file).ino;
    const written = (size: number) => () => fs.existsSync(file) && fs.statSync(file).size !== size;
    assert.deepEqual(await run(written(bytes.length), CACHE_DELAY_MS + 1000), first);
    assert.ok(fs.readFileSync(file).equals(bytes), 'a cache V8 accepted is not written again');
    assert.equal(fs.statSync(file).ino, inode, 'nor renamed into place again');
    assert.ok(Date.now() - fs.statSync(file).mtimeMs < 10 * 60 * 1000, 'its date refreshed');
    // a damaged cache: refused by V8, the server works as without one, and writes a good one
    fs.writeFileSync(file, Buffer.alloc(4096, 7));
    assert.deepEqual(await run(written(4096)), first);
    assert.ok(fs.statSync(file).size > 100_000, 'the damaged cache was replaced');
    assert.deepEqual(cacheFiles(cacheDir), [name]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('--cache-dir: a server that exits within a second of its first analysis writes the cache as it exits', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pmta-cache-test-'));
  try {
    const cacheDir = path.join(dir, 'cache');
    const text = '<domain example.com>\n    max-smtp-out 5\n</domain>\n';
    const started = Date.now();
    const c = await LspTestClient.start({ script: [SERVER_JS, '--stdio', `--cache-dir=${cacheDir}`] });
    await c.open(URI, text);
    assert.deepEqual(await c.waitForDiagnostics(URI, { version: 1 }), []);
    // shut down at once, before the cache's delay has passed
    assert.equal(await c.shutdown(), 0);
    const [name] = cacheFiles(cacheDir);
    assert.ok(name, `a cache after ${Date.now() - started} ms`);
    const file = path.join(cacheDir, name);
    assert.ok(fs.statSync(file).size > 100_000, 'the cache holds the compiled server');
    // the next server takes it: nothing is written again
    const bytes = fs.readFileSync(file);
    const next = await LspTestClient.start({ script: [SERVER_JS, '--stdio', `--cache-dir=${cacheDir}`] });
    try {
      await next.open(URI, text);
      assert.deepEqual(await next.waitForDiagnostics(URI, { version: 1 }), []);
      await new Promise((resolve) => setTimeout(resolve, CACHE_DELAY_MS + 300));
    } finally {
      await next.shutdown();
    }
    assert.ok(fs.readFileSync(file).equals(bytes), 'the cache written at exit was taken by V8');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('--cache-dir: a folder that cannot be made costs nothing but the cache', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pmta-cache-test-'));
  try {
    const notADir = path.join(dir, 'file');
    fs.writeFileSync(notADir, 'x');
    const c = await LspTestClient.start({ script: [SERVER_JS, '--stdio', '--cache-dir', path.join(notADir, 'cache')] });
    try {
      await c.open(URI, '<domain example.com>\n    max-smtp-out 5\n</domain>\n');
      assert.deepEqual(await c.waitForDiagnostics(URI, { version: 1 }), []);
      await new Promise((resolve) => setTimeout(resolve, CACHE_DELAY_MS + 300));
      // still answering
      const symbols = await c.request('textDocument/documentSymbol', { textDocument: { uri: URI } });
      assert.ok(Array.isArray(symbols) && symbols.length === 1);
      assert.deepEqual(fs.readdirSync(dir), ['file']);
    } finally {
      await c.shutdown();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("without --cache-dir the code cache goes to the user's cache folder; --no-cache-dir writes none, nor a folder others may write to", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pmta-cache-test-'));
  try {
    const text = '<domain example.com>\n    max-smtp-out 5\n</domain>\n';
    const run = async (args: string[], cacheHome: string, until: () => boolean, ms: number) => {
      const c = await LspTestClient.start({
        script: [SERVER_JS, '--stdio', ...args],
        env: { XDG_CACHE_HOME: cacheHome },
      });
      try {
        await c.open(URI, text);
        assert.deepEqual(await c.waitForDiagnostics(URI, { version: 1 }), []);
      } finally {
        await waitFor(until, ms);
        await c.shutdown();
      }
    };
    const home = path.join(dir, 'cache home');
    await run([], home, () => cacheFiles(path.join(home, 'pmta-lsp')).length === 1, CACHE_DELAY_MS + 5000);
    assert.deepEqual(fs.readdirSync(home), ['pmta-lsp']);
    assert.equal(cacheFiles(path.join(home, 'pmta-lsp')).length, 1);
    if (process.platform !== 'win32') assert.equal(fs.statSync(path.join(home, 'pmta-lsp')).mode & 0o777, 0o700);
    // --no-cache-dir: the server runs a second past its first analysis, and nothing is written
    const none = path.join(dir, 'no cache');
    await run(['--no-cache-dir'], none, () => false, CACHE_DELAY_MS + 1000);
    assert.equal(fs.existsSync(none), false);
    if (process.platform !== 'win32') {
      // a folder others may write to is not used: nothing read from it, nothing written to it
      const open = path.join(dir, 'open');
      fs.mkdirSync(path.join(open, 'pmta-lsp'), { recursive: true });
      fs.chmodSync(path.join(open, 'pmta-lsp'), 0o777);
      await run([], open, () => false, CACHE_DELAY_MS + 1000);
      assert.deepEqual(fs.readdirSync(path.join(open, 'pmta-lsp')), []);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

function cacheFiles(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.endsWith('.v8cache')) : [];
}

async function waitFor(done: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!done() && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 50));
}
