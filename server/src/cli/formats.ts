/**
 * pmta-lint's output formats: the findings of the files checked, as text (`file:line:col: severity rule
 * message` and a summary line), JSON, SARIF 2.1.0 for code scanning, or GitHub Actions workflow commands.
 * Strings out: the CLI writes them.
 */
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding, Severity } from '../findings';
import { RULES } from '../rules';
import { VERSION } from '../version';

/** The findings of one file, under the name the output gives it. */
export interface FileResult {
  file: string;
  doc: TextDocument;
  findings: Finding[];
}

export type Format = 'text' | 'json' | 'sarif' | 'github';

/** How many findings of a severity the results hold. */
export function countOf(results: readonly FileResult[], severity: Severity): number {
  return results.reduce((n, r) => n + r.findings.filter((f) => f.severity === severity).length, 0);
}

/** The report in a format: what goes to standard output. */
export function report(format: Format, results: readonly FileResult[]): string {
  if (format === 'json') return JSON.stringify(toJson(results), null, 2) + '\n';
  if (format === 'sarif') return JSON.stringify(toSarif(results), null, 2) + '\n';
  let out = '';
  for (const r of results) {
    for (const f of r.findings) {
      if (format === 'github') out += githubAnnotation(r.file, r.doc, f);
      else {
        const p = r.doc.positionAt(f.span.start);
        out += `${r.file}:${p.line + 1}:${p.character + 1}: ${f.severity} ${f.rule} ${f.message}\n`;
      }
    }
  }
  return out + summary(results) + '\n';
}

/** "3 problems (1 error, 2 warnings, 0 info, 0 hints) in 2 files". */
function summary(results: readonly FileResult[]): string {
  const total = results.reduce((n, r) => n + r.findings.length, 0);
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  const count = (s: Severity) => countOf(results, s);
  return `${plural(total, 'problem')} (${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${count('information')} info, ${plural(count('hint'), 'hint')}) in ${plural(results.length, 'file')}`;
}

function toJson(results: readonly FileResult[]) {
  return results.map((r) => ({
    file: r.file,
    diagnostics: r.findings.map((f) => ({
      range: { start: r.doc.positionAt(f.span.start), end: r.doc.positionAt(f.span.end) },
      severity: f.severity,
      code: f.rule,
      message: f.message,
    })),
  }));
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

const SARIF_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

function toSarif(results: readonly FileResult[]) {
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
                    artifactLocation: { uri: artifactUri(r.file) },
                    region: {
                      startLine: s.line + 1,
                      startColumn: s.character + 1,
                      endLine: e.line + 1,
                      endColumn: e.character + 1,
                    },
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

/**
 * A file's name as a SARIF artifact URI, an RFC 3986 URI reference: an absolute path as a `file:` URI, a
 * relative one (as the file was named, relative to the current folder) as a relative reference; in both,
 * every character that may not stand as it is in a path segment is percent-encoded (UTF-8), `:` too, so
 * that a first segment is never read as a scheme.
 */
function artifactUri(file: string): string {
  if (!path.isAbsolute(file)) return file.split(path.sep).map(encodeSegment).join('/');
  const url = pathToFileURL(file);
  // the URL standard leaves characters RFC 3986 does not allow in a path ([, ], ^, |…): each segment again
  const segments = url.pathname
    .split('/')
    .map((s) => (/^[A-Za-z]:$/.test(s) ? s : encodeSegment(decodeURIComponent(s))));
  return `file://${url.host}${segments.join('/')}`;
}

/** A path segment percent-encoded: all but the unreserved characters and the sub-delimiters !'()*. */
function encodeSegment(segment: string): string {
  try {
    return encodeURIComponent(segment);
  } catch {
    // a lone surrogate (no file name read from the system has one): as the replacement character
    return encodeURIComponent(
      segment.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'),
    );
  }
}
