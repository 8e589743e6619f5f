import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { PmtaLanguageService } from '../../server/src/service';
import { applyChanges } from '../../server/src/features/codeActions';
import { Model } from '../../server/src/model';
import type { IncludeHost } from '../../server/src/hosts/includeHost';
import type { Finding, Fix } from '../../server/src/findings';
import type { Settings } from '../../server/src/settings';
import { MICROSOFT_RULES } from '../../server/src/rules/microsoft';
import { microsoftHover } from '../../server/src/features/microsoftHover';
import { REPORTED_ELSEWHERE } from '../../server/src/rules/unknownDirective';
import {
  MICROSOFT_CONSUMER_DOMAINS,
  renderMicrosoftBackoffDirectives,
  renderMicrosoftPatternList,
  renderPatternEntry,
  MICROSOFT_PATTERN_ENTRIES,
  GUIDE_ROLLUP_DOMAINS,
} from '../../server/src/knowledge/microsoft';
import { doc, lint, show } from '../helpers/util';

const ROOT = path.resolve(__dirname, '../../..');

// ------------------------------------------------------------------------------------------------
// building blocks

const LIST = renderMicrosoftPatternList('    ', '\n');
const BACKOFF = renderMicrosoftBackoffDirectives('    ', '\n');
const VARIANTS = GUIDE_ROLLUP_DOMAINS.filter((d) => d !== 'outlook.com');
const LIMITS = '    max-smtp-out 4\n    max-connect-rate 30/m\n    max-msg-rate 150/h\n    retry-after 20m\n';
const GOOD_BODY = LIMITS + '    smtp-pattern-list microsoft-errors\n' + BACKOFF + '\n    dkim-sign yes\n';

function rollups(queue = 'outlook.com', domains: readonly string[] = VARIANTS): string {
  return domains.map((d) => `<domain ${d}>\n    queue-to ${queue}\n</domain>\n`).join('\n');
}

/** A configuration every Microsoft rule accepts: outlook.com block (line 1), the nine rollups, the list last. */
function good(body = GOOD_BODY, extra = ''): string {
  return `<domain outlook.com>\n${body}</domain>\n\n${rollups()}\n${LIST}\n${extra}`;
}

function isMs(f: Finding): boolean {
  return f.rule.startsWith('microsoft-');
}

function ms(text: string, settings: Settings = {}): Finding[] {
  return lint(text, settings).filter(isMs);
}

function countByRule(fs: readonly Finding[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const f of fs) m.set(f.rule, (m.get(f.rule) ?? 0) + 1);
  return m;
}

/** `show` for one rule, or for every Microsoft rule. */
function shown(text: string, rule?: string, settings: Settings = {}): string[] {
  const fs = lint(text, settings).filter((f) => (rule ? f.rule === rule : isMs(f)));
  return show(text, fs);
}

function expectShown(text: string, rule: string | undefined, expected: string[], settings: Settings = {}): void {
  assert.deepEqual(shown(text, rule, settings), expected);
}

const expectList = (actual: string[], expected: string[]) => assert.deepEqual(actual, expected);
const expectText = (actual: string, expected: string) => assert.equal(actual, expected);

/**
 * Apply fix `opts.fix` of the `opts.index`-th finding of `rule` and check the contract: the finding goes away,
 * no rule reports more findings than before, and the same fix is not offered again (idempotent).
 * Returns the new text.
 */
function applyFix(text: string, rule: string, opts: { index?: number; fix?: number; settings?: Settings; safe?: boolean; title?: string } = {}): string {
  const settings = opts.settings ?? {};
  const before = lint(text, settings);
  const f = before.filter((x) => x.rule === rule)[opts.index ?? 0];
  assert.ok(f, `no ${rule} finding`);
  const fix: Fix | undefined = f.fixes[opts.fix ?? 0];
  assert.ok(fix, `no fix ${opts.fix ?? 0} on ${rule}`);
  if (opts.title !== undefined) assert.equal(fix.title, opts.title);
  if (opts.safe !== undefined) assert.equal(!!fix.safe, opts.safe, `safe flag of "${fix.title}"`);
  const after = applyChanges(text, fix.changes);
  const again = lint(after, settings);
  assert.ok(!again.some((x) => x.rule === rule && x.message === f.message && after.slice(x.span.start, x.span.end) === text.slice(f.span.start, f.span.end)), `finding still there: ${f.message}`);
  const b = countByRule(before);
  const a = countByRule(again);
  assert.ok((a.get(rule) ?? 0) < (b.get(rule) ?? 0), `${rule} count did not go down`);
  // (turning DKIM signing on cannot add the key it needs, as the finding says: dkim-sign-without-key may follow)
  const follows = rule === 'microsoft-missing-dkim' ? ['dkim-sign-without-key'] : [];
  for (const [r, n] of a) assert.ok(n <= (b.get(r) ?? 0) || follows.includes(r), `new ${r} finding: ${again.filter((x) => x.rule === r).map((x) => x.message).join(' / ')}`);
  // idempotent: the same edit offered again would change nothing it has not already changed
  const same = again.filter((x) => x.rule === rule).flatMap((x) => x.fixes).find((x) => x.title === fix.title && JSON.stringify(x.changes.map((c) => c.newText)) === JSON.stringify(fix.changes.map((c) => c.newText)));
  assert.equal(same, undefined, `fix "${fix.title}" offered again`);
  return after;
}

// ------------------------------------------------------------------------------------------------
// registry

test('microsoft rules: ids, severities and descriptions', () => {
  assert.deepEqual(
    MICROSOFT_RULES.map((r) => `${r.id}:${r.defaultSeverity}`),
    [
      'microsoft-mx-rollup-directive:error',
      'microsoft-missing-rollup:warning',
      'microsoft-separate-pool:warning',
      'microsoft-unsafe-limit:warning',
      'microsoft-connection-budget:warning',
      'microsoft-missing-pattern-list:warning',
      'microsoft-incomplete-pattern-list:information',
      'microsoft-backoff-limits:information',
      'microsoft-missing-dkim:warning',
    ],
  );
  for (const r of MICROSOFT_RULES) assert.ok(r.description.length > 20 && !r.description.includes('\n'), r.id);
  assert.ok(REPORTED_ELSEWHERE.has('mx-rollup'));
});

test('a configuration that follows the guide correctly has no Microsoft finding; one without Microsoft blocks neither', () => {
  assert.deepEqual(lint(good()), []);
  assert.deepEqual(ms('<domain gmail.com>\n    max-smtp-out 2\n</domain>\n<domain *>\n    max-smtp-out 20\n</domain>\n'), []);
  // *.hotmail.com names no consumer domain (Microsoft has none under hotmail.com)
  assert.deepEqual(ms('<domain *.hotmail.com>\n    max-smtp-out 2\n</domain>\n'), []);
});

test('examples/microsoft-good.pmta has no finding at all', () => {
  const text = fs.readFileSync(path.join(ROOT, 'examples', 'microsoft-good.pmta'), 'utf8');
  assert.deepEqual(lint(text), []);
});

// ------------------------------------------------------------------------------------------------
// microsoft-mx-rollup-directive

test('mx-rollup: in the queue\'s own block the fix removes the line', () => {
  const text = good(GOOD_BODY + '    mx-rollup outlook.com\n');
  expectShown(text, 'microsoft-mx-rollup-directive', [
    "11:5-11:26 \"mx-rollup outlook.com\" | \"mx-rollup outlook.com\" is not a PowerMTA directive (it comes from blog posts); PowerMTA refuses to load a configuration that contains it. <domain outlook.com> is the outlook.com queue's own block, so the line has nothing to do here: remove it.",
  ]);
  const fixed = applyFix(text, 'microsoft-mx-rollup-directive', { safe: true, title: 'Remove the mx-rollup line' });
  assert.equal(fixed, good());
  assert.equal(shown(text, 'unknown-directive').length, 0);
});

test('mx-rollup: in a variant\'s block the fix writes queue-to the Microsoft queue', () => {
  const text = good().replace('<domain live.de>\n    queue-to outlook.com\n', '<domain live.de>\n    mx-rollup outlook.com   # as the blog says\n');
  expectShown(text, 'microsoft-mx-rollup-directive', [
    "38:5-38:26 \"mx-rollup outlook.com\" | \"mx-rollup outlook.com\" is not a PowerMTA directive (it comes from blog posts); PowerMTA refuses to load a configuration that contains it. To put the mail of <domain live.de> into the outlook.com queue, under its connection limits, write \"queue-to outlook.com\".",
  ]);
  // the rollup rule leaves this domain to the mx-rollup rule: one problem, one finding
  assert.deepEqual(shown(text, 'microsoft-missing-rollup'), []);
  const fixed = applyFix(text, 'microsoft-mx-rollup-directive', { safe: true, title: 'Change to "queue-to outlook.com"' });
  assert.equal(fixed, good().replace('<domain live.de>\n    queue-to outlook.com\n', '<domain live.de>\n    queue-to outlook.com   # as the blog says\n'));
});

test('mx-rollup: the queue the file uses is kept; limits of the variant are dropped, after review', () => {
  const text = good().replace('<domain msn.com>\n    queue-to outlook.com\n', '<domain msn.com>\n    max-smtp-out 2\n    mx-rollup outlook.com\n');
  expectShown(text, 'microsoft-mx-rollup-directive', [
    "43:5-43:26 \"mx-rollup outlook.com\" | \"mx-rollup outlook.com\" is not a PowerMTA directive (it comes from blog posts); PowerMTA refuses to load a configuration that contains it. To put the mail of <domain msn.com> into the outlook.com queue, under its connection limits, write \"queue-to outlook.com\". Its own max-smtp-out would then no longer be used: the outlook.com block decides.",
  ]);
  const fixed = applyFix(text, 'microsoft-mx-rollup-directive', { safe: false, title: 'Change to "queue-to outlook.com" and remove the limits it overrides' });
  assert.equal(fixed, good());
  // the file's queue is ms.rollup: outlook.com's own mx-rollup line becomes queue-to ms.rollup
  const other = good().replaceAll('queue-to outlook.com', 'queue-to ms.rollup').replace('<domain outlook.com>', '<domain ms.rollup>') + '<domain outlook.com>\n    mx-rollup outlook.com\n</domain>\n';
  expectShown(other, 'microsoft-mx-rollup-directive', [
    "88:5-88:26 \"mx-rollup outlook.com\" | \"mx-rollup outlook.com\" is not a PowerMTA directive (it comes from blog posts); PowerMTA refuses to load a configuration that contains it. To put the mail of <domain outlook.com> into the ms.rollup queue, under its connection limits, write \"queue-to ms.rollup\".",
  ]);
  assert.equal(applyFix(other, 'microsoft-mx-rollup-directive', { safe: true }), other.replace('    mx-rollup outlook.com\n', '    queue-to ms.rollup\n'));
});

