/**
 * Included files in the browser (VS Code for the Web: vscode.dev, github.dev), where the server runs in a
 * web worker without a disk. A file is found among the open documents, else asked of the client, which
 * reads it with `vscode.workspace.fs` (requests in server/protocol.ts).
 *
 * Building a model is synchronous, reading through the client is not. So the host answers with what it
 * knows and notes what it was asked and did not know; {@link WebIncludeHost.readThrough} then asks the client
 * for those files, and when some of them exist the server checks its documents again. Each URI is asked
 * for once (a missing file is remembered as missing) until {@link WebIncludeHost.forget}, so this ends.
 *
 * The lookup is the Node host's (nodeHost.ts): a relative path is taken from the including file's folder;
 * an absolute path (`/etc/pmta/conf.d/*.conf`) is looked for as it is, then by its trailing parts (up to
 * four) below the including file's folder and up to three folders above it, longest first; the
 * wildcards of a file name are PowerMTA's (glob.ts), as on Node. Only URIs inside the workspace folders
 * are ever asked for; the others are found only when they are open. The configuration a file is part of
 * is looked for the same way (nearby.ts): the configuration files of its folder and of the two above it,
 * inside its workspace folder. Pure: no Node API.
 */
import type { WorkspaceIncludeHost } from './includeHost';
import { globToRegExp, hasGlob } from './glob';
import {
  CONFIG_NAME,
  INCLUDE_LINE,
  NEARBY_FILES_PER_FOLDER,
  NEARBY_LEVELS,
  NEARBY_MAX_BYTES,
  NEARBY_MAX_TOTAL_BYTES,
  type NearbyConfig,
} from './nearby';

/** What the client does for the host (server/protocol.ts: pmta/readFiles, pmta/readDirectory). */
export interface FileReader {
  /** The texts of these files; null for a file that is missing, unreadable or too large. */
  readFiles(uris: string[]): Promise<Array<string | null>>;
  /** The names of the files (not folders) in a folder; null when it is missing. */
  readDirectory(uri: string): Promise<string[] | null>;
}

/** Files asked of the client per request. */
const BATCH = 64;
/** Bytes of fetched text kept at most; past that, files are no longer fetched (a model reads at most 256 files anyway). */
const MAX_FETCHED_BYTES = 64 * 1024 * 1024;

