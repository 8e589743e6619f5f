import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import { parse, rebuild, tokensOf } from '../../server/src/parser/parser';
import { findComment, newScanner, scanLine } from '../../server/src/parser/scanner';
import fc from 'fast-check';
import {
  bodyLines,
  type Block,
  type DirectiveLine,
  type OpenTagLine,
  type PatternLine,
  type SyntaxTree,
} from '../../server/src/parser/ast';
import { isDirectiveName } from '../../server/src/knowledge/catalog';
import { corpusFiles, CORPUS_MISSING } from '../helpers/util';

function tokensCover(tree: SyntaxTree): void {
  let pos = 0;
  for (const l of tree.lines) {
    assert.equal(l.start, pos, `line ${l.line} starts where the previous ended`);
    for (const t of tokensOf(l)) {
      assert.equal(t.start, pos, `token ${t.kind} at ${t.start} is contiguous`);
      assert.ok(t.end > t.start, 'tokens are not empty');
      pos = t.end;
    }
    assert.equal(pos, l.end, `line ${l.line} tokens end at the line end`);
  }
  assert.equal(pos, tree.text.length, 'lines cover the whole text');
}

const TRICKY = [
  '',
  '\n',
  'postmaster a@b.c',
  'postmaster a@b.c\r\n<domain x.com>\r\n  max-smtp-out 5 # five\r\n</domain>\r\n',
  '<domain bücher.de>\n\tmax-msg-rate 1/s\n</domain>',
  '# 😀 emoji in a comment\nhost-name 😀.example\n',
  '<domain a>\n<domain b>\n</domain>\n',
  '</stray>\n\u0000\u0001junk\n}}\n',
  'domain-macro x a.com,\n   b.com,\n c.com\nmax-smtp-out 3\n',
  'dkim-sign domain="x" \\\n  selector="s1"\n',
  'domain outlook.com {{\nmax-smtp-out 5\n}}\ndomain live.com {{ mx-rollup outlook.com }}\n',
  '<smtp-pattern-list p>\nreply /a\\/b # c/ mode=backoff # comment\nreply /unterminated\n</smtp-pattern-list>',
  '{{#each ips}}\n<virtual-mta m-{{sub}}>\nsmtp-source-host {{ip}} {{domain}}\n</virtual-mta>\n{{/each}}\n',
  '<source 0/0   # all\n\r\r\n',
  '\t \n<\n</\n<>\n',
  // a name ending in a backslash that continues the line: the backslash stays in the name, once
  'foo\\\nbar\n',
];

test('parser is lossless and its tokens cover the text exactly', () => {
  for (const text of TRICKY) {
    const tree = parse(text, { isDirectiveName });
    assert.equal(rebuild(tree), text);
    tokensCover(tree);
  }
});

test('tags: name, argument and tag spans', () => {
  const text = '  <domain  hotmail.co.uk >   # microsoft\n  </domain>\n';
  const tree = parse(text);
  const open = tree.lines[0] as OpenTagLine;
  assert.equal(open.kind, 'open-tag');
  assert.equal(open.name, 'domain');
  assert.deepEqual([open.nameSpan.start, open.nameSpan.end], [3, 9]);
  assert.equal(open.arg, 'hotmail.co.uk');
  assert.equal(text.slice(open.argSpan.start, open.argSpan.end), 'hotmail.co.uk');
  assert.equal(text.slice(open.tagSpan.start, open.tagSpan.end), '<domain  hotmail.co.uk >');
  assert.equal(text.slice(open.comment!.start, open.comment!.end), '# microsoft');
  const block = tree.children[0] as Block;
  assert.equal(block.kind, 'block');
  assert.equal(block.close?.kind, 'close-tag');
  assert.equal(tree.diagnostics.length, 0);
});

test('directives: name, value, words, trailing comment', () => {
  const text = 'max-smtp-out    20   # per domain\nbackoff-notify ""\nrelay-domain "a b" c\n';
  const tree = parse(text);
  const [a, b, c] = tree.lines as DirectiveLine[];
  assert.equal(a.name, 'max-smtp-out');
  assert.equal(a.value, '20');
  assert.deepEqual([a.valueSpan.start, a.valueSpan.end], [16, 18]);
  assert.equal(text.slice(a.comment!.start, a.comment!.end), '# per domain');
  assert.equal(b.args[0].text, '');
  assert.equal(b.args[0].quoted, true);
  assert.deepEqual(
    c.args.map((w) => w.text),
    ['a b', 'c'],
  );
});

