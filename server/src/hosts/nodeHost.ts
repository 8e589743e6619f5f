/**
 * File access for `include` directives on Node (used by the server and the CLI, never by the
 * pure service). PowerMTA configs name absolute paths (`include /etc/pmta/conf.d/*.conf`); a
 * checkout rarely lives there, so a path that does not exist is also looked for relative to the
 * including file: the longest trailing part of the path that exists below the including file's
 * folder or its parents wins (so `/etc/pmta/conf.d/x.conf` finds `./conf.d/x.conf`). Wildcards in the
 * file name are PowerMTA's (glob.ts).
 *
 * Only regular files are read (not devices or pipes), up to 16 MB (or the limit it is made with), without losing a byte that is not
 * UTF-8 (util/encoding.ts: the CLI reads the files it is given the same way). When includes are limited to the
 * workspace (an untrusted workspace, or `includes.workspaceOnly`), a file whose real path (symbolic
 * links followed) is outside every workspace folder is neither listed nor read. Nothing here touches
 * the network or runs anything. Shaped like the browser's host (webHost.ts), which has no counterpart
 * of {@link NodeIncludeHost.keyInfo}: DKIM key files are found the same way and read by dkimKey.ts.
 */
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import type { IncludeAccess, KeyInfo, WorkspaceIncludeHost } from './includeHost';
import { keyFileInfo } from './dkimKey';
import { globToRegExp, hasGlob } from './glob';
import { decodeBytes } from '../util/encoding';
import {
  CONFIG_NAME,
  INCLUDE_LINE,
  NEARBY_FILES_PER_FOLDER,
  NEARBY_LEVELS,
  NEARBY_LEVELS_NO_WORKSPACE,
  NEARBY_MAX_BYTES,
  NEARBY_MAX_TOTAL_BYTES,
  searchBound,
  type NearbyConfig,
} from './nearby';

const OUTSIDE =
  'the file is outside the workspace folders, and includes are limited to them (untrusted workspace or pmta.includes.workspaceOnly)';

/** Bytes of included texts kept at most ({@link NodeIncludeHost.readFile}); past that, the cache starts again empty. */
const MAX_CACHED_BYTES = 64 * 1024 * 1024;

/** Larger files are not read ({@link NodeIncludeHost.readFile}), unless the host is made with another limit. */
const MAX_FILE_BYTES = 16 * 1024 * 1024;

export class NodeIncludeHost implements WorkspaceIncludeHost {
  /** The files not read because they are larger than the limit: their URIs and sizes in bytes. */
  readonly oversized = new Map<string, number>();
  /** Real paths of the workspace folders. */
  private folders: string[] = [];
  /** Includes are limited to the workspace folders whatever the settings say (an untrusted workspace). */
  private alwaysLimited = false;
  /**
   * The texts of included files last read, by path, with the modification time and size they had: a file
   * that did not change is not read again each time its configuration is built (each pause in typing).
   * The strings are those the models hold, so keeping them costs nothing more while the models live.
   */
  private texts = new Map<string, { mtimeMs: number; size: number; text: string }>();
  private cachedBytes = 0;

  /** @param maxFileBytes larger files are not read, and are noted in {@link oversized} (pmta-lint reports them) */
  constructor(private maxFileBytes = MAX_FILE_BYTES) {}

