/**
 * The public API of the PowerMTA language service: text in, LSP types out.
 * No connection, no file system, no Node-only API: the server, the CLI and (later) a web worker
 * all use this same class. File access for `include` goes through an optional {@link IncludeHost}.
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
import { fileKey, IncludeHost, Model, reusableModels } from './model';
import type { SyntaxTree } from './parser/ast';
import { RULES } from './rules';
import type { ReportInput, Rule } from './rules/types';
import type { Finding, Fix, IncludedFindings, Severity, TextChange } from './findings';
import { DEFAULT_SETTINGS, Settings } from './settings';
import { eolOf } from './rules/util';
import { hover as hoverAt } from './features/hover';
import { complete as completeAt } from './features/completion';
import { documentSymbols as symbolsOf } from './features/symbols';
import { workspaceSymbols as workspaceSymbolsOf } from './features/workspaceSymbols';
import { foldingRanges as foldingOf, MAX_FOLDING_RANGES } from './features/folding';
import { definition as definitionAt, documentHighlights as highlightsAt, references as referencesAt, prepareRename as prepareRenameAt, rename as renameAt } from './features/navigation';
import { format as formatDoc } from './features/formatting';
import { documentLinks as linksOf } from './features/links';
import { explainReply as explain, type ReplyExplanation } from './features/explain';
import { budgetLenses, microsoftConfiguration as msConfiguration, tierInfo as tierOf, type MicrosoftConfiguration, type MicrosoftConfigurationOptions, type TierInfo } from './features/microsoft';
import { lightOutline, looksBinary } from './light';

export { TextDocument };
export type { Finding, Fix, IncludedFindings, Rule, Severity, Settings, IncludeHost };
export type { ReplyExplanation, TierInfo, MicrosoftConfiguration, MicrosoftConfigurationOptions };
export { RULES };

const SEVERITY_NUM: Record<Severity, 1 | 2 | 3 | 4> = { error: 1, warning: 2, information: 3, hint: 4 };
export const DIAGNOSTIC_SOURCE = 'pmta';
/** Messages quote what the user wrote; past this length they are cut (a value can be a megabyte long). */
const MAX_MESSAGE = 8000;

export interface ServiceOptions {
  /** Follows `include` directives; omit where there is no file system. */
  host?: IncludeHost;
}

interface CacheEntry {
  version: number;
  text: string;
  key: string;
  model: Model;
  /** Findings by settings and siblings (a few keys: diagnostics, hover and code actions may differ). */
  findings: Map<string, Finding[]>;
  /** Findings in the included files ({@link PmtaLanguageService.lintIncluded}), for one key. */
  included?: { key: string; value: IncludedFindings[] };
}

/** Settings objects are reused (the server caches them per document): stringify each once. */
const settingsKeys = new WeakMap<Settings, string>();
function settingsKey(settings: Settings): string {
  let k = settingsKeys.get(settings);
  if (k === undefined) {
    k = JSON.stringify(settings);
    settingsKeys.set(settings, k);
  }
  return k;
}

/** What else a document is linted with: files linted together, and the configuration that includes it. */
export interface LintContext {
  /** Other files linted together (their names count for undefined-reference). */
  siblings?: TextDocument[];
  /** The configuration the document is part of: see {@link PmtaLanguageService.includers}. */
  root?: TextDocument;
}

/** The part of a findings cache key that names the files linted together, and their versions. */
function siblingsKey(siblings: readonly TextDocument[]): string {
  return siblings.length ? '|' + siblings.map((s) => s.uri + '@' + s.version).join(',') : '';
}

/** Run steps made for slicing ({@link PmtaLanguageService.lintSteps}) to their result at once. */
function runToEnd<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** Why a document gets light service only. */
type Limit = 'large' | 'binary';

