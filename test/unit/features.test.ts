/** Editor features: hover, completion, symbols, folding, navigation, formatting, links. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CompletionItem, Hover, MarkupContent, TextEdit } from 'vscode-languageserver-types';
import * as fs from 'fs';
import * as path from 'path';
import { Model } from '../../server/src/model';
import type { IncludeHost } from '../../server/src/hosts/includeHost';
import { at, corpusFiles, exampleFiles, lint, r, ROOT } from '../helpers/util';
import { applyChanges } from '../../server/src/features/codeActions';
import { hover } from '../../server/src/features/hover';
import { complete } from '../../server/src/features/completion';
import { documentSymbols, MAX_SYMBOL_DEPTH, MAX_SYMBOLS } from '../../server/src/features/symbols';
import { lightOutline } from '../../server/src/features/light';
import { foldingRanges, MAX_FOLDING_RANGES } from '../../server/src/features/folding';
import {
  definition,
  documentHighlights,
  prepareRename,
  references,
  rename,
} from '../../server/src/features/navigation';
import { format, MAX_INDENT_DEPTH } from '../../server/src/features/formatting';
import { documentLinks } from '../../server/src/features/links';

const URI = 'file:///t.pmta';

function build(text: string, uri = URI, host?: IncludeHost): Model {
  return new Model(TextDocument.create(uri, 'powermta', 1, text), host ? { host } : {});
}

function md(h: Hover | null): string {
  assert.ok(h, 'a hover');
  return (h!.contents as MarkupContent).value;
}

function labels(items: CompletionItem[]): string[] {
  return items.map((i) => i.label);
}

function apply(text: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create(URI, 'powermta', 1, text), edits);
}

/** A tiny in-memory file system for includes. */
function memoryHost(files: Record<string, string>): IncludeHost {
  return {
    resolveInclude(_from: string, path: string) {
      const uri = 'file://' + path;
      if (path.includes('*')) {
        const re = new RegExp('^' + uri.replace(/[.]/g, '\\.').replace(/\*/g, '[^/]*') + '$');
        return Object.keys(files)
          .filter((u) => re.test(u))
          .sort();
      }
      return files[uri] !== undefined ? [uri] : [];
    },
    readFile(uri: string) {
      return files[uri];
    },
  };
}

// ------------------------------------------------------------------------------------------------
// hover

const CONFIG = [
  'domain-macro hotmail hotmail.com, outlook.com, live.com', // 0
  '<virtual-mta vmta-a>', // 1
  '    smtp-source-host 192.0.2.1 a.example.com', // 2
  '</virtual-mta>', // 3
  '<virtual-mta vmta-b>', // 4
  '    smtp-source-host 192.0.2.2 b.example.com', // 5
  '</virtual-mta>', // 6
  '<virtual-mta-pool pool-a>', // 7
  '    virtual-mta vmta-a', // 8
  '    virtual-mta vmta-b', // 9
  '</virtual-mta-pool>', // 10
  '<smtp-pattern-list blocking-errors>', // 11
  '    reply /RP-001/ mode=backoff,backoff-to-normal-after=30m', // 12
  '    reply /S3150/ mode=backoff', // 13
  '</smtp-pattern-list>', // 14
  '<source 0/0>', // 15
  '    default-virtual-mta pool-a', // 16
  '    smtp-service yes', // 17
  '</source>', // 18
  '<domain $hotmail>', // 19
  '    max-smtp-out 5', // 20
  '    max-msg-rate 200/h', // 21
  '    bounce-after 4d12h', // 22
  '    smtp-pattern-list blocking-errors', // 23
  '    use-starttls yes', // 24
  '</domain>', // 25
  '<domain hotmail.com>', // 26
  '    max-msg-rate unlimited', // 27
  '</domain>', // 28
  '',
].join('\n');

test('hover: directive name shows the catalog entry, its default, and has the range of the name', () => {
  const m = build(CONFIG);
  const h = hover(m, at(CONFIG, 'max-smtp-out', 3), {}, []);
  const text = md(h);
  assert.match(text, /\*\*max-smtp-out\*\*/);
  assert.match(text, /\*\*Default:\*\* `20`/);
  assert.match(text, /Allowed in:.*`<domain>`/);
  assert.match(text, /Source: /);
  assert.deepEqual(h!.range, r(20, 4, 20, 16));
});

test('hover: block tag name describes the block', () => {
  const m = build(CONFIG);
  const h = hover(m, at(CONFIG, '<virtual-mta-pool', 3), {}, []);
  assert.match(md(h), /\*\*`<virtual-mta-pool>`\*\* — block/);
  assert.match(md(h), /May appear in:/);
  assert.deepEqual(h!.range, r(7, 1, 7, 17));
});

test('hover: rates are normalised, durations put in words, booleans have no hover', () => {
  const m = build(CONFIG);
  const rate = hover(m, at(CONFIG, '200/h', 1), {}, []);
  assert.match(md(rate), /`200\/h` ≈ `3.33\/m` ≈ `0.056\/s`/);
  assert.match(md(rate), /About one message every 18 seconds \(4,800 messages a day\)/);
  assert.deepEqual(rate!.range, r(21, 17, 21, 22));
  assert.match(md(hover(m, at(CONFIG, 'unlimited', 2), {}, [])), /unlimited — no rate limit/);
  const dur = hover(m, at(CONFIG, '4d12h', 2), {}, []);
  assert.match(md(dur), /`4d12h` = 4 days 12 hours/);
  assert.equal(hover(m, at(CONFIG, 'yes', 1, 1), {}, []), null);
});