test('mx-rollup: outside a domain block the fix removes it after review; in blog pseudo-syntax no fix', () => {
  const text = 'mx-rollup outlook.com\n' + good();
  expectShown(text, 'microsoft-mx-rollup-directive', [
    "1:1-1:22 \"mx-rollup outlook.com\" | \"mx-rollup outlook.com\" is not a PowerMTA directive (it comes from blog posts); PowerMTA refuses to load a configuration that contains it. Outside a <domain> block it has no meaning either: remove it (queues are shared with \"queue-to\" in a <domain> block, or by MX host in an <mx-rollup-list>).",
  ]);
  assert.equal(applyFix(text, 'microsoft-mx-rollup-directive', { safe: false }), good());
  const blog = 'domain hotmail.com {{ mx-rollup outlook.com }}\n';
  expectShown(blog, 'microsoft-mx-rollup-directive', [
    "1:23-1:44 \"mx-rollup outlook.com\" | \"mx-rollup outlook.com\" is not a PowerMTA directive (it comes from blog posts); PowerMTA refuses to load a configuration that contains it. To put the mail of <domain hotmail.com> into the outlook.com queue, under its connection limits, write \"queue-to outlook.com\".",
  ]);
  assert.deepEqual(lint(blog).filter((f) => f.rule === 'microsoft-mx-rollup-directive')[0].fixes, []);
  assert.deepEqual(shown(blog, 'unknown-directive'), []);
});

// ------------------------------------------------------------------------------------------------
// microsoft-missing-rollup

test('rollup: outlook.com alone: every variant named, one safe fix inserts them after the block', () => {
  const text = `<domain outlook.com>\n${GOOD_BODY}</domain>\n\n<domain *>\n    max-smtp-out 10\n</domain>\n\n${LIST}\n`;
  expectShown(text, 'microsoft-missing-rollup', [
    "1:9-1:20 \"outlook.com\" | 9 Microsoft consumer domains do not share the outlook.com queue and its connection limits: hotmail.com, hotmail.co.uk, hotmail.de, hotmail.fr, live.com, live.co.uk, live.de, msn.com, windowslive.com (9 of the 10 checked: the ten that common advice rolls up and every Microsoft domain this configuration names). Together the Microsoft queues may open up to 94 connections per IP instead of 4. Roll them up with \"queue-to outlook.com\".",
  ]);
  const f = lint(text).find((x) => x.rule === 'microsoft-missing-rollup')!;
  expectList(f.fixes.map((x) => `${x.title}${x.safe ? ' [safe]' : ''}${x.isPreferred ? ' [preferred]' : ''}`), [
    "Roll up 9 domains into the outlook.com queue [safe] [preferred]",
    "Also roll up the 92 other Microsoft consumer domains (one domain-macro and one block)",
  ]);
  const fixed = applyFix(text, 'microsoft-missing-rollup', { safe: true });
  assert.equal(fixed, `<domain outlook.com>\n${GOOD_BODY}</domain>\n\n${rollups()}\n<domain *>\n    max-smtp-out 10\n</domain>\n\n${LIST}\n`);
  assert.deepEqual(lint(fixed), []);
});

test('rollup: the full certain list as a second fix (one macro, one block)', () => {
  const text = good();
  const partial = text.replace('<domain hotmail.de>\n    queue-to outlook.com\n</domain>\n\n', '');
  const fixed = applyFix(partial, 'microsoft-missing-rollup', { fix: 1, safe: false });
  const certain = MICROSOFT_CONSUMER_DOMAINS.filter((d) => d.certainty === 'certain' && !GUIDE_ROLLUP_DOMAINS.includes(d.domain)).map((d) => d.domain);
  assert.equal(certain.length, 92);
  assert.equal(
    fixed,
    partial.replace(
      '</domain>\n\n<domain hotmail.com>',
      `</domain>\n\n<domain hotmail.de>\n    queue-to outlook.com\n</domain>\n\ndomain-macro microsoft_consumer ${certain.join(', ')}\n<domain $microsoft_consumer>\n    queue-to outlook.com\n</domain>\n\n<domain hotmail.com>`,
    ),
  );
  assert.deepEqual(ms(fixed), []);
});

test('rollup: a <domain $macro> with limits is not a rollup; the fix names outlook.com and rolls the macro into it', () => {
  const text = `domain-macro hotmail hotmail.com, outlook.com, live.com, msn.com\n\n<domain $hotmail>\n${GOOD_BODY}</domain>\n\n${LIST}\n`;
  expectShown(text, 'microsoft-missing-rollup', [
    "3:9-3:17 \"$hotmail\" | 9 Microsoft consumer domains do not share the outlook.com queue and its connection limits: hotmail.com, hotmail.co.uk, hotmail.de, hotmail.fr, live.com, live.co.uk, live.de, msn.com, windowslive.com (9 of the 10 checked: the ten that common advice rolls up and every Microsoft domain this configuration names). <domain $hotmail> (line 3) is not a rollup: each of its 4 domains keeps a queue of its own, so its max-smtp-out 4 allows up to 16 connections per IP to Microsoft, not 4. Together the Microsoft queues may open up to 136 connections per IP instead of 4. Roll them up with \"queue-to outlook.com\".",
  ]);
  const fixed = applyFix(text, 'microsoft-missing-rollup', { safe: false, title: 'Roll up 9 domains into the outlook.com queue' });
  expectText(fixed, "domain-macro hotmail hotmail.com, outlook.com, live.com, msn.com\n\n<domain outlook.com>\n    max-smtp-out 4\n    max-connect-rate 30/m\n    max-msg-rate 150/h\n    retry-after 20m\n    smtp-pattern-list microsoft-errors\n    backoff-max-smtp-out 2   # common advice: fewer connections while throttled (RP-002)\n    backoff-retry-after 30m,2h,4h   # common advice: 30m, then 2h (RP-002), then 4h (RP-001) while throttled\n    backoff-max-msg-rate 60/h   # about one message a minute while throttled\n    dkim-sign yes\n</domain>\n\n<domain $hotmail>\n    queue-to outlook.com\n</domain>\n\n<domain hotmail.co.uk>\n    queue-to outlook.com\n</domain>\n\n<domain hotmail.de>\n    queue-to outlook.com\n</domain>\n\n<domain hotmail.fr>\n    queue-to outlook.com\n</domain>\n\n<domain live.co.uk>\n    queue-to outlook.com\n</domain>\n\n<domain live.de>\n    queue-to outlook.com\n</domain>\n\n<domain windowslive.com>\n    queue-to outlook.com\n</domain>\n\n<smtp-pattern-list microsoft-errors>\n    # RP-001: reputation rate limit; common advice: stop, check SNDS, stay slowed for at least 4h\n    reply /RP-001/ mode=backoff,backoff-to-normal-after=4h\n    # RP-002: too much on one connection; common advice: fewer connections, back off 2h\n    reply /RP-002/ mode=backoff,backoff-to-normal-after=2h\n    # RP-003: connection limit; fewer connections, back off 2h\n    reply /RP-003/ mode=backoff,backoff-to-normal-after=2h\n    # 4.7.650: rate limited due to IP reputation (S775); handled like RP-001\n    reply /4\\.7\\.650/ mode=backoff,backoff-to-normal-after=4h\n    # 4.7.651: rate limited due to IP reputation (S3114); handled like RP-001\n    reply /4\\.7\\.651/ mode=backoff,backoff-to-normal-after=4h\n    # 4.7.652: too many simultaneous connections (S3115); fewer connections for 1h\n    reply /4\\.7\\.652|exceeded the maximum number of connections/ mode=backoff,backoff-to-normal-after=1h\n    # msgs-per-connection: too many messages on one connection; lower max-msg-per-connection\n    reply /exceeded (the )?maximum number of messages per connection/ mode=backoff,backoff-to-normal-after=1h\n    # 4.7.500: server busy; common advice: plain retry at retry-after, no backoff\n    reply /4\\.7\\.500 Server busy/ defer-queue\n    # 4.7.500-699/4.7.850-899: Microsoft 365 suspicious-activity throttle; slow down for 1h\n    reply /Access denied, please try again later/ mode=backoff,backoff-to-normal-after=1h\n    # S3150: IP on the Outlook.com block list (5.7.1); request mitigation from Outlook.com sender support\n    reply /part of their network is on our block list|\\(A?S31[45]0\\)/ mode=backoff,backoff-to-normal-after=4h\n    # SC-001/SC-002/SC-003/SC-004: policy blocks (reputation, mining, open relay, complaints); fix, then request mitigation\n    reply /SC-00[1-4]/ mode=backoff,backoff-to-normal-after=4h\n    # OU-001/OU-002: policy blocks (Spamhaus listing, reputation)\n    reply /OU-00[12]/ mode=backoff,backoff-to-normal-after=4h\n    # DY-001/DY-002: dynamic or compromised-looking IP\n    reply /DY-00[12]/ mode=backoff,backoff-to-normal-after=4h\n    # 5.7.606-649: banned sending IP (Microsoft 365); request delisting at sender.office.com\n    reply /5\\.7\\.6(0[6-9]|[1-4][0-9])|banned sending IP/ mode=backoff,backoff-to-normal-after=4h\n    # 5.7.511: banned sending IP (Microsoft 365); delist by mail\n    reply /5\\.7\\.511/ mode=backoff,backoff-to-normal-after=4h\n    # 5.7.515: bulk sender without SPF+DKIM+DMARC; fix DNS, do not suppress recipients\n    reply /5\\.7\\.515|required authentication level/ mode=backoff,backoff-to-normal-after=1h\n    # 5.7.509: DMARC failure with p=reject; fix SPF/DKIM alignment\n    reply /5\\.7\\.509|does not pass DMARC/ mode=backoff,backoff-to-normal-after=1h\n    # 5.7.510: IPv6 not accepted; deliver to Microsoft over IPv4\n    reply /5\\.7\\.510|does not accept email over IPv6/ mode=backoff,backoff-to-normal-after=1h\n</smtp-pattern-list>\n");
  assert.deepEqual(ms(fixed), []);
});

