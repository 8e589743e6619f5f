/** The `pseudo-syntax` rule: the blog form `x {{ … }}`, converted to real tags and `reply` rules (its big expected texts are in test/fixtures/rules/pseudo-syntax/). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lint, show } from '../../helpers/util';
import { applyFix, fixture, only } from '../../helpers/ruleTests';

test('pseudo-syntax: block form converted to real tags and reply rules', () => {
  const text = fixture('pseudo-syntax/block-form.pmta');
  const f = only(text, 'pseudo-syntax');
  assert.deepEqual(show(text, f), [
    '1:1-1:24 "smtp-pattern-list ms {{" | "smtp-pattern-list ms {{" is blog pseudo-syntax that PowerMTA rejects: write <smtp-pattern-list ms> … </smtp-pattern-list>',
    '4:1-4:22 "domain outlook.com {{" | "domain outlook.com {{" is blog pseudo-syntax that PowerMTA rejects: write <domain outlook.com> … </domain>',
  ]);
  assert.deepEqual(
    f.map((x) => x.fixes.map((fix) => `${fix.title}${fix.safe ? ' (safe)' : ''}`)),
    [
      [
        'Convert to <smtp-pattern-list ms> … </smtp-pattern-list> (safe)',
        'Convert all blog pseudo-syntax in this file',
      ],
      ['Convert to <domain outlook.com> … </domain> (safe)', 'Convert all blog pseudo-syntax in this file'],
    ],
  );
  assert.equal(applyFix(text, f[0]), fixture('pseudo-syntax/block-form.first-fixed.pmta'));
  assert.equal(applyFix(text, f[1]), fixture('pseudo-syntax/block-form.second-fixed.pmta'));
  // "convert all" converts both at once, and the result has no syntax problem left
  const all = applyFix(text, f[0], 1);
  assert.equal(all, fixture('pseudo-syntax/block-form.all-fixed.pmta'));
  assert.deepEqual(
    lint(all).filter((x) => x.rule === 'syntax' || x.rule === 'pseudo-syntax'),
    [],
  );
});

test('pseudo-syntax: inline form', () => {
  const text = '  domain hotmail.com {{ queue-to outlook.com }}\n';
  const f = only(text, 'pseudo-syntax');
  assert.equal(f.length, 1);
  assert.equal(applyFix(text, f[0]), '  <domain hotmail.com>\n      queue-to outlook.com\n  </domain>\n');
});

test('pseudo-syntax: a block never closed whose last directive ends in a backslash is closed after an empty line', () => {
  const text = 'domain a.example {{\n    max-smtp-out 2 \\\n';
  const f = only(text, 'pseudo-syntax');
  const fixed = applyFix(text, f[0]);
  assert.equal(fixed, '<domain a.example>\n    max-smtp-out 2 \\\n\n</domain>\n');
  assert.deepEqual(
    lint(fixed).filter((x) => x.severity === 'error'),
    [],
  );
});

test('pseudo-syntax: "convert all" takes a stray "}}" away too', () => {
  const text = 'domain a.example {{\nmax-smtp-out 5\n}}\n}}\ndomain b.example {{ max-smtp-out 4 }}\n';
  const f = only(text, 'pseudo-syntax');
  assert.deepEqual(
    f.map((x) => x.fixes.map((y) => y.title)),
    [
      ['Convert to <domain a.example> … </domain>', 'Convert all blog pseudo-syntax in this file'],
      ['Remove the stray "}}"', 'Convert all blog pseudo-syntax in this file'],
      ['Convert to <domain b.example> … </domain>', 'Convert all blog pseudo-syntax in this file'],
    ],
  );
  const fixed = applyFix(text, f[1], 1);
  assert.equal(
    fixed,
    '<domain a.example>\n    max-smtp-out 5\n</domain>\n<domain b.example>\n    max-smtp-out 4\n</domain>\n',
  );
  assert.deepEqual(only(fixed, 'pseudo-syntax'), []);
  assert.deepEqual(only(fixed, 'syntax'), []);
});

test('pseudo-syntax: a comment after the opening braces is a comment, kept by the fix', () => {
  const text = 'domain outlook.com {{   # Microsoft\n  max-smtp-out 5\n}}\n';
  const f = only(text, 'pseudo-syntax');
  assert.deepEqual(show(text, f), [
    '1:1-1:22 "domain outlook.com {{" | "domain outlook.com {{" is blog pseudo-syntax that PowerMTA rejects: write <domain outlook.com> … </domain>',
  ]);
  assert.equal(applyFix(text, f[0]), '<domain outlook.com> # Microsoft\n  max-smtp-out 5\n</domain>\n');
  // the block's lines are read as inside it: no "unknown directive domain", no "max-smtp-out at the global level"
  assert.deepEqual(
    lint(text).filter((x) => x.rule === 'unknown-directive' || x.rule === 'wrong-context' || x.rule === 'syntax'),
    [],
  );
  // a `#` right after the braces, with no blank before it, is no comment: template text, as before
  assert.deepEqual(only('domain x {{#each}}\n', 'pseudo-syntax'), []);
});

test('pseudo-syntax: Handlebars templates are not mistaken for the blog form', () => {
  const text = '{{#each ips}}\n<virtual-mta m{{sub}}>\nsmtp-source-host {{ip}} {{host}}\n</virtual-mta>\n{{/each}}\n';
  assert.deepEqual(
    lint(text).filter((x) => x.rule === 'syntax' || x.rule === 'pseudo-syntax'),
    [],
  );
});

test('pseudo-syntax: a thousand blocks, nested, then stray "}}": each block converted by its own fix', () => {
  const n = 1000;
  const text = Array.from({ length: n }, (_, i) => `domain d${i} {{\n`).join('') + '}}\n'.repeat(n + 2);
  const f = only(text, 'pseudo-syntax');
  assert.equal(f.length, n + 2);
  assert.deepEqual(
    f[0].fixes.map((x) => x.title),
    ['Convert to <domain d0> … </domain>', 'Convert all blog pseudo-syntax in this file'],
  );
  assert.deepEqual(
    f[n - 1].fixes[0].changes.map((c) => [text.slice(c.span.start, c.span.end), c.newText]),
    [
      [`domain d${n - 1} {{`, `${'    '.repeat(0)}<domain d${n - 1}>`],
      ['}}', '</domain>'],
    ],
  );
  const strays = f.slice(n);
  const last = text.length - 6;
  assert.deepEqual(
    strays.map((x) => [x.span.start, x.message, x.fixes[0].changes[0].span]),
    [
      [last, 'Stray "}}": PowerMTA blocks are closed with a tag such as </domain>', { start: last, end: last + 3 }],
      [
        last + 3,
        'Stray "}}": PowerMTA blocks are closed with a tag such as </domain>',
        { start: last + 3, end: last + 6 },
      ],
    ],
  );
});
