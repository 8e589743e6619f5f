/**
 * A bare language server, for the startup bench (bench/run.ts, section startup): vscode-languageserver's
 * connection with nothing else, answering initialize with minimal capabilities. The bench bundles it as
 * scripts/build.mjs bundles dist/server.js and starts both the same way, so that the difference in time
 * to the initialize response is what our server adds (its code to load and what it does to start).
 */
import { createConnection, ProposedFeatures, TextDocumentSyncKind } from 'vscode-languageserver/node';

const connection = createConnection(ProposedFeatures.all);
connection.onInitialize(() => ({ capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental } }));
connection.listen();
