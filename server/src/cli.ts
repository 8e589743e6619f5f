/**
 * pmta-lint: the language service as a command-line linter for CI.
 *
 *   pmta-lint [--format text|json|sarif|github] [--settings FILE] [--fix] [--no-includes] [--max-file-size SIZE] FILE|DIR...
 *
 * Exit status: 0 no error-severity finding, 1 at least one, 2 usage or I/O error, or a file too large to
 * be checked.
 * Files given together are linted as one configuration: a name defined in one counts in the others.
 * A file that includes others is checked with them: the problems found in the files it includes are
 * reported too, under their own names, and each included file is checked as part of it (the
 * Microsoft queues as the whole configuration sets them up, names defined anywhere in it).
 */
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import { PmtaLanguageService, RULES, TextDocument } from './service';
import { DEFAULT_SETTINGS, normalizeSettings, Settings } from './settings';
import { NodeIncludeHost } from './hosts/nodeHost';
import { fileKey } from './model';
import { runReport } from './reportCli';
import { VERSION } from './version';
import { countOf, report, type FileResult } from './cli/formats';
import { readSource, writeSource, type SourceFile } from './cli/files';
import { fileTooLargeRule, tooLarge as tooLargeInput } from './rules/fileTooLarge';
import { findingOf } from './rules/run';

const USAGE = `Usage: pmta-lint [options] FILE|DIR...

Lint PowerMTA configuration files.

Options:
  --format text|json|sarif|github
                             output format (default: text); github: annotations
                             for a GitHub Actions workflow, and the text summary
  --settings FILE            JSON settings: {"rules": {"RULE": "error|warning|information|hint|off"},
                             "microsoft": {"volumeTier": "auto|under-100k|100k-500k|500k-plus"},
                             "includes": {"resolve": true}}
  --fix                      apply every safe quick fix and rewrite the files (and
                             the files they include)
  --no-includes              do not follow include directives
  --max-file-size SIZE       files larger than SIZE are not checked, and fail the run
                             (file-too-large); in KB, or with a unit: 20m, 512k
                             (default: 10240, or maxFileSizeKB in --settings)
  --list-rules               print the rules and their default severities
  -h, --help                 show this help
  -v, --version              show the version

Exit status: 0 when no error-severity finding, 1 when any, 2 for usage or I/O errors
and when a file is too large to be checked.`;

interface Options {
  format: 'text' | 'json' | 'sarif' | 'github';
  settingsFile?: string;
  fix: boolean;
  includes: boolean;
  /** --max-file-size, in KB. */
  maxFileSizeKB?: number;
  files: string[];
}

class UsageError extends Error {}

function parseArgs(argv: string[]): Options | 'help' | 'version' | 'list-rules' {
  const o: Options = { format: 'text', fix: false, includes: true, files: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (name: string) => {
      const eq = a.indexOf('=');
      if (eq > 0) return a.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${name} needs a value`);
      return v;
    };
    if (a === '-h' || a === '--help') return 'help';
    if (a === '-v' || a === '--version') return 'version';
    if (a === '--list-rules') return 'list-rules';
    if (a === '--format' || a.startsWith('--format=')) {
      const f = value('--format');
      if (f !== 'text' && f !== 'json' && f !== 'sarif' && f !== 'github') throw new UsageError(`unknown format "${f}" (use text, json, sarif or github)`);
      o.format = f;
    } else if (a === '--settings' || a.startsWith('--settings=')) o.settingsFile = value('--settings');
    else if (a === '--max-file-size' || a.startsWith('--max-file-size=')) o.maxFileSizeKB = sizeKB(value('--max-file-size'));
    else if (a === '--fix') o.fix = true;
    else if (a === '--no-includes') o.includes = false;
    else if (a === '--') o.files.push(...argv.slice(i + 1)), (i = argv.length);
    else if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a}`);
    else o.files.push(a);
  }
  if (o.files.length === 0) throw new UsageError('no files given');
  return o;
}

/** A size in KB: a number of KB, or with a unit (k, kb, m, mb; case ignored). */
function sizeKB(v: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(k|kb|m|mb)?$/i.exec(v.trim());
  const kb = m ? Number(m[1]) * (m[2] && m[2][0].toLowerCase() === 'm' ? 1024 : 1) : NaN;
  if (!(kb > 0)) throw new UsageError(`--max-file-size: "${v}" is not a size: give KB (20480) or a unit (20m, 512k)`);
  return kb;
}