test('rollup: a macro without limits gets queue-to when the queue has its own block; a mixed macro gets explicit blocks', () => {
  const macro = `domain-macro ms hotmail.de, hotmail.fr\n` + good().replace('<domain hotmail.de>\n    queue-to outlook.com\n</domain>\n\n<domain hotmail.fr>\n    queue-to outlook.com\n</domain>\n\n', '<domain $ms>\n    dkim-sign yes\n</domain>\n\n');
  expectShown(macro, 'microsoft-missing-rollup', [
    "2:9-2:20 \"outlook.com\" | 2 Microsoft consumer domains do not share the outlook.com queue and its connection limits: hotmail.de, hotmail.fr (2 of the 10 checked: the ten that common advice rolls up and every Microsoft domain this configuration names). <domain $ms> (line 22) is not a rollup: each of its 2 domains keeps a queue of its own, so its max-smtp-out 20 allows up to 40 connections per IP to Microsoft, not 20. Together the Microsoft queues may open up to 44 connections per IP instead of 4. Roll them up with \"queue-to outlook.com\".",
  ]);
  const fixed = applyFix(macro, 'microsoft-missing-rollup', { safe: true });
  assert.equal(fixed, macro.replace('<domain $ms>\n    dkim-sign yes\n', '<domain $ms>\n    dkim-sign yes\n    queue-to outlook.com\n'));
  const mixed = macro.replace('hotmail.de, hotmail.fr', 'hotmail.de, hotmail.fr, gmail.com');
  const fixed2 = applyFix(mixed, 'microsoft-missing-rollup', { safe: true });
  assert.equal(fixed2, mixed.replace('\n\n<domain hotmail.com>', '\n\n<domain hotmail.de>\n    queue-to outlook.com\n</domain>\n\n<domain hotmail.fr>\n    queue-to outlook.com\n</domain>\n\n<domain hotmail.com>'));
});

test('rollup: a variant block with limits of its own: queue-to added, its limits removed, after review', () => {
  const text = good().replace('<domain live.com>\n    queue-to outlook.com\n', '<domain live.com>\n    max-smtp-out 8\n    retry-after 5m\n');
  expectShown(text, 'microsoft-missing-rollup', [
    "1:9-1:20 \"outlook.com\" | A Microsoft consumer domain does not share the outlook.com queue and its connection limits: live.com (1 of the 10 checked: the ten that common advice rolls up and every Microsoft domain this configuration names). Together the Microsoft queues may open up to 12 connections per IP instead of 4. Roll them up with \"queue-to outlook.com\".",
  ]);
  const fixed = applyFix(text, 'microsoft-missing-rollup', { safe: false });
  assert.equal(fixed, good());
});

test('rollup: only variants — the file\'s queue is a variant; a second fix makes outlook.com the queue', () => {
  const text = `<domain hotmail.com>\n${GOOD_BODY}</domain>\n\n<domain live.com>\n    queue-to hotmail.com\n</domain>\n\n${LIST}\n`;
  expectShown(text, 'microsoft-missing-rollup', [
    "1:9-1:20 \"hotmail.com\" | 8 Microsoft consumer domains do not share the hotmail.com queue and its connection limits: outlook.com, hotmail.co.uk, hotmail.de, hotmail.fr, live.co.uk, live.de, msn.com, windowslive.com (8 of the 10 checked: the ten that common advice rolls up and every Microsoft domain this configuration names). Together the Microsoft queues may open up to 164 connections per IP instead of 4. Roll them up with \"queue-to hotmail.com\".",
  ]);
  const f = lint(text).find((x) => x.rule === 'microsoft-missing-rollup')!;
  expectList(f.fixes.map((x) => x.title), [
    "Roll up 8 domains into the hotmail.com queue",
    "Use outlook.com as the shared queue instead of hotmail.com",
    "Also roll up the 92 other Microsoft consumer domains (one domain-macro and one block)",
  ]);
  const viaHotmail = applyFix(text, 'microsoft-missing-rollup', { safe: true });
  expectText(viaHotmail, "<domain hotmail.com>\n    max-smtp-out 4\n    max-connect-rate 30/m\n    max-msg-rate 150/h\n    retry-after 20m\n    smtp-pattern-list microsoft-errors\n    backoff-max-smtp-out 2   # common advice: fewer connections while throttled (RP-002)\n    backoff-retry-after 30m,2h,4h   # common advice: 30m, then 2h (RP-002), then 4h (RP-001) while throttled\n    backoff-max-msg-rate 60/h   # about one message a minute while throttled\n    dkim-sign yes\n</domain>\n\n<domain outlook.com>\n    queue-to hotmail.com\n</domain>\n\n<domain hotmail.co.uk>\n    queue-to hotmail.com\n</domain>\n\n<domain hotmail.de>\n    queue-to hotmail.com\n</domain>\n\n<domain hotmail.fr>\n    queue-to hotmail.com\n</domain>\n\n<domain live.co.uk>\n    queue-to hotmail.com\n</domain>\n\n<domain live.de>\n    queue-to hotmail.com\n</domain>\n\n<domain msn.com>\n    queue-to hotmail.com\n</domain>\n\n<domain windowslive.com>\n    queue-to hotmail.com\n</domain>\n\n<domain live.com>\n    queue-to hotmail.com\n</domain>\n\n<smtp-pattern-list microsoft-errors>\n    # RP-001: reputation rate limit; common advice: stop, check SNDS, stay slowed for at least 4h\n    reply /RP-001/ mode=backoff,backoff-to-normal-after=4h\n    # RP-002: too much on one connection; common advice: fewer connections, back off 2h\n    reply /RP-002/ mode=backoff,backoff-to-normal-after=2h\n    # RP-003: connection limit; fewer connections, back off 2h\n    reply /RP-003/ mode=backoff,backoff-to-normal-after=2h\n    # 4.7.650: rate limited due to IP reputation (S775); handled like RP-001\n    reply /4\\.7\\.650/ mode=backoff,backoff-to-normal-after=4h\n    # 4.7.651: rate limited due to IP reputation (S3114); handled like RP-001\n    reply /4\\.7\\.651/ mode=backoff,backoff-to-normal-after=4h\n    # 4.7.652: too many simultaneous connections (S3115); fewer connections for 1h\n    reply /4\\.7\\.652|exceeded the maximum number of connections/ mode=backoff,backoff-to-normal-after=1h\n    # msgs-per-connection: too many messages on one connection; lower max-msg-per-connection\n    reply /exceeded (the )?maximum number of messages per connection/ mode=backoff,backoff-to-normal-after=1h\n    # 4.7.500: server busy; common advice: plain retry at retry-after, no backoff\n    reply /4\\.7\\.500 Server busy/ defer-queue\n    # 4.7.500-699/4.7.850-899: Microsoft 365 suspicious-activity throttle; slow down for 1h\n    reply /Access denied, please try again later/ mode=backoff,backoff-to-normal-after=1h\n    # S3150: IP on the Outlook.com block list (5.7.1); request mitigation from Outlook.com sender support\n    reply /part of their network is on our block list|\\(A?S31[45]0\\)/ mode=backoff,backoff-to-normal-after=4h\n    # SC-001/SC-002/SC-003/SC-004: policy blocks (reputation, mining, open relay, complaints); fix, then request mitigation\n    reply /SC-00[1-4]/ mode=backoff,backoff-to-normal-after=4h\n    # OU-001/OU-002: policy blocks (Spamhaus listing, reputation)\n    reply /OU-00[12]/ mode=backoff,backoff-to-normal-after=4h\n    # DY-001/DY-002: dynamic or compromised-looking IP\n    reply /DY-00[12]/ mode=backoff,backoff-to-normal-after=4h\n    # 5.7.606-649: banned sending IP (Microsoft 365); request delisting at sender.office.com\n    reply /5\\.7\\.6(0[6-9]|[1-4][0-9])|banned sending IP/ mode=backoff,backoff-to-normal-after=4h\n    # 5.7.511: banned sending IP (Microsoft 365); delist by mail\n    reply /5\\.7\\.511/ mode=backoff,backoff-to-normal-after=4h\n    # 5.7.515: bulk sender without SPF+DKIM+DMARC; fix DNS, do not suppress recipients\n    reply /5\\.7\\.515|required authentication level/ mode=backoff,backoff-to-normal-after=1h\n    # 5.7.509: DMARC failure with p=reject; fix SPF/DKIM alignment\n    reply /5\\.7\\.509|does not pass DMARC/ mode=backoff,backoff-to-normal-after=1h\n    # 5.7.510: IPv6 not accepted; deliver to Microsoft over IPv4\n    reply /5\\.7\\.510|does not accept email over IPv6/ mode=backoff,backoff-to-normal-after=1h\n</smtp-pattern-list>\n");
  const viaOutlook = applyFix(text, 'microsoft-missing-rollup', { fix: 1, safe: false, title: 'Use outlook.com as the shared queue instead of hotmail.com' });
  expectText(viaOutlook, "<domain outlook.com>\n    max-smtp-out 4\n    max-connect-rate 30/m\n    max-msg-rate 150/h\n    retry-after 20m\n    smtp-pattern-list microsoft-errors\n    backoff-max-smtp-out 2   # common advice: fewer connections while throttled (RP-002)\n    backoff-retry-after 30m,2h,4h   # common advice: 30m, then 2h (RP-002), then 4h (RP-001) while throttled\n    backoff-max-msg-rate 60/h   # about one message a minute while throttled\n    dkim-sign yes\n</domain>\n\n<domain hotmail.com>\n    queue-to outlook.com\n</domain>\n\n<domain hotmail.co.uk>\n    queue-to outlook.com\n</domain>\n\n<domain hotmail.de>\n    queue-to outlook.com\n</domain>\n\n<domain hotmail.fr>\n    queue-to outlook.com\n</domain>\n\n<domain live.co.uk>\n    queue-to outlook.com\n</domain>\n\n<domain live.de>\n    queue-to outlook.com\n</domain>\n\n<domain msn.com>\n    queue-to outlook.com\n</domain>\n\n<domain windowslive.com>\n    queue-to outlook.com\n</domain>\n\n<domain live.com>\n    queue-to outlook.com\n</domain>\n\n<smtp-pattern-list microsoft-errors>\n    # RP-001: reputation rate limit; common advice: stop, check SNDS, stay slowed for at least 4h\n    reply /RP-001/ mode=backoff,backoff-to-normal-after=4h\n    # RP-002: too much on one connection; common advice: fewer connections, back off 2h\n    reply /RP-002/ mode=backoff,backoff-to-normal-after=2h\n    # RP-003: connection limit; fewer connections, back off 2h\n    reply /RP-003/ mode=backoff,backoff-to-normal-after=2h\n    # 4.7.650: rate limited due to IP reputation (S775); handled like RP-001\n    reply /4\\.7\\.650/ mode=backoff,backoff-to-normal-after=4h\n    # 4.7.651: rate limited due to IP reputation (S3114); handled like RP-001\n    reply /4\\.7\\.651/ mode=backoff,backoff-to-normal-after=4h\n    # 4.7.652: too many simultaneous connections (S3115); fewer connections for 1h\n    reply /4\\.7\\.652|exceeded the maximum number of connections/ mode=backoff,backoff-to-normal-after=1h\n    # msgs-per-connection: too many messages on one connection; lower max-msg-per-connection\n    reply /exceeded (the )?maximum number of messages per connection/ mode=backoff,backoff-to-normal-after=1h\n    # 4.7.500: server busy; common advice: plain retry at retry-after, no backoff\n    reply /4\\.7\\.500 Server busy/ defer-queue\n    # 4.7.500-699/4.7.850-899: Microsoft 365 suspicious-activity throttle; slow down for 1h\n    reply /Access denied, please try again later/ mode=backoff,backoff-to-normal-after=1h\n    # S3150: IP on the Outlook.com block list (5.7.1); request mitigation from Outlook.com sender support\n    reply /part of their network is on our block list|\\(A?S31[45]0\\)/ mode=backoff,backoff-to-normal-after=4h\n    # SC-001/SC-002/SC-003/SC-004: policy blocks (reputation, mining, open relay, complaints); fix, then request mitigation\n    reply /SC-00[1-4]/ mode=backoff,backoff-to-normal-after=4h\n    # OU-001/OU-002: policy blocks (Spamhaus listing, reputation)\n    reply /OU-00[12]/ mode=backoff,backoff-to-normal-after=4h\n    # DY-001/DY-002: dynamic or compromised-looking IP\n    reply /DY-00[12]/ mode=backoff,backoff-to-normal-after=4h\n    # 5.7.606-649: banned sending IP (Microsoft 365); request delisting at sender.office.com\n    reply /5\\.7\\.6(0[6-9]|[1-4][0-9])|banned sending IP/ mode=backoff,backoff-to-normal-after=4h\n    # 5.7.511: banned sending IP (Microsoft 365); delist by mail\n    reply /5\\.7\\.511/ mode=backoff,backoff-to-normal-after=4h\n    # 5.7.515: bulk sender without SPF+DKIM+DMARC; fix DNS, do not suppress recipients\n    reply /5\\.7\\.515|required authentication level/ mode=backoff,backoff-to-normal-after=1h\n    # 5.7.509: DMARC failure with p=reject; fix SPF/DKIM alignment\n    reply /5\\.7\\.509|does not pass DMARC/ mode=backoff,backoff-to-normal-after=1h\n    # 5.7.510: IPv6 not accepted; deliver to Microsoft over IPv4\n    reply /5\\.7\\.510|does not accept email over IPv6/ mode=backoff,backoff-to-normal-after=1h\n</smtp-pattern-list>\n");
  assert.deepEqual(ms(viaOutlook), []);
});