test('hover: a reference shows where the name is defined and a summary', () => {
  const m = build(CONFIG);
  const pool = hover(m, at(CONFIG, 'pool-a', 2, 1), {}, []);
  assert.match(md(pool), /\*\*virtual-mta-pool\*\* `pool-a`/);
  assert.match(
    md(pool),
    /Defined at line 8 — 2 member virtual-mtas: `vmta-a` \(192\.0\.2\.1\), `vmta-b` \(192\.0\.2\.2\)/,
  );
  assert.deepEqual(pool!.range, r(16, 24, 16, 30));
  const list = hover(m, at(CONFIG, 'blocking-errors', 1, 1), {}, []);
  assert.match(md(list), /Defined at line 12 — 2 rules/);
  const def = hover(m, at(CONFIG, 'pool-a', 1, 0), {}, []);
  assert.match(md(def), /Used 1 time\./);
  const t = '<source 0/0>\n    default-virtual-mta nowhere\n</source>\n';
  assert.match(md(hover(build(t), at(t, 'nowhere', 3), {}, [])), /Not defined in this file or the files it includes\./);
});

test('hover: a macro shows its expansion and the Microsoft domains it covers', () => {
  const m = build(CONFIG);
  const use = hover(m, at(CONFIG, '$hotmail', 3), {}, []);
  assert.match(md(use), /Expands to 3 domains: `hotmail.com`, `outlook.com`, `live.com`/);
  assert.match(md(use), /Microsoft consumer/);
  assert.deepEqual(use!.range, r(19, 9, 19, 16));
  const name = hover(m, at(CONFIG, 'hotmail', 2), {}, []);
  assert.match(md(name), /Expands to 3 domains/);
  const dom = hover(m, at(CONFIG, 'hotmail.com>', 2), {}, []);
  assert.match(md(dom), /Microsoft consumer/);
  assert.deepEqual(dom!.range, r(26, 8, 26, 19));
});

test('hover: Microsoft reply codes in patterns and comments', () => {
  const text = '<smtp-pattern-list p>\n    reply /RP-001/ mode=backoff  # see RP-003\n</smtp-pattern-list>\n';
  const m = build(text);
  const h = hover(m, at(text, 'RP-001', 2), {}, []);
  const s = md(h);
  assert.match(s, /^\*\*421 RP-001\*\* — /);
  assert.match(s, /rate limit/i);
  assert.match(s, /\*\*What to do:\*\*/);
  assert.match(s, /\*\*In PowerMTA:\*\*/);
  assert.match(s, /\*\*What a widely copied PowerMTA guide says:\*\*/);
  assert.match(s, /Source: Outlook\.com Postmaster/);
  assert.deepEqual(h!.range, r(1, 11, 1, 17));
  // a character class covering several codes is one mention
  const cls = '<smtp-pattern-list p>\n    reply /RP-00[123]/ mode=backoff\n</smtp-pattern-list>\n';
  const hc = hover(build(cls), at(cls, 'RP-00'), {}, []);
  assert.match(md(hc), /matches 3 codes: `RP-001`, `RP-002`, `RP-003`/);
  assert.deepEqual(hc!.range, r(1, 11, 1, 21));
  // in a quoted blog-style pattern and in a domain-macro list
  const q =
    'smtp-pattern-list ms {{\n"421 4.7.0 RP-002" retry-after=2h\n}}\ndomain-macro ms hotmail.com, example.com\n';
  assert.match(md(hover(build(q), at(q, 'RP-002', 1), {}, [])), /RP-002/);
  assert.match(md(hover(build(q), at(q, 'hotmail.com', 1), {}, [])), /`hotmail\.com` is a Microsoft consumer domain/);
  assert.match(md(hover(m, at(text, 'RP-003', 1), {}, [])), /RP-003/);
  assert.match(md(hover(m, at(text, 'mode=backoff', 2), {}, [])), /backoff mode/);
});

test("hover: a plain enhanced code is generic outside a Microsoft context, Microsoft's inside one", () => {
  const text =
    '<smtp-pattern-list gmail-errors>\n    reply /5\\.1\\.1/ mode=backoff\n</smtp-pattern-list>\n' +
    '<smtp-pattern-list ms-errors>\n    reply /5\\.1\\.1/ mode=backoff\n</smtp-pattern-list>\n' +
    '<domain gmail.com>\n    smtp-pattern-list gmail-errors\n</domain>\n' +
    '<domain hotmail.com>\n    smtp-pattern-list ms-errors\n</domain>\n' +
    '# 550 5.1.1 from hotmail-com.olc.protection.outlook.com\n';
  const m = build(text);
  const gmail = md(hover(m, at(text, '5\\.1\\.1', 1, 0), {}, []));
  assert.match(
    gmail,
    /^\*\*5\.1\.1\*\* — enhanced status code: permanent, about the address \(sender or recipient\); the mailbox does not exist \(bad address\)\./,
  );
  assert.match(gmail, /\*\*If Microsoft 365 \(Exchange Online\) sent it:\*\*/);
  // attached to a Microsoft domain's block, or in a line that names Microsoft: Microsoft's reading only
  for (const [needle, nth] of [
    ['5\\.1\\.1', 1],
    ['5.1.1', 0],
  ] as const) {
    const ms = md(hover(m, at(text, needle, 1, nth), {}, []));
    assert.match(ms, /^\*\*5\.1\.1\*\* — Bad destination mailbox/, needle);
    assert.doesNotMatch(ms, /If Microsoft 365/);
  }
});

test('hover: nothing throws on odd offsets', () => {
  for (const text of ['', '\n', '<', '</', '<domain', 'max-smtp-out', '<domain x>\n  max-msg-rate 0.5/s']) {
    const mm = build(text);
    for (let o = -1; o <= text.length + 1; o++) hover(mm, o, {}, []);
  }
});

// ------------------------------------------------------------------------------------------------
// completion

