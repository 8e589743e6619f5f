/**
 * What the desktop client (lspClient.ts, vscode-languageclient/node) and the web one (webExtension.ts,
 * vscode-languageclient/browser) share: the client's name and options, and what the extension needs of a
 * running client. Of vscode-languageclient, only types and the protocol's common values are imported
 * here: each entry bundles its flavour.
 */
import type * as vscode from 'vscode';
import {
  WorkDoneProgress,
  type BaseLanguageClient,
  type DocumentSelector,
  type LanguageClientOptions,
  type WorkDoneProgressBegin,
  type WorkDoneProgressEnd,
  type WorkDoneProgressReport,
} from 'vscode-languageclient';
import { answerFileRequests } from './files';

/** What the server reports of a long request (LSP work-done progress). */
export type WorkDone = WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd;

/** What the extension needs of a running client. */
export interface PmtaClient {
  start(): Promise<void>;
  dispose(): Promise<void>;
  isRunning(): boolean;
  /** A request; cancelling `token` cancels it on the server. */
  sendRequest<R>(method: string, params: unknown, token?: vscode.CancellationToken): Promise<R>;
  /** The progress the server reports for a request sent with `workDoneToken`. */
  onWorkDone(workDoneToken: string, handler: (value: WorkDone) => void): vscode.Disposable;
  /** Lets the server read these files through the extension (pmta/readFileChunk) until the returned function is called. */
  allowReportFiles(uris: readonly string[]): () => void;
}

export const CLIENT_ID = 'pmta'; // also the prefix of the `pmta.trace.server` setting the client reads
export const CLIENT_NAME = 'PowerMTA Language Server';

/** The client's options: the documents it serves, the settings it sends, whether the workspace is trusted (if not, the server reads no file outside it). */
export function clientOptions(
  documentSelector: DocumentSelector,
  channel: vscode.LogOutputChannel,
  trusted: boolean,
): LanguageClientOptions {
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
  const allowReportFiles = answerFileRequests(c);
  return {
    start: () => c.start(),
    dispose: () => c.dispose(),
    isRunning: () => c.isRunning(),
    sendRequest: <R>(method: string, params: unknown, token?: vscode.CancellationToken) =>
      token ? c.sendRequest<R>(method, params, token) : c.sendRequest<R>(method, params),
    onWorkDone: (workDoneToken, handler) => c.onProgress(WorkDoneProgress.type, workDoneToken, handler),
    allowReportFiles,
  };
}
