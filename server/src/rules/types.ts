/**
 * The rule interface. One rule = one module: an id (the LSP diagnostic `code` and the CLI's
 * rule name, stable), a default severity, a check, and the fixes its findings carry (findings.ts).
 */
import type { Span } from '../parser/ast';
import type { Fix, Related, Severity } from '../findings';
import type { Model } from '../model';
import type { Settings } from '../settings';

export interface ReportInput {
  span: Span;
  message: string;
  fixes?: Fix[];
  related?: Related[];
  tags?: Array<1 | 2>;
  /** Override the rule's default severity for this finding (settings still win). */
  severity?: Severity;
}

export interface RuleContext {
  model: Model;
  settings: Settings;
  /** Models of other files linted together (e.g. the CLI's other arguments), for name lookup. */
  siblings: Model[];
  /**
   * The configuration this file is part of (a file that includes it), with this very model among its
   * included files. Names defined anywhere in it count, and whole-configuration analyses (the Microsoft
   * queues) are made on it; rules still report only what lies in {@link model}.
   */
  root?: Model;
  /** The id of every rule of the registry (for annotations that name rules: rules/annotation.ts). */
  ruleIds: readonly string[];
  report(input: ReportInput): void;
  /**
   * Whether a finding of this rule that starts at `offset` would be dropped by a `# pmta-lint: disable…`
   * annotation: a rule whose message or fixes cost something to make asks before making them.
   */
  suppressed(offset: number): boolean;
}

/** What a rule gets that judges a file's text before it is parsed ({@link Rule.checkText}). */
interface TextRuleContext {
  text: string;
  settings: Settings;
  report(input: ReportInput): void;
}

export interface Rule {
  id: string;
  defaultSeverity: Severity;
  /** One line, shown in docs and `pmta-lint --list-rules`. */
  description: string;
  check(ctx: RuleContext): void;
  /**
   * Judge the text before it is parsed, for a rule about whether a file is analysed at all
   * (file-too-large): a file the service does not parse gets this stage only (rules/run.ts runTextRules).
   */
  checkText?(ctx: TextRuleContext): void;
}
