/**
 * The extension on the web (vscode.dev, github.dev and other VS Code for the Web): the language server
 * runs in a web worker (dist/web/server.js, the same server as on the desktop). It has no disk, so it asks
 * this client for the files an `include` names (pmta/readFiles, pmta/readDirectory in
 * server/src/protocol.ts), which are read with `vscode.workspace.fs`, only inside the workspace folders.
 * Everything else is activate.ts.
 */
import * as vscode from 'vscode';
import { BrowserMessageReader, BrowserMessageWriter, LanguageClient, type LanguageClientOptions, type MessageTransports } from 'vscode-languageclient/browser';
import { activateWith, deactivate, LANGUAGE, type Launch } from './activate';
import {
  READ_DIRECTORY,
  READ_FILES,
  type ReadDirectoryParams,
  type ReadDirectoryResult,
  type ReadFilesParams,
  type ReadFilesResult,
} from '../../server/src/protocol';

// the browser's Worker (the project is not compiled with the DOM library)
declare const Worker: new (url: string) => Extract<ConstructorParameters<typeof LanguageClient>[2], { postMessage: unknown }>;

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
    return new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri));
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

type ServerWorker = InstanceType<typeof Worker>;

/**
 * The server's worker. From the script's URL as a rule (vscode.dev, github.dev); an extension that a remote
 * serves (code-server, a container opened in the browser) has a vscode-remote: URL, from which VS Code
 * cannot start a worker: then from the script's text.
 */
async function startWorker(extensionUri: vscode.Uri): Promise<ServerWorker> {
  const main = vscode.Uri.joinPath(extensionUri, 'dist', 'web', 'server.js');
  try {
    return new Worker(main.toString(true));
  } catch {
    const bytes = await vscode.workspace.fs.readFile(main);
    return new Worker(URL.createObjectURL(new Blob([bytes], { type: 'text/javascript' })));
  }
}

/**
 * The messages to and from the worker. (Given the worker itself, the client tells it from transports with
 * `instanceof Worker`, which fails for the Worker that VS Code's extension host substitutes.)
 */
async function transports(extensionUri: vscode.Uri): Promise<MessageTransports> {
  const worker = await startWorker(extensionUri);
  return { reader: new BrowserMessageReader(worker), writer: new BrowserMessageWriter(worker) };
}

const launchWeb: Launch = (context, channel) => {
  const clientOptions: LanguageClientOptions = {
    // any scheme: on the web, files come from virtual file systems (vscode-vfs:, github:…)
    documentSelector: [{ language: LANGUAGE }],
    synchronize: { configurationSection: 'pmta' },
    initializationOptions: { workspaceTrusted: vscode.workspace.isTrusted },
    outputChannel: channel,
    traceOutputChannel: channel,
  };
  const c = new LanguageClient('pmta', 'PowerMTA Language Server', () => transports(context.extensionUri), clientOptions);
  c.onRequest(READ_FILES, (p: ReadFilesParams): Promise<ReadFilesResult> => {
    const uris = Array.isArray(p?.uris) ? p.uris.slice(0, MAX_URIS) : [];
    return Promise.all(uris.map(readText));
  });
  c.onRequest(READ_DIRECTORY, (p: ReadDirectoryParams) => readDirectory(p?.uri));
  return {
    start: () => c.start(),
    dispose: () => c.dispose(),
    isRunning: () => c.isRunning(),
    sendRequest: <R>(method: string, params: unknown) => c.sendRequest<R>(method, params),
  };
};

export function activate(context: vscode.ExtensionContext): Promise<void> {
  return activateWith(context, launchWeb);
}

export { deactivate };
