/**
 * The language server's wiring, shared by the Node server (server.ts: stdio, IPC, sockets) and the browser
 * one (browserServer.ts: a web worker, for VS Code for the Web): LSP requests and notifications go to
 * {@link PmtaLanguageService}; documents are validated after a pause in typing; {@link Configurations}
 * keeps which configuration each open file is part of. What differs between the two (how included files
 * are found and read) comes in a {@link Platform}.
 */
import {
  CodeActionKind,
  CodeLensRefreshRequest,
  type Connection,
  type Diagnostic,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { PmtaLanguageService } from './service';
import type { RequestContext } from './types';
import { DIAGNOSTIC_SOURCE } from './diagnostics';
import { normalizeSettings, Settings } from './settings';
import { Configurations } from './configurations';
import type { WorkspaceIncludeHost } from './hosts/includeHost';
import { INCLUDE_LINE } from './hosts/nearby';
import { runInSlices, ValidationScheduler } from './validation';
import {
  EXPLAIN_REPLY,
  MICROSOFT_CONFIGURATION,
  READ_DIRECTORY,
  READ_FILES,
  TIER,
  type ExplainReplyParams,
  type MicrosoftConfigurationParams,
  type ReadDirectoryParams,
  type ReadDirectoryResult,
  type ReadFilesParams,
  type ReadFilesResult,
  type TierParams,
} from './protocol';
import type { FileReader } from './hosts/webHost';

/** How one kind of server finds and reads included files. */
export interface Platform {
  host: WorkspaceIncludeHost;
  /**
   * A host that cannot read while a model is built (the browser's) fetches here what the last analyses
   * looked for and did not have; true when some of it was found: the documents are then checked again.
   */
  fetchIncluded?(): Promise<boolean>;
}

/** Files read through the client (pmta/readFiles, pmta/readDirectory), for a document not on a disk the server can read. */
export function clientFileReader(connection: Connection): FileReader {
  return {
    readFiles: (uris) => connection.sendRequest<ReadFilesResult>(READ_FILES, { uris } satisfies ReadFilesParams),
    readDirectory: (uri) => connection.sendRequest<ReadDirectoryResult>(READ_DIRECTORY, { uri } satisfies ReadDirectoryParams),
  };
}

/** Answer LSP on `connection`; `makePlatform` gets the open documents (a host may read them). */
export function serve(connection: Connection, makePlatform: (documents: TextDocuments<TextDocument>) => Platform): void {
  const documents = new TextDocuments(TextDocument);
  const platform = makePlatform(documents);
  const service = new PmtaLanguageService({ host: platform.host });

  let hasConfiguration = false;
  /** The client asks for code lenses again when told (they depend on the configuration a file is part of). */
  let lensRefresh = false;
  /** The workspace folders (URIs), whether the workspace is trusted, whether the client tells when folders change. */
  let folders: string[] = [];
  let trusted = true;
  let folderChanges = false;
  let foldingRangeLimit: number | undefined;
  let initSettings: Settings = {};
  const settingsCache = new Map<string, Promise<Settings>>();

  function log(message: string): void {
    connection.console.log(`[pmta] ${message}`);
  }

  connection.onInitialize((params) => {
    hasConfiguration = !!params.capabilities.workspace?.configuration;
    lensRefresh = !!params.capabilities.workspace?.codeLens?.refreshSupport;
    foldingRangeLimit = params.capabilities.textDocument?.foldingRange?.rangeLimit;
    const init = params.initializationOptions as { settings?: unknown; workspaceTrusted?: unknown } | undefined;
    // included files are read only inside the workspace folders when the client says the workspace is not trusted
    folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    trusted = init?.workspaceTrusted !== false;
    folderChanges = !!params.capabilities.workspace?.workspaceFolders;
    platform.host.setWorkspace(folders, trusted);
    if (init?.settings !== undefined) {
      const { settings, problems } = normalizeSettings(init.settings);
      initSettings = settings;
      for (const p of problems) log(`initializationOptions.settings: ${p}`);
    }
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
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
      serverInfo: { name: 'pmta-lsp', version: '0.1.0' },
    };
  });

  connection.onInitialized(() => {
    if (hasConfiguration) {
      void connection.client.register(DidChangeConfigurationNotification.type, undefined).catch(() => undefined);
    }
    void connection.client
      .register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*' }] })
      .catch(() => undefined);
    if (folderChanges) {
      // a folder added to or removed from the workspace: which included files may be read changes
      connection.workspace.onDidChangeWorkspaceFolders((e) => {
        const removed = new Set(e.removed.map((f) => f.uri));
        folders = [...folders.filter((f) => !removed.has(f)), ...e.added.map((f) => f.uri).filter((f) => !folders.includes(f))];
        platform.host.setWorkspace(folders, trusted);
        filesChanged();
      });
    }
  });

  async function settingsFor(uri: string): Promise<Settings> {
    if (!hasConfiguration) return initSettings;
    let p = settingsCache.get(uri);
    if (!p) {
      p = connection.workspace
        .getConfiguration({ scopeUri: uri, section: 'pmta' })
        .then((raw) => {
          const { settings, problems } = normalizeSettings(raw ?? {});
          for (const pr of problems) log(`settings: ${pr}`);
          return settings;
        })
        .catch(() => initSettings);
      settingsCache.set(uri, p);
    }
    return p;
  }

  /** Which configuration each open document is part of, and what open configurations published for their included files. */
  const configurations = new Configurations(service, documents, (uri, access) => platform.host.nearbyConfigs(uri, access), log);
  const publish = (uri: string, diagnostics: Diagnostic[]) => connection.sendDiagnostics({ uri, diagnostics });

  async function validate(doc: TextDocument): Promise<void> {
    try {
      const settings = await settingsFor(doc.uri);
      // a newer version (or a closed document) makes this run pointless: that version has its own run.
      // (TextDocuments updates the document object in place: compare with the version this run started on.)
      const version = doc.version;
      const stale = () => documents.get(doc.uri)?.version !== version;
      if (stale()) return;
      const context = configurations.contextOf(doc, settings);
      const findings = await runInSlices(service.lintSteps(doc, context), stale);
      if (!findings || stale()) return;
      const diagnostics = findings.map((f) => service.toDiagnostic(doc, f));
      configurations.publishedOwn(doc.uri);
      await connection.sendDiagnostics({ uri: doc.uri, version, diagnostics });
      // a configuration (not itself part of another): the problems of the files it includes too
      if (context.root) return;
      const included = await runInSlices(service.includedSteps(doc, context), stale);
      if (included && !stale()) await configurations.publishIncluded(doc.uri, included, publish);
    } catch (e) {
      log(`validation failed for ${doc.uri}: ${(e as Error)?.stack ?? e}`);
    } finally {
      void fetchIncluded();
    }
  }

  let fetching = false;
  /** A host that reads through the client (the browser's; on Node, for a virtual workspace): read what the analyses wanted, then check again. */
  async function fetchIncluded(): Promise<void> {
    if (!platform.fetchIncluded || fetching) return;
    fetching = true;
    try {
      if (await platform.fetchIncluded()) {
        service.clear();
        configurations.filesChanged(); // a configuration may now be found for a file opened alone
        documents.all().forEach((d) => scheduler.schedule(d));
        refreshLenses();
      }
    } catch (e) {
      log(`reading included files failed: ${(e as Error)?.stack ?? e}`);
    } finally {
      fetching = false;
    }
  }

  // a document is analysed at once when opened, after a pause in typing when changed
  const scheduler = new ValidationScheduler<TextDocument>((doc) => void validate(doc));

  documents.onDidChangeContent((e) => {
    scheduler.changed(e.document);
    // the documents that read this one's open text or are checked with it: again after a pause
    for (const d of configurations.dependents(e.document.uri)) scheduler.schedule(d);
  });
  /** Code lenses shown may no longer hold: the configuration a file is part of changed. */
  function refreshLenses(): void {
    if (lensRefresh) void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
  }

  documents.onDidOpen((e) => {
    // the files that found no configuration look again; when this one includes files (it may be theirs),
    // they are checked again
    const again = configurations.opened();
    if (!again.length || !INCLUDE_LINE.test(e.document.getText())) return;
    for (const uri of again) {
      const d = documents.get(uri);
      if (d) scheduler.schedule(d);
    }
    refreshLenses();
  });
  documents.onDidClose((e) => {
    scheduler.closed(e.document.uri);
    service.forget(e.document.uri);
    settingsCache.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
    void configurations.closed(e.document.uri, publish).then((again) => {
      for (const d of again) scheduler.schedule(d);
      if (again.length) refreshLenses();
    });
  });

  connection.onDidChangeConfiguration((change) => {
    settingsCache.clear();
    if (!hasConfiguration) {
      const raw = (change.settings as { pmta?: unknown } | undefined)?.pmta;
      initSettings = normalizeSettings(raw ?? {}).settings;
    }
    documents.all().forEach((d) => scheduler.schedule(d));
  });

  /** Files changed, or which may be read: rebuild every model, look for the configurations again. */
  function filesChanged(): void {
    service.clear();
    platform.host.forget();
    configurations.filesChanged();
    documents.all().forEach((d) => scheduler.schedule(d));
    refreshLenses();
  }

  // an included file may have changed
  connection.onDidChangeWatchedFiles(() => filesChanged());

  /** What a request on `doc` is answered with: its settings, the other open documents, its configuration. */
  async function contextOf(doc: TextDocument): Promise<RequestContext> {
    return configurations.contextOf(doc, await settingsFor(doc.uri));
  }

  /** Run a request handler; a failure answers with `fallback` instead of crashing the server. */
  async function attempt<R>(fallback: R, fn: () => R | Promise<R>): Promise<R> {
    try {
      return await fn();
    } catch (e) {
      log(`request failed: ${(e as Error)?.stack ?? e}`);
      return fallback;
    }
  }

  /** A handler for a request on an open document: `fallback` for any other document, or on failure. */
  function guarded<P extends { textDocument: { uri: string } }, R>(fallback: R, fn: (doc: TextDocument, p: P) => R | Promise<R>) {
    return async (params: P): Promise<R> => {
      const doc = documents.get(params.textDocument.uri);
      return doc ? attempt(fallback, () => fn(doc, params)) : fallback;
    };
  }

  connection.onHover(
    guarded(null, async (doc, p) => {
      const settings = await settingsFor(doc.uri);
      return service.hover(doc, p.position, configurations.contextOf(doc, settings));
    }),
  );
  connection.onCompletion(
    guarded({ isIncomplete: false, items: [] }, async (doc, p) => {
      const settings = await settingsFor(doc.uri);
      return service.complete(doc, p.position, configurations.contextOf(doc, settings));
    }),
  );
  connection.onCodeAction(
    guarded([], async (doc, p) => {
      const settings = await settingsFor(doc.uri);
      const request = { diagnostics: p.context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE), only: p.context.only };
      return service.codeActions(doc, p.range, request, configurations.contextOf(doc, settings));
    }),
  );
  connection.onDocumentSymbol(guarded([], async (doc) => service.documentSymbols(doc, await contextOf(doc))));
  connection.onWorkspaceSymbol((p) =>
    attempt([], async () => {
      // the open PowerMTA documents and the configurations they are part of (which bring the files they include)
      const docs = documents.all().filter((d) => d.languageId === 'powermta');
      const all = new Map(docs.map((d) => [d.uri, d]));
      for (const d of docs) {
        const root = configurations.rootOf(d, await settingsFor(d.uri));
        if (root && !all.has(root.uri)) all.set(root.uri, root);
      }
      return service.workspaceSymbols(typeof p?.query === 'string' ? p.query : '', [...all.values()]);
    }),
  );
  connection.onFoldingRanges(guarded([], async (doc) => service.foldingRanges(doc, foldingRangeLimit, await contextOf(doc))));
  connection.onDefinition(guarded([], async (doc, p) => service.definition(doc, p.position, await contextOf(doc))));
  connection.onReferences(guarded([], async (doc, p) => service.references(doc, p.position, p.context.includeDeclaration, await contextOf(doc))));
  connection.onDocumentHighlight(guarded([], async (doc, p) => service.documentHighlights(doc, p.position, await contextOf(doc))));
  connection.onPrepareRename(guarded(null, async (doc, p) => service.prepareRename(doc, p.position, await contextOf(doc))));
  connection.onRenameRequest(guarded(null, async (doc, p) => service.rename(doc, p.position, p.newName, await contextOf(doc))));
  connection.onDocumentFormatting(guarded([], async (doc, p) => service.format(doc, p.options, undefined, await contextOf(doc))));
  connection.onDocumentRangeFormatting(guarded([], async (doc, p) => service.format(doc, p.options, p.range, await contextOf(doc))));
  connection.onDocumentLinks(guarded([], async (doc) => service.documentLinks(doc, await contextOf(doc))));
  connection.onCodeLens(
    guarded([], async (doc) => {
      const settings = await settingsFor(doc.uri);
      return service.codeLenses(doc, configurations.contextOf(doc, settings));
    }),
  );

  // custom requests (protocol.ts)
  connection.onRequest(EXPLAIN_REPLY, (p: ExplainReplyParams) => service.explainReply(typeof p?.text === 'string' ? p.text : ''));
  connection.onRequest(TIER, guarded(null, async (doc, _p: TierParams) => {
    const settings = await settingsFor(doc.uri);
    return service.tierInfo(doc, configurations.contextOf(doc, settings));
  }));
  connection.onRequest(MICROSOFT_CONFIGURATION, (p: MicrosoftConfigurationParams) =>
    attempt(null, async () => {
      const doc = p?.textDocument ? documents.get(p.textDocument.uri) : undefined;
      const settings = doc ? await settingsFor(doc.uri) : initSettings;
      const o = p?.options ?? {};
      const options = { indent: typeof o.indent === 'string' ? o.indent : undefined, eol: o.eol === '\r\n' ? '\r\n' : '\n' };
      return service.microsoftConfiguration(String(p?.tier ?? ''), doc, options, doc ? configurations.contextOf(doc, settings) : { settings });
    }),
  );

  documents.listen(connection);
  connection.listen();
}
