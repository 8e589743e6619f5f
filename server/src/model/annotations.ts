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
import { Char, isSpaceCode } from '../util/text';

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
      const verb = dm[1].toLowerCase();
      applyDisable(a, lines, index, verb, ruleSet(a, verb, dm[2], bodyStart + body.length - dm[2].length), cursor);
      continue;
    }
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
 * The rule ids after a verb (lower case), separated by white space or commas; none means every rule
 * ('*'). Each id is recorded with its span, `listStart` being the offset of the list in the text.
 */
function ruleSet(a: Annotations, verb: string, list: string, listStart: number): Set<string> {
  const rules = new Set<string>();
  for (const w of list.matchAll(/[^\s,]+/g)) {
    const id = w[0].toLowerCase();
    rules.add(id);
    const start = listStart + w.index!;
    a.ruleNames.push({ id, span: { start, end: start + w[0].length }, verb });
  }
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
    const set = a.disabledLines.get(target) ?? new Set();
    rules.forEach((r) => set.add(r));
    a.disabledLines.set(target, set);
    if (next && next.kind === 'directive' && next.physicalLines > 1)
      for (let k = 1; k < next.physicalLines; k++) a.disabledLines.set(target + k, set);
  } else if (verb === 'disable-line') {
    const set = a.disabledLines.get(line.line) ?? new Set();
    rules.forEach((r) => set.add(r));
    a.disabledLines.set(line.line, set);
  } else if (verb === 'disable') {
    disable(a, cursor, line.line, rules);
  } else {
    enable(a, cursor, line.line, rules);
  }
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