test('completion: directives valid in the enclosing block, as snippets', () => {
  const text = '<domain x.com>\n    max\n</domain>\n';
  const m = build(text);
  const list = complete(m, at(text, 'max', 3));
  const names = labels(list.items);
  assert.ok(names.includes('max-smtp-out'));
  assert.ok(!names.includes('smtp-service'), 'a <source> directive is not offered in <domain>');
  const item = list.items.find((i) => i.label === 'max-smtp-out')!;
  assert.equal(item.insertTextFormat, 2);
  assert.deepEqual(item.textEdit, { range: r(1, 4, 1, 7), newText: 'max-smtp-out ${1:20}' });
  assert.equal((item.documentation as MarkupContent).kind, 'markdown');
  const top = complete(build('smtp'), 4);
  assert.ok(labels(top.items).includes('<domain>'), 'block snippets at the top level');
  const dom = top.items.find((i) => i.label === '<domain>')!;
  assert.equal((dom.textEdit as TextEdit).newText, '<domain ${1:example.com}>\n\t$0\n</domain>');
  const src = complete(build('<source 0/0>\n    \n</source>\n'), 17);
  assert.ok(labels(src.items).includes('smtp-service'));
  assert.ok(!labels(src.items).includes('max-smtp-out'));
  // http-access needs an address before its level: its example, not its default level alone
  const web = complete(build('http'), 4).items.find((i) => i.label === 'http-access')!;
  assert.equal((web.textEdit as TextEdit).newText, 'http-access ${1:127.0.0.1 admin}');
});

test('completion: after </ the innermost open block; after < block names', () => {
  const text = '<virtual-mta v>\n    <domain x.com>\n        max-smtp-out 2\n    </';
  const list = complete(build(text), text.length);
  assert.deepEqual(labels(list.items), ['domain>']);
  assert.deepEqual((list.items[0].textEdit as TextEdit).range, r(3, 6, 3, 6));
  const open = complete(build('<'), 1);
  const dom = open.items.find((i) => i.label === 'domain')!;
  assert.deepEqual(dom.textEdit, { range: r(0, 0, 0, 1), newText: '<domain ${1:example.com}>\n\t$0\n</domain>' });
  assert.equal(dom.filterText, '<domain');
});

test('completion: values — yes/no, defined names, macros, domain arguments, pattern actions', () => {
  const bool = complete(build('<domain x>\n    use-starttls \n</domain>\n'), 28);
  assert.deepEqual(labels(bool.items), ['yes', 'no']);
  const text = CONFIG + '<source 1.2.3.4>\n    default-virtual-mta \n</source>\n';
  const m = build(text);
  const refs = labels(complete(m, at(text, 'default-virtual-mta ', 20, 1)).items);
  assert.deepEqual(refs.sort(), ['by-smtp-source-ip', 'pool-a', 'vmta-a', 'vmta-b']);
  const t2 = CONFIG + '<domain $ho';
  const macros = complete(build(t2), t2.length);
  assert.deepEqual(labels(macros.items), ['$hotmail']);
  assert.deepEqual((macros.items[0].textEdit as TextEdit).range, r(29, 8, 29, 11));
  const t3 = CONFIG + '<domain ';
  const args = labels(complete(build(t3), t3.length).items);
  assert.ok(args.includes('*'));
  assert.ok(args.includes('$hotmail'));
  assert.ok(args.includes('hotmail.com'));
  const t4 = '<smtp-pattern-list p>\n    reply /RP-001/ mode=backoff,\n</smtp-pattern-list>\n';
  const acts = labels(complete(build(t4), at(t4, ',', 1)).items);
  assert.ok(acts.includes('backoff-to-normal-after='));
  assert.ok(acts.includes('skip-mx'));
  assert.ok(!acts.includes('mode=backoff'), 'an action already used is not offered again');
  const lead = labels(complete(build('<smtp-pattern-list p>\n    re\n</smtp-pattern-list>\n'), 28).items);
  assert.ok(lead.includes('reply'));
});

test('completion: the word being typed runs back to a space or a comma, after a word of 50,000 characters too', () => {
  const range = (text: string, offset = text.length) => {
    const items = complete(build(text), offset).items;
    assert.ok(items.length, `items for ${JSON.stringify(text.slice(-30))}`);
    return (items[0].textEdit as TextEdit).range;
  };
  const long = 'a'.repeat(50000);
  assert.deepEqual(range(`domain-macro m ${long} ho`), r(0, 50016, 0, 50018));
  assert.deepEqual(range(`domain-macro m ${long},ho`), r(0, 50016, 0, 50018));
  assert.deepEqual(range(`domain-macro m ${long}\tho`), r(0, 50016, 0, 50018));
  assert.ok(labels(complete(build(`domain-macro m ${long} ho`), 50018).items).includes('hotmail.com'));
  assert.deepEqual(range(`<domain x>\n    use-starttls ${long}`), r(1, 17, 1, 50017));
  assert.deepEqual(range('<domain x>\n    use-starttls '), r(1, 17, 1, 17));
  const t4 = `<smtp-pattern-list p>\n    reply /RP-001/ ${long},mode=ba`;
  assert.deepEqual(range(t4), r(1, 50020, 1, 50027));
  assert.ok(labels(complete(build(t4), t4.length).items).includes('mode=backoff'));
});

test('completion in a domain-macro list: the Microsoft domains not yet listed, whatever their case and separators', () => {
  const offered = (text: string) => labels(complete(build(text), text.length).items);
  const all = offered('domain-macro ms ');
  assert.ok(all.includes('hotmail.com') && all.includes('outlook.com') && all.includes('msn.com'));
  const text = 'domain-macro ms HOTMAIL.com,\toutlook.com , xmsn.com,msn.co, live.com.example ';
  const rest = offered(text);
  assert.deepEqual(
    all.filter((d) => !rest.includes(d)),
    ['hotmail.com', 'outlook.com'],
  );
  // a word being typed is listed only once whole
  assert.ok(offered('domain-macro ms msn.com,hotm').includes('hotmail.com'));
  assert.ok(!offered('domain-macro ms msn.com,hotm').includes('msn.com'));
});

