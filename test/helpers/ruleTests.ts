/** What the tests of the rules (test/unit/rules/<rule-id>.test.ts) share: one rule's findings, a fix applied, fixture files. */
import * as fs from 'fs';
import * as path from 'path';
import { applyChanges } from '../../server/src/features/codeActions';
import type { Finding } from '../../server/src/findings';
import type { Settings } from '../../server/src/settings';
import { lint, ROOT } from './util';

/** The findings of `rule` on `text`. */
export function only(text: string, rule: string, settings: Settings = {}): Finding[] {
  return lint(text, settings).filter((f) => f.rule === rule);
}

/** The text after fix number `index` of finding `f`. */
export function applyFix(text: string, f: Finding, index = 0): string {
  return applyChanges(text, f.fixes[index].changes);
}

/** The bytes of test/fixtures/rules/`name`, as text. */
export function fixture(name: string): string {
  return fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'rules', name), 'utf8');
}
