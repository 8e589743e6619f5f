/**
 * The VS Code extension: a thin client that starts the bundled language server (dist/server.js)
 * and connects it to PowerMTA documents. All language knowledge lives in the server.
 */
import * as fs from 'fs';
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';

const CLIENT_ID = 'pmta'; // also the prefix of the `pmta.trace.server` setting the client reads
const CLIENT_NAME = 'PowerMTA Language Server';

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('PowerMTA', { log: true });
  context.subscriptions.push(output);

  context.subscriptions.push(
    vscode.commands.registerCommand('pmta.restartServer', async () => {
      output?.info('Restarting the language server');
      await stopClient();
      await startClient(context);
    }),
    vscode.commands.registerCommand('pmta.showOutput', () => output?.show(true)),
  );

  await startClient(context);
}

export async function deactivate(): Promise<void> {
  await stopClient();
}

async function startClient(context: vscode.ExtensionContext): Promise<void> {
  const channel = output!;
  const serverModule = context.asAbsolutePath('dist/server.js');
  if (!fs.existsSync(serverModule)) {
    const msg = `PowerMTA: the language server is missing (${serverModule}). Reinstall the extension, or run "npm run build" when developing it.`;
    channel.error(msg);
    void showError(msg);
    return;
  }

  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: {
      module: serverModule,
      transport: TransportKind.ipc,
      options: { execArgv: ['--nolazy', '--inspect=6009'] },
    },
  };

  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'powermta' },
      { scheme: 'untitled', language: 'powermta' },
    ],
    synchronize: { configurationSection: 'pmta' },
    outputChannel: channel,
    traceOutputChannel: channel,
  };

  const c = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
  client = c;
  try {
    await c.start();
    channel.info('Language server started');
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    channel.error(`The language server failed to start: ${e instanceof Error && e.stack ? e.stack : detail}`);
    void showError(`PowerMTA: the language server failed to start: ${detail}`);
    if (client === c) client = undefined;
    try {
      await c.dispose();
    } catch {
      // already stopped
    }
  }
}

async function stopClient(): Promise<void> {
  const c = client;
  client = undefined;
  if (!c) return;
  try {
    await c.dispose();
  } catch (e) {
    output?.warn(`Stopping the language server: ${e instanceof Error ? e.message : String(e)}`);
  }
}

async function showError(message: string): Promise<void> {
  const choice = await vscode.window.showErrorMessage(message, 'Show Output', 'Restart Server');
  if (choice === 'Show Output') output?.show(true);
  else if (choice === 'Restart Server') await vscode.commands.executeCommand('pmta.restartServer');
}
