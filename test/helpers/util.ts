/** Test helpers: build documents and models from strings, show spans as text. */
import assert from 'node:assert/strict';
import * as path from 'path';
import * as fs from 'fs';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range } from 'vscode-languageserver-types';
import { Model } from '../../server/src/model';
import type { IncludeHost } from '../../server/src/hosts/includeHost';
import { PmtaLanguageService } from '../../server/src/service';
import type { Finding } from '../../server/src/findings';
import type { Settings } from '../../server/src/settings';

export const ROOT = path.resolve(__dirname, '../../..');

export function doc(text: string, uri = 'file:///test/config.pmta'): TextDocument {
  return TextDocument.create(uri, 'powermta', 1, text);
}

export function model(text: string): Model {
  return new Model(doc(text));
}

export function lint(text: string, settings: Settings = {}): Finding[] {
  return new PmtaLanguageService().lint(doc(text), { settings });
}

/** Findings of one rule as compact strings: "line:col-line:col text-of-span | message". */
export function show(text: string, findings: Finding[], rule?: string): string[] {
  const d = doc(text);
  return findings
    .filter((f) => !rule || f.rule === rule)
    .map((f) => {
      const s = d.positionAt(f.span.start);
      const e = d.positionAt(f.span.end);
      return `${s.line + 1}:${s.character + 1}-${e.line + 1}:${e.character + 1} ${JSON.stringify(text.slice(f.span.start, f.span.end))} | ${f.message}`;
    });
}

/** Where the real-world configs are: $PMTA_CORPUS, else ../shared/corpus beside the project. */
const CORPUS_DIR = process.env.PMTA_CORPUS
  ? path.resolve(process.env.PMTA_CORPUS)
  : path.resolve(ROOT, '..', 'shared', 'corpus');
export const CORPUS_MISSING = `no corpus of real configs at ${CORPUS_DIR} (set PMTA_CORPUS to a folder of *.conf files)`;

/** The real-world configs (*.conf in CORPUS_DIR); empty when the folder is absent. */
export function corpusFiles(): string[] {
  const dir = CORPUS_DIR;
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.conf'))
    .map((f) => path.join(dir, f));
}

/** Every file under examples/ (the split configuration's files too), paths relative to it, sorted. */
export function exampleFiles(): string[] {
  const dir = path.join(ROOT, 'examples');
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else out.push(r);
    }
  };
  walk('');
  return out.sort();
}

/** Offset of the n-th occurrence (0-based) of `needle` in `text`, plus `delta`; fails when absent. */
export function at(text: string, needle: string, delta = 0, nth = 0): number {
  let i = -1;
  for (let k = 0; k <= nth; k++) {
    i = text.indexOf(needle, i + 1);
    assert.ok(i >= 0, `"${needle}" occurs in the text`);
  }
  return i + delta;
}

/** An LSP range from 0-based line and character numbers. */
export function r(sl: number, sc: number, el: number, ec: number): Range {
  return { start: { line: sl, character: sc }, end: { line: el, character: ec } };
}

/**
 * Files on a pretend disk, by URI; `include` paths are absolute or relative to the including file, `*`
 * globs a name (matches sorted). `reads` lists the files read, in order.
 */
export function memoryHost(files: Record<string, string>): IncludeHost & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    resolveInclude(from, p) {
      const dir = from.slice(0, from.lastIndexOf('/') + 1);
      const full = p.startsWith('/') ? 'file://' + p : dir + p;
      if (!full.includes('*')) return files[full] !== undefined ? [full] : [];
      const re = new RegExp('^' + full.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*') + '$');
      return Object.keys(files)
        .filter((u) => re.test(u))
        .sort();
    },
    readFile(uri) {
      reads.push(uri);
      return files[uri];
    },
  };
}
