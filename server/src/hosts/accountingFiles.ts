/**
 * Accounting files on the disk, for the delivery report on Node (the CLI and the Node server): a file
 * opened as a stream of chunks of 1 MB with its size, and what an I/O error means in words. Not for the
 * browser (the web worker's server reads files through the client).
 */
import * as fs from 'fs';
import { fileURLToPath } from 'url';

/** Bytes read at a time. */
export const FILE_CHUNK = 1 << 20;

/** An I/O error in words. */
export function ioMessage(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EISDIR':
      return 'is a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return e.message;
  }
}

/**
 * A `file:` URI's file as chunks, with its size; undefined for any other URI (not on this disk).
 * Rejects with an Error saying what is wrong when the file cannot be read.
 */
export async function openFileUri(
  uri: string,
): Promise<{ size: number; chunks: AsyncIterable<Uint8Array> } | undefined> {
  if (!/^file:/i.test(uri)) return undefined;
  let file: string;
  try {
    file = fileURLToPath(uri);
  } catch {
    return undefined;
  }
  try {
    const st = await fs.promises.stat(file);
    if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    // opened now, so that a file that cannot be read says so here, not at its first chunk
    const handle = await fs.promises.open(file, 'r');
    return { size: st.size, chunks: handle.createReadStream({ highWaterMark: FILE_CHUNK }) };
  } catch (e) {
    throw new Error(ioMessage(e as NodeJS.ErrnoException));
  }
}
