/**
 * The language server on Node: `node dist/server.js --stdio` (or IPC from VS Code, or a socket) for any
 * LSP editor. Included files are read from the disk (nodeHost.ts); the rest is serve.ts.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { forgetReadFiles, nearbyConfigs, nodeIncludeHost, setIncludeWorkspace } from './nodeHost';
import { serve } from './serve';

const connection = createConnection(ProposedFeatures.all);

serve(connection, () => ({
  host: nodeIncludeHost,
  nearbyConfigs,
  setWorkspace: setIncludeWorkspace,
  forgetReadFiles,
}));

const log = (message: string) => connection.console.log(`[pmta] ${message}`);
process.on('uncaughtException', (e) => log(`uncaught: ${e?.stack ?? e}`));
process.on('unhandledRejection', (e) => log(`unhandled rejection: ${(e as Error)?.stack ?? e}`));