test('completion: nothing in comments, nothing throws anywhere', () => {
  assert.deepEqual(complete(build('# max'), 5).items, []);
  const texts = [
    '',
    '\n',
    '<',
    '</',
    '<>',
    '<domain',
    '<domain x>\n',
    'reply /x/ ',
    '{{#each ips}}\n',
    '<domain x>\n  max-smtp-out 1 \\\n  2',
  ];
  for (const t of texts) {
    const m = build(t);
    for (let o = -1; o <= t.length + 1; o++) complete(m, o);
  }
});

// ------------------------------------------------------------------------------------------------
// symbols

test('symbols: blocks nest; macros and includes are listed', () => {
  const text = [
    'domain-macro ms hotmail.com,outlook.com', // 0
    '<virtual-mta v1>', // 1
    '    smtp-source-host 192.0.2.1 a.example.com', // 2
    '    <domain hotmail.com>', // 3
    '        max-smtp-out 2', // 4
    '    </domain>', // 5
    '</virtual-mta>', // 6
    'include /etc/pmta/other.conf', // 7
    '',
  ].join('\n');
  const syms = documentSymbols(build(text));
  assert.deepEqual(
    syms.map((s) => [s.name, s.kind, s.detail]),
    [
      ['ms', 14, '2 domains'],
      ['<virtual-mta v1>', 19, '192.0.2.1 a.example.com'],
      ['/etc/pmta/other.conf', 1, 'include'],
    ],
  );
  const v = syms[1];
  assert.deepEqual(v.range, r(1, 0, 6, 14));
  assert.deepEqual(v.selectionRange, r(1, 13, 1, 15));
  assert.equal(v.children!.length, 1);
  const d = v.children![0];
  assert.equal(d.name, '<domain hotmail.com>');
  assert.equal(d.kind, 3);
  assert.deepEqual(d.range, r(3, 4, 5, 13));
  assert.deepEqual(d.selectionRange, r(3, 12, 3, 23));
  assert.deepEqual(syms[0].selectionRange, r(0, 13, 0, 15));
  assert.deepEqual(syms[2].selectionRange, r(7, 8, 7, 28));
});

test('symbols: pseudo blocks and unnamed blocks', () => {
  const text =
    'domain outlook.com {{\nmax-smtp-out 5\n}}\n<mx-rollup-list>\nmx *.olc.protection.outlook.com ms.rollup\n</mx-rollup-list>\n';
  const syms = documentSymbols(build(text));
  assert.deepEqual(
    syms.map((s) => [s.name, s.detail]),
    [
      ['<domain outlook.com>', '1 setting (blog pseudo-syntax)'],
      ['<mx-rollup-list>', '1 MX pattern'],
    ],
  );
  assert.deepEqual(syms[1].selectionRange, r(3, 1, 3, 15));
});

// ------------------------------------------------------------------------------------------------
// folding

test('folding: blocks, comment runs, template sections, continued directives', () => {
  const text = [
    '# one', // 0
    '# two', // 1
    '<domain a>', // 2
    '    max-smtp-out 1', // 3
    '    <x>', // 4 (unknown nested block)
    '    </x>', // 5
    '</domain>', // 6
    '{{#each ips}}', // 7
    '<virtual-mta m{{@index}}>', // 8
    '    smtp-source-host {{ip}} {{host}}', // 9
    '</virtual-mta>', // 10
    '{{/each}}', // 11
    'domain-macro x a.com,', // 12
    '    b.com', // 13
    '# alone', // 14
    '',
  ].join('\n');
  const ranges = foldingRanges(build(text));
  assert.deepEqual(
    ranges.map((f) => [f.startLine, f.endLine, f.kind]),
    [
      [0, 1, 'comment'],
      [2, 5, undefined],
      [7, 10, 'region'],
      [8, 9, undefined],
      [12, 13, undefined],
    ],
  );
});

// ------------------------------------------------------------------------------------------------
// navigation

test('definition: from a reference to the defining tag argument; macros; nothing on include paths', () => {
  const m = build(CONFIG);
  assert.deepEqual(definition(m, at(CONFIG, 'pool-a', 3, 1), []), [{ uri: URI, range: r(7, 18, 7, 24) }]);
  assert.deepEqual(definition(m, at(CONFIG, '$hotmail', 0), []), [{ uri: URI, range: r(0, 13, 0, 20) }]);
  assert.deepEqual(definition(m, at(CONFIG, 'vmta-b', 0, 1), []), [{ uri: URI, range: r(4, 13, 4, 19) }]);
  assert.deepEqual(definition(m, at(CONFIG, 'max-smtp-out'), []), []);
  const inc = build('include /etc/pmta/x.conf\n');
  assert.deepEqual(definition(inc, 12, []), []);
});

test('navigation and hover: the virtual MTA or pool a <pattern-list> rule sends to (virtual-mta=NAME)', () => {
  const text = [
    '<virtual-mta vmta-news>', // 0
    '</virtual-mta>', // 1
    '<pattern-list select>', // 2
    '    mail-from /@news\\./ virtual-mta=vmta-news', // 3
    '    rcpt-to /x/ recipient-priority=5,virtual-mta=vmta-news', // 4
    '</pattern-list>', // 5
    '',
  ].join('\n');
  const m = build(text);
  const use = at(text, 'vmta-news', 2, 1);
  assert.deepEqual(definition(m, use, []), [{ uri: URI, range: r(0, 13, 0, 22) }]);
  assert.deepEqual(references(m, at(text, 'vmta-news', 1), false, []), [
    { uri: URI, range: r(3, 36, 3, 45) },
    { uri: URI, range: r(4, 49, 4, 58) },
  ]);
  assert.deepEqual(prepareRename(m, use), { range: r(3, 36, 3, 45), placeholder: 'vmta-news' });
  assert.equal(apply(text, rename(m, use, 'vmta-bulk')!.changes![URI]), text.replace(/vmta-news/g, 'vmta-bulk'));
  const h = hover(m, use, {}, []);
  assert.match(md(h), /^\*\*virtual-mta\*\* `vmta-news`/);
  assert.deepEqual(h!.range, r(3, 36, 3, 45));
});

