/**
 * `microsoft-incomplete-pattern-list` (information): the pattern lists attached to the Microsoft queue do not
 * handle every Microsoft reply the recommended list handles. Coverage is judged the way PowerMTA matches:
 * each list's `reply` regexes (case-insensitive) against a real sample of Microsoft's reply, so a rule written
 * for text Microsoft does not send (the guide's "421 4.7.0 RP-001") does not count. The fix adds the missing
 * rules at the end of the list (earlier rules keep precedence: the first match wins) and the backoff
 * directives they rely on when the queue has none.
 */
import { codeById, MICROSOFT_PATTERN_ENTRIES, missingPatternEntries, renderPatternEntry, type MicrosoftPatternEntry } from '../../knowledge/microsoft';
import type { Rule } from '../types';
import type { Fix } from '../../findings';
import { coversOthers, microsoftAnalysis } from '../../microsoft/analysis';
import { Edits, bodyIndent, editable } from './edits';
import { attachedLists } from '../../microsoft/patternLists';
import { missingBackoffLines } from '../../microsoft/recommend';
import { plural } from '../../util/phrases';

/** A rule that names a code but cannot match Microsoft's reply for it (e.g. the guide's "421 4.7.0 RP-001"). */
function nearMisses(regexes: readonly string[], missing: readonly MicrosoftPatternEntry[]): string[] {
  const out: string[] = [];
  for (const m of missing) {
    const id = m.codeId;
    const hit = regexes.find((r) => r.toLowerCase().replace(/\\/g, '').includes(id.toLowerCase()));
    if (!hit) continue;
    const sample = codeById(id)?.sampleReply;
    if (sample) out.push(`/${hit}/ names ${id} but does not match Microsoft's reply ("${sample.length > 60 ? sample.slice(0, 57) + '...' : sample}")`);
  }
  return out;
}

export const incompletePatternListRule: Rule = {
  id: 'microsoft-incomplete-pattern-list',
  defaultSeverity: 'information',
  description: 'The pattern lists attached to the Microsoft queue miss some Microsoft replies the recommended list handles.',
  check(ctx) {
    const { model } = ctx;
    const a = microsoftAnalysis(ctx.root ?? model);
    if (!a.active) return;
    for (const anchor of a.anchors) {
      if (anchor.model !== model) continue;
      const att = attachedLists(a, anchor);
      if (!att.lines.length || !att.defs.length) continue;
      const missing = missingPatternEntries(att.regexes);
      if (!missing.length) continue;
      const names = [...new Set(att.lines.map((l) => l.line.value))];
      const total = MICROSOFT_PATTERN_ENTRIES.length;
      const which = missing.map((m) => m.covers.join('/')).join(', ');
      let message = `The pattern list${names.length > 1 ? 's' : ''} ${names.join(', ')} used by the ${a.queue} queue ${
        missing.length === total ? `handle${names.length > 1 ? '' : 's'} none` : `miss${names.length > 1 ? '' : 'es'} ${missing.length}`
      } of the ${total} Microsoft replies the recommended list handles: ${which}.`;
      const near = nearMisses(att.regexes, missing).slice(0, 2);
      if (near.length) message += ` Note: ${near.join('; ')}.`;
      const first = att.lines[0];
      const span = first.db.model === model ? first.line.valueSpan : anchor.block.argSpan;
      const fixes: Fix[] = [];
      const target = att.defs.find((d) => d.uri === model.uri && d.block && editable(d.block));
      if (target?.block && editable(anchor.block)) {
        const e = new Edits(model);
        const ind = bodyIndent(model, target.block);
        e.insert(target.block.close!.start, missing.map((m) => renderPatternEntry(m, ind, e.eol) + e.eol).join(''));
        if (att.backsOff || missing.some((m) => /mode=backoff/.test(m.actions))) e.appendLines(anchor.block, missingBackoffLines(a, a.queueChain(anchor)));
        fixes.push({ title: `Add ${plural(missing.length, 'Microsoft rule')} to ${target.name}`, changes: e.changes, isPreferred: true, safe: !coversOthers(anchor) });
      }
      ctx.report({ span, message, fixes });
    }
  },
};
