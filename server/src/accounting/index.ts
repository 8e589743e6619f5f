/**
 * The Microsoft delivery report from PowerMTA accounting files: a pure, streaming engine (no Node APIs;
 * it runs in the browser too). Open a file, push its bytes or text in chunks of any size, end it; do the
 * same for the next files; then ask for the report:
 *
 *   const builder = new ReportBuilder({ since });
 *   const f = builder.file('acct-2026-01-15.csv');
 *   for (const chunk of chunks) f.push(chunk);
 *   f.end();
 *   const report = builder.report();   // the JSON contract, see types.ts
 *
 * Memory stays flat whatever the size of the files: nothing is kept per record, only counters, and the
 * caches and tables are capped. Renderers for text, Markdown and HTML are in render*.ts.
 */
import { Aggregator } from './aggregate';
import { ByteStrings } from './bytes';
import { AccountingFile, type Shared } from './reader';
import { replyMatcher, ReplyCodes } from './replies';
import type { Report, ReportOptions, UnmatchedReplies } from './types';

import { renderHtml } from './renderHtml';
import { renderMarkdown } from './renderMarkdown';
import { renderText } from './renderText';

export { AccountingFile } from './reader';
export { renderHtml, renderMarkdown, renderText };
export type * from './types';

/** Distinct source IPs and virtual MTA names whose strings are kept for reuse. */
const MAX_INTERNED = 20000;

export class ReportBuilder {
  private readonly shared: Shared;
  private readonly files: AccountingFile[] = [];

  constructor(options: ReportOptions = {}) {
    this.shared = {
      agg: new Aggregator(),
      replies: new ReplyCodes(options.replyRules ? replyMatcher(options.replyRules) : undefined),
      ips: new ByteStrings(MAX_INTERNED),
      vmtas: new ByteStrings(MAX_INTERNED),
      options,
    };
  }

  /** A new file of the report, named as the report will show it. */
  file(name: string): AccountingFile {
    const f = new AccountingFile(name, this.shared);
    this.files.push(f);
    return f;
  }

  /**
   * The Microsoft replies from the remote servers that no rule of the options' `replyRules` matched,
   * per code, most first (empty without rules). Deferrals PowerMTA logs itself (no dsnDiag) are not
   * replies, and do not count.
   */
  unmatched(): UnmatchedReplies[] {
    return this.shared.options.replyRules ? this.shared.agg.unmatched() : [];
  }

  /** The report on every file so far (each should have been ended or failed). */
  report(): Report {
    return this.shared.agg.report(
      this.files.map((f) => f.summary()),
      this.files.flatMap((f) => f.warnings()),
    );
  }
}

export const REPORT_FORMATS = ['text', 'json', 'markdown', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The report in one of the output formats; json is the stable contract, pretty-printed. */
export function renderReport(report: Report, format: ReportFormat): string {
  switch (format) {
    case 'json':
      return JSON.stringify(report, null, 2) + '\n';
    case 'markdown':
      return renderMarkdown(report);
    case 'html':
      return renderHtml(report);
    default:
      return renderText(report);
  }
}

/** The report on whole texts (small inputs, tests): name → content. */
export function reportOnTexts(files: Record<string, string | Uint8Array>, options: ReportOptions = {}): Report {
  const b = new ReportBuilder(options);
  for (const [name, content] of Object.entries(files)) {
    const f = b.file(name);
    f.push(content);
    f.end();
  }
  return b.report();
}