test('rollup: variants queue into outlook.com but it has no block — the fix adds a complete one', () => {
  const text = `<domain *>\n    max-smtp-out 20\n</domain>\n\n${rollups()}`;
  expectShown(text, 'microsoft-missing-rollup', [
    "6:14-6:25 \"outlook.com\" | Microsoft mail goes into the outlook.com queue, but no <domain outlook.com> block sets its limits, so it runs with <domain *> and PowerMTA's defaults (max-smtp-out 20).",
  ]);
  const fixed = applyFix(text, 'microsoft-missing-rollup', { safe: true, title: 'Add <domain outlook.com> with the recommended Microsoft settings' });
  expectText(fixed, "<domain *>\n    max-smtp-out 20\n</domain>\n\n<domain hotmail.com>\n    queue-to outlook.com\n</domain>\n\n<domain hotmail.co.uk>\n    queue-to outlook.com\n</domain>\n\n<domain hotmail.de>\n    queue-to outlook.com\n</domain>\n\n<domain hotmail.fr>\n    queue-to outlook.com\n</domain>\n\n<domain live.com>\n    queue-to outlook.com\n</domain>\n\n<domain live.co.uk>\n    queue-to outlook.com\n</domain>\n\n<domain live.de>\n    queue-to outlook.com\n</domain>\n\n<domain msn.com>\n    queue-to outlook.com\n</domain>\n\n<domain windowslive.com>\n    queue-to outlook.com\n</domain>\n\n<smtp-pattern-list microsoft-errors>\n    # RP-001: reputation rate limit; common advice: stop, check SNDS, stay slowed for at least 4h\n    reply /RP-001/ mode=backoff,backoff-to-normal-after=4h\n    # RP-002: too much on one connection; common advice: fewer connections, back off 2h\n    reply /RP-002/ mode=backoff,backoff-to-normal-after=2h\n    # RP-003: connection limit; fewer connections, back off 2h\n    reply /RP-003/ mode=backoff,backoff-to-normal-after=2h\n    # 4.7.650: rate limited due to IP reputation (S775); handled like RP-001\n    reply /4\\.7\\.650/ mode=backoff,backoff-to-normal-after=4h\n    # 4.7.651: rate limited due to IP reputation (S3114); handled like RP-001\n    reply /4\\.7\\.651/ mode=backoff,backoff-to-normal-after=4h\n    # 4.7.652: too many simultaneous connections (S3115); fewer connections for 1h\n    reply /4\\.7\\.652|exceeded the maximum number of connections/ mode=backoff,backoff-to-normal-after=1h\n    # msgs-per-connection: too many messages on one connection; lower max-msg-per-connection\n    reply /exceeded (the )?maximum number of messages per connection/ mode=backoff,backoff-to-normal-after=1h\n    # 4.7.500: server busy; common advice: plain retry at retry-after, no backoff\n    reply /4\\.7\\.500 Server busy/ defer-queue\n    # 4.7.500-699/4.7.850-899: Microsoft 365 suspicious-activity throttle; slow down for 1h\n    reply /Access denied, please try again later/ mode=backoff,backoff-to-normal-after=1h\n    # S3150: IP on the Outlook.com block list (5.7.1); request mitigation from Outlook.com sender support\n    reply /part of their network is on our block list|\\(A?S31[45]0\\)/ mode=backoff,backoff-to-normal-after=4h\n    # SC-001/SC-002/SC-003/SC-004: policy blocks (reputation, mining, open relay, complaints); fix, then request mitigation\n    reply /SC-00[1-4]/ mode=backoff,backoff-to-normal-after=4h\n    # OU-001/OU-002: policy blocks (Spamhaus listing, reputation)\n    reply /OU-00[12]/ mode=backoff,backoff-to-normal-after=4h\n    # DY-001/DY-002: dynamic or compromised-looking IP\n    reply /DY-00[12]/ mode=backoff,backoff-to-normal-after=4h\n    # 5.7.606-649: banned sending IP (Microsoft 365); request delisting at sender.office.com\n    reply /5\\.7\\.6(0[6-9]|[1-4][0-9])|banned sending IP/ mode=backoff,backoff-to-normal-after=4h\n    # 5.7.511: banned sending IP (Microsoft 365); delist by mail\n    reply /5\\.7\\.511/ mode=backoff,backoff-to-normal-after=4h\n    # 5.7.515: bulk sender without SPF+DKIM+DMARC; fix DNS, do not suppress recipients\n    reply /5\\.7\\.515|required authentication level/ mode=backoff,backoff-to-normal-after=1h\n    # 5.7.509: DMARC failure with p=reject; fix SPF/DKIM alignment\n    reply /5\\.7\\.509|does not pass DMARC/ mode=backoff,backoff-to-normal-after=1h\n    # 5.7.510: IPv6 not accepted; deliver to Microsoft over IPv4\n    reply /5\\.7\\.510|does not accept email over IPv6/ mode=backoff,backoff-to-normal-after=1h\n</smtp-pattern-list>\n\n<domain outlook.com>\n    max-smtp-out 4\n    max-connect-rate 30/m\n    max-msg-rate 150/h\n    retry-after 20m\n    smtp-pattern-list microsoft-errors\n    backoff-max-smtp-out 2   # common advice: fewer connections while throttled (RP-002)\n    backoff-retry-after 30m,2h,4h   # common advice: 30m, then 2h (RP-002), then 4h (RP-001) while throttled\n    backoff-max-msg-rate 60/h   # about one message a minute while throttled\n    dkim-sign yes\n</domain>\n");
  assert.deepEqual(lint(fixed), []);
});

test('rollup: <mx-rollup-list> covering the consumer MX hosts rolls every domain up; a wildcard [*.]x block counts', () => {
  const mx = `<mx-rollup-list>\n    mx *.olc.protection.outlook.com outlook.rollup\n</mx-rollup-list>\n\n<domain outlook.rollup>\n${GOOD_BODY}</domain>\n\n${LIST}\n`;
  assert.deepEqual(lint(mx), []);
  // a pattern that misses the consumer hosts is not a rollup
  const wrong = mx.replace('*.olc.protection.outlook.com', '*.hotmail.com');
  assert.deepEqual(ms(wrong), []);
  // an explicit queue-to elsewhere wins over the MX rollup
  const elsewhere = mx + '\n<domain msn.com>\n    queue-to msn.queue\n</domain>\n';
  expectShown(elsewhere, 'microsoft-missing-rollup', [
    "5:9-5:23 \"outlook.rollup\" | A Microsoft consumer domain does not share the outlook.rollup queue and its connection limits: msn.com (1 of the 10 checked: the ten that common advice rolls up and every Microsoft domain this configuration names). Together the Microsoft queues may open up to 24 connections per IP instead of 4. Roll them up with \"queue-to outlook.rollup\".",
  ]);
  const wild = good().replace('<domain hotmail.co.uk>', '<domain [*.]hotmail.co.uk>');
  assert.deepEqual(ms(wild), []);
});

