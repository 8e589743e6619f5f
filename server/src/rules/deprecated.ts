/**
 * `deprecated` (hint): a directive the catalog marks deprecated (e.g. `max-msg-per-hour`), with a
 * rename fix when the replacement is a single directive name.
 */
import { getDirective } from '../knowledge/catalog';
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
      const repl = /^[a-z][a-z0-9-]*$/.test(info.deprecated) ? info.deprecated : undefined;
      const fixes: Fix[] = repl && getDirective(repl) ? [{ title: `Change to "${repl}"`, changes: [{ span: d.nameSpan, newText: repl }], isPreferred: true }] : [];
      ctx.report({ span: d.nameSpan, message: `"${d.rawName}" is deprecated; use ${info.deprecated}`, tags: [2], fixes });
    }
  },
};
