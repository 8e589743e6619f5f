/**
 * The models the language service holds: one per open document version, built with the unsaved texts of
 * the other open documents standing in for their files, and the findings worked out on it. A new version
 * takes over what the previous one built (the lines of its tree the change did not touch, the included
 * files that did not change). Also the model of a configuration with a document's open text in it.
 * No Node-only API: files are read through the include host.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding, IncludedFindings } from './findings';
import { fileKey, Model, reusableModels } from './model';
import type { IncludeHost } from './hosts/includeHost';
import type { SyntaxTree } from './parser/ast';
import type { Settings } from './settings';

/** How included files are followed: not at all, only inside the workspace folders, or wherever they are. */
type IncludeKey = 'noinc' | 'inc-workspace' | 'inc';

export interface CacheEntry {
  version: number;
  text: string;
  key: IncludeKey;
  model: Model;
  /** Findings by settings and siblings (a few keys: diagnostics, hover and code actions may differ). */
  findings: Map<string, Finding[]>;
  /** Findings in the included files (PmtaLanguageService.lintIncluded), for one key. */
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

/** The key of the findings of a document checked with `settings`, together with `siblings` (their versions count). */
export function findingsKey(settings: Settings, siblings: readonly TextDocument[]): string {
  return settingsKey(settings) + (siblings.length ? '|' + siblings.map((s) => s.uri + '@' + s.version).join(',') : '');
}

function includeKey(settings?: Settings): IncludeKey {
  return settings?.includes?.resolve === false ? 'noinc' : settings?.includes?.workspaceOnly ? 'inc-workspace' : 'inc';
}

export class ModelCache {
  private cache = new Map<string, CacheEntry>();
  /**
   * For an open document that includes files itself: the model of its configuration built with its open
   * model (`value`), for that configuration model (`base`) and that model of the document.
   */
  private withOpen = new Map<string, { base: Model; model: Model; value: Model }>();

  constructor(private host: IncludeHost | undefined) {}

  /** The entry of a document, if one was built (for whatever version). */
  get(uri: string): CacheEntry | undefined {
    return this.cache.get(uri);
  }

  /**
   * The entry of a document version, built when needed. Without settings, the model already built for
   * this version is used, whatever settings it was built with.
   */
  entry(doc: TextDocument, settings?: Settings): CacheEntry {
    const key = settings === undefined ? undefined : includeKey(settings);
    const text = doc.getText();
    let hit = this.cache.get(doc.uri);
    if (
      hit &&
      (key === undefined || hit.key === key) &&
      hit.text.length === text.length &&
      hit.text === text &&
      this.current(hit.model)
    ) {
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
    const model = new Model(doc, {
      host: this.host,
      resolveIncludes: k !== 'noinc',
      workspaceOnly: k === 'inc-workspace',
      previous,
      reuse,
      overlay: open.models,
      openTexts: open.texts,
    });
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
  configurationModel(root: TextDocument, doc: TextDocument, model: Model, settings?: Settings): Model | undefined {
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
    const built = new Model(root, {
      host: this.host,
      resolveIncludes: k !== 'noinc',
      workspaceOnly: k === 'inc-workspace',
      overlay: open.models,
      reuse: reusableModels(value),
      openTexts: open.texts,
    });
    this.withOpen.set(doc.uri, { base: value, model, value: built });
    return built.allModels().includes(model) ? built : undefined;
  }

  /** The model of a document the cache knows, open or included by one (undefined when none). */
  modelOf(uri: string): Model | undefined {
    const m = this.cache.get(uri)?.model;
    if (m) return m;
    for (const e of this.cache.values()) for (const mm of e.model.allModels()) if (mm.uri === uri) return mm;
    return undefined;
  }

  /** Forget a closed document, and the models built with its open text. */
  forget(uri: string): void {
    const gone = this.cache.get(uri)?.model;
    this.cache.delete(uri);
    this.withOpen.delete(uri);
    // the models built with this document's open text (its model, or a model of its text when it includes
    // files): built again from the disk when needed
    if (gone) {
      const key = fileKey(uri);
      for (const [u, e] of this.cache)
        if (e.model.includes.length && e.model.allModels().some((m) => m === gone || fileKey(m.uri) === key))
          this.cache.delete(u);
    }
  }

  /** Forget every model (e.g. an included file changed on disk). */
  clear(): void {
    this.cache.clear();
    this.withOpen.clear();
  }
}