test('the value of several words: as written with one space between words, quotes kept; other white space made one space', () => {
  const text =
    'relay-domain "a b" c\n' +
    'domain-macro m a.com, b.com,c.com\n' +
    'smtp-source-host 1.2.3.4  "x y"\tz   # note\n' +
    'domain-macro n a.com, \\\n    b.com\n';
  const lines = parse(text).lines as DirectiveLine[];
  assert.deepEqual(
    lines.map((l) => l.value),
    ['"a b" c', 'm a.com, b.com,c.com', '1.2.3.4 "x y" z', 'n a.com, b.com'],
  );
});

test('a value of more than 64 words: the same words, values and spans, made when asked for, also after an edit before the line', () => {
  // 70 words: plain ones, a quoted one with an escape, one glued to a quote; tabs and a continued line
  const words = Array.from({ length: 66 }, (_, i) => `d${i}.example,`);
  const line = `domain-macro m ${words.join(' ')} "q \\" w"\tx"y" \\\n  last # note`;
  const expected = ['m', ...words, 'q " w', 'x"y"', 'last'];
  const check = (l: DirectiveLine, at: number) => {
    assert.equal(l.value, `m ${words.join(' ')} "q \\" w" x"y" last`);
    assert.deepEqual(l.firstArg, { text: 'm', start: at + 13, end: at + 14, quoted: false });
    assert.deepEqual(
      l.args.map((w) => w.text),
      expected,
    );
    // every word's span holds its text as written
    for (const w of l.args) {
      const raw = (at === 0 ? line : 'a 1\n' + line).slice(w.start, w.end);
      assert.equal(w.quoted ? raw.startsWith('"') : raw === w.text, true, raw);
    }
    assert.equal(l.args[67].quoted, true);
    assert.equal(l.plainValue, false);
  };
  const first = parse(line + '\n');
  check(first.lines[0] as DirectiveLine, 0);
  // taken over by the parse of a new version: the words, not made before, are made in the new text
  const before = parse(line + '\n');
  const after = parse('a 1\n' + line + '\n', { previous: before });
  assert.equal(after.lines[1], before.lines[0], 'the line is taken over');
  check(after.lines[1] as DirectiveLine, 4);
});

test('a "#" inside a word is not a comment, after white space it is', () => {
  const tree = parse('password ab#cd\nhttp-access #YOUR_IP admin\n');
  const [a, b] = tree.lines as DirectiveLine[];
  assert.equal(a.value, 'ab#cd');
  assert.equal(a.comment, undefined);
  assert.equal(b.value, '');
  assert.ok(b.comment);
});

test('continuations: trailing backslash and a list continued after a comma', () => {
  const text = 'domain-macro m a.com,\nb.com,\n  c.com\nmax-smtp-out 3\ndkim-sign x \\\n  y\n';
  const tree = parse(text, { isDirectiveName });
  const lines = tree.lines as DirectiveLine[];
  assert.equal(lines.length, 3);
  assert.equal(lines[0].physicalLines, 3);
  assert.deepEqual(
    lines[0].args.map((w) => w.text),
    ['m', 'a.com,', 'b.com,', 'c.com'],
  );
  assert.equal(lines[1].name, 'max-smtp-out');
  assert.equal(lines[2].physicalLines, 2);
  assert.deepEqual(
    lines[2].args.map((w) => w.text),
    ['x', 'y'],
  );
});

test('a trailing comma does not swallow the next directive', () => {
  const tree = parse('domain-macro m a.com,\nmax-smtp-out 3\n', { isDirectiveName });
  assert.equal(tree.lines.length, 2);
  assert.equal((tree.lines[1] as DirectiveLine).name, 'max-smtp-out');
});

test('recovery: unclosed, stray and mismatched tags', () => {
  const text = '<domain a>\n<virtual-mta v>\nmax-smtp-out 1\n</domain>\n</source>\n<domain b>\nretry-after 1m\n';
  const tree = parse(text);
  const msgs = tree.diagnostics.map((d) => `${d.code} ${text.slice(d.start, d.end)} ${d.data?.kind}`);
  assert.deepEqual(msgs, [
    'syntax <virtual-mta v> unclosed',
    'syntax </source> stray-close',
    'syntax <domain b> unclosed',
  ]);
  // analysis continues: <domain b> still holds its directive
  const blocks = tree.children.filter((n): n is Block => n.kind === 'block');
  assert.equal(blocks.length, 2);
  assert.equal(blocks[1].arg, 'b');
  assert.equal((blocks[1].children[1] as DirectiveLine).name, 'retry-after');
});

