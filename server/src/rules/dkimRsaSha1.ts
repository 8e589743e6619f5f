/**
 * `dkim-rsa-sha1` (warning): `dkim-algorithm rsa-sha1` (or `second-dkim-algorithm`). RFC 8301 (section
 * 3.1) forbids rsa-sha1 for signing and for verifying: receivers that follow it treat such a signature as
 * invalid, so the mail counts as unsigned. The fix writes rsa-sha256, PowerMTA's default (UG 3.3.10.22),
 * which every DKIM verifier must support (RFC 6376): safe for `--fix`.
 */
import { entriesOf } from '../model/scope';
import type { Rule } from './types';

const ENTRIES = entriesOf('dkim-algorithm', 'second-dkim-algorithm');

export const dkimRsaSha1Rule: Rule = {
  id: 'dkim-rsa-sha1',
  defaultSeverity: 'warning',
  description: 'dkim-algorithm rsa-sha1, which RFC 8301 forbids for signing: receivers treat the signature as invalid.',
  check(ctx) {
    // (catalog entries compared, not names: see model/scope.ts inReadingOrder)
    for (let i = 0, list = ctx.model.directives, infos = ctx.model.directiveInfos; i < list.length; i++) {
      const d = list[i];
      const info = infos[i];
      if (info === undefined || !ENTRIES.has(info) || !d.plainValue || d.value.toLowerCase() !== 'rsa-sha1') continue;
      ctx.report({
        span: d.valueSpan,
        message: `"${d.rawName} rsa-sha1" must not be used for signing (RFC 8301): receivers that follow it treat rsa-sha1 signatures as invalid, so this mail counts as unsigned. Use rsa-sha256, PowerMTA's default.`,
        fixes: [
          {
            title: 'Sign with rsa-sha256',
            changes: [{ span: d.valueSpan, newText: 'rsa-sha256' }],
            isPreferred: true,
            safe: true,
          },
        ],
      });
    }
  },
};
