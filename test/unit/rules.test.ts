import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { PmtaLanguageService } from '../../server/src/service';
import { applyChanges } from '../../server/src/features/codeActions';
import { RULES } from '../../server/src/rules';
import type { Finding } from '../../server/src/findings';
import { corpusFiles, CORPUS_MISSING, doc, lint, ROOT, show } from '../helpers/util';

/** Apply a finding's fix and return the new text. */
function applyFix(text: string, f: Finding, index = 0): string {
  return applyChanges(text, f.fixes[index].changes);
}

function only(text: string, rule: string): Finding[] {
  return lint(text).filter((f) => f.rule === rule);
}

test('rule ids are unique and stable', () => {
  const ids = RULES.map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const id of ['syntax', 'pseudo-syntax', 'unknown-directive', 'wrong-context', 'invalid-value', 'undefined-reference', 'duplicate-block']) {
    assert.ok(ids.includes(id), id);
  }
});

// ---------------------------------------------------------------- syntax

test('syntax: unclosed tag, with a fix that closes it', () => {
  const text = '<domain a.com>\n    max-smtp-out 2\n';
  const f = only(text, 'syntax');
  assert.deepEqual(show(text, f), ['1:1-1:15 "<domain a.com>" | <domain a.com> is not closed: add </domain> at the end of the file']);
  assert.equal(f[0].severity, 'error');
  const fixed = applyFix(text, f[0]);
  assert.equal(fixed, '<domain a.com>\n    max-smtp-out 2\n</domain>\n');
  assert.deepEqual(only(fixed, 'syntax'), []);
});

test('syntax: stray and mismatched close tags', () => {
  const text = '<virtual-mta v1>\n<domain *>\nmax-smtp-out 1\n</virtual-mta>\n</domain>\n';
  const f = only(text, 'syntax');
  assert.deepEqual(show(text, f), [
    '2:1-2:11 "<domain *>" | <domain *> is not closed: add </domain> before </virtual-mta>',
    '5:1-5:10 "</domain>" | Stray </domain>: no <domain> is open',
  ]);
  assert.equal(applyFix(text, f[0]), '<virtual-mta v1>\n<domain *>\nmax-smtp-out 1\n</domain>\n</virtual-mta>\n</domain>\n');
  assert.equal(applyFix(text, f[1]), '<virtual-mta v1>\n<domain *>\nmax-smtp-out 1\n</virtual-mta>\n');
});

test('syntax: blocks nested and not closed, and stray close tags by the thousand: each finding has its own fix', () => {
  const n = 2000;
  const text = '<virtual-mta m>\n' + Array.from({ length: n }, (_, i) => `<domain d${i}>\n`).join('') + '</pattern-list>\n'.repeat(n) + '</virtual-mta>\n';
  const f = only(text, 'syntax');
  assert.equal(f.length, 2 * n);
  const unclosed = f.filter((x) => x.message.endsWith('is not closed: add </domain> before </virtual-mta>'));
  const stray = f.filter((x) => x.message.startsWith('Stray </pattern-list>'));
  assert.equal(unclosed.length, n);
  assert.equal(stray.length, n);
  // each unclosed block is closed right before </virtual-mta>, after the blocks nested in it
  const end = text.length - '</virtual-mta>\n'.length;
  assert.ok(unclosed.every((x) => x.fixes[0].changes[0].span.start === end && x.fixes[0].changes[0].newText === '</domain>\n'));
  assert.deepEqual(
    unclosed.slice(0, 2).map((x) => [text.slice(x.span.start, x.span.end), x.fixes[0].title]),
    [
      ['<domain d0>', 'Close <domain> with </domain>'],
      ['<domain d1>', 'Close <domain> with </domain>'],
    ],
  );
  // each stray close is removed with its own line
  const first = text.indexOf('</pattern-list>');
  assert.deepEqual(
    stray.slice(0, 2).map((x) => [x.span.start, x.fixes[0].title, x.fixes[0].changes[0].span]),
    [
      [first, 'Remove the stray </pattern-list>', { start: first, end: first + 16 }],
      [first + 16, 'Remove the stray </pattern-list>', { start: first + 16, end: first + 32 }],
    ],
  );
});

