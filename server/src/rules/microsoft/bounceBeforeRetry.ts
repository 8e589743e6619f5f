/**
 * `microsoft-bounce-before-retry` (warning): the Microsoft queue's `bounce-after` is not longer than the
 * time PowerMTA waits before trying a deferred message again, so a message Microsoft defers is bounced
 * instead of being retried. Microsoft's throttling replies (RP-001, RP-002, RP-003, 4.7.650-652, …) are
 * temporary failures: they hold mail back, and a short `bounce-after` (often `bounce-after 1m` in
 * `<domain *>`, copied from configurations that send time-critical mail) turns every throttle into bounces.
 *
 * The wait that counts is the one after a throttle: `backoff-retry-after` (default 1h, the first value of
 * a list) when the queue's pattern list switches it to backoff mode, else `retry-after` (default 10m).
 * Only a `bounce-after` that is set is judged (PowerMTA's default, 4d12h, is longer than any retry). The
 * queue is judged per virtual MTA; the fix gives the Microsoft queue PowerMTA's default back, which keeps
 * its mail queued longer: offered for review, never applied by `--fix`.
 */
import type { Span } from '../../parser/ast';
import type { Rule } from '../types';
import type { Fix, Related } from '../../findings';
import { parseDuration } from '../../knowledge/values';
import {
  defaultOf,
  microsoftAnalysis,
  type Effective,
  type MemberQueue,
  type MicrosoftAnalysis,
} from '../../microsoft/analysis';
import { attachedLists } from '../../microsoft/patternLists';
import { listNames, sourceText } from '../../microsoft/connections';
import { Edits, setForMembers } from './edits';

/** The first interval of a duration or a list of them (`30m,2h,4h`), in seconds. */
function firstInterval(v: string): number | undefined {
  return parseDuration(v.split(',')[0]);
}

/** What a member's queue waits before retrying a message Microsoft deferred, and the directive that says so. */
interface RetryWait {
  name: string;
  value: string;
  seconds: number;
}

function retryWait(a: MicrosoftAnalysis, m: MemberQueue): RetryWait | undefined {
  const name = attachedLists(a, m).backsOff ? 'backoff-retry-after' : 'retry-after';
  const value = a.value(m, name)?.value ?? defaultOf(name);
  const seconds = value === undefined ? undefined : firstInterval(value);
  return value === undefined || seconds === undefined ? undefined : { name, value, seconds };
}

export const bounceBeforeRetryRule: Rule = {
  id: 'microsoft-bounce-before-retry',
  defaultSeverity: 'warning',
  description:
    "The Microsoft queue's bounce-after is not longer than its retry wait: mail Microsoft defers (throttling) bounces instead of being retried.",
  check(ctx) {
    const { model } = ctx;
    const a = microsoftAnalysis(ctx.root ?? model);
    if (!a.active) return;
    for (const d of a.deliveries) {
      if (d.primary.model !== model) continue;
      const short: Array<{ m: MemberQueue; e: Effective; wait: RetryWait }> = [];
      for (const m of d.members) {
        if (a.relayOf(m)) continue;
        const e = a.value(m, 'bounce-after');
        const bounce = e && parseDuration(e.value);
        if (!e || bounce === undefined) continue;
        const wait = retryWait(a, m);
        if (wait && bounce <= wait.seconds) short.push({ m, e, wait });
      }
      if (!short.length) continue;
      const { e, wait } = short[0];
      const who =
        short.length < d.members.length && short[0].m.vmta
          ? ` of virtual MTA ${listNames(short.map((x) => x.m.vmta ?? ''))}`
          : '';
      const own = a.isAnchor(e.db);
      const from = own ? '' : ` (from ${sourceText(e)})`;
      const waitText =
        wait.name === 'backoff-retry-after'
          ? `its backoff-retry-after ${wait.value} (the wait before a retry while its pattern list has it backed off)`
          : `its retry-after ${wait.value}`;
      const message = `bounce-after ${e.value} of the ${a.queue} queue${who}${from} is not longer than ${waitText}: a message Microsoft defers is bounced before it is tried again. Microsoft's throttling replies (RP-001, RP-002, 4.7.650 ...) are temporary failures: the mail they hold back would go out later; with this setting it bounces.`;
      // on the line when it is the queue's own, else on the queue's block with the inherited line related
      const inFile = e.db.model === model;
      const span: Span = inFile && own ? e.line.valueSpan : d.primary.block.argSpan;
      const related: Related[] =
        inFile && !own ? [{ span: e.line.valueSpan, message: 'the bounce-after the queue inherits' }] : [];
      const dflt = defaultOf('bounce-after') ?? '4d12h';
      const edits = new Edits(model);
      const edited = setForMembers(
        a,
        edits,
        'bounce-after',
        short.map((x) => ({ m: x.m, from: x.e, value: dflt })),
      );
      // mail kept queued longer than the user chose: a decision for the user, never applied by --fix
      const fixes: Fix[] =
        edited && edits.changes.length
          ? [
              {
                title: `Keep the ${a.queue} queue's mail until PowerMTA's default: bounce-after ${dflt}`,
                changes: edits.changes,
                safe: false,
              },
            ]
          : [];
      ctx.report({ span, message, fixes, related: related.length ? related : undefined });
    }
  },
};