test('recovery: a block ends where its last line ends, nested blocks that are not closed included', () => {
  const ends = (text: string) => {
    const out: string[] = [];
    const visit = (nodes: readonly import('../../server/src/parser/ast').Node[], depth: number) => {
      for (const n of nodes) {
        if (n.kind !== 'block') continue;
        out.push(`${'  '.repeat(depth)}${n.name} ${n.start}-${n.end}`);
        visit(n.children, depth + 1);
      }
    };
    visit(parse(text).children, 0);
    return out;
  };
  // not closed at the end of the file: the outer block covers the inner one to its last line
  assert.deepEqual(ends('<virtual-mta m>\n<domain a>\nx 1\ny 2\n'), ['virtual-mta 0-35', '  domain 16-35']);
  // closed by the outer close tag, the inner one reported
  assert.deepEqual(ends('<virtual-mta m>\n<domain a>\nx 1\n</virtual-mta>\n'), ['virtual-mta 0-46', '  domain 16-31']);
  assert.deepEqual(ends('<a>\n<b>\n<c>\nx\n</a>\nz\n'), ['a 0-19', '  b 4-14', '    c 8-14']);
  assert.deepEqual(ends('domain x {{\n<domain a>\nq 1\n}}\n'), ['domain 0-30', '  domain 12-27']);
});

test('recovery: thousands of nested blocks, closed, not closed, or followed by stray closes', () => {
  const n = 3000;
  const opens = Array.from({ length: n }, (_, i) => `<domain d${i}>\n`).join('');
  // closed: each block ends at its own close tag
  const closed = parse(opens + '</domain>\n'.repeat(n));
  let b = closed.children[0] as Block;
  assert.equal(b.end, closed.text.length);
  for (let i = 1; i < n; i++) b = b.children[1] as Block;
  assert.equal(b.arg, `d${n - 1}`);
  assert.equal(b.end, opens.length + '</domain>\n'.length);
  assert.equal(closed.diagnostics.length, 0);
  // stray closes of another block under them: each reported, naming the innermost open block
  const stray = parse(opens + '</virtual-mta>\n'.repeat(n));
  const strays = stray.diagnostics.filter((d) => d.data?.kind === 'stray-close');
  assert.equal(strays.length, n);
  assert.equal(strays[0].message, `Stray </virtual-mta>: no <virtual-mta> is open (the open block is <domain>)`);
  assert.deepEqual([strays[n - 1].start, strays[n - 1].end], [stray.text.length - 15, stray.text.length - 1]);
  assert.equal(stray.diagnostics.filter((d) => d.data?.kind === 'unclosed').length, n);
  assert.equal((stray.children[0] as Block).end, stray.text.length);
  // "}}" under open tags: closes the pseudo block, every tag block in it reported
  const pseudo = parse('domain x {{\n' + opens + '}}\n}}\n');
  assert.deepEqual(
    pseudo.diagnostics.map((d) => d.data?.kind).filter((k, i, a) => a.indexOf(k) === i),
    ['pseudo-open', 'unclosed', 'stray-pseudo-close'],
  );
  assert.equal(pseudo.diagnostics.filter((d) => d.data?.kind === 'unclosed').length, n);
});

test('recovery: missing ">" and text after a tag', () => {
  const text = '<domain a\nmax-smtp-out 1\n</domain> max-smtp-out 2\n';
  const tree = parse(text);
  assert.deepEqual(
    tree.diagnostics.map((d) => [d.data?.kind, text.slice(d.start, d.end)]),
    [
      ['missing-gt', '<domain a'],
      ['text-after-tag', 'max-smtp-out 2'],
    ],
  );
});

test('junk bytes make an error line and parsing goes on', () => {
  const text = 'max-smtp-out 1\n\u0000\u0007bad\nretry-after 1m\n# comment with \u001a is fine\n';
  const tree = parse(text);
  assert.deepEqual(
    tree.lines.map((l) => l.kind),
    ['directive', 'error', 'directive', 'comment'],
  );
  assert.equal(tree.diagnostics.length, 1);
  assert.equal(tree.diagnostics[0].start, 15);
});

