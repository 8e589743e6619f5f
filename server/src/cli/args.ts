/**
 * pmta-lint's command line: its usage and the options it takes. Pure.
 */
import type { Format } from './formats';

export const USAGE = `Usage: pmta-lint [options] FILE|DIR|-...
       pmta-lint report [options] FILE...

Lint PowerMTA configuration files. The files are checked as the configurations they
make up: a file another given file includes is checked as part of it (and the files a
configuration includes are checked and reported too); independent files are checked
apart. A folder stands for its *.pmta, *.conf and config files (a folder without any
stops the run, as a missing file does: nothing is checked); - for standard input.
\`pmta-lint report --help\`: the Microsoft delivery report from accounting files.

Options:
  --format text|json|sarif|github
                             output format (default: text); github: annotations
                             for a GitHub Actions workflow, and the text summary
  --settings FILE            JSON settings: {"rules": {"RULE": "error|warning|information|hint|off"},
                             "microsoft": {"volumeTier": "auto|under-100k|100k-500k|500k-plus"},
                             "includes": {"resolve": true}, "maxFileSizeKB": 10240}
  --fix                      apply every safe quick fix and rewrite the files (and
                             the files they include), byte for byte outside the
                             changes; every change is printed to standard error
                             (file:line: before → after for a line edited in place,
                             + inserted, - removed; lines numbered as in the file
                             written, a removed line by the line now after it)
  --no-includes              do not follow include directives
  --max-file-size SIZE       files larger than SIZE are not checked, and fail the run
                             (file-too-large); in KB, or with a unit: 20m, 512k
                             (default: 10240, or maxFileSizeKB in --settings)
  --stdin-filename PATH      the path standard input (-) stands for: its name in the
                             output, and where its includes are looked for
  --list-rules               print the rules and their default severities
  -h, --help                 show this help
  -v, --version              show the version

Exit status: 0 when no error-severity finding, 1 when any, 2 for usage or I/O errors
(a missing file, a folder without configuration files) and when a file is too large
to be checked.`;

export interface Options {
  format: Format;
  settingsFile?: string;
  fix: boolean;
  includes: boolean;
  /** --max-file-size, in KB. */
  maxFileSizeKB?: number;
  /** --stdin-filename */
  stdinFilename?: string;
  /** The files and folders named, `-` for standard input. */
  files: string[];
}

/** A mistake on the command line (the usage follows its message). */
export class UsageError extends Error {}

/** A command line read one argument at a time, as the parsers of pmta-lint and of its report read it. */
export class ArgReader {
  private i = -1;
  constructor(private readonly argv: readonly string[]) {}

  /** The next argument, or undefined at the end. */
  next(): string | undefined {
    return this.argv[++this.i];
  }

  /** Whether the current argument is the option `name`, alone or as `name=VALUE`. */
  is(name: string): boolean {
    const a = this.argv[this.i];
    return a === name || a.startsWith(name + '=');
  }

  /** The value of the current option: what follows its `=`, else the next argument. */
  value(name: string): string {
    const a = this.argv[this.i];
    const eq = a.indexOf('=');
    if (eq > 0) return a.slice(eq + 1);
    const v = this.argv[++this.i];
    if (v === undefined) throw new UsageError(`${name} needs a value`);
    return v;
  }

  /** The arguments after the current one (after `--`: files, whatever their names). */
  rest(): string[] {
    const r = this.argv.slice(this.i + 1);
    this.i = this.argv.length;
    return r;
  }
}

/** The options of a command line (without `node` and the script); throws a {@link UsageError}. */
export function parseArgs(argv: readonly string[]): Options | 'help' | 'version' | 'list-rules' {
  const o: Options = { format: 'text', fix: false, includes: true, files: [] };
  const r = new ArgReader(argv);
  for (let a = r.next(); a !== undefined; a = r.next()) {
    if (a === '-h' || a === '--help') return 'help';
    if (a === '-v' || a === '--version') return 'version';
    if (a === '--list-rules') return 'list-rules';
    if (r.is('--format')) {
      const f = r.value('--format');
      if (f !== 'text' && f !== 'json' && f !== 'sarif' && f !== 'github')
        throw new UsageError(`unknown format "${f}" (use text, json, sarif or github)`);
      o.format = f;
    } else if (r.is('--settings')) o.settingsFile = r.value('--settings');
    else if (r.is('--max-file-size')) o.maxFileSizeKB = sizeKB(r.value('--max-file-size'));
    else if (r.is('--stdin-filename')) o.stdinFilename = r.value('--stdin-filename');
    else if (a === '--fix') o.fix = true;
    else if (a === '--no-includes') o.includes = false;
    else if (a === '--') o.files.push(...r.rest());
    else if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a}`);
    else o.files.push(a);
  }
  if (o.files.length === 0) throw new UsageError('no files given');
  const stdin = o.files.filter((f) => f === '-').length;
  if (stdin > 1) throw new UsageError('standard input (-) can be given once');
  if (stdin && o.fix)
    throw new UsageError('--fix cannot rewrite standard input (-): give the path of the file instead');
  if (o.stdinFilename !== undefined && !stdin)
    throw new UsageError('--stdin-filename names standard input, which is read only when - is given');
  return o;
}

/** A size in KB: a number of KB, or with a unit (k, kb, m, mb; case ignored). */
function sizeKB(v: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(k|kb|m|mb)?$/i.exec(v.trim());
  const kb = m ? Number(m[1]) * (m[2] && m[2][0].toLowerCase() === 'm' ? 1024 : 1) : NaN;
  if (!(kb > 0)) throw new UsageError(`--max-file-size: "${v}" is not a size: give KB (20480) or a unit (20m, 512k)`);
  return kb;
}
