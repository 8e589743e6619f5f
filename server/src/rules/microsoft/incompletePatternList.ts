/**
 * `microsoft-incomplete-pattern-list` (information): the pattern lists attached to the Microsoft queue do not
 * handle every Microsoft reply the recommended list handles. Coverage is judged the way PowerMTA matches:
 * each list's `reply` regexes (case-insensitive) against a real sample of Microsoft's reply, so a rule written
 * for text Microsoft does not send (the guide's "421 4.7.0 RP-001") does not count. The fix adds the missing
 * rules at the end of the list (earlier rules keep precedence: the first match wins) and the backoff
 * directives they rely on when the queue has none; they slow the queue down while Microsoft throttles it, so
 * the fix is applied without review only once the volume tier is declared. The queue is judged per virtual
 * MTA (the one whose lists miss the most is reported; a queue sent to a relay is not judged).
 */
import {
  codeById,
  MICROSOFT_PATTERN_ENTRIES,
  missingPatternEntries,
  patternEntryLabel,
  renderPatternEntry,
  type MicrosoftPatternEntry,
} from '../../knowledge/microsoft';
import type { Rule } from '../types';
import type { Fix } from '../../findings';
import { coversOthers, listUsedByOthers, microsoftAnalysis } from '../../microsoft/analysis';
import { Edits, bodyIndent, editable, lastAnchorOf } from './edits';
import { chooseTier } from '../../microsoft/tiers';
import { heldUntilDeclared } from './policy';
import type { MemberQueue } from '../../microsoft/analysis';
import { attachedLists } from '../../microsoft/patternLists';
import { addingBackoff, missingBackoffLines } from '../../microsoft/recommend';
import { plural } from '../../util/phrases';

/** A rule that names a code but cannot match Microsoft's reply for it (e.g. the guide's "421 4.7.0 RP-001"). */
function nearMisses(regexes: readonly string[], missing: readonly MicrosoftPatternEntry[]): string[] {
  const out: string[] = [];
  // each rule lower-cased and without its backslashes once, not once for each missing entry
  let plain: string[] | undefined;
  for (const m of missing) {
    const id = m.codeId;
    const lower = id.toLowerCase();
    plain ??= regexes.map((r) => r.toLowerCase().replace(/\\/g, ''));
    const at = plain.findIndex((r) => r.includes(lower));
    if (at < 0) continue;
    const hit = regexes[at];
    const sample = codeById(id)?.sampleReply;
    if (sample)
      out.push(
        `/${hit}/ names ${id} but does not match Microsoft's reply ("${sample.length > 60 ? sample.slice(0, 57) + '...' : sample}")`,
      );
  }
  return out;
}

export const incompletePatternListRule: Rule = {
  id: 'microsoft-incomplete-pattern-list',
  defaultSeverity: 'information',
  description:
    'The pattern lists attached to the Microsoft queue miss some Microsoft replies the recommended list handles.',
  check(ctx) {
    const { model } = ctx;
    const a = microsoftAnalysis(ctx.root ?? model);
    if (!a.active) return;
    for (const d of a.deliveries) {
      if (d.primary.model !== model) continue;
      // the virtual MTA whose lists miss the most (virtual MTAs attaching the same lines are judged once)
      let worst:
        { m: MemberQueue; att: ReturnType<typeof attachedLists>; missing: MicrosoftPatternEntry[] } | undefined;
      const seen = new Set<unknown>();
      for (const m of d.members) {
        if (a.relayOf(m)) continue;
        const lines = a.values(m, 'smtp-pattern-list');
        if (!lines.length || seen.has(lines[0].line)) continue;
        seen.add(lines[0].line);
        const att = attachedLists(a, m);
        if (!att.defs.length) continue;
        const missing = missingPatternEntries(att.regexes);
        if (missing.length && (!worst || missing.length > worst.missing.length)) worst = { m, att, missing };
      }
      if (!worst) continue;
      const { m, att, missing } = worst;
      const names = [...new Set(att.lines.map((l) => l.line.value))];
      const total = MICROSOFT_PATTERN_ENTRIES.length;
      const which = missing.map(patternEntryLabel).join(', ');
      const who = att.lines[0].db.scope && m.vmta ? ` (virtual MTA ${m.vmta})` : '';
      let message = `The pattern list${names.length > 1 ? 's' : ''} ${names.join(', ')} used by the ${a.queue} queue${who} ${
        missing.length === total
          ? `handle${names.length > 1 ? '' : 's'} none`
          : `miss${names.length > 1 ? '' : 'es'} ${missing.length}`
      } of the ${total} Microsoft replies the recommended list handles: ${which}.`;
      const near = nearMisses(att.regexes, missing).slice(0, 2);
      if (near.length) message += ` Note: ${near.join('; ')}.`;
      const first = att.lines[0];
      const span = first.db.model === model ? first.line.valueSpan : d.primary.block.argSpan;
      const fixes: Fix[] = [];
      const target = att.defs.find((x) => x.uri === model.uri && x.block && editable(x.block));
      const anchor = lastAnchorOf(a, m);
      if (target?.block && anchor && anchor.model === model && editable(anchor.block)) {
        const e = new Edits(model);
        const ind = bodyIndent(model, target.block);
        e.insert(target.block.close!.start, missing.map((x) => renderPatternEntry(x, ind, e.eol) + e.eol).join(''));
        const backoff =
          att.backsOff || missing.some((x) => /mode=backoff/.test(x.actions)) ? missingBackoffLines(a, m) : [];
        e.appendLines(anchor.block, backoff);
        // a list other queues use too: their mail would back off on these replies as well (needs review)
        const shared = listUsedByOthers(a, target.name);
        const fix: Fix = {
          title: `Add ${plural(missing.length, 'Microsoft rule')} to ${target.name}${addingBackoff(backoff)}${shared ? ' (the list is used by other queues too)' : ''}`,
          changes: e.changes,
          isPreferred: !shared,
          safe: !coversOthers(anchor) && !shared,
        };
        // the rules back off when Microsoft throttles: applied without review once the tier is declared
        fixes.push(heldUntilDeclared(fix, chooseTier(a, d, ctx.settings)));
      }
      ctx.report({ span, message, fixes });
    }
  },
};
