/**
 * snippets/powermta.json and the extension manifest's contributions.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { PmtaLanguageService } from '../../server/src/service';
import {
  microsoftConfiguration,
  microsoftRollupLines,
  microsoftTierLines,
  ROLLUP_DOMAINS,
} from '../../server/src/features/microsoft';
import {
  MICROSOFT_BACKOFF_DIRECTIVES,
  MICROSOFT_PATTERN_ENTRIES,
  MICROSOFT_PATTERN_LIST_NAME,
  MICROSOFT_TIERS,
  missingPatternEntries,
  renderMicrosoftPatternList,
  GUIDE_ROLLUP_DOMAINS,
} from '../../server/src/knowledge/microsoft';
import { ACCOUNTING_LANGUAGE } from '../../server/src/server/protocol';

const ROOT = path.resolve(__dirname, '../../..');

interface Snippet {
  prefix: string | string[];
  body: string | string[];
  description?: string;
}

const SNIPPETS: Record<string, Snippet> = JSON.parse(
  fs.readFileSync(path.join(ROOT, 'snippets', 'powermta.json'), 'utf8'),
);

/**
 * The text a snippet inserts when every placeholder keeps its default: `${1:x}` → x (nested allowed),
 * `${1|a,b|}` → a, `$1` / `${1}` → the value of placeholder 1, `\$` `\}` `\\` → the character.
 */
