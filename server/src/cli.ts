/**
 * pmta-lint: the language service as a command-line linter for CI.
 *
 *   pmta-lint [--format text|json|sarif|github] [--settings FILE] [--fix] [--no-includes] FILE|DIR...
 *
 * Exit status: 0 no error-severity finding, 1 at least one, 2 usage or I/O error.
 * Files given together are linted as one configuration: a name defined in one counts in the others.
 * A file that includes others is checked with them: the problems found in the files it includes are
 * reported too, under their own names, and each included file is checked as part of it (the
 * Microsoft queues as the whole configuration sets them up, names defined anywhere in it).
 */
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import { PmtaLanguageService, RULES, TextDocument } from './service';
import type { Finding, Severity } from './findings';
import { normalizeSettings, Settings } from './settings';
import { NodeIncludeHost } from './hosts/nodeHost';
import { fileKey } from './model';
import { runReport } from './reportCli';
import { plural } from './util/phrases';

const VERSION = '0.1.0';

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
  --list-rules               print the rules and their default severities
  -h, --help                 show this help
  -v, --version              show the version

Exit status: 0 when no error-severity finding, 1 when any, 2 for usage or I/O errors.`;

interface Options {
  format: 'text' | 'json' | 'sarif' | 'github';
  settingsFile?: string;
  fix: boolean;
  includes: boolean;
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
    else if (a === '--fix') o.fix = true;
    else if (a === '--no-includes') o.includes = false;
    else if (a === '--') {
      o.files.push(...argv.slice(i + 1));
      i = argv.length;
    } else if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a}`);
    else o.files.push(a);
  }
  if (o.files.length === 0) throw new UsageError('no files given');
  return o;
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

const SARIF_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

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
    const { settings: s, problems } = normalizeSettings(raw);
    if (problems.length) {
      for (const p of problems) process.stderr.write(`pmta-lint: ${opts.settingsFile}: ${p}\n`);
      return 2;
    }
    settings = s;
  }
  if (!opts.includes) settings = { ...settings, includes: { resolve: false } };

  let files: string[];
  try {
    files = collectFiles(opts.files);
  } catch (e) {
    process.stderr.write(`pmta-lint: ${(e as Error).message}\n`);
    return 2;
  }

  const host = new NodeIncludeHost();
  const service = new PmtaLanguageService({ host });
  const docs: Array<{ file: string; doc: TextDocument }> = [];
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      process.stderr.write(`pmta-lint: ${file}: ${err.code === 'EISDIR' ? 'is a directory' : err.code === 'EACCES' ? 'permission denied' : err.message}\n`);
      return 2;
    }
    const uri = pathToFileURL(path.resolve(file)).toString();
    docs.push({ file, doc: TextDocument.create(uri, 'powermta', 1, text) });
  }

  // the configuration each given file is part of (another given file that includes it), if any
  const rootOf = (doc: TextDocument, all: TextDocument[]) => service.includers(doc, all, { settings })[0];

  if (opts.fix) {
    const write = (file: string, shown: string, text: string, applied: number): boolean => {
      try {
        fs.writeFileSync(file, text);
      } catch (e) {
        process.stderr.write(`pmta-lint: cannot write ${shown}: ${(e as Error).message}\n`);
        return false;
      }
      if (opts.format === 'text') process.stderr.write(`${shown}: applied ${applied} fix${applied === 1 ? '' : 'es'}\n`);
      return true;
    };
    const all = docs.map((d) => d.doc);
    const roots = docs.map((d) => rootOf(d.doc, all));
    let wrote = false;
    for (const [i, d] of docs.entries()) {
      const { text, applied } = service.fixAll(d.doc, { settings, root: roots[i] });
      if (applied > 0 && text !== d.doc.getText()) {
        if (!write(d.file, d.file, text, applied)) return 2;
        d.doc = TextDocument.create(d.doc.uri, 'powermta', 2, text);
        wrote = true;
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
        if (!write(fileURLToPath(m.uri), displayPath(m.uri), text, applied)) return 2;
        wrote = true;
      }
    }
    // what follows reads the files it rewrote again (a configuration reads the files it includes from disk)
    if (wrote) {
      service.clear();
      host.forget();
    }
  }

  const all = docs.map((d) => d.doc);
  const results: Array<{ file: string; doc: TextDocument; findings: Finding[] }> = [];
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
  const count = (s: Severity) => results.reduce((n, r) => n + r.findings.filter((f) => f.severity === s).length, 0);
  const errors = count('error');

  if (opts.format === 'json') {
    const out = results.map((r) => ({
      file: r.file,
      diagnostics: r.findings.map((f) => ({
        range: { start: r.doc.positionAt(f.span.start), end: r.doc.positionAt(f.span.end) },
        severity: f.severity,
        code: f.rule,
        message: f.message,
      })),
    }));
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
  } else if (opts.format === 'sarif') {
    process.stdout.write(JSON.stringify(toSarif(results), null, 2) + '\n');
  } else {
    for (const r of results) {
      for (const f of r.findings) {
        const p = r.doc.positionAt(f.span.start);
        if (opts.format === 'github') process.stdout.write(githubAnnotation(r.file, r.doc, f));
        else process.stdout.write(`${r.file}:${p.line + 1}:${p.character + 1}: ${f.severity} ${f.rule} ${f.message}\n`);
      }
    }
    const total = results.reduce((n, r) => n + r.findings.length, 0);
    process.stdout.write(
      `${plural(total, 'problem')} (${plural(errors, 'error')}, ${plural(count('warning'), 'warning')}, ${count('information')} info, ${plural(count('hint'), 'hint')}) in ${plural(results.length, 'file')}\n`,
    );
  }
  return errors > 0 ? 1 : 0;
}