export class PmtaLanguageService {
  private cache = new Map<string, CacheEntry>();
  /** The size limit last used to lint each document (requests without settings use it). */
  private limits = new Map<string, number>();
  /**
   * For an open document that includes files itself: the model of its configuration built with its open
   * model (`value`), for that configuration model (`base`) and that model of the document.
   */
  private withOpen = new Map<string, { base: Model; model: Model; value: Model }>();
  /** The light outline of the last document that needed one. */
  private outline?: { uri: string; version: number; text: string; value: ReturnType<typeof lightOutline> };

  constructor(private options: ServiceOptions = {}) {}

  /**
   * The semantic model of a document version (cached). Never throws. Without settings, the model
   * already built for this version is used, whatever settings it was built with.
   */
  getModel(doc: TextDocument, settings?: Settings): Model {
    return this.entry(doc, settings).model;
  }

  private entry(doc: TextDocument, settings?: Settings): CacheEntry {
    const key = settings === undefined ? undefined : this.includeKey(settings);
    const text = doc.getText();
    let hit = this.cache.get(doc.uri);
    if (hit && (key === undefined || hit.key === key) && hit.text.length === text.length && hit.text === text && this.current(hit.model)) {
      // a new version with the same text (an edit undone before the analysis): same model, same findings
      hit.version = doc.version;
      return hit;
    }
    // a new version: drop the previous model before building the next one (on large files both would be
    // alive at once), and the reference to it here too; the next one takes over the lines of the
    // previous tree that the change did not touch (which leaves that tree unusable)
    let previous: SyntaxTree | undefined;
    let reuse: Map<string, Model> | undefined;
    const k = key ?? 'inc';
    if (hit) {
      // (not for the same text built again with other include settings: a run that still holds that
      // model may be under way)
      if (hit.text !== text) previous = hit.model.tree;
      // the included files that did not change are not parsed again
      if (hit.key === k) reuse = reusableModels(hit.model);
      this.cache.delete(doc.uri);
      hit = undefined;
    }
    const open = this.openFiles(doc.uri);
    const model = new Model(doc, { host: this.options.host, resolveIncludes: k !== 'noinc', workspaceOnly: k === 'inc-workspace', previous, reuse, overlay: open.models, openTexts: open.texts });
    const entry: CacheEntry = { version: doc.version, text, key: k, model, findings: new Map() };
    this.cache.set(doc.uri, entry);
    return entry;
  }

  /**
   * The open documents (those the service holds) but `except`, by {@link fileKey}, as a model built now
   * takes them for their files instead of the text on disk, so that a file is analysed with the unsaved
   * text of the files it includes: `models`, the models of those that include nothing; `texts`, the texts
   * of the others, whose models are built again within each build (two open files that include each
   * other would otherwise build each other again on every request).
   */
  private openFiles(except: string): { models: Map<string, Model>; texts: Map<string, string> } {
    const models = new Map<string, Model>();
    const texts = new Map<string, string>();
    for (const e of this.cache.values()) {
      if (e.model.uri === except) continue;
      if (e.model.includes.length === 0) models.set(fileKey(e.model.uri), e.model);
      else texts.set(fileKey(e.model.uri), e.text);
    }
    return { models, texts };
  }

  /**
   * Whether a cached model still stands for what is open: every file it includes that is open is that
   * open model (one that includes nothing) or was built from its open text (one that includes files),
   * not the file on disk or an older version. (A model that includes nothing always does: the open
   * models are not even looked at, as on most requests.)
   */
  private current(model: Model): boolean {
    if (model.includes.length === 0) return true;
    const { models, texts } = this.openFiles(model.uri);
    for (const x of model.allModels()) {
      if (x === model) continue;
      const key = fileKey(x.uri);
      const o = models.get(key);
      if (o && o !== x) return false;
      const t = texts.get(key);
      if (t !== undefined && t !== x.text) return false;
    }
    return true;
  }

