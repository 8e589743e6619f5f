/**
 * The part of the client that needs vscode-languageclient (about 400 KB once bundled). It is bundled
 * apart, as dist/lsp-client.js, and loaded when the language server starts, so that loading the
 * extension itself (dist/extension.js) stays cheap and its commands and status bar item exist at once.
 */
import type * as vscode from 'vscode';
import { LanguageClient, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { SERVER_NODE_OPTIONS } from '../../server/src/server/nodeOptions';
import { ACCOUNTING_LANGUAGE } from '../../server/src/server/protocol';
import { asPmtaClient, CLIENT_ID, CLIENT_NAME, clientOptions, type PmtaClient } from './pmtaClient';

export type { PmtaClient };

export interface ClientSetup {
  /** Absolute path of dist/server.js. */
  serverModule: string;
  language: string;
  channel: vscode.LogOutputChannel;
  /** Whether the workspace is trusted: if not, the server reads no file outside it. */
  trusted: boolean;
  /** A folder of the extension's own where the server keeps V8's code cache (`--cache-dir`; without it, the user's cache folder). */
  cacheDir?: string;
}

export function createClient(setup: ClientSetup): PmtaClient {
  const args = setup.cacheDir ? [`--cache-dir=${setup.cacheDir}`] : [];
  const serverOptions: ServerOptions = {
    run: {
      module: setup.serverModule,
      transport: TransportKind.ipc,
      args,
      options: { execArgv: [...SERVER_NODE_OPTIONS] },
    },
    debug: {
      module: setup.serverModule,
      transport: TransportKind.ipc,
      options: { execArgv: ['--nolazy', '--inspect=6009', ...SERVER_NODE_OPTIONS] },
    },
  };
  const options = clientOptions(
    [
      { scheme: 'file', language: setup.language },
      { scheme: 'untitled', language: setup.language },
      // a virtual workspace (Remote Repositories): the server asks for the files it includes (files.ts)
      { scheme: 'vscode-vfs', language: setup.language },
      // accounting files: hover on the Microsoft codes of their replies
      { scheme: 'file', language: ACCOUNTING_LANGUAGE },
      { scheme: 'untitled', language: ACCOUNTING_LANGUAGE },
      { scheme: 'vscode-vfs', language: ACCOUNTING_LANGUAGE },
    ],
    setup.channel,
    setup.trusted,
  );
  return asPmtaClient(new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, options));
}