test('rollup: the fix keeps CRLF line ends and tab indentation', () => {
  const text = `<domain outlook.com>\r\n${GOOD_BODY.replaceAll('    ', '\t')}</domain>\r\n${LIST.replaceAll('    ', '\t')}\r\n`.replace(/\r?\n/g, '\r\n');
  const fixed = applyFix(text, 'microsoft-missing-rollup', { safe: true });
  const blocks = VARIANTS.map((d) => `<domain ${d}>\r\n\tqueue-to outlook.com\r\n</domain>`).join('\r\n\r\n');
  assert.equal(fixed, text.replace('</domain>\r\n<smtp-pattern-list', `</domain>\r\n\r\n${blocks}\r\n<smtp-pattern-list`));
});

// ------------------------------------------------------------------------------------------------
// microsoft-unsafe-limit

const LOOSE = '    max-smtp-out 10\n    max-connect-rate 2/s\n    max-msg-rate 500/h\n    retry-after 5m,10m,1h\n';
const REST = '    smtp-pattern-list microsoft-errors\n' + BACKOFF + '\n    dkim-sign yes\n';

test('unsafe-limit: values above the tier, at the value, each with a fix to the tier\'s value', () => {
  const text = good(LOOSE + REST);
  expectShown(text, 'microsoft-unsafe-limit', [
    "2:18-2:20 \"10\" | max-smtp-out 10 is above 4, the recommended value for the under-100k tier (common advice, not a limit Microsoft publishes; tier assumed: no pool found for Microsoft mail, so the most conservative tier applies). Declare the volume with \"# pmta-lint: microsoft-tier=100k-500k\" (or under-100k, 500k-plus).",
    "3:22-3:25 \"2/s\" | max-connect-rate 2/s (7200/h) is above 30/m (1800/h), the recommended value for the under-100k tier (common advice, not a limit Microsoft publishes; tier assumed: no pool found for Microsoft mail, so the most conservative tier applies). Declare the volume with \"# pmta-lint: microsoft-tier=100k-500k\" (or under-100k, 500k-plus).",
    "4:18-4:23 \"500/h\" | max-msg-rate 500/h is above 150/h, the recommended value for the under-100k tier (common advice, not a limit Microsoft publishes; tier assumed: no pool found for Microsoft mail, so the most conservative tier applies). Declare the volume with \"# pmta-lint: microsoft-tier=100k-500k\" (or under-100k, 500k-plus).",
    "5:17-5:26 \"5m,10m,1h\" | retry-after 5m,10m,1h retries sooner than 20m, the recommended value for the under-100k tier (common advice, not a limit Microsoft publishes; tier assumed: no pool found for Microsoft mail, so the most conservative tier applies). Declare the volume with \"# pmta-lint: microsoft-tier=100k-500k\" (or under-100k, 500k-plus).",
  ]);
  assert.equal(applyFix(text, 'microsoft-unsafe-limit', { index: 0, safe: true, title: 'Set max-smtp-out to 4' }), good(LOOSE.replace('10', '4') + REST));
  assert.equal(applyFix(text, 'microsoft-unsafe-limit', { index: 1, safe: true }), good(LOOSE.replace('2/s', '30/m') + REST));
  assert.equal(applyFix(text, 'microsoft-unsafe-limit', { index: 2, safe: true }), good(LOOSE.replace('500/h', '150/h') + REST));
  assert.equal(applyFix(text, 'microsoft-unsafe-limit', { index: 3, safe: true, title: 'Set retry-after to 20m,20m,1h' }), good(LOOSE.replace('5m,10m,1h', '20m,20m,1h') + REST));
});

test('unsafe-limit: rates compare after normalising units', () => {
  const same = good('    max-smtp-out 4\n    max-connect-rate 1/2s\n    max-msg-rate 2/m\n    retry-after 30m,1h\n' + REST);
  assert.deepEqual(ms(same), []);
  const over = good('    max-smtp-out 3\n    max-connect-rate 31/m\n    max-msg-rate 3/m\n    retry-after 20m\n' + REST);
  expectShown(over, 'microsoft-unsafe-limit', [
    "3:22-3:26 \"31/m\" | max-connect-rate 31/m (1860/h) is above 30/m (1800/h), the recommended value for the under-100k tier (common advice, not a limit Microsoft publishes; tier assumed: no pool found for Microsoft mail, so the most conservative tier applies). Declare the volume with \"# pmta-lint: microsoft-tier=100k-500k\" (or under-100k, 500k-plus).",
    "4:18-4:21 \"3/m\" | max-msg-rate 3/m (180/h) is above 150/h, the recommended value for the under-100k tier (common advice, not a limit Microsoft publishes; tier assumed: no pool found for Microsoft mail, so the most conservative tier applies). Declare the volume with \"# pmta-lint: microsoft-tier=100k-500k\" (or under-100k, 500k-plus).",
  ]);
});

test('unsafe-limit: unset limits are judged by PowerMTA\'s defaults or by <domain *>, and fixed in the Microsoft block', () => {
  const text = good(REST, '\n<domain *>\n    max-smtp-out 20\n</domain>\n');
  expectShown(text, 'microsoft-unsafe-limit', [
    "1:9-1:20 \"outlook.com\" | The outlook.com queue takes max-smtp-out 20 from <domain *> (line 85), which is above 4, the recommended value for the under-100k tier (common advice, not a limit Microsoft publishes; tier assumed: no pool found for Microsoft mail, so the most conservative tier applies). Declare the volume with \"# pmta-lint: microsoft-tier=100k-500k\" (or under-100k, 500k-plus).",
    "1:9-1:20 \"outlook.com\" | max-connect-rate is not set for the outlook.com queue, so PowerMTA does not limit it (default unlimited); recommended: 30/m (1800/h), the recommended value for the under-100k tier (common advice, not a limit Microsoft publishes; tier assumed: no pool found for Microsoft mail, so the most conservative tier applies). Declare the volume with \"# pmta-lint: microsoft-tier=100k-500k\" (or under-100k, 500k-plus).",
    "1:9-1:20 \"outlook.com\" | max-msg-rate is not set for the outlook.com queue, so PowerMTA does not limit it (default unlimited); recommended: 150/h, the recommended value for the under-100k tier (common advice, not a limit Microsoft publishes; tier assumed: no pool found for Microsoft mail, so the most conservative tier applies). Declare the volume with \"# pmta-lint: microsoft-tier=100k-500k\" (or under-100k, 500k-plus).",
    "1:9-1:20 \"outlook.com\" | retry-after is not set for the outlook.com queue, so PowerMTA's default 10m applies, which retries sooner than 20m, the recommended value for the under-100k tier (common advice, not a limit Microsoft publishes; tier assumed: no pool found for Microsoft mail, so the most conservative tier applies). Declare the volume with \"# pmta-lint: microsoft-tier=100k-500k\" (or under-100k, 500k-plus).",
  ]);
  const fixed = applyFix(text, 'microsoft-unsafe-limit', { index: 0, safe: true, title: 'Add "max-smtp-out 4" to <domain outlook.com>' });
  assert.equal(fixed, good(REST + '    max-smtp-out 4\n', '\n<domain *>\n    max-smtp-out 20\n</domain>\n'));
});

test('unsafe-limit: the guide\'s max-conn-rate is ignored by PowerMTA; the fix renames it and sets the value', () => {
  const text = good(LIMITS.replace('max-connect-rate 30/m', 'max-conn-rate 0.5/s') + REST);
  expectShown(text, 'microsoft-unsafe-limit', [
    "3:5-3:24 \"max-conn-rate 0.5/s\" | max-connect-rate is not set for the outlook.com queue: \"max-conn-rate 0.5/s\" is not a PowerMTA directive and is ignored, so new connections are not limited. Recommended: max-connect-rate 30/m (1800/h), the recommended value for the under-100k tier (common advice, not a limit Microsoft publishes; tier assumed: no pool found for Microsoft mail, so the most conservative tier applies). Declare the volume with \"# pmta-lint: microsoft-tier=100k-500k\" (or under-100k, 500k-plus).",
  ]);
  assert.deepEqual(shown(text, 'unknown-directive').length, 1);
  assert.equal(applyFix(text, 'microsoft-unsafe-limit', { safe: true, title: 'Change to "max-connect-rate 30/m"' }), good());
});

test('unsafe-limit: the tier comes from the annotation, then the setting, then the pool size', () => {
  const body = LIMITS.replace('max-smtp-out 4', 'max-smtp-out 5').replace('30/m', '1/s').replace('150/h', '200/h') + REST;
  const text = good(body);
  // auto, no pool: the most conservative tier
  assert.equal(shown(text, 'microsoft-unsafe-limit').length, 3);
  // annotation
  assert.deepEqual(ms('# pmta-lint: microsoft-tier=100k-500k\n' + text), []);
  // setting
  assert.deepEqual(ms(text, { microsoft: { volumeTier: '100k-500k' } }), []);
  // the annotation wins over the setting; "auto" in the annotation ignores the setting
  assert.equal(ms('# pmta-lint: microsoft-tier=under-100k\n' + text, { microsoft: { volumeTier: '500k-plus' } }).length, 3);
  assert.equal(ms('# pmta-lint: microsoft-tier=auto\n' + text, { microsoft: { volumeTier: '500k-plus' } }).length, 3);
  // a pool of 6 virtual MTAs (named by default-virtual-mta) means the 500k-plus tier
  const vmtas = [1, 2, 3, 4, 5, 6].map((i) => `<virtual-mta v${i}>\n    smtp-source-host 192.0.2.${i} v${i}.example.com\n</virtual-mta>\n`).join('');
  const pool = `${vmtas}<virtual-mta-pool ms-pool>\n${[1, 2, 3, 4, 5, 6].map((i) => `    virtual-mta v${i}\n`).join('')}</virtual-mta-pool>\n<source 0/0>\n    default-virtual-mta ms-pool\n</source>\n`;
  assert.deepEqual(ms(text + pool), []);
  const five = (text + pool).replace('    virtual-mta v6\n', '');
  expectShown(five, 'microsoft-unsafe-limit', [
    "2:18-2:19 \"5\" | max-smtp-out 5 is above 4, the recommended value for the under-100k tier (common advice, not a limit Microsoft publishes; tier assumed: pool ms-pool has 5 virtual MTAs, too few to tell the volume, so the most conservative tier applies). Declare the volume with \"# pmta-lint: microsoft-tier=100k-500k\" (or under-100k, 500k-plus).",
    "3:22-3:25 \"1/s\" | max-connect-rate 1/s (3600/h) is above 30/m (1800/h), the recommended value for the under-100k tier (common advice, not a limit Microsoft publishes; tier assumed: pool ms-pool has 5 virtual MTAs, too few to tell the volume, so the most conservative tier applies). Declare the volume with \"# pmta-lint: microsoft-tier=100k-500k\" (or under-100k, 500k-plus).",
    "4:18-4:23 \"200/h\" | max-msg-rate 200/h is above 150/h, the recommended value for the under-100k tier (common advice, not a limit Microsoft publishes; tier assumed: pool ms-pool has 5 virtual MTAs, too few to tell the volume, so the most conservative tier applies). Declare the volume with \"# pmta-lint: microsoft-tier=100k-500k\" (or under-100k, 500k-plus).",
  ]);
  // an unknown tier in the annotation is the annotation rule's to report, not this rule's
  expectShown('# pmta-lint: microsoft-tier=huge\n' + good(), 'microsoft-unsafe-limit', []);
});

