/**
 * `microsoft-missing-pattern-list` (warning): the Microsoft queue has no smtp pattern list, neither in its
 * own block nor inherited from `<domain *>` (settings merge from general to specific, UG 3.3.10), so
 * Microsoft's throttling and blocking replies get no special handling. The fix adds the recommended list
 * `microsoft-errors` (real PowerMTA syntax: `reply /regex/ actions`), the backoff directives its actions rely
 * on (PowerMTA has no per-rule retry or connection count), and attaches the list to the queue's block.
 */
import { MICROSOFT_PATTERN_ENTRIES, MICROSOFT_PATTERN_LIST_NAME, missingPatternEntries, renderPatternEntry } from '../../knowledge/microsoft';
import type { Rule } from '../types';
import type { Fix } from '../../findings';
import { indentUnit } from '../util';
import { blockLabel, coversOthers, microsoftAnalysis, topLevel } from '../../microsoft/analysis';
import { Edits, bodyIndent, editable } from './edits';
import { replyRules, ruleRegex } from '../../microsoft/patternLists';
import { missingBackoffLines, needsPatternListDefinition, patternListLines } from '../../microsoft/recommend';

export const missingPatternListRule: Rule = {
  id: 'microsoft-missing-pattern-list',
  defaultSeverity: 'warning',
  description: 'A Microsoft queue without an smtp-pattern-list for Microsoft\'s throttling and blocking replies (RP-001, RP-002, 5.7.606, ...).',
  check(ctx) {
    const { model } = ctx;
    const a = microsoftAnalysis(ctx.root ?? model);
    if (!a.active) return;
    for (const anchor of a.anchors) {
      if (anchor.model !== model) continue;
      const ch = a.queueChain(anchor);
      if (a.effectiveAll(ch, 'smtp-pattern-list').length) continue;
      const message =
        `The ${a.queue} queue has no smtp-pattern-list (none in its block or in <domain *>), so Microsoft's throttling and blocking replies ` +
        `(RP-001, RP-002, 4.7.650, 5.7.606 ...) are treated as ordinary failures and the queue keeps sending at full speed. ` +
        `Common advice is to back off instead: 4h after RP-001, 2h with fewer connections after RP-002.`;
      const fixes: Fix[] = [];
      if (editable(anchor.block)) {
        const e = new Edits(model);
        const unit = indentUnit(model);
        if (needsPatternListDefinition(model)) {
          e.insertBlocksBefore(topLevel(anchor.block), [patternListLines(unit)]);
        } else {
          // a list of that name exists but is not attached: complete it when it lacks rules
          const def = model.lookup('smtp-pattern-list', MICROSOFT_PATTERN_LIST_NAME).find((d) => d.block);
          if (def?.block && def.uri === model.uri && editable(def.block)) {
            const regexes = replyRules(def.block).map(ruleRegex).filter((x): x is string => x !== undefined);
            const missing = missingPatternEntries(regexes);
            if (missing.length) {
              const ind = bodyIndent(model, def.block);
              e.insert(def.block.close!.start, missing.map((m) => renderPatternEntry(m, ind, e.eol) + e.eol).join(''));
            }
          }
        }
        e.appendLines(anchor.block, [`smtp-pattern-list ${MICROSOFT_PATTERN_LIST_NAME}`, ...missingBackoffLines(a, ch)]);
        fixes.push({
          title: `Add the ${MICROSOFT_PATTERN_LIST_NAME} pattern list (${MICROSOFT_PATTERN_ENTRIES.length} rules) and attach it to ${blockLabel(anchor.block)}`,
          changes: e.changes,
          isPreferred: true,
          safe: !coversOthers(anchor),
        });
      }
      ctx.report({ span: anchor.block.argSpan, message, fixes });
    }
  },
};