  /**
   * The workspace folders (file URIs or paths) and whether the workspace is trusted: when it is not,
   * included files are read only inside those folders, whatever the settings.
   */
  setWorkspace(folders: readonly string[], trusted: boolean): void {
    this.folders = folders
      // file: URIs and paths; another scheme (a virtual workspace's vscode-vfs:) names no folder on this disk
      .map((f) => (f.startsWith('file:') ? toPath(f) : /^[a-z][a-z0-9+.-]+:\/\//i.test(f) ? undefined : f))
      .filter((f): f is string => !!f)
      .map((f) => realPath(f));
    this.alwaysLimited = !trusted;
  }

  /** Forget the texts read (files changed on disk: one rewritten within the same millisecond with the same size would not show). */
  forget(): void {
    this.texts.clear();
    this.cachedBytes = 0;
  }

  resolveInclude(fromUri: string, includePath: string, access?: IncludeAccess): string[] {
    const limit = this.limited(access);
    let outside = false;
    const self = toPath(fromUri);
    const bare = self && bareName(self, includePath);
    for (const c of candidates(fromUri, includePath)) {
      let files = expand(c);
      if (limit && files.length) {
        const inside = files.filter((f) => this.inWorkspace(f));
        if (inside.length < files.length) outside = true;
        files = inside;
      }
      // the including file itself among them too: following it is a cycle, which the model reports; but
      // not where only the file's own name was guessed ({@link bareName})
      if (c === bare) files = files.filter((f) => f !== self);
      if (files.length) return files.map((f) => pathToFileURL(f).toString());
    }
    if (outside) throw new Error(OUTSIDE);
    return [];
  }

  /**
   * When an include path names no file but a folder (looked for as the files are, the first candidate
   * that is one, inside the workspace folders when includes are limited to them): the path with a
   * wildcard for its files, `*.conf` when it holds some, else `*.pmta` when it holds some, else `*`.
   */
  folderPattern(fromUri: string, includePath: string, access?: IncludeAccess): string | undefined {
    if (hasGlob(includePath)) return undefined;
    const limit = this.limited(access);
    for (const c of candidates(fromUri, includePath)) {
      let names: string[];
      try {
        if (!fs.statSync(c, { throwIfNoEntry: false })?.isDirectory()) continue;
        if (limit && !this.inWorkspace(c)) return undefined;
        names = fs
          .readdirSync(c, { withFileTypes: true })
          .filter((e) => e.isFile())
          .map((e) => e.name);
      } catch {
        continue;
      }
      const ext = ['.conf', '.pmta'].find((x) => names.some((n) => n.endsWith(x)));
      const sep = includePath.includes('/') || !includePath.includes('\\') ? '/' : '\\';
      const dir = includePath.replace(/(?<=.)[\\/]+$/, '');
      return `${dir}${/[\\/]$/.test(dir) ? '' : sep}*${ext ?? ''}`;
    }
    return undefined;
  }

  readFile(uri: string, access?: IncludeAccess): string | undefined {
    const p = toPath(uri);
    if (!p) return undefined;
    if (this.limited(access) && !this.inWorkspace(p)) return undefined;
    try {
      const st = fs.statSync(p);
      if (!st.isFile()) return undefined;
      if (st.size > this.maxFileBytes) {
        this.oversized.set(uri, st.size);
        return undefined;
      }
      const hit = this.texts.get(p);
      if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.text;
      const text = readText(p);
      if (hit) this.cachedBytes -= hit.size;
      if (this.cachedBytes + st.size > MAX_CACHED_BYTES) this.forget();
      this.texts.set(p, { mtimeMs: st.mtimeMs, size: st.size, text });
      this.cachedBytes += st.size;
      return text;
    } catch {
      return undefined;
    }
  }

  /**
   * The DKIM key file a `domain-key` line of `fromUri` names: looked for as an include path is, under the
   * same access rules (outside the workspace folders when those are all that may be read: not read), then
   * inspected (dkimKey.ts). Undefined for a document that is not a file on this disk.
   */
  keyInfo(fromUri: string, keyPath: string, access?: IncludeAccess): KeyInfo | undefined {
    if (!toPath(fromUri)) return undefined;
    let found: string[];
    try {
      found = this.resolveInclude(fromUri, keyPath, access);
    } catch {
      return { exists: true, readable: false, problem: 'outside-workspace' };
    }
    const file = found.length ? toPath(found[0]) : undefined;
    return file ? keyFileInfo(file) : { exists: false, readable: false };
  }

  /**
   * The configuration files near a file that include some file (candidates for the configuration it is
   * part of): in its folder and the folders above it ({@link NEARBY_LEVELS}), never above the workspace
   * folder that holds it, unless that folder is its own (then as without a workspace: {@link searchBound}).
   * When the workspace is untrusted (or `workspaceOnly`), only files inside the
   * workspace folders are read. Only names a configuration goes by are looked at, and only regular files
   * under 2 MB, 16 MB in all.
   */
  nearbyConfigs(uri: string, access?: IncludeAccess): NearbyConfig[] {
    const file = toPath(uri);
    if (!file) return [];
    const real = realPath(file);
    const holder = this.folders
      .filter((dir) => real === dir || real.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep))
      .sort((a, b) => b.length - a.length)[0];
    const limit = this.limited(access);
    if (limit && !holder) return [];
    const home = searchBound(path.dirname(real), holder, limit);
    const out: NearbyConfig[] = [];
    let dir = path.dirname(file);
    let budget = NEARBY_MAX_TOTAL_BYTES;
    for (let level = 0, levels = home ? NEARBY_LEVELS : NEARBY_LEVELS_NO_WORKSPACE; level < levels; level++) {
      if (home && !(realPath(dir) + path.sep).startsWith(home.endsWith(path.sep) ? home : home + path.sep)) break;
      let names: string[];
      try {
        names = fs
          .readdirSync(dir)
          .filter((n) => CONFIG_NAME.test(n))
          .sort();
      } catch {
        names = [];
      }
      for (const n of names.slice(0, NEARBY_FILES_PER_FOLDER)) {
        const p = path.join(dir, n);
        if (p === file) continue;
        if (limit && !this.inWorkspace(p)) continue;
        try {
          const st = fs.statSync(p);
          if (!st.isFile() || st.size > NEARBY_MAX_BYTES || st.size > budget) continue;
          budget -= st.size;
          const text = readText(p);
          if (INCLUDE_LINE.test(text)) out.push({ uri: pathToFileURL(p).toString(), text, mtime: st.mtimeMs });
        } catch {
          // unreadable: not a candidate
        }
      }
      const up = path.dirname(dir);
      if (up === dir) break;
      dir = up;
    }
    return out;
  }

  /** The file (symbolic links followed) lies inside a workspace folder. */
  private inWorkspace(file: string): boolean {
    const real = realPath(file);
    return this.folders.some((dir) => real === dir || real.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep));
  }

