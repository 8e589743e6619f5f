/**
 * What the desktop client (lspClient.ts, vscode-languageclient/node) and the web one (webExtension.ts,
 * vscode-languageclient/browser) share: the client's name and options, and what the extension needs of a
 * running client. Only types of vscode-languageclient are imported here: each entry bundles its flavour.
 */
import type * as vscode from 'vscode';
import type { BaseLanguageClient, DocumentSelector, LanguageClientOptions } from 'vscode-languageclient';
import { answerFileRequests } from './files';

/** What the extension needs of a running client. */
export interface PmtaClient {
  start(): Promise<void>;
  dispose(): Promise<void>;
  isRunning(): boolean;
  sendRequest<R>(method: string, params: unknown): Promise<R>;
}

export const CLIENT_ID = 'pmta'; // also the prefix of the `pmta.trace.server` setting the client reads
export const CLIENT_NAME = 'PowerMTA Language Server';

/** The client's options: the documents it serves, the settings it sends, whether the workspace is trusted (if not, the server reads no file outside it). */
export function clientOptions(documentSelector: DocumentSelector, channel: vscode.LogOutputChannel, trusted: boolean): LanguageClientOptions {
  return {
    documentSelector,
    synchronize: { configurationSection: 'pmta' },
    initializationOptions: { workspaceTrusted: trusted },
    outputChannel: channel,
    traceOutputChannel: channel,
  };
}

/** The extension's view of a language client, which answers the server's requests for files (files.ts). */
export function asPmtaClient(c: BaseLanguageClient): PmtaClient {
  answerFileRequests(c);
  return {
    start: () => c.start(),
    dispose: () => c.dispose(),
    isRunning: () => c.isRunning(),
    sendRequest: <R>(method: string, params: unknown) => c.sendRequest<R>(method, params),
  };
}
