/**
 * Plain words: no internal jargon reaches what users read. Our name for the source article of the Microsoft
 * advice, the keys we cite sources by (S-PM-TRB, GUIDE, REAL, UG 3.3.7, SPDOC) and the certainty marks of our
 * notes ([I], [W: …]) must not appear in any rule message, related information, fix title or inserted text
 * (on the examples and the corpus of real configurations), rule description, hover (every Microsoft code,
 * every directive and block of the catalog, every word of the examples), code lens, tier reason, inserted
 * Microsoft configuration, snippet, the README, CHANGELOG, CONTRIBUTING and docs/, the examples or the extension's manifest.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { MarkupContent } from 'vscode-languageserver-types';
import { PmtaLanguageService, RULES, TextDocument } from '../../server/src/service';
import type { Finding } from '../../server/src/findings';
import type { Settings } from '../../server/src/settings';
import { NodeIncludeHost } from '../../server/src/hosts/nodeHost';
import { allBlocks, allDirectives } from '../../server/src/knowledge/catalog';
import { MICROSOFT_CODES, MICROSOFT_SOURCE_NAMES, MICROSOFT_TIERS } from '../../server/src/knowledge/microsoft';
import { blockMarkdown, directiveMarkdown } from '../../server/src/features/hover';
import { microsoftCodeMarkdown } from '../../server/src/features/replies';
import { corpusFiles, CORPUS_MISSING, exampleFiles, ROOT } from '../helpers/util';

/** Internal words, each with why it is jargon. Case matters where the word is also ordinary English. */
const JARGON: ReadonlyArray<[RegExp, string]> = [
  [/\bseeds?\b|seed's|\bSEED\b/i, 'our name for the source article'],
  [/seed[A-Z_]|SEED[-_]/, 'an identifier named after the source article'],
  [/\bGUIDE\b/, 'the source key of the widely copied guide'],
  [/\bREAL\b/, 'the source key for real-world configurations'],
  [/\bSPDOC\b/, "the source key for SparkPost's guide"],
  [/\bUG\b/, "the source key for the PowerMTA User's Guide"],
  [/\bS-[A-Z]{2,}(?:-[A-Z0-9]+)*\b/, 'a source key of the Microsoft notes (S-PM-TRB, S-NDR-AS …)'],
  [/\[(?:C|W|I)(?:\]|:)/, 'a certainty mark of our notes'],
];

/** Words that look like jargon but are not: the fuzzer's random seed (CONTRIBUTING.md, Fuzzing). */
function allowed(text: string): string {
  return text.replace(/FUZZ_SEED|random seed/g, '');
}

function jargonIn(text: string): string[] {
  const t = allowed(text);
  const out: string[] = [];
  for (const [re, why] of JARGON) {
    const m = re.exec(t);
    if (m) out.push(`"${m[0]}" (${why}) in: ${t.slice(Math.max(0, m.index - 60), m.index + 60).replace(/\n/g, '⏎')}`);
  }
  return out;
}

function assertPlain(what: string, text: string): void {
  const found = jargonIn(text);
  assert.deepEqual(found, [], `${what}: ${found.join('; ')}`);
}

test('the jargon check itself finds each kind of internal word, and lets ordinary words through', () => {
  for (const bad of [
    "the seed's value for the under-100k tier",
    '# seed: stop, check SNDS',
    'Where the seed article differs',
    'SEED_ROLLUP_DOMAINS',
    '*Source: S-PM-TRB*',
    '*Source: S-NDR-AS*',
    'Source: GUIDE',
    'UG 3.3.10.49; REAL',
    'SPDOC',
    'a heuristic [I]',
    '[W: pastebin]',
  ]) {
    assert.ok(jargonIn(bad).length > 0, bad);
  }
  for (const good of [
    'a widely copied PowerMTA guide for Microsoft traffic',
    'real-world configurations',
    "PowerMTA User's Guide, section 3.3.10.93",
    'About 6,000 cases with a fixed random seed; `FUZZ_SEED=n` another random seed.',
    'S3150, AS3150, SC-001, RP-001, 5.7.606-649',
    'succeeded, seeding a list',
  ]) {
    assert.deepEqual(jargonIn(good), [], good);
  }
});

/** Every finding's user-visible text: message, related information, fix titles and inserted text. */
function findingTexts(findings: readonly Finding[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const f of findings) {
    out.push([`${f.rule} message`, f.message]);
    for (const r of f.related ?? []) out.push([`${f.rule} related`, r.message]);
    for (const fix of f.fixes) {
      out.push([`${f.rule} fix title`, fix.title]);
      for (const c of fix.changes) out.push([`${f.rule} fix "${fix.title}" inserts`, c.newText]);
    }
  }
  return out;
}

const SETTINGS: Settings[] = [{}, { microsoft: { volumeTier: '500k-plus' } }];

/** Lint a file on disk the way the CLI does: includes followed, included files checked as part of it. */
function lintFileTexts(file: string): Array<[string, string]> {
  const service = new PmtaLanguageService({ host: new NodeIncludeHost() });
  const doc = TextDocument.create(pathToFileURL(file).toString(), 'powermta', 1, fs.readFileSync(file, 'utf8'));
  const out: Array<[string, string]> = [];
  for (const settings of SETTINGS) {
    out.push(...findingTexts(service.lint(doc, { settings })));
    for (const inc of service.lintIncluded(doc, { settings })) out.push(...findingTexts(inc.findings));
  }
  return out;
}

test('rule messages, related information, fix titles and inserted text on the examples are plain words', () => {
  let n = 0;
  for (const rel of exampleFiles()) {
    for (const [what, text] of lintFileTexts(path.join(ROOT, 'examples', rel))) {
      assertPlain(`examples/${rel}: ${what}`, text);
      n++;
    }
  }
  assert.ok(n > 50, `${n} texts checked`);
});

test('rule messages, related information, fix titles and inserted text on the corpus of real configurations are plain words', (t) => {
  const files = corpusFiles();
  if (!files.length) {
    t.skip(CORPUS_MISSING);
    return;
  }
  let n = 0;
  for (const file of files) {
    for (const [what, text] of lintFileTexts(file)) {
      assertPlain(`${path.basename(file)}: ${what}`, text);
      n++;
    }
  }
  assert.ok(n > 50, `${n} texts checked`);
});

test('rule descriptions (--list-rules) are plain words', () => {
  assert.ok(RULES.length >= 15);
  for (const r of RULES) assertPlain(`${r.id} description`, r.description);
});

test('the hover of every Microsoft code, and every source name it cites, are plain words', () => {
  for (const c of MICROSOFT_CODES) assertPlain(`hover of ${c.id}`, microsoftCodeMarkdown({ code: c, covers: [c] }));
  for (const [key, name] of Object.entries(MICROSOFT_SOURCE_NAMES)) assertPlain(`name of source ${key}`, name);
  // every source key an entry cites has a name (a key without one would be shown raw)
  for (const c of MICROSOFT_CODES) {
    for (const key of c.source.split(/[;,]\s*/))
      assert.ok(MICROSOFT_SOURCE_NAMES[key.trim()], `${c.id} cites "${key}", which has no name`);
  }
});

test('the hover of every directive and block of the catalog is plain words', () => {
  for (const d of allDirectives()) assertPlain(`hover of ${d.name}`, directiveMarkdown(d));
  for (const b of allBlocks()) assertPlain(`hover of <${b.name}>`, blockMarkdown(b));
});

/** Offsets of every word start (and every code-looking token start) of a text. */
function wordStarts(text: string): number[] {
  const out: number[] = [];
  const re = /[A-Za-z0-9$<*\\(][^\s,]*/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m.index + Math.min(1, m[0].length - 1));
  return out;
}

test('hovers on every word of the examples, code lenses, tier reasons and completion documentation are plain words', () => {
  const service = new PmtaLanguageService({ host: new NodeIncludeHost() });
  let hovers = 0;
  for (const rel of exampleFiles()) {
    const file = path.join(ROOT, 'examples', rel);
    const doc = TextDocument.create(pathToFileURL(file).toString(), 'powermta', 1, fs.readFileSync(file, 'utf8'));
    for (const settings of SETTINGS) {
      for (const off of wordStarts(doc.getText())) {
        const h = service.hover(doc, doc.positionAt(off), { settings });
        if (!h) continue;
        hovers++;
        assertPlain(
          `hover in examples/${rel} at ${JSON.stringify(doc.positionAt(off))}`,
          (h.contents as MarkupContent).value,
        );
      }
      for (const lens of service.codeLenses(doc, { settings }))
        assertPlain(`code lens in examples/${rel}`, lens.command?.title ?? '');
      const tier = service.tierInfo(doc, { settings });
      if (tier) assertPlain(`tier reason of examples/${rel}`, tier.why + ' ' + tier.label);
    }
  }
  assert.ok(hovers > 200, `${hovers} hovers checked`);
  // completion in the Microsoft queue's block offers the advised values with their documentation
  const text = '<domain outlook.com>\n    \n</domain>\n';
  const doc = TextDocument.create('file:///plain/config.pmta', 'powermta', 1, text);
  const items = service.complete(doc, doc.positionAt(text.indexOf('    \n') + 4)).items;
  assert.ok(items.length > 20);
  for (const i of items) {
    const docText = typeof i.documentation === 'string' ? i.documentation : (i.documentation?.value ?? '');
    assertPlain(`completion ${i.label}`, `${i.detail ?? ''} ${docText}`);
  }
});

test('the inserted Microsoft configuration of every tier and "Explain SMTP reply" are plain words', () => {
  const service = new PmtaLanguageService();
  for (const t of MICROSOFT_TIERS) {
    const c = service.microsoftConfiguration(t.id);
    assert.ok(c, t.id);
    assertPlain(`inserted configuration for ${t.id}`, c.text);
  }
  for (const c of MICROSOFT_CODES)
    assertPlain(`explanation of "${c.sampleReply}"`, service.explainReply(c.sampleReply).markdown);
});

test('snippets, the README, the user documentation, the examples and the extension manifest are plain words', () => {
  const docs = fs
    .readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`);
  assert.ok(docs.includes('docs/rules.md'), 'the rules reference is in docs/');
  const files = [
    'snippets/powermta.json',
    'README.md',
    'CHANGELOG.md',
    'CONTRIBUTING.md',
    ...docs,
    'package.json',
    ...exampleFiles().map((f) => `examples/${f}`),
  ];
  for (const file of files) {
    assertPlain(file, fs.readFileSync(path.join(ROOT, file), 'utf8'));
  }
});
