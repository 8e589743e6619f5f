/**
 * Findings as LSP diagnostics: the severity as a number, the rule id as the code, spans as ranges of
 * the document (or of the included file a related place is in). Pure: no model, no cache.
 */
import type { Diagnostic, Position, Range } from 'vscode-languageserver-types';
import type { Finding, Severity } from './findings';

/** The `source` of every diagnostic the service makes. */
export const DIAGNOSTIC_SOURCE = 'pmta';

const SEVERITY_NUM: Record<Severity, 1 | 2 | 3 | 4> = { error: 1, warning: 2, information: 3, hint: 4 };

const NOWHERE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** What places a span in a text: a TextDocument, or a model of its text (which finds positions faster, util/positions.ts). */
export interface Positions {
  readonly uri: string;
  positionAt(offset: number): Position;
}

export function rangeOf(doc: Positions, span: { start: number; end: number }): Range {
  return { start: doc.positionAt(span.start), end: doc.positionAt(span.end) };
}

/**
 * The diagnostic of a finding in `doc`. A related place in another file (`uri`) gets its range from
 * that file's text, which `docOf` gives (the start of that file when it has none).
 */
export function toDiagnostic(
  doc: Positions,
  f: Finding,
  docOf: (uri: string) => Positions | undefined = () => undefined,
): Diagnostic {
  const d: Diagnostic = {
    range: rangeOf(doc, f.span),
    severity: SEVERITY_NUM[f.severity],
    code: f.rule,
    source: DIAGNOSTIC_SOURCE,
    message: f.message,
  };
  if (f.related?.length) {
    d.relatedInformation = f.related.map((r) => ({
      location: { uri: r.uri ?? doc.uri, range: relatedRange(doc, r.uri, r.span, docOf) },
      message: r.message,
    }));
  }
  if (f.tags?.length) d.tags = f.tags;
  return d;
}

function relatedRange(
  doc: Positions,
  uri: string | undefined,
  span: { start: number; end: number },
  docOf: (uri: string) => Positions | undefined,
): Range {
  if (!uri || uri === doc.uri) return rangeOf(doc, span);
  const other = docOf(uri);
  return other ? rangeOf(other, span) : NOWHERE;
}
