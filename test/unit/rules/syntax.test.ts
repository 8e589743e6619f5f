/** The `syntax` rule: tags not closed, stray or mismatched, a missing ">", malformed lines, binary files. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { doc, lint, show } from '../../helpers/util';
import { applyFix, only } from '../../helpers/ruleTests';
import { PmtaLanguageService } from '../../../server/src/service';

test('syntax: unclosed tag, with a fix that closes it', () => {
  const text = '<domain a.com>\n    max-smtp-out 2\n';
  const f = only(text, 'syntax');
  assert.deepEqual(show(text, f), [
    '1:1-1:15 "<domain a.com>" | <domain a.com> is not closed: add </domain> at the end of the file',
  ]);
  assert.equal(f[0].severity, 'error');
  const fixed = applyFix(text, f[0]);
  assert.equal(fixed, '<domain a.com>\n    max-smtp-out 2\n</domain>\n');
  assert.deepEqual(only(fixed, 'syntax'), []);
});

test('syntax: a block not closed is closed before the first block or directive that cannot be inside it', () => {
  const text = [
    '<virtual-mta v1>',
    '    smtp-source-host 192.0.2.1 a.example',
    '<domain a.example>',
    '    max-smtp-out 2',
    '',
    '# b is for bulk',
    '<domain b.example>',
    '    max-smtp-out 3',
    '<virtual-mta v2>',
    '    smtp-source-host 192.0.2.2 b.example',
    '',
    'http-mgmt-port 8080',
    '',
  ].join('\r\n');
  const f = only(text, 'syntax');
  assert.deepEqual(show(text, f), [
    '1:1-1:17 "<virtual-mta v1>" | <virtual-mta v1> is not closed: add </virtual-mta> before <virtual-mta v2> on line 9, which cannot be inside <virtual-mta>',
    '3:1-3:19 "<domain a.example>" | <domain a.example> is not closed: add </domain> before <domain b.example> on line 7, which cannot be inside <domain>',
    '7:1-7:19 "<domain b.example>" | <domain b.example> is not closed: add </domain> before <virtual-mta v2> on line 9, which cannot be inside <domain>',
    '9:1-9:17 "<virtual-mta v2>" | <virtual-mta v2> is not closed: add </virtual-mta> before "http-mgmt-port" on line 12, which cannot be inside <virtual-mta>',
  ]);
  // each close tag goes after the block's last line that is neither blank nor a comment
  assert.equal(applyFix(text, f[1]), text.replace('max-smtp-out 2\r\n', 'max-smtp-out 2\r\n</domain>\r\n'));
  // fix all: a domain and the virtual-mta around it close at the same place, the domain first
  const { text: fixed, applied } = new PmtaLanguageService().fixAll(doc(text));
  assert.equal(applied, 4);
  assert.equal(
    fixed,
    [
      '<virtual-mta v1>',
      '    smtp-source-host 192.0.2.1 a.example',
      '<domain a.example>',
      '    max-smtp-out 2',
      '</domain>',
      '',
      '# b is for bulk',
      '<domain b.example>',
      '    max-smtp-out 3',
      '</domain>',
      '</virtual-mta>',
      '<virtual-mta v2>',
      '    smtp-source-host 192.0.2.2 b.example',
      '</virtual-mta>',
      '',
      'http-mgmt-port 8080',
      '',
    ].join('\r\n'),
  );
  assert.deepEqual(lint(fixed), []);
});

test('syntax: a block not closed whose lines may all be inside it is still closed at the end', () => {
  // a directive allowed neither in <domain> nor at the global level is no reason to close it early
  const text = '<domain a.example>\n    max-smtp-out 2\n    always-allow-relaying yes\n';
  const f = only(text, 'syntax');
  assert.deepEqual(show(text, f), [
    '1:1-1:19 "<domain a.example>" | <domain a.example> is not closed: add </domain> at the end of the file',
  ]);
  assert.equal(applyFix(text, f[0]), text + '</domain>\n');
});

test('syntax: a block not closed after a directive that ends in a backslash is closed after an empty line', () => {
  // the backslash joins the next line to the directive: </domain> right after it would be its value
  for (const [text, fixed] of [
    [
      '<domain a.example>\r\n    max-smtp-out 2 \\\r\n',
      '<domain a.example>\r\n    max-smtp-out 2 \\\r\n\r\n</domain>\r\n',
    ],
    ['<domain a.example>\n    max-smtp-out 2 \\', '<domain a.example>\n    max-smtp-out 2 \\\n\n</domain>\n'],
    // a backslash in a comment joins nothing
    ['<domain a.example>\n    max-smtp-out 2 # \\\n', '<domain a.example>\n    max-smtp-out 2 # \\\n</domain>\n'],
  ]) {
    const f = only(text, 'syntax');
    assert.equal(f.length, 1);
    assert.equal(applyFix(text, f[0]), fixed);
    assert.deepEqual(only(fixed, 'syntax'), []);
    assert.deepEqual(only(fixed, 'invalid-value'), []);
  }
});

test('syntax: thousands of blocks not closed, one after the other, are all closed in one round of fix all', () => {
  const n = 3000;
  const text = Array.from({ length: n }, (_, i) => `<domain d${i}.example>\n    max-smtp-out 2\n`).join('');
  const f = only(text, 'syntax');
  assert.equal(f.length, n);
  assert.match(f[0].message, /add <\/domain> before <domain d1\.example> on line 3,/);
  assert.match(f[n - 1].message, /add <\/domain> at the end of the file$/);
  const { text: fixed, applied } = new PmtaLanguageService().fixAll(doc(text));
  assert.equal(applied, n);
  assert.equal(
    fixed,
    Array.from({ length: n }, (_, i) => `<domain d${i}.example>\n    max-smtp-out 2\n</domain>\n`).join(''),
  );
});

test('syntax: stray and mismatched close tags', () => {
  const text = '<virtual-mta v1>\n<domain *>\nmax-smtp-out 1\n</virtual-mta>\n</domain>\n';
  const f = only(text, 'syntax');
  assert.deepEqual(show(text, f), [
    '2:1-2:11 "<domain *>" | <domain *> is not closed: add </domain> before </virtual-mta>',
    '5:1-5:10 "</domain>" | Stray </domain>: no <domain> is open',
  ]);
  assert.equal(
    applyFix(text, f[0]),
    '<virtual-mta v1>\n<domain *>\nmax-smtp-out 1\n</domain>\n</virtual-mta>\n</domain>\n',
  );
  assert.equal(applyFix(text, f[1]), '<virtual-mta v1>\n<domain *>\nmax-smtp-out 1\n</virtual-mta>\n');
});

test('syntax: stray close tags of several names under several open blocks: each message and fix its own', () => {
  const text = '</domain>\n<virtual-mta v>\n</domain>\n  </source>\n</virtual-mta>\n</DOMAIN>\r\n</source>';
  const f = only(text, 'syntax');
  assert.deepEqual(show(text, f), [
    '1:1-1:10 "</domain>" | Stray </domain>: no <domain> is open',
    '3:1-3:10 "</domain>" | Stray </domain>: no <domain> is open (the open block is <virtual-mta>)',
    '4:3-4:12 "</source>" | Stray </source>: no <source> is open (the open block is <virtual-mta>)',
    '6:1-6:10 "</DOMAIN>" | Stray </DOMAIN>: no <DOMAIN> is open',
    '7:1-7:10 "</source>" | Stray </source>: no <source> is open',
  ]);
  assert.deepEqual(
    f.map((x) => x.fixes.map((fix) => fix.title)),
    [
      ['Remove the stray </domain>'],
      ['Remove the stray </domain>'],
      ['Remove the stray </source>'],
      ['Remove the stray </DOMAIN>'],
      ['Remove the stray </source>'],
    ],
  );
  assert.equal(applyFix(text, f[2]), '</domain>\n<virtual-mta v>\n</domain>\n</virtual-mta>\n</DOMAIN>\r\n</source>');
  assert.equal(applyFix(text, f[3]), '</domain>\n<virtual-mta v>\n</domain>\n  </source>\n</virtual-mta>\n</source>');
  assert.equal(
    applyFix(text, f[4]),
    '</domain>\n<virtual-mta v>\n</domain>\n  </source>\n</virtual-mta>\n</DOMAIN>\r\n',
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

test('syntax: the ">" a tag misses goes right after its name or argument, not after the space before a comment', () => {
  for (const [text, fixed] of [
    ['<domain a.com>\n</domain # end of a.com\n', '<domain a.com>\n</domain> # end of a.com\n'],
    ['<domain a.com # the first\n</domain>\n', '<domain a.com> # the first\n</domain>\n'],
    ['<domain a.com>\r\n</domain \t\r\n', '<domain a.com>\r\n</domain> \t\r\n'],
  ]) {
    const f = only(text, 'syntax').filter((x) => x.message.startsWith('Missing ">"'));
    assert.equal(f.length, 1, text);
    assert.equal(applyFix(text, f[0]), fixed);
    assert.deepEqual(only(fixed, 'syntax'), []);
  }
});

test('syntax: a tag missing its ">" whose argument has several words: two fixes, neither applied by --fix', () => {
  const text =
    '<virtual-mta v1>\n\tsmtp-source-host 192.0.2.1 a.example\n\t<domain x.com max-smtp-out 5\n\t</domain>\n</virtual-mta>\n';
  const f = only(text, 'syntax').filter((x) => x.message.startsWith('Missing ">"'));
  assert.equal(f.length, 1);
  assert.deepEqual(
    f[0].fixes.map((x) => [x.title, !!x.isPreferred, !!x.safe]),
    [
      ['Add ">" after "x.com" and put "max-smtp-out 5" on a line of its own', true, false],
      ['Add ">" at the end of the line', false, false],
    ],
  );
  const fixed = applyFix(text, f[0]);
  assert.equal(
    fixed,
    '<virtual-mta v1>\n\tsmtp-source-host 192.0.2.1 a.example\n\t<domain x.com>\n\t\tmax-smtp-out 5\n\t</domain>\n</virtual-mta>\n',
  );
  assert.deepEqual(only(fixed, 'syntax'), []);
  assert.equal(
    applyFix(text, f[0], 1),
    '<virtual-mta v1>\n\tsmtp-source-host 192.0.2.1 a.example\n\t<domain x.com max-smtp-out 5>\n\t</domain>\n</virtual-mta>\n',
  );
  // one word: the ">" after it, applied by --fix
  const one = only('<domain x.com\n</domain>\n', 'syntax')[0];
  assert.deepEqual(
    one.fixes.map((x) => [x.title, !!x.isPreferred, !!x.safe]),
    [['Add ">"', true, true]],
  );
  const service = new PmtaLanguageService();
  assert.equal(service.fixAll(doc(text)).text, text);
});

test('syntax: text after a tag moved to its own line: no white space left behind, in the block only after an open tag', () => {
  const text = '  <domain a.com>\tmax-smtp-out 1 # one\r\n  </domain>   max-smtp-out 2\r\n';
  const f = only(text, 'syntax');
  assert.deepEqual(show(text, f), [
    '1:18-1:32 "max-smtp-out 1" | Text after the tag must go on its own line',
    '2:15-2:29 "max-smtp-out 2" | Text after the tag must go on its own line',
  ]);
  assert.equal(
    applyFix(text, f[0]),
    '  <domain a.com>\r\n      max-smtp-out 1 # one\r\n  </domain>   max-smtp-out 2\r\n',
  );
  assert.equal(applyFix(text, f[1]), '  <domain a.com>\tmax-smtp-out 1 # one\r\n  </domain>\r\n  max-smtp-out 2\r\n');
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

test('syntax: blocks nested and not closed, and stray close tags by the thousand: each finding has its own fix', () => {
  const n = 2000;
  const text =
    '<virtual-mta m>\n' +
    Array.from({ length: n }, (_, i) => `<domain d${i}>\n`).join('') +
    '</pattern-list>\n'.repeat(n) +
    '</virtual-mta>\n';
  const f = only(text, 'syntax');
  assert.equal(f.length, 2 * n);
  const unclosed = f.filter((x) => / is not closed: add <\/domain> before /.test(x.message));
  const stray = f.filter((x) => x.message.startsWith('Stray </pattern-list>'));
  assert.equal(unclosed.length, n);
  assert.equal(stray.length, n);
  // a domain cannot be inside a domain: each is closed before the next, right after its open tag; the
  // last one, with the stray close tags, before </virtual-mta>
  assert.deepEqual(
    unclosed.slice(0, 2).map((x) => [text.slice(x.span.start, x.span.end), x.message, x.fixes[0].title]),
    [
      [
        '<domain d0>',
        '<domain d0> is not closed: add </domain> before <domain d1> on line 3, which cannot be inside <domain>',
        'Close <domain> with </domain>',
      ],
      [
        '<domain d1>',
        '<domain d1> is not closed: add </domain> before <domain d2> on line 4, which cannot be inside <domain>',
        'Close <domain> with </domain>',
      ],
    ],
  );
  assert.ok(
    unclosed
      .slice(0, n - 1)
      .every(
        (x, i) =>
          x.fixes[0].changes[0].span.start === text.indexOf(`<domain d${i + 1}>`) &&
          x.fixes[0].changes[0].newText === '</domain>\n',
      ),
  );
  assert.equal(unclosed[n - 1].message, `<domain d${n - 1}> is not closed: add </domain> before </virtual-mta>`);
  assert.equal(unclosed[n - 1].fixes[0].changes[0].span.start, text.length - '</virtual-mta>\n'.length);
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
