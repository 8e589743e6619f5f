/**
 * The TextMate grammar (syntaxes/powermta.tmLanguage.json), tokenized by the same engine VS Code uses
 * (vscode-textmate + the Oniguruma WebAssembly build).
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import * as vsctm from 'vscode-textmate';
import * as oniguruma from 'vscode-oniguruma';

import { corpusFiles, ROOT } from '../helpers/util';
const GRAMMAR = path.join(ROOT, 'syntaxes', 'powermta.tmLanguage.json');
const SCOPE = 'source.powermta';

let grammar: vsctm.IGrammar;

before(async () => {
  const wasm = fs.readFileSync(path.join(ROOT, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName: string) =>
      scopeName === SCOPE ? vsctm.parseRawGrammar(fs.readFileSync(GRAMMAR, 'utf8'), GRAMMAR) : null,
  });
  const g = await registry.loadGrammar(SCOPE);
  assert.ok(g, 'grammar loads');
  grammar = g;
});

type Tok = [text: string, ...scopes: string[]];

/** Tokenize lines (state carried across them); each token as [text, ...scopes without the root scope]. */
function tokenize(...lines: string[]): Tok[][] {
  let state = vsctm.INITIAL;
  return lines.map((line) => {
    const r = grammar.tokenizeLine(line, state);
    state = r.ruleStack;
    return r.tokens.map((t) => {
      assert.equal(t.scopes[0], SCOPE);
      return [line.slice(t.startIndex, t.endIndex), ...t.scopes.slice(1)] as Tok;
    });
  });
}

const line = (text: string) => tokenize(text)[0];

/** Suffix every scope with the grammar's language name, as in the grammar file. */
function p(text: string, ...scopes: string[]): Tok {
  return [text, ...scopes.map((s) => `${s}.powermta`)];
}

test('grammar file: scopeName and valid JSON', () => {
  const raw = JSON.parse(fs.readFileSync(GRAMMAR, 'utf8'));
  assert.equal(raw.scopeName, SCOPE);
});

test('comment line', () => {
  assert.deepEqual(line('# Microsoft domains'), [
    p('#', 'comment.line.number-sign', 'punctuation.definition.comment'),
    p(' Microsoft domains', 'comment.line.number-sign'),
  ]);
  // indented comment
  assert.deepEqual(line('    # x'), [
    ['    '],
    p('#', 'comment.line.number-sign', 'punctuation.definition.comment'),
    p(' x', 'comment.line.number-sign'),
  ]);
});

test('opening tag <domain hotmail.com>', () => {
  assert.deepEqual(line('<domain hotmail.com>'), [
    p('<', 'meta.tag.open', 'punctuation.definition.tag.begin'),
    p('domain', 'meta.tag.open', 'entity.name.tag'),
    p(' ', 'meta.tag.open'),
    p('hotmail.com', 'meta.tag.open', 'entity.other.attribute-name'),
    p('>', 'meta.tag.open', 'punctuation.definition.tag.end'),
  ]);
});

test('closing tag </domain>', () => {
  assert.deepEqual(line('</domain>'), [
    p('</', 'meta.tag.close', 'punctuation.definition.tag.begin'),
    p('domain', 'meta.tag.close', 'entity.name.tag'),
    p('>', 'meta.tag.close', 'punctuation.definition.tag.end'),
  ]);
});

test('directive, number and trailing comment: max-smtp-out 20 # x', () => {
  assert.deepEqual(line('max-smtp-out 20 # x'), [
    p('max-smtp-out', 'meta.directive', 'keyword.other.directive'),
    p(' ', 'meta.directive'),
    p('20', 'meta.directive', 'constant.numeric'),
    [' '],
    p('#', 'comment.line.number-sign', 'punctuation.definition.comment'),
    p(' x', 'comment.line.number-sign'),
  ]);
});

test('duration list: retry-after 10m,1h', () => {
  assert.deepEqual(line('retry-after 10m,1h'), [
    p('retry-after', 'meta.directive', 'keyword.other.directive'),
    p(' ', 'meta.directive'),
    p('10m', 'meta.directive', 'constant.numeric.duration'),
    p(',', 'meta.directive', 'punctuation.separator.comma'),
    p('1h', 'meta.directive', 'constant.numeric.duration'),
  ]);
  assert.deepEqual(line('bounce-after 4d12h')[2], p('4d12h', 'meta.directive', 'constant.numeric.duration'));
});

test('rate: max-msg-rate 200/h', () => {
  assert.deepEqual(line('max-msg-rate 200/h'), [
    p('max-msg-rate', 'meta.directive', 'keyword.other.directive'),
    p(' ', 'meta.directive'),
    p('200/h', 'meta.directive', 'constant.numeric.rate'),
  ]);
  assert.deepEqual(line('max-connect-rate 1/2s')[2], p('1/2s', 'meta.directive', 'constant.numeric.rate'));
});