test('template lines and placeholders are not errors', () => {
  const text =
    '{{#each ips}}\n  {{#with this }}\n<virtual-mta mailer-{{sub}}>\n  smtp-source-host {{ip}} {{domain}}\n</virtual-mta>\n  {{/with}}\n{{/each}}\n{% if x %}\n__BLOCKS__\n<source {{sourceIp}}>\n</source>\n';
  const tree = parse(text);
  assert.deepEqual(tree.diagnostics, []);
  assert.deepEqual(
    tree.lines.map((l) => l.kind),
    [
      'template',
      'template',
      'open-tag',
      'directive',
      'close-tag',
      'template',
      'template',
      'template',
      'template',
      'open-tag',
      'close-tag',
    ],
  );
});

test('blog pseudo-syntax: open, close, inline, and pattern lines inside', () => {
  const text =
    'smtp-pattern-list ms {{\n"421 4.7.0 RP-001" retry-after=4h\n}}\ndomain hotmail.com {{ mx-rollup outlook.com }}\n';
  const tree = parse(text);
  assert.deepEqual(
    tree.diagnostics.map((d) => [d.code, text.slice(d.start, d.end)]),
    [
      ['pseudo-syntax', 'smtp-pattern-list ms {{'],
      ['pseudo-syntax', 'domain hotmail.com {{ mx-rollup outlook.com }}'],
    ],
  );
  const [list, dom] = tree.children as Block[];
  assert.equal(list.pseudo, true);
  assert.equal(list.name, 'smtp-pattern-list');
  const pat = list.children[1] as PatternLine;
  assert.equal(pat.kind, 'pattern');
  assert.equal(pat.quoted?.text, '421 4.7.0 RP-001');
  assert.equal(dom.arg, 'hotmail.com');
  const inner = dom.children[1] as DirectiveLine;
  assert.equal(inner.name, 'mx-rollup');
  assert.equal(text.slice(inner.nameSpan.start, inner.nameSpan.end), 'mx-rollup');
});

test('pattern lines: regex with escaped slash and # inside, actions and comment', () => {
  const text =
    '<smtp-pattern-list p>\n  reply /a\\/b c/ mode=backoff,backoff-to-normal-after=1h # x\n</smtp-pattern-list>\n';
  const tree = parse(text);
  const p = tree.lines[1] as PatternLine;
  assert.equal(p.regex?.body, 'a\\/b c');
  assert.equal(p.regex?.terminated, true);
  assert.deepEqual(
    p.rest.map((w) => w.text),
    ['mode=backoff,backoff-to-normal-after=1h'],
  );
  assert.equal(text.slice(p.comment!.start, p.comment!.end), '# x');
});

test('bodyLines: the lines of a block between its open and close lines, nested blocks left out', () => {
  const text =
    '<virtual-mta-pool p>\n# members\n    virtual-mta a\n<domain x>\n  max-smtp-out 1\n</domain>\n\n    virtual-mta b\n</virtual-mta-pool>\ndomain y {{ max-smtp-out 2 }}\n<domain z>\n';
  const tree = parse(text, { isDirectiveName });
  const [pool, inline, unclosed] = tree.children as Block[];
  const lines = (b: Block) => bodyLines(b).map((l) => `${l.kind}@${l.line}`);
  assert.deepEqual(lines(pool), ['comment@1', 'directive@2', 'blank@6', 'directive@7']);
  // an inline pseudo block's inner directive is its body
  assert.deepEqual(lines(inline), ['directive@9']);
  assert.deepEqual(lines(unclosed), []);
});

test('every real config in the corpus parses losslessly with no syntax finding', (t) => {
  const files = corpusFiles();
  if (files.length === 0) {
    t.skip(CORPUS_MISSING);
    return;
  }
  for (const f of files) {
    const text = fs.readFileSync(f, 'utf8');
    const tree = parse(text, { isDirectiveName });
    assert.equal(rebuild(tree), text, f);
    tokensCover(tree);
    assert.deepEqual(
      tree.diagnostics.filter((d) => d.code === 'syntax' || d.code === 'pseudo-syntax'),
      [],
      f,
    );
  }
});

