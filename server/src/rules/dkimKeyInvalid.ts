/**
 * `dkim-key-invalid` (error): the key file of a `domain-key` line is there but PowerMTA cannot sign with
 * it: not a regular file, empty, no PEM private key (DER, a public key, a certificate), a key protected by
 * a passphrase, a damaged key, or a key that is not RSA (PowerMTA signs with rsa-sha256 or rsa-sha1 only,
 * UG 3.3.10.22). Checked where the key files can be read (the CLI; the server for files it may read).
 */
import { isUncheckedProblem, KEY_PROBLEM_REMEDIES, KEY_PROBLEM_WORDS, keyKindWords } from '../knowledge/dkim';
import type { Rule } from './types';

export const dkimKeyInvalidRule: Rule = {
  id: 'dkim-key-invalid',
  defaultSeverity: 'error',
  description:
    'A domain-key file PowerMTA cannot sign with: not a PEM private key, protected by a passphrase, damaged, or not RSA.',
  check(ctx) {
    for (const dk of ctx.model.domainKeys) {
      const key = dk.key;
      if (!key?.exists || !dk.file) continue;
      const file = dk.file.text;
      const unsigned = 'mail this key should sign goes out unsigned.';
      if (key.problem && !isUncheckedProblem(key.problem)) {
        const remedy = KEY_PROBLEM_REMEDIES[key.problem];
        ctx.report({
          span: dk.file.span,
          message: `The key file "${file}" ${KEY_PROBLEM_WORDS[key.problem]}, so PowerMTA cannot sign with it: ${unsigned}${remedy ? ' ' + remedy : ''}`,
        });
      } else if (key.readable && key.kind !== 'rsa') {
        ctx.report({
          span: dk.file.span,
          message: `The key file "${file}" holds ${keyKindWords(key.kind)}, and PowerMTA signs DKIM with RSA keys only (dkim-algorithm rsa-sha256 or rsa-sha1): ${unsigned}`,
        });
      }
    }
  },
};
