/**
 * The language server on Node: `node dist/server.js --stdio` (or IPC from VS Code, or a socket) for any
 * LSP editor; without a transport, the usage (commandLine.ts). Bundled as dist/server-main.js, which
 * dist/server.js (boot.ts) loads and runs, through V8's code cache when it is given a folder for it.
 * Included files are read from the disk (hosts/nodeHost.ts); those of a document that is not on disk (a
 * virtual workspace: `vscode-vfs:` from Remote Repositories) are asked of the client, as the browser's
 * server does (hosts/webHost.ts). The rest is serve.ts.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import type { WorkspaceIncludeHost } from '../hosts/includeHost';
import { NodeIncludeHost } from '../hosts/nodeHost';
import { openFileUri } from '../hosts/accountingFiles';
import { clientFileReader, serve } from './serve';
import { readAllThrough, WebIncludeHost } from '../hosts/webHost';
import { SERVER_USAGE, serverCommand } from './commandLine';
import { VERSION } from '../version';

/** On the disk: file: URIs, and untitled documents (their includes can only name files on the disk). */
const onDisk = (uri: string) => /^(file|untitled):/i.test(uri);

/** What the file that starts the server (boot.ts) is told. */
export interface ServerHooks {
  /** A document was analysed and its problems published. */
  analysed?: () => void;
}

function start(hooks: ServerHooks): void {
  const connection = createConnection(ProposedFeatures.all);
  serve(connection, (documents) => {
    const virtual = new WebIncludeHost(
      (uri) => documents.get(uri)?.getText(),
      () => documents.keys(),
    );
    const disk = new NodeIncludeHost();
    const host: WorkspaceIncludeHost = {
      resolveInclude: (from, path, access) =>
        onDisk(from) ? disk.resolveInclude(from, path, access) : virtual.resolveInclude(from, path),
      readFile: (uri, access) => (onDisk(uri) ? disk.readFile(uri, access) : virtual.readFile(uri)),
      folderPattern: (from, path, access) => (onDisk(from) ? disk.folderPattern(from, path, access) : undefined),
      // DKIM key files are read on the disk only (the client has no way to parse a key)
      keyInfo: (from, path, access) => (onDisk(from) ? disk.keyInfo(from, path, access) : undefined),
      nearbyConfigs: (uri, access) => (onDisk(uri) ? disk.nearbyConfigs(uri, access) : virtual.nearbyConfigs(uri)),
      setWorkspace(folders, trusted) {
        disk.setWorkspace(folders, trusted);
        virtual.setWorkspace(folders);
      },
      forget() {
        disk.forget();
        virtual.forget();
      },
    };
    const reader = clientFileReader(connection);
    // accounting files on this disk are read here; the others (a virtual workspace's) through the client
    return {
      host,
      fetchIncluded: () => readAllThrough(virtual, reader),
      openFile: openFileUri,
      analysed: hooks.analysed,
    };
  });

  const log = (message: string) => connection.console.log(`[pmta] ${message}`);
  process.on('uncaughtException', (e) => log(`uncaught: ${e?.stack ?? e}`));
  process.on('unhandledRejection', (e) => log(`unhandled rejection: ${(e as Error)?.stack ?? e}`));
}

/** Runs the server with the command line `argv` (without node and the script), as boot.ts does. */
export function main(argv: readonly string[], hooks: ServerHooks = {}): void {
  const command = serverCommand(argv);
  if (command.kind === 'serve') start(hooks);
  else if (command.kind === 'help') process.stdout.write(SERVER_USAGE + '\n');
  else if (command.kind === 'version') process.stdout.write(VERSION + '\n');
  else {
    process.stderr.write(
      `pmta-lsp: no transport: start the server with --stdio, --node-ipc, --socket=PORT (a port number) or --pipe=NAME\n\n${SERVER_USAGE}\n`,
    );
    process.exitCode = 2;
  }
}
