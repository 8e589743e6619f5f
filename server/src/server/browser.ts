/**
 * The language server in a web worker, for VS Code for the Web (vscode.dev, github.dev): the same server
 * as on Node (serve.ts) over the worker's messages. There is no disk: included files are found among the
 * open documents or read through the client (hosts/webHost.ts, requests pmta/readFiles and pmta/readDirectory).
 * Bundled as dist/web/server.js; nothing here or in what it imports uses a Node API.
 */
import { BrowserMessageReader, BrowserMessageWriter, createConnection } from 'vscode-languageserver/browser';
import { clientFileReader, serve } from './serve';
import { readAllThrough, WebIncludeHost } from '../hosts/webHost';

// the worker's global scope (typed as the reader wants it: the project is not compiled with the webworker library)
declare const self: ConstructorParameters<typeof BrowserMessageReader>[0] & { close(): void };

const connection = createConnection(new BrowserMessageReader(self), new BrowserMessageWriter(self));
// `exit` ends the worker (the client does not terminate it: a restarted server would leave it running)
connection.onExit(() => self.close());

serve(connection, (documents) => {
  const host = new WebIncludeHost(
    (uri) => documents.get(uri)?.getText(),
    () => documents.keys(),
  );
  const reader = clientFileReader(connection);
  return { host, fetchIncluded: () => readAllThrough(host, reader) };
});
