/**
 * `# pmta-lint:` annotations: the comments that turn rules off for a line, the next line or the rest
 * of a file (`disable-line`, `disable-next-line`, `disable`, `enable`), that set a value for the file
 * (`microsoft-tier=…`), and those that are not understood (reported by the `annotation` rule).
 * Read once per document version from the comments the parser found, then asked per finding.
 *
 * `enable RULE` ends a `disable` of that rule from its own line on: the lines between the two stay
 * suppressed. The rule ids named are kept with their spans, for the `annotation` rule to check them
 * against the registry (which this layer does not know).
 */
import type { Line, Span } from '../parser/ast';
import type { Fix } from '../findings';
import { closestName } from '../knowledge/catalog';
import { TIER_IDS } from '../knowledge/microsoft';
import {
  Char,
  forEachListWord,
  isDigitCode,
  isLetterCode,
  matchesAsciiLower,
  skipSpace,
  trimEndSpace,
} from '../util/text';

/** Lines where a rule is off: from `line` (0-based, inclusive) to `until` (exclusive; absent: the end of the file). */
interface DisabledRange {
  line: number;
  until?: number;
}

export interface Annotations {
  /** rule ids (or '*') disabled on a given 0-based line */
  disabledLines: Map<number, Set<string>>;
  /**
   * Per rule id (or '*' for every rule), the ranges a `disable` turns it off, in order and disjoint (a
   * `disable` of a rule already off opens none); an `enable` of the rule, or of every rule, ends them.
   */
  disabledRanges: Map<string, DisabledRange[]>;
  /** Per rule id, the ranges an `enable` of that rule takes out of a `disable` of every rule, in order. */
  enabledInAll: Map<string, DisabledRange[]>;
  /** `# pmta-lint: key=value` settings, e.g. microsoft-tier */
  settings: Map<string, { value: string; span: Span }>;
  /** Every rule id a `disable…` or `enable` annotation names (lower case), with its span. */
  ruleNames: Array<{ id: string; span: Span; verb: string }>;
  /** Malformed annotations, for a diagnostic (with fixes when the intent is clear). */
  problems: Array<{ span: Span; message: string; fixes?: Fix[] }>;
}

/** The `key=value` settings an annotation may give, and the values each takes ('auto': decide from the file). */
const SETTING_VALUES: Record<string, readonly string[]> = {
  'microsoft-tier': [...TIER_IDS, 'auto'],
};
const SETTING_KEYS = Object.keys(SETTING_VALUES);

/** The annotations in the comments of a document's lines (`lines` in document order, as the parser gives them). */
export function readAnnotations(text: string, lines: readonly Line[]): Annotations {
  const a: Annotations = {
    disabledLines: new Map(),
    disabledRanges: new Map(),
    enabledInAll: new Map(),
    settings: new Map(),
    ruleNames: [],
    problems: [],
  };
  const cursor: Cursor = { next: 0, open: new Map(), excepted: new Map() };
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    const comment = line.comment;
    if (!comment) continue;
    // the comment is `#`, `pmta-lint`, `:` (white space around each), then the body: read without
    // regular expressions, which made a match array or a string per annotation
    const bodyStart = annotationBody(text, comment.start, comment.end);
    if (bodyStart < 0) continue;
    const bodyEnd = trimEndSpace(text, bodyStart, comment.end);
    const verb = verbAt(text, bodyStart, bodyEnd);
    if (verb) {
      const listStart = skipSpace(text, bodyStart + verb.length, bodyEnd);
      applyDisable(a, lines, index, verb, ruleSet(a, verb, text, listStart, bodyEnd), cursor);
      continue;
    }
    const body = text.slice(bodyStart, bodyEnd);
    const km = /^([a-z][a-z0-9-]*)\s*=\s*(\S+)/i.exec(body);
    if (km) {
      const key = km[1].toLowerCase();
      const vs = bodyStart + body.indexOf(km[2], km[1].length);
      const value = { value: km[2], span: { start: vs, end: vs + km[2].length } };
      a.settings.set(key, value);
      checkSetting(a, key, { start: bodyStart, end: bodyStart + km[1].length }, value);
      continue;
    }
    a.problems.push({
      span: { start: bodyStart, end: bodyStart + body.length },
      message: `Unknown pmta-lint annotation "${body}": use disable-next-line RULE, disable RULE, enable RULE or KEY=VALUE`,
    });
  }
  return a;
}