  /**
   * The model of `root`, the configuration `doc` is part of, in which `doc`'s file is `model` (its open
   * text); undefined when `root` does not include that file (directly or through other includes).
   */
  private rootModelFor(root: TextDocument, doc: TextDocument, model: Model, settings?: Settings): Model | undefined {
    if (root.uri === doc.uri || this.limitOf(root, settings)) return undefined;
    const rootEntry = this.entry(root, settings);
    const value = rootEntry.model;
    if (value === model) return undefined;
    const models = value.allModels();
    if (models.includes(model)) return value;
    // `doc` includes files itself, so its model does not stand in for its file in the configuration's own
    // model (see openFiles): the configuration is built once more with it, while both stay the same
    const key = fileKey(doc.uri);
    if (!models.some((m) => fileKey(m.uri) === key)) return undefined;
    const hit = this.withOpen.get(doc.uri);
    if (hit && hit.base === value && hit.model === model) return hit.value;
    const open = this.openFiles(root.uri);
    open.models.set(key, model);
    open.texts.delete(key);
    const k = rootEntry.key;
    const built = new Model(root, { host: this.options.host, resolveIncludes: k !== 'noinc', workspaceOnly: k === 'inc-workspace', overlay: open.models, reuse: reusableModels(value), openTexts: open.texts });
    this.withOpen.set(doc.uri, { base: value, model, value: built });
    return built.allModels().includes(model) ? built : undefined;
  }

  private includeKey(settings?: Settings): 'noinc' | 'inc-workspace' | 'inc' {
    return settings?.includes?.resolve === false ? 'noinc' : settings?.includes?.workspaceOnly ? 'inc-workspace' : 'inc';
  }

  /**
   * The candidates that include `doc` (directly or through other included files), the one whose
   * configuration takes in the most files first: the configuration `doc` is part of. For an editor that
   * opened a fragment such as `conf.d/domains.conf`, the candidates are the configuration files near it;
   * the first one found is the `root` to pass to {@link lint}.
   */
  includers(doc: TextDocument, candidates: readonly TextDocument[], settings?: Settings): TextDocument[] {
    if (!this.options.host || settings?.includes?.resolve === false) return [];
    const key = fileKey(doc.uri);
    const found: Array<{ doc: TextDocument; size: number }> = [];
    for (const c of candidates) {
      if (c.uri === doc.uri || this.limitOf(c, settings)) continue;
      const models = safe(() => this.getModel(c, settings).allModels(), []);
      if (models.some((m, i) => i > 0 && fileKey(m.uri) === key)) found.push({ doc: c, size: models.length });
    }
    return found.sort((a, b) => b.size - a.size).map((f) => f.doc);
  }

  /** Forget a closed document. */
  forget(uri: string): void {
    const gone = this.cache.get(uri)?.model;
    this.cache.delete(uri);
    this.withOpen.delete(uri);
    // the models built with this document's open text (its model, or a model of its text when it includes
    // files): built again from the disk when needed
    if (gone) {
      const key = fileKey(uri);
      for (const [u, e] of this.cache) if (e.model.includes.length && e.model.allModels().some((m) => m === gone || fileKey(m.uri) === key)) this.cache.delete(u);
    }
    this.limits.delete(uri);
    if (this.outline?.uri === uri) this.outline = undefined;
  }

  /**
   * Whether a document only gets light service: larger than `maxFileSizeKB` (outline and folding of its
   * blocks, nothing else), or binary (nothing). Such documents are never parsed.
   */
  private limitOf(doc: TextDocument, settings?: Settings): Limit | undefined {
    const text = doc.getText();
    const maxKB = settings?.maxFileSizeKB ?? this.limits.get(doc.uri) ?? DEFAULT_SETTINGS.maxFileSizeKB;
    if (text.length > maxKB * 1024) return 'large';
    if (looksBinary(text)) return 'binary';
    return undefined;
  }

  /** Documents linted together, without those that only get light service. */
  private analysable(siblings: TextDocument[], settings?: Settings): TextDocument[] {
    return siblings.filter((s) => !this.limitOf(s, settings));
  }

  private lightOutline(doc: TextDocument): ReturnType<typeof lightOutline> {
    const text = doc.getText();
    const o = this.outline;
    if (o && o.uri === doc.uri && o.version === doc.version && o.text === text) return o.value;
    const value = lightOutline(text);
    this.outline = { uri: doc.uri, version: doc.version, text, value };
    return value;
  }

