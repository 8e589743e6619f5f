/**
 * The requests the server answers: the LSP feature requests on an open document and the custom requests
 * (protocol.ts), each answered by the language service in the document's request context (its settings,
 * the other open documents, the configuration it is part of). A request on a document that is not open
 * gets an empty answer; a failure is logged and gets one too, never a crash. An accounting file gets
 * its hover only. (The delivery report's requests are deliveryReport.ts's.)
 */
import type { CompletionList, Connection, InitializeParams, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { PmtaLanguageService } from '../service';
import type { RequestContext } from '../types';
import { DIAGNOSTIC_SOURCE } from '../diagnostics';
import type { ClientSettings } from './clientSettings';
import type { Configurations } from './configurations';
import {
  ACCOUNTING_LANGUAGE,
  EXPLAIN_REPLY,
  MICROSOFT_CONFIGURATION,
  TIER,
  type ExplainReplyParams,
  type MicrosoftConfigurationParams,
  type TierParams,
} from './protocol';

export class RequestHandler {
  /** The client's limit on folding ranges. */
  private foldingRangeLimit: number | undefined;

  constructor(
    private connection: Connection,
    private documents: TextDocuments<TextDocument>,
    private service: PmtaLanguageService,
    private settings: ClientSettings,
    private configurations: Configurations,
    private log: (message: string) => void,
  ) {}

  /** From `initialize`: what the client can take. */
  initialize(params: InitializeParams): void {
    this.foldingRangeLimit = params.capabilities.textDocument?.foldingRange?.rangeLimit;
  }

  register(): void {
    const { connection, service } = this;
    const empty: CompletionList = { isIncomplete: false, items: [] };
    connection.onHover((p) => {
      // an accounting file: the Microsoft codes of its replies, with no configuration to look at
      const doc = this.documents.get(p.textDocument.uri);
      if (doc?.languageId === ACCOUNTING_LANGUAGE)
        return this.attempt(null, () => service.report.accountingHover(doc, p.position));
      return this.guarded(null, (d, q: typeof p, context) => service.hover(d, q.position, context))(p);
    });
    connection.onCompletion(this.guarded(empty, (doc, p, context) => service.complete(doc, p.position, context)));
    connection.onCodeAction(
      this.guarded([], (doc, p, context) => {
        const request = {
          diagnostics: p.context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE),
          only: p.context.only,
        };
        return service.codeActions(doc, p.range, request, context);
      }),
    );
    connection.onDocumentSymbol(this.guarded([], (doc, _p, context) => service.documentSymbols(doc, context)));
    connection.onWorkspaceSymbol((p) =>
      this.attempt([], async () =>
        service.workspaceSymbols(typeof p?.query === 'string' ? p.query : '', await this.workspaceDocuments()),
      ),
    );
    connection.onFoldingRanges(
      this.guarded([], (doc, _p, context) => service.foldingRanges(doc, this.foldingRangeLimit, context)),
    );
    connection.onDefinition(this.guarded([], (doc, p, context) => service.definition(doc, p.position, context)));
    connection.onReferences(
      this.guarded([], (doc, p, context) => service.references(doc, p.position, p.context.includeDeclaration, context)),
    );
    connection.onDocumentHighlight(
      this.guarded([], (doc, p, context) => service.documentHighlights(doc, p.position, context)),
    );
    connection.onPrepareRename(
      this.guarded(null, (doc, p, context) => service.prepareRename(doc, p.position, context)),
    );
    connection.onRenameRequest(
      this.guarded(null, (doc, p, context) => service.rename(doc, p.position, p.newName, context)),
    );
    connection.onDocumentFormatting(
      this.guarded([], (doc, p, context) => service.format(doc, p.options, undefined, context)),
    );
    connection.onDocumentRangeFormatting(
      this.guarded([], (doc, p, context) => service.format(doc, p.options, p.range, context)),
    );
    connection.onDocumentLinks(this.guarded([], (doc, _p, context) => service.documentLinks(doc, context)));
    connection.onCodeLens(this.guarded([], (doc, _p, context) => service.codeLenses(doc, context)));

    // custom requests (protocol.ts)
    connection.onRequest(EXPLAIN_REPLY, (p: ExplainReplyParams) =>
      service.explainReply(typeof p?.text === 'string' ? p.text : ''),
    );
    connection.onRequest(
      TIER,
      this.guarded(null, (doc, _p: TierParams, context) => service.tierInfo(doc, context)),
    );
    connection.onRequest(MICROSOFT_CONFIGURATION, (p: MicrosoftConfigurationParams) =>
      this.attempt(null, async () => {
        const doc = p?.textDocument ? this.documents.get(p.textDocument.uri) : undefined;
        const context = doc ? await this.contextOf(doc) : { settings: this.settings.initial };
        const o = p?.options ?? {};
        const options = {
          indent: typeof o.indent === 'string' ? o.indent : undefined,
          eol: o.eol === '\r\n' ? '\r\n' : '\n',
        };
        return service.microsoftConfiguration(String(p?.tier ?? ''), doc, options, context);
      }),
    );
  }

  /** What a request on `doc` is answered with: its settings, the other open documents, its configuration. */
  private async contextOf(doc: TextDocument): Promise<RequestContext> {
    return this.configurations.contextOf(doc, await this.settings.of(doc.uri));
  }

  /** The open PowerMTA documents and the configurations they are part of (which bring the files they include). */
  private async workspaceDocuments(): Promise<TextDocument[]> {
    const docs = this.documents.all().filter((d) => d.languageId === 'powermta');
    const all = new Map(docs.map((d) => [d.uri, d]));
    for (const d of docs) {
      const root = this.configurations.rootOf(d, await this.settings.of(d.uri));
      if (root && !all.has(root.uri)) all.set(root.uri, root);
    }
    return [...all.values()];
  }

  /** Run a request handler; a failure answers with `fallback` instead of crashing the server. */
  private async attempt<R>(fallback: R, fn: () => R | Promise<R>): Promise<R> {
    try {
      return await fn();
    } catch (e) {
      this.log(`request failed: ${(e as Error)?.stack ?? e}`);
      return fallback;
    }
  }

  /**
   * A handler for a request on an open document, answered in its request context: `fallback` for any
   * other document, or on failure.
   */
  private guarded<P extends { textDocument: { uri: string } }, R>(
    fallback: R,
    fn: (doc: TextDocument, p: P, context: RequestContext) => R,
  ) {
    return async (params: P): Promise<R> => {
      const doc = this.documents.get(params.textDocument.uri);
      // an accounting file is no configuration: only its hover is answered (above)
      return doc && doc.languageId !== ACCOUNTING_LANGUAGE
        ? this.attempt(fallback, async () => fn(doc, params, await this.contextOf(doc)))
        : fallback;
    };
  }
}