test('an edit re-parses only the lines it touches: the others are taken over from the previous tree, moved', () => {
  const text = [
    '<virtual-mta m1>', //           0
    '  smtp-source-host 1.2.3.4 m1.example', // 1
    '  <domain outlook.com>', //     2
    '    max-smtp-out 5', //         3
    '    max-msg-rate 100/h', //     4
    '  </domain>', //                5
    '</virtual-mta>', //             6
    '<smtp-pattern-list e>', //      7
    '  reply /RP-001/ mode=backoff', // 8
    '</smtp-pattern-list>', //       9
    '',
  ].join('\n');
  const before = parse(text, { isDirectiveName });
  const old = [...before.lines];
  const [oldVmta, oldList] = before.children as Block[];
  const [oldVmtaChildren, oldListChildren, oldDomain] = [oldVmta.children, oldList.children, oldVmta.children[2]];
  // "max-smtp-out 5" becomes "max-smtp-out 25": one character more on line 3
  const at = text.indexOf('5\n    max-msg-rate');
  const edited = text.slice(0, at) + '2' + text.slice(at);
  const after = parse(edited, { isDirectiveName, previous: before });
  assert.deepEqual(
    after.lines.map((l, i) => l === old[i]),
    [true, true, false, false, true, true, true, true, true, true],
    'lines 0 and 1 are taken over as they were; 2 (whose next line changed) and 3 are parsed again; the rest is moved',
  );
  const rate = after.lines[4] as DirectiveLine;
  assert.equal(rate.start, edited.indexOf('    max-msg-rate'));
  assert.equal(rate.line, 4);
  assert.deepEqual(rate.valueSpan, { start: edited.indexOf('100/h'), end: edited.indexOf('100/h') + 5 });
  assert.deepEqual(
    tokensOf(after.lines[8]).map((t) => edited.slice(t.start, t.end)),
    ['  ', 'reply', ' ', '/RP-001/', ' ', 'mode=backoff', '\n'],
  );
  assert.equal((after.lines[3] as DirectiveLine).value, '25');
  assert.equal(rebuild(after), edited);
  // blocks are built again around the lines taken over
  const vmta = after.children[0] as Block;
  assert.equal(vmta.end, edited.indexOf('<smtp-pattern-list'));
  assert.equal(after.lines[4].parent, vmta.children[2] as Block);
  // ... and a block whose open tag is taken over is the same object: the pattern list keeps its children
  // array too; the virtual MTA gets a new one, as its <domain> (whose open tag was parsed again) is new
  const list = after.children[1] as Block;
  assert.equal(list, oldList);
  assert.equal(list.children, oldListChildren);
  assert.equal(vmta, oldVmta);
  assert.notEqual(vmta.children, oldVmtaChildren);
  assert.notEqual(vmta.children[2], oldDomain);
  assert.deepEqual(
    [list.start, list.end, list.argSpan],
    [
      edited.indexOf('<smtp-pattern-list'),
      edited.length,
      { start: edited.indexOf(' e>') + 1, end: edited.indexOf(' e>') + 2 },
    ],
  );

  // an edit that keeps the length ("100/h" becomes "200/h"): the lines after it are taken over too
  const same = edited.replace('100/h', '200/h');
  const kept = [...after.lines];
  const sameLength = parse(same, { isDirectiveName, previous: after });
  assert.deepEqual(
    sameLength.lines.map((l, i) => l === kept[i]),
    [true, true, true, false, false, true, true, true, true, true],
  );
  assert.equal(rebuild(sameLength), same);

  // a line that now stands in another kind of block is parsed again: without the pattern list's open
  // tag, "reply /RP-001/ …" is a directive, not a pattern
  const noList = same.replace('<smtp-pattern-list e>', '#');
  const third = parse(noList, { isDirectiveName, previous: sameLength });
  assert.equal(third.lines[8].kind, 'directive');
  assert.deepEqual(
    third.diagnostics.map((d) => d.message),
    ['Stray </smtp-pattern-list>: no <smtp-pattern-list> is open'],
  );
});