/**
 * A finding as a GitHub Actions workflow command (`::error file=…,line=…::message`), which GitHub shows
 * on the line in the pull request. Information and hints are notices.
 */
function githubAnnotation(file: string, doc: TextDocument, f: Finding): string {
  const data = (v: string) => v.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const prop = (v: string) => data(v).replace(/:/g, '%3A').replace(/,/g, '%2C');
  const s = doc.positionAt(f.span.start);
  const e = doc.positionAt(f.span.end);
  const level = f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'notice';
  const where = `file=${prop(file)},line=${s.line + 1},col=${s.character + 1},endLine=${e.line + 1},endColumn=${e.character + 1}`;
  return `::${level} ${where},title=${prop(`pmta-lint ${f.rule}`)}::${data(f.message)}\n`;
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

function toSarif(results: Array<{ file: string; doc: TextDocument; findings: Finding[] }>) {
  const ruleIds = [...RULES.map((r) => r.id)];
  for (const r of results) for (const f of r.findings) if (!ruleIds.includes(f.rule)) ruleIds.push(f.rule);
  const rules = ruleIds.map((id) => {
    const r = RULES.find((x) => x.id === id);
    return {
      id,
      name: id,
      shortDescription: { text: r?.description ?? id },
      defaultConfiguration: { level: r ? SARIF_LEVEL[r.defaultSeverity] : 'warning' },
    };
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'pmta-lint', version: VERSION, semanticVersion: VERSION, rules } },
        columnKind: 'utf16CodeUnits',
        results: results.flatMap((r) =>
          r.findings.map((f) => {
            const s = r.doc.positionAt(f.span.start);
            const e = r.doc.positionAt(f.span.end);
            return {
              ruleId: f.rule,
              ruleIndex: ruleIds.indexOf(f.rule),
              level: SARIF_LEVEL[f.severity],
              message: { text: f.message },
              locations: [
                {
                  physicalLocation: {
                    artifactLocation: { uri: r.file.split(path.sep).join('/') },
                    region: { startLine: s.line + 1, startColumn: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 },
                  },
                },
              ],
            };
          }),
        ),
      },
    ],
  };
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
