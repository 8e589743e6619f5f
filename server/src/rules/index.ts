/** The rule registry: every rule, in the order findings are reported. */
import { annotationRule } from './annotation';
import { bounceCategoryRule } from './bounceCategory';
import { deprecatedRule } from './deprecated';
import { dkimKeyInvalidRule } from './dkimKeyInvalid';
import { dkimKeyMissingRule } from './dkimKeyMissing';
import { dkimKeyWeakRule } from './dkimKeyWeak';
import { dkimRsaSha1Rule } from './dkimRsaSha1';
import { dkimSignWithoutKeyRule } from './dkimSignWithoutKey';
import { duplicateBlockRule } from './duplicateBlock';
import { duplicateDirectiveRule } from './duplicateDirective';
import { emptyPoolRule } from './emptyPool';
import { encodingRule } from './encoding';
import { fileTooLargeRule } from './fileTooLarge';
import { invalidValueRule } from './invalidValue';
import { patternListOrderRule } from './patternListOrder';
import { poolMemberRule } from './poolMember';
import { openHttpAccessRule } from './openHttpAccess';
import { openRelayRule } from './openRelay';
import { pseudoSyntaxRule } from './pseudoSyntax';
import { smtpListenerOptionRule } from './smtpListenerOption';
import { suspiciousRegexRule } from './suspiciousRegex';
import { syntaxRule } from './syntax';
import type { Rule } from './types';
import { undefinedReferenceRule } from './undefinedReference';
import { unknownDirectiveRule } from './unknownDirective';
import { unresolvedIncludeRule } from './unresolvedInclude';
import { unreachablePatternRule } from './unreachablePattern';
import { wrongContextRule } from './wrongContext';
import { wrongListKindRule } from './wrongListKind';
import { MICROSOFT_RULES } from './microsoft';

export const RULES: readonly Rule[] = [
  syntaxRule,
  pseudoSyntaxRule,
  unknownDirectiveRule,
  wrongContextRule,
  invalidValueRule,
  undefinedReferenceRule,
  patternListOrderRule,
  bounceCategoryRule,
  unreachablePatternRule,
  wrongListKindRule,
  poolMemberRule,
  emptyPoolRule,
  duplicateBlockRule,
  duplicateDirectiveRule,
  deprecatedRule,
  unresolvedIncludeRule,
  annotationRule,
  encodingRule,
  fileTooLargeRule,
  openRelayRule,
  openHttpAccessRule,
  smtpListenerOptionRule,
  dkimSignWithoutKeyRule,
  dkimRsaSha1Rule,
  dkimKeyMissingRule,
  dkimKeyInvalidRule,
  dkimKeyWeakRule,
  suspiciousRegexRule,
  ...MICROSOFT_RULES,
];