test('syntax: missing ">" and malformed lines', () => {
  const text = '<domain a.com\nmax-smtp-out 1\n</domain>\n!!! what\n';
  const f = only(text, 'syntax');
  assert.deepEqual(show(text, f), [
    '1:1-1:14 "<domain a.com" | Missing ">" to end the tag <domain',
    '4:1-4:9 "!!! what" | Malformed line: expected a directive, a <tag> or a comment',
  ]);
  assert.equal(applyFix(text, f[0]), '<domain a.com>\nmax-smtp-out 1\n</domain>\n!!! what\n');
});

test('syntax: a block that needs an argument', () => {
  const text = '<domain>\nmax-smtp-out 1\n</domain>\n';
  const f = only(text, 'syntax');
  assert.equal(f.length, 1);
  assert.match(f[0].message, /^<domain> needs an argument/);
});

test('syntax: a binary file gets one finding', () => {
  const f = lint('\u0000\u0001\u0002\u0003'.repeat(100));
  assert.equal(f.length, 1);
  assert.equal(f[0].rule, 'syntax');
  assert.match(f[0].message, /binary/);
});

// ---------------------------------------------------------------- pseudo-syntax

test('pseudo-syntax: block form converted to real tags and reply rules', () => {
  const text = 'smtp-pattern-list ms {{\n"421 4.7.0 RP-001" retry-after=4h\n}}\ndomain outlook.com {{\nsmtp-pattern-list ms\nmax-smtp-out 5\n}}\n';
  const f = only(text, 'pseudo-syntax');
  assert.deepEqual(show(text, f), [
    '1:1-1:24 "smtp-pattern-list ms {{" | "smtp-pattern-list ms {{" is blog pseudo-syntax that PowerMTA rejects: write <smtp-pattern-list ms> … </smtp-pattern-list>',
    '4:1-4:22 "domain outlook.com {{" | "domain outlook.com {{" is blog pseudo-syntax that PowerMTA rejects: write <domain outlook.com> … </domain>',
  ]);
  assert.equal(
    applyFix(text, f[0]),
    '<smtp-pattern-list ms>\n    reply /421 4\\.7\\.0 RP-001/ mode=backoff # blog form: retry-after=4h\n</smtp-pattern-list>\ndomain outlook.com {{\nsmtp-pattern-list ms\nmax-smtp-out 5\n}}\n',
  );
  const second = applyFix(text, f[1]);
  assert.equal(second, 'smtp-pattern-list ms {{\n"421 4.7.0 RP-001" retry-after=4h\n}}\n<domain outlook.com>\n    smtp-pattern-list ms\n    max-smtp-out 5\n</domain>\n');
  // "convert all" fixes both at once, and the result has no syntax problem left
  const all = applyFix(text, f[0], 1);
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

test('pseudo-syntax: a thousand blocks, nested, then stray "}}": each block converted by its own fix', () => {
  const n = 1000;
  const text = Array.from({ length: n }, (_, i) => `domain d${i} {{\n`).join('') + '}}\n'.repeat(n + 2);
  const f = only(text, 'pseudo-syntax');
  assert.equal(f.length, n + 2);
  assert.deepEqual(f[0].fixes.map((x) => x.title), ['Convert to <domain d0> … </domain>', 'Convert all blog pseudo-syntax in this file']);
  assert.deepEqual(f[n - 1].fixes[0].changes.map((c) => [text.slice(c.span.start, c.span.end), c.newText]), [
    [`domain d${n - 1} {{`, `${'    '.repeat(0)}<domain d${n - 1}>`],
    ['}}', '</domain>'],
  ]);
  const strays = f.slice(n);
  const last = text.length - 6;
  assert.deepEqual(
    strays.map((x) => [x.span.start, x.message, x.fixes[0].changes[0].span]),
    [
      [last, 'Stray "}}": PowerMTA blocks are closed with a tag such as </domain>', { start: last, end: last + 3 }],
      [last + 3, 'Stray "}}": PowerMTA blocks are closed with a tag such as </domain>', { start: last + 3, end: last + 6 }],
    ],
  );
});

test('pseudo-syntax: Handlebars templates are not mistaken for the blog form', () => {
  const text = '{{#each ips}}\n<virtual-mta m{{sub}}>\nsmtp-source-host {{ip}} {{host}}\n</virtual-mta>\n{{/each}}\n';
  assert.deepEqual(
    lint(text).filter((x) => x.rule === 'syntax' || x.rule === 'pseudo-syntax'),
    [],
  );
});

// ---------------------------------------------------------------- unknown-directive

test('unknown-directive: did you mean, with a rename fix', () => {
  const text = '<domain a.com>\n    max-smtp-outt 5\n</domain>\n';
  const f = only(text, 'unknown-directive');
  assert.deepEqual(show(text, f), ['2:5-2:18 "max-smtp-outt" | Unknown directive "max-smtp-outt"; did you mean "max-smtp-out"?']);
  assert.equal(f[0].severity, 'warning');
  assert.equal(applyFix(text, f[0]), '<domain a.com>\n    max-smtp-out 5\n</domain>\n');
});

test('unknown-directive: names invented by blog posts point to the real directive', () => {
  const text = '<domain a.com>\nmax-conn-rate 1/s\n</domain>\n';
  const f = only(text, 'unknown-directive');
  assert.deepEqual(show(text, f), ['2:1-2:14 "max-conn-rate" | Unknown directive "max-conn-rate" (a name used in blog posts; PowerMTA\'s directive is "max-connect-rate")']);
  assert.equal(f[0].fixes[0].safe, true);
  assert.equal(applyFix(text, f[0]), '<domain a.com>\nmax-connect-rate 1/s\n</domain>\n');
});

test('unknown-directive: unknown block tags', () => {
  const text = '<virtual-mta-pol p>\n</virtual-mta-pol>\n';
  const f = only(text, 'unknown-directive');
  assert.equal(f.length, 1);
  assert.match(f[0].message, /Unknown block <virtual-mta-pol>; did you mean <virtual-mta-pool>/);
  assert.equal(applyFix(text, f[0]), '<virtual-mta-pool p>\n</virtual-mta-pool>\n');
});

test('unknown-directive: known directives and placeholders are not reported', () => {
  assert.deepEqual(only('postmaster a@b.c\n{{name}} x\n<domain x.com>\nmax-smtp-out 3\n</domain>\n', 'unknown-directive'), []);
});

// ---------------------------------------------------------------- wrong-context

test('wrong-context: a domain directive in <source>', () => {
  const text = '<source 0/0>\n    max-smtp-out 5\n</source>\n';
  const f = only(text, 'wrong-context');
  assert.equal(f.length, 1);
  assert.equal(text.slice(f[0].span.start, f[0].span.end), 'max-smtp-out');
  assert.match(f[0].message, /^"max-smtp-out" is not allowed in <source>; it belongs in /);
});

test('wrong-context: domain directives are fine in a <domain> nested in a virtual-mta', () => {
  const text = '<virtual-mta v>\n  smtp-source-host 192.0.2.1 a.example.com\n  <domain *>\n    max-smtp-out 5\n  </domain>\n</virtual-mta>\n';
  assert.deepEqual(only(text, 'wrong-context'), []);
});

test('wrong-context: a block where it may not appear', () => {
  const text = '<source 0/0>\n<domain x.com>\n</domain>\n</source>\n';
  const f = only(text, 'wrong-context');
  assert.equal(f.length, 1);
  assert.match(f[0].message, /^<domain> is not allowed inside <source>/);
});

// ---------------------------------------------------------------- invalid-value

test('invalid-value: rates, durations, booleans, integers', () => {
  const text = [
    '<domain a.com>',
    '    max-msg-rate 200/hour',
    '    retry-after 20min',
    '    use-starttls maybe',
    '    max-smtp-out five',
    '    max-msg-rate 0.5/s',
    '</domain>',
    '',
  ].join('\n');
  const f = only(text, 'invalid-value');
  assert.deepEqual(
    f.map((x) => text.slice(x.span.start, x.span.end)),
    ['200/hour', '20min', 'maybe', 'five', '0.5/s'],
  );
  assert.match(f[4].message, /whole number: write 30\/m instead of 0\.5\/s/);
  assert.equal(applyFix(text, f[4]).includes('max-msg-rate 30/m'), true);
});

test('invalid-value: the guide\'s "max-smtp-out tuning 5" keeps the number', () => {
  const text = '<domain a.com>\nmax-smtp-out tuning 5\n</domain>\n';
  const f = only(text, 'invalid-value');
  assert.equal(f.length, 1);
  assert.equal(applyFix(text, f[0]), '<domain a.com>\nmax-smtp-out 5\n</domain>\n');
});

test('invalid-value: valid values are accepted', () => {
  const text = [
    'smtp-listener 0/0:25',
    'http-access 10.1.0/24 admin',
    '<domain [*.]example.com>',
    '    max-msg-rate 1/2s',
    '    max-connect-rate 30/m',
    '    retry-after 10m,1h,4h',
    '    bounce-after 4d12h',
    '    backoff-notify ""',
    '    use-starttls yes',
    '</domain>',
    '<virtual-mta v>',
    '    smtp-source-host 2001:db8::1 v6.example.com',
    '</virtual-mta>',
    '',
  ].join('\n');
  assert.deepEqual(show(text, only(text, 'invalid-value')), []);
});

test('invalid-value: pattern rules and block arguments', () => {
  const text = [
    '<smtp-pattern-list p>',
    '    reply /RP-001/ retry-after=4h',
    '    reply /x/ backoff-to-normal-after=1h',
    '    reply /unclosed mode=backoff',
    '    bounce /x/ mode=backoff',
    '</smtp-pattern-list>',
    '<domain not a domain>',
    '</domain>',
    '',
  ].join('\n');
  const msgs = show(text, only(text, 'invalid-value'));
  assert.deepEqual(msgs, [
    '2:20-2:34 "retry-after=4h" | Unknown pattern action "retry-after" (there is no per-pattern retry-after: use mode=backoff and backoff-retry-after in the domain); actions are mode, backoff-to-normal-after, skip-mx, bounce-queue, bounce-rcpt, defer-queue, disable-source-ip, reenable-after',
    '3:15-3:41 "backoff-to-normal-after=1h" | backoff-to-normal-after needs mode=backoff before it',
    '4:11-4:33 "/unclosed mode=backoff" | The regular expression is not closed with "/" (a pattern must fit on one line)',
    '5:5-5:11 "bounce" | Expected "reply /regex/ actions" in <smtp-pattern-list>',
    '7:9-7:21 "not a domain" | "not a domain" is not a domain pattern (use *, example.com, *.example.com, [*.]example.com, [ip/mask] or $macro)',
  ]);
});

test('invalid-value: template placeholders are not checked', () => {
  const text = '<virtual-mta v>\nsmtp-source-host {{ip}} {{domain}}\n</virtual-mta>\nsmtp-listener IP1_ADDRESS:25\n';
  assert.deepEqual(only(text, 'invalid-value'), []);
});

// ---------------------------------------------------------------- undefined-reference

test('undefined-reference: vmta, pool, pattern list and macro', () => {
  const text = [
    '<virtual-mta mta1>',
    '</virtual-mta>',
    '<virtual-mta-pool pool>',
    '    virtual-mta mta1',
    '    virtual-mta mta2',
    '</virtual-mta-pool>',
    '<source 0/0>',
    '    default-virtual-mta pol',
    '</source>',
    '<domain $hotmail>',
    '    smtp-pattern-list errors',
    '</domain>',
    '',
  ].join('\n');
  const f = only(text, 'undefined-reference');
  assert.deepEqual(show(text, f), [
    '5:17-5:21 "mta2" | The virtual MTA "mta2" is not defined; did you mean "mta1"?',
    '8:25-8:28 "pol" | The virtual MTA or pool "pol" is not defined; did you mean "pool"?',
    '10:10-10:17 "hotmail" | The domain macro "hotmail" is not defined; define it with domain-macro hotmail …',
    '11:23-11:29 "errors" | The smtp-pattern-list "errors" is not defined; define it with <smtp-pattern-list errors>',
  ]);
  assert.equal(f[0].severity, 'error');
  assert.ok(applyFix(text, f[1]).includes('default-virtual-mta pool\n'));
});

test('undefined-reference: definitions anywhere in the file, specials, and files linted together', () => {
  const text = '<source 0/0>\ndefault-virtual-mta by-smtp-source-ip\n</source>\n<smtp-user u>\nsource {pmta-auth}\n</smtp-user>\n<source {pmta-auth}>\ndefault-virtual-mta p\n</source>\n';
  const service = new PmtaLanguageService();
  const a = doc(text);
  const b = doc('<virtual-mta-pool p>\n</virtual-mta-pool>\n', 'file:///test/pools.conf');
  assert.deepEqual(
    service.lint(a).filter((f) => f.rule === 'undefined-reference').map((f) => f.message),
    ['The virtual MTA or pool "p" is not defined; define it with <virtual-mta p> or <virtual-mta-pool p>'],
  );
  assert.deepEqual(
    service.lint(a, { siblings: [a, b] }).filter((f) => f.rule === 'undefined-reference'),
    [],
  );
});

test('undefined-reference: with thousands of names, the first undefined ones get suggestions, the others are reported without', () => {
  const n = 1000;
  const text = Array.from({ length: n }, (_, i) => `<smtp-pattern-list p${i}>\n</smtp-pattern-list>\n<domain d${i}.example>\n    smtp-pattern-list q${i}\n</domain>\n`).join('');
  const f = only(text, 'undefined-reference');
  assert.equal(f.length, n);
  // 200,000 comparisons with 1,000 defined names: 200 undefined names are compared
  const suggested = f.filter((x) => x.fixes.length > 0);
  assert.equal(suggested.length, 200);
  assert.deepEqual(suggested, f.slice(0, 200));
  assert.equal(f[0].message, 'The smtp-pattern-list "q0" is not defined; did you mean "p0" or "p1" or "p2"?');
  assert.deepEqual(f[0].fixes.map((x) => x.title), ['Change to "p0"', 'Change to "p1"', 'Change to "p2"']);
  assert.match(f[200].message, /^The smtp-pattern-list "q200" is not defined; define it with /);
});

// ---------------------------------------------------------------- duplicate-block / duplicate-directive

test('duplicate-block: the same domain twice at one level', () => {
  const text = '<domain hotmail.com>\nmax-smtp-out 2\n</domain>\n<domain Hotmail.com>\nmax-smtp-out 3\n</domain>\n<virtual-mta v>\n<domain hotmail.com>\n</domain>\n</virtual-mta>\n';
  const f = only(text, 'duplicate-block');
  assert.deepEqual(show(text, f), ['4:1-4:21 "<domain Hotmail.com>" | <domain Hotmail.com> is already defined at line 1; merge the two blocks']);
  assert.equal(f[0].related?.[0].span.start, 0);
});

test('duplicate-directive: a single-valued directive set twice', () => {
  const text = '<source 127.0.0.1>\n    add-message-id-header false\n    hide-message-source true\n    add-message-id-header true\n</source>\n';
  const f = only(text, 'duplicate-directive');
  assert.equal(f.length, 1);
  assert.equal(text.slice(f[0].span.start, f[0].span.end), 'add-message-id-header');
  assert.equal(f[0].span.start, 23);
  assert.equal(applyFix(text, f[0]), '<source 127.0.0.1>\n    hide-message-source true\n    add-message-id-header true\n</source>\n');
});

test('duplicate rules: a level interrupted by a nested block, and many named blocks at one level', () => {
  // the same name in a nested block in between is neither the first nor a duplicate
  const blocks = '<domain a.com>\n</domain>\n<virtual-mta v>\n<domain a.com>\n</domain>\n</virtual-mta>\n<domain A.com>\n</domain>\n';
  assert.deepEqual(show(blocks, only(blocks, 'duplicate-block')), ['7:1-7:15 "<domain A.com>" | <domain A.com> is already defined at line 1; merge the two blocks']);
  const lines = '<virtual-mta v>\nmax-smtp-out 1\n<domain a.com>\nmax-smtp-out 2\n</domain>\nmax-smtp-out 3\n</virtual-mta>\n';
  const f = only(lines, 'duplicate-directive');
  assert.deepEqual(show(lines, f), ['2:1-2:13 "max-smtp-out" | "max-smtp-out 1" is overridden by "max-smtp-out 3" at line 6; only the last one counts']);
  // more than a handful of named blocks at one level (looked up in a map rather than a list)
  const many = Array.from({ length: 40 }, (_, i) => `<domain d${i}.com>\n</domain>\n`).join('') + '<domain d3.com>\n</domain>\n<domain d39.com>\n</domain>\n';
  assert.deepEqual(
    only(many, 'duplicate-block').map((x) => x.message),
    ['<domain d3.com> is already defined at line 7; merge the two blocks', '<domain d39.com> is already defined at line 79; merge the two blocks'],
  );
});

// ---------------------------------------------------------------- settings and suppression

test('settings: a rule can be turned off or its severity changed', () => {
  const text = '<domain a.com>\nmax-smtp-outt 5\n</domain>\n';
  assert.deepEqual(lint(text, { rules: { 'unknown-directive': 'off' } }), []);
  assert.equal(lint(text, { rules: { 'unknown-directive': 'error' } })[0].severity, 'error');
});

test('suppression comments', () => {
  const text = '<domain a.com>\n# pmta-lint: disable-next-line unknown-directive\nmax-smtp-outt 5\nmax-smtp-outt 6\n# pmta-lint: disable\nfoo-bar 1\n</domain>\n';
  const f = lint(text);
  assert.deepEqual(
    f.map((x) => `${x.rule}@${doc(text).positionAt(x.span.start).line + 1}`),
    ['unknown-directive@4'],
  );
});

test('fixAll applies safe fixes until nothing changes, and is idempotent', () => {
  const text = '<domain a.com>\nmax-conn-rate 0.5/s\n</domain>\ndomain b.com {{ max-smtp-out 2 }}\n<domain c.com\n</domain>\n';
  const service = new PmtaLanguageService();
  const { text: fixed } = service.fixAll(doc(text));
  assert.equal(fixed, '<domain a.com>\nmax-connect-rate 30/m\n</domain>\n<domain b.com>\n    max-smtp-out 2\n</domain>\n<domain c.com>\n</domain>\n');
  assert.equal(service.fixAll(doc(fixed)).text, fixed);
});

// ---------------------------------------------------------------- corpus and examples

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

test('invalid-value: a pattern wrapped over several lines is one finding, with a fix that joins it', () => {
  const text = [
    '<bounce-category-patterns>',
    '    /(user|mailbox) (has|is)? *(currently|temporarily ',
    '+)?(disabled|not',
    '',
    'activated)/ inactive-mailbox',
    '    /does not ',
    'exist|bad|',
    '',
    'invalid/ bad-mailbox',
    '    /.*/ other',
    '</bounce-category-patterns>',
    '',
  ].join('\n');
  const found = only(text, 'invalid-value');
  assert.deepEqual(show(text, found), [
    '2:5-5:29 "/(user|mailbox) (has|is)? *(currently|temporarily \\n+)?(disabled|not\\n\\nactivated)/ inactive-mailbox" | This pattern is wrapped over 4 lines (its closing "/" is on line 5); PowerMTA reads one pattern per line, so none of these lines works. Join them into one line.',
    '6:5-9:21 "/does not \\nexist|bad|\\n\\ninvalid/ bad-mailbox" | This pattern is wrapped over 4 lines (its closing "/" is on line 9); PowerMTA reads one pattern per line, so none of these lines works. Join them into one line.',
  ]);
  assert.equal(found[0].fixes[0].title, 'Join the 4 lines of this pattern into one');
  assert.equal(found[0].fixes[0].safe, false);
  // a space comes back between two words a blank line separated, not after a "|"
  let fixed = applyFix(text, found[0]);
  fixed = applyFix(fixed, only(fixed, 'invalid-value')[0]);
  assert.equal(
    fixed,
    '<bounce-category-patterns>\n    /(user|mailbox) (has|is)? *(currently|temporarily +)?(disabled|not activated)/ inactive-mailbox\n    /does not exist|bad|invalid/ bad-mailbox\n    /.*/ other\n</bounce-category-patterns>\n',
  );
  assert.deepEqual(lint(fixed), []);
});
