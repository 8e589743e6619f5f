/**
 * `deprecated` (hint): a directive the catalog marks deprecated (e.g. `max-msg-per-hour`), with a fix
 * that writes its replacement when that is a single directive and the line keeps its meaning.
 */
import { getDirective } from '../knowledge/catalog';
import type { DirectiveInfo } from '../knowledge/types';
import type { DirectiveLine } from '../parser/ast';
import type { Rule } from './types';
import type { Fix } from '../findings';

export const deprecatedRule: Rule = {
  id: 'deprecated',
  defaultSeverity: 'hint',
  description: 'A deprecated directive, with its replacement.',
  check(ctx) {
    for (let dI = 0, dList = ctx.model.directives, infos = ctx.model.directiveInfos; dI < dList.length; dI++) {
      const info = infos[dI];
      if (!info?.deprecated) continue;
      const d = dList[dI];
      const fix = replacementFix(d, info, info.deprecated);
      ctx.report({
        span: d.nameSpan,
        message: `"${d.rawName}" is deprecated; use ${info.deprecated}`,
        tags: [2],
        fixes: fix ? [fix] : [],
      });
    }
  },
};

/**
 * The fix that writes the replacement `use` names instead of `d`, when the line keeps its meaning: the
 * replacement takes the same kind of value, and not free text (whose meaning may differ: the value of
 * `no-http-mgmt-source` denies what `http-access` would allow), or a count per hour becomes the rate
 * N/h (`max-msg-per-hour 100` is `max-msg-rate 100/h`; `max-msg-rate 100` is not a valid rate).
 */
function replacementFix(d: DirectiveLine, info: DirectiveInfo, use: string): Fix | undefined {
  const repl = /^[a-z][a-z0-9-]*$/.test(use) ? getDirective(use) : undefined;
  if (!repl) return undefined;
  const rename = { span: d.nameSpan, newText: use };
  if (repl.value === info.value && info.value !== 'string')
    return { title: `Change to "${use}"`, changes: [rename], isPreferred: true };
  if (
    info.value === 'int' &&
    repl.value === 'rate' &&
    info.name.endsWith('-per-hour') &&
    d.plainValue &&
    /^[1-9][0-9]*$/.test(d.value)
  ) {
    const rate = `${d.value}/h`;
    return {
      title: `Change to "${use} ${rate}"`,
      changes: [rename, { span: d.valueSpan, newText: rate }],
      isPreferred: true,
    };
  }
  return undefined;
}
