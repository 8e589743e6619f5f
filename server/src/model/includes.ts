/**
 * Following `include` directives: asking the host which files an include names, reading them (or
 * taking the open editor's text or model instead), and building their models within one build, with
 * cycles, depth and the number of files bounded. What cannot be followed gets a reason, shown by the
 * `unresolved-include` rule.
 *
 * Written for any model type (the model class passes a function that builds one), so that this
 * module does not import the model it is part of.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import { isPlaceholder } from '../knowledge/values';
import type { IncludeAccess, IncludeHost } from '../hosts/includeHost';

const MAX_INCLUDE_DEPTH = 8;
const MAX_INCLUDED_FILES = 256;

/** What following needs of a model: its text, and whether it includes anything. */
export interface Includable {
  readonly text: string;
  readonly includes: readonly unknown[];
}

/** An include of a model, as following fills it in (the model's IncludeRef). */
export interface Followed<M> {
  readonly path: string;
  /** Models of the files the include resolved to. */
  resolved: M[];
  /** Why it could not be followed. */
  error?: string;
  /** Resolution was not attempted. */
  skipped: boolean;
}

/** The options of a build that following reads. */
export interface FollowOptions {
  host?: IncludeHost;
  /** Follow includes (default true when a host is given). */
  resolveIncludes?: boolean;
  /** Only read included files inside the workspace folders. */
  workspaceOnly?: boolean;
}

/** Where to take included files from instead of reading them (see the model's BuildOptions). */
export interface Sources<M> {
  overlay?: ReadonlyMap<string, M>;
  reuse?: ReadonlyMap<string, M>;
  openTexts?: ReadonlyMap<string, string>;
}

/** One build: the models built so far by URI, the chain of files being built, how many were read. */
export interface BuildState<M> extends Sources<M> {
  cache: Map<string, M>;
  stack: string[];
  count: number;
}

/** The state of a new build, taking included files from `sources`. */
export function startBuild<M>(sources: Sources<M>): BuildState<M> {
  return {
    cache: new Map(),
    stack: [],
    count: 0,
    overlay: sources.overlay,
    reuse: sources.reuse,
    openTexts: sources.openTexts,
  };
}

/**
 * Follow the includes of the document at `fromUri`, in order: fill in what each resolved to, or why it
 * could not be followed. `build` makes the model of an included file within the same build (its own
 * includes are followed as it is built).
 */
export function followIncludes<M extends Includable>(
  fromUri: string,
  includes: readonly Followed<M>[],
  options: FollowOptions,
  st: BuildState<M>,
  build: (doc: TextDocument) => M,
): void {
  const host = options.host;
  const enabled = host && options.resolveIncludes !== false;
  const access: IncludeAccess = { workspaceOnly: options.workspaceOnly === true };
  st.stack.push(fromUri);
  for (const inc of includes) {
    if (!enabled || !host) continue;
    inc.skipped = false;
    if (notFollowed(inc.path)) {
      inc.skipped = true;
      continue;
    }
    if (st.stack.length > MAX_INCLUDE_DEPTH) {
      inc.error = `includes nested deeper than ${MAX_INCLUDE_DEPTH} levels are not followed`;
      continue;
    }
    let uris: string[];
    try {
      uris = host.resolveInclude(fromUri, inc.path, access);
    } catch (e) {
      inc.error = `cannot resolve: ${(e as Error).message}`;
      continue;
    }
    if (uris.length === 0) {
      const pattern = host.folderPattern?.(fromUri, inc.path, access);
      inc.error = pattern
        ? `"${inc.path}" is a folder, and include takes files, not folders: "include ${pattern}" includes the files in it`
        : `no file found for "${inc.path}"`;
      continue;
    }
    for (const uri of uris) {
      // (compared in one spelling: an editor's URI of the including file may escape it otherwise)
      if (st.stack.some((s) => fileKey(s) === fileKey(uri))) {
        inc.error = `include cycle: ${[...st.stack, uri].map(baseName).join(' → ')}`;
        continue;
      }
      let m = st.cache.get(uri) ?? st.overlay?.get(fileKey(uri));
      if (!m) {
        if (st.count >= MAX_INCLUDED_FILES) {
          inc.error = `more than ${MAX_INCLUDED_FILES} included files; the rest are not followed`;
          break;
        }
        let text = st.openTexts?.get(fileKey(uri));
        try {
          text ??= host.readFile(uri, access);
        } catch {
          text = undefined;
        }
        if (text === undefined) {
          inc.error = `cannot read ${uri}`;
          continue;
        }
        st.count++;
        const old = st.reuse?.get(uri);
        m = old && old.includes.length === 0 && old.text === text ? old : build(makeDoc(uri, text));
        st.cache.set(uri, m);
      }
      inc.resolved.push(m);
    }
  }
  st.stack.pop();
}

/**
 * Include paths that are never followed: never the network (URLs and network shares, //host/share,
 * \\host\share), and no template placeholder.
 */
function notFollowed(path: string): boolean {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path) && !/^file:/i.test(path)) return true;
  if (/^(\/\/|\\\\)/.test(path)) return true;
  return isPlaceholder(path);
}

/**
 * A file URI in one spelling, to compare the URIs an editor sends with those a host makes for included
 * files: percent-escapes decoded, a Windows drive letter in lower case.
 */
export function fileKey(uri: string): string {
  let u = uri;
  try {
    u = decodeURIComponent(uri);
  } catch {
    // a malformed escape: compare as written
  }
  return u.replace(/^file:\/\/\/([A-Za-z]):/, (_, d: string) => `file:///${d.toLowerCase()}:`);
}

function baseName(uri: string): string {
  return uri.slice(uri.lastIndexOf('/') + 1);
}

/** A minimal TextDocument for included files (positions are computed the same way). */
function makeDoc(uri: string, text: string): TextDocument {
  return TextDocument.create(uri, 'powermta', 0, text);
}
