/**
 * Reading the smtp pattern lists attached to the Microsoft queue of one virtual MTA: which lists (the first
 * block of its chain that attaches any, so `<domain *>` counts when the queue's block has none), their `reply` regex
 * bodies (followed through `model.lookup`, so lists in included files count), and whether any rule backs off.
 * Also the escape that writes text as such a regex body (the pseudo-syntax fix uses it too).
 */
import type { Definition } from '../model';
import type { Block, PatternLine } from '../parser/ast';
import type { Effective, MemberQueue, MicrosoftAnalysis } from './analysis';

interface AttachedLists {
  /** The `smtp-pattern-list NAME` lines that apply to the queue. */
  lines: Effective[];
  /** Definitions found for those names. */
  defs: Definition[];
  /** Names with no definition in reach. */
  undefinedNames: string[];
  /** Regex bodies of every `reply` rule of every attached list (blog-form quoted patterns as literal text). */
  regexes: string[];
  /** Some rule switches the queue to backoff mode. */
  backsOff: boolean;
}

/** Escape text for a PowerMTA (PCRE) regex between slashes. */
export function regexEscape(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/]/g, (c) => '\\' + c).replace(/#/g, '\\x23');
}

export function replyRules(b: Block): PatternLine[] {
  return b.children.filter((c): c is PatternLine => c.kind === 'pattern');
}

export function ruleRegex(l: PatternLine): string | undefined {
  if (l.regex) return l.regex.body;
  if (l.quoted) return regexEscape(l.quoted.text);
  return undefined;
}

/** An action word that switches to backoff mode (made once: a literal in the loop made one for each word). */
const MODE_BACKOFF = /(^|,)mode=backoff(,|$)/i;

/** Whether one of the rule's action words switches the queue to backoff mode. */
function backsOffRule(r: PatternLine): boolean {
  for (let i = 0; i < r.rest.length; i++) if (MODE_BACKOFF.test(r.rest[i].text)) return true;
  return false;
}

export function attachedLists(a: MicrosoftAnalysis, m: MemberQueue): AttachedLists {
  const lines = a.values(m, 'smtp-pattern-list');
  const defs: Definition[] = [];
  const undefinedNames: string[] = [];
  const regexes: string[] = [];
  let backsOff = false;
  for (const e of lines) {
    const name = e.line.args[0]?.text ?? e.line.value;
    const found = a.model.lookup('smtp-pattern-list', name).filter((d) => d.block);
    if (!found.length) undefinedNames.push(name);
    for (const d of found) {
      if (defs.includes(d)) continue;
      defs.push(d);
      for (const r of replyRules(d.block!)) {
        const re = ruleRegex(r);
        if (re !== undefined) regexes.push(re);
        backsOff ||= backsOffRule(r);
      }
    }
  }
  return { lines, defs, undefinedNames, regexes, backsOff };
}
