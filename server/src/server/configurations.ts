/**
 * Which configuration each open document is part of, for the server: a file of conf.d is checked as
 * part of the `config` that includes it, found among the open documents and the configuration files
 * next to it on disk (the include host's `nearbyConfigs`). And which diagnostics an open configuration published for
 * the files it includes that are not open, so that they are cleared when they no longer hold.
 *
 * Kept apart from the LSP handlers (documents.ts, requests.ts) so that they stay thin and this bookkeeping can be tested
 * without a connection. The analysis itself is the service's.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import { fileKey } from '../model';
import type { IncludeAccess } from '../hosts/includeHost';
import type { IncludedFindings } from '../findings';
import type { PmtaLanguageService } from '../service';
import type { Settings } from '../settings';
import type { RequestContext } from '../types';
import type { NearbyConfig } from '../hosts/nearby';

/** The open documents, as the server's `TextDocuments` holds them. */
export interface OpenDocuments {
  get(uri: string): TextDocument | undefined;
  all(): TextDocument[];
}

/** Sends a document's diagnostics to the client. */
export type Publish = (uri: string, diagnostics: Diagnostic[]) => Promise<void>;

export class Configurations {
  /** The URI of the configuration each open document is part of (null: none found), looked for once. */
  private roots = new Map<string, string | null>();
  /** Those configurations that are not open, as read from disk. */
  private diskRoots = new Map<string, TextDocument>();
  /** For each open configuration, the files it includes that are not open and got diagnostics from it. */
  private published = new Map<string, Set<string>>();
  /** What was last sent for each of those files (a new version of the configuration resends only what changed). */
  private sent = new Map<string, string>();

  constructor(
    private service: PmtaLanguageService,
    private documents: OpenDocuments,
    private nearby: (uri: string, access?: IncludeAccess) => NearbyConfig[],
    private log: (message: string) => void = () => undefined,
  ) {}

  /** The other open PowerMTA documents. */
  siblingsOf(doc: TextDocument): TextDocument[] {
    return this.documents.all().filter((d) => d.uri !== doc.uri && d.languageId === 'powermta');
  }

  /** The configuration `doc` is part of: an open document or a file near it that includes it. */
  rootOf(doc: TextDocument, settings: Settings): TextDocument | undefined {
    if (settings.includes?.resolve === false) return undefined;
    let uri = this.roots.get(doc.uri);
    if (uri === undefined) {
      const open = this.siblingsOf(doc);
      const openKeys = new Set(open.map((d) => fileKey(d.uri)));
      const disk = this.nearby(doc.uri, { workspaceOnly: settings.includes?.workspaceOnly === true })
        .filter((c) => !openKeys.has(fileKey(c.uri)))
        .map((c) => TextDocument.create(c.uri, 'powermta', Math.floor(c.mtime), c.text));
      uri = this.service.includers(doc, [...open, ...disk], { settings })[0]?.uri ?? null;
      this.roots.set(doc.uri, uri);
      for (const d of disk) {
        if (d.uri === uri) this.diskRoots.set(d.uri, d);
        else this.service.forget(d.uri);
      }
      if (uri) this.log(`${doc.uri} is checked as part of ${uri}, which includes it`);
    }
    if (!uri) return undefined;
    return this.documents.get(uri) ?? this.diskRoots.get(uri);
  }

  /** What a request on a document is answered with: its settings, the other open documents, and the configuration it is part of. */
  contextOf(doc: TextDocument, settings: Settings): RequestContext {
    return { settings, siblings: this.siblingsOf(doc), root: this.rootOf(doc, settings) };
  }

  /**
   * The open documents to check again after `uri` changed: the configuration it is part of (which reads
   * its open text), the files checked as part of it, and the other files of the same configuration.
   */
  dependents(uri: string): TextDocument[] {
    const own = this.roots.get(uri);
    const out: TextDocument[] = [];
    const ownDoc = own ? this.documents.get(own) : undefined;
    if (ownDoc) out.push(ownDoc);
    for (const [u, root] of this.roots) {
      if (u === uri || !(root === uri || (own && root === own))) continue;
      const d = this.documents.get(u);
      if (d && !out.includes(d)) out.push(d);
    }
    return out;
  }

  /** A document was opened: the documents that found no configuration look again (it may include them); returns them. */
  opened(): string[] {
    const again: string[] = [];
    for (const [uri, root] of this.roots) {
      if (root !== null) continue;
      this.roots.delete(uri);
      again.push(uri);
    }
    return again;
  }

  /**
   * A document was closed (call after it left the open documents): the files checked as part of it look
   * for their configuration again, a configuration read from disk that no open file needs any more is
   * dropped, and what it published for its included files is cleared. Returns the open documents to
   * check again: its own configuration (which now reads the file from disk) and the files that were
   * checked as part of it (with its unsaved text, now gone).
   */
  async closed(uri: string, publish: Publish): Promise<TextDocument[]> {
    const again: TextDocument[] = [];
    const root = this.roots.get(uri);
    const rootDoc = root ? this.documents.get(root) : undefined;
    if (rootDoc) again.push(rootDoc);
    this.roots.delete(uri);
    for (const [u, r] of this.roots) {
      if (r !== uri) continue;
      this.roots.delete(u);
      const d = this.documents.get(u);
      if (d && !again.includes(d)) again.push(d);
    }
    for (const d of [...this.diskRoots.keys()]) {
      if (![...this.roots.values()].includes(d)) {
        this.diskRoots.delete(d);
        if (!this.documents.get(d)) this.service.forget(d);
      }
    }
    this.sent.delete(uri);
    await this.clearIncluded(uri, publish);
    return again;
  }

  /** Files changed on disk: every configuration is looked for again. */
  filesChanged(): void {
    this.roots.clear();
    this.diskRoots.clear();
  }

  /** A document published its own diagnostics: what a configuration sent for it is no longer on screen. */
  publishedOwn(uri: string): void {
    this.sent.delete(uri);
  }

  /**
   * Publish the findings of the files an open configuration includes, but for those open (they publish
   * their own) and those whose diagnostics did not change; clear what it published before for files it
   * no longer includes.
   */
  async publishIncluded(rootUri: string, included: readonly IncludedFindings[], publish: Publish): Promise<void> {
    const now = new Set<string>();
    for (const inc of included) {
      if (this.isOpen(inc.uri)) continue;
      now.add(inc.uri);
      const diagnostics = inc.findings.map((f) => this.service.toDiagnostic(inc.doc, f));
      const text = JSON.stringify(diagnostics);
      if (this.sent.get(inc.uri) === text) continue;
      this.sent.set(inc.uri, text);
      await publish(inc.uri, diagnostics);
    }
    await this.clearIncluded(rootUri, publish, now);
    this.published.set(rootUri, now);
  }

  /** Clear what a configuration published for the files it included, but those in `keep`. */
  private async clearIncluded(rootUri: string, publish: Publish, keep: ReadonlySet<string> = new Set()): Promise<void> {
    const before = this.published.get(rootUri);
    if (!before) return;
    this.published.delete(rootUri);
    for (const uri of before) {
      if (keep.has(uri) || this.isOpen(uri) || [...this.published.values()].some((set) => set.has(uri))) continue;
      this.sent.delete(uri);
      await publish(uri, []);
    }
  }

  private isOpen(uri: string): boolean {
    const key = fileKey(uri);
    return this.documents.all().some((d) => fileKey(d.uri) === key);
  }
}
