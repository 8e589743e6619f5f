/**
 * `pmta-lint --fix`: every safe fix of each configuration, its root first, then each file it includes
 * fixed as part of it (as it is reported); a file that several configurations include is fixed once, as
 * part of the first. Files are rewritten byte for byte outside the changes (files.ts), and only when
 * their bytes change. The given files' documents are replaced by their fixed text, so that the check
 * that follows reports on what was written.
 */
import { fileURLToPath } from 'url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { PmtaLanguageService } from '../service';
import type { Settings } from '../settings';
import { fileKey } from '../model';
import { displayPath, readSource, writeSource, type SourceFile } from './files';
import type { GivenFile } from './configurations';

/** A file `--fix` rewrote: its name, its text before and after, and how many fixes made the difference. */
interface FixedFile {
  file: string;
  before: string;
  after: string;
  applied: number;
}

/** What becomes of each file: `written` after it is written, `warn` for one left alone (why). */
export interface FixListener {
  written(file: FixedFile): void;
  warn(message: string): void;
}

/**
 * Fix the configurations of `roots`; returns how many files were written, each told to `listener` as
 * soon as it is. Throws an Error whose message says which file could not be read or written (the files
 * written before it stay written, and were told).
 */
export function fixConfigurations(
  service: PmtaLanguageService,
  roots: readonly GivenFile[],
  given: readonly GivenFile[],
  settings: Settings,
  listener: FixListener,
): number {
  const byKey = new Map(given.map((g) => [fileKey(g.doc.uri), g]));
  const done = new Set<string>();
  let written = 0;
  const fix = (source: SourceFile, doc: TextDocument, root: TextDocument | undefined): void => {
    const { text, applied } = service.fixAll(doc, { settings, root });
    if (applied === 0 || !writeSource(source, text)) return;
    written++;
    listener.written({ file: source.file, before: doc.getText(), after: text, applied });
    const g = byKey.get(fileKey(doc.uri));
    if (g) g.doc = TextDocument.create(g.doc.uri, 'powermta', g.doc.version + 1, text);
  };
  for (const root of roots) {
    const key = fileKey(root.doc.uri);
    if (!done.has(key)) {
      done.add(key);
      fix(root.source, root.doc, undefined);
    }
    for (const m of service.getModel(root.doc, { settings }).allModels().slice(1)) {
      const k = fileKey(m.uri);
      if (done.has(k)) continue;
      done.add(k);
      // its bytes, to be written back as they were: those given, or read again (the analysis read its text)
      const source = byKey.get(k)?.source ?? { ...readSource(fileURLToPath(m.uri)), file: displayPath(m.uri) };
      if (source.text !== m.text) {
        listener.warn(`${source.file} changed while it was checked; it is not fixed`);
        continue;
      }
      fix(source, TextDocument.create(m.uri, 'powermta', 1, m.text), root.doc);
    }
  }
  return written;
}
