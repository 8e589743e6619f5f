/**
 * The language server's wiring, shared by the Node server (node.ts: stdio, IPC, sockets) and the browser
 * one (browser.ts: a web worker, for VS Code for the Web): the open documents (documents.ts), the
 * client's settings (clientSettings.ts), the requests (requests.ts) and the delivery report
 * (deliveryReport.ts), on one language service;
 * configurations.ts keeps which configuration each open file is part of. What differs between the two
 * servers (how included files are found and read) comes in a {@link Platform}.
 */
import {
  CodeActionKind,
  type Connection,
  type InitializeResult,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { PmtaLanguageService } from '../service';
import { VERSION } from '../version';
import type { WorkspaceIncludeHost } from '../hosts/includeHost';
import type { FileReader } from '../hosts/webHost';
import { ClientSettings } from './clientSettings';
import { Configurations } from './configurations';
import { DocumentHandler } from './documents';
import { RequestHandler } from './requests';
import { DeliveryReportHandler, type OpenFile } from './deliveryReport';
import {
  READ_DIRECTORY,
  READ_FILES,
  type ReadDirectoryParams,
  type ReadDirectoryResult,
  type ReadFilesParams,
  type ReadFilesResult,
} from './protocol';

/** How one kind of server finds and reads included files. */
export interface Platform {
  host: WorkspaceIncludeHost;
  /**
   * A host that cannot read while a model is built (the browser's) fetches here what the last analyses
   * looked for and did not have; true when some of it was found: the documents are then checked again.
   */
  fetchIncluded?: () => Promise<boolean>;
  /** Opens an accounting file the server can read itself (the Node server: `file:` URIs); the others are read through the client. */
  openFile?: OpenFile;
  /** Called each time a document was analysed and its problems published (the Node server keeps its code cache then). */
  analysed?: () => void;
}

/** What the server tells the client in answer to `initialize`: the features it implements. */
const initializeResult = (): InitializeResult => ({
  capabilities: {
    // didSave too: without file watching by the client, a saved document stands for a changed file
    textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
    hoverProvider: true,
    completionProvider: { triggerCharacters: ['<', '/', '$', ' ', '='], resolveProvider: false },
    codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, 'source.fixAll.pmta'] },
    documentSymbolProvider: true,
    workspaceSymbolProvider: true,
    foldingRangeProvider: true,
    definitionProvider: true,
    referencesProvider: true,
    documentHighlightProvider: true,
    renameProvider: { prepareProvider: true },
    documentFormattingProvider: true,
    documentRangeFormattingProvider: true,
    documentLinkProvider: { resolveProvider: false },
    codeLensProvider: { resolveProvider: false },
    workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
  },
  serverInfo: { name: 'pmta-lsp', version: VERSION },
});

/** Files read through the client (pmta/readFiles, pmta/readDirectory), for a document not on a disk the server can read. */
export function clientFileReader(connection: Connection): FileReader {
  return {
    readFiles: (uris) => connection.sendRequest<ReadFilesResult>(READ_FILES, { uris } satisfies ReadFilesParams),
    readDirectory: (uri) =>
      connection.sendRequest<ReadDirectoryResult>(READ_DIRECTORY, { uri } satisfies ReadDirectoryParams),
  };
}

/** Answer LSP on `connection`; `makePlatform` gets the open documents (a host may read them). */
export function serve(
  connection: Connection,
  makePlatform: (documents: TextDocuments<TextDocument>) => Platform,
): void {
  const documents = new TextDocuments(TextDocument);
  const platform = makePlatform(documents);
  const service = new PmtaLanguageService({ host: platform.host });
  const log = (message: string) => connection.console.log(`[pmta] ${message}`);
  const settings = new ClientSettings(connection, log);
  /** Which configuration each open document is part of, and what open configurations published for their included files. */
  const configurations = new Configurations(
    service,
    documents,
    (uri, access) => platform.host.nearbyConfigs(uri, access),
    log,
  );
  const docs = new DocumentHandler(
    connection,
    documents,
    service,
    settings,
    configurations,
    platform.host,
    log,
    platform.fetchIncluded,
    platform.analysed,
  );
  const requests = new RequestHandler(connection, documents, service, settings, configurations, log);
  const report = new DeliveryReportHandler(
    connection,
    documents,
    service,
    settings,
    configurations,
    platform.openFile,
    log,
  );

  connection.onInitialize((params) => {
    settings.initialize(params);
    docs.initialize(params);
    requests.initialize(params);
    return initializeResult();
  });
  connection.onInitialized(() => {
    settings.initialized();
    docs.initialized();
  });
  settings.onDidChange(() => docs.checkAll());
  docs.register();
  requests.register();
  report.register();
  documents.listen(connection);
  connection.listen();
}
