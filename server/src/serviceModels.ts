/**
 * The documents' models as the language service uses them: the cache of models and findings
 * (modelCache.ts), the size limit each document was last linted with, which documents get only light
 * service (too large or binary: never parsed), the configuration a document is part of, and the light
 * outline of a large file. Only service.ts uses it.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Model } from './model';
import type { Finding } from './findings';
import { DEFAULT_SETTINGS, type Settings } from './settings';
import type { RequestContext } from './types';
import type { IncludeHost } from './hosts/includeHost';
import { ModelCache } from './modelCache';
import { runTextRules } from './rules/run';
import { binaryFinding, lightOutline, limitOf, type Limit } from './features/light';

export class ServiceModels {
  readonly cache: ModelCache;
  /** The size limit last used to lint each document (requests without settings use it). */
  private limits = new Map<string, number>();
  /** The light outline of the last document that needed one. */
  private outline?: { uri: string; version: number; text: string; value: ReturnType<typeof lightOutline> };

  constructor(host?: IncludeHost) {
    this.cache = new ModelCache(host);
  }

  /** The model of a document version (cached); without settings, the one already built for it. */
  model(doc: TextDocument, settings?: Settings): Model {
    return this.cache.entry(doc, settings).model;
  }

  /** Remember the size limit a document is linted with (none: the default). */
  setLimit(uri: string, kb: number | undefined): void {
    if (kb !== undefined) this.limits.set(uri, kb);
    else this.limits.delete(uri);
  }

  /** Forget a closed document. */
  forget(uri: string): void {
    this.cache.forget(uri);
    this.limits.delete(uri);
    if (this.outline?.uri === uri) this.outline = undefined;
  }

  /** Findings already computed for this version of the document, with any settings (undefined if none). */
  anyFindings(doc: TextDocument): Finding[] | undefined {
    const hit = this.cache.get(doc.uri);
    if (!hit || hit.version !== doc.version || hit.text !== doc.getText()) return undefined;
    for (const f of hit.findings.values()) return f;
    return undefined;
  }

  /** The models of the files linted with `doc`, but those that only get light service. */
  siblingModels(doc: TextDocument, siblings: readonly TextDocument[], settings: Settings): Model[] {
    return this.analysable(siblings, settings)
      .filter((s) => s.uri !== doc.uri)
      .map((s) => this.model(s, settings));
  }

  /** The models of the documents whose names count for a navigation request: the siblings and the root. */
  nameModels(context: RequestContext): Model[] {
    const { siblings = [], root, settings } = context;
    const docs = root && !siblings.includes(root) ? [...siblings, root] : siblings;
    return this.analysable(docs, settings).map((s) => this.model(s, settings));
  }

  /**
   * The model of the configuration `doc` is part of (`root`, with `doc`'s open text in it), or `model`
   * itself when there is none.
   */
  configOf(doc: TextDocument, model: Model, settings: Settings | undefined, root: TextDocument | undefined): Model {
    if (!root) return model;
    return safe(() => this.configurationModel(root, doc, model, settings), undefined) ?? model;
  }

  /** The model of `root` in which `doc`'s file is `model`; undefined when `root` does not include it. */
  configurationModel(root: TextDocument, doc: TextDocument, model: Model, settings?: Settings): Model | undefined {
    if (root.uri === doc.uri || this.limitOf(root, settings)) return undefined;
    return this.cache.configurationModel(root, doc, model, settings);
  }

  /**
   * Whether a document only gets light service: larger than `maxFileSizeKB` (outline and folding of its
   * blocks, nothing else), or binary (nothing). Such documents are never parsed.
   */
  limitOf(doc: TextDocument, settings?: Settings): Limit | undefined {
    return limitOf(
      doc.getText(),
      settings?.maxFileSizeKB ?? this.limits.get(doc.uri) ?? DEFAULT_SETTINGS.maxFileSizeKB,
    );
  }

  /** Documents linted together, without those that only get light service. */
  analysable(docs: readonly TextDocument[], settings?: Settings): TextDocument[] {
    return docs.filter((s) => !this.limitOf(s, settings));
  }

  /**
   * Files too large or binary get no analysis: a binary one gets one finding, a large one what the rules
   * that judge a text before it is parsed find (file-too-large, unless it is off).
   */
  guard(doc: TextDocument, settings: Settings): Finding[] | undefined {
    const limit = this.limitOf(doc, settings);
    if (!limit) return undefined;
    return limit === 'binary'
      ? [binaryFinding()]
      : runTextRules(doc.getText(), { ...settings, maxFileSizeKB: settings.maxFileSizeKB ?? this.limits.get(doc.uri) });
  }

  lightOutline(doc: TextDocument): ReturnType<typeof lightOutline> {
    const text = doc.getText();
    const o = this.outline;
    if (o && o.uri === doc.uri && o.version === doc.version && o.text === text) return o.value;
    const value = lightOutline(text);
    this.outline = { uri: doc.uri, version: doc.version, text, value };
    return value;
  }
}

/** `fn()`, or `fallback` when it throws: a request gets an answer whatever the input. */
export function safe<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}
