/**
 * Linting as a whole, across the rules: settings that turn a rule off or change its severity,
 * suppression comments, fix-all, and the real configurations and examples. The tests of each rule
 * are in test/unit/rules/<rule-id>.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { PmtaLanguageService } from '../../server/src/service';
import { corpusFiles, CORPUS_MISSING, doc, lint, ROOT } from '../helpers/util';

test('settings: a rule can be turned off or its severity changed', () => {
  const text = '<domain a.com>\nmax-smtp-outt 5\n</domain>\n';
  assert.deepEqual(lint(text, { rules: { 'unknown-directive': 'off' } }), []);
  assert.equal(lint(text, { rules: { 'unknown-directive': 'error' } })[0].severity, 'error');
});

test('suppression comments', () => {
  const text =
    '<domain a.com>\n# pmta-lint: disable-next-line unknown-directive\nmax-smtp-outt 5\nmax-smtp-outt 6\n# pmta-lint: disable\nfoo-bar 1\n</domain>\n';
  const f = lint(text);
  assert.deepEqual(
    f.map((x) => `${x.rule}@${doc(text).positionAt(x.span.start).line + 1}`),
    ['unknown-directive@4'],
  );
});

test('fixAll applies safe fixes until nothing changes, and is idempotent', () => {
  const text =
    '<domain a.com>\nmax-conn-rate 0.5/s\n</domain>\ndomain b.com {{ max-smtp-out 2 }}\n<domain c.com\n</domain>\n';
  const service = new PmtaLanguageService();
  const { text: fixed } = service.fixAll(doc(text));
  assert.equal(
    fixed,
    '<domain a.com>\nmax-connect-rate 30/m\n</domain>\n<domain b.com>\n    max-smtp-out 2\n</domain>\n<domain c.com>\n</domain>\n',
  );
  assert.equal(service.fixAll(doc(fixed)).text, fixed);
});

test('no real config in the corpus gets a syntax or pseudo-syntax finding, and no rule crashes', (t) => {
  const files = corpusFiles();
  if (!files.length) {
    t.skip(CORPUS_MISSING);
    return;
  }
  const service = new PmtaLanguageService();
  for (const file of files) {
    const findings = service.lint(doc(fs.readFileSync(file, 'utf8'), 'file:///corpus/' + path.basename(file)));
    const bad = findings.filter((f) => ['syntax', 'pseudo-syntax', 'internal-error'].includes(f.rule));
    assert.deepEqual(bad, [], path.basename(file));
  }
});

test('examples: the clean example has no finding; the others have the expected ones', () => {
  const read = (n: string) => fs.readFileSync(path.join(ROOT, 'examples', n), 'utf8');
  assert.deepEqual(lint(read('clean.pmta')), []);
  const pseudo = lint(read('blog-pseudo-syntax.pmta'));
  assert.ok(pseudo.filter((f) => f.rule === 'pseudo-syntax').length >= 4);
});
