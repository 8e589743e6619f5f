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

/** A `disable` range: from a line (0-based, inclusive) to `until` (exclusive; absent: the end of the file). */
export interface DisabledRange {
  line: number;
  until?: number;
  /** rule ids, or '*' for every rule */
  rules: Set<string>;
  /** rule ids an `enable` took out of a '*' or multi-rule range from this range's first line on */
  except?: Set<string>;
}

export interface Annotations {
  /** rule ids (or '*') disabled on a given 0-based line */
  disabledLines: Map<number, Set<string>>;
  /** rule ids (or '*') disabled from a line on, until an `enable` or the end of the file */
  disabledFrom: DisabledRange[];
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
  const a: Annotations = { disabledLines: new Map(), disabledFrom: [], settings: new Map(), ruleNames: [], problems: [] };
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    if (!line.comment || !mayBeAnnotation(text, line.comment.start, line.comment.end)) continue;
    const c = text.slice(line.comment.start, line.comment.end);
    const m = /^#\s*pmta-lint\s*:\s*(.*)$/i.exec(c);
    if (!m) continue;
    const body = m[1].trim();
    const bodyStart = line.comment.start + c.indexOf(m[1]);
    const dm = /^(disable-next-line|disable-line|disable|enable)\b\s*(.*)$/i.exec(body);
    if (dm) {
      const verb = dm[1].toLowerCase();
      applyDisable(a, lines, index, verb, ruleSet(a, verb, dm[2], bodyStart + body.length - dm[2].length));
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
    a.problems.push({ span: { start: bodyStart, end: bodyStart + body.length }, message: `Unknown pmta-lint annotation "${body}": use disable-next-line RULE, disable RULE, enable RULE or KEY=VALUE` });
  }
  return a;
}

/** True when a rule is suppressed on a 0-based line by a `# pmta-lint: disable…` comment. */
export function isSuppressed(a: Annotations, rule: string, line: number): boolean {
  const l = a.disabledLines.get(line);
  if (l && (l.has(rule) || l.has('*'))) return true;
  return a.disabledFrom.some((d) => d.line <= line && (d.until === undefined || line < d.until) && covers(d, rule));
}

/** Whether a range suppresses a rule (on the lines it spans). */
function covers(d: DisabledRange, rule: string): boolean {
  return (d.rules.has(rule) || d.rules.has('*')) && !d.except?.has(rule);
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
    enable(a, line.line, rules);
  }
}

/**
 * `enable` on `line`: the ranges that suppress these rules there end on that line (the lines before it
 * stay suppressed); what else such a range suppresses goes on, as a range of its own from that line.
 */
function enable(a: Annotations, line: number, rules: Set<string>): void {
  const all = rules.has('*');
  const rest: DisabledRange[] = [];
  for (const d of a.disabledFrom) {
    if (d.line > line || (d.until !== undefined && d.until <= line)) continue;
    const ended = all ? [] : [...rules].filter((r) => covers(d, r));
    if (!all && ended.length === 0) continue;
    // the part that goes on: the same rules but those enabled (nothing when every rule is enabled)
    const others = !all && (d.rules.has('*') || [...d.rules].some((r) => !ended.includes(r) && !d.except?.has(r)));
    if (others) rest.push({ line, until: d.until, rules: d.rules, except: new Set([...(d.except ?? []), ...ended]) });
    d.until = line;
  }
  a.disabledFrom.push(...rest);
}

/** Report a `key=value` annotation whose key or value is not one we know, with the likely intent as a fix. */
function checkSetting(a: Annotations, key: string, keySpan: Span, value: { value: string; span: Span }): void {
  const allowed = SETTING_VALUES[key];
  if (!allowed) {
    const close = closestName(key, SETTING_KEYS);
    a.problems.push({
      span: keySpan,
      message: `Unknown pmta-lint setting "${key}"${close ? `; did you mean "${close}"?` : `: the setting a pmta-lint annotation can give is ${SETTING_KEYS.join(', ')}`}`,
      fixes: close ? [{ title: `Change to "${close}"`, changes: [{ span: keySpan, newText: close }], isPreferred: true }] : undefined,
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
    fixes: close ? [{ title: `Change to "${close}"`, changes: [{ span: value.span, newText: close }], isPreferred: true }] : undefined,
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