function expandSnippet(body: string): string {
  const values = new Map<string, string>();
  let i = 0;
  const parse = (inPlaceholder: boolean): string => {
    let out = '';
    while (i < body.length) {
      const c = body[i];
      if (c === '\\' && i + 1 < body.length && '$}\\,|'.includes(body[i + 1])) {
        out += body[i + 1];
        i += 2;
        continue;
      }
      if (inPlaceholder && c === '}') return out;
      if (c === '$') {
        const rest = body.slice(i);
        let m = /^\$(\d+)|^\$\{(\d+)\}/.exec(rest);
        if (m) {
          i += m[0].length;
          out += values.get(m[1] ?? m[2]) ?? '';
          continue;
        }
        m = /^\$\{(\d+)\|([^|]*)\|\}/.exec(rest);
        if (m) {
          i += m[0].length;
          const v = m[2].split(',')[0];
          if (!values.has(m[1])) values.set(m[1], v);
          out += v;
          continue;
        }
        m = /^\$\{(\d+):/.exec(rest);
        if (m) {
          i += m[0].length;
          const v = parse(true);
          assert.equal(body[i], '}', `unclosed placeholder \${${m[1]}:…`);
          i++;
          if (!values.has(m[1])) values.set(m[1], v);
          out += v;
          continue;
        }
        assert.fail(`unescaped $ in snippet body at: ${rest.slice(0, 30)}`);
      }
      out += c;
      i++;
    }
    assert.ok(!inPlaceholder, 'unclosed placeholder');
    return out;
  };
  return parse(false);
}

const bodyOf = (s: Snippet) => (Array.isArray(s.body) ? s.body.join('\n') : s.body);
const expanded = (name: string) => expandSnippet(bodyOf(SNIPPETS[name]));

/** Check tag nesting: each <tag ...> is closed by its </tag>, in order. Returns the problems. */
function tagProblems(text: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  text.split('\n').forEach((raw, n) => {
    const lineText = raw.replace(/(^|\s)#.*$/, '');
    for (const m of lineText.matchAll(/<(\/?)([A-Za-z][\w-]*)[^>]*>/g)) {
      if (!m[1]) stack.push(m[2]);
      else if (stack.at(-1) === m[2]) stack.pop();
      else problems.push(`line ${n + 1}: </${m[2]}> closes ${stack.at(-1) ? `<${stack.at(-1)}>` : 'nothing'}`);
    }
    if (/<\/?[A-Za-z][\w-]*[^>]*$/.test(lineText)) problems.push(`line ${n + 1}: tag without ">"`);
    if (/\{\{|\}\}/.test(lineText)) problems.push(`line ${n + 1}: doubled braces`);
  });
  for (const t of stack) problems.push(`<${t}> is never closed`);
  return problems;
}

test('snippets: well-formed entries with prefixes, bodies and descriptions', () => {
  assert.ok(Object.keys(SNIPPETS).length >= 12);
  for (const [name, s] of Object.entries(SNIPPETS)) {
    const prefixes = Array.isArray(s.prefix) ? s.prefix : [s.prefix];
    assert.ok(prefixes.length > 0 && prefixes.every((x) => typeof x === 'string' && x.length > 0), `${name}: prefix`);
    assert.ok(typeof s.description === 'string' && s.description.length > 10, `${name}: description`);
    assert.ok(bodyOf(s).length > 0, `${name}: body`);
    assert.ok(/\$\{?\d/.test(bodyOf(s)), `${name}: has tab stops`);
  }
});

test('snippets: every <tag> has its </tag>, no doubled-brace syntax', () => {
  for (const [name, s] of Object.entries(SNIPPETS)) {
    const text = expandSnippet(bodyOf(s));
    assert.deepEqual(tagProblems(text), [], `${name}:\n${text}`);
  }
});

test('snippets: the required blocks are there', () => {
  const all = Object.values(SNIPPETS)
    .map((s) => expandSnippet(bodyOf(s)))
    .join('\n');
  for (const tag of [
    'domain',
    'virtual-mta',
    'virtual-mta-pool',
    'source',
    'smtp-user',
    'smtp-pattern-list',
    'acct-file',
    'spool',
    'mx-rollup-list',
  ]) {
    assert.match(all, new RegExp(`^<${tag}[ >]`, 'm'), `a snippet with <${tag}>`);
  }
  assert.match(all, /^domain-macro \w+ /m);
  assert.match(all, /^<domain \$\w+>/m);
  assert.match(all, /^\s*reply \/[^/]+\/ mode=backoff/m);
});

test('snippets: the Microsoft block uses the conservative tier and rolls the variants into outlook.com', () => {
  const name = Object.keys(SNIPPETS).find((k) => /^Microsoft \(Outlook/.test(k));
  assert.ok(name, 'a Microsoft snippet');
  const text = expanded(name);
  const block = /^<domain outlook\.com>\n([\s\S]*?)^<\/domain>/m.exec(text);
  assert.ok(block, text);
  const directives = new Map(
    block[1]
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => [l.split(/\s+/)[0], l.split(/\s+/).slice(1).join(' ')] as [string, string]),
  );
  const tier = MICROSOFT_TIERS[0];
  assert.equal(directives.get('max-smtp-out'), String(tier.maxSmtpOut));
  assert.equal(directives.get('max-connect-rate'), tier.maxConnectRatePmta);
  assert.equal(directives.get('max-msg-rate'), tier.maxMsgRate);
  assert.equal(directives.get('retry-after'), tier.retryAfter);
  assert.equal(directives.get('smtp-pattern-list'), MICROSOFT_PATTERN_LIST_NAME);
  assert.equal(directives.get('dkim-sign'), 'yes');
  for (const d of MICROSOFT_BACKOFF_DIRECTIVES) assert.equal(directives.get(d.name), d.value, d.name);
  for (const d of ['hotmail.com', 'live.com', 'msn.com']) {
    assert.match(
      text,
      new RegExp(`^<domain ${d.replace(/\./g, '\\.')}>\\n\\s+queue-to outlook\\.com\\n</domain>$`, 'm'),
      d,
    );
  }
});

test('snippets: the microsoft-errors pattern list is the recommended one', () => {
  const name = Object.keys(SNIPPETS).find((k) => /microsoft-errors/.test(k));
  assert.ok(name, 'a microsoft-errors snippet');
  const text = expanded(name);
  assert.match(text, new RegExp(`^<smtp-pattern-list ${MICROSOFT_PATTERN_LIST_NAME}>`));
  const rules = [...text.matchAll(/^\s*reply \/((?:[^/\\]|\\.)*)\/ (\S+)$/gm)].map((m) => ({
    regex: m[1],
    actions: m[2],
  }));
  assert.equal(rules.length, MICROSOFT_PATTERN_ENTRIES.length);
  for (const r of rules) {
    assert.ok(
      MICROSOFT_PATTERN_ENTRIES.some((e) => e.regex === r.regex && e.actions === r.actions),
      `not a recommended rule: reply /${r.regex}/ ${r.actions}`,
    );
  }
  assert.deepEqual(missingPatternEntries(rules.map((r) => r.regex)), []);
});

test('snippets: the language service finds no syntax, directive or value problem in them', () => {
  const service = new PmtaLanguageService();
  for (const [name, s] of Object.entries(SNIPPETS)) {
    let text = expandSnippet(bodyOf(s));
    if (/^reply /.test(text)) text = `<smtp-pattern-list x>\n${text}\n</smtp-pattern-list>\n`;
    const doc = TextDocument.create('file:///snippet.pmta', 'powermta', 1, text);
    const findings = service
      .lint(doc, { settings: { includes: { resolve: false } } })
      .filter((f) =>
        [
          'syntax',
          'pseudo-syntax',
          'unknown-directive',
          'wrong-context',
          'invalid-value',
          'duplicate-directive',
        ].includes(f.rule),
      );
    assert.deepEqual(
      findings.map((f) => `${f.rule}: ${f.message} at "${text.slice(f.span.start, f.span.end)}"`),
      [],
      `${name}:\n${text}`,
    );
  }
});

test('snippets: the Microsoft block with the microsoft-errors list lints clean, Microsoft rules included', () => {
  const names = Object.keys(SNIPPETS);
  const block = names.find((k) => /^Microsoft \(Outlook/.test(k))!;
  const list = names.find((k) => /microsoft-errors/.test(k))!;
  const text = `${expanded(block)}\n\n${expanded(list)}\n`;
  const doc = TextDocument.create('file:///microsoft.pmta', 'powermta', 1, text);
  const findings = new PmtaLanguageService().lint(doc, { settings: { includes: { resolve: false } } });
  assert.deepEqual(
    findings.map((f) => `${f.rule}: ${f.message}`),
    [],
  );
});

/** The snippet whose prefixes include `prefix`. */
function byPrefix(prefix: string): string {
  const name = Object.keys(SNIPPETS).find((k) => ([] as string[]).concat(SNIPPETS[k].prefix).includes(prefix));
  assert.ok(name, `a snippet with prefix ${prefix}`);
  return name;
}

function lintAll(text: string): string[] {
  const doc = TextDocument.create('file:///snippet.pmta', 'powermta', 1, text);
  return new PmtaLanguageService()
    .lint(doc, { settings: { includes: { resolve: false } } })
    .map((f) => `${f.rule}: ${f.message}`);
}

test('snippets: one Microsoft block per volume tier, the rollup set and the pattern list are what the insert command writes', () => {
  assert.equal(MICROSOFT_TIERS.length, 3);
  const rollup = expanded(byPrefix('microsoft-rollup'));
  assert.equal(rollup, microsoftRollupLines('\t').join('\n'));
  assert.deepEqual(
    [...rollup.matchAll(/^<domain (\S+)>$/gm)].map((m) => m[1]),
    GUIDE_ROLLUP_DOMAINS.filter((d) => d !== 'outlook.com'),
  );
  const list = expanded(byPrefix('microsoft-errors'));
  assert.equal(list, renderMicrosoftPatternList('\t', '\n'));
  for (const tier of MICROSOFT_TIERS) {
    const block = expanded(byPrefix(`microsoft-${tier.id}`));
    assert.equal(block, microsoftTierLines(tier, '\t').join('\n'), tier.id);
    assert.match(block, new RegExp(`^# pmta-lint: microsoft-tier=${tier.id}$`, 'm'));
    assert.match(
      block,
      new RegExp(
        `^\\tmax-smtp-out ${tier.maxSmtpOut}\\n\\tmax-connect-rate ${tier.maxConnectRatePmta.replace('/', '\\/')}\\n\\tmax-msg-rate ${tier.maxMsgRate.replace('/', '\\/')}\\n\\tretry-after ${tier.retryAfter}$`,
        'm',
      ),
    );
    // "PowerMTA: Insert Microsoft domain configuration" inserts exactly these three snippets
    assert.equal(microsoftConfiguration(tier.id)!.text, `${block}\n\n${rollup}\n\n${list}\n`);
    // and every rule, Microsoft rules included, accepts them together
    assert.deepEqual(lintAll(`${block}\n\n${rollup}\n\n${list}\n`), [], tier.id);
  }
  assert.deepEqual(ROLLUP_DOMAINS.length, 9);
  // the combined "microsoft" snippet is the conservative tier with the rollup set
  assert.equal(
    expanded(byPrefix('microsoft')),
    `${microsoftTierLines(MICROSOFT_TIERS[0], '\t').join('\n')}\n\n${rollup}`,
  );
});

/**
 * Every rule runs on each snippet. A snippet that refers to something another snippet defines is linted
 * with that companion text, and the result must be clean: no finding of any rule.
 */
const COMPANIONS: Record<string, string> = {
  'virtual-mta-pool':
    '<virtual-mta mta1>\n\tsmtp-source-host 192.0.2.10 mta1.example.com\n</virtual-mta>\n<virtual-mta mta2>\n\tsmtp-source-host 192.0.2.11 mta2.example.com\n</virtual-mta>',
  source:
    '<virtual-mta-pool pool1>\n\tvirtual-mta mta1\n</virtual-mta-pool>\n<virtual-mta mta1>\n\tsmtp-source-host 192.0.2.10 mta1.example.com\n</virtual-mta>',
  'smtp-user':
    '<virtual-mta-pool pool1>\n\tvirtual-mta mta1\n</virtual-mta-pool>\n<virtual-mta mta1>\n\tsmtp-source-host 192.0.2.10 mta1.example.com\n</virtual-mta>',
  microsoft: '$list',
  'microsoft-under-100k': '$rollup\n$list',
  'microsoft-100k-500k': '$rollup\n$list',
  'microsoft-500k-plus': '$rollup\n$list',
  'microsoft-rollup': '$tier\n$list',
};

test('snippets: with their companions, every rule accepts every snippet', () => {
  const parts: Record<string, string> = {
    $list: expanded(byPrefix('microsoft-errors')),
    $rollup: expanded(byPrefix('microsoft-rollup')),
    $tier: expanded(byPrefix('microsoft-under-100k')),
  };
  for (const [name, s] of Object.entries(SNIPPETS)) {
    let text = expandSnippet(bodyOf(s));
    if (/^reply /.test(text)) text = `<smtp-pattern-list x>\n${text}\n</smtp-pattern-list>`;
    const prefix = ([] as string[]).concat(s.prefix)[0];
    const companion = (COMPANIONS[prefix] ?? '').replace(/\$(list|rollup|tier)/g, (m) => parts[m]);
    assert.deepEqual(lintAll(`${text}\n${companion}\n`), [], `${name}:\n${text}`);
    if (companion) assert.notDeepEqual(lintAll(`${text}\n`), [], `${name}: the companion is needed`);
  }
});

test('snippets: DKIM signing and the JMRP feedback loop', () => {
  const dkim = expanded(byPrefix('dkim'));
  assert.match(dkim, /^domain-key s1, example\.com, \/etc\/pmta\/dkim\/s1\.example\.com\.pem$/m);
  assert.match(dkim, /^<domain \*>\n\tdkim-sign yes\n<\/domain>$/m);
  const jmrp = expanded(byPrefix('jmrp'));
  assert.match(jmrp, /^relay-domain fbl\.example\.com$/m);
  assert.match(
    jmrp,
    /^<feedback-loop-processor>\n\tdeliver-matched-email yes\n\t<address-list>\n\t\tdomain fbl\.example\.com\n\t<\/address-list>\n<\/feedback-loop-processor>$/m,
  );
  assert.match(
    jmrp,
    /^<domain fbl\.example\.com>\n\ttype pipe\n\tcommand "\/usr\/local\/bin\/process-fbl --provider=microsoft"\n<\/domain>$/m,
  );
  // one placeholder names the FBL domain everywhere
  assert.equal(bodyOf(SNIPPETS[byPrefix('jmrp')]).match(/\$\{1:fbl\.example\.com\}/g)?.length, 3);
});

test('package.json: contributed files exist and match the grammar and language', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const c = pkg.contributes;
  const exists = (rel: string) => assert.ok(fs.existsSync(path.join(ROOT, rel)), `${rel} exists`);
  assert.equal(pkg.main, './dist/extension.js');
  assert.deepEqual(
    c.languages.map((l: { id: string }) => l.id),
    ['powermta', 'powermta-accounting'],
  );
  exists(c.languages[0].configuration);
  // accounting files: acct*.csv by name, any .csv under a pmta folder; no grammar, no snippets
  assert.deepEqual(c.languages[1].filenamePatterns, ['acct*.csv', '**/pmta/**/*.csv']);
  assert.equal(c.languages[1].id, ACCOUNTING_LANGUAGE);
  for (const g of c.grammars) {
    exists(g.path);
    assert.equal(g.language, 'powermta');
    assert.equal(JSON.parse(fs.readFileSync(path.join(ROOT, g.path), 'utf8')).scopeName, g.scopeName);
  }
  for (const s of c.snippets) {
    exists(s.path);
    assert.equal(s.language, 'powermta');
  }
  // language configuration: valid JSON whose regular expressions compile
  const lc = JSON.parse(fs.readFileSync(path.join(ROOT, c.languages[0].configuration), 'utf8'));
  assert.equal(lc.comments.lineComment, '#');
  const word = new RegExp(lc.wordPattern, 'g');
  assert.deepEqual('max-smtp-out hotmail.co.uk'.match(word), ['max-smtp-out', 'hotmail.co.uk']);
  const inc = new RegExp(lc.indentationRules.increaseIndentPattern);
  const dec = new RegExp(lc.indentationRules.decreaseIndentPattern);
  assert.ok(
    inc.test('<domain hotmail.com>') &&
      inc.test('  <virtual-mta-pool p> # c') &&
      !inc.test('<domain a> queue-to b </domain>'),
  );
  assert.ok(dec.test('</domain>') && !dec.test('max-smtp-out 4'));
  assert.ok(
    new RegExp(lc.folding.markers.start).test('<domain x>') && new RegExp(lc.folding.markers.end).test('</domain>'),
  );
  // commands contributed and registered by the client
  const commands: string[] = c.commands.map((x: { command: string }) => x.command);
  assert.deepEqual(commands.sort(), [
    'pmta.deliveryReport',
    'pmta.explainReply',
    'pmta.insertMicrosoftConfiguration',
    'pmta.restartServer',
    'pmta.showOutput',
    'pmta.showTier',
  ]);
  for (const cmd of c.commands) assert.equal(cmd.category, 'PowerMTA', `${cmd.command}: "PowerMTA: …" in the palette`);
  const client = fs.readFileSync(path.join(ROOT, 'client', 'src', 'activate.ts'), 'utf8');
  for (const cmd of commands) assert.ok(client.includes(`registerCommand('${cmd}'`), `client registers ${cmd}`);
  // commands that need a PowerMTA editor are only offered in one
  const palette = new Map<string, string>(
    c.menus.commandPalette.map((m: { command: string; when: string }) => [m.command, m.when]),
  );
  assert.equal(palette.get('pmta.insertMicrosoftConfiguration'), 'editorLangId == powermta');
  assert.equal(palette.get('pmta.showTier'), 'editorLangId == powermta');
  for (const m of [...c.menus.commandPalette, ...c.menus['editor/context'], ...c.menus['explorer/context']])
    assert.ok(commands.includes(m.command), `menu entry ${m.command} is a contributed command`);
  // the report: from the palette anywhere (it asks for files), from an accounting file's or the explorer's menu
  assert.equal(palette.get('pmta.deliveryReport'), undefined);
  assert.deepEqual(
    c.menus['explorer/context'].map((m: { when: string }) => m.when),
    ['resourceLangId == powermta-accounting || resourceExtname == .gz'],
  );
  // usable in a restricted (untrusted) workspace, and the client tells the server
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
  assert.ok(pkg.capabilities.untrustedWorkspaces.description.length > 20);
  const desktop = fs.readFileSync(path.join(ROOT, 'client', 'src', 'extension.ts'), 'utf8');
  assert.match(desktop, /trusted: vscode\.workspace\.isTrusted/);
  const web = fs.readFileSync(path.join(ROOT, 'client', 'src', 'webExtension.ts'), 'utf8');
  assert.match(web, /clientOptions\(\s*\[[^\]]*\],\s*channel,\s*vscode\.workspace\.isTrusted,?\s*\)/);
  const lspClient = fs.readFileSync(path.join(ROOT, 'client', 'src', 'lspClient.ts'), 'utf8');
  assert.match(lspClient, /setup\.channel,\s*setup\.trusted,\s*\)/);
  const shared = fs.readFileSync(path.join(ROOT, 'client', 'src', 'pmtaClient.ts'), 'utf8');
  assert.match(shared, /initializationOptions: \{ workspaceTrusted: trusted \}/);
  assert.match(client, /onDidGrantWorkspaceTrust/);
  // the client sends only the custom requests the server defines
  const protocol = fs.readFileSync(path.join(ROOT, 'server', 'src', 'server', 'protocol.ts'), 'utf8');
  const server = fs.readFileSync(path.join(ROOT, 'server', 'src', 'server', 'requests.ts'), 'utf8');
  for (const name of ['EXPLAIN_REPLY', 'TIER', 'MICROSOFT_CONFIGURATION']) {
    assert.match(protocol, new RegExp(`export const ${name} = 'pmta/`));
    assert.match(server, new RegExp(`connection\\.onRequest\\(\\s*${name},`), `server answers ${name}`);
  }
  const report = fs.readFileSync(path.join(ROOT, 'server', 'src', 'server', 'deliveryReport.ts'), 'utf8');
  for (const name of ['DELIVERY_REPORT', 'ADD_PATTERN_RULES']) {
    assert.match(protocol, new RegExp(`export const ${name} = 'pmta/`));
    assert.match(report, new RegExp(`connection\\.onRequest\\(\\s*${name},`), `server answers ${name}`);
  }
  // settings the server reads
  for (const key of [
    'pmta.rules',
    'pmta.microsoft.volumeTier',
    'pmta.includes.resolve',
    'pmta.maxFileSizeKB',
    'pmta.trace.server',
  ]) {
    assert.ok(c.configuration.properties[key], `setting ${key}`);
  }
});