test("the scanner's scanLine finds what the comment search and the scan of the text before the comment found apart", () => {
  // the two passes scanLine replaced: the comment first (the search findComment made on its own), then
  // junk, `{{` and the end of the text before it
  const commentAt = (text: string, from: number, to: number) => {
    let quote = false;
    let braces = 0;
    for (let i = from; i < to; i++) {
      const c = text[i];
      if (quote) {
        if (c === '\\') i++;
        else if (c === '"') quote = false;
        continue;
      }
      if (c === '"') quote = true;
      else if (c === '{') {
        if (text[i + 1] === '{') {
          braces++;
          i++;
        }
      } else if (c === '}') {
        if (braces > 0 && text[i + 1] === '}') {
          braces--;
          i++;
        }
      } else if (c === '#' && braces === 0 && (i === from || text[i - 1] === ' ' || text[i - 1] === '\t')) return i;
    }
    return -1;
  };
  const reference = (text: string, from: number, to: number) => {
    const comment = commentAt(text, from, to);
    const bodyEnd = comment >= 0 ? comment : to;
    let junk = -1;
    let braces = false;
    let stop = from;
    for (let i = from; i < bodyEnd; i++) {
      const c = text.charCodeAt(i);
      if ((c <= 0x1f && c !== 9 && c !== 10 && c !== 13) || c === 0x7f) {
        junk = i;
        break;
      }
      if (c === 123 && text.charCodeAt(i + 1) === 123 && i + 1 < bodyEnd) braces = true;
      if (!/\s/.test(text[i])) stop = i + 1;
    }
    return { comment, junk, braces, stop };
  };
  const line = fc.string({
    unit: fc.constantFrom('a', ' ', '\t', '#', '"', '\\', '{', '}', '\u0001', '\u00a0', 'x'),
    maxLength: 30,
  });
  fc.assert(
    fc.property(line, fc.nat(3), (text, lead) => {
      const from = Math.min(lead, text.length);
      const scan = newScanner();
      const comment = scanLine(scan, text, from, text.length);
      const got = { comment, junk: scan.junk, braces: scan.braces, stop: scan.stop };
      const want = reference(text, from, text.length);
      if (findComment(newScanner(), text, from, text.length) !== want.comment) return false;
      // after junk the line is an error: scanLine stops there and does not look for the comment
      if (want.junk >= 0) return got.junk === want.junk;
      return got.junk === -1 && got.comment === want.comment && got.braces === want.braces && got.stop === want.stop;
    }),
    { numRuns: 5000 },
  );
});

test('directive names and words: capitals and non-ASCII lowered, every \\s splits words, a quote glues, continued lines', () => {
  const text =
    'Max-Smtp-Out\t5 # c\nMÜLLER-x a\u00a0b\u2003c  "q d"e \\\n   f,\n  g\nsmtp-source-host{{x}} 1.2.3.4\n' +
    'host-name\u2028 x\nDomain-Key s1,\texample.com,\t\t/k\u00a0\n';
  const tree = parse(text, { isDirectiveName });
  const got = tree.lines
    .filter((l): l is DirectiveLine => l.kind === 'directive')
    .map((l) => [
      l.name,
      l.rawName,
      l.value,
      l.valueSpan.start,
      l.valueSpan.end,
      l.args.map((w) => [w.text, w.start, w.end, w.quoted]),
      l.physicalLines,
    ]);
  assert.deepEqual(got, [
    ['max-smtp-out', 'Max-Smtp-Out', '5', 13, 14, [['5', 13, 14, false]], 1],
    [
      'müller-x',
      'MÜLLER-x',
      'a b c "q d"e f, g',
      28,
      53,
      [
        ['a', 28, 29, false],
        ['b', 30, 31, false],
        ['c', 32, 33, false],
        ['q de', 35, 41, true],
        ['f,', 47, 49, false],
        ['g', 52, 53, false],
      ],
      3,
    ],
    ['smtp-source-host{{x}}', 'smtp-source-host{{x}}', '1.2.3.4', 76, 83, [['1.2.3.4', 76, 83, false]], 1],
    // U+2028 is no blank: it belongs to the name
    ['host-name\u2028', 'host-name\u2028', 'x', 95, 96, [['x', 95, 96, false]], 1],
    [
      'domain-key',
      'Domain-Key',
      's1, example.com, /k',
      108,
      128,
      [
        ['s1,', 108, 111, false],
        ['example.com,', 112, 124, false],
        ['/k', 126, 128, false],
      ],
      1,
    ],
  ]);
  assert.equal(rebuild(tree), text);
});
