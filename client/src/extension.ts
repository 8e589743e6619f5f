/**
 * The extension on the desktop: the language server runs on Node (dist/server.js), started over IPC by
 * vscode-languageclient, which is bundled apart (dist/lsp-client.js) and loaded only then, so that loading
 * this file stays cheap. Everything else is activate.ts.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { activateWith, deactivate, LANGUAGE, type Launch } from './activate';
import type { ClientSetup, PmtaClient } from './lspClient';

const launchNode: Launch = (context, channel) => {
  const serverModule = context.asAbsolutePath('dist/server.js');
  if (!fs.existsSync(serverModule)) {
    throw new Error(
      `PowerMTA: the language server is missing (${serverModule}). Reinstall the extension, or run "npm run build" when developing it.`,
    );
  }
  try {
    // loaded here, not at the top, so that loading the extension stays cheap (see lspClient.ts)
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const lsp = require(context.asAbsolutePath('dist/lsp-client.js')) as {
      createClient(setup: ClientSetup): PmtaClient;
    };
    return lsp.createClient({
      serverModule,
      language: LANGUAGE,
      channel,
      trusted: vscode.workspace.isTrusted,
      // the server's compiled code, kept in the extension's private storage: later starts are quicker
      cacheDir:
        context.globalStorageUri.scheme === 'file'
          ? path.join(context.globalStorageUri.fsPath, 'code-cache')
          : undefined,
    });
  } catch (e) {
    throw new Error(
      `PowerMTA: the language client could not be loaded (${e instanceof Error ? e.message : String(e)}). Reinstall the extension, or run "npm run build" when developing it.`,
    );
  }
};

export function activate(context: vscode.ExtensionContext): Promise<void> {
  return activateWith(context, launchNode);
}

export { deactivate };