test('definition and references across included files and siblings', () => {
  const files = {
    'file:///etc/pmta/vmtas.conf': '<virtual-mta-pool pool-a>\n    virtual-mta v\n</virtual-mta-pool>\n',
  };
  const text = 'include /etc/pmta/vmtas.conf\n<source 0/0>\n    default-virtual-mta pool-a\n</source>\n';
  const m = build(text, URI, memoryHost(files));
  assert.deepEqual(definition(m, at(text, 'pool-a', 1), []), [
    { uri: 'file:///etc/pmta/vmtas.conf', range: r(0, 18, 0, 24) },
  ]);
  const sib = build('<virtual-mta v>\n</virtual-mta>\n', 'file:///sib.pmta');
  const refs = references(m, at(text, 'pool-a', 1), true, []);
  assert.deepEqual(refs, [
    { uri: URI, range: r(2, 24, 2, 30) },
    { uri: 'file:///etc/pmta/vmtas.conf', range: r(0, 18, 0, 24) },
  ]);
  const onlyUses = references(m, at(text, 'pool-a', 1), false, []);
  assert.deepEqual(onlyUses, [{ uri: URI, range: r(2, 24, 2, 30) }]);
  // from the included file, the sibling that includes it provides the use
  const inc = m.includes[0].resolved[0];
  const vm = definition(inc, at(files['file:///etc/pmta/vmtas.conf'], 'virtual-mta v', 12), [sib]);
  assert.deepEqual(vm, [{ uri: 'file:///sib.pmta', range: r(0, 13, 0, 14) }]);
});

test('references: from a definition, all uses including macros', () => {
  const m = build(CONFIG);
  const refs = references(m, at(CONFIG, 'blocking-errors'), true, []);
  assert.deepEqual(refs, [
    { uri: URI, range: r(11, 19, 11, 34) },
    { uri: URI, range: r(23, 22, 23, 37) },
  ]);
  const macro = references(m, at(CONFIG, 'hotmail', 0), false, []);
  assert.deepEqual(macro, [{ uri: URI, range: r(19, 9, 19, 16) }]);
});

test('document highlights: the definition written, the uses read, in this file only; nothing on other words', () => {
  const m = build(CONFIG);
  assert.deepEqual(documentHighlights(m, at(CONFIG, 'blocking-errors')), [
    { range: r(11, 19, 11, 34), kind: 3 },
    { range: r(23, 22, 23, 37), kind: 2 },
  ]);
  assert.deepEqual(
    documentHighlights(m, at(CONFIG, 'blocking-errors', 0, 1)),
    documentHighlights(m, at(CONFIG, 'blocking-errors')),
  );
  assert.deepEqual(documentHighlights(m, 0), []);
});

test('rename: every definition and use; invalid names rejected', () => {
  const m = build(CONFIG);
  const offset = at(CONFIG, 'pool-a', 1, 1);
  assert.deepEqual(prepareRename(m, offset), { range: r(16, 24, 16, 30), placeholder: 'pool-a' });
  assert.deepEqual(rename(m, offset, 'pool-warm'), {
    changes: {
      [URI]: [
        { range: r(7, 18, 7, 24), newText: 'pool-warm' },
        { range: r(16, 24, 16, 30), newText: 'pool-warm' },
      ],
    },
  });
  assert.equal(rename(m, offset, 'two words'), null);
  assert.equal(rename(m, offset, ''), null);
  assert.equal(prepareRename(m, at(CONFIG, 'max-smtp-out')), null);
  const mac = rename(m, at(CONFIG, '$hotmail', 1), 'ms');
  assert.deepEqual(mac, {
    changes: {
      [URI]: [
        { range: r(0, 13, 0, 20), newText: 'ms' },
        { range: r(19, 9, 19, 16), newText: 'ms' },
      ],
    },
  });
  assert.equal(rename(m, at(CONFIG, '$hotmail', 1), 'bad-name'), null, 'macro names are letters, digits and _');
});

test('rename: edits in included files are grouped by uri', () => {
  const files = {
    'file:///etc/pmta/p.conf': '<smtp-pattern-list errs>\n    reply /x/ mode=backoff\n</smtp-pattern-list>\n',
  };
  const text = 'include /etc/pmta/p.conf\n<domain *>\n    smtp-pattern-list errs\n</domain>\n';
  const m = build(text, URI, memoryHost(files));
  const edit = rename(m, at(text, 'errs', 1), 'errors');
  assert.deepEqual(edit, {
    changes: {
      [URI]: [{ range: r(2, 22, 2, 26), newText: 'errors' }],
      'file:///etc/pmta/p.conf': [{ range: r(0, 19, 0, 23), newText: 'errors' }],
    },
  });
});

// ------------------------------------------------------------------------------------------------
// formatting

const MESSY = [
  '# global settings   ', // trailing spaces
  '   postmaster a@example.com',
  '<domain hotmail.com>',
  'max-smtp-out 5',
  '\t\t  # a note',
  '      <x-unknown>',
  'a b',
  ' </x-unknown>',
  '',
  '   ',
  '        </domain>',
  '{{#each ips}}',
  '<virtual-mta m{{@index}}>',
  '  smtp-source-host {{ip}} {{host}}\t',
  '</virtual-mta>',
  '    {{/each}}',
  'domain-macro x a.com,',
  'b.com',
  '',
].join('\n');