  /** Forget every cached model (e.g. an included file changed on disk). */
  clear(): void {
    this.cache.clear();
    this.withOpen.clear();
  }

  /**
   * Every finding of every enabled rule, severities resolved from settings, suppressions applied.
   * `siblings` are other files linted together: their definitions count for undefined-reference.
   * `root` is the configuration `doc` is part of (a file that includes it, see {@link includers}): names
   * defined anywhere in it count, and the Microsoft rules judge the queues of the whole configuration,
   * reporting what lies in `doc`. Ignored when it does not include `doc`.
   */
  lint(doc: TextDocument, settings: Settings = {}, siblings: TextDocument[] = [], root?: TextDocument): Finding[] {
    return runToEnd(this.lintSteps(doc, settings, siblings, root));
  }

  /**
   * {@link lint} in steps, for a caller that wants to give way between them and drop the work when
   * the document changes meanwhile: it yields after building the model and after each rule, and
   * returns the findings. A run that is not completed caches no findings.
   */
  *lintSteps(doc: TextDocument, settings: Settings = {}, siblings: TextDocument[] = [], root?: TextDocument): Generator<void, Finding[], void> {
    if (settings.maxFileSizeKB !== undefined) this.limits.set(doc.uri, settings.maxFileSizeKB);
    else this.limits.delete(doc.uri);
    const guard = this.guard(doc, settings);
    if (guard) return guard;
    const entry = this.entry(doc, settings);
    const model = entry.model;
    let key = settingsKey(settings) + siblingsKey(siblings);
    const rootModel = root ? this.rootModelFor(root, doc, model, settings) : undefined;
    if (rootModel) key += '|root#' + rootModel.serial;
    const cached = entry.findings.get(key);
    if (cached) return cached;
    yield;
    const siblingModels = this.siblingModels(doc, siblings, settings);
    const findings = yield* this.runRules(model, settings, siblingModels, rootModel);
    if (entry.findings.size >= 4) entry.findings.clear();
    entry.findings.set(key, findings);
    return findings;
  }

  /** The models of the files linted with `doc`, but those that only get light service. */
  private siblingModels(doc: TextDocument, siblings: TextDocument[], settings: Settings): Model[] {
    return this.analysable(siblings, settings)
      .filter((s) => s.uri !== doc.uri)
      .map((s) => this.getModel(s, settings));
  }

  /** Every enabled rule on one model, yielding after each; the findings sorted by place. */
  private *runRules(model: Model, settings: Settings, siblings: Model[], root: Model | undefined): Generator<void, Finding[], void> {
    const findings: Finding[] = [];
    for (const rule of RULES) {
      const level = settings.rules?.[rule.id];
      if (level === 'off') continue;
      const report = (input: ReportInput) => {
        const line = model.doc.positionAt(input.span.start).line;
        if (model.isSuppressed(rule.id, line)) return;
        findings.push({
          rule: rule.id,
          severity: (level as Severity | undefined) ?? input.severity ?? rule.defaultSeverity,
          span: input.span,
          message: input.message.length > MAX_MESSAGE ? input.message.slice(0, MAX_MESSAGE - 1) + '…' : input.message,
          fixes: input.fixes ?? [],
          related: input.related,
          tags: input.tags,
        });
      };
      try {
        rule.check({ model, settings, siblings, root, report });
      } catch (e) {
        findings.push({
          rule: 'internal-error',
          severity: 'warning',
          span: { start: 0, end: 0 },
          message: `The check "${rule.id}" failed on this file (${(e as Error)?.message ?? e}); other checks still ran. Please report this.`,
          fixes: [],
        });
      }
      yield;
    }
    findings.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
    return findings;
  }

  /**
   * The findings in the files `doc` includes (directly or through other included files), each checked as
   * part of `doc`, in include order; a file without findings is listed too. What `doc` itself gets is
   * {@link lint}'s. Their positions are those of `IncludedFindings.doc`: the text of the file as `doc`'s
   * analysis read it.
   */
  lintIncluded(doc: TextDocument, settings: Settings = {}, siblings: TextDocument[] = []): IncludedFindings[] {
    return runToEnd(this.includedSteps(doc, settings, siblings));
  }

