/**
 * The language service's requests of the Microsoft delivery report (`PmtaLanguageService.report`): what
 * the report needs of the configuration, the edit that adds pattern rules to it, the configuration's part
 * of a report, code explanations, and hover in accounting files. Pure, like the service.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Hover, Position } from 'vscode-languageserver-types';
import type { CodeExplanation, PatternRulesEdit, ReportConfigFacts, RequestContext } from './types';
import type { Report, ReportConfig, UnmatchedReplies } from './accounting/types';
import { accountingHover } from './features/accountingHover';
import { patternRulesEdit, reportConfigFacts, reportConfigSection } from './features/deliveryReport';
import { codeExplanation } from './features/replies';
import { codeById } from './knowledge/microsoft';
import { safe, type ServiceModels } from './serviceModels';

export class DeliveryReportService {
  constructor(private readonly m: ServiceModels) {}

  /**
   * What the Microsoft delivery report needs of the configuration a document is part of (`root`, else
   * the document with the files it includes): its Microsoft queue, the rules of the pattern lists
   * attached to it, the source IPs of its virtual MTAs. Null for a document that gets no analysis.
   */
  reportConfig(doc: TextDocument, context: RequestContext = {}): ReportConfigFacts | null {
    const settings = context.settings ?? {};
    if (this.m.guard(doc, settings)) return null;
    const model = this.m.model(doc, settings);
    return safe(() => reportConfigFacts(this.m.configOf(doc, model, settings, context.root)), null);
  }

  /**
   * The edit that adds the recommended rules of `codeIds` (the `codeId`s of the recommended pattern
   * entries) to the pattern list of the Microsoft queue of the configuration a document is part of;
   * the reason when there is no list to add them to, or nothing to add.
   */
  patternRulesEdit(
    doc: TextDocument,
    codeIds: readonly string[],
    context: RequestContext = {},
  ): PatternRulesEdit | { error: string } {
    const settings = context.settings ?? {};
    if (this.m.guard(doc, settings)) return { error: 'the configuration is not analysed (too large or not text)' };
    const model = this.m.model(doc, settings);
    return safe(() => patternRulesEdit(this.m.configOf(doc, model, settings, context.root), codeIds), {
      error: 'the rules could not be added',
    });
  }

  /**
   * The configuration's part of a delivery report: `report`'s source IPs as `facts` map them, and the
   * replies no rule matched (`unmatched`, from the report's engine given the facts' rules) with the
   * recommended rules that handle them. `file` names the configuration.
   */
  reportConfigSection(
    file: string,
    report: Report,
    unmatched: readonly UnmatchedReplies[],
    facts: ReportConfigFacts,
  ): ReportConfig {
    return reportConfigSection(file, report, unmatched, facts);
  }

  /** The explanations of the codes the knowledge base explains among `codes` (the delivery report's), by code. */
  codeExplanations(codes: readonly string[]): Record<string, CodeExplanation> {
    const out: Record<string, CodeExplanation> = {};
    for (const code of codes) {
      const entry = safe(() => codeById(code), undefined);
      if (entry) out[code] = codeExplanation(entry);
    }
    return out;
  }

  /** Hover on a Microsoft reply code in a line of an accounting file (no model: such files are not configurations). */
  accountingHover(doc: TextDocument, position: Position): Hover | null {
    return safe(() => accountingHover(doc, position), null);
  }
}