const FORMATTED = [
  '# global settings',
  'postmaster a@example.com',
  '<domain hotmail.com>',
  '    max-smtp-out 5',
  '    # a note',
  '    <x-unknown>',
  '        a b',
  '    </x-unknown>',
  '',
  '',
  '</domain>',
  '{{#each ips}}',
  '<virtual-mta m{{@index}}>',
  '    smtp-source-host {{ip}} {{host}}',
  '</virtual-mta>',
  '    {{/each}}',
  'domain-macro x a.com,',
  '    b.com',
  '',
].join('\n');

test('formatting: re-indents by depth, trims trailing white space, is idempotent', () => {
  const m = build(MESSY);
  const edits = format(m, { tabSize: 4, insertSpaces: true });
  assert.equal(apply(MESSY, edits), FORMATTED);
  // minimal: one edit per changed line, only white space replaced
  assert.deepEqual(edits[0], { range: r(0, 17, 0, 20), newText: '' });
  assert.deepEqual(edits[1], { range: r(1, 0, 1, 3), newText: '' });
  assert.equal(new Set(edits.map((e) => e.range.start.line)).size, edits.length);
  assert.deepEqual(format(build(FORMATTED), { tabSize: 4, insertSpaces: true }), []);
});

test('formatting: tabs, CRLF kept, range formatting', () => {
  const text = '<domain a>\r\nmax-smtp-out 1  \r\n</domain>\r\n';
  const out = apply(text, format(build(text), { tabSize: 4, insertSpaces: false }));
  assert.equal(out, '<domain a>\r\n\tmax-smtp-out 1\r\n</domain>\r\n');
  assert.deepEqual(format(build(out), { tabSize: 4, insertSpaces: false }), []);
  const two = '<domain a>\nx 1\ny 2\n</domain>\n';
  const edits = format(build(two), { tabSize: 2, insertSpaces: true }, r(2, 0, 3, 0));
  assert.equal(apply(two, edits), '<domain a>\nx 1\n  y 2\n</domain>\n');
});

test('formatting: the trailing white space of a regex wrapped onto the next line is part of it and kept', () => {
  const text = [
    '<bounce-category-patterns>',
    '/(user|mailbox) is (currently|temporarily ',
    '+)?disabled/ inactive-mailbox  ',
    '</bounce-category-patterns>',
    '',
  ].join('\n');
  const out = apply(text, format(build(text), { tabSize: 4, insertSpaces: true }));
  assert.equal(
    out,
    [
      '<bounce-category-patterns>',
      '    /(user|mailbox) is (currently|temporarily ',
      '    +)?disabled/ inactive-mailbox',
      '</bounce-category-patterns>',
      '',
    ].join('\n'),
  );
  assert.deepEqual(format(build(out), { tabSize: 4, insertSpaces: true }), []);
  // joined as the wrapped-pattern fix joins them, the pattern is the one written (a space, then "+")
  const join = lint(out).find((f) => f.rule === 'invalid-value')!;
  assert.equal(
    applyChanges(out, join.fixes[0].changes).split('\n')[1],
    '    /(user|mailbox) is (currently|temporarily +)?disabled/ inactive-mailbox',
  );
});

test('formatting: pseudo blocks use the same rules; odd input does not throw', () => {
  const text = 'domain outlook.com {{\nmax-smtp-out 5\n  }}\ndomain live.com {{ mx-rollup outlook.com }}\n';
  assert.equal(
    apply(text, format(build(text), { tabSize: 2, insertSpaces: true })),
    'domain outlook.com {{\n  max-smtp-out 5\n}}\ndomain live.com {{ mx-rollup outlook.com }}\n',
  );
  for (const t of ['', '\n', '   ', '<', '</x>', '\r\r\n', 'a \\\n \\\n']) {
    const edits = format(build(t), { tabSize: 4, insertSpaces: true });
    const once = apply(t, edits);
    assert.deepEqual(format(build(once), { tabSize: 4, insertSpaces: true }), [], `idempotent on ${JSON.stringify(t)}`);
  }
});

test('formatting: depths in and out of nested and sibling blocks, a line continued inside a nested block', () => {
  const text = [
    '<virtual-mta a>',
    '<domain x>',
    '<x-inner>',
    'k v',
    '</x-inner>',
    'max-smtp-out 1',
    '</domain>',
    '<domain y>',
    'smtp-source-host 10.0.0.1 \\',
    'host.example',
    '</domain>',
    '</virtual-mta>',
    '<virtual-mta b>',
    'smtp-source-host 10.0.0.2 h2.example',
    '</virtual-mta>',
    'postmaster p@example.com',
    '',
  ].join('\n');
  const out = apply(text, format(build(text), { tabSize: 2, insertSpaces: true }));
  assert.equal(
    out,
    [
      '<virtual-mta a>',
      '  <domain x>',
      '    <x-inner>',
      '      k v',
      '    </x-inner>',
      '    max-smtp-out 1',
      '  </domain>',
      '  <domain y>',
      '    smtp-source-host 10.0.0.1 \\',
      '      host.example',
      '  </domain>',
      '</virtual-mta>',
      '<virtual-mta b>',
      '  smtp-source-host 10.0.0.2 h2.example',
      '</virtual-mta>',
      'postmaster p@example.com',
      '',
    ].join('\n'),
  );
  assert.deepEqual(format(build(out), { tabSize: 2, insertSpaces: true }), []);
});

