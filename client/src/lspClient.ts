/**
 * The part of the client that needs vscode-languageclient (about 400 KB once bundled). It is bundled
 * apart, as dist/lsp-client.js, and loaded when the language server starts, so that loading the
 * extension itself (dist/extension.js) stays cheap and its commands and status bar item exist at once.
 */
import type * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { SERVER_NODE_OPTIONS } from '../../server/src/nodeOptions';
import { answerFileRequests } from './files';

/** What the extension needs of a running client. */
export interface PmtaClient {
  start(): Promise<void>;
  dispose(): Promise<void>;
  isRunning(): boolean;
  sendRequest<R>(method: string, params: unknown): Promise<R>;
}

export interface ClientSetup {
  /** Absolute path of dist/server.js. */
  serverModule: string;
  language: string;
  channel: vscode.LogOutputChannel;
  /** Whether the workspace is trusted: if not, the server reads no file outside it. */
  trusted: boolean;
}

const CLIENT_ID = 'pmta'; // also the prefix of the `pmta.trace.server` setting the client reads
const CLIENT_NAME = 'PowerMTA Language Server';

export function createClient(setup: ClientSetup): PmtaClient {
  const serverOptions: ServerOptions = {
    run: { module: setup.serverModule, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_OPTIONS] } },
    debug: {
      module: setup.serverModule,
      transport: TransportKind.ipc,
      options: { execArgv: ['--nolazy', '--inspect=6009', ...SERVER_NODE_OPTIONS] },
    },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: setup.language },
      { scheme: 'untitled', language: setup.language },
      // a virtual workspace (Remote Repositories): the server asks for the files it includes (files.ts)
      { scheme: 'vscode-vfs', language: setup.language },
    ],
    synchronize: { configurationSection: 'pmta' },
    initializationOptions: { workspaceTrusted: setup.trusted },
    outputChannel: setup.channel,
    traceOutputChannel: setup.channel,
  };
  const c = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
  answerFileRequests(c);
  return {
    start: () => c.start(),
    dispose: () => c.dispose(),
    isRunning: () => c.isRunning(),
    sendRequest: <R>(method: string, params: unknown) => c.sendRequest<R>(method, params),
  };
}
