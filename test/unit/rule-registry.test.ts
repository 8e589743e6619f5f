/**
 * The rule registry (RULES) and the conventions that take one from a rule to its code, documentation and
 * tests in one step: every rule lives in a module named after its id (server/src/rules/<camelCaseId>.ts,
 * the Microsoft ones in rules/microsoft/ without the "microsoft-" prefix), has a row in the README's
 * short rule table and in the full reference (docs/rules.md), and has tests in test/unit/rules/<rule-id>.test.ts whose titles all start with its id
 * and a colon.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { RULES } from '../../server/src/rules';
import type { Rule } from '../../server/src/rules/types';
import { ROOT } from '../helpers/util';

const RULE_TESTS = path.join(ROOT, 'test', 'unit', 'rules');

/** `pseudo-syntax` → `pseudoSyntax`. */
function camelCase(id: string): string {
  return id.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** The module of a rule, relative to server/src/rules, without its extension. */
function moduleOf(id: string): string {
  return id.startsWith('microsoft-') ? `microsoft/${camelCase(id.slice('microsoft-'.length))}` : camelCase(id);
}

/** The titles of the tests in a TypeScript test file (quoted with ', " or `, without substitutions). */
function testTitles(file: string): string[] {
  const src = fs.readFileSync(file, 'utf8');
  const titles: string[] = [];
  for (const m of src.matchAll(/^\s*(?:test|it)\(\s*(['"`])((?:\\.|(?!\1)[^\\])*)\1/gm))
    titles.push(m[2].replace(/\\(.)/g, '$1'));
  return titles;
}

test('rule ids are unique, lower-case words joined by hyphens, and the first rules keep theirs', () => {
  const ids = RULES.map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const id of ids) assert.match(id, /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
  for (const id of [
    'syntax',
    'pseudo-syntax',
    'unknown-directive',
    'wrong-context',
    'invalid-value',
    'undefined-reference',
    'duplicate-block',
  ]) {
    assert.ok(ids.includes(id), id);
  }
});

test('every rule lives in a module named after its id, which exports it', () => {
  for (const rule of RULES) {
    const name = moduleOf(rule.id);
    assert.ok(
      fs.existsSync(path.join(ROOT, 'server', 'src', 'rules', `${name}.ts`)),
      `${rule.id}: server/src/rules/${name}.ts`,
    );
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module is found by the rule's id
    const exported = Object.values(require(`../../server/src/rules/${name}`) as Record<string, unknown>);
    assert.ok(
      exported.some((x) => x === rule),
      `${rule.id}: server/src/rules/${name}.ts exports the rule`,
    );
  }
});

/** Each rule's row (`| \`id\` | severity | …`) in a Markdown file's tables: the rules without one, and the rows whose severity is not the rule's default. */
function ruleRows(file: string): { missing: string[]; wrongSeverity: string[] } {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const missing: string[] = [];
  const wrongSeverity: string[] = [];
  for (const r of RULES) {
    const row = new RegExp(`^\\s*\\| \`${r.id}\` \\| ([a-z]+)`, 'm').exec(text);
    if (!row) missing.push(r.id);
    else if (row[1] !== r.defaultSeverity) wrongSeverity.push(`${r.id}: ${row[1]}, not ${r.defaultSeverity}`);
  }
  return { missing, wrongSeverity };
}

test('every rule has a row in the README rule table, with its default severity', () => {
  assert.deepEqual(ruleRows('README.md'), { missing: [], wrongSeverity: [] });
});

test('every rule has a row in the full rules reference, docs/rules.md, with its default severity', () => {
  assert.deepEqual(ruleRows('docs/rules.md'), { missing: [], wrongSeverity: [] });
});

test('every rule has tests in test/unit/rules/<rule-id>.test.ts, each titled with its id', () => {
  const byId = new Map<string, Rule>(RULES.map((r) => [r.id, r]));
  const files = fs.readdirSync(RULE_TESTS).filter((f) => f.endsWith('.test.ts'));
  // no file there but a rule's, and in a rule's file no test of something else
  for (const file of files) {
    const id = file.slice(0, -'.test.ts'.length);
    assert.ok(byId.has(id), `test/unit/rules/${file} is named after no rule`);
    const titles = testTitles(path.join(RULE_TESTS, file));
    assert.ok(titles.length > 0, `test/unit/rules/${file} has tests`);
    assert.deepEqual(
      titles.filter((t) => !t.startsWith(`${id}: `)),
      [],
      `titles in test/unit/rules/${file} that do not start with "${id}: "`,
    );
  }
  const untested = RULES.filter((r) => !files.includes(`${r.id}.test.ts`)).map((r) => r.id);
  assert.deepEqual(untested, []);
});