test('formatting: blocks nested deeper than 64 levels are indented as the 64th level', () => {
  const n = 100;
  const text =
    Array.from({ length: n }, (_, i) => `<domain d${i}>`).join('\n') +
    '\nmax-smtp-out 1 \\\n2\n' +
    '</domain>\n'.repeat(n);
  assert.equal(MAX_INDENT_DEPTH, 64);
  const lines = apply(text, format(build(text), { tabSize: 1, insertSpaces: true })).split('\n');
  const indents = lines.map((l) => l.length - l.trimStart().length);
  assert.deepEqual(indents.slice(0, 3), [0, 1, 2]);
  assert.deepEqual(indents.slice(62, 66), [62, 63, 64, 64]);
  // the directive in the innermost block and the line it continues onto: capped too
  assert.deepEqual([lines[n], indents[n], indents[n + 1]], ['    '.repeat(16) + 'max-smtp-out 1 \\', 64, 64]);
  assert.deepEqual(indents.slice(n + 2, n + 4), [64, 64]);
  assert.deepEqual(indents.slice(-4), [2, 1, 0, 0]);
});

// ------------------------------------------------------------------------------------------------
// links

test('links: resolved includes link to the first file, with a count for globs', () => {
  const files = {
    'file:///etc/pmta/conf.d/a.conf': 'postmaster a@b.c\n',
    'file:///etc/pmta/conf.d/b.conf': 'postmaster a@b.c\n',
  };
  const text = 'include /etc/pmta/conf.d/*.conf\ninclude /etc/pmta/conf.d/a.conf\ninclude /missing.conf\n';
  const links = documentLinks(build(text, URI, memoryHost(files)));
  assert.equal(links.length, 2);
  assert.deepEqual(links[0].range, r(0, 8, 0, 31));
  assert.equal(links[0].target, 'file:///etc/pmta/conf.d/a.conf');
  assert.match(links[0].tooltip!, /first of 2 files/);
  assert.deepEqual(links[1].range, r(1, 8, 1, 31));
  assert.deepEqual(documentLinks(build(text)), [], 'no links when includes are not resolved');
});

// ------------------------------------------------------------------------------------------------
// huge files

test('folding: a block that is not closed folds to its last line, the blocks nested in it included', () => {
  const text = [
    '<virtual-mta m>',
    '<domain a>',
    '    max-smtp-out 1',
    '<domain b>',
    '    retry-after 1m',
    '',
    '</virtual-mta>',
    '<domain c>',
    '    x 1',
    '    # last',
    '',
  ].join('\n');
  assert.deepEqual(
    foldingRanges(build(text)).map((f) => [f.startLine, f.endLine]),
    [
      [0, 5],
      [1, 5],
      [3, 5],
      [7, 9],
    ],
  );
});

test('deep nesting: 3,000 blocks in each other are collected and fold; the outline stops at 64 levels and can be sent', () => {
  const n = 3000;
  const text = Array.from({ length: n }, (_, i) => `<domain d${i}>`).join('\n') + '\n' + '</domain>\n'.repeat(n);
  const m = build(text);
  assert.equal(m.blocks.length, n);
  assert.deepEqual(
    m.blocks.slice(0, 3).map((b) => b.arg),
    ['d0', 'd1', 'd2'],
  );
  const folds = foldingRanges(m);
  assert.equal(folds.length, n - 1, 'the innermost block has no line to fold');
  assert.deepEqual(folds[0], { startLine: 0, endLine: 2 * n - 2 });
  assert.deepEqual(folds.at(-1), { startLine: n - 2, endLine: n });
  const depth = (list: ReturnType<typeof documentSymbols>): number =>
    list.length ? 1 + Math.max(...list.map((s) => depth(s.children ?? []))) : 0;
  const syms = documentSymbols(m);
  assert.equal(MAX_SYMBOL_DEPTH, 64);
  assert.equal(depth(syms), 64);
  assert.ok(JSON.stringify(syms).length > 0);
  // not closed: the same depth, and every block folds to the last line
  const open = build(Array.from({ length: n }, (_, i) => `<domain d${i}>\n    x 1`).join('\n') + '\n');
  assert.equal(depth(documentSymbols(open)), 64);
  assert.deepEqual(foldingRanges(open).slice(0, 2), [
    { startLine: 0, endLine: 2 * n - 1 },
    { startLine: 2, endLine: 2 * n - 1 },
  ]);
  // the light outline of files too large to analyse stops at the same depth
  const light = lightOutline(text);
  assert.equal(depth(light.symbols), 64);
  assert.equal(light.folding.length, 64);
});

test('symbols and folds are capped on huge files, outermost first', () => {
  // 3,000 virtual MTAs, each with a nested <domain>: 6,000 blocks
  const text =
    Array.from(
      { length: 3000 },
      (_, i) =>
        `<virtual-mta m${i}>\n    <domain d${i}.example>\n        max-smtp-out 1\n    </domain>\n</virtual-mta>`,
    ).join('\n') + '\n';
  const m = build(text);
  assert.equal(m.blocks.length, 6000);
  const syms = documentSymbols(m);
  const count = (list: typeof syms): number => list.reduce((n, s) => n + 1 + count(s.children ?? []), 0);
  assert.equal(MAX_SYMBOLS, 5000);
  assert.equal(count(syms), 5000);
  assert.equal(syms.length, 3000, 'every top-level block is in the outline');
  assert.equal(syms[1999].children!.length, 1);
  assert.equal(syms[1999].children![0].name, '<domain d1999.example>');
  assert.equal(syms[2000].children!.length, 0, 'nested blocks beyond the cap are left out');
  // a small cap keeps the first top-level symbols
  assert.deepEqual(
    documentSymbols(m, 2).map((s) => [s.name, s.children!.length]),
    [
      ['<virtual-mta m0>', 0],
      ['<virtual-mta m1>', 0],
    ],
  );
  const folds = foldingRanges(m);
  assert.equal(MAX_FOLDING_RANGES, 5000);
  assert.equal(folds.length, 5000);
  assert.equal(folds.filter((f) => f.startLine % 5 === 0).length, 3000, 'every outer block folds');
  assert.deepEqual(
    folds.slice(0, 3).map((f) => [f.startLine, f.endLine]),
    [
      [0, 3],
      [1, 2],
      [5, 8],
    ],
  );
  assert.deepEqual(folds.at(-1), { startLine: 14995, endLine: 14998 }, 'sorted by start; the last inner ranges went');
  // the client's rangeLimit
  assert.deepEqual(foldingRanges(m, 2), [
    { startLine: 0, endLine: 3 },
    { startLine: 5, endLine: 8 },
  ]);
  // under the cap nothing is dropped
  assert.equal(foldingRanges(build(text.split('\n').slice(0, 50).join('\n'))).length, 20);
});

