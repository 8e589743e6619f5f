/** The rule registry: every rule, in the order findings are reported. */
import { annotationRule } from './annotation';
import { deprecatedRule } from './deprecated';
import { duplicateBlockRule } from './duplicateBlock';
import { duplicateDirectiveRule } from './duplicateDirective';
import { invalidValueRule } from './invalidValue';
import { pseudoSyntaxRule } from './pseudoSyntax';
import { syntaxRule } from './syntax';
import type { Rule } from './types';
import { undefinedReferenceRule } from './undefinedReference';
import { unknownDirectiveRule } from './unknownDirective';
import { unresolvedIncludeRule } from './unresolvedInclude';
import { wrongContextRule } from './wrongContext';
import { MICROSOFT_RULES } from './microsoft';

export const RULES: readonly Rule[] = [
  syntaxRule,
  pseudoSyntaxRule,
  unknownDirectiveRule,
  wrongContextRule,
  invalidValueRule,
  undefinedReferenceRule,
  duplicateBlockRule,
  duplicateDirectiveRule,
  deprecatedRule,
  unresolvedIncludeRule,
  annotationRule,
  ...MICROSOFT_RULES,
];
