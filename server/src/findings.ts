/**
 * What a check finds, as the rules report it and the features, the service and the CLI read it: a
 * finding with its span, message and fixes. Types only, so that features need not import the rules.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Span } from './parser/ast';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface TextChange {
  span: Span;
  newText: string;
}

export interface Fix {
  title: string;
  changes: TextChange[];
  /** Shown first / applied by "auto fix". */
  isPreferred?: boolean;
  /** Safe to apply without review: `pmta-lint --fix` applies these. */
  safe?: boolean;
}

export interface Related {
  span: Span;
  message: string;
  /** Another document (an included file); default: the same document. */
  uri?: string;
}

export interface Finding {
  rule: string;
  severity: Severity;
  span: Span;
  message: string;
  fixes: Fix[];
  related?: Related[];
  /** LSP diagnostic tags: 1 = unnecessary, 2 = deprecated. */
  tags?: Array<1 | 2>;
}

/** The findings of one included file, checked as part of the configuration that includes it. */
export interface IncludedFindings {
  uri: string;
  /** The file's text as the configuration's analysis read it (the positions of the findings are in it). */
  doc: TextDocument;
  findings: Finding[];
}