test('completion: inside the Microsoft queue block the advised settings come first, with the tier values', () => {
  const text = '<domain outlook.com>\n    \n</domain>\n<domain hotmail.com>\n    queue-to \n</domain>\n';
  const list = complete(build(text), at(text, '    \n', 4));
  const first = list.items
    .filter((i) => i.sortText?.startsWith('0'))
    .map((i) => i.label)
    .sort();
  assert.deepEqual(first, [
    'backoff-max-msg-rate',
    'backoff-max-smtp-out',
    'backoff-retry-after',
    'dkim-sign',
    'max-connect-rate',
    'max-msg-rate',
    'max-smtp-out',
    'retry-after',
    'smtp-pattern-list',
  ]);
  const out = list.items.find((i) => i.label === 'max-smtp-out')!;
  assert.equal(out.detail, 'Microsoft under-100k: 4 · int · default 20');
  assert.deepEqual(out.textEdit, { range: r(1, 4, 1, 4), newText: 'max-smtp-out ${1:4}' });
  assert.equal(
    (list.items.find((i) => i.label === 'max-connect-rate')!.textEdit as TextEdit).newText,
    'max-connect-rate ${1:30/m}',
  );
  // the tier setting changes the values
  const high = complete(build(text), at(text, '    \n', 4), { microsoft: { volumeTier: '500k-plus' } });
  assert.equal(
    (high.items.find((i) => i.label === 'max-smtp-out')!.textEdit as TextEdit).newText,
    'max-smtp-out ${1:6}',
  );
  // queue-to in a Microsoft domain offers the Microsoft queue first
  const q = complete(build(text), at(text, 'queue-to ', 9));
  assert.deepEqual(labels(q.items), ['outlook.com']);
  assert.equal(q.items[0].detail, 'the Microsoft queue: share its limits');
  // a block of another domain gets the plain catalog
  const plain = '<domain gmail.com>\n    \n</domain>\n';
  const p = complete(build(plain), at(plain, '    \n', 4));
  assert.equal((p.items.find((i) => i.label === 'max-smtp-out')!.textEdit as TextEdit).newText, 'max-smtp-out ${1:20}');
  assert.ok(!p.items.some((i) => i.sortText?.startsWith('0')));
  // a rolled-up domain's own limits would not apply: no advice there
  const rolled = '<domain outlook.com>\n</domain>\n<domain hotmail.com>\n    queue-to outlook.com\n    \n</domain>\n';
  const rp = complete(build(rolled), at(rolled, '    \n', 4));
  assert.ok(!rp.items.some((i) => i.sortText?.startsWith('0')));
  // a domain-macro list offers the Microsoft domains not yet listed
  const mac = 'domain-macro ms hotmail.com, out';
  const mi = labels(complete(build(mac), mac.length).items);
  assert.ok(mi.includes('outlook.com') && mi.includes('live.com') && !mi.includes('hotmail.com'));
});

test('formatting real configs and the examples: only white space changes, and a second run changes nothing', () => {
  const files = [...exampleFiles().map((f) => path.join(ROOT, 'examples', f)), ...corpusFiles()];
  assert.ok(files.length >= 4);
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    for (const options of [
      { tabSize: 4, insertSpaces: true },
      { tabSize: 2, insertSpaces: false },
    ]) {
      const once = apply(text, format(build(text), options));
      assert.equal(
        once.replace(/\s+/g, ''),
        text.replace(/\s+/g, ''),
        `${path.basename(file)}: no token or comment changed, dropped or moved`,
      );
      assert.equal(
        once.split(/\r\n|\r|\n/).length,
        text.split(/\r\n|\r|\n/).length,
        `${path.basename(file)}: no line added or removed`,
      );
      assert.deepEqual(format(build(once), options), [], `${path.basename(file)}: idempotent`);
    }
  }
});

test('hover: a directive shows description, value format, default, allowed blocks and an example', () => {
  const text = 'domain-key s1, example.com, /etc/pmta/dkim/s1.pem\n<domain x>\n    retry-after 10m\n</domain>\n';
  const dk = md(hover(build(text), 3, {}, []));
  assert.match(
    dk,
    /^\*\*domain-key\*\* — directive\n\nDKIM key: selector, signing domain \(or \*\) and key file or Vault path\./,
  );
  assert.match(
    dk,
    /\n- \*\*Value:\*\* free text\n- \*\*Allowed in:\*\* top level, `<virtual-mta>`, `<virtual-mta-pool>`, `<domain-key-list>`\n- May appear several times in one block/,
  );
  assert.match(dk, /\n```pmta\ndomain-key s1, example\.com, \/etc\/pmta\/dkim\/s1\.example\.com\.pem\n```\n/);
  const ra = md(hover(build(text), at(text, 'retry-after', 2), {}, []));
  assert.match(ra, /\n- \*\*Value:\*\* .*\n- \*\*Default:\*\* `10m`\n- \*\*Allowed in:\*\* `<domain>`/);
});