  /** {@link lintIncluded} in steps (see {@link lintSteps}). */
  *includedSteps(doc: TextDocument, settings: Settings = {}, siblings: TextDocument[] = []): Generator<void, IncludedFindings[], void> {
    if (this.guard(doc, settings)) return [];
    const entry = this.entry(doc, settings);
    const model = entry.model;
    const included = model.allModels().slice(1);
    if (!included.length) return [];
    const key = settingsKey(settings) + siblingsKey(siblings);
    if (entry.included?.key === key) return entry.included.value;
    yield;
    const siblingModels = this.siblingModels(doc, siblings, settings);
    const value: IncludedFindings[] = [];
    for (const m of included) {
      // a binary or too large file gets what it gets open on its own
      const guard = this.guard(m.doc, settings);
      value.push({ uri: m.uri, doc: m.doc, findings: guard ?? (yield* this.runRules(m, settings, siblingModels, model)) });
    }
    entry.included = { key, value };
    return value;
  }

  /** Findings already computed for this version of the document, with any settings (undefined if none). */
  private anyFindings(doc: TextDocument): Finding[] | undefined {
    const hit = this.cache.get(doc.uri);
    if (!hit || hit.version !== doc.version || hit.text !== doc.getText()) return undefined;
    for (const f of hit.findings.values()) return f;
    return undefined;
  }

  /** LSP diagnostics for a document. */
  validate(doc: TextDocument, settings: Settings = {}, siblings: TextDocument[] = [], root?: TextDocument): Diagnostic[] {
    return this.lint(doc, settings, siblings, root).map((f) => this.toDiagnostic(doc, f));
  }

  toDiagnostic(doc: TextDocument, f: Finding): Diagnostic {
    const d: Diagnostic = {
      range: rangeOf(doc, f.span),
      severity: SEVERITY_NUM[f.severity],
      code: f.rule,
      source: DIAGNOSTIC_SOURCE,
      message: f.message,
    };
    if (f.related?.length) {
      d.relatedInformation = f.related.map((r) => ({ location: { uri: r.uri ?? doc.uri, range: r.uri && r.uri !== doc.uri ? this.rangeIn(r.uri, r.span) : rangeOf(doc, r.span) }, message: r.message }));
    }
    if (f.tags?.length) d.tags = f.tags;
    return d;
  }

  private rangeIn(uri: string, span: { start: number; end: number }): Range {
    const m = this.cache.get(uri)?.model;
    if (m) return rangeOf(m.doc, span);
    for (const e of this.cache.values()) for (const mm of e.model.allModels()) if (mm.uri === uri) return rangeOf(mm.doc, span);
    return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  }

