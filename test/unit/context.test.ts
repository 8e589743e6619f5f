/**
 * A file analysed as part of the configuration that includes it (`root`): the conf.d layout, where
 * /etc/pmta/config includes fragments that use each other's names and split the Microsoft queue's
 * settings between them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { PmtaLanguageService } from '../../server/src/service';
import { fileKey } from '../../server/src/model';
import { memoryHost } from '../helpers/util';
import type { Finding } from '../../server/src/findings';

const CONFIG = 'file:///etc/pmta/config';
const VMTAS = 'file:///etc/pmta/conf.d/vmtas.conf';
const DOMAINS = 'file:///etc/pmta/conf.d/domains.conf';

const doc = (uri: string, text: string, version = 1) => TextDocument.create(uri, 'powermta', version, text);

const DISK: Record<string, string> = {
  [CONFIG]: ['include /etc/pmta/conf.d/*.conf', '<domain *>', '    dkim-sign yes', '</domain>', ''].join('\n'),
  [VMTAS]: [
    '<virtual-mta mta1>',
    '    smtp-source-host 192.0.2.1 mta1.example.com',
    '</virtual-mta>',
    '<virtual-mta-pool ms>',
    '    virtual-mta mta1',
    '</virtual-mta-pool>',
    '',
  ].join('\n'),
  [DOMAINS]: [
    '<domain outlook.com>',
    '    max-smtp-out 4',
    '</domain>',
    '<source 192.0.2.0/24>',
    '    default-virtual-mta ms',
    '</source>',
    '',
  ].join('\n'),
};

const byRule = (findings: Finding[], rule: string) => findings.filter((f) => f.rule === rule);
/** Findings as "line:col rule: message", the message cut after `n` characters. */
const lines = (d: TextDocument, findings: Finding[], n = 200) =>
  findings.map(
    (f) =>
      `${d.positionAt(f.span.start).line + 1}:${d.positionAt(f.span.start).character + 1} ${f.rule}: ${f.message.slice(0, n)}`,
  );

test('a fragment alone reports the names its siblings define; in its configuration it does not', () => {
  const service = new PmtaLanguageService({ host: memoryHost(DISK) });
  const domains = doc(DOMAINS, DISK[DOMAINS]);
  assert.deepEqual(lines(domains, byRule(service.lint(domains), 'undefined-reference')), [
    '5:25 undefined-reference: The virtual MTA or pool "ms" is not defined; define it with <virtual-mta ms> or <virtual-mta-pool ms>',
  ]);
  assert.deepEqual(byRule(service.lint(domains, { root: doc(CONFIG, DISK[CONFIG]) }), 'undefined-reference'), []);
});

test('in its configuration, a typo is still reported, with the names of the other files as suggestions', () => {
  const service = new PmtaLanguageService({ host: memoryHost(DISK) });
  const text = DISK[DOMAINS].replace('default-virtual-mta ms', 'default-virtual-mta mz');
  const domains = doc(DOMAINS, text);
  const f = byRule(service.lint(domains, { root: doc(CONFIG, DISK[CONFIG]) }), 'undefined-reference');
  assert.deepEqual(lines(domains, f), [
    '5:25 undefined-reference: The virtual MTA or pool "mz" is not defined; did you mean "ms"?',
  ]);
  assert.deepEqual(
    f[0].fixes.map((x) => x.changes),
    [[{ span: { start: text.indexOf('mz'), end: text.indexOf('mz') + 2 }, newText: 'ms' }]],
  );
});

test('the Microsoft rules judge the queue with the settings the including configuration gives it', () => {
  const service = new PmtaLanguageService({ host: memoryHost(DISK) });
  const domains = doc(DOMAINS, DISK[DOMAINS]);
  // alone: nothing signs the outlook.com queue
  assert.equal(byRule(service.lint(domains), 'microsoft-missing-dkim').length, 1);
  // in the configuration: its <domain *> signs every queue
  const inConfig = service.lint(domains, { root: doc(CONFIG, DISK[CONFIG]) });
  assert.deepEqual(byRule(inConfig, 'microsoft-missing-dkim'), []);
  // and what is wrong in this file is still reported here, at its place in this file
  assert.deepEqual(lines(domains, byRule(inConfig, 'microsoft-missing-pattern-list'), 60), [
    '1:9 microsoft-missing-pattern-list: The outlook.com queue has no smtp-pattern-list (none in its ',
  ]);
});

