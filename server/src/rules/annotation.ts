/**
 * `annotation` (warning): a `# pmta-lint:` comment that is not understood, or names an unknown rule.
 */
import type { Rule } from './types';

export const annotationRule: Rule = {
  id: 'annotation',
  defaultSeverity: 'warning',
  description: 'A "# pmta-lint:" comment that is not understood.',
  check(ctx) {
    for (const p of ctx.model.annotations.problems) ctx.report({ span: p.span, message: p.message });
  },
};