  private limited(access?: IncludeAccess): boolean {
    return this.alwaysLimited || access?.workspaceOnly === true;
  }
}

/** A file's text, every byte kept: UTF-8, each other byte as its escape, no byte order mark (util/encoding.ts). */
function readText(p: string): string {
  return decodeBytes(fs.readFileSync(p)).text;
}

function realPath(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

function toPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/**
 * The candidate of an include path that is only its last part (`*.conf` of `/nowhere/*.conf`) in the
 * including file's own folder, whose name is not the folder the path names, and not the path as written:
 * a guess from the file pattern alone. A wildcard there that also matches the including file does not
 * name it (include /nowhere/*.conf in main.conf is not an include cycle); where the folder's name
 * matches (/etc/pmta/conf.d/*.conf from a file of conf.d), the configuration was moved from there, and
 * the file includes itself there as well. Undefined when there is no such candidate.
 */
function bareName(from: string, includePath: string): string | undefined {
  const parts = includePath.split(/[\\/]+/).filter(Boolean);
  if (parts.length < 2) return undefined;
  const dir = path.dirname(from);
  if (path.basename(dir) === parts[parts.length - 2]) return undefined;
  const bare = path.join(dir, parts[parts.length - 1]);
  // (the path as written may be that very folder: /etc/pmta/*.conf in /etc/pmta/config)
  return bare === path.resolve(dir, includePath) ? undefined : bare;
}

/**
 * The paths an include path may name, in the order they are looked for: the path itself when absolute,
 * or relative to the including file's folder; then its trailing parts (up to 4), longest first, below
 * that folder and up to 3 folders above it.
 */
function candidates(fromUri: string, includePath: string): string[] {
  const from = toPath(fromUri);
  const out: string[] = [];
  if (path.isAbsolute(includePath)) out.push(includePath);
  if (from) {
    const base = path.dirname(from);
    if (!path.isAbsolute(includePath)) out.push(path.resolve(base, includePath));
    const parts = includePath.split(/[\\/]+/).filter(Boolean);
    for (let up = 0, dir = base; up < 4; up++, dir = path.dirname(dir)) {
      for (let k = Math.min(parts.length, 4); k >= 1; k--) out.push(path.join(dir, ...parts.slice(parts.length - k)));
    }
  }
  return out;
}

/** The regular files a path names: itself, or the matches of the wildcards in its names, sorted. */
function expand(p: string): string[] {
  if (!hasGlob(p)) {
    try {
      // (a path that does not exist gives undefined, not an exception: most candidates do not, and a
      // thrown error, with its stack, cost a fresh server about 50 µs each)
      return fs.statSync(p, { throwIfNoEntry: false })?.isFile() ? [p] : [];
    } catch {
      return [];
    }
  }
  const dir = path.dirname(p);
  if (hasGlob(dir)) return expand(dir).flatMap((d) => expand(path.join(d, path.basename(p))));
  try {
    const re = globToRegExp(path.basename(p));
    return fs
      .readdirSync(dir)
      .filter((n) => re.test(n))
      .sort()
      .map((n) => path.join(dir, n))
      .filter((f) => {
        try {
          return fs.statSync(f, { throwIfNoEntry: false })?.isFile() === true;
        } catch {
          return false;
        }
      });
  } catch {
    return [];
  }
}
