/**
 * The server's requests for files (pmta/readFiles, pmta/readDirectory in server/src/server/protocol.ts), answered
 * with `vscode.workspace.fs`: by the web extension, whose server has no disk, and by the desktop one for
 * the files of a virtual workspace (a GitHub repository opened with Remote Repositories). Only files
 * inside the workspace folders are read, decoded as the server's Node host decodes them (every byte
 * kept: server/src/util/encoding.ts).
 */
import * as vscode from 'vscode';
import { decodeBytes } from '../../server/src/util/encoding';
import { READ_DIRECTORY, READ_FILES, type ReadDirectoryParams, type ReadDirectoryResult, type ReadFilesParams, type ReadFilesResult } from '../../server/src/server/protocol';

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

/** What answering needs of a language client. */
interface RequestTarget {
  onRequest(method: string, handler: (params: never) => unknown): unknown;
}

/** Answer the server's file requests on `client`. */
export function answerFileRequests(client: RequestTarget): void {
  client.onRequest(READ_FILES, (p: ReadFilesParams): Promise<ReadFilesResult> => {
    const uris = Array.isArray(p?.uris) ? p.uris.slice(0, MAX_URIS) : [];
    return Promise.all(uris.map(readText));
  });
  client.onRequest(READ_DIRECTORY, (p: ReadDirectoryParams) => readDirectory(p?.uri));
}
