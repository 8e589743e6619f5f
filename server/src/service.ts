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
import { runRules, runTextRules, runToEnd } from './rules/run';
import type { Finding, IncludedFindings } from './findings';
import { DEFAULT_SETTINGS, type Settings } from './settings';
import type { CodeExplanation, MicrosoftConfiguration, MicrosoftConfigurationOptions, PatternRulesEdit, ReplyExplanation, ReportConfigFacts, RequestContext, ServiceOptions, TierInfo } from './types';
import { findingsKey, ModelCache } from './modelCache';
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
import { accountingHover } from './features/accountingHover';
import { patternRulesEdit, reportConfigFacts, reportConfigSection } from './features/deliveryReport';
import { codeExplanation } from './features/replies';
import { codeById } from './knowledge/microsoft';
import type { Report, ReportConfig, UnmatchedReplies } from './accounting/types';
import { budgetLenses, microsoftConfiguration, tierInfo } from './features/microsoft';
import { binaryFinding, lightOutline, limitOf, type Limit } from './features/light';
import { dkimLenses } from './features/dkim';

export { TextDocument, RULES };

export class PmtaLanguageService {
  private models: ModelCache;
  /** The size limit last used to lint each document (requests without settings use it). */
  private limits = new Map<string, number>();
  /** The light outline of the last document that needed one. */
  private outline?: { uri: string; version: number; text: string; value: ReturnType<typeof lightOutline> };

  constructor(private options: ServiceOptions = {}) {
    this.models = new ModelCache(options.host);
  }

