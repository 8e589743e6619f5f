/**
 * The open documents, for the server: each is checked at once when opened and after a pause in typing
 * when changed (scheduler.ts), in slices that give way to incoming messages, and its diagnostics are
 * published; an open configuration publishes those of the files it includes too (configurations.ts).
 * Documents are checked again when what they are checked with changes: the settings, the files on disk,
 * the workspace folders, the files an include host that reads through the client has now fetched. Code
 * lenses are refreshed when the configuration of the open files may have changed. Files on disk are
 * watched through the client when it takes that registration; otherwise a saved document stands for a
 * changed file, and an opened one has what was read from disk read again. Accounting files
 * (protocol.ts's ACCOUNTING_LANGUAGE) are no configurations: they are not checked.
 */
import {
  CodeLensRefreshRequest,
  type Connection,
  type Diagnostic,
  DidChangeWatchedFilesNotification,
  type InitializeParams,
  type TextDocuments,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { PmtaLanguageService } from '../service';
import type { WorkspaceIncludeHost } from '../hosts/includeHost';
import { INCLUDE_LINE } from '../hosts/nearby';
import type { ClientSettings } from './clientSettings';
import type { Configurations } from './configurations';
import { runInSlices, ValidationScheduler } from './scheduler';
import { ACCOUNTING_LANGUAGE } from './protocol';

export class DocumentHandler {
  /** A document is analysed at once when opened, after a pause in typing when changed. */
  private scheduler = new ValidationScheduler<TextDocument>((doc) => void this.validate(doc));
  /** The client asks for code lenses again when told (they depend on the configuration a file is part of). */
  private lensRefresh = false;
  /** The workspace folders (URIs), whether the workspace is trusted, whether the client tells when folders change. */
  private folders: string[] = [];
  private trusted = true;
  private folderChanges = false;
  /** The client takes a dynamic registration of `workspace/didChangeWatchedFiles` (it watches files for the server). */
  private watching = false;
  private fetching = false;

  /**
   * @param fetchIncluded for a host that cannot read while a model is built (the browser's): fetch what the
   *   last analyses looked for and did not have; true when some of it was found
   */
  constructor(
    private connection: Connection,
    private documents: TextDocuments<TextDocument>,
    private service: PmtaLanguageService,
    private settings: ClientSettings,
    private configurations: Configurations,
    private host: WorkspaceIncludeHost,
    private log: (message: string) => void,
    private fetchIncluded?: () => Promise<boolean>,
    /** Called after a document's problems are published. */
    private analysed?: () => void,
  ) {}

  /** From `initialize`: the workspace folders and whether the workspace is trusted (which files an include may read). */
  initialize(params: InitializeParams): void {
    this.lensRefresh = !!params.capabilities.workspace?.codeLens?.refreshSupport;
    const init = params.initializationOptions as { workspaceTrusted?: unknown } | undefined;
    // included files are read only inside the workspace folders when the client says the workspace is not trusted
    this.folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    this.trusted = init?.workspaceTrusted !== false;
    this.folderChanges = !!params.capabilities.workspace?.workspaceFolders;
    this.watching = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    this.host.setWorkspace(this.folders, this.trusted);
  }

  /** After `initialized`: watch the files (an included one may change) when the client can, and the workspace folders. */
  initialized(): void {
    if (this.watching)
      void this.connection.client
        .register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*' }] })
        .catch(() => undefined);
    if (!this.folderChanges) return;
    // a folder added to or removed from the workspace: which included files may be read changes
    this.connection.workspace.onDidChangeWorkspaceFolders((e) => {
      const removed = new Set(e.removed.map((f) => f.uri));
      this.folders = [
        ...this.folders.filter((f) => !removed.has(f)),
        ...e.added.map((f) => f.uri).filter((f) => !this.folders.includes(f)),
      ];
      this.host.setWorkspace(this.folders, this.trusted);
      this.filesChanged();
    });
  }

  /** Listen to the document notifications and to changed files. */
  register(): void {
    this.documents.onDidChangeContent((e) => {
      // an accounting file is no configuration: nothing to check (its hover needs no analysis)
      if (e.document.languageId === ACCOUNTING_LANGUAGE) return;
      this.scheduler.changed(e.document);
      // the documents that read this one's open text or are checked with it: again after a pause
      for (const d of this.configurations.dependents(e.document.uri)) this.scheduler.schedule(d);
    });
    this.documents.onDidOpen((e) => this.opened(e.document));
    this.documents.onDidClose((e) => this.closed(e.document));
    // an included file may have changed
    this.connection.onDidChangeWatchedFiles(() => this.filesChanged());
    // nothing watches the files for the server: a saved document is a file that changed on disk
    this.documents.onDidSave((e) => {
      if (!this.watching && e.document.languageId !== ACCOUNTING_LANGUAGE) this.filesChanged();
    });
  }

  /** Check every open document again after the usual pause (the settings changed). */
  checkAll(): void {
    this.documents.all().forEach((d) => this.scheduler.schedule(d));
  }

  private publish = (uri: string, diagnostics: Diagnostic[]): Promise<void> =>
    this.connection.sendDiagnostics({ uri, diagnostics });

  private async validate(doc: TextDocument): Promise<void> {
    try {
      const settings = await this.settings.of(doc.uri);
      // a newer version (or a closed document) makes this run pointless: that version has its own run.
      // (TextDocuments updates the document object in place: compare with the version this run started on.)
      const version = doc.version;
      const stale = () => this.documents.get(doc.uri)?.version !== version;
      if (stale()) return;
      const context = this.configurations.contextOf(doc, settings);
      const findings = await runInSlices(this.service.lintSteps(doc, context), stale);
      if (!findings || stale()) return;
      const diagnostics = findings.map((f) => this.service.toDiagnostic(doc, f));
      this.configurations.publishedOwn(doc.uri);
      await this.connection.sendDiagnostics({ uri: doc.uri, version, diagnostics });
      this.analysed?.();
      // a configuration (not itself part of another): the problems of the files it includes too
      if (context.root) return;
      const included = await runInSlices(this.service.includedSteps(doc, context), stale);
      if (included && !stale()) await this.configurations.publishIncluded(doc.uri, included, this.publish);
    } catch (e) {
      this.log(`validation failed for ${doc.uri}: ${(e as Error)?.stack ?? e}`);
    } finally {
      void this.fetchMissing();
    }
  }

  /** A host that reads through the client (the browser's; on Node, for a virtual workspace): read what the analyses wanted, then check again. */
  private async fetchMissing(): Promise<void> {
    if (!this.fetchIncluded || this.fetching) return;
    this.fetching = true;
    try {
      if (await this.fetchIncluded()) {
        this.service.clear();
        this.configurations.filesChanged(); // a configuration may now be found for a file opened alone
        this.checkAll();
        this.refreshLenses();
      }
    } catch (e) {
      this.log(`reading included files failed: ${(e as Error)?.stack ?? e}`);
    } finally {
      this.fetching = false;
    }
  }

  /** The files that found no configuration look again; when the opened one includes files (it may be theirs), they are checked again. */
  private opened(doc: TextDocument): void {
    if (doc.languageId === ACCOUNTING_LANGUAGE) return;
    const again = this.configurations.opened();
    // nothing told the server of files changed on disk since it last read them: they are read again, and
    // the configurations looked for again, when the documents are next checked (this one at once)
    if (!this.watching) this.forgetFiles();
    if (!again.length || !INCLUDE_LINE.test(doc.getText())) return;
    for (const uri of again) {
      const d = this.documents.get(uri);
      if (d) this.scheduler.schedule(d);
    }
    this.refreshLenses();
  }

  private closed(doc: TextDocument): void {
    if (doc.languageId === ACCOUNTING_LANGUAGE) return;
    this.scheduler.closed(doc.uri);
    this.service.forget(doc.uri);
    this.settings.forget(doc.uri);
    void this.connection.sendDiagnostics({ uri: doc.uri, diagnostics: [] });
    void this.configurations.closed(doc.uri, this.publish).then((again) => {
      for (const d of again) this.scheduler.schedule(d);
      if (again.length) this.refreshLenses();
    });
  }

  /** Files changed, or which may be read: rebuild every model, look for the configurations again. */
  private filesChanged(): void {
    this.forgetFiles();
    this.checkAll();
    this.refreshLenses();
  }

  /** Forget every model, every text read from disk and every configuration found. */
  private forgetFiles(): void {
    this.service.clear();
    this.host.forget();
    this.configurations.filesChanged();
  }

  /** Code lenses shown may no longer hold: the configuration a file is part of changed. */
  private refreshLenses(): void {
    if (this.lensRefresh) void this.connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
  }
}
