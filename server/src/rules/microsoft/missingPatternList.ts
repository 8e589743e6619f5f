/**
 * `microsoft-missing-pattern-list` (warning): the Microsoft queue has no smtp pattern list, neither in its
 * own block nor inherited from `<domain *>` (settings merge from general to specific, UG 3.3.10), so
 * Microsoft's throttling and blocking replies get no special handling. The fix adds the recommended list
 * `microsoft-errors` (real PowerMTA syntax: `reply /regex/ actions`), the backoff directives its actions rely
 * on (PowerMTA has no per-rule retry or connection count), and attaches the list to the queue's block.
 * The queue is judged per virtual MTA (its own blocks first; a queue sent to a relay gets no Microsoft
 * replies). The fix slows the queue down while Microsoft throttles it, so it is applied without review only
 * once the volume tier is declared (rules/microsoft/policy.ts).
 */
import {
  MICROSOFT_PATTERN_ENTRIES,
  MICROSOFT_PATTERN_LIST_NAME,
  missingPatternEntries,
  renderPatternEntry,
} from '../../knowledge/microsoft';
import type { Rule } from '../types';
import type { Fix } from '../../findings';
import { indentUnit } from '../util';
import {
  blockLabel,
  coversOthers,
  microsoftAnalysis,
  topLevel,
  type DomainBlock,
  type MemberQueue,
} from '../../microsoft/analysis';
import { Edits, bodyIndent, editable, lastAnchorOf } from './edits';
import { listNames } from '../../microsoft/connections';
import { chooseTier } from '../../microsoft/tiers';
import { firstLocalAnchor, heldUntilDeclared } from './policy';
import { replyRules, ruleRegex } from '../../microsoft/patternLists';
import {
  addingBackoff,
  missingBackoffLines,
  needsPatternListDefinition,
  patternListLines,
} from '../../microsoft/recommend';

export const missingPatternListRule: Rule = {
  id: 'microsoft-missing-pattern-list',
  defaultSeverity: 'warning',
  description:
    "A Microsoft queue without an smtp-pattern-list for Microsoft's throttling and blocking replies (RP-001, RP-002, 5.7.606, ...).",
  check(ctx) {
    const { model } = ctx;
    const a = microsoftAnalysis(ctx.root ?? model);
    if (!a.active) return;
    let unit: string | undefined;
    for (const d of a.deliveries) {
      if (d.primary.model !== model) continue;
      const judged = d.members.filter((m) => !a.relayOf(m));
      const lacking = judged.filter((m) => !a.values(m, 'smtp-pattern-list').length);
      if (!lacking.length) continue;
      const who =
        lacking.length < judged.length && lacking[0].vmta
          ? ` of virtual MTA ${listNames(lacking.map((m) => m.vmta ?? ''))}`
          : '';
      const message =
        `The ${a.queue} queue${who} has no smtp-pattern-list (none in its block or in <domain *>), so Microsoft's throttling and blocking replies ` +
        `(RP-001, RP-002, 4.7.650, 5.7.606 ...) are treated as ordinary failures and the queue keeps sending at full speed. ` +
        `Common advice is to back off instead: 4h after RP-001, 2h with fewer connections after RP-002.`;
      const fixes: Fix[] = [];
      const e = new Edits(model);
      // the list goes into the last block naming the queue in each chain (nothing in it attaches a list)
      const targets = new Map<DomainBlock, MemberQueue>();
      let ok = true;
      for (const m of lacking) {
        const t = lastAnchorOf(a, m);
        if (!t || t.model !== model || !editable(t.block)) ok = false;
        else if (!targets.has(t)) targets.set(t, m);
      }
      if (ok && targets.size) {
        if (needsPatternListDefinition(model)) {
          // before the same block for every finding, so that two of them do not define the list twice
          e.insertBlocksBefore(topLevel(firstLocalAnchor(model, a) ?? d.primary.block), [
            patternListLines((unit ??= indentUnit(model))),
          ]);
        } else {
          // a list of that name exists but is not attached: complete it when it lacks rules
          const def = model.lookup('smtp-pattern-list', MICROSOFT_PATTERN_LIST_NAME).find((x) => x.block);
          if (def?.block && def.uri === model.uri && editable(def.block)) {
            const regexes = replyRules(def.block)
              .map(ruleRegex)
              .filter((x): x is string => x !== undefined);
            const missing = missingPatternEntries(regexes);
            if (missing.length) {
              const ind = bodyIndent(model, def.block);
              e.insert(def.block.close!.start, missing.map((x) => renderPatternEntry(x, ind, e.eol) + e.eol).join(''));
            }
          }
        }
        const backoff: string[] = [];
        for (const [t, m] of targets) {
          const lines = missingBackoffLines(a, m);
          backoff.push(...lines);
          e.appendLines(t.block, [`smtp-pattern-list ${MICROSOFT_PATTERN_LIST_NAME}`, ...lines]);
        }
        const where = targets.size === 1 ? blockLabel([...targets.keys()][0].block) : `${targets.size} blocks`;
        const fix: Fix = {
          title: `Add the ${MICROSOFT_PATTERN_LIST_NAME} pattern list (${MICROSOFT_PATTERN_ENTRIES.length} rules), attach it to ${where}${addingBackoff(backoff)}`,
          changes: e.changes,
          isPreferred: true,
          safe: ![...targets.keys()].some(coversOthers),
        };
        // the list slows the queue down when Microsoft throttles: applied without review once the tier is declared
        fixes.push(heldUntilDeclared(fix, chooseTier(a, d, ctx.settings)));
      }
      ctx.report({ span: d.primary.block.argSpan, message, fixes });
    }
  },
};
