/**
 * Where the configuration that includes a file is looked for, for the Node host (on disk, nodeHost.ts)
 * and the browser's (through the client, webHost.ts): the limits and the names both go by. Pure.
 */

/**
 * How many folders, from a file's own up, its including configuration is looked for: inside a workspace
 * folder three (conf.d/x → conf.d → pmta), without one two (conf.d → pmta: not the whole of /etc).
 */
export const NEARBY_LEVELS = 3;
export const NEARBY_LEVELS_NO_WORKSPACE = 2;
/**
 * The workspace folder that bounds the search for a file's configuration: the one that holds the file,
 * except a trusted workspace whose folder is the file's own folder (what Eglot takes for the project of a
 * file outside version control, `/etc/pmta/conf.d`), which bounds it no more than no workspace at all: the
 * configuration that includes the file is in the folder above. Folders are compared as given (the
 * caller resolves links).
 */
export function searchBound(fileFolder: string, home: string | undefined, limited: boolean): string | undefined {
  if (home === undefined || limited) return home;
  return trimSlash(fileFolder) === trimSlash(home) ? undefined : home;
}

const trimSlash = (p: string) => (p.length > 1 ? p.replace(/[\\/]+$/, '') : p);

/** At most this many bytes are read in all by one search. */
export const NEARBY_MAX_TOTAL_BYTES = 16 * 1024 * 1024;
/** At most this many files of a folder are opened to look for `include` lines. */
export const NEARBY_FILES_PER_FOLDER = 64;
/** Larger files are not looked at (a configuration that includes others is rarely this large). */
export const NEARBY_MAX_BYTES = 2 * 1024 * 1024;
/** Names a PowerMTA configuration goes by (`/etc/pmta/config`, `pmta.conf`, `*.conf`, `*.pmta`). */
export const CONFIG_NAME = /^(config|.+\.(conf|pmta|cfg))$/i;
/** A line that includes another file. */
export const INCLUDE_LINE = /^[ \t]*include[ \t]+\S/im;

export interface NearbyConfig {
  uri: string;
  text: string;
  /** Modification time in ms: the version of the text. */
  mtime: number;
}
