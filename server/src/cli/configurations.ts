/**
 * The files given to pmta-lint as the configurations they make up. A file that another given file
 * includes (directly or through other files) is part of that configuration: it is checked as part of it
 * (names defined anywhere in it count, the Microsoft queues are judged as the whole sets them up), and
 * reported with it. The other files are configurations of their own, checked apart: one server's virtual
 * MTA does not hide another's undefined reference. Files that include each other (a cycle) are one
 * configuration, whose root is the first of them given.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { PmtaLanguageService } from '../service';
import type { Finding } from '../findings';
import type { Settings } from '../settings';
import { fileKey } from '../model';
import type { SourceFile } from './files';
import type { FileResult } from './formats';
import { pushAll } from '../util/arrays';

/** A file given on the command line (or standard input), as read, and its document. */
export interface GivenFile {
  source: SourceFile;
  doc: TextDocument;
}

/** The given files that are configurations of their own (roots), in the order given. */
export function configurationRoots(
  service: PmtaLanguageService,
  given: readonly GivenFile[],
  settings: Settings,
): GivenFile[] {
  const docs = given.map((g) => g.doc);
  const roots: GivenFile[] = [];
  const covered = new Set<string>();
  const take = (g: GivenFile) => {
    roots.push(g);
    for (const m of service.getModel(g.doc, { settings }).allModels()) covered.add(fileKey(m.uri));
  };
  for (const g of given) if (service.includers(g.doc, docs, { settings }).length === 0) take(g);
  // files that include one another and that nothing else given includes: the first stands for the others
  for (const g of given) if (!covered.has(fileKey(g.doc.uri))) take(g);
  return roots;
}

/**
 * The results, one per file, in the order they come: each configuration's root, then the files it
 * includes. A file that several configurations include gets what each of them finds in it, once.
 */
export class Results {
  private byKey = new Map<string, FileResult>();

  add(uri: string, file: string, doc: TextDocument, findings: readonly Finding[]): void {
    const key = fileKey(uri);
    const r = this.byKey.get(key);
    if (!r) {
      this.byKey.set(key, { file, doc, findings: [...findings] });
      return;
    }
    const seen = new Set(r.findings.map(identity));
    const more = findings.filter((f) => !seen.has(identity(f)));
    if (!more.length) return;
    pushAll(r.findings, more);
    r.findings.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  }

  get all(): FileResult[] {
    return [...this.byKey.values()];
  }
}

function identity(f: Finding): string {
  return `${f.rule}|${f.span.start}|${f.span.end}|${f.message}`;
}

/**
 * Check each configuration: its root, then the files it includes, each as part of it, into `results`
 * (an included file that was also given keeps the name it was given by; the others get theirs from `nameOf`).
 */
export function checkConfigurations(
  service: PmtaLanguageService,
  roots: readonly GivenFile[],
  given: readonly GivenFile[],
  settings: Settings,
  results: Results,
  nameOf: (uri: string) => string,
): void {
  const names = new Map(given.map((g) => [fileKey(g.doc.uri), g.source.file]));
  for (const root of roots) {
    results.add(root.doc.uri, root.source.file, root.doc, service.lint(root.doc, { settings }));
    for (const inc of service.lintIncluded(root.doc, { settings }))
      results.add(inc.uri, names.get(fileKey(inc.uri)) ?? nameOf(inc.uri), inc.doc, inc.findings);
  }
}
