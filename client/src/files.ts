/**
 * The server's requests for files (pmta/readFiles, pmta/readDirectory in server/src/server/protocol.ts), answered
 * with `vscode.workspace.fs`: by the web extension, whose server has no disk, and by the desktop one for
 * the files of a virtual workspace (a GitHub repository opened with Remote Repositories). Only files
 * inside the workspace folders are read, decoded as the server's Node host decodes them (every byte
 * kept: server/src/util/encoding.ts). And the chunks of the accounting files of a delivery report
 * (pmta/readFileChunk): only the files the user chose for a report that is running.
 */
import * as vscode from 'vscode';
import { decodeBytes } from '../../server/src/util/encoding';
import {
  READ_DIRECTORY,
  READ_FILE_CHUNK,
  READ_FILES,
  type ReadDirectoryParams,
  type ReadDirectoryResult,
  type ReadFileChunkParams,
  type ReadFilesParams,
  type ReadFilesResult,
} from '../../server/src/server/protocol';
import { ReportFiles } from './report/reportFiles';

/** Larger files are not read (the server refuses files this large anyway). */
const MAX_FILE_BYTES = 16 * 1024 * 1024;
/** URIs answered per request at most. */
const MAX_URIS = 64;

/** A URI inside a workspace folder, or undefined. */
function workspaceUri(s: unknown): vscode.Uri | undefined {
  if (typeof s !== 'string') return undefined;
  try {
    const uri = vscode.Uri.parse(s, true);
    return vscode.workspace.getWorkspaceFolder(uri) ? uri : undefined;
  } catch {
    return undefined;
  }
}

async function readText(s: unknown): Promise<string | null> {
  const uri = workspaceUri(s);
  if (!uri) return null;
  try {
    const st = await vscode.workspace.fs.stat(uri);
    if (!(st.type & vscode.FileType.File) || st.size > MAX_FILE_BYTES) return null;
    return decodeBytes(await vscode.workspace.fs.readFile(uri)).text;
  } catch {
    return null;
  }
}

async function readDirectory(s: unknown): Promise<ReadDirectoryResult> {
  const uri = workspaceUri(s);
  if (!uri) return null;
  try {
    const entries = await vscode.workspace.fs.readDirectory(uri);
    return entries.filter(([, type]) => type & vscode.FileType.File).map(([name]) => name);
  } catch {
    return null;
  }
}

// ---- the accounting files of a delivery report (pmta/readFileChunk) ----

/**
 * VS Code's file API reads a file whole: a larger file is not read through it (the server on the
 * desktop reads the files on its disk itself, at any size).
 */
const MAX_CLIENT_FILE = 512 * 1024 * 1024;

async function readWhole(s: string): Promise<Uint8Array> {
  const uri = vscode.Uri.parse(s, true);
  const st = await vscode.workspace.fs.stat(uri);
  if (st.type & vscode.FileType.Directory)
    throw Object.assign(new Error('is a directory'), { code: 'FileIsADirectory' });
  if (st.size > MAX_CLIENT_FILE) {
    throw new Error(
      `${Math.round(st.size / 1048576)} MB: too large to be read through VS Code (at most ${MAX_CLIENT_FILE / 1048576} MB); run pmta-lint report on it`,
    );
  }
  return vscode.workspace.fs.readFile(uri);
}

/** What answering needs of a language client. */
interface RequestTarget {
  onRequest(method: string, handler: (params: never) => unknown): unknown;
}

/**
 * Answer the server's file requests on `client`. Returns what lets the server read the accounting files
 * of a delivery report (pmta/readFileChunk) until the function it returns is called. (It belongs to the
 * client: the desktop extension bundles the client apart from the command.)
 */
export function answerFileRequests(client: RequestTarget): (uris: readonly string[]) => () => void {
  const reportFiles = new ReportFiles(readWhole);
  client.onRequest(READ_FILES, (p: ReadFilesParams): Promise<ReadFilesResult> => {
    const uris = Array.isArray(p?.uris) ? p.uris.slice(0, MAX_URIS) : [];
    return Promise.all(uris.map(readText));
  });
  client.onRequest(READ_DIRECTORY, (p: ReadDirectoryParams) => readDirectory(p?.uri));
  client.onRequest(READ_FILE_CHUNK, (p: ReadFileChunkParams) => reportFiles.chunk(p));
  return (uris) => reportFiles.allow(uris);
}
