/**
 * `smtp-listener-option` (error): what follows the address of `smtp-listener ADDRESS:PORT` is not
 * `source=NAME`, the one option the directive takes (UG 3.3.1.24): `tls=yes`, copied from other
 * servers' configurations, or `source=` without a name or twice. A name that no `<source>` defines is
 * `undefined-reference`'s (the model counts it as a reference). The fix removes the option; TLS and other
 * settings of a listener belong in an `<smtp-listener ADDRESS:PORT>` block (UG 3.3.17), which the message
 * names.
 */
import type { Word } from '../parser/ast';
import { getDirective } from '../knowledge/catalog';
import type { Rule } from './types';

const LISTENER = getDirective('smtp-listener');

export const smtpListenerOptionRule: Rule = {
  id: 'smtp-listener-option',
  defaultSeverity: 'error',
  description: 'An smtp-listener option other than source=NAME (such as tls=yes), or source= without a name or twice.',
  check(ctx) {
    const { model } = ctx;
    // (catalog entries compared, not names: see model/scope.ts inReadingOrder)
    for (let i = 0, list = model.directives, infos = model.directiveInfos; i < list.length; i++) {
      const d = list[i];
      if (infos[i] !== LISTENER || d.plainValue || d.args.length < 2) continue;
      let source: Word | undefined;
      for (const w of d.args.slice(1)) {
        const remove = [
          {
            title: `Remove "${w.text}"`,
            changes: [{ span: { start: d.args[d.args.indexOf(w) - 1].end, end: w.end }, newText: '' }],
          },
        ];
        const lower = w.text.toLowerCase();
        if (lower.startsWith('source=')) {
          if (lower === 'source=')
            ctx.report({
              span: { start: w.start, end: w.end },
              message:
                'source= needs the name of a <source> whose settings this listener hands to its clients (source=NAME)',
              fixes: remove,
            });
          else if (source)
            ctx.report({
              span: { start: w.start, end: w.end },
              message: `A second source= on this listener (the first is "${source.text}"); a listener hands one named source to its clients`,
              fixes: remove,
            });
          else source = w;
          continue;
        }
        const tls = /^(tls|ssl|smtps|starttls|immediate-tls)(=|$)/i.test(w.text)
          ? ` For TLS from the first byte (SMTPS, usually port 465), write an <smtp-listener ${d.args[0].text}> block with "immediate-tls yes" (and tls-certificate); STARTTLS is allowed per <source> with allow-starttls.`
          : ' Other settings of a listener go in an <smtp-listener ADDRESS:PORT> block.';
        ctx.report({
          span: { start: w.start, end: w.end },
          message: `Unknown smtp-listener option "${w.text}": after its address the directive takes only source=NAME.${tls}`,
          fixes: remove,
        });
      }
    }
  },
};
