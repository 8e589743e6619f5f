/**
 * The language server: a thin adapter from LSP to {@link PmtaLanguageService}.
 * Runs in VS Code (IPC) and standalone for any LSP editor: `node dist/server.js --stdio`.
 */
import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { PmtaLanguageService } from './service';
import { normalizeSettings, Settings } from './settings';
import { forgetReadFiles, nearbyConfigs, nodeIncludeHost, setIncludeWorkspace } from './nodeHost';
import { fileKey } from './model';
import { runInSlices, ValidationScheduler } from './validation';
import { EXPLAIN_REPLY, MICROSOFT_CONFIGURATION, TIER, type ExplainReplyParams, type MicrosoftConfigurationParams, type TierParams } from './protocol';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const service = new PmtaLanguageService({ host: nodeIncludeHost });

let hasConfiguration = false;
let foldingRangeLimit: number | undefined;
let initSettings: Settings = {};
const settingsCache = new Map<string, Promise<Settings>>();

function log(message: string): void {
  connection.console.log(`[pmta] ${message}`);
}

connection.onInitialize((params) => {
  hasConfiguration = !!params.capabilities.workspace?.configuration;
  foldingRangeLimit = params.capabilities.textDocument?.foldingRange?.rangeLimit;
  const init = params.initializationOptions as { settings?: unknown; workspaceTrusted?: unknown } | undefined;
  // included files are read only inside the workspace folders when the client says the workspace is not trusted
  const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
  setIncludeWorkspace(folders, init?.workspaceTrusted !== false);
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
      foldingRangeProvider: true,
      definitionProvider: true,
      referencesProvider: true,
      renameProvider: { prepareProvider: true },
      documentFormattingProvider: true,
      documentRangeFormattingProvider: true,
      documentLinkProvider: { resolveProvider: false },
      codeLensProvider: { resolveProvider: false },
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

function siblingsOf(doc: TextDocument): TextDocument[] {
  return documents.all().filter((d) => d.uri !== doc.uri && d.languageId === 'powermta');
}

/**
 * The configuration each open document is part of: the URI of the file that includes it (null: none
 * found). Looked for once per document, among the open documents and the configuration files near it
 * on disk; again when files change on disk or a document is opened.
 */
const roots = new Map<string, string | null>();
/** Those configurations that are not open, as read from disk. */
const diskRoots = new Map<string, TextDocument>();

function rootOf(doc: TextDocument, settings: Settings): TextDocument | undefined {
  if (settings.includes?.resolve === false) return undefined;
  let uri = roots.get(doc.uri);
  if (uri === undefined) {
    const open = siblingsOf(doc);
    const openKeys = new Set(open.map((d) => fileKey(d.uri)));
    const disk = nearbyConfigs(doc.uri, { workspaceOnly: settings.includes?.workspaceOnly === true })
      .filter((c) => !openKeys.has(fileKey(c.uri)))
      .map((c) => TextDocument.create(c.uri, 'powermta', Math.floor(c.mtime), c.text));
    uri = service.includers(doc, [...open, ...disk], settings)[0]?.uri ?? null;
    roots.set(doc.uri, uri);
    for (const d of disk) {
      if (d.uri === uri) diskRoots.set(d.uri, d);
      else service.forget(d.uri);
    }
    if (uri) log(`${doc.uri} is checked as part of ${uri}, which includes it`);
  }
  if (!uri) return undefined;
  return documents.get(uri) ?? diskRoots.get(uri);
}

/** What a document is linted with: the other open documents, and the configuration it is part of. */
function contextOf(doc: TextDocument, settings: Settings): { siblings: TextDocument[]; root?: TextDocument } {
  return { siblings: siblingsOf(doc), root: rootOf(doc, settings) };
}

/** The other open documents and the configuration a document is part of, for name lookup. */
async function namesContextOf(doc: TextDocument): Promise<TextDocument[]> {
  const { siblings, root } = contextOf(doc, await settingsFor(doc.uri));
  return root && !siblings.includes(root) ? [...siblings, root] : siblings;
}

async function validate(doc: TextDocument): Promise<void> {
  try {
    const settings = await settingsFor(doc.uri);
    // a newer version (or a closed document) makes this run pointless: that version has its own run.
    // (TextDocuments updates the document object in place: compare with the version this run started on.)
    const version = doc.version;
    const stale = () => documents.get(doc.uri)?.version !== version;
    if (stale()) return;
    const { siblings, root } = contextOf(doc, settings);
    const findings = await runInSlices(service.lintSteps(doc, settings, siblings, root), stale);
    if (!findings || stale()) return;
    const diagnostics = findings.map((f) => service.toDiagnostic(doc, f));
    includedSent.delete(doc.uri);
    await connection.sendDiagnostics({ uri: doc.uri, version, diagnostics });
    // a configuration (not itself part of another): the problems of the files it includes too
    if (!root) await publishIncluded(doc, settings, siblings, stale);
  } catch (e) {
    log(`validation failed for ${doc.uri}: ${(e as Error)?.stack ?? e}`);
  }
}

/**
 * The files each open configuration includes that are not open, with the diagnostics published for them
 * (an open file gets its own, from its open text).
 */
const includedPublished = new Map<string, Set<string>>();
/** What was last published for each of those files (a new version of the configuration resends only what changed). */
const includedSent = new Map<string, string>();

function isOpen(uri: string): boolean {
  const key = fileKey(uri);
  return documents.all().some((d) => fileKey(d.uri) === key);
}

async function publishIncluded(doc: TextDocument, settings: Settings, siblings: TextDocument[], stale: () => boolean): Promise<void> {
  const included = await runInSlices(service.includedSteps(doc, settings, siblings), stale);
  if (!included || stale()) return;
  const now = new Set<string>();
  for (const inc of included) {
    if (isOpen(inc.uri)) continue;
    now.add(inc.uri);
    const diagnostics = inc.findings.map((f) => service.toDiagnostic(inc.doc, f));
    const sent = JSON.stringify(diagnostics);
    if (includedSent.get(inc.uri) === sent) continue;
    includedSent.set(inc.uri, sent);
    await connection.sendDiagnostics({ uri: inc.uri, diagnostics });
  }
  await clearIncluded(doc.uri, now);
  includedPublished.set(doc.uri, now);
}

/** Clear what a configuration published for the files it included, but those in `keep`. */
async function clearIncluded(rootUri: string, keep: ReadonlySet<string> = new Set()): Promise<void> {
  const before = includedPublished.get(rootUri);
  if (!before) return;
  includedPublished.delete(rootUri);
  for (const uri of before) {
    if (keep.has(uri) || isOpen(uri) || [...includedPublished.values()].some((set) => set.has(uri))) continue;
    includedSent.delete(uri);
    await connection.sendDiagnostics({ uri, diagnostics: [] });
  }
}

// a document is analysed at once when opened, after a pause in typing when changed
const scheduler = new ValidationScheduler<TextDocument>((doc) => void validate(doc));

documents.onDidChangeContent((e) => {
  scheduler.changed(e.document);
  // the configuration this one is part of (it reads this file's open text), the files checked as part of
  // this one or of the same configuration: again after a pause
  const own = roots.get(e.document.uri);
  const ownDoc = own ? documents.get(own) : undefined;
  if (ownDoc) scheduler.schedule(ownDoc);
  for (const [uri, root] of roots) {
    if (uri === e.document.uri || !(root === e.document.uri || (own && root === own))) continue;
    const d = documents.get(uri);
    if (d) scheduler.schedule(d);
  }
});
documents.onDidOpen(() => {
  // a newly opened document may include one that found no configuration
  for (const [uri, root] of roots) if (root === null) roots.delete(uri);
});
documents.onDidClose((e) => {
  scheduler.closed(e.document.uri);
  void clearIncluded(e.document.uri);
  // its configuration, when open, reports its problems again (from the file on disk)
  const root = roots.get(e.document.uri);
  const rootDoc = root ? documents.get(root) : undefined;
  if (rootDoc) scheduler.schedule(rootDoc);
  roots.delete(e.document.uri);
  // the files it includes look for their configuration again (on disk, or in another open file)
  for (const [uri, root] of roots) if (root === e.document.uri) roots.delete(uri);
  service.forget(e.document.uri);
  settingsCache.delete(e.document.uri);
  includedSent.delete(e.document.uri);
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

connection.onDidChangeConfiguration((change) => {
  settingsCache.clear();
  if (!hasConfiguration) {
    const raw = (change.settings as { pmta?: unknown } | undefined)?.pmta;
    initSettings = normalizeSettings(raw ?? {}).settings;
  }
  documents.all().forEach((d) => scheduler.schedule(d));
});

connection.onDidChangeWatchedFiles(() => {
  // an included file may have changed: rebuild every model, look for the configurations again
  service.clear();
  forgetReadFiles();
  roots.clear();
  diskRoots.clear();
  documents.all().forEach((d) => scheduler.schedule(d));
});

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
    return service.hover(doc, p.position, settings, contextOf(doc, settings));
  }),
);
connection.onCompletion(
  guarded({ isIncomplete: false, items: [] }, async (doc, p) => {
    const settings = await settingsFor(doc.uri);
    return service.complete(doc, p.position, settings, contextOf(doc, settings));
  }),
);
connection.onCodeAction(
  guarded([], async (doc, p) => {
    const settings = await settingsFor(doc.uri);
    return service.codeActions(doc, p.range, p.context.diagnostics.filter((d) => d.source === 'pmta'), settings, p.context.only, contextOf(doc, settings));
  }),
);
connection.onDocumentSymbol(guarded([], (doc) => service.documentSymbols(doc)));
connection.onFoldingRanges(guarded([], (doc) => service.foldingRanges(doc, foldingRangeLimit)));
connection.onDefinition(guarded([], async (doc, p) => service.definition(doc, p.position, await namesContextOf(doc))));
connection.onReferences(guarded([], async (doc, p) => service.references(doc, p.position, p.context.includeDeclaration, await namesContextOf(doc))));
connection.onPrepareRename(guarded(null, (doc, p) => service.prepareRename(doc, p.position)));
connection.onRenameRequest(guarded(null, async (doc, p) => service.rename(doc, p.position, p.newName, contextOf(doc, await settingsFor(doc.uri)))));
connection.onDocumentFormatting(guarded([], (doc, p) => service.format(doc, p.options)));
connection.onDocumentRangeFormatting(guarded([], (doc, p) => service.format(doc, p.options, p.range)));
connection.onDocumentLinks(guarded([], (doc) => service.documentLinks(doc)));
connection.onCodeLens(
  guarded([], async (doc) => {
    const settings = await settingsFor(doc.uri);
    return service.codeLenses(doc, settings, contextOf(doc, settings));
  }),
);

// custom requests (protocol.ts)
connection.onRequest(EXPLAIN_REPLY, (p: ExplainReplyParams) => service.explainReply(typeof p?.text === 'string' ? p.text : ''));
connection.onRequest(TIER, guarded(null, async (doc, _p: TierParams) => {
  const settings = await settingsFor(doc.uri);
  return service.tierInfo(doc, settings, contextOf(doc, settings));
}));
connection.onRequest(MICROSOFT_CONFIGURATION, (p: MicrosoftConfigurationParams) =>
  attempt(null, async () => {
    const doc = p?.textDocument ? documents.get(p.textDocument.uri) : undefined;
    const settings = doc ? await settingsFor(doc.uri) : initSettings;
    const o = p?.options ?? {};
    const options = { indent: typeof o.indent === 'string' ? o.indent : undefined, eol: o.eol === '\r\n' ? '\r\n' : '\n' };
    return service.microsoftConfiguration(String(p?.tier ?? ''), doc, settings, options);
  }),
);

process.on('uncaughtException', (e) => log(`uncaught: ${e?.stack ?? e}`));
process.on('unhandledRejection', (e) => log(`unhandled rejection: ${(e as Error)?.stack ?? e}`));

documents.listen(connection);
connection.listen();
