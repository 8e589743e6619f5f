/**
 * The public API of the PowerMTA language service: text in, LSP types out. A façade: every request
 * takes the document, what the request itself needs (a position, a range, a new name), and the same
 * {@link RequestContext} (settings, the files checked together, the configuration the document is part
 * of); each method calls the feature function of the same name (the code lenses: `budgetLenses`) on the
 * document's model. The models are cached (modelCache.ts), the rules run in rules/run.ts, findings
 * become diagnostics in diagnostics.ts and code actions in features/codeActions.ts. No connection, no
 * file system, no Node-only API: the server, the CLI and the web worker all use this same class. File
 * access for `include` goes through an optional host.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import type {
  CodeAction,
  CodeLens,
  CompletionList,
  Diagnostic,
  DocumentHighlight,
  DocumentLink,
  DocumentSymbol,
  FoldingRange,
  FormattingOptions,
  Hover,
  Location,
  Position,
  Range,
  SymbolInformation,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver-types';
import { fileKey, type Model } from './model';
import { RULES } from './rules';
import { runRules, runToEnd } from './rules/run';
import type { Finding, IncludedFindings } from './findings';
import type {
  MicrosoftConfiguration,
  MicrosoftConfigurationOptions,
  ReplyExplanation,
  RequestContext,
  ServiceOptions,
  TierInfo,
} from './types';
import { findingsKey } from './modelCache';
import { safe, ServiceModels } from './serviceModels';
import { DeliveryReportService } from './reportService';
import { toDiagnostic } from './diagnostics';
import { codeActions, fixAll, type CodeActionRequest } from './features/codeActions';
import { hover } from './features/hover';
import { complete } from './features/completion';
import { documentSymbols } from './features/symbols';
import { workspaceSymbols } from './features/workspaceSymbols';
import { foldingRanges, MAX_FOLDING_RANGES } from './features/folding';
import { definition, documentHighlights, prepareRename, references, rename } from './features/navigation';
import { format } from './features/formatting';
import { documentLinks } from './features/links';
import { explainReply } from './features/explain';
import { budgetLenses, microsoftConfiguration, tierInfo } from './features/microsoft';
import { dkimLenses } from './features/dkim';

export { TextDocument, RULES };

export class PmtaLanguageService {
  private m: ServiceModels;
  /** The requests of the Microsoft delivery report (reportService.ts). */
  readonly report: DeliveryReportService;

  constructor(private options: ServiceOptions = {}) {
    this.m = new ServiceModels(options.host);
    this.report = new DeliveryReportService(this.m);
  }

  /**
   * The semantic model of a document version (cached). Never throws. Without settings, the model
   * already built for this version is used, whatever settings it was built with.
   */
  getModel(doc: TextDocument, context: RequestContext = {}): Model {
    return this.m.cache.entry(doc, context.settings).model;
  }

  /**
   * The candidates that include `doc` (directly or through other included files), the one whose
   * configuration takes in the most files first: the configuration `doc` is part of. For an editor that
   * opened a fragment such as `conf.d/domains.conf`, the candidates are the configuration files near it;
   * the first one found is the `root` of its request context.
   */
  includers(doc: TextDocument, candidates: readonly TextDocument[], context: RequestContext = {}): TextDocument[] {
    const settings = context.settings;
    if (!this.options.host || settings?.includes?.resolve === false) return [];
    const key = fileKey(doc.uri);
    const found: Array<{ doc: TextDocument; size: number }> = [];
    for (const c of candidates) {
      if (c.uri === doc.uri || this.m.limitOf(c, settings)) continue;
      const models = safe(() => this.getModel(c, { settings }).allModels(), []);
      if (models.some((m, i) => i > 0 && fileKey(m.uri) === key)) found.push({ doc: c, size: models.length });
    }
    return found.sort((a, b) => b.size - a.size).map((f) => f.doc);
  }

  /** Forget a closed document. */
  forget(uri: string): void {
    this.m.forget(uri);
  }

  /** Forget every cached model (e.g. an included file changed on disk). */
  clear(): void {
    this.m.cache.clear();
  }

  /**
   * Every finding of every enabled rule, severities resolved from the settings, suppressions applied.
   * The siblings' definitions count for undefined-reference; with a root, names defined anywhere in it
   * count, and the Microsoft rules judge the queues of the whole configuration, reporting what lies in `doc`.
   */
  lint(doc: TextDocument, context: RequestContext = {}): Finding[] {
    return runToEnd(this.lintSteps(doc, context));
  }

  /**
   * {@link lint} in steps, for a caller that wants to give way between them and drop the work when
   * the document changes meanwhile: it yields after building the model and after each rule, and
   * returns the findings. A run that is not completed caches no findings.
   */
  *lintSteps(doc: TextDocument, context: RequestContext = {}): Generator<void, Finding[], void> {
    const { settings = {}, siblings = [], root } = context;
    this.m.setLimit(doc.uri, settings.maxFileSizeKB);
    const guard = this.m.guard(doc, settings);
    if (guard) return guard;
    const entry = this.m.cache.entry(doc, settings);
    const model = entry.model;
    let key = findingsKey(settings, siblings);
    const rootModel = root ? this.m.configurationModel(root, doc, model, settings) : undefined;
    if (rootModel) key += '|root#' + rootModel.serial;
    const cached = entry.findings.get(key);
    if (cached) return cached;
    yield;
    const findings = yield* runRules(model, settings, this.m.siblingModels(doc, siblings, settings), rootModel);
    if (entry.findings.size >= 4) entry.findings.clear();
    entry.findings.set(key, findings);
    return findings;
  }

  /**
   * The findings in the files `doc` includes (directly or through other included files), each checked as
   * part of `doc`, in include order; a file without findings is listed too. What `doc` itself gets is
   * {@link lint}'s (the context's root plays no part: `doc` is the configuration). Their positions are
   * those of `IncludedFindings.doc`: the text of the file as `doc`'s analysis read it.
   */
  lintIncluded(doc: TextDocument, context: RequestContext = {}): IncludedFindings[] {
    return runToEnd(this.includedSteps(doc, context));
  }

  /** {@link lintIncluded} in steps (see {@link lintSteps}). */
  *includedSteps(doc: TextDocument, context: RequestContext = {}): Generator<void, IncludedFindings[], void> {
    const { settings = {}, siblings = [] } = context;
    if (this.m.guard(doc, settings)) return [];
    const entry = this.m.cache.entry(doc, settings);
    const model = entry.model;
    const included = model.allModels().slice(1);
    if (!included.length) return [];
    const key = findingsKey(settings, siblings);
    if (entry.included?.key === key) return entry.included.value;
    yield;
    const siblingModels = this.m.siblingModels(doc, siblings, settings);
    const value: IncludedFindings[] = [];
    for (const m of included) {
      // a binary or too large file gets what it gets open on its own
      const guard = this.m.guard(m.doc, settings);
      value.push({ uri: m.uri, doc: m.doc, findings: guard ?? (yield* runRules(m, settings, siblingModels, model)) });
    }
    entry.included = { key, value };
    return value;
  }

  /** LSP diagnostics for a document. */
  validate(doc: TextDocument, context: RequestContext = {}): Diagnostic[] {
    return this.lint(doc, context).map((f) => this.toDiagnostic(doc, f));
  }

  /** The diagnostic of a finding in `doc` (related places in included files get their ranges in those files). */
  toDiagnostic(doc: TextDocument, finding: Finding): Diagnostic {
    // the model of this version places the spans (it finds positions faster than the document does)
    const entry = this.m.cache.get(doc.uri);
    const at = entry?.version === doc.version && entry.text === doc.getText() ? entry.model : doc;
    return toDiagnostic(at, finding, (uri) => this.m.cache.modelOf(uri));
  }

  /**
   * Quick fixes for the client's diagnostics in `request` (or all findings touching `range`), plus "fix all"
   * and "disable this rule" actions; the findings are those of the diagnostics (same context).
   */
  codeActions(
    doc: TextDocument,
    range: Range,
    request: CodeActionRequest = {},
    context: RequestContext = {},
  ): CodeAction[] {
    if (this.m.limitOf(doc, context.settings ?? {})) return [];
    const findings = this.lint(doc, context);
    const lines = this.getModel(doc, context).tree.lines;
    return codeActions(doc, findings, range, request, (f) => this.toDiagnostic(doc, f), lines);
  }

  /** Apply every safe fix, round after round (`pmta-lint --fix`). Returns the new text and how many fixes were applied. */
  fixAll(doc: TextDocument, context: RequestContext = {}): { text: string; applied: number } {
    const result = fixAll(doc, (current) => this.lint(current, context));
    this.forget(doc.uri);
    return result;
  }

  /** Hover; with the configuration the document is part of (`root`), names and queues are looked up there. */
  hover(doc: TextDocument, position: Position, context: RequestContext = {}): Hover | null {
    const settings = context.settings ?? {};
    if (this.m.limitOf(doc, settings)) return null;
    const model = this.getModel(doc, { settings });
    const config = this.m.configOf(doc, model, settings, context.root);
    // the findings only count problems in a block: the ones published for this version will do; the
    // problems of the included files, when this version's were worked out (the server does after each change)
    const hit = this.m.cache.get(doc.uri);
    const included = hit && hit.model === model ? (hit.included?.value ?? []) : [];
    return safe(
      () =>
        hover(
          model,
          doc.offsetAt(position),
          settings,
          this.m.anyFindings(doc) ?? this.lint(doc, { ...context, settings }),
          config,
          included,
        ),
      null,
    );
  }

  /** Completion; with the configuration the document is part of (`root`), the names defined there are offered. */
  complete(doc: TextDocument, position: Position, context: RequestContext = {}): CompletionList {
    const settings = context.settings ?? {};
    if (this.m.limitOf(doc, settings)) return { isIncomplete: false, items: [] };
    const model = this.getModel(doc, { settings });
    return safe(
      () => complete(model, doc.offsetAt(position), settings, this.m.configOf(doc, model, settings, context.root)),
      { isIncomplete: false, items: [] },
    );
  }

  documentSymbols(doc: TextDocument, context: RequestContext = {}): DocumentSymbol[] {
    const limit = this.m.limitOf(doc, context.settings);
    if (limit) return limit === 'large' ? safe(() => this.m.lightOutline(doc).symbols, []) : [];
    return safe(() => documentSymbols(this.getModel(doc, context)), []);
  }

  /**
   * Workspace symbols: the named blocks and macros of `docs` (the open documents and their configurations)
   * and of every file they include, matching `query` (its characters in order, case ignored).
   */
  workspaceSymbols(query: string, docs: readonly TextDocument[], context: RequestContext = {}): SymbolInformation[] {
    return safe(
      () =>
        workspaceSymbols(
          docs.filter((d) => !this.m.limitOf(d, context.settings)).map((d) => this.getModel(d, context)),
          query,
        ),
      [],
    );
  }

  /** Folding ranges; at most `rangeLimit` (the client's; default 5000), the outermost first. */
  foldingRanges(doc: TextDocument, rangeLimit?: number, context: RequestContext = {}): FoldingRange[] {
    const cap = rangeLimit && rangeLimit > 0 ? rangeLimit : undefined;
    const limit = this.m.limitOf(doc, context.settings);
    if (limit)
      return limit === 'large'
        ? safe(() => this.m.lightOutline(doc).folding.slice(0, cap ?? MAX_FOLDING_RANGES), [])
        : [];
    return safe(() => foldingRanges(this.getModel(doc, context), cap), []);
  }

  /** Definitions of the name at `position`, in `doc`, the siblings and the configuration it is part of. */
  definition(doc: TextDocument, position: Position, context: RequestContext = {}): Location[] {
    if (this.m.limitOf(doc, context.settings)) return [];
    const model = this.getModel(doc, context);
    return safe(() => definition(model, doc.offsetAt(position), this.m.nameModels(context)), []);
  }

  references(
    doc: TextDocument,
    position: Position,
    includeDeclaration = true,
    context: RequestContext = {},
  ): Location[] {
    if (this.m.limitOf(doc, context.settings)) return [];
    const model = this.getModel(doc, context);
    return safe(() => references(model, doc.offsetAt(position), includeDeclaration, this.m.nameModels(context)), []);
  }

  /** The occurrences in `doc` of the name at `position`: definitions (write), uses (read). */
  documentHighlights(doc: TextDocument, position: Position, context: RequestContext = {}): DocumentHighlight[] {
    if (this.m.limitOf(doc, context.settings)) return [];
    const model = this.getModel(doc, context);
    return safe(() => documentHighlights(model, doc.offsetAt(position)), []);
  }

  prepareRename(
    doc: TextDocument,
    position: Position,
    context: RequestContext = {},
  ): { range: Range; placeholder: string } | null {
    if (this.m.limitOf(doc, context.settings)) return null;
    const model = this.getModel(doc, context);
    return safe(() => prepareRename(model, doc.offsetAt(position)), null);
  }

  /** Rename; with the configuration the document is part of (`root`), in every file of it. */
  rename(doc: TextDocument, position: Position, newName: string, context: RequestContext = {}): WorkspaceEdit | null {
    if (this.m.limitOf(doc, context.settings)) return null;
    const model = this.getModel(doc, context);
    return safe(
      () => rename(model, doc.offsetAt(position), newName, this.m.configOf(doc, model, context.settings, context.root)),
      null,
    );
  }

  /** Formatting of the document, or of the lines of `range`. */
  format(doc: TextDocument, options: FormattingOptions, range?: Range, context: RequestContext = {}): TextEdit[] {
    if (this.m.limitOf(doc, context.settings)) return [];
    const model = this.getModel(doc, context);
    return safe(() => format(model, options, range), []);
  }

  documentLinks(doc: TextDocument, context: RequestContext = {}): DocumentLink[] {
    if (this.m.limitOf(doc, context.settings)) return [];
    return safe(() => documentLinks(this.getModel(doc, context)), []);
  }

  /** Code lenses: the Microsoft connection budget on the block of the Microsoft queue, the DNS record of each DKIM key. */
  codeLenses(doc: TextDocument, context: RequestContext = {}): CodeLens[] {
    const settings = context.settings ?? {};
    if (this.m.guard(doc, settings)) return [];
    const model = this.getModel(doc, { settings });
    const budget = safe(() => budgetLenses(model, settings, this.m.configOf(doc, model, settings, context.root)), []);
    return budget.concat(safe(() => dkimLenses(model), []));
  }

  /** The Microsoft volume tier in force for a document (in the configuration it is part of, if any), and why (for a status bar). */
  tierInfo(doc: TextDocument, context: RequestContext = {}): TierInfo | null {
    const settings = context.settings ?? {};
    if (this.m.guard(doc, settings)) return null;
    const model = this.getModel(doc, { settings });
    return safe(() => tierInfo(model, settings, this.m.configOf(doc, model, settings, context.root)), null);
  }

  /**
   * The Microsoft configuration of a volume tier (`under-100k`, `100k-500k`, `500k-plus`) to insert into a
   * document: parts the document (or the configuration it is part of, `root`) already has are left out.
   * Null for an unknown tier.
   */
  microsoftConfiguration(
    tier: string,
    doc?: TextDocument,
    options: MicrosoftConfigurationOptions = {},
    context: RequestContext = {},
  ): MicrosoftConfiguration | null {
    const settings = context.settings ?? {};
    const model = doc && !this.m.guard(doc, settings) ? this.getModel(doc, { settings }) : undefined;
    // with the configuration the document is part of, what its other files have is left out too
    const config = doc && model ? this.m.configOf(doc, model, settings, context.root) : undefined;
    return safe(() => microsoftConfiguration(tier, model, options, config) ?? null, null);
  }

  /** Explain a pasted SMTP reply, bounce or log line (Microsoft codes in detail). */
  explainReply(text: string): ReplyExplanation {
    return safe(() => explainReply(text), { markdown: 'This text could not be explained.', codes: [] });
  }
}