test('unsafe-limit: a Microsoft block nested in a pool takes that pool\'s size', () => {
  const vmtas = [1, 2, 3, 4, 5, 6, 7].map((i) => `<virtual-mta v${i}>\n    smtp-source-host 192.0.2.${i} v${i}.example.com\n</virtual-mta>\n`).join('');
  const nested = `${vmtas}<virtual-mta-pool big>\n${[1, 2, 3, 4, 5, 6, 7].map((i) => `    virtual-mta v${i}\n`).join('')}    <domain outlook.com>\n        max-smtp-out 6\n        max-connect-rate 1/s\n        max-msg-rate 250/h\n        retry-after 15m\n        smtp-pattern-list microsoft-errors\n${BACKOFF.replaceAll('    ', '        ')}\n        dkim-sign yes\n    </domain>\n</virtual-mta-pool>\n\n${rollups()}\n${LIST}\n`;
  assert.deepEqual(lint(nested), []);
});

// ------------------------------------------------------------------------------------------------
// microsoft-connection-budget

function poolOf(n: number, name = 'ms-pool', cap?: number): string {
  const vmtas = Array.from({ length: n }, (_, i) => `<virtual-mta v${i + 1}>\n    smtp-source-host 192.0.2.${i + 1} v${i + 1}.example.com\n${cap ? `    max-smtp-out ${cap}\n` : ''}</virtual-mta>\n`).join('');
  return `${vmtas}<virtual-mta-pool ${name}>\n${Array.from({ length: n }, (_, i) => `    virtual-mta v${i + 1}\n`).join('')}</virtual-mta-pool>\n<source 0/0>\n    default-virtual-mta ${name}\n</source>\n`;
}

const TOP_TIER = '    max-smtp-out 6\n    max-connect-rate 1/s\n    max-msg-rate 250/h\n    retry-after 15m\n' + REST;

test('connection budget: pool size × max-smtp-out above 60; the fix lowers max-smtp-out to fit', () => {
  assert.deepEqual(lint(good(TOP_TIER, poolOf(10))), []); // the guide's own example: 10 × 6 = 60
  const text = good(TOP_TIER, poolOf(12));
  expectShown(text, 'microsoft-connection-budget', [
    "2:18-2:19 \"6\" | The outlook.com queue may open pool ms-pool (12 virtual MTAs) × max-smtp-out 6 (<domain outlook.com>, line 2) = 72 simultaneous connections to Microsoft, more than 60, the budget common advice gives (10 IPs × 6, from a widely copied PowerMTA guide). It is not a Microsoft limit: the only connection figure Microsoft publishes is its policy of at most 500 simultaneous connections to Outlook.com. max-smtp-out 5 keeps it within the budget.",
  ]);
  assert.deepEqual(shown(text, 'microsoft-unsafe-limit'), []);
  const fixed = applyFix(text, 'microsoft-connection-budget', { safe: true, title: 'Set max-smtp-out to 5' });
  assert.equal(fixed, good(TOP_TIER.replace('max-smtp-out 6', 'max-smtp-out 5'), poolOf(12)));
  assert.deepEqual(lint(fixed), []);
});

test('connection budget: members\' own max-smtp-out caps count; a huge pool gets no fix', () => {
  assert.deepEqual(ms(good(TOP_TIER, poolOf(12, 'ms-pool', 4))), []); // 12 × min(6, 4) = 48
  const huge = good('    max-smtp-out 1\n    max-connect-rate 1/s\n    max-msg-rate 250/h\n    retry-after 15m\n' + REST, poolOf(61));
  const f = lint(huge).filter((x) => x.rule === 'microsoft-connection-budget');
  assert.equal(f.length, 1);
  assert.deepEqual(f[0].fixes, []);
  assert.match(f[0].message, /= 61 simultaneous connections.*Even one connection per virtual MTA exceeds it/);
});

test('connection budget and unsafe limit agree on the value when both apply', () => {
  const text = good(TOP_TIER.replace('max-smtp-out 6', 'max-smtp-out 10'), poolOf(12));
  const a = applyFix(text, 'microsoft-unsafe-limit', { safe: true, title: 'Set max-smtp-out to 5' });
  const b = applyFix(text, 'microsoft-connection-budget', { safe: true, title: 'Set max-smtp-out to 5' });
  assert.equal(a, b);
  assert.deepEqual(lint(a), []);
});

// ------------------------------------------------------------------------------------------------
// pattern lists

const NO_LIST = LIMITS + '    dkim-sign yes\n';

test('missing pattern list: the fix adds the list before the block, attaches it and adds the backoff directives', () => {
  const text = `# Microsoft\n<domain outlook.com>\n${NO_LIST}</domain>\n\n${rollups()}`;
  expectShown(text, 'microsoft-missing-pattern-list', [
    "2:9-2:20 \"outlook.com\" | The outlook.com queue has no smtp-pattern-list (none in its block or in <domain *>), so Microsoft's throttling and blocking replies (RP-001, RP-002, 4.7.650, 5.7.606 ...) are treated as ordinary failures and the queue keeps sending at full speed. Common advice is to back off instead: 4h after RP-001, 2h with fewer connections after RP-002.",
  ]);
  const fixed = applyFix(text, 'microsoft-missing-pattern-list', { safe: true, title: 'Add the microsoft-errors pattern list (18 rules) and attach it to <domain outlook.com>' });
  assert.equal(fixed, `# Microsoft\n${LIST}\n\n<domain outlook.com>\n${NO_LIST}    smtp-pattern-list microsoft-errors\n${BACKOFF}\n</domain>\n\n${rollups()}`);
  assert.deepEqual(lint(fixed), []);
});

test('missing pattern list: a list attached in <domain *> counts; a list named microsoft-errors is reused', () => {
  const star = `<domain outlook.com>\n${NO_LIST}${BACKOFF}\n</domain>\n\n${rollups()}\n<domain *>\n    smtp-pattern-list microsoft-errors\n</domain>\n\n${LIST}\n`;
  assert.deepEqual(lint(star), []);
  const unattached = `<domain outlook.com>\n${NO_LIST}</domain>\n\n${rollups()}\n${LIST}\n`;
  const fixed = applyFix(unattached, 'microsoft-missing-pattern-list', { safe: true });
  assert.equal(fixed, good(NO_LIST + '    smtp-pattern-list microsoft-errors\n' + BACKOFF + '\n'));
});

test('incomplete pattern list: codes the attached list misses, and rules that cannot match Microsoft\'s reply', () => {
  const guideList = '<smtp-pattern-list microsoft-patterns>\n    reply /421 4\\.7\\.0 RP-001/ mode=backoff\n    reply /RP-002/ mode=backoff\n    reply /550 5\\.7\\.606/ mode=backoff\n</smtp-pattern-list>\n';
  const text = good(GOOD_BODY.replace('smtp-pattern-list microsoft-errors', 'smtp-pattern-list microsoft-patterns'), guideList).replace(LIST + '\n', '');
  expectShown(text, 'microsoft-incomplete-pattern-list', [
    "6:23-6:41 \"microsoft-patterns\" | The pattern list microsoft-patterns used by the outlook.com queue misses 16 of the 18 Microsoft replies the recommended list handles: RP-001, RP-003, 4.7.650, 4.7.651, 4.7.652, msgs-per-connection, 4.7.500, 4.7.500-699/4.7.850-899, S3150, SC-001/SC-002/SC-003/SC-004, OU-001/OU-002, DY-001/DY-002, 5.7.511, 5.7.515, 5.7.509, 5.7.510. Note: /421 4\\.7\\.0 RP-001/ names RP-001 but does not match Microsoft's reply (\"421 RP-001 The mail server IP connecting to Outlook.com s...\").",
  ]);
  assert.equal(lint(text).find((f) => f.rule === 'microsoft-incomplete-pattern-list')!.severity, 'information');
  const fixed = applyFix(text, 'microsoft-incomplete-pattern-list', { safe: true });
  const added = MICROSOFT_PATTERN_ENTRIES.filter((e) => e.codeId !== 'RP-002' && e.codeId !== '5.7.606-649')
    .map((e) => renderPatternEntry(e, '    ', '\n') + '\n')
    .join('');
  assert.equal(fixed, text.replace('</smtp-pattern-list>', added + '</smtp-pattern-list>'));
  assert.deepEqual(lint(fixed), []);
});

test('incomplete pattern list: a list in an included file is followed; no fix edits another file', () => {
  const files: Record<string, string> = { 'file:///etc/pmta/ms-list.conf': '<smtp-pattern-list ms>\n    reply /RP-001/ mode=backoff\n</smtp-pattern-list>\n' };
  const host: IncludeHost = { resolveInclude: (_f, p) => (files['file://' + p] !== undefined ? ['file://' + p] : []), readFile: (u) => files[u] };
  const text = 'include /etc/pmta/ms-list.conf\n' + good(GOOD_BODY.replace('microsoft-errors', 'ms')).replace(LIST + '\n', '');
  const f = new PmtaLanguageService({ host }).lint(doc(text)).filter(isMs);
  assert.deepEqual(
    f.map((x) => `${x.rule}: ${x.message.slice(0, 79)} / fixes ${x.fixes.length}`),
    ['microsoft-incomplete-pattern-list: The pattern list ms used by the outlook.com queue misses 17 of the 18 Microsoft / fixes 0'],
  );
});