test('pattern-list rule: reply /RP-00[12]/ mode=backoff', () => {
  assert.deepEqual(line('reply /RP-00[12]/ mode=backoff'), [
    p('reply', 'meta.directive.pattern', 'keyword.other.directive'),
    p(' ', 'meta.directive.pattern'),
    p('/', 'meta.directive.pattern', 'string.regexp', 'punctuation.definition.string.begin'),
    p('RP-00[12]', 'meta.directive.pattern', 'string.regexp'),
    p('/', 'meta.directive.pattern', 'string.regexp', 'punctuation.definition.string.end'),
    p(' ', 'meta.directive.pattern'),
    p('mode', 'meta.directive.pattern', 'keyword.other.action'),
    p('=', 'meta.directive.pattern', 'keyword.operator.assignment'),
    p('backoff', 'meta.directive.pattern', 'constant.language.mode'),
  ]);
  const more = line('  reply /^421 .* too many/ mode=backoff,backoff-to-normal-after=10m');
  assert.deepEqual(more.slice(-4), [
    p(',', 'meta.directive.pattern', 'punctuation.separator.comma'),
    p('backoff-to-normal-after', 'meta.directive.pattern', 'keyword.other.action'),
    p('=', 'meta.directive.pattern', 'keyword.operator.assignment'),
    p('10m', 'meta.directive.pattern', 'constant.numeric.duration'),
  ]);
  assert.deepEqual(
    line('reply /5\\.7\\.606/ bounce-queue').at(-1),
    p('bounce-queue', 'meta.directive.pattern', 'keyword.other.action'),
  );
});

test('bounce-category pattern line: /regex/ category', () => {
  assert.deepEqual(line('    /mailbox +full/ quota-issues # c'), [
    ['    '],
    p('/', 'string.regexp', 'punctuation.definition.string.begin'),
    p('mailbox +full', 'string.regexp'),
    p('/', 'string.regexp', 'punctuation.definition.string.end'),
    [' '],
    p('quota-issues', 'support.constant.bounce-category'),
    [' '],
    p('#', 'comment.line.number-sign', 'punctuation.definition.comment'),
    p(' c', 'comment.line.number-sign'),
  ]);
});

test('template placeholders: smtp-source-host {{ip}} {{domain}}', () => {
  assert.deepEqual(line('smtp-source-host {{ip}} {{domain}}'), [
    p('smtp-source-host', 'meta.directive', 'keyword.other.directive'),
    p(' ', 'meta.directive'),
    p('{{', 'meta.directive', 'meta.embedded.template', 'punctuation.section.embedded.begin'),
    p('ip', 'meta.directive', 'meta.embedded.template', 'variable.other.template'),
    p('}}', 'meta.directive', 'meta.embedded.template', 'punctuation.section.embedded.end'),
    p(' ', 'meta.directive'),
    p('{{', 'meta.directive', 'meta.embedded.template', 'punctuation.section.embedded.begin'),
    p('domain', 'meta.directive', 'meta.embedded.template', 'variable.other.template'),
    p('}}', 'meta.directive', 'meta.embedded.template', 'punctuation.section.embedded.end'),
  ]);
});

test('template blocks: {{#each ips}}, {% if %}, __BLOCKS__, placeholders inside tags', () => {
  assert.deepEqual(line('{{#each ips}}'), [
    p('{{', 'meta.embedded.template', 'punctuation.section.embedded.begin'),
    p('#each', 'meta.embedded.template', 'keyword.control.template'),
    p(' ', 'meta.embedded.template'),
    p('ips', 'meta.embedded.template', 'variable.other.template'),
    p('}}', 'meta.embedded.template', 'punctuation.section.embedded.end'),
  ]);
  assert.deepEqual(line('{{/each}}')[1], p('/each', 'meta.embedded.template', 'keyword.control.template'));
  assert.deepEqual(line('{% if vmta %}'), [
    p('{%', 'meta.embedded.template', 'punctuation.section.embedded.begin'),
    p(' ', 'meta.embedded.template'),
    p('if', 'meta.embedded.template', 'keyword.control.template'),
    p(' ', 'meta.embedded.template'),
    p('vmta', 'meta.embedded.template', 'variable.other.template'),
    p(' ', 'meta.embedded.template'),
    p('%}', 'meta.embedded.template', 'punctuation.section.embedded.end'),
  ]);
  assert.deepEqual(line('__BLOCKS__'), [p('__BLOCKS__', 'meta.embedded.placeholder', 'variable.other.placeholder')]);
  assert.deepEqual(line('<virtual-mta mailer-{{sub}}>'), [
    p('<', 'meta.tag.open', 'punctuation.definition.tag.begin'),
    p('virtual-mta', 'meta.tag.open', 'entity.name.tag'),
    p(' ', 'meta.tag.open'),
    p('mailer-', 'meta.tag.open', 'entity.other.attribute-name'),
    p('{{', 'meta.tag.open', 'meta.embedded.template', 'punctuation.section.embedded.begin'),
    p('sub', 'meta.tag.open', 'meta.embedded.template', 'variable.other.template'),
    p('}}', 'meta.tag.open', 'meta.embedded.template', 'punctuation.section.embedded.end'),
    p('>', 'meta.tag.open', 'punctuation.definition.tag.end'),
  ]);
});

