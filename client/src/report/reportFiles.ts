/**
 * The accounting files a running delivery report lets the server read through the extension
 * (pmta/readFileChunk): the server in a web worker has no disk, and VS Code's file API reads a file
 * whole, so a file is read once, kept while a report uses it, and sent in chunks. Only the files the
 * user chose for a report that is running are sent; any other URI gets an error. Pure (the reading is
 * given), so that tests can drive it without VS Code.
 */
import type { ReadFileChunkResult } from '../../../server/src/server/protocol';
import { toBase64 } from '../../../server/src/util/base64';

/** Bytes sent per chunk at most (the server asks for less). */
export const MAX_CHUNK = 4 * 1024 * 1024;

/** Reads a whole file; rejects with an error whose `code` (VS Code's FileSystemError codes) or message says why. */
export type ReadWhole = (uri: string) => Promise<Uint8Array>;

/** A file-system error in words. */
export function fsMessage(e: unknown): string {
  const code = (e as { code?: string } | undefined)?.code;
  if (code === 'FileNotFound' || code === 'EntryNotFound') return 'no such file or directory';
  if (code === 'FileIsADirectory' || code === 'EntryIsADirectory') return 'is a directory';
  if (code === 'NoPermissions') return 'permission denied';
  return e instanceof Error ? e.message : String(e);
}

export class ReportFiles {
  /** The allowed files by URI: how many running reports use each, and its bytes once asked for. */
  private readonly files = new Map<string, { users: number; bytes?: Promise<Uint8Array> }>();

  constructor(private readonly readWhole: ReadWhole) {}

  /**
   * Lets the server read these files until the returned function is called, which also lets their bytes
   * go (once no other running report uses them).
   */
  allow(uris: readonly string[]): () => void {
    for (const u of uris) {
      const e = this.files.get(u);
      if (e) e.users++;
      else this.files.set(u, { users: 1 });
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const u of uris) {
        const e = this.files.get(u);
        if (e && --e.users <= 0) this.files.delete(u);
      }
    };
  }

  /** The answer to pmta/readFileChunk: `length` bytes (at most MAX_CHUNK) from `offset`, and the file's size. */
  async chunk(p: unknown): Promise<ReadFileChunkResult> {
    const q = (p ?? {}) as { uri?: unknown; offset?: unknown; length?: unknown };
    const entry = typeof q.uri === 'string' ? this.files.get(q.uri) : undefined;
    if (!entry) return { error: 'not a file of a delivery report' };
    const offset = Math.max(0, Math.floor(Number(q.offset) || 0));
    const length = Math.min(MAX_CHUNK, Math.max(0, Math.floor(Number(q.length) || 0)));
    try {
      entry.bytes ??= this.readWhole(q.uri as string);
      const bytes = await entry.bytes;
      return { data: toBase64(bytes.subarray(offset, offset + length)), size: bytes.length };
    } catch (e) {
      return { error: fsMessage(e) };
    }
  }
}
