/**
 * The extension on the web (vscode.dev, github.dev and other VS Code for the Web): the language server
 * runs in a web worker (dist/web/server.js, the same server as on the desktop). It has no disk, so it asks
 * this client for the files an `include` names (pmta/readFiles, pmta/readDirectory in
 * server/src/server/protocol.ts), which are read with `vscode.workspace.fs`, only inside the workspace folders.
 * Everything else is activate.ts.
 */
import * as vscode from 'vscode';
import {
  BrowserMessageReader,
  BrowserMessageWriter,
  LanguageClient,
  type MessageTransports,
} from 'vscode-languageclient/browser';
import { ACCOUNTING_LANGUAGE, activateWith, deactivate, LANGUAGE, type Launch } from './activate';
import { asPmtaClient, CLIENT_ID, CLIENT_NAME, clientOptions } from './pmtaClient';

// the browser's Worker (the project is not compiled with the DOM library)
declare const Worker: new (
  url: string,
) => Extract<ConstructorParameters<typeof LanguageClient>[2], { postMessage: unknown }>;

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
  // any scheme: on the web, files come from virtual file systems (vscode-vfs:, github:…)
  const options = clientOptions(
    [{ language: LANGUAGE }, { language: ACCOUNTING_LANGUAGE }],
    channel,
    vscode.workspace.isTrusted,
  );
  return asPmtaClient(new LanguageClient(CLIENT_ID, CLIENT_NAME, () => transports(context.extensionUri), options));
};

export function activate(context: vscode.ExtensionContext): Promise<void> {
  return activateWith(context, launchWeb);
}

export { deactivate };