  /**
   * The semantic model of a document version (cached). Never throws. Without settings, the model
   * already built for this version is used, whatever settings it was built with.
   */
  getModel(doc: TextDocument, context: RequestContext = {}): Model {
    return this.models.entry(doc, context.settings).model;
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
      if (c.uri === doc.uri || this.limitOf(c, settings)) continue;
      const models = safe(() => this.getModel(c, { settings }).allModels(), []);
      if (models.some((m, i) => i > 0 && fileKey(m.uri) === key)) found.push({ doc: c, size: models.length });
    }
    return found.sort((a, b) => b.size - a.size).map((f) => f.doc);
  }

  /** Forget a closed document. */
  forget(uri: string): void {
    this.models.forget(uri);
    this.limits.delete(uri);
    if (this.outline?.uri === uri) this.outline = undefined;
  }

  /** Forget every cached model (e.g. an included file changed on disk). */
  clear(): void {
    this.models.clear();
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
    if (settings.maxFileSizeKB !== undefined) this.limits.set(doc.uri, settings.maxFileSizeKB);
    else this.limits.delete(doc.uri);
    const guard = this.guard(doc, settings);
    if (guard) return guard;
    const entry = this.models.entry(doc, settings);
    const model = entry.model;
    let key = findingsKey(settings, siblings);
    const rootModel = root ? this.configurationModel(root, doc, model, settings) : undefined;
    if (rootModel) key += '|root#' + rootModel.serial;
    const cached = entry.findings.get(key);
    if (cached) return cached;
    yield;
    const findings = yield* runRules(model, settings, this.siblingModels(doc, siblings, settings), rootModel);
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
    if (this.guard(doc, settings)) return [];
    const entry = this.models.entry(doc, settings);
    const model = entry.model;
    const included = model.allModels().slice(1);
    if (!included.length) return [];
    const key = findingsKey(settings, siblings);
    if (entry.included?.key === key) return entry.included.value;
    yield;
    const siblingModels = this.siblingModels(doc, siblings, settings);
    const value: IncludedFindings[] = [];
    for (const m of included) {
      // a binary or too large file gets what it gets open on its own
      const guard = this.guard(m.doc, settings);
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
    return toDiagnostic(doc, finding, (uri) => this.models.docOf(uri));
  }

  /**
   * Quick fixes for the client's diagnostics in `request` (or all findings touching `range`), plus "fix all"
   * and "disable this rule" actions; the findings are those of the diagnostics (same context).
   */
  codeActions(doc: TextDocument, range: Range, request: CodeActionRequest = {}, context: RequestContext = {}): CodeAction[] {
    if (this.limitOf(doc, context.settings ?? {})) return [];
    return codeActions(doc, this.lint(doc, context), range, request, (f) => this.toDiagnostic(doc, f));
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
    if (this.limitOf(doc, settings)) return null;
    const model = this.getModel(doc, { settings });
    const config = this.configOf(doc, model, settings, context.root);
    // the findings only count problems in a block: the ones published for this version will do; the
    // problems of the included files, when this version's were worked out (the server does after each change)
    const hit = this.models.get(doc.uri);
    const included = hit && hit.model === model ? hit.included?.value ?? [] : [];
    return safe(() => hover(model, doc.offsetAt(position), settings, this.anyFindings(doc) ?? this.lint(doc, { ...context, settings }), config, included), null);
  }

  /** Completion; with the configuration the document is part of (`root`), the names defined there are offered. */
  complete(doc: TextDocument, position: Position, context: RequestContext = {}): CompletionList {
    const settings = context.settings ?? {};
    if (this.limitOf(doc, settings)) return { isIncomplete: false, items: [] };
    const model = this.getModel(doc, { settings });
    return safe(() => complete(model, doc.offsetAt(position), settings, this.configOf(doc, model, settings, context.root)), { isIncomplete: false, items: [] });
  }

  documentSymbols(doc: TextDocument, context: RequestContext = {}): DocumentSymbol[] {
    const limit = this.limitOf(doc, context.settings);
    if (limit) return limit === 'large' ? safe(() => this.lightOutline(doc).symbols, []) : [];
    return safe(() => documentSymbols(this.getModel(doc, context)), []);
  }

  /**
   * Workspace symbols: the named blocks and macros of `docs` (the open documents and their configurations)
   * and of every file they include, matching `query` (its characters in order, case ignored).
   */
  workspaceSymbols(query: string, docs: readonly TextDocument[], context: RequestContext = {}): SymbolInformation[] {
    return safe(() => workspaceSymbols(docs.filter((d) => !this.limitOf(d, context.settings)).map((d) => this.getModel(d, context)), query), []);
  }

  /** Folding ranges; at most `rangeLimit` (the client's; default 5000), the outermost first. */
  foldingRanges(doc: TextDocument, rangeLimit?: number, context: RequestContext = {}): FoldingRange[] {
    const cap = rangeLimit && rangeLimit > 0 ? rangeLimit : undefined;
    const limit = this.limitOf(doc, context.settings);
    if (limit) return limit === 'large' ? safe(() => this.lightOutline(doc).folding.slice(0, cap ?? MAX_FOLDING_RANGES), []) : [];
    return safe(() => foldingRanges(this.getModel(doc, context), cap), []);
  }

  /** Definitions of the name at `position`, in `doc`, the siblings and the configuration it is part of. */
  definition(doc: TextDocument, position: Position, context: RequestContext = {}): Location[] {
    if (this.limitOf(doc, context.settings)) return [];
    const model = this.getModel(doc, context);
    return safe(() => definition(model, doc.offsetAt(position), this.nameModels(context)), []);
  }

  references(doc: TextDocument, position: Position, includeDeclaration = true, context: RequestContext = {}): Location[] {
    if (this.limitOf(doc, context.settings)) return [];
    const model = this.getModel(doc, context);
    return safe(() => references(model, doc.offsetAt(position), includeDeclaration, this.nameModels(context)), []);
  }

  /** The occurrences in `doc` of the name at `position`: definitions (write), uses (read). */
  documentHighlights(doc: TextDocument, position: Position, context: RequestContext = {}): DocumentHighlight[] {
    if (this.limitOf(doc, context.settings)) return [];
    const model = this.getModel(doc, context);
    return safe(() => documentHighlights(model, doc.offsetAt(position)), []);
  }

  prepareRename(doc: TextDocument, position: Position, context: RequestContext = {}): { range: Range; placeholder: string } | null {
    if (this.limitOf(doc, context.settings)) return null;
    const model = this.getModel(doc, context);
    return safe(() => prepareRename(model, doc.offsetAt(position)), null);
  }

  /** Rename; with the configuration the document is part of (`root`), in every file of it. */
  rename(doc: TextDocument, position: Position, newName: string, context: RequestContext = {}): WorkspaceEdit | null {
    if (this.limitOf(doc, context.settings)) return null;
    const model = this.getModel(doc, context);
    return safe(() => rename(model, doc.offsetAt(position), newName, this.configOf(doc, model, context.settings, context.root)), null);
  }

  /** Formatting of the document, or of the lines of `range`. */
  format(doc: TextDocument, options: FormattingOptions, range?: Range, context: RequestContext = {}): TextEdit[] {
    if (this.limitOf(doc, context.settings)) return [];
    const model = this.getModel(doc, context);
    return safe(() => format(model, options, range), []);
  }

  documentLinks(doc: TextDocument, context: RequestContext = {}): DocumentLink[] {
    if (this.limitOf(doc, context.settings)) return [];
    return safe(() => documentLinks(this.getModel(doc, context)), []);
  }

  /** Code lenses: the Microsoft connection budget on the block of the Microsoft queue, the DNS record of each DKIM key. */
  codeLenses(doc: TextDocument, context: RequestContext = {}): CodeLens[] {
    const settings = context.settings ?? {};
    if (this.guard(doc, settings)) return [];
    const model = this.getModel(doc, { settings });
    const budget = safe(() => budgetLenses(model, settings, this.configOf(doc, model, settings, context.root)), []);
    return budget.concat(safe(() => dkimLenses(model), []));
  }

  /** The Microsoft volume tier in force for a document (in the configuration it is part of, if any), and why (for a status bar). */
  tierInfo(doc: TextDocument, context: RequestContext = {}): TierInfo | null {
    const settings = context.settings ?? {};
    if (this.guard(doc, settings)) return null;
    const model = this.getModel(doc, { settings });
    return safe(() => tierInfo(model, settings, this.configOf(doc, model, settings, context.root)), null);
  }

  /**
   * The Microsoft configuration of a volume tier (`under-100k`, `100k-500k`, `500k-plus`) to insert into a
   * document: parts the document (or the configuration it is part of, `root`) already has are left out.
   * Null for an unknown tier.
   */
  microsoftConfiguration(tier: string, doc?: TextDocument, options: MicrosoftConfigurationOptions = {}, context: RequestContext = {}): MicrosoftConfiguration | null {
    const settings = context.settings ?? {};
    const model = doc && !this.guard(doc, settings) ? this.getModel(doc, { settings }) : undefined;
    // with the configuration the document is part of, what its other files have is left out too
    const config = doc && model ? this.configOf(doc, model, settings, context.root) : undefined;
    return safe(() => microsoftConfiguration(tier, model, options, config) ?? null, null);
  }

  /**
   * What the Microsoft delivery report needs of the configuration a document is part of (`root`, else
   * the document with the files it includes): its Microsoft queue, the rules of the pattern lists
   * attached to it, the source IPs of its virtual MTAs. Null for a document that gets no analysis.
   */
  reportConfig(doc: TextDocument, context: RequestContext = {}): ReportConfigFacts | null {
    const settings = context.settings ?? {};
    if (this.guard(doc, settings)) return null;
    const model = this.getModel(doc, { settings });
    return safe(() => reportConfigFacts(this.configOf(doc, model, settings, context.root)), null);
  }

  /**
   * The edit that adds the recommended rules of `codeIds` (the `codeId`s of the recommended pattern
   * entries) to the pattern list of the Microsoft queue of the configuration a document is part of;
   * the reason when there is no list to add them to, or nothing to add.
   */
  patternRulesEdit(doc: TextDocument, codeIds: readonly string[], context: RequestContext = {}): PatternRulesEdit | { error: string } {
    const settings = context.settings ?? {};
    if (this.guard(doc, settings)) return { error: 'the configuration is not analysed (too large or not text)' };
    const model = this.getModel(doc, { settings });
    return safe(() => patternRulesEdit(this.configOf(doc, model, settings, context.root), codeIds), { error: 'the rules could not be added' });
  }

  /**
   * The configuration's part of a delivery report: `report`'s source IPs as `facts` map them, and the
   * replies no rule matched (`unmatched`, from the report's engine given the facts' rules) with the
   * recommended rules that handle them. `file` names the configuration.
   */
  reportConfigSection(file: string, report: Report, unmatched: readonly UnmatchedReplies[], facts: ReportConfigFacts): ReportConfig {
    return reportConfigSection(file, report, unmatched, facts);
  }

  /** The explanations of the codes the knowledge base explains among `codes` (the delivery report's), by code. */
  codeExplanations(codes: readonly string[]): Record<string, CodeExplanation> {
    const out: Record<string, CodeExplanation> = {};
    for (const code of codes) {
      const entry = safe(() => codeById(code), undefined);
      if (entry) out[code] = codeExplanation(entry);
    }
    return out;
  }

  /** Hover on a Microsoft reply code in a line of an accounting file (no model: such files are not configurations). */
  accountingHover(doc: TextDocument, position: Position): Hover | null {
    return safe(() => accountingHover(doc, position), null);
  }

  /** Explain a pasted SMTP reply, bounce or log line (Microsoft codes in detail). */
  explainReply(text: string): ReplyExplanation {
    return safe(() => explainReply(text), { markdown: 'This text could not be explained.', codes: [] });
  }

  /** Findings already computed for this version of the document, with any settings (undefined if none). */
  private anyFindings(doc: TextDocument): Finding[] | undefined {
    const hit = this.models.get(doc.uri);
    if (!hit || hit.version !== doc.version || hit.text !== doc.getText()) return undefined;
    for (const f of hit.findings.values()) return f;
    return undefined;
  }

  /** The models of the files linted with `doc`, but those that only get light service. */
  private siblingModels(doc: TextDocument, siblings: readonly TextDocument[], settings: Settings): Model[] {
    return this.analysable(siblings, settings)
      .filter((s) => s.uri !== doc.uri)
      .map((s) => this.getModel(s, { settings }));
  }

  /** The models of the documents whose names count for a navigation request: the siblings and the root. */
  private nameModels(context: RequestContext): Model[] {
    const { siblings = [], root, settings } = context;
    const docs = root && !siblings.includes(root) ? [...siblings, root] : siblings;
    return this.analysable(docs, settings).map((s) => this.getModel(s, { settings }));
  }

  /**
   * The model of the configuration `doc` is part of (`root`, with `doc`'s open text in it), or `model`
   * itself when there is none.
   */
  private configOf(doc: TextDocument, model: Model, settings: Settings | undefined, root: TextDocument | undefined): Model {
    if (!root) return model;
    return safe(() => this.configurationModel(root, doc, model, settings), undefined) ?? model;
  }

  /** The model of `root` in which `doc`'s file is `model`; undefined when `root` does not include it. */
  private configurationModel(root: TextDocument, doc: TextDocument, model: Model, settings?: Settings): Model | undefined {
    if (root.uri === doc.uri || this.limitOf(root, settings)) return undefined;
    return this.models.configurationModel(root, doc, model, settings);
  }

  /**
   * Whether a document only gets light service: larger than `maxFileSizeKB` (outline and folding of its
   * blocks, nothing else), or binary (nothing). Such documents are never parsed.
   */
  private limitOf(doc: TextDocument, settings?: Settings): Limit | undefined {
    return limitOf(doc.getText(), settings?.maxFileSizeKB ?? this.limits.get(doc.uri) ?? DEFAULT_SETTINGS.maxFileSizeKB);
  }

  /** Documents linted together, without those that only get light service. */
  private analysable(docs: readonly TextDocument[], settings?: Settings): TextDocument[] {
    return docs.filter((s) => !this.limitOf(s, settings));
  }

  /**
   * Files too large or binary get no analysis: a binary one gets one finding, a large one what the rules
   * that judge a text before it is parsed find (file-too-large, unless it is off).
   */
  private guard(doc: TextDocument, settings: Settings): Finding[] | undefined {
    const limit = this.limitOf(doc, settings);
    if (!limit) return undefined;
    return limit === 'binary' ? [binaryFinding()] : runTextRules(doc.getText(), { ...settings, maxFileSizeKB: settings.maxFileSizeKB ?? this.limits.get(doc.uri) });
  }

  private lightOutline(doc: TextDocument): ReturnType<typeof lightOutline> {
    const text = doc.getText();
    const o = this.outline;
    if (o && o.uri === doc.uri && o.version === doc.version && o.text === text) return o.value;
    const value = lightOutline(text);
    this.outline = { uri: doc.uri, version: doc.version, text, value };
    return value;
  }
}

function safe<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}