test('blog pseudo-syntax is invalid: domain outlook.com {{ … }}', () => {
  assert.deepEqual(line('domain outlook.com {{'), [
    p('domain', 'meta.block.pseudo-syntax', 'invalid.illegal.pseudo-syntax'),
    p(' ', 'meta.block.pseudo-syntax'),
    p('outlook.com', 'meta.block.pseudo-syntax', 'invalid.illegal.pseudo-syntax'),
    p(' ', 'meta.block.pseudo-syntax'),
    p('{{', 'meta.block.pseudo-syntax', 'invalid.illegal.pseudo-syntax'),
  ]);
  assert.deepEqual(line('}}'), [p('}}', 'invalid.illegal.pseudo-syntax')]);
  assert.deepEqual(line('domain hotmail.com {{ mx-rollup outlook.com }}'), [
    p('domain', 'meta.block.pseudo-syntax', 'invalid.illegal.pseudo-syntax'),
    p(' ', 'meta.block.pseudo-syntax'),
    p('hotmail.com', 'meta.block.pseudo-syntax', 'invalid.illegal.pseudo-syntax'),
    p(' ', 'meta.block.pseudo-syntax'),
    p('{{', 'meta.block.pseudo-syntax', 'invalid.illegal.pseudo-syntax'),
    p(' ', 'meta.block.pseudo-syntax'),
    p('mx-rollup', 'meta.block.pseudo-syntax', 'keyword.other.directive'),
    p(' ', 'meta.block.pseudo-syntax'),
    p('outlook.com', 'meta.block.pseudo-syntax', 'string.unquoted.domain'),
    p(' ', 'meta.block.pseudo-syntax'),
    p('}}', 'meta.block.pseudo-syntax', 'invalid.illegal.pseudo-syntax'),
  ]);
});

test('values: booleans, IPs and CIDRs, quoted strings, macros, special names', () => {
  assert.deepEqual(line('dkim-sign yes')[2], p('yes', 'meta.directive', 'constant.language.boolean'));
  assert.deepEqual(line('use-starttls False')[2], p('False', 'meta.directive', 'constant.language.boolean'));
  assert.deepEqual(line('smtp-source-host 192.0.2.10 mta1.example.com').slice(2), [
    p('192.0.2.10', 'meta.directive', 'constant.numeric.ip'),
    p(' ', 'meta.directive'),
    p('mta1.example.com', 'meta.directive', 'string.unquoted.domain'),
  ]);
  // domains and domain patterns, e-mail addresses, paths
  assert.deepEqual(line('relay-domain [*.]bounces.example.com').slice(2), [
    p('[*.]bounces.example.com', 'meta.directive', 'string.unquoted.domain'),
  ]);
  assert.deepEqual(line('postmaster postmaster@example.com').slice(2), [
    p('postmaster@example.com', 'meta.directive', 'string.unquoted.email'),
  ]);
  assert.deepEqual(line('domain-key s1, example.com, /etc/pmta/dkim/s1.example.com.pem').slice(5), [
    p(',', 'meta.directive', 'punctuation.separator.comma'),
    p(' ', 'meta.directive'),
    p('/etc/pmta/dkim/s1.example.com.pem', 'meta.directive', 'string.unquoted.path'),
  ]);
  assert.deepEqual(line('http-access 10.0.0.0/8 admin')[2], p('10.0.0.0/8', 'meta.directive', 'constant.numeric.ip'));
  assert.deepEqual(line('smtp-listener 0/0:25')[2], p('0/0:25', 'meta.directive', 'constant.numeric.ip'));
  assert.deepEqual(
    line('smtp-source-host 2001:db8::1 mta6.example.com')[2],
    p('2001:db8::1', 'meta.directive', 'constant.numeric.ip'),
  );
  assert.deepEqual(line('queue-to "hotmail.rollup"').slice(2), [
    p('"', 'meta.directive', 'string.quoted.double', 'punctuation.definition.string.begin'),
    p('hotmail.rollup', 'meta.directive', 'string.quoted.double'),
    p('"', 'meta.directive', 'string.quoted.double', 'punctuation.definition.string.end'),
  ]);
  assert.deepEqual(line('relay-domain yahoo.$topLevel').slice(1), [
    p(' yahoo.', 'meta.directive'),
    p('$topLevel', 'meta.directive', 'variable.other.macro'),
  ]);
  assert.deepEqual(line('<domain $hotmail>')[3], p('$hotmail', 'meta.tag.open', 'variable.other.macro'));
  assert.deepEqual(line('<source {pickup}>')[3], p('{pickup}', 'meta.tag.open', 'support.constant.special-name'));
  assert.deepEqual(line('domain-macro hotmail hotmail.com, live.com').slice(0, 3), [
    p('domain-macro', 'meta.directive', 'keyword.other.directive'),
    p(' ', 'meta.directive'),
    p('hotmail', 'meta.directive', 'entity.name.variable.macro'),
  ]);
  assert.deepEqual(line('max-size 50M')[2], p('50M', 'meta.directive', 'constant.numeric.size'));
});

