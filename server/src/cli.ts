/**
 * pmta-lint: the language service as a command-line linter for CI.
 *
 *   pmta-lint [--format text|json|sarif|github] [--settings FILE] [--fix] [--no-includes]
 *             [--max-file-size SIZE] [--stdin-filename PATH] FILE|DIR|-...
 *   pmta-lint report …   the Microsoft delivery report from accounting files (reportCli.ts)
 *
 * Exit status: 0 no error-severity finding, 1 at least one, 2 usage or I/O error, or a file too large to
 * be checked.
 * The files given are checked as the configurations they make up (cli/configurations.ts): a file that
 * another given file includes is checked as part of it, independent files apart. A file that includes
 * others is checked with them: the problems found in the files it includes are reported too, under their
 * own names, and each included file is checked as part of it (the Microsoft queues as the whole
 * configuration sets them up, names defined anywhere in it). The modules of cli/ do the parts: the
 * command line (args.ts), reading and writing files byte for byte (files.ts), the configurations
 * (configurations.ts), --fix (fix.ts) and the report of its changes (changes.ts), the output formats
 * (formats.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { PmtaLanguageService, RULES, TextDocument } from './service';
import { DEFAULT_SETTINGS, normalizeSettings, type Settings } from './settings';
import { NodeIncludeHost } from './hosts/nodeHost';
import { runReport } from './reportCli';
import { VERSION } from './version';
import { parseArgs, USAGE, type Options } from './cli/args';
import { countOf, report } from './cli/formats';
import { collectFiles, displayPath, readSource, readStdin, sizeOf } from './cli/files';
import { checkConfigurations, configurationRoots, Results, type GivenFile } from './cli/configurations';
import { fixConfigurations } from './cli/fix';
import { describeChanges } from './cli/changes';
import { fileTooLargeRule, tooLarge } from './rules/fileTooLarge';
import { findingOf } from './rules/run';

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
    for (const r of RULES)
      process.stdout.write(`${r.id.padEnd(36)} ${r.defaultSeverity.padEnd(12)} ${r.description}\n`);
    return 0;
  }
  const settings = loadSettings(opts);
  if (typeof settings === 'number') return settings;
  return lint(opts, settings);
}

/** The settings of `--settings`, `--no-includes` and `--max-file-size`; a number (the exit status) when they cannot be read. */
function loadSettings(opts: Options): Settings | number {
  let settings: Settings = {};
  if (opts.settingsFile) {
    let raw: unknown;
    try {
      raw = JSON.parse(fs.readFileSync(opts.settingsFile, 'utf8'));
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      process.stderr.write(
        `pmta-lint: cannot read settings ${opts.settingsFile}: ${err.code === 'ENOENT' ? 'no such file' : err.message}\n`,
      );
      return 2;
    }
    const { settings: s, problems } = normalizeSettings(
      raw,
      RULES.map((r) => r.id),
    );
    if (problems.length) {
      for (const p of problems) process.stderr.write(`pmta-lint: ${opts.settingsFile}: ${p}\n`);
      return 2;
    }
    settings = s;
  }
  if (!opts.includes) settings = { ...settings, includes: { resolve: false } };
  if (opts.maxFileSizeKB !== undefined) settings = { ...settings, maxFileSizeKB: opts.maxFileSizeKB };
  return settings;
}

/** Read, (fix,) check and report the files of the command line; the exit status. */
function lint(opts: Options, settings: Settings): number {
  const maxKB = settings.maxFileSizeKB ?? DEFAULT_SETTINGS.maxFileSizeKB;
  // a file over the size limit is not even read: the given ones are looked at here, the host notes the included ones
  const host = new NodeIncludeHost(Math.floor(maxKB * 1024));
  const service = new PmtaLanguageService({ host });
  const results = new Results();
  const tooLargeFiles: Array<{ uri: string; file: string; bytes: number }> = [];

  let given: GivenFile[];
  try {
    given = readGiven(opts, maxKB, tooLargeFiles);
  } catch (e) {
    process.stderr.write(`pmta-lint: ${(e as Error).message}\n`);
    return 2;
  }
  // standard input stands for its file in the configurations that include it (the open text, as in an editor)
  for (const g of given) if (!g.source.path) service.getModel(g.doc, { settings });
  let roots = configurationRoots(service, given, settings);

  if (opts.fix) {
    try {
      const written = fixConfigurations(service, roots, given, settings, {
        // every change made, as soon as it is written, to standard error in every format (standard output stays the report, parseable)
        written: (f) =>
          process.stderr.write(
            [
              `${f.file}: applied ${f.applied} fix${f.applied === 1 ? '' : 'es'}`,
              ...describeChanges(f.file, f.before, f.after),
            ].join('\n') + '\n',
          ),
        warn: (m) => process.stderr.write(`pmta-lint: ${m}\n`),
      });
      // what follows reads the files it rewrote again (a configuration reads the files it includes from disk)
      if (written) {
        service.clear();
        host.forget();
        roots = configurationRoots(service, given, settings);
      }
    } catch (e) {
      process.stderr.write(`pmta-lint: ${(e as Error).message}\n`);
      return 2;
    }
  }

  checkConfigurations(service, roots, given, settings, results, displayPath);
  // the files not read, too large: given, and included by the configurations checked
  for (const [uri, bytes] of host.oversized) tooLargeFiles.push({ uri, file: displayPath(uri), bytes });
  for (const { uri, file, bytes } of tooLargeFiles) {
    const finding = findingOf(fileTooLargeRule, tooLarge(Math.ceil(bytes / 1024), maxKB), settings);
    results.add(uri, file, TextDocument.create(uri, 'powermta', 1, ''), finding ? [finding] : []);
  }
  const all = results.all;
  process.stdout.write(report(opts.format, all));
  // a file not checked fails the run, loudly (unless the rule is off)
  const unchecked = all.filter((r) => r.findings.some((f) => f.rule === fileTooLargeRule.id));
  for (const r of unchecked)
    process.stderr.write(
      `pmta-lint: warning: ${r.file} was not checked: it is larger than the limit of ${maxKB} KB (raise it with --max-file-size)\n`,
    );
  if (unchecked.length) return 2;
  return countOf(all, 'error') > 0 ? 1 : 0;
}

/**
 * The files of the command line, read (folders stand for their configuration files, `-` for standard
 * input, which stands for --stdin-filename's file when that is given too); those over the size limit are
 * not read but listed in `tooLargeFiles`. Throws an Error for a file that cannot be read.
 */
function readGiven(
  opts: Options,
  maxKB: number,
  tooLargeFiles: Array<{ uri: string; file: string; bytes: number }>,
): GivenFile[] {
  const stdinPath = opts.stdinFilename !== undefined ? path.resolve(opts.stdinFilename) : undefined;
  const given: GivenFile[] = [];
  for (const file of collectFiles(opts.files)) {
    if (file !== '-' && stdinPath !== undefined && path.resolve(file) === stdinPath) continue;
    const bytes = file === '-' ? undefined : sizeOf(file);
    if (bytes !== undefined && bytes > maxKB * 1024) {
      tooLargeFiles.push({ uri: pathToFileURL(path.resolve(file)).toString(), file, bytes });
      continue;
    }
    const source = file === '-' ? readStdin(opts.stdinFilename) : readSource(file);
    given.push({ source, doc: TextDocument.create(source.uri, 'powermta', 1, source.text) });
  }
  return given;
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