test('backoff limits: a backing-off list without backoff directives; the fix adds them', () => {
  const text = good(LIMITS + '    smtp-pattern-list microsoft-errors\n    dkim-sign yes\n');
  expectShown(text, 'microsoft-backoff-limits', [
    "6:23-6:39 \"microsoft-errors\" | The pattern list puts the outlook.com queue in backoff mode, but these are not set: backoff-max-smtp-out (default 20: as many connections as ever while Microsoft throttles; common advice: 2); backoff-retry-after (default 1h; common advice: 30m, then 2h, then 4h); backoff-max-msg-rate (default: the normal max-msg-rate; recommended 60/h).",
  ]);
  const fixed = applyFix(text, 'microsoft-backoff-limits', { safe: true });
  assert.equal(fixed, good(LIMITS + '    smtp-pattern-list microsoft-errors\n    dkim-sign yes\n' + BACKOFF + '\n'));
  // only the missing ones are added
  const partial = good(LIMITS + '    smtp-pattern-list microsoft-errors\n    backoff-max-smtp-out 1\n    dkim-sign yes\n');
  assert.equal(
    applyFix(partial, 'microsoft-backoff-limits'),
    good(LIMITS + '    smtp-pattern-list microsoft-errors\n    backoff-max-smtp-out 1\n    dkim-sign yes\n' + BACKOFF.split('\n').slice(1).join('\n') + '\n'),
  );
});

// ------------------------------------------------------------------------------------------------
// microsoft-missing-dkim

test('dkim: unset, "no" in the block, or inherited "no"; dkim-sign yes from <domain *> counts', () => {
  const noDkim = GOOD_BODY.replace('    dkim-sign yes\n', '');
  const text = good(noDkim);
  expectShown(text, 'microsoft-missing-dkim', [
    "1:9-1:20 \"outlook.com\" | The outlook.com queue is not DKIM-signed: no \"dkim-sign yes\" in its block or in <domain *>, and PowerMTA does not sign by default. Outlook.com rejects mail without passing DKIM, SPF and DMARC from senders of more than 5,000 messages a day (550 5.7.515). Signing also needs a domain-key line (selector, domain, key file); this configuration has none yet.",
  ]);
  assert.equal(applyFix(text, 'microsoft-missing-dkim', { safe: true, title: 'Sign with DKIM: dkim-sign yes' }), good(noDkim + '    dkim-sign yes\n'));
  const no = good(GOOD_BODY.replace('dkim-sign yes', 'dkim-sign no'), 'domain-key s1, example.com, /etc/pmta/s1.pem\n');
  expectShown(no, 'microsoft-missing-dkim', [
    "10:15-10:17 \"no\" | The outlook.com queue is not DKIM-signed: \"dkim-sign no\". Outlook.com rejects mail without passing DKIM, SPF and DMARC from senders of more than 5,000 messages a day (550 5.7.515).",
  ]);
  assert.equal(applyFix(no, 'microsoft-missing-dkim'), good(GOOD_BODY, 'domain-key s1, example.com, /etc/pmta/s1.pem\n'));
  assert.deepEqual(ms(good(noDkim, '<domain *>\n    dkim-sign yes\n</domain>\n')), []);
  const inherited = good(noDkim, '<domain *>\n    dkim-sign no\n</domain>\n');
  expectShown(inherited, 'microsoft-missing-dkim', [
    "1:9-1:20 \"outlook.com\" | The outlook.com queue is not DKIM-signed: it inherits \"dkim-sign no\" from <domain *> (line 87). Outlook.com rejects mail without passing DKIM, SPF and DMARC from senders of more than 5,000 messages a day (550 5.7.515). Signing also needs a domain-key line (selector, domain, key file); this configuration has none yet.",
  ]);
  assert.equal(applyFix(inherited, 'microsoft-missing-dkim'), good(noDkim + '    dkim-sign yes\n', '<domain *>\n    dkim-sign no\n</domain>\n'));
});

// ------------------------------------------------------------------------------------------------
// microsoft-separate-pool

test('separate pool: a rolled-up variant with limits or a route of its own', () => {
  const text = good().replace('<domain live.de>\n    queue-to outlook.com\n', '<domain live.de>\n    queue-to outlook.com\n    max-smtp-out 2\n    reroute-to-virtual-mta other\n');
  expectShown(text, 'microsoft-separate-pool', [
    "39:5-39:19 \"max-smtp-out 2\" | \"max-smtp-out 2\" does not limit live.de: its mail is rolled into the outlook.com queue (by queue-to) and delivered with that queue's settings. Set limits in the outlook.com block.",
    "40:5-40:33 \"reroute-to-virtual-mta other\" | \"reroute-to-virtual-mta other\" routes live.de apart from the outlook.com queue it is rolled into (by queue-to): its connections would not count against the shared limits. Route the outlook.com queue as a whole instead.",
  ]);
  const fixed = applyFix(text, 'microsoft-separate-pool', { safe: false, title: 'Remove "max-smtp-out 2"' });
  assert.equal(fixed, text.replace('    max-smtp-out 2\n', ''));
});

test('separate pool: a variant nested in another pool than the Microsoft queue', () => {
  const text = good() + '<virtual-mta-pool other>\n    virtual-mta x\n    <domain hotmail.com>\n        queue-to outlook.com\n    </domain>\n</virtual-mta-pool>\n';
  expectShown(text, 'microsoft-separate-pool', [
    "89:13-89:24 \"hotmail.com\" | <domain hotmail.com> is inside <virtual-mta-pool other>, but the outlook.com queue it is rolled into is configured at the top level: mail sent through other reaches Microsoft from other IPs than the ones its limits and connection budget were planned for. Configure the variants where the outlook.com queue is.",
  ]);
  // nested where the Microsoft queue is: fine
  const same = good().replace('<domain outlook.com>', '<virtual-mta-pool ms>\n    virtual-mta x\n    <domain outlook.com>').replace('    dkim-sign yes\n</domain>\n', '    dkim-sign yes\n    </domain>\n    <domain hotmail.com>\n        queue-to outlook.com\n    </domain>\n</virtual-mta-pool>\n');
  assert.deepEqual(shown(same, 'microsoft-separate-pool'), []);
});

// ------------------------------------------------------------------------------------------------
// suppression

test('inline suppression comments silence Microsoft findings', () => {
  const text = good(GOOD_BODY.replace('    dkim-sign yes\n', ''));
  assert.equal(ms(text).length, 1);
  assert.deepEqual(ms('# pmta-lint: disable-next-line microsoft-missing-dkim\n' + text), []);
  assert.deepEqual(ms('# pmta-lint: disable microsoft-missing-dkim\n' + text), []);
  assert.deepEqual(ms(text, { rules: { 'microsoft-missing-dkim': 'off' } }), []);
});

// ------------------------------------------------------------------------------------------------
// the examples

function example(name: string): string {
  return fs.readFileSync(path.join(ROOT, 'examples', name), 'utf8');
}

test('examples/microsoft.pmta: each problem once, at its place, with a message that explains it', () => {
  const text = example('microsoft.pmta');
  expectShown(text, undefined, [
    "35:9-35:20 \"outlook.com\" | 8 Microsoft consumer domains do not share the outlook.com queue and its connection limits: hotmail.co.uk, hotmail.de, hotmail.fr, live.com, live.co.uk, live.de, msn.com, windowslive.com (8 of the 10 checked: the ten that common advice rolls up and every Microsoft domain this configuration names). Together the Microsoft queues may open up to 170 connections per IP instead of 10. Roll them up with \"queue-to outlook.com\".",
    "35:9-35:20 \"outlook.com\" | The outlook.com queue has no smtp-pattern-list (none in its block or in <domain *>), so Microsoft's throttling and blocking replies (RP-001, RP-002, 4.7.650, 5.7.606 ...) are treated as ordinary failures and the queue keeps sending at full speed. Common advice is to back off instead: 4h after RP-001, 2h with fewer connections after RP-002.",
    "35:9-35:20 \"outlook.com\" | The outlook.com queue is not DKIM-signed: no \"dkim-sign yes\" in its block or in <domain *>, and PowerMTA does not sign by default. Outlook.com rejects mail without passing DKIM, SPF and DMARC from senders of more than 5,000 messages a day (550 5.7.515). Signing also needs a domain-key line (selector, domain, key file); this configuration has none yet.",
    "36:18-36:20 \"10\" | max-smtp-out 10 is above 4, the recommended value for the under-100k tier (common advice, not a limit Microsoft publishes; tier assumed: pool microsoft-pool has 2 virtual MTAs, too few to tell the volume, so the most conservative tier applies). Declare the volume with \"# pmta-lint: microsoft-tier=100k-500k\" (or under-100k, 500k-plus).",
    "37:5-37:22 \"max-conn-rate 2/s\" | max-connect-rate is not set for the outlook.com queue: \"max-conn-rate 2/s\" is not a PowerMTA directive and is ignored, so new connections are not limited. Recommended: max-connect-rate 30/m (1800/h), the recommended value for the under-100k tier (common advice, not a limit Microsoft publishes; tier assumed: pool microsoft-pool has 2 virtual MTAs, too few to tell the volume, so the most conservative tier applies). Declare the volume with \"# pmta-lint: microsoft-tier=100k-500k\" (or under-100k, 500k-plus).",
    "38:18-38:23 \"500/h\" | max-msg-rate 500/h is above 150/h, the recommended value for the under-100k tier (common advice, not a limit Microsoft publishes; tier assumed: pool microsoft-pool has 2 virtual MTAs, too few to tell the volume, so the most conservative tier applies). Declare the volume with \"# pmta-lint: microsoft-tier=100k-500k\" (or under-100k, 500k-plus).",
    "39:17-39:19 \"5m\" | retry-after 5m retries sooner than 20m, the recommended value for the under-100k tier (common advice, not a limit Microsoft publishes; tier assumed: pool microsoft-pool has 2 virtual MTAs, too few to tell the volume, so the most conservative tier applies). Declare the volume with \"# pmta-lint: microsoft-tier=100k-500k\" (or under-100k, 500k-plus).",
    "40:5-40:26 \"mx-rollup outlook.com\" | \"mx-rollup outlook.com\" is not a PowerMTA directive (it comes from blog posts); PowerMTA refuses to load a configuration that contains it. <domain outlook.com> is the outlook.com queue's own block, so the line has nothing to do here: remove it.",
  ]);
});