/** Where the reading of a document's annotations stands, so that each is handled in constant time per rule it names. */
interface Cursor {
  /** Where the last `disable-next-line` search for a line stopped (the next one starts there or later). */
  next: number;
  /** The range of each rule id (or '*') that is off until an `enable`. */
  open: Map<string, DisabledRange>;
  /** The open ranges of {@link Annotations.enabledInAll}, by rule id. */
  excepted: Map<string, DisabledRange>;
}

/** Whether the annotations disable any rule anywhere. */
export function disablesAny(a: Annotations): boolean {
  return a.disabledLines.size > 0 || a.disabledRanges.size > 0;
}

/** True when a rule is suppressed on a 0-based line by a `# pmta-lint: disable…` comment. */
export function isSuppressed(a: Annotations, rule: string, line: number): boolean {
  const l = a.disabledLines.get(line);
  if (l && (l.has(rule) || l.has('*'))) return true;
  if (inRanges(a.disabledRanges.get(rule), line)) return true;
  return inRanges(a.disabledRanges.get('*'), line) && !inRanges(a.enabledInAll.get(rule), line);
}

/** Whether `line` is in one of `ranges` (in order and disjoint): a binary search for the last that starts at or before it. */
function inRanges(ranges: readonly DisabledRange[] | undefined, line: number): boolean {
  if (!ranges || ranges.length === 0 || ranges[0].line > line) return false;
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ranges[mid].line <= line) lo = mid;
    else hi = mid - 1;
  }
  const r = ranges[lo];
  return r.until === undefined || line < r.until;
}

/** Open a range for `rule` from `line` in `into` (the list of that rule), remembered in `open`. */
function openRange(
  into: Map<string, DisabledRange[]>,
  open: Map<string, DisabledRange>,
  rule: string,
  line: number,
): void {
  const range: DisabledRange = { line };
  const list = into.get(rule);
  if (list) list.push(range);
  else into.set(rule, [range]);
  open.set(rule, range);
}

/** End every range of `open` on `line`. */
function closeAll(open: Map<string, DisabledRange>, line: number): void {
  for (const r of open.values()) r.until = line;
  open.clear();
}

/**
 * The rule ids of `text` from `from` to `to` (lower case), separated by white space or commas; none
 * means every rule ('*'). Each id is recorded with its span.
 */
function ruleSet(a: Annotations, verb: string, text: string, from: number, to: number): Set<string> {
  const rules = new Set<string>();
  forEachListWord(text, from, to, (start, end) => {
    const id = text.slice(start, end).toLowerCase();
    rules.add(id);
    a.ruleNames.push({ id, span: { start, end }, verb });
  });
  if (rules.size === 0) rules.add('*');
  return rules;
}

/** Record what a `disable…` or `enable` annotation on `lines[index]` asks for. */
function applyDisable(
  a: Annotations,
  lines: readonly Line[],
  index: number,
  verb: string,
  rules: Set<string>,
  cursor: Cursor,
): void {
  const line = lines[index];
  if (verb === 'disable-next-line') {
    // the next line that is not a comment or blank, on a later physical line (lines are in document
    // order): the search goes on from where the one before stopped, which it passed only such lines to reach
    let k = Math.max(cursor.next, index + 1);
    while (k < lines.length && (lines[k].line <= line.line || lines[k].kind === 'comment' || lines[k].kind === 'blank'))
      k++;
    cursor.next = k;
    const next: Line | undefined = lines[k];
    const target = next ? next.line : line.line + 1;
    const set = addRules(a.disabledLines, target, rules);
    if (next && next.kind === 'directive' && next.physicalLines > 1)
      for (let k = 1; k < next.physicalLines; k++) a.disabledLines.set(target + k, set);
  } else if (verb === 'disable-line') {
    addRules(a.disabledLines, line.line, rules);
  } else if (verb === 'disable') {
    disable(a, cursor, line.line, rules);
  } else {
    enable(a, cursor, line.line, rules);
  }
}

/**
 * Turn `rules` off on `line` in `into`, and return the set of that line: `rules` itself when the line
 * had none (each annotation's set is its own, made by {@link ruleSet}).
 */
function addRules(into: Map<number, Set<string>>, line: number, rules: Set<string>): Set<string> {
  const set = into.get(line);
  if (!set) {
    into.set(line, rules);
    return rules;
  }
  for (const r of rules) set.add(r);
  return set;
}