test("the configuration is analysed with the fragment's unsaved text, not the file on disk", () => {
  const host = memoryHost(DISK);
  const service = new PmtaLanguageService({ host });
  const edited = DISK[DOMAINS].replace('max-smtp-out 4', 'max-smtp-out 40');
  const domains = doc(DOMAINS, edited, 2);
  const f = byRule(service.lint(domains, { root: doc(CONFIG, DISK[CONFIG]) }), 'microsoft-unsafe-limit').filter((x) =>
    x.message.startsWith('max-smtp-out'),
  );
  assert.deepEqual(lines(domains, f, 60), [
    '2:18 microsoft-unsafe-limit: max-smtp-out 40 is above 4, the recommended value for the un',
  ]);
  assert.ok(!host.reads.includes(DOMAINS), 'the open fragment is not read from disk');
});

test('the other open files of the configuration stand in it with their open text too', () => {
  const host = memoryHost(DISK);
  const service = new PmtaLanguageService({ host });
  const config = doc(CONFIG, DISK[CONFIG]);
  const domains = doc(DOMAINS, DISK[DOMAINS].replace('default-virtual-mta ms', 'default-virtual-mta pool2'));
  assert.equal(byRule(service.lint(domains, { root: config }), 'undefined-reference').length, 1);
  // vmtas.conf opened and edited (not saved): it now defines pool2
  const vmtas = doc(VMTAS, DISK[VMTAS].replace('<virtual-mta-pool ms>', '<virtual-mta-pool pool2>'), 2);
  service.lint(vmtas, { root: config });
  const readsBefore = host.reads.length;
  assert.deepEqual(byRule(service.lint(domains, { siblings: [vmtas], root: config }), 'undefined-reference'), []);
  assert.ok(!host.reads.slice(readsBefore).includes(VMTAS), 'the open vmtas.conf is not read from disk');
  // closed: the disk text counts again
  service.forget(VMTAS);
  assert.equal(byRule(service.lint(domains, { root: config }), 'undefined-reference').length, 1);
});

test('a root that does not include the file is ignored', () => {
  const service = new PmtaLanguageService({ host: memoryHost(DISK) });
  const domains = doc(DOMAINS, DISK[DOMAINS]);
  const alone = service.lint(domains).map((f) => f.rule + f.message);
  const other = doc('file:///etc/pmta/other.pmta', '<virtual-mta-pool ms>\n</virtual-mta-pool>\n');
  assert.deepEqual(
    service.lint(domains, { root: other }).map((f) => f.rule + f.message),
    alone,
  );
  assert.deepEqual(
    service.lint(domains, { root: domains }).map((f) => f.rule + f.message),
    alone,
  );
});

test('a new version of the root is analysed again', () => {
  const service = new PmtaLanguageService({ host: memoryHost(DISK) });
  const domains = doc(DOMAINS, DISK[DOMAINS]);
  assert.deepEqual(byRule(service.lint(domains, { root: doc(CONFIG, DISK[CONFIG], 1) }), 'microsoft-missing-dkim'), []);
  const unsigned = doc(CONFIG, DISK[CONFIG].replace('dkim-sign yes', 'dkim-sign no'), 2);
  assert.equal(byRule(service.lint(domains, { root: unsigned }), 'microsoft-missing-dkim').length, 1);
});

test('includers: the candidates that include the file, the widest configuration first', () => {
  const files = { ...DISK, 'file:///etc/pmta/main.pmta': 'include config\n<virtual-mta mta2>\n</virtual-mta>\n' };
  const service = new PmtaLanguageService({ host: memoryHost(files) });
  const domains = doc(DOMAINS, DISK[DOMAINS]);
  const candidates = [
    doc(VMTAS, DISK[VMTAS]),
    doc(CONFIG, DISK[CONFIG]),
    doc('file:///etc/pmta/main.pmta', files['file:///etc/pmta/main.pmta']),
    domains,
  ];
  assert.deepEqual(
    service.includers(domains, candidates).map((d) => d.uri),
    ['file:///etc/pmta/main.pmta', CONFIG],
  );
  // an editor's URI spelling (escaped characters) names the same file
  assert.deepEqual(
    service.includers(doc('file:///etc/pmta/conf.d/domains%2Econf', ''), candidates).map((d) => d.uri),
    ['file:///etc/pmta/main.pmta', CONFIG],
  );
  // includes not followed: no includer can be known
  assert.deepEqual(service.includers(domains, candidates, { settings: { includes: { resolve: false } } }), []);
  assert.deepEqual(new PmtaLanguageService().includers(domains, candidates), []);
});