test('examples/microsoft.pmta: every Microsoft fix keeps the contract', () => {
  const text = example('microsoft.pmta');
  const fs0 = ms(text);
  const byRule = new Map<string, number>();
  for (const f of fs0) {
    const index = byRule.get(f.rule) ?? 0;
    byRule.set(f.rule, index + 1);
    for (let i = 0; i < f.fixes.length; i++) applyFix(text, f.rule, { index, fix: i });
  }
  // the rollup fix, exactly
  const rolled = applyFix(text, 'microsoft-missing-rollup', { safe: true, title: 'Roll up 8 domains into the outlook.com queue' });
  const inserted = ['hotmail.co.uk', 'hotmail.de', 'hotmail.fr', 'live.com', 'live.co.uk', 'live.de', 'msn.com', 'windowslive.com'].map((d) => `<domain ${d}>\n    queue-to outlook.com\n</domain>\n`).join('\n');
  assert.equal(rolled, text.replace('    mx-rollup outlook.com\n</domain>\n\n', `    mx-rollup outlook.com\n</domain>\n\n${inserted}\n`));
});

test('examples/microsoft.pmta: fix-all leaves a configuration the Microsoft rules accept', () => {
  const text = example('microsoft.pmta');
  const service = new PmtaLanguageService();
  const { text: fixed } = service.fixAll(doc(text));
  const inserted = ['hotmail.co.uk', 'hotmail.de', 'hotmail.fr', 'live.com', 'live.co.uk', 'live.de', 'msn.com', 'windowslive.com'].map((d) => `<domain ${d}>\n    queue-to outlook.com\n</domain>\n`).join('\n');
  const expected = text.replace(
    '<domain outlook.com>\n    max-smtp-out 10\n    max-conn-rate 2/s\n    max-msg-rate 500/h\n    retry-after 5m\n    mx-rollup outlook.com\n</domain>\n\n',
    `${LIST}\n\n<domain outlook.com>\n    max-smtp-out 4\n    max-connect-rate 30/m\n    max-msg-rate 150/h\n    retry-after 20m\n    smtp-pattern-list microsoft-errors\n${BACKOFF}\n    dkim-sign yes\n</domain>\n\n${inserted}\n`,
  );
  assert.equal(fixed, expected);
  assert.deepEqual(ms(fixed), []);
  // what is left is not Microsoft's: an undefined virtual MTA, the dkim-sign yes the fix added with no domain-key to
  // sign with (the configuration has none), and an invalid retry-after in <domain *>
  assert.deepEqual(lint(fixed).map((f) => f.rule), ['undefined-reference', 'dkim-sign-without-key', 'invalid-value']);
  assert.equal(service.fixAll(doc(fixed)).text, fixed);
});

test('examples/blog-pseudo-syntax.pmta: Microsoft findings without fixes inside pseudo-syntax; fix-all converts and completes', () => {
  const text = example('blog-pseudo-syntax.pmta');
  // fixes would edit inside blog pseudo-syntax: only the rollup (new blocks after it) has one
  assert.deepEqual(
    ms(text).filter((f) => f.fixes.length).map((f) => f.rule),
    ['microsoft-missing-rollup'],
  );
  expectShown(text, undefined, [
    "10:8-10:19 \"outlook.com\" | 7 Microsoft consumer domains do not share the outlook.com queue and its connection limits: hotmail.co.uk, hotmail.de, hotmail.fr, live.co.uk, live.de, msn.com, windowslive.com (7 of the 10 checked: the ten that common advice rolls up and every Microsoft domain this configuration names). Roll them up with \"queue-to outlook.com\".",
    "10:8-10:19 \"outlook.com\" | The outlook.com queue is not DKIM-signed: no \"dkim-sign yes\" in its block or in <domain *>, and PowerMTA does not sign by default. Outlook.com rejects mail without passing DKIM, SPF and DMARC from senders of more than 5,000 messages a day (550 5.7.515). Signing also needs a domain-key line (selector, domain, key file); this configuration has none yet.",
    "11:19-11:37 \"microsoft-patterns\" | The pattern list microsoft-patterns used by the outlook.com queue misses 17 of the 18 Microsoft replies the recommended list handles: RP-001, RP-002, RP-003, 4.7.650, 4.7.651, 4.7.652, msgs-per-connection, 4.7.500, 4.7.500-699/4.7.850-899, S3150, SC-001/SC-002/SC-003/SC-004, OU-001/OU-002, DY-001/DY-002, 5.7.511, 5.7.515, 5.7.509, 5.7.510. Note: /421 4\\.7\\.0 RP-001/ names RP-001 but does not match Microsoft's reply (\"421 RP-001 The mail server IP connecting to Outlook.com s...\"); /421 4\\.7\\.0 RP-002/ names RP-002 but does not match Microsoft's reply (\"421 RP-002 The mail server IP connecting to Outlook.com s...\").",
    "14:1-14:20 \"max-conn-rate 0.5/s\" | max-connect-rate is not set for the outlook.com queue: \"max-conn-rate 0.5/s\" is not a PowerMTA directive and is ignored, so new connections are not limited. Recommended: max-connect-rate 30/m (1800/h), the recommended value for the under-100k tier (common advice, not a limit Microsoft publishes; tier assumed: no pool found for Microsoft mail, so the most conservative tier applies). Declare the volume with \"# pmta-lint: microsoft-tier=100k-500k\" (or under-100k, 500k-plus).",
    "15:14-15:19 \"200/h\" | max-msg-rate 200/h is above 150/h, the recommended value for the under-100k tier (common advice, not a limit Microsoft publishes; tier assumed: no pool found for Microsoft mail, so the most conservative tier applies). Declare the volume with \"# pmta-lint: microsoft-tier=100k-500k\" (or under-100k, 500k-plus).",
    "17:1-17:22 \"mx-rollup outlook.com\" | \"mx-rollup outlook.com\" is not a PowerMTA directive (it comes from blog posts); PowerMTA refuses to load a configuration that contains it. <domain outlook.com> is the outlook.com queue's own block, so the line has nothing to do here: remove it.",
    "19:23-19:44 \"mx-rollup outlook.com\" | \"mx-rollup outlook.com\" is not a PowerMTA directive (it comes from blog posts); PowerMTA refuses to load a configuration that contains it. To put the mail of <domain hotmail.com> into the outlook.com queue, under its connection limits, write \"queue-to outlook.com\".",
    "20:20-20:41 \"mx-rollup outlook.com\" | \"mx-rollup outlook.com\" is not a PowerMTA directive (it comes from blog posts); PowerMTA refuses to load a configuration that contains it. To put the mail of <domain live.com> into the outlook.com queue, under its connection limits, write \"queue-to outlook.com\".",
  ]);
  const service = new PmtaLanguageService();
  const { text: fixed } = service.fixAll(doc(text));
  assert.deepEqual(ms(fixed), []);
  assert.equal(service.fixAll(doc(fixed)).text, fixed);
});

// ------------------------------------------------------------------------------------------------
// hover

test('hover: the Microsoft pool and queue show the connection total and how it is computed', () => {
  const text = example('microsoft.pmta');
  const model = new Model(doc(text));
  const at = (s: string, k = 0) => text.indexOf(s) + k;
  expectText(microsoftHover(model, at('<virtual-mta-pool microsoft-pool>', 20), {}) ?? '', "**Microsoft mail** (the outlook.com queue) goes through this pool.\n\n`<domain outlook.com>`:\n- Connections to Microsoft: pool microsoft-pool (2 virtual MTAs; mta3 not counted: no `<virtual-mta mta3>`) × max-smtp-out 10 (`<domain outlook.com>`, line 36) = 20 simultaneous connections, within the budget of 60 that common advice gives (not a Microsoft limit).\n- Route: default-virtual-mta microsoft-pool in `<source 127.0.0.1>`.\n- Volume tier: under-100k (assumed: pool microsoft-pool has 2 virtual MTAs, too few to tell the volume, so the most conservative tier applies).");
  expectText(microsoftHover(model, at('<domain outlook.com>', 10), {}) ?? '', "**Microsoft queue outlook.com**\n\n- Connections to Microsoft: pool microsoft-pool (2 virtual MTAs; mta3 not counted: no `<virtual-mta mta3>`) × max-smtp-out 10 (`<domain outlook.com>`, line 36) = 20 simultaneous connections, within the budget of 60 that common advice gives (not a Microsoft limit).\n- Route: default-virtual-mta microsoft-pool in `<source 127.0.0.1>`.\n- Volume tier: under-100k (assumed: pool microsoft-pool has 2 virtual MTAs, too few to tell the volume, so the most conservative tier applies).\n- Rolled into it: 2 of the 10 Microsoft consumer domains checked.");
  expectText(microsoftHover(model, at('<domain hotmail.com>', 10), {}) ?? '', "**Microsoft queues**\n\n- hotmail.com goes into the outlook.com queue (queue-to) and shares its limits.");
  assert.equal(microsoftHover(model, at('<domain *>', 8), {}), undefined);
  assert.equal(microsoftHover(model, at('<virtual-mta mta1>', 15), {}), undefined);
  assert.equal(microsoftHover(new Model(doc('<domain gmail.com>\n</domain>\n')), 9, {}), undefined);
});

test('rollup: a long list of missing domains names the first ten and counts the rest', () => {
  const many = ['hotmail.com', 'outlook.com', 'live.com', 'msn.com', 'hotmail.co.uk', 'hotmail.de', 'hotmail.fr', 'live.co.uk', 'live.de', 'windowslive.com', 'hotmail.it', 'live.fr', 'hotmail.es', 'live.it', 'hotmail.co.jp', 'live.nl'];
  const text = `domain-macro hotmail ${many.join(', ')}\n\n<domain $hotmail>\n${GOOD_BODY}</domain>\n\n${LIST}\n`;
  expectShown(text, 'microsoft-missing-rollup', [
    "3:9-3:17 \"$hotmail\" | 15 Microsoft consumer domains do not share the outlook.com queue and its connection limits: hotmail.com, hotmail.co.uk, hotmail.de, hotmail.fr, live.com, live.co.uk, live.de, msn.com, windowslive.com, hotmail.it and 5 more (15 of the 16 checked: the ten that common advice rolls up and every Microsoft domain this configuration names). <domain $hotmail> (line 3) is not a rollup: each of its 16 domains keeps a queue of its own, so its max-smtp-out 4 allows up to 64 connections per IP to Microsoft, not 4. Together the Microsoft queues may open up to 64 connections per IP instead of 4. Roll them up with \"queue-to outlook.com\".",
  ]);
  // every domain is still named, in the related information
  const f = lint(text).find((x) => x.rule === 'microsoft-missing-rollup')!;
  assert.equal(f.related?.length, 15);
  assert.equal(f.related?.[14].message, 'live.nl keeps a queue of its own here');
});
