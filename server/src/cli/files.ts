/**
 * The files pmta-lint reads and rewrites, byte for byte: a file is decoded without loss (UTF-8; each byte
 * that is not UTF-8 kept as its escape; the byte order mark noted, util/encoding.ts), and `--fix` writes
 * back exactly the bytes it read outside the lines it changed, the byte order mark and line ends
 * included. A file whose bytes would not change is not written. Also which files a folder stands for.
 */
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import { decodeBytes, encodeText } from '../util/encoding';

/** A configuration file as read. */
export interface SourceFile {
  /** Its name in the output: as given on the command line, or relative to the current folder. */
  file: string;
  /** Its path on disk (undefined for standard input). */
  path?: string;
  uri: string;
  text: string;
  /** It began with a UTF-8 byte order mark (kept out of the text, written back). */
  bom: boolean;
  /** The bytes read. */
  bytes: Uint8Array;
}

/** Why a file cannot be read, in a few words. */
function reason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'ENOENT') return 'no such file or directory';
  if (err.code === 'EISDIR') return 'is a directory';
  if (err.code === 'EACCES') return 'permission denied';
  return err.message;
}

/** Read a file named `file` (throws an Error whose message says why it cannot be read). */
export function readSource(file: string): SourceFile {
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new Error(`${file}: ${reason(e)}`);
  }
  const abs = path.resolve(file);
  const { text, bom } = decodeBytes(bytes);
  return { file, path: abs, uri: pathToFileURL(abs).toString(), text, bom, bytes };
}

/**
 * Standard input as a configuration file. `name` (--stdin-filename) is the path it stands for: its
 * name in the output, and where its includes are looked for; without it, `<stdin>` in the current folder.
 */
export function readStdin(name: string | undefined): SourceFile {
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(0);
  } catch (e) {
    throw new Error(`standard input: ${reason(e)}`);
  }
  const { text, bom } = decodeBytes(bytes);
  const uri = pathToFileURL(path.resolve(name ?? '<stdin>')).toString();
  return { file: name ?? '<stdin>', uri, text, bom, bytes };
}

/**
 * Write a file's new text, encoded as it was read (its byte order mark, its bytes that are not UTF-8).
 * Returns false, writing nothing, when the bytes would not change. Throws an Error whose message says
 * why it cannot be written.
 */
export function writeSource(source: SourceFile, text: string): boolean {
  const bytes = encodeText(text, source.bom);
  if (sameBytes(bytes, source.bytes)) return false;
  if (!source.path) throw new Error(`cannot write ${source.file}: it is standard input`);
  try {
    fs.writeFileSync(source.path, bytes);
  } catch (e) {
    throw new Error(`cannot write ${source.file}: ${reason(e)}`);
  }
  return true;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

/** Names a configuration file goes by in a folder given on the command line. */
const CONFIG_NAME = /(\.pmta|\.conf|^config)$/;

/**
 * The files named on the command line, in order, each once; a folder stands for its *.pmta, *.conf and
 * `config` files (in its subfolders too, but hidden ones and node_modules), sorted; `-` is kept for
 * standard input. Throws an Error for a name that does not exist, and for a folder without such a file
 * (a CI job pointed at the wrong folder must not pass having checked nothing), as eslint does for a
 * pattern that matches no file.
 */
export function collectFiles(args: readonly string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (p: string) => {
    const key = p === '-' ? p : path.resolve(p);
    if (seen.has(key)) return;
    seen.add(key);
    out.push(p);
  };
  for (const a of args) {
    if (a === '-') {
      add(a);
      continue;
    }
    let st: fs.Stats;
    try {
      st = fs.statSync(a);
    } catch {
      throw new Error(`${a}: no such file or directory`);
    }
    if (st.isDirectory()) {
      let found = 0;
      const walk = (dir: string) => {
        for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((x, y) => x.name.localeCompare(y.name))) {
          const p = path.join(dir, e.name);
          if (e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules') walk(p);
          else if (e.isFile() && CONFIG_NAME.test(e.name)) {
            found++;
            add(p);
          }
        }
      };
      walk(a);
      if (!found)
        throw new Error(
          `${a}: no *.pmta, *.conf or config file in this folder or its subfolders (hidden ones and node_modules are not looked in)`,
        );
    } else add(a);
  }
  return out;
}

/** The size of a regular file in bytes (undefined when it cannot be looked at: reading it says why). */
export function sizeOf(file: string): number | undefined {
  try {
    const st = fs.statSync(file);
    return st.isFile() ? st.size : undefined;
  } catch {
    return undefined;
  }
}

/** A file's name in the output, from its URI: relative to the current folder when below it. */
export function displayPath(uri: string): string {
  let p: string;
  try {
    p = fileURLToPath(uri);
  } catch {
    return uri;
  }
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p;
}