const CONFIG_NAME = /(\.pmta|\.conf|^config)$/;

/** Files named on the command line; a directory contributes its *.pmta, *.conf and `config` files. */
function collectFiles(args: string[]): string[] {
  const out: string[] = [];
  for (const a of args) {
    let st: fs.Stats;
    try {
      st = fs.statSync(a);
    } catch {
      throw new Error(`${a}: no such file or directory`);
    }
    if (st.isDirectory()) {
      const walk = (dir: string) => {
        for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((x, y) => x.name.localeCompare(y.name))) {
          const p = path.join(dir, e.name);
          if (e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules') walk(p);
          else if (e.isFile() && CONFIG_NAME.test(e.name)) out.push(p);
        }
      };
      walk(a);
    } else out.push(a);
  }
  return out;
}

function main(argv: string[]): number | undefined {
  // `pmta-lint report …`: the Microsoft delivery report from accounting files (reportCli.ts), which ends later
  if (argv[0] === 'report') {
    void runReport(argv.slice(1)).then((code) => (process.exitCode = code));
    return undefined;
  }
  let opts: ReturnType<typeof parseArgs>;
  try {
    opts = parseArgs(argv);
  } catch (e) {
    process.stderr.write(`pmta-lint: ${(e as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (opts === 'help') {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (opts === 'version') {
    process.stdout.write(VERSION + '\n');
    return 0;
  }
  if (opts === 'list-rules') {
    for (const r of RULES) process.stdout.write(`${r.id.padEnd(36)} ${r.defaultSeverity.padEnd(12)} ${r.description}\n`);
    return 0;
  }

  let settings: Settings = {};
  if (opts.settingsFile) {
    let raw: unknown;
    try {
      raw = JSON.parse(fs.readFileSync(opts.settingsFile, 'utf8'));
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      process.stderr.write(`pmta-lint: cannot read settings ${opts.settingsFile}: ${err.code === 'ENOENT' ? 'no such file' : err.message}\n`);
      return 2;
    }
    const { settings: s, problems } = normalizeSettings(raw, RULES.map((r) => r.id));
    if (problems.length) {
      for (const p of problems) process.stderr.write(`pmta-lint: ${opts.settingsFile}: ${p}\n`);
      return 2;
    }
    settings = s;
  }
  if (!opts.includes) settings = { ...settings, includes: { resolve: false } };
  if (opts.maxFileSizeKB !== undefined) settings = { ...settings, maxFileSizeKB: opts.maxFileSizeKB };
  const maxKB = settings.maxFileSizeKB ?? DEFAULT_SETTINGS.maxFileSizeKB;
  /** Files not read because they are larger than the limit: their names and sizes in bytes. */
  const tooLarge: Array<{ file: string; bytes: number }> = [];

  let files: string[];
  try {
    files = collectFiles(opts.files);
  } catch (e) {
    process.stderr.write(`pmta-lint: ${(e as Error).message}\n`);
    return 2;
  }

  // a file over the limit is not even read: the included ones the host notes, the given ones are looked at here
  const host = new NodeIncludeHost(Math.floor(maxKB * 1024));
  const service = new PmtaLanguageService({ host });
  const docs: Array<{ file: string; doc: TextDocument; source: SourceFile }> = [];
  for (const file of files) {
    const bytes = sizeOf(file);
    if (bytes !== undefined && bytes > maxKB * 1024) {
      tooLarge.push({ file, bytes });
      continue;
    }
    let source: SourceFile;
    try {
      source = readSource(file);
    } catch (e) {
      process.stderr.write(`pmta-lint: ${(e as Error).message}\n`);
      return 2;
    }
    docs.push({ file, doc: TextDocument.create(source.uri, 'powermta', 1, source.text), source });
  }

  // the configuration each given file is part of (another given file that includes it), if any
  const rootOf = (doc: TextDocument, all: TextDocument[]) => service.includers(doc, all, { settings })[0];

  if (opts.fix) {
    let wrote = false;
    /** Write a fixed file (nothing when its bytes would not change); false when it cannot be written. */
    const write = (source: SourceFile, text: string, applied: number): boolean => {
      try {
        if (!writeSource(source, text)) return true;
      } catch (e) {
        process.stderr.write(`pmta-lint: ${(e as Error).message}\n`);
        return false;
      }
      wrote = true;
      if (opts.format === 'text') process.stderr.write(`${source.file}: applied ${applied} fix${applied === 1 ? '' : 'es'}\n`);
      return true;
    };
    const all = docs.map((d) => d.doc);
    const roots = docs.map((d) => rootOf(d.doc, all));
    for (const [i, d] of docs.entries()) {
      const { text, applied } = service.fixAll(d.doc, { settings, root: roots[i] });
      if (applied > 0 && text !== d.doc.getText()) {
        if (!write(d.source, text, applied)) return 2;
        d.doc = TextDocument.create(d.doc.uri, 'powermta', 2, text);
      }
    }
    // the files a given configuration includes, each fixed as part of it (as they are reported)
    const done = new Set(docs.map((d) => fileKey(d.doc.uri)));
    for (const [i, d] of docs.entries()) {
      if (roots[i]) continue;
      for (const m of service.getModel(d.doc, { settings }).allModels().slice(1)) {
        const key = fileKey(m.uri);
        if (done.has(key)) continue;
        done.add(key);
        const { text, applied } = service.fixAll(TextDocument.create(m.uri, 'powermta', 1, m.text), { settings, root: d.doc });
        if (applied === 0 || text === m.text) continue;
        // its bytes, read again to be written back as they were (the configuration's analysis read its text)
        let source: SourceFile;
        try {
          source = { ...readSource(fileURLToPath(m.uri)), file: displayPath(m.uri) };
        } catch (e) {
          process.stderr.write(`pmta-lint: cannot fix ${(e as Error).message}\n`);
          return 2;
        }
        if (source.text !== m.text) {
          process.stderr.write(`pmta-lint: ${source.file} changed while it was checked; it is not fixed\n`);
          continue;
        }
        if (!write(source, text, applied)) return 2;
      }
    }
    // what follows reads the files it rewrote again (a configuration reads the files it includes from disk)
    if (wrote) {
      service.clear();
      host.forget();
    }
  }

  const all = docs.map((d) => d.doc);
  const results: FileResult[] = [];
  const given = new Map(docs.map((d) => [fileKey(d.doc.uri), d]));
  const reported = new Set<string>();
  for (const d of docs) {
    const key = fileKey(d.doc.uri);
    // a file another given file includes is reported as part of that one (below)
    if (reported.has(key) || rootOf(d.doc, all)) continue;
    reported.add(key);
    results.push({ ...d, findings: service.lint(d.doc, { settings, siblings: all }) });
    // the files it includes, each checked as part of it, reported after it
    for (const inc of service.lintIncluded(d.doc, { settings, siblings: all })) {
      const k = fileKey(inc.uri);
      if (reported.has(k)) continue;
      reported.add(k);
      results.push({ file: given.get(k)?.file ?? displayPath(inc.uri), doc: inc.doc, findings: inc.findings });
    }
  }
  // the files not read, too large: given, and included by the configurations checked
  for (const [uri, bytes] of host.oversized) tooLarge.push({ file: displayPath(uri), bytes });
  for (const { file, bytes } of tooLarge) {
    const finding = findingOf(fileTooLargeRule, tooLargeInput(Math.ceil(bytes / 1024), maxKB), settings);
    results.push({ file, doc: TextDocument.create(pathToFileURL(path.resolve(file)).toString(), 'powermta', 1, ''), findings: finding ? [finding] : [] });
  }
  process.stdout.write(report(opts.format, results));
  // a file not checked fails the run, loudly (unless the rule is off)
  const unchecked = results.filter((r) => r.findings.some((f) => f.rule === fileTooLargeRule.id));
  for (const r of unchecked) process.stderr.write(`pmta-lint: warning: ${r.file} was not checked: it is larger than the limit of ${maxKB} KB (raise it with --max-file-size)\n`);
  if (unchecked.length) return 2;
  return countOf(results, 'error') > 0 ? 1 : 0;
}

/** The size of a regular file in bytes (undefined when it cannot be looked at: reading it says why). */
function sizeOf(file: string): number | undefined {
  try {
    const st = fs.statSync(file);
    return st.isFile() ? st.size : undefined;
  } catch {
    return undefined;
  }
}

/** An included file's path as the text output shows it: relative to the current folder when below it. */
function displayPath(uri: string): string {
  let p: string;
  try {
    p = fileURLToPath(uri);
  } catch {
    return uri;
  }
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p;
}

// output read by a command that stopped reading (`pmta-lint … | head`): stop quietly, with the status so far
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
  process.exit(process.exitCode ?? 0);
});

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`pmta-lint: internal error: ${(e as Error)?.stack ?? e}\n`);
  process.exitCode = 2;
}
