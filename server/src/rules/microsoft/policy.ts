/**
 * The safety policy of the Microsoft fixes: a fix that changes throughput (lowers max-smtp-out, a rate or
 * backoff-max-smtp-out, raises retry-after, adds a pattern list or backoff directives that slow the queue
 * down) follows common advice for a volume tier, so it is applied without review (`--fix`, fix all) only
 * when the user declared the tier, with the annotation or the setting. With an inferred or assumed tier,
 * the findings about limits are information, their first actions declare the volume (one per tier), and
 * the value fix is still offered, neither preferred nor safe. The Microsoft rollup (microsoft-missing-rollup)
 * changes throughput too: the variants' mail goes under the queue's connection limits, so it is held the same
 * way (still preferred, its message says why, the declaring actions after its fixes). Fixes that do not depend
 * on the volume (DKIM signing, the `mx-rollup` line, whose file already asks for the rollup) keep their own
 * safety.
 */
import type { Block } from '../../parser/ast';
import type { Model } from '../../model';
import type { Fix, Severity } from '../../findings';
import { MICROSOFT_TIERS } from '../../knowledge/microsoft';
import type { TierChoice } from '../../microsoft/tiers';
import { topLevel, type MicrosoftAnalysis } from '../../microsoft/analysis';
import { eolOf } from '../../util/eol';
import { indentAt } from '../util';

/** A tier's daily volume in words, for the title of its action. */
function volumeWords(id: string): string {
  switch (id) {
    case 'under-100k':
      return 'under 100,000 messages a day';
    case '100k-500k':
      return '100,000 to 500,000 messages a day';
    default:
      return 'more than 500,000 messages a day';
  }
}

/**
 * One action per tier that declares the volume to Microsoft with `# pmta-lint: microsoft-tier=…`: the value
 * of this file's annotation replaced when it has one (`auto`, or a value that is not a tier), else a line
 * inserted before the top-level block of the file's first block of the Microsoft queue (the same place for
 * every finding, so that the actions of two findings are the same edit).
 */
export function declareTierFixes(model: Model, a: MicrosoftAnalysis): Fix[] {
  const ann = model.annotations.settings.get('microsoft-tier');
  const near = firstLocalAnchor(model, a);
  if (!near) return [];
  const top = topLevel(near);
  // the open line's start (its indentation is part of the line): the new line gets the same indentation
  const lineStart = top.open.start;
  const line = indentAt(model.text, lineStart);
  return MICROSOFT_TIERS.map((t) => ({
    title: `Declare the volume to Microsoft: ${volumeWords(t.id)} (microsoft-tier=${t.id})`,
    changes: ann
      ? [{ span: { start: ann.span.start, end: ann.span.end }, newText: t.id }]
      : [
          {
            span: { start: lineStart, end: lineStart },
            newText: `${line}# pmta-lint: microsoft-tier=${t.id}${eolOf(model.text)}`,
          },
        ],
  }));
}

/** The first block of the Microsoft queue in this file that findings are reported at (the place new text about the queue goes). */
export function firstLocalAnchor(model: Model, a: MicrosoftAnalysis): Block | undefined {
  return a.deliveries.find((d) => d.primary.model === model)?.primary.block;
}

/**
 * The fixes of a finding about limits: its value fix as it is when the tier was declared; else the actions
 * that declare the volume first, then the value fix, neither preferred nor safe.
 */
export function limitFixes(fix: Fix | undefined, tc: TierChoice, declare: Fix[]): Fix[] {
  if (!tc.assumed) return fix ? [fix] : [];
  return [...declare, ...(fix ? [{ ...fix, isPreferred: false, safe: false }] : [])];
}

/** Another fix that changes throughput (a pattern list, backoff directives): not safe until the tier is declared. */
export function heldUntilDeclared(fix: Fix, tc: TierChoice): Fix {
  return tc.assumed ? { ...fix, safe: false } : fix;
}

/** The severity of a finding about limits: information until the tier is declared (settings still win). */
export function limitSeverity(tc: TierChoice): Severity | undefined {
  return tc.assumed ? 'information' : undefined;
}
