/**
 * `open-http-access` (error; warning for a narrower public range): `http-access RANGE admin` or
 * `operator` for `0/0` (an error) or a public range wider than one host (a warning). Operators can view
 * the configuration and run commands in the web monitor, admins also edit the configuration (UG
 * 3.3.1.46.3): for a range that holds hosts that are not yours, anyone there takes over the server.
 * The lines are matched top to bottom, first match wins, so a line whose whole range an earlier line
 * already covers is never used and is not reported; nor anything when the web monitor is off
 * (`http-mgmt-port 0`). Lines of the whole configuration count, in reading order (includes where they
 * stand); only what lies in this file is reported.
 */
import type { Fix } from '../findings';
import type { Model } from '../model';
import { entriesOf, inReadingOrder } from '../model/scope';
import {
  addressCount,
  contains,
  formatRange,
  isEverything,
  isLocalRange,
  isSingleHost,
  parseRange,
  type IpRange,
} from '../knowledge/network';
import type { Rule } from './types';

const ENTRIES = entriesOf('http-access', 'http-mgmt-port');
const [HTTP_ACCESS] = entriesOf('http-access');

/** What each level lets a visitor of the web monitor do. */
const POWERS: Record<string, string> = {
  admin: "run commands, edit the configuration and change PowerMTA's state (queues, license key)",
  operator: 'read the configuration and run commands',
};

/** The file gives some range admin or operator access. (Catalog entries compared: see inReadingOrder.) */
function grantsControl(model: Model): boolean {
  for (let i = 0, list = model.directives, infos = model.directiveInfos; i < list.length; i++) {
    if (infos[i] === HTTP_ACCESS && /\b(admin|operator)\b/i.test(list[i].value)) return true;
  }
  return false;
}

export const openHttpAccessRule: Rule = {
  id: 'open-http-access',
  defaultSeverity: 'error',
  description:
    'http-access giving admin or operator rights to 0/0 or a public range: anyone there can run or change the server through the web monitor.',
  check(ctx) {
    const { model } = ctx;
    if (!grantsControl(model)) return;
    const scope = ctx.root ?? model;
    const lines = inReadingOrder(scope, ENTRIES).filter((p) => !p.line.parent);
    const port = lines.filter((p) => p.line.name === 'http-mgmt-port').pop()?.line.value ?? '8080';
    if (port === '0') return;
    const earlier: IpRange[] = [];
    for (const p of lines) {
      if (p.line.name !== 'http-access') continue;
      const [where, level] = p.line.args;
      const range = where ? parseRange(where.text) : undefined;
      if (!range || !level) continue;
      const power = POWERS[level.text.toLowerCase()];
      const wide = isEverything(range) || (!isLocalRange(range) && !isSingleHost(range));
      if (power && wide && p.model === model && !earlier.some((e) => contains(e, range))) {
        const everything = isEverything(range);
        const who = everything
          ? 'every host on the internet'
          : `all ${addressCount(range)} public addresses of ${formatRange(range)}`;
        const tail = everything ? '' : ' Unless every one of them is yours, anyone there can do the same.';
        const fixes: Fix[] = [
          {
            title: `Give ${level.text} access to 127.0.0.1 only`,
            changes: [{ span: { start: where.start, end: where.end }, newText: '127.0.0.1' }],
            isPreferred: true,
          },
        ];
        ctx.report({
          span: { start: p.line.nameSpan.start, end: p.line.valueSpan.end },
          severity: everything ? 'error' : 'warning',
          message: `"http-access ${where.text} ${level.text}" gives ${who} ${level.text.toLowerCase()} access to the web monitor (port ${port}): whoever reaches it can ${power}.${tail} Give admin and operator access only to the single addresses you manage from (such as 127.0.0.1), and at most monitor to wider ranges.`,
          fixes,
        });
      }
      earlier.push(range);
    }
  },
};
