/**
 * `dkim-key-missing` (information): the key file of a `domain-key` line is not on this machine, or may not
 * be read here (permission denied; outside the workspace folders of an untrusted workspace), so it was not
 * checked. Information only: keys are secrets that often live on the mail server alone, not beside a
 * checkout of its configuration. Files are looked for as included files are (hosts/nodeHost.ts); where no
 * file can be read (the browser), nothing is reported.
 */
import { isUncheckedProblem, KEY_PROBLEM_WORDS } from '../knowledge/dkim';
import type { Rule } from './types';

export const dkimKeyMissingRule: Rule = {
  id: 'dkim-key-missing',
  defaultSeverity: 'information',
  description: 'A domain-key file that is not on this machine or may not be read here, so it is not checked.',
  check(ctx) {
    for (const dk of ctx.model.domainKeys) {
      const key = dk.key;
      if (!key || !dk.file) continue;
      const file = dk.file.text;
      if (!key.exists) {
        ctx.report({
          span: dk.file.span,
          message: `The key file "${file}" is not on this machine (looked for as written and below this file's folder, as included files are); PowerMTA cannot sign with a key it cannot read. Where the keys live only on the mail server, this is expected.`,
        });
      } else if (isUncheckedProblem(key.problem)) {
        ctx.report({
          span: dk.file.span,
          message: `The key file "${file}" ${KEY_PROBLEM_WORDS[key.problem!]}, so it was not checked.`,
        });
      }
    }
  },
};
