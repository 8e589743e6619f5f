/**
 * `dkim-key-weak` (warning; error under 1024 bits): an RSA DKIM key shorter than RFC 8301 asks for.
 * Receivers that follow it treat signatures made with keys under 1024 bits as invalid, so that mail
 * counts as unsigned (an error); signers should use at least 2048 bits (a warning for 1024 to 2047).
 */
import { DKIM_GOOD_BITS, DKIM_MIN_BITS } from '../knowledge/dkim';
import type { Rule } from './types';

export const dkimKeyWeakRule: Rule = {
  id: 'dkim-key-weak',
  defaultSeverity: 'warning',
  description: 'An RSA DKIM key under 2048 bits (RFC 8301); under 1024 bits receivers reject its signatures, an error.',
  check(ctx) {
    for (const dk of ctx.model.domainKeys) {
      const key = dk.key;
      if (!key?.readable || key.kind !== 'rsa' || key.bits === undefined || key.bits >= DKIM_GOOD_BITS || !dk.file)
        continue;
      const file = dk.file.text;
      const renew = `Make a key of ${DKIM_GOOD_BITS} bits ("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:${DKIM_GOOD_BITS} -out NEWFILE"), publish its record under a new selector, then switch this line to it.`;
      if (key.bits < DKIM_MIN_BITS) {
        ctx.report({
          span: dk.file.span,
          severity: 'error',
          message: `The RSA key in "${file}" has ${key.bits} bits: receivers following RFC 8301 treat signatures made with keys under ${DKIM_MIN_BITS} bits as invalid, so mail signed with it counts as unsigned. ${renew}`,
        });
      } else {
        ctx.report({
          span: dk.file.span,
          message: `The RSA key in "${file}" has ${key.bits} bits; RFC 8301 asks signers for at least ${DKIM_GOOD_BITS} (${DKIM_MIN_BITS} is the least receivers accept). ${renew}`,
        });
      }
    }
  },
};
