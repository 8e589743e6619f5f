/**
 * The Microsoft (Outlook.com / Hotmail / Live / MSN) deliverability rules. They share one analysis per
 * model (microsoft/analysis.ts): which blocks shape Microsoft mail, the queue every Microsoft consumer
 * domain ends in, the Microsoft queue's effective settings, and the pool it goes through.
 */
import type { Rule } from '../types';
import { backoffLimitsRule } from './backoffLimits';
import { bounceBeforeRetryRule } from './bounceBeforeRetry';
import { connectionBudgetRule } from './connectionBudget';
import { incompletePatternListRule } from './incompletePatternList';
import { missingDkimRule } from './missingDkim';
import { missingPatternListRule } from './missingPatternList';
import { missingRollupRule } from './missingRollup';
import { mxRollupDirectiveRule } from './mxRollupDirective';
import { separatePoolRule } from './separatePool';
import { unsafeLimitRule } from './unsafeLimit';

export const MICROSOFT_RULES: readonly Rule[] = [
  mxRollupDirectiveRule,
  missingRollupRule,
  separatePoolRule,
  unsafeLimitRule,
  connectionBudgetRule,
  missingPatternListRule,
  incompletePatternListRule,
  backoffLimitsRule,
  bounceBeforeRetryRule,
  missingDkimRule,
];
