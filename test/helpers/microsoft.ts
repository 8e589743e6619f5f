/**
 * Test helpers for the Microsoft rules (test/unit/rules/microsoft-*.test.ts): configurations built from
 * parts (the recommended outlook.com block, the nine rollups, the pattern list, pools), findings shown as
 * text, a fix applied with its contract checked, and the fixture files that hold long expected texts.
 */
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { applyChanges } from '../../server/src/features/codeActions';
import type { Finding, Fix } from '../../server/src/findings';
import type { Settings } from '../../server/src/settings';
import {
  renderMicrosoftBackoffDirectives,
  renderMicrosoftPatternList,
  GUIDE_ROLLUP_DOMAINS,
} from '../../server/src/knowledge/microsoft';
import { lint, ROOT, show } from './util';

export const LIST = renderMicrosoftPatternList('    ', '\n');
export const BACKOFF = renderMicrosoftBackoffDirectives('    ', '\n');
export const VARIANTS = GUIDE_ROLLUP_DOMAINS.filter((d) => d !== 'outlook.com');
export const LIMITS = '    max-smtp-out 4\n    max-connect-rate 30/m\n    max-msg-rate 150/h\n    retry-after 20m\n';
export const GOOD_BODY = LIMITS + '    smtp-pattern-list microsoft-errors\n' + BACKOFF + '\n    dkim-sign yes\n';
/** The settings of the Microsoft block after its limits: the pattern list, the backoff directives, DKIM. */
export const REST = '    smtp-pattern-list microsoft-errors\n' + BACKOFF + '\n    dkim-sign yes\n';
/** The 500k-plus tier's limits and the rest. */
export const TOP_TIER =
  '    max-smtp-out 6\n    max-connect-rate 1/s\n    max-msg-rate 250/h\n    retry-after 15m\n' + REST;
/** The annotation that declares the lowest tier (first line of a file). */
export const DECLARED = '# pmta-lint: microsoft-tier=under-100k\n';

export function rollups(queue = 'outlook.com', domains: readonly string[] = VARIANTS): string {
  return domains.map((d) => `<domain ${d}>\n    queue-to ${queue}\n</domain>\n`).join('\n');
}

/** A configuration every Microsoft rule accepts: outlook.com block (line 1), the nine rollups, the list last. */
export function good(body = GOOD_BODY, extra = ''): string {
  return `<domain outlook.com>\n${body}</domain>\n\n${rollups()}\n${LIST}\n${extra}`;
}

/** `n` virtual MTAs (v1…vn, with `cap` as their own max-smtp-out), a pool of them, and a source that sends through it. */
export function poolOf(n: number, name = 'ms-pool', cap?: number): string {
  const vmtas = Array.from(
    { length: n },
    (_, i) =>
      `<virtual-mta v${i + 1}>\n    smtp-source-host 192.0.2.${i + 1} v${i + 1}.example.com\n${cap ? `    max-smtp-out ${cap}\n` : ''}</virtual-mta>\n`,
  ).join('');
  return `${vmtas}<virtual-mta-pool ${name}>\n${Array.from({ length: n }, (_, i) => `    virtual-mta v${i + 1}\n`).join('')}</virtual-mta-pool>\n<source 0/0>\n    default-virtual-mta ${name}\n</source>\n`;
}

export function isMs(f: Finding): boolean {
  return f.rule.startsWith('microsoft-');
}

export function ms(text: string, settings: Settings = {}): Finding[] {
  return lint(text, settings).filter(isMs);
}

/** The findings of one rule. */
export function findings(text: string, rule: string, settings: Settings = {}): Finding[] {
  return lint(text, settings).filter((f) => f.rule === rule);
}

/** `show` for one rule, or for every Microsoft rule. */
export function shown(text: string, rule?: string, settings: Settings = {}): string[] {
  const fs = lint(text, settings).filter((f) => (rule ? f.rule === rule : isMs(f)));
  return show(text, fs);
}

export function expectShown(text: string, rule: string | undefined, expected: string[], settings: Settings = {}): void {
  assert.deepEqual(shown(text, rule, settings), expected);
}

/** The fixes of a finding as "title [safe] [preferred]". */
export function fixList(f: Finding): string[] {
  return f.fixes.map((x) => `${x.title}${x.safe ? ' [safe]' : ''}${x.isPreferred ? ' [preferred]' : ''}`);
}

function countByRule(fs: readonly Finding[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const f of fs) m.set(f.rule, (m.get(f.rule) ?? 0) + 1);
  return m;
}

/**
 * Apply fix `opts.fix` of the `opts.index`-th finding of `rule` and check the contract: the finding goes away,
 * no rule reports more findings than before, and the same fix is not offered again (idempotent).
 * Returns the new text.
 */
export function applyFix(
  text: string,
  rule: string,
  opts: { index?: number; fix?: number; settings?: Settings; safe?: boolean; title?: string } = {},
): string {
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
  assert.ok(
    !again.some(
      (x) =>
        x.rule === rule &&
        x.message === f.message &&
        after.slice(x.span.start, x.span.end) === text.slice(f.span.start, f.span.end),
    ),
    `finding still there: ${f.message}`,
  );
  const b = countByRule(before);
  const a = countByRule(again);
  assert.ok((a.get(rule) ?? 0) < (b.get(rule) ?? 0), `${rule} count did not go down`);
  // (turning DKIM signing on cannot add the key it needs, as the finding says: dkim-sign-without-key may follow)
  const follows = rule === 'microsoft-missing-dkim' ? ['dkim-sign-without-key'] : [];
  for (const [r, n] of a)
    assert.ok(
      n <= (b.get(r) ?? 0) || follows.includes(r),
      `new ${r} finding: ${again
        .filter((x) => x.rule === r)
        .map((x) => x.message)
        .join(' / ')}`,
    );
  // idempotent: the same edit offered again would change nothing it has not already changed
  const same = again
    .filter((x) => x.rule === rule)
    .flatMap((x) => x.fixes)
    .find(
      (x) =>
        x.title === fix.title &&
        JSON.stringify(x.changes.map((c) => c.newText)) === JSON.stringify(fix.changes.map((c) => c.newText)),
    );
  assert.equal(same, undefined, `fix "${fix.title}" offered again`);
  return after;
}

/** Apply a fix of a finding without checking the contract (a fix that is one step of several). */
export function applyOnly(text: string, f: Finding, index = 0): string {
  return applyChanges(text, f.fixes[index].changes);
}

/** A file of examples/. */
export function example(name: string): string {
  return fs.readFileSync(path.join(ROOT, 'examples', name), 'utf8');
}

/** A file of test/fixtures/microsoft/ (long expected texts). */
export function fixture(name: string): string {
  return fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'microsoft', name), 'utf8');
}

/** The lines of a fixture file of findings as `show` writes them, one a line. */
export function fixtureLines(name: string): string[] {
  return fixture(name)
    .split('\n')
    .filter((l) => l !== '');
}