  /**
   * Quick fixes for the diagnostics in `context` (or all findings touching `range`), plus
   * "fix all" and "disable this rule on this line" actions.
   */
  codeActions(doc: TextDocument, range: Range, diagnostics: Diagnostic[] = [], settings: Settings = {}, only?: string[], context: LintContext = {}): CodeAction[] {
    if (this.limitOf(doc, settings)) return [];
    // the same findings as the diagnostics (same siblings and root), so each diagnostic finds its fixes
    const findings = this.lint(doc, settings, context.siblings, context.root);
    const start = doc.offsetAt(range.start);
    const end = doc.offsetAt(range.end);
    const actions: CodeAction[] = [];
    const wantsQuickFix = !only || only.some((k) => 'quickfix'.startsWith(k) || k.startsWith('quickfix'));
    const wantsFixAll = !only || only.some((k) => 'source.fixAll'.startsWith(k) || k.startsWith('source.fixAll'));
    const matched = findings.filter((f) => {
      if (diagnostics.length) {
        return diagnostics.some((d) => d.code === f.rule && d.message === f.message && doc.offsetAt(d.range.start) === f.span.start);
      }
      return f.span.start <= end && f.span.end >= start;
    });
    if (wantsQuickFix) {
      for (const f of matched) {
        const diag = this.toDiagnostic(doc, f);
        for (const fix of f.fixes) {
          actions.push({ title: fix.title, kind: 'quickfix', diagnostics: [diag], isPreferred: fix.isPreferred, edit: this.edit(doc, fix.changes) });
        }
        if (f.rule !== 'internal-error') {
          const line = doc.positionAt(f.span.start).line;
          const lineStart = doc.offsetAt({ line, character: 0 });
          const text = doc.getText();
          let i = lineStart;
          while (text[i] === ' ' || text[i] === '\t') i++;
          const indent = text.slice(lineStart, i);
          actions.push({
            title: `Disable ${f.rule} for this line`,
            kind: 'quickfix',
            diagnostics: [diag],
            edit: this.edit(doc, [{ span: { start: lineStart, end: lineStart }, newText: `${indent}# pmta-lint: disable-next-line ${f.rule}${eolOf(text)}` }]),
          });
          actions.push({
            title: `Disable ${f.rule} for this file`,
            kind: 'quickfix',
            diagnostics: [diag],
            edit: this.edit(doc, [{ span: { start: 0, end: 0 }, newText: `# pmta-lint: disable ${f.rule}${eolOf(text)}` }]),
          });
        }
      }
    }
    if (wantsFixAll) {
      const all = this.safeChanges(findings);
      if (all.length && (only || matched.some((f) => f.fixes.some((x) => x.safe)))) {
        actions.push({ title: 'Fix all auto-fixable PowerMTA problems', kind: 'source.fixAll.pmta', edit: this.edit(doc, all) });
      }
    }
    return actions;
  }

  /** Non-overlapping changes of every safe fix (first come first served). */
  private safeChanges(findings: Finding[]): TextChange[] {
    const chosen: TextChange[] = [];
    for (const f of findings) {
      const fix = f.fixes.find((x) => x.safe);
      if (!fix) continue;
      const overlaps = fix.changes.some((c) => chosen.some((o) => c.span.start < o.span.end && o.span.start < c.span.end || (c.span.start === o.span.start && c.span.end === o.span.end)));
      if (overlaps) continue;
      chosen.push(...fix.changes);
    }
    return chosen;
  }

  /**
   * Apply every safe fix, re-linting between rounds until nothing changes (at most 10 rounds).
   * Returns the new text and how many fixes were applied.
   */
  fixAll(doc: TextDocument, settings: Settings = {}, context: LintContext = {}): { text: string; applied: number } {
    let current = doc;
    let applied = 0;
    for (let round = 0; round < 10; round++) {
      const findings = this.lint(current, settings, context.siblings, context.root);
      const changes = this.safeChanges(findings);
      if (!changes.length) break;
      const text = applyChanges(current.getText(), changes);
      if (text === current.getText()) break;
      applied += findings.filter((f) => f.fixes.some((x) => x.safe && x.changes.some((c) => changes.includes(c)))).length;
      current = TextDocument.create(doc.uri, doc.languageId, current.version + 1, text);
    }
    this.forget(doc.uri);
    return { text: current.getText(), applied };
  }

  /** Hover; with the configuration the document is part of (`context.root`), names and queues are looked up there. */
  hover(doc: TextDocument, position: Position, settings: Settings = {}, context: LintContext = {}): Hover | null {
    if (this.limitOf(doc, settings)) return null;
    const model = this.getModel(doc, settings);
    const config = this.configOf(doc, model, settings, context);
    // the findings only count problems in a block; the ones published for this version will do
    // the problems of the included files, when this version's were worked out (the server does after each change)
    const hit = this.cache.get(doc.uri);
    const included = hit && hit.model === model ? hit.included?.value ?? [] : [];
    return safe(() => hoverAt(model, doc.offsetAt(position), settings, this.anyFindings(doc) ?? this.lint(doc, settings, context.siblings, context.root), config, included), null);
  }

