/**
 * dist/server.js, the file editors start: it loads the language server (dist/server-main.js, built from
 * node.ts) and runs it with the command line it was given.
 *
 * It loads the server through V8's code cache, kept in the user's cache folder ({@link defaultCacheDir})
 * or the folder `--cache-dir=DIR` names (`--no-cache-dir`: none): V8 then skips parsing and compiling
 * the functions a previous start compiled, and the first diagnostics of a fresh server come about 10 ms
 * sooner (docs/performance.md). A cache by default, since the editors that start the server as the
 * README says pass no option for it (Node 22 caches its modules' code in a temporary folder by default;
 * a folder of the user's own is safer, since the server runs the code it finds there). For the same
 * reason a folder or a cache file of another user, or one others may write to, is not used at all
 * ({@link mayUseCache}). The cache is written once, a moment after the first document has been
 * analysed (so that it holds the functions the analysis and the first requests use) or when the server
 * exits before that, when there was none or V8 refused it. Its name holds a hash of the server's code,
 * Node's version and the processor's kind: an update of the server or of Node makes a new one. The
 * caches of other versions are removed when one is written, once unused for a week: a cache in use has
 * its time refreshed (at most once a day), so that two versions started from the same folder (an
 * editor's and one installed apart) keep theirs instead of each deleting the other's. V8 checks its own
 * version and options and refuses a cache made under others. It is written
 * to a file of its own, then renamed, so that two servers starting at once never read half a file. The
 * VS Code extension gives its private storage folder. A cache that cannot be read or written (no home
 * folder, a read-only one) only costs the time it would have saved.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vm from 'vm';
import { cacheDirOf } from './commandLine';
import type { ServerHooks } from './node';

type Main = (argv: readonly string[], hooks?: ServerHooks) => void;

/** The server itself, next to this file once bundled. */
const MAIN = path.join(__dirname, 'server-main.js');

/** How long after the first analysis the cache is written: the requests that follow it are in it too. */
export const CACHE_DELAY_MS = 1000;

/** A cache of another version unused this long is removed when a cache is written. */
const CACHE_UNUSED_MS = 7 * 24 * 3600 * 1000;

/** A cache in use whose time is older than this has it refreshed. */
const CACHE_REFRESH_MS = 24 * 3600 * 1000;

/**
 * The user's cache folder for the server: `pmta-lsp` in `$XDG_CACHE_HOME` (when absolute, as the XDG
 * specification wants it) or `~/.cache` on Linux and the other Unix systems, in `~/Library/Caches` on
 * macOS, `pmta-lsp\Cache` in `%LOCALAPPDATA%` on Windows; undefined without a home folder.
 */
export function defaultCacheDir(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform,
  home: string | undefined,
): string | undefined {
  if (platform === 'win32') {
    const local = env.LOCALAPPDATA || (home ? path.win32.join(home, 'AppData', 'Local') : undefined);
    return local ? path.win32.join(local, 'pmta-lsp', 'Cache') : undefined;
  }
  if (platform === 'darwin') return home ? path.posix.join(home, 'Library', 'Caches', 'pmta-lsp') : undefined;
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && path.posix.isAbsolute(xdg)) return path.posix.join(xdg, 'pmta-lsp');
  return home ? path.posix.join(home, '.cache', 'pmta-lsp') : undefined;
}

/** The home folder, or undefined when the system has none for this user. */
function homeDir(): string | undefined {
  try {
    return os.homedir() || undefined;
  } catch {
    return undefined;
  }
}

/** The cache file for `source` in `dir`. */
function cacheFile(dir: string, source: string): string {
  const key = crypto
    .createHash('sha256')
    .update(source)
    .update('\0' + process.version + '\0' + process.arch)
    .digest('hex')
    .slice(0, 32);
  return path.join(dir, `server-${key}.v8cache`);
}

/**
 * Runs the CommonJS module `file` (its text `source`) through V8's code cache in `dir`, and returns its
 * exports and, when there was no cache or V8 refused it, a function that writes one.
 */
