/**
 * `unresolved-include` (information): an `include` that could not be followed. Names it may define
 * are then not checked by undefined-reference.
 */
import type { Rule } from './types';

export const unresolvedIncludeRule: Rule = {
  id: 'unresolved-include',
  defaultSeverity: 'information',
  description: 'An include that could not be followed (so names it may define are not checked).',
  check(ctx) {
    for (const inc of ctx.model.includes) {
      if (inc.skipped || !inc.error) continue;
      ctx.report({
        span: inc.span,
        message: `Include not followed: ${inc.error}; names defined there are not checked`,
      });
    }
  },
};