  /**
   * The model of the configuration `doc` is part of (`context.root`, with `doc`'s open text in it), or
   * `model` itself when there is none.
   */
  private configOf(doc: TextDocument, model: Model, settings: Settings | undefined, context: LintContext): Model {
    const root = context.root;
    if (!root) return model;
    return safe(() => this.rootModelFor(root, doc, model, settings), undefined) ?? model;
  }

  /** Completion; with the configuration the document is part of (`context.root`), the names defined there are offered. */
  complete(doc: TextDocument, position: Position, settings: Settings = {}, context: LintContext = {}): CompletionList {
    if (this.limitOf(doc, settings)) return { isIncomplete: false, items: [] };
    const model = this.getModel(doc, settings);
    return safe(() => completeAt(model, doc.offsetAt(position), settings, this.configOf(doc, model, settings, context)), { isIncomplete: false, items: [] });
  }

  documentSymbols(doc: TextDocument): DocumentSymbol[] {
    const limit = this.limitOf(doc);
    if (limit) return limit === 'large' ? safe(() => this.lightOutline(doc).symbols, []) : [];
    return safe(() => symbolsOf(this.getModel(doc)), []);
  }

  /**
   * Workspace symbols: the named blocks and macros of `docs` (the open documents and their configurations)
   * and of every file they include, matching `query` (its characters in order, case ignored).
   */
  workspaceSymbols(query: string, docs: readonly TextDocument[], settings?: Settings): SymbolInformation[] {
    return safe(() => workspaceSymbolsOf(docs.filter((d) => !this.limitOf(d, settings)).map((d) => this.getModel(d, settings)), query), []);
  }

  /** Folding ranges; at most `max` (default 5000, or the client's rangeLimit), the outermost first. */
  foldingRanges(doc: TextDocument, max?: number): FoldingRange[] {
    const cap = max && max > 0 ? max : undefined;
    const limit = this.limitOf(doc);
    if (limit) return limit === 'large' ? safe(() => this.lightOutline(doc).folding.slice(0, cap ?? MAX_FOLDING_RANGES), []) : [];
    return safe(() => foldingOf(this.getModel(doc), cap), []);
  }

  definition(doc: TextDocument, position: Position, siblings: TextDocument[] = []): Location[] {
    if (this.limitOf(doc)) return [];
    const model = this.getModel(doc);
    return safe(() => definitionAt(model, doc.offsetAt(position), this.analysable(siblings).map((s) => this.getModel(s))), []);
  }

  references(doc: TextDocument, position: Position, includeDeclaration = true, siblings: TextDocument[] = []): Location[] {
    if (this.limitOf(doc)) return [];
    const model = this.getModel(doc);
    return safe(() => referencesAt(model, doc.offsetAt(position), includeDeclaration, this.analysable(siblings).map((s) => this.getModel(s))), []);
  }

  /** The occurrences in `doc` of the name at `position`: definitions (write), uses (read). */
  documentHighlights(doc: TextDocument, position: Position): DocumentHighlight[] {
    if (this.limitOf(doc)) return [];
    const model = this.getModel(doc);
    return safe(() => highlightsAt(model, doc.offsetAt(position)), []);
  }

  prepareRename(doc: TextDocument, position: Position): { range: Range; placeholder: string } | null {
    if (this.limitOf(doc)) return null;
    const model = this.getModel(doc);
    return safe(() => prepareRenameAt(model, doc.offsetAt(position)), null);
  }

  /** Rename; with the configuration the document is part of (`context.root`), in every file of it. */
  rename(doc: TextDocument, position: Position, newName: string, context: LintContext = {}): WorkspaceEdit | null {
    if (this.limitOf(doc)) return null;
    const model = this.getModel(doc);
    return safe(() => renameAt(model, doc.offsetAt(position), newName, this.configOf(doc, model, undefined, context)), null);
  }

  format(doc: TextDocument, options: FormattingOptions, range?: Range): TextEdit[] {
    if (this.limitOf(doc)) return [];
    const model = this.getModel(doc);
    return safe(() => formatDoc(model, options, range), []);
  }

