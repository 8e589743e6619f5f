/**
 * The rule runner: every enabled rule on one model, severities from the settings, suppressions
 * (`# pmta-lint: disable`) applied, messages cut to a sane length, a rule that throws turned into one
 * `internal-error` finding. A generator that yields after each rule, so that the server can give way
 * between them (server/scheduler.ts).
 */
import type { Finding, Fix, Severity } from '../findings';
import type { Model } from '../model';
import type { Settings } from '../settings';
import { RULES } from './index';
import type { ReportInput, Rule } from './types';

/** The ids of the rules, for the rules that check the ids an annotation names. */
const RULE_IDS: readonly string[] = RULES.map((r) => r.id);

/** Messages quote what the user wrote; past this length they are cut (a value can be a megabyte long). */
const MAX_MESSAGE = 8000;

/**
 * Every enabled rule on `model`, yielding after each; the findings sorted by place. `siblings` are the
 * models of files checked with it, `root` the configuration it is part of (see RuleContext).
 */
export function* runRules(
  model: Model,
  settings: Settings,
  siblings: Model[],
  root: Model | undefined,
): Generator<void, Finding[], void> {
  const findings: Finding[] = [];
  for (const rule of RULES) {
    const level = settings.rules?.[rule.id];
    if (level === 'off') continue;
    const suppressed = (offset: number) => model.isSuppressedAt(rule.id, offset);
    const report = (input: ReportInput) => {
      if (suppressed(input.span.start)) return;
      findings.push({
        rule: rule.id,
        severity: (level as Severity | undefined) ?? input.severity ?? rule.defaultSeverity,
        span: input.span,
        message: input.message.length > MAX_MESSAGE ? input.message.slice(0, MAX_MESSAGE - 1) + '…' : input.message,
        fixes: fixesOf(input),
        related: input.related,
        tags: input.tags,
      });
    };
    try {
      rule.check({ model, settings, siblings, root, ruleIds: RULE_IDS, report, suppressed });
    } catch (e) {
      findings.push({
        rule: 'internal-error',
        severity: 'warning',
        span: { start: 0, end: 0 },
        message: `The check "${rule.id}" failed on this file (${(e as Error)?.message ?? e}); other checks still ran. Please report this.`,
        fixes: [],
      });
    }
    yield;
  }
  findings.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  return findings;
}

/**
 * A finding's fixes in an array of their own size: a rule's array, made empty and grown by `push`, holds
 * room for 16 (a file of 500,000 findings kept 70 MB of empty room until it was shown).
 */
function fixesOf(input: ReportInput): Fix[] {
  const f = input.fixes;
  return f === undefined || f.length === 0 ? [] : f.slice();
}

/**
 * The findings of the rules that judge a text before it is parsed ({@link Rule.checkText}), for a file
 * that is not parsed: severities from the settings (no suppression: the annotations are not read).
 */
export function runTextRules(text: string, settings: Settings): Finding[] {
  const findings: Finding[] = [];
  for (const rule of RULES) {
    if (!rule.checkText) continue;
    rule.checkText({ text, settings, report: (input) => void pushFinding(findings, rule, input, settings) });
  }
  return findings;
}

/**
 * The finding a rule reports with `input`, its severity from the settings (none when the rule is off),
 * for a finding made outside a rule's check (pmta-lint's for a file it did not read: too large).
 */
export function findingOf(rule: Rule, input: ReportInput, settings: Settings): Finding | undefined {
  const out: Finding[] = [];
  pushFinding(out, rule, input, settings);
  return out[0];
}

function pushFinding(findings: Finding[], rule: Rule, input: ReportInput, settings: Settings): void {
  const level = settings.rules?.[rule.id];
  if (level === 'off') return;
  findings.push({
    rule: rule.id,
    severity: (level as Severity | undefined) ?? input.severity ?? rule.defaultSeverity,
    span: input.span,
    message: input.message,
    fixes: input.fixes ?? [],
    related: input.related,
    tags: input.tags,
  });
}

/** Run steps made for slicing to their result at once (the CLI, the tests, requests that need findings now). */
export function runToEnd<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}