/** `scheme://authority` and the path (starting with `/`) of a hierarchical URI. */
function splitUri(uri: string): { origin: string; path: string } | undefined {
  const m = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]*)(\/[^?#]*)?$/i.exec(uri);
  return m ? { origin: m[1], path: m[2] ?? '/' } : undefined;
}

/** The segments of a path with `.` and `..` resolved (never above the root). */
function normalise(segments: readonly string[]): string[] {
  const out: string[] = [];
  for (const s of segments) {
    if (s === '' || s === '.') continue;
    if (s === '..') out.pop();
    else out.push(s);
  }
  return out;
}

/** A path segment as VS Code writes it in a URI: everything but letters, digits and `-._~` percent-encoded. */
function encodeSegment(s: string): string {
  return s.replace(/[^A-Za-z0-9\-._~]/g, (c) =>
    encodeURIComponent(c).replace(/[!'()*]/g, (x) => '%' + x.charCodeAt(0).toString(16).toUpperCase()),
  );
}

export class WebIncludeHost implements WorkspaceIncludeHost {
  /** Texts fetched from the client (null: missing). */
  private files = new Map<string, string | null>();
  /** File names of the folders listed by the client (null: missing), by folder URI. */
  private dirs = new Map<string, string[] | null>();
  private wantedFiles = new Set<string>();
  private wantedDirs = new Set<string>();
  /** Workspace folder URIs, each ending in `/`. */
  private folders: string[] = [];
  private fetchedBytes = 0;

  /**
   * @param openText the text of an open document, by URI
   * @param openUris the URIs of the open documents
   */
  constructor(
    private openText: (uri: string) => string | undefined,
    private openUris: () => string[],
  ) {}

  /** The workspace folders; only files inside them are ever asked for, trusted or not. */
  setWorkspace(folders: readonly string[]): void {
    this.folders = folders.map((f) => (f.endsWith('/') ? f : f + '/'));
  }

  /** Forget what was fetched (files changed). */
  forget(): void {
    this.files.clear();
    this.dirs.clear();
    this.fetchedBytes = 0;
  }

  /** Some lookup wanted a file or a folder the client was not asked for yet. */
  get pending(): boolean {
    return this.wantedFiles.size > 0 || this.wantedDirs.size > 0;
  }

  private inWorkspace(uri: string): boolean {
    return this.folders.some((f) => uri.startsWith(f));
  }

  /** Whether `uri` is a file: true, false, or undefined while the client was not asked. */
  private isFile(uri: string): boolean | undefined {
    if (this.openText(uri) !== undefined) return true;
    const known = this.files.get(uri);
    if (known !== undefined) return known !== null;
    if (!this.inWorkspace(uri)) return false;
    this.wantedFiles.add(uri);
    return undefined;
  }

  /** The files of a folder URI (`dir` ends in `/`) matching a name glob, sorted. */
  private list(dir: string, glob: string): string[] {
    const re = globToRegExp(glob);
    const names = new Set<string>();
    for (const u of this.openUris()) {
      if (u.startsWith(dir) && !u.slice(dir.length).includes('/')) names.add(safeDecode(u.slice(dir.length)));
    }
    const listed = this.dirs.get(dir);
    if (listed) for (const n of listed) names.add(n);
    else if (listed === undefined && this.inWorkspace(dir)) this.wantedDirs.add(dir);
    return [...names]
      .filter((n) => re.test(n))
      .sort()
      .map((n) => dir + encodeSegment(n));
  }

  /** The files a candidate (origin + decoded path segments) names: itself, or its glob's matches. */
  private expand(origin: string, segments: readonly string[]): string[] {
    const last = segments.length - 1;
    if (last < 0) return [];
    const dirSegs = segments.slice(0, last);
    if (dirSegs.some(hasGlob)) return []; // a glob in a folder name: not followed in the browser
    const dir = origin + '/' + dirSegs.map(encodeSegment).join('/') + (dirSegs.length ? '/' : '');
    const name = segments[last];
    // (a listed name is a file: the folder listing holds files only; its text is asked for when read)
    if (hasGlob(name)) return this.list(dir, name);
    const uri = dir + encodeSegment(name);
    return this.isFile(uri) ? [uri] : [];
  }

  resolveInclude(fromUri: string, includePath: string): string[] {
    const from = splitUri(fromUri);
    if (!from) return [];
    const parts = includePath.split(/[\\/]+/).filter(Boolean);
    const base = from.path.split('/').map(safeDecode).slice(0, -1);
    const candidates: string[][] = [];
    if (includePath.startsWith('/') || includePath.startsWith('\\')) candidates.push(normalise(parts));
    else candidates.push(normalise([...base, ...parts]));
    // trailing parts, longest first, below the including folder and up to 3 parents
    for (let up = 0; up < 4 && up <= base.length; up++) {
      const dir = base.slice(0, base.length - up);
      for (let k = Math.min(parts.length, 4); k >= 1; k--)
        candidates.push(normalise([...dir, ...parts.slice(parts.length - k)]));
    }
    // the last part alone in the including file's folder, when the folder's name is not the one the path
    // names and that is not the path as written
    const literal = candidates[0].join('/');
    const bare =
      parts.length >= 2 && base[base.length - 1] !== parts[parts.length - 2]
        ? normalise([...base, parts[parts.length - 1]]).join('/')
        : undefined;
    const seen = new Set<string>();
    for (const c of candidates) {
      const key = c.join('/');
      if (seen.has(key)) continue;
      seen.add(key);
      // the first candidate that names files wins, the including file itself among them too (following
      // it is a cycle, which the model reports); but not where only the file's own name was guessed (the
      // Node host's rule: nodeHost.ts bareName)
      let found = this.expand(from.origin, c);
      if (key === bare && key !== literal) found = found.filter((u) => !samePath(u, from));
      if (found.length) return found;
    }
    return [];
  }

  /**
   * The configuration files near `uri` that include some file, among what the client already told
   * (the rest is noted, for {@link readThrough}): the Node host's search (nodeHost.ts), inside the
   * workspace folder that holds the file, never above it.
   */
  nearbyConfigs(uri: string): NearbyConfig[] {
    const from = splitUri(uri);
    const home = this.folders.filter((f) => uri.startsWith(f)).sort((a, b) => b.length - a.length)[0];
    if (!from || !home) return [];
    const out: NearbyConfig[] = [];
    const dir = from.path.split('/').slice(0, -1);
    let budget = NEARBY_MAX_TOTAL_BYTES;
    for (let level = 0; level < NEARBY_LEVELS && dir.length > 0; level++, dir.pop()) {
      const folder = from.origin + dir.join('/') + '/';
      if (!folder.startsWith(home)) break;
      const names = this.list(folder, '*')
        .map((u) => u.slice(folder.length))
        .filter((n) => CONFIG_NAME.test(safeDecode(n)));
      for (const n of names.slice(0, NEARBY_FILES_PER_FOLDER)) {
        const u = folder + n;
        if (u === uri) continue;
        const text = this.readFile(u);
        if (text === undefined) continue;
        if (text.length > NEARBY_MAX_BYTES || text.length > budget) continue;
        budget -= text.length;
        if (INCLUDE_LINE.test(text)) out.push({ uri: u, text, mtime: 0 });
      }
    }
    return out;
  }

  readFile(uri: string): string | undefined {
    const open = this.openText(uri);
    if (open !== undefined) return open;
    const known = this.files.get(uri);
    if (known === undefined && this.inWorkspace(uri)) this.wantedFiles.add(uri);
    return known ?? undefined;
  }

  /**
   * Ask the client for the files and folders lookups wanted. True when something new was found (a file
   * that exists, a folder with files): the documents should be checked again.
   */
  async readThrough(reader: FileReader): Promise<boolean> {
    let learnt = false;
    const dirs = [...this.wantedDirs].filter((d) => !this.dirs.has(d));
    this.wantedDirs.clear();
    for (const d of dirs) {
      let names: string[] | null = null;
      try {
        const r = await reader.readDirectory(d);
        names = Array.isArray(r) ? r.filter((n): n is string => typeof n === 'string' && !n.includes('/')) : null;
      } catch {
        names = null;
      }
      this.dirs.set(d, names);
      if (names?.length) learnt = true;
    }
    const files = [...this.wantedFiles].filter((f) => !this.files.has(f));
    this.wantedFiles.clear();
    for (let i = 0; i < files.length; i += BATCH) {
      const batch = files.slice(i, i + BATCH);
      let texts: unknown[] = [];
      try {
        const r = this.fetchedBytes < MAX_FETCHED_BYTES ? await reader.readFiles(batch) : [];
        texts = Array.isArray(r) ? r : [];
      } catch {
        texts = [];
      }
      batch.forEach((u, j) => {
        const t = texts[j];
        const text = typeof t === 'string' && this.fetchedBytes + t.length <= MAX_FETCHED_BYTES ? t : null;
        this.files.set(u, text);
        if (text !== null) {
          this.fetchedBytes += text.length;
          learnt = true;
        }
      });
    }
    return learnt;
  }
}

/** Read through `reader` until no lookup wants anything more; true when something new was found. */
export async function readAllThrough(host: WebIncludeHost, reader: FileReader): Promise<boolean> {
  let learnt = false;
  while (host.pending) if (await host.readThrough(reader)) learnt = true;
  return learnt;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Whether `uri` names the file `of` (split by splitUri), whatever the escapes of its path. */
function samePath(uri: string, of: { origin: string; path: string }): boolean {
  const u = splitUri(uri);
  const decoded = (p: string) => p.split('/').map(safeDecode).join('/');
  return !!u && u.origin === of.origin && decoded(u.path) === decoded(of.path);
}