function loadCached(
  file: string,
  source: string,
  dir: string,
  target: string,
  mtimeMs: number | undefined,
): { exports: unknown; keep?: () => void } {
  let cachedData: Buffer | undefined;
  try {
    cachedData = fs.readFileSync(target);
  } catch {
    // none yet (or unreadable): compiled as usual
  }
  // the module wrapper of Node, on the first line: the line numbers of the file stay as they are
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) { ${source}\n})`, {
    filename: file,
    cachedData,
  });
  const mod = { exports: {} as unknown };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run.call(mod.exports, mod.exports, require, mod, file, path.dirname(file));
  const needed = !cachedData || script.cachedDataRejected === true;
  if (!needed && mtimeMs !== undefined && Date.now() - mtimeMs > CACHE_REFRESH_MS) markUsed(target);
  return { exports: mod.exports, keep: needed ? () => writeCache(dir, target, script.createCachedData()) : undefined };
}

/** Sets a cache's time to now: in use, not to be removed as another version's. */
function markUsed(target: string): void {
  try {
    const now = new Date();
    fs.utimesSync(target, now, now);
  } catch {
    // read-only: the cache may be removed by another version's server after a week, and written again
  }
}

/** Writes the cache to a file of its own, renames it into place, and removes the caches of other versions unused for a week. */
function writeCache(dir: string, target: string, data: Buffer): void {
  const tmp = `${target}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(tmp, data, { mode: 0o600 });
    fs.renameSync(tmp, target);
  } catch {
    fs.rmSync(tmp, { force: true });
    return;
  }
  try {
    for (const name of fs.readdirSync(dir)) {
      const file = path.join(dir, name);
      if (!/^server-[0-9a-f]{32}\.v8cache$/.test(name) || file === target) continue;
      const st = fs.statSync(file, { throwIfNoEntry: false });
      if (st && Date.now() - st.mtimeMs > CACHE_UNUSED_MS) fs.rmSync(file, { force: true });
    }
  } catch {
    // the new cache is in place; an old one left behind is only a file
  }
}

/**
 * Whether the code cache in a folder (and the file in it, when there is one) may be used: V8 takes a
 * cache as trusted code, so on a system with owners both must belong to the user running the server
 * and be writable by no one else. (A server started with sudo may keep the HOME of the user who ran
 * it: that user's cache folder is not root's to run.) `stats` is the folder's, then the file's;
 * undefined for what does not exist yet. Windows has no owners here: true.
 */
export function mayUseCache(stats: ReadonlyArray<fs.Stats | undefined>, uid: number | undefined): boolean {
  if (uid === undefined) return true;
  return stats.every((st) => st === undefined || (st.uid === uid && (st.mode & 0o022) === 0));
}

/** The folder's and the cache file's stats (undefined for what does not exist), or undefined when they cannot be read. */
function cacheStats(dir: string, file: string): Array<fs.Stats | undefined> | undefined {
  try {
    return [fs.statSync(dir, { throwIfNoEntry: false }), fs.statSync(file, { throwIfNoEntry: false })];
  } catch {
    return undefined;
  }
}

/** Where the code cache is read from and written to, or undefined when there is to be none. */
function cacheOf(
  argv: readonly string[],
): { dir: string; source: string; target: string; mtimeMs: number | undefined } | undefined {
  const named = cacheDirOf(argv, defaultCacheDir(process.env, process.platform, homeDir()));
  if (named === undefined) return undefined;
  const source = readText(MAIN);
  if (source === undefined) return undefined;
  const dir = path.resolve(named);
  const target = cacheFile(dir, source);
  const stats = cacheStats(dir, target);
  // a folder (or a cache) of another user, or one others may write to: no cache at all
  if (!stats || !mayUseCache(stats, process.getuid?.())) return undefined;
  return { dir, source, target, mtimeMs: stats[1]?.mtimeMs };
}

function boot(): void {
  const argv = process.argv.slice(2);
  const cache = cacheOf(argv);
  if (!cache) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require(MAIN) as { main: Main }).main(argv);
    return;
  }
  const loaded = loadCached(MAIN, cache.source, cache.dir, cache.target, cache.mtimeMs);
  // once, and only when the cache is to be written: a second after the first analysis, or when the
  // server exits before that (an editor opened on one file and closed at once would otherwise never
  // get a cache)
  let keep = loaded.keep;
  let scheduled = false;
  const writeNow = () => {
    const write = keep;
    keep = undefined;
    write?.();
  };
  (loaded.exports as { main: Main }).main(argv, {
    analysed: () => {
      if (!keep || scheduled) return;
      scheduled = true;
      setTimeout(writeNow, CACHE_DELAY_MS).unref();
      process.once('exit', writeNow);
    },
  });
}

/** The text of a file, or undefined when it cannot be read (then `require` says why). */
function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

if (require.main === module) boot();