/** `disable` on `line`: each rule named (or every rule) is off from there, unless it already is. */
function disable(a: Annotations, cursor: Cursor, line: number, rules: Set<string>): void {
  for (const r of rules) if (!cursor.open.has(r)) openRange(a.disabledRanges, cursor.open, r, line);
  // a disable of every rule takes back what an enable took out of the one before
  if (rules.has('*')) closeAll(cursor.excepted, line);
}

/**
 * `enable` on `line`: the rules named (or every rule) are on again from there; the lines before stay
 * suppressed. Under a `disable` of every rule, an enabled rule is taken out of it from that line.
 */
function enable(a: Annotations, cursor: Cursor, line: number, rules: Set<string>): void {
  if (rules.has('*')) {
    closeAll(cursor.open, line);
    closeAll(cursor.excepted, line);
    return;
  }
  for (const r of rules) {
    const open = cursor.open.get(r);
    if (open) {
      open.until = line;
      cursor.open.delete(r);
    }
    if (cursor.open.has('*') && !cursor.excepted.has(r)) openRange(a.enabledInAll, cursor.excepted, r, line);
  }
}

/** Report a `key=value` annotation whose key or value is not one we know, with the likely intent as a fix. */
function checkSetting(a: Annotations, key: string, keySpan: Span, value: { value: string; span: Span }): void {
  const allowed = SETTING_VALUES[key];
  if (!allowed) {
    const close = closestName(key, SETTING_KEYS);
    a.problems.push({
      span: keySpan,
      message: `Unknown pmta-lint setting "${key}"${close ? `; did you mean "${close}"?` : `: the setting a pmta-lint annotation can give is ${SETTING_KEYS.join(', ')}`}`,
      fixes: close
        ? [{ title: `Change to "${close}"`, changes: [{ span: keySpan, newText: close }], isPreferred: true }]
        : undefined,
    });
    return;
  }
  const v = value.value.toLowerCase();
  if (allowed.includes(v)) return;
  const close = closestName(v, allowed);
  const what = key === 'microsoft-tier' ? 'a Microsoft volume tier' : `a value of ${key}`;
  const then = key === 'microsoft-tier' ? ' Until then the tier comes from the settings or the pool size.' : '';
  a.problems.push({
    span: value.span,
    message: `"${value.value}" is not ${what}${close ? ` (did you mean "${close}"?)` : ''}: write ${allowed.slice(0, -1).join(', ')} or ${allowed[allowed.length - 1]}.${then}`,
    fixes: close
      ? [{ title: `Change to "${close}"`, changes: [{ span: value.span, newText: close }], isPreferred: true }]
      : undefined,
  });
}

/**
 * Where the body of an annotation starts: the comment from `start` to `end` is `#`, `pmta-lint` in any
 * case, `:`, with optional white space (`\s`) around each, and the rest holds no line terminator (what
 * `/^#\s*pmta-lint\s*:\s*(.*)$/i` matches). -1 when it is not an annotation.
 */
function annotationBody(text: string, start: number, end: number): number {
  let i = skipSpace(text, start + 1, end);
  if (!matchesAsciiLower(text, i, end, ANNOTATION_WORD)) return -1;
  i = skipSpace(text, i + ANNOTATION_WORD.length, end);
  if (i >= end || text.charCodeAt(i) !== Char.Colon) return -1;
  i = skipSpace(text, i + 1, end);
  for (let k = i; k < end; k++) {
    const c = text.charCodeAt(k);
    if (c === Char.LineFeed || c === Char.CarriageReturn || c === 0x2028 || c === 0x2029) return -1;
  }
  return i;
}

/** The verbs, longest first where one starts another (what the alternation of the regex tried in turn). */
const VERBS = ['disable-next-line', 'disable-line', 'disable', 'enable'] as const;

/**
 * The verb (lower case) that starts the body from `from` to `to`, in any case and followed by the end
 * or a character that is not a word character (`\b`), or undefined.
 */
function verbAt(text: string, from: number, to: number): string | undefined {
  for (const verb of VERBS) {
    const end = from + verb.length;
    if (matchesAsciiLower(text, from, to, verb) && (end === to || !isWordChar(text.charCodeAt(end)))) return verb;
  }
  return undefined;
}

/** `\w`: `[A-Za-z0-9_]`. */
function isWordChar(c: number): boolean {
  return isLetterCode(c) || isDigitCode(c) || c === Char.Underscore;
}

const ANNOTATION_WORD = 'pmta-lint';