  documentLinks(doc: TextDocument): DocumentLink[] {
    if (this.limitOf(doc)) return [];
    return safe(() => linksOf(this.getModel(doc)), []);
  }

  /** Code lenses: the Microsoft connection budget on the block of the Microsoft queue. */
  codeLenses(doc: TextDocument, settings: Settings = {}, context: LintContext = {}): CodeLens[] {
    if (this.guard(doc, settings)) return [];
    const model = this.getModel(doc, settings);
    return safe(() => budgetLenses(model, settings, this.configOf(doc, model, settings, context)), []);
  }

  /** The Microsoft volume tier in force for a document (in the configuration it is part of, if any), and why (for a status bar). */
  tierInfo(doc: TextDocument, settings: Settings = {}, context: LintContext = {}): TierInfo | null {
    if (this.guard(doc, settings)) return null;
    const model = this.getModel(doc, settings);
    return safe(() => tierOf(model, settings, this.configOf(doc, model, settings, context)), null);
  }

  /**
   * The Microsoft configuration of a volume tier (`under-100k`, `100k-500k`, `500k-plus`) to insert into a
   * document: parts the document (or the configuration it is part of, `context.root`) already has are
   * left out. Null for an unknown tier.
   */
  microsoftConfiguration(
    tier: string,
    doc?: TextDocument,
    settings: Settings = {},
    options: MicrosoftConfigurationOptions = {},
    context: LintContext = {},
  ): MicrosoftConfiguration | null {
    const model = doc && !this.guard(doc, settings) ? this.getModel(doc, settings) : undefined;
    // with the configuration the document is part of, what its other files have is left out too
    const config = doc && model ? this.configOf(doc, model, settings, context) : undefined;
    return safe(() => msConfiguration(tier, model, options, config) ?? null, null);
  }

  /** Explain a pasted SMTP reply, bounce or log line (Microsoft codes in detail). */
  explainReply(text: string): ReplyExplanation {
    return safe(() => explain(text), { markdown: 'This text could not be explained.', codes: [] });
  }

  private edit(doc: TextDocument, changes: TextChange[]): WorkspaceEdit {
    return { changes: { [doc.uri]: changes.map((c) => ({ range: rangeOf(doc, c.span), newText: c.newText })) } };
  }

  /** Files too large or binary get one finding instead of an analysis. */
  private guard(doc: TextDocument, settings: Settings): Finding[] | undefined {
    const limit = this.limitOf(doc, settings);
    if (limit === 'large') {
      const maxKB = settings.maxFileSizeKB ?? DEFAULT_SETTINGS.maxFileSizeKB;
      const message =
        `This file is larger than ${maxKB} KB (setting pmta.maxFileSizeKB), so it is not analysed: no diagnostics, ` +
        'hover, completion or navigation, only the outline and folding of its blocks. Raise pmta.maxFileSizeKB to analyse it.';
      return [{ rule: 'file-too-large', severity: 'information', span: { start: 0, end: 0 }, message, fixes: [] }];
    }
    if (limit === 'binary') {
      return [{ rule: 'syntax', severity: 'error', span: { start: 0, end: 0 }, message: 'This looks like a binary file (it holds NUL bytes, control characters or bytes that are not UTF-8), not a PowerMTA configuration; it is not analysed', fixes: [] }];
    }
    return undefined;
  }
}

export function rangeOf(doc: TextDocument, span: { start: number; end: number }): Range {
  return { start: doc.positionAt(span.start), end: doc.positionAt(span.end) };
}

/** Apply non-overlapping changes to a text (sorted from the end so offsets stay valid). */
export function applyChanges(text: string, changes: readonly TextChange[]): string {
  const sorted = [...changes].sort((a, b) => b.span.start - a.span.start || b.span.end - a.span.end);
  let out = text;
  let limit = Infinity;
  for (const c of sorted) {
    if (c.span.end > limit) continue; // overlapping: skip
    out = out.slice(0, c.span.start) + c.newText + out.slice(c.span.end);
    limit = c.span.start;
  }
  return out;
}

function safe<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}
