/**
 * `# pmta-lint:` annotations: the comments that turn rules off for a line, the next line or the rest
 * of a file (`disable-line`, `disable-next-line`, `disable`, `enable`), that set a value for the file
 * (`microsoft-tier=…`), and those that are not understood (reported by the `annotation` rule).
 * Read once per document version from the comments the parser found, then asked per finding.
 */
import type { Line, Span } from '../parser/ast';
import { Char, isSpaceCode } from '../util/text';

export interface Annotations {
  /** rule ids (or '*') disabled on a given 0-based line */
  disabledLines: Map<number, Set<string>>;
  /** rule ids (or '*') disabled from a line to the end of the file */
  disabledFrom: Array<{ line: number; rules: Set<string> }>;
  /** `# pmta-lint: key=value` settings, e.g. microsoft-tier */
  settings: Map<string, { value: string; span: Span }>;
  /** Malformed annotations, for a diagnostic. */
  problems: Array<{ span: Span; message: string }>;
}

/** The annotations in the comments of a document's lines (`lines` in document order, as the parser gives them). */
export function readAnnotations(text: string, lines: readonly Line[]): Annotations {
  const a: Annotations = { disabledLines: new Map(), disabledFrom: [], settings: new Map(), problems: [] };
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    if (!line.comment || !mayBeAnnotation(text, line.comment.start, line.comment.end)) continue;
    const c = text.slice(line.comment.start, line.comment.end);
    const m = /^#\s*pmta-lint\s*:\s*(.*)$/i.exec(c);
    if (!m) continue;
    const body = m[1].trim();
    // the body ends the comment (the pattern is anchored at both ends); indexOf would find a body such
    // as "lint" inside "pmta-lint"
    const bodyStart = line.comment.start + c.length - m[1].length;
    const dm = /^(disable-next-line|disable-line|disable|enable)\b\s*(.*)$/i.exec(body);
    if (dm) {
      applyDisable(a, lines, index, dm[1].toLowerCase(), ruleSet(dm[2]));
      continue;
    }
    const km = /^([a-z][a-z0-9-]*)\s*=\s*(\S+)/i.exec(body);
    if (km) {
      const vs = bodyStart + body.indexOf(km[2], km[1].length);
      a.settings.set(km[1].toLowerCase(), { value: km[2], span: { start: vs, end: vs + km[2].length } });
      continue;
    }
    a.problems.push({ span: { start: bodyStart, end: bodyStart + body.length }, message: `Unknown pmta-lint annotation "${body}": use disable-next-line RULE, disable RULE, enable RULE or KEY=VALUE` });
  }
  return a;
}

/** True when a rule is suppressed on a 0-based line by a `# pmta-lint: disable…` comment. */
export function isSuppressed(a: Annotations, rule: string, line: number): boolean {
  const l = a.disabledLines.get(line);
  if (l && (l.has(rule) || l.has('*'))) return true;
  return a.disabledFrom.some((d) => d.line <= line && (d.rules.has(rule) || d.rules.has('*')));
}

/** The rule ids after a verb, separated by white space or commas; none means every rule ('*'). */
function ruleSet(list: string): Set<string> {
  const rules = new Set(
    list
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter(Boolean),
  );
  if (rules.size === 0) rules.add('*');
  return rules;
}

/** Record what a `disable…` or `enable` annotation on `lines[index]` asks for. */
function applyDisable(a: Annotations, lines: readonly Line[], index: number, verb: string, rules: Set<string>): void {
  const line = lines[index];
  if (verb === 'disable-next-line') {
    // the next line that is not a comment or blank (lines are in document order)
    let next: Line | undefined;
    for (let k = index + 1; k < lines.length && !next; k++) {
      const l = lines[k];
      if (l.line > line.line && l.kind !== 'comment' && l.kind !== 'blank') next = l;
    }
    const target = next ? next.line : line.line + 1;
    const set = a.disabledLines.get(target) ?? new Set();
    rules.forEach((r) => set.add(r));
    a.disabledLines.set(target, set);
    if (next && next.kind === 'directive' && next.physicalLines > 1) for (let k = 1; k < next.physicalLines; k++) a.disabledLines.set(target + k, set);
  } else if (verb === 'disable-line') {
    const set = a.disabledLines.get(line.line) ?? new Set();
    rules.forEach((r) => set.add(r));
    a.disabledLines.set(line.line, set);
  } else if (verb === 'disable') {
    a.disabledFrom.push({ line: line.line, rules });
  } else {
    // enable: end earlier disable ranges for these rules by recording them as not applying after this line
    for (const d of a.disabledFrom) for (const r of rules) if (d.rules.has(r)) d.rules.delete(r);
  }
}

/**
 * A cheap test before the annotation regex: the comment is `#`, optional white space, then
 * `pmta-lint` in any case (what `/^#\s*pmta-lint\s*:/i` needs to start with).
 */
function mayBeAnnotation(text: string, start: number, end: number): boolean {
  let i = start + 1;
  while (i < end && isSpaceCode(text.charCodeAt(i))) i++;
  if (end - i < 9) return false;
  for (let k = 0; k < 9; k++) {
    const c = text.charCodeAt(i + k);
    // ASCII letters compared without case; '-' as is
    if ((c >= Char.UpperA && c <= Char.UpperZ ? c + 32 : c) !== ANNOTATION_WORD.charCodeAt(k)) return false;
  }
  return true;
}
const ANNOTATION_WORD = 'pmta-lint';