test('fileKey: one spelling for the URIs of one file', () => {
  assert.equal(fileKey('file:///C%3A/pmta/config'), 'file:///c:/pmta/config');
  assert.equal(fileKey('file:///c:/pmta/my%20config'), 'file:///c:/pmta/my config');
  assert.equal(fileKey('file:///etc/pmta/100%'), 'file:///etc/pmta/100%');
});

test('hover in a fragment: names and the Microsoft queue as the configuration sets them up', () => {
  const service = new PmtaLanguageService({ host: memoryHost(DISK) });
  const domains = doc(DOMAINS, DISK[DOMAINS]);
  const config = doc(CONFIG, DISK[CONFIG]);
  const text = (h: ReturnType<PmtaLanguageService['hover']>) =>
    h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '';
  const onMs = domains.positionAt(DISK[DOMAINS].indexOf('default-virtual-mta ms') + 21);
  assert.match(text(service.hover(domains, onMs)), /Not defined in this file or the files it includes\./);
  assert.match(text(service.hover(domains, onMs, { root: config })), /Defined at line 4 of `vmtas\.conf`/);
  const onQueue = domains.positionAt(DISK[DOMAINS].indexOf('outlook.com') + 2);
  const alone = text(service.hover(domains, onQueue));
  const inConfig = text(service.hover(domains, onQueue, { root: config }));
  assert.match(alone, /\| dkim-sign \| `false` \| PowerMTA's default \|/);
  assert.match(inConfig, /\| dkim-sign \| `yes` \| `<domain \*>`, line 3 of `config` \|/);
  // the pool the configuration routes Microsoft mail through is found in another file
  assert.match(alone, /- Connections to Microsoft: unknown/);
  assert.match(inConfig, /- Connections to Microsoft: pool ms \(1 virtual MTA\) × max-smtp-out 4 /);
});

test('an edit of the configuration takes over the included files that did not change, and reads the others again', () => {
  const files: Record<string, string> = {
    ...DISK,
    'file:///etc/pmta/conf.d/nested.conf': 'include /etc/pmta/extra.txt\n',
    'file:///etc/pmta/extra.txt': '<virtual-mta m9>\n</virtual-mta>\n',
  };
  const service = new PmtaLanguageService({ host: memoryHost(files) });
  const byUri = (d: TextDocument) =>
    new Map(
      service
        .getModel(d)
        .allModels()
        .map((m) => [m.uri, m]),
    );
  const v1 = byUri(doc(CONFIG, files[CONFIG], 1));
  const v2 = byUri(doc(CONFIG, files[CONFIG] + '# edited\n', 2));
  assert.deepEqual(
    [...v2.keys()],
    [CONFIG, DOMAINS, 'file:///etc/pmta/conf.d/nested.conf', 'file:///etc/pmta/extra.txt', VMTAS],
  );
  assert.equal(v2.get(DOMAINS), v1.get(DOMAINS));
  assert.equal(v2.get(VMTAS), v1.get(VMTAS));
  // a file that includes others is built again (what it includes may have changed)
  assert.notEqual(v2.get('file:///etc/pmta/conf.d/nested.conf'), v1.get('file:///etc/pmta/conf.d/nested.conf'));
  // a file whose text changed on disk is parsed again
  files[VMTAS] = DISK[VMTAS].replace('mta1', 'mta7');
  const v3 = byUri(doc(CONFIG, files[CONFIG], 3));
  assert.notEqual(v3.get(VMTAS), v2.get(VMTAS));
  assert.equal(v3.get(VMTAS)!.text, files[VMTAS]);
  assert.equal(v3.get(DOMAINS), v1.get(DOMAINS));
});

test('an included binary file gets from its configuration what it gets open on its own (found by the fuzzer)', () => {
  const files: Record<string, string> = {
    [CONFIG]: 'include conf.d/*.conf\n',
    'file:///etc/pmta/conf.d/bin.conf': '\u0000',
  };
  const service = new PmtaLanguageService({ host: memoryHost(files) });
  const included = service.lintIncluded(doc(CONFIG, files[CONFIG]));
  const alone = service.lint(doc('file:///etc/pmta/conf.d/bin.conf', '\u0000'), { root: doc(CONFIG, files[CONFIG]) });
  assert.deepEqual(
    included.map((x) => x.findings.map((f) => f.rule + ': ' + f.message)),
    [alone.map((f) => f.rule + ': ' + f.message)],
  );
  assert.match(alone[0].message, /^This looks like a binary file/);
});

test('completion, rename, code lens and tier in a fragment use the configuration it is part of', () => {
  const service = new PmtaLanguageService({ host: memoryHost(DISK) });
  const domains = doc(DOMAINS, DISK[DOMAINS]);
  const root = { root: doc(CONFIG, DISK[CONFIG]) };
  // completion of a pool name: the names the other files define
  const after = domains.positionAt(DISK[DOMAINS].indexOf('default-virtual-mta ms') + 20);
  const labels = (ctx = {}) => service.complete(domains, after, ctx).items.map((i) => i.label);
  assert.deepEqual(labels(), ['by-smtp-source-ip']);
  assert.deepEqual(labels(root), ['mta1', 'ms', 'by-smtp-source-ip']);
  // rename: in every file of the configuration
  const onMs = domains.positionAt(DISK[DOMAINS].indexOf('default-virtual-mta ms') + 21);
  const edit = service.rename(domains, onMs, 'pool-a', root);
  assert.deepEqual(Object.keys(edit?.changes ?? {}).sort(), [DOMAINS, VMTAS]);
  assert.deepEqual(edit!.changes![VMTAS], [
    { range: { start: { line: 3, character: 18 }, end: { line: 3, character: 20 } }, newText: 'pool-a' },
  ]);
  assert.deepEqual(Object.keys(service.rename(domains, onMs, 'pool-a')?.changes ?? {}), [DOMAINS]);
  // the code lens of the Microsoft queue counts the pool the configuration routes it through
  assert.deepEqual(
    service.codeLenses(domains).map((l) => l.command?.title),
    [
      'Microsoft: connections unknown (no pool or virtual MTA found for this queue) · 1 of 10 domains rolled up · tier under-100k (assumed)',
    ],
  );
  assert.deepEqual(
    service.codeLenses(domains, root).map((l) => l.command?.title),
    [
      'Microsoft: 4 connections (1 IP × max-smtp-out 4; budget 60) · 1 of 10 domains rolled up · tier under-100k (assumed)',
    ],
  );
  assert.equal(service.tierInfo(domains)?.connections, undefined);
  assert.equal(service.tierInfo(domains, root)?.connections?.total, 4);
});

test('an open configuration is analysed with the unsaved text of the open files it includes', () => {
  const host = memoryHost(DISK);
  const service = new PmtaLanguageService({ host });
  const text = DISK[CONFIG] + '<source 10.0.0.1>\n    default-virtual-mta m9\n</source>\n';
  const refs = (v: number) => byRule(service.lint(doc(CONFIG, text, v)), 'undefined-reference').map((f) => f.message);
  assert.deepEqual(refs(1), ['The virtual MTA or pool "m9" is not defined; did you mean "ms"?']);
  // vmtas.conf opened and given m9, not saved: the configuration sees it at once
  service.lint(doc(VMTAS, DISK[VMTAS] + '<virtual-mta m9>\n</virtual-mta>\n', 5));
  assert.deepEqual(refs(2), []);
  assert.deepEqual(
    service
      .getModel(doc(CONFIG, text, 2))
      .allModels()
      .map((m) => `${m.uri}@${m.doc.version}`),
    [CONFIG + '@2', DOMAINS + '@0', VMTAS + '@5'],
  );
  // closed without saving: the file on disk again
  service.forget(VMTAS);
  assert.equal(refs(3).length, 1);
});

test('the Microsoft configuration to insert into a fragment leaves out what the other files of its configuration have', () => {
  const service = new PmtaLanguageService({ host: memoryHost(DISK) });
  const vmtas = doc(VMTAS, DISK[VMTAS]);
  const root = { root: doc(CONFIG, DISK[CONFIG]) };
  assert.deepEqual(service.microsoftConfiguration('under-100k', vmtas)?.conflicts, []);
  assert.deepEqual(service.microsoftConfiguration('under-100k', vmtas, {}, root)?.conflicts, [
    'The configuration already has <domain outlook.com> (line 1 of `domains.conf`); a second one is a duplicate block.',
  ]);
  // in domains.conf itself, the block is the file's own
  assert.deepEqual(service.microsoftConfiguration('under-100k', doc(DOMAINS, DISK[DOMAINS]), {}, root)?.conflicts, [
    'The file already has <domain outlook.com> (line 1); a second one is a duplicate block.',
  ]);
});

test('two open files that include each other: each is built once per version, the cycle reported', () => {
  const X = 'file:///etc/pmta/x.conf';
  const Y = 'file:///etc/pmta/y.conf';
  const files: Record<string, string> = {
    [X]: 'include y.conf\n<virtual-mta mx>\n</virtual-mta>\n',
    [Y]: 'include x.conf\n<virtual-mta my>\n</virtual-mta>\n',
  };
  const service = new PmtaLanguageService({ host: memoryHost(files) });
  const x = doc(X, files[X]);
  const y = doc(Y, files[Y]);
  const mx = service.getModel(x);
  const my = service.getModel(y);
  assert.equal(service.getModel(x), mx);
  assert.equal(service.getModel(y), my);
  assert.deepEqual(service.lint(x), []);
  // the cycle is reported where it closes: y.conf's include of x.conf, as x.conf's analysis reads it
  assert.deepEqual(
    service.lintIncluded(x).map((i) => [i.uri, i.findings.map((f) => f.rule + ': ' + f.message)]),
    [
      [
        Y,
        [
          'unresolved-include: Include not followed: include cycle: x.conf → y.conf → x.conf; names defined there are not checked',
        ],
      ],
    ],
  );
  assert.equal(service.getModel(x), mx);
  assert.deepEqual(
    service.includers(x, [y]).map((d) => d.uri),
    [Y],
  );
});

test('hover on the path of an include: the files it reads, their problems once checked, or why it is not followed', () => {
  const service = new PmtaLanguageService({ host: memoryHost(DISK) });
  const text = DISK[CONFIG] + 'include /etc/pmta/missing.conf\n';
  const config = doc(CONFIG, text);
  const md = (needle: string) => {
    const h = service.hover(config, config.positionAt(text.indexOf(needle) + 3));
    return h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '';
  };
  assert.equal(
    md('/etc/pmta/conf.d/*.conf'),
    '**include** `/etc/pmta/conf.d/*.conf`\n\nReads 2 files:\n\n- `domains.conf` (6 lines)\n- `vmtas.conf` (6 lines)',
  );
  // once the configuration's included files were checked (the server does it after each change)
  service.lintIncluded(config);
  assert.equal(
    md('/etc/pmta/conf.d/*.conf'),
    '**include** `/etc/pmta/conf.d/*.conf`\n\nReads 2 files:\n\n- `domains.conf` (6 lines; 2 warnings, 3 info)\n- `vmtas.conf` (6 lines; no problems)',
  );
  assert.equal(
    md('/etc/pmta/missing.conf'),
    '**include** `/etc/pmta/missing.conf`\n\nNot followed: no file found for "/etc/pmta/missing.conf".',
  );
});

test('a fragment that includes a file itself (a DKIM key list) is still checked as part of its configuration', () => {
  const KEYS = 'file:///etc/pmta/keys.txt';
  const files: Record<string, string> = {
    ...DISK,
    [KEYS]: '# domain-key lines\n',
    [DOMAINS]: 'include /etc/pmta/keys.txt\n' + DISK[DOMAINS],
  };
  const service = new PmtaLanguageService({ host: memoryHost(files) });
  const config = doc(CONFIG, files[CONFIG]);
  const refs = (text: string, v: number) =>
    byRule(service.lint(doc(DOMAINS, text, v), { root: config }), 'undefined-reference').map((f) => f.message);
  assert.deepEqual(refs(files[DOMAINS], 1), []);
  // its unsaved text is the one checked: a typo in it is reported, with the names of the other files
  assert.deepEqual(refs(files[DOMAINS].replace('virtual-mta ms', 'virtual-mta mz'), 2), [
    'The virtual MTA or pool "mz" is not defined; did you mean "ms"?',
  ]);
  // and the Microsoft rules see the configuration's <domain *> (DKIM signing)
  assert.deepEqual(
    byRule(service.lint(doc(DOMAINS, files[DOMAINS], 3), { root: config }), 'microsoft-missing-dkim'),
    [],
  );
});

test('an open file that includes files itself stands in its configuration with its unsaved text too', () => {
  const KEYS = 'file:///etc/pmta/keys.txt';
  const files: Record<string, string> = {
    ...DISK,
    [KEYS]: '# domain-key lines\n',
    [VMTAS]: 'include /etc/pmta/keys.txt\n' + DISK[VMTAS],
  };
  const host = memoryHost(files);
  const service = new PmtaLanguageService({ host });
  const config = doc(CONFIG, files[CONFIG] + '<source 10.0.0.1>\n    default-virtual-mta m9\n</source>\n');
  const refs = (d: TextDocument, root?: TextDocument) =>
    byRule(service.lint(d, { root }), 'undefined-reference').map((f) => f.message);
  assert.deepEqual(refs(config), ['The virtual MTA or pool "m9" is not defined; did you mean "ms"?']);
  // vmtas.conf (which includes keys.txt) opened and given m9, not saved: the configuration sees it at once…
  service.lint(doc(VMTAS, files[VMTAS] + '<virtual-mta m9>\n</virtual-mta>\n', 5));
  assert.deepEqual(refs(config), []);
  // …and so does another fragment checked as part of the configuration
  const domains = doc(DOMAINS, DISK[DOMAINS].replace('default-virtual-mta ms', 'default-virtual-mta m9'));
  assert.deepEqual(refs(domains, config), []);
  // a new unsaved version of vmtas.conf without m9: checked again with it
  service.lint(doc(VMTAS, files[VMTAS], 6));
  assert.deepEqual(refs(config), ['The virtual MTA or pool "m9" is not defined; did you mean "ms"?']);
  assert.deepEqual(refs(domains, config), ['The virtual MTA or pool "m9" is not defined; did you mean "ms"?']);
  // given m9 again, then closed without saving: the file on disk again
  service.lint(doc(VMTAS, files[VMTAS] + '<virtual-mta m9>\n</virtual-mta>\n', 7));
  assert.deepEqual(refs(config), []);
  service.forget(VMTAS);
  assert.equal(refs(config).length, 1);
});

test('workspace symbols: the named blocks and macros of the open files and of every file their configuration includes, each file once', () => {
  const service = new PmtaLanguageService({ host: memoryHost(DISK) });
  const config = doc(CONFIG, DISK[CONFIG]);
  const domains = doc(DOMAINS, DISK[DOMAINS]);
  const shown = (query: string) =>
    service
      .workspaceSymbols(query, [domains, config])
      .map(
        (s) =>
          `${s.name} (${s.containerName}) ${s.location.uri.split('/').pop()}:${s.location.range.start.line + 1}:${s.location.range.start.character + 1}`,
      );
  // a virtual MTA and a pool that vmtas.conf defines, found from domains.conf's configuration
  assert.deepEqual(shown('m'), [
    'outlook.com (domain) domains.conf:1:9',
    'mta1 (virtual-mta) vmtas.conf:1:14',
    'ms (virtual-mta-pool) vmtas.conf:4:19',
  ]);
  // the characters of the query in order, case ignored; domains.conf is listed once though both documents include it
  assert.deepEqual(shown('OTL'), ['outlook.com (domain) domains.conf:1:9']);
  assert.deepEqual(shown('*'), ['* (domain) config:2:9']);
  assert.equal(shown('').length, 5);
  assert.deepEqual(shown('zzz'), []);
});