test('a one-line block: <domain msn.com> queue-to "x" </domain>', () => {
  const toks = line('<domain msn.com> queue-to x.rollup </domain>');
  assert.deepEqual(toks.slice(5), [
    p(' ', 'meta.directive'),
    p('queue-to', 'meta.directive', 'keyword.other.directive'),
    p(' ', 'meta.directive'),
    p('x.rollup', 'meta.directive', 'string.unquoted.domain'),
    [' '],
    p('</', 'meta.tag.close', 'punctuation.definition.tag.begin'),
    p('domain', 'meta.tag.close', 'entity.name.tag'),
    p('>', 'meta.tag.close', 'punctuation.definition.tag.end'),
  ]);
});

test('a list ending in "," continues on the next line; other lines start a new directive', () => {
  const [, second, third] = tokenize('domain-macro ms hotmail.com,', '    live.com, msn.com', 'max-smtp-out 5');
  assert.deepEqual(second.slice(0, 2), [
    p('    ', 'meta.directive'),
    p('live.com', 'meta.directive', 'string.unquoted.domain'),
  ]);
  assert.deepEqual(third[0], p('max-smtp-out', 'meta.directive', 'keyword.other.directive'));
  // a comment ending in "," does not continue the directive
  const [, after] = tokenize('retry-after 10m # a, b,', 'max-smtp-out 5');
  assert.deepEqual(after[0], p('max-smtp-out', 'meta.directive', 'keyword.other.directive'));
});

test('# only starts a comment at line start or after whitespace', () => {
  const toks = line('dkim-identity a#b');
  assert.ok(
    toks.every((t) => !t.slice(1).some((s) => s.startsWith('comment'))),
    JSON.stringify(toks),
  );
});

/** Files of a folder whose names match. */
function files(dir: string, ext: RegExp): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => ext.test(f))
    .map((f) => path.join(dir, f));
}

test('real configs: nothing is marked invalid, every tag line is a tag', () => {
  const corpus = corpusFiles();
  const examples = files(path.join(ROOT, 'examples'), /\.(pmta|conf)$/).filter((f) => !/pseudo/.test(path.basename(f)));
  for (const file of [...corpus, ...examples]) {
    const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
    tokenize(...lines).forEach((toks, i) => {
      const where = `${path.basename(file)}:${i + 1}: ${lines[i]}`;
      for (const t of toks) assert.ok(!t.slice(1).some((s) => s.startsWith('invalid')), `invalid token in ${where}`);
      const first = toks.find((t) => t[0].trim() !== '');
      if (/^\s*<\/?[a-z]/i.test(lines[i]))
        assert.ok(first && first.slice(1).some((s) => s.startsWith('meta.tag')), `not a tag: ${where}`);
    });
  }
});

test('examples/blog-pseudo-syntax.pmta: every pseudo block line is marked invalid', () => {
  const file = path.join(ROOT, 'examples', 'blog-pseudo-syntax.pmta');
  if (!fs.existsSync(file)) return;
  const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
  tokenize(...lines).forEach((toks, i) => {
    if (!/\{\{|\}\}/.test(lines[i]) || lines[i].trimStart().startsWith('#')) return;
    assert.ok(
      toks.some((t) => t.slice(1).some((s) => s.startsWith('invalid.illegal'))),
      `line ${i + 1} not marked invalid: ${lines[i]}`,
    );
  });
});
