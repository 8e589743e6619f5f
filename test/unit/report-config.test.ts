/**
 * The delivery report with a configuration (`--config`): its source IPs mapped to the virtual MTAs and
 * pools of a configuration split into included files, the Microsoft replies that no rule of the pattern
 * lists attached to the Microsoft queue matches (counted per code on a generated accounting file whose
 * figures are known by construction), the recommended rules that handle them, and the edit that adds
 * those rules to the configuration's list. Then the CLI's --config on files on disk.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv from 'ajv';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ReportBuilder, renderReport, type Report, type UnmatchedReplies } from '../../server/src/accounting';
import { replyMatcher } from '../../server/src/accounting/replies';
import {
  patternRulesEdit,
  recommendedRuleFor,
  reportConfigFacts,
  reportConfigSection,
} from '../../server/src/features/deliveryReport';
import { MICROSOFT_PATTERN_ENTRIES } from '../../server/src/knowledge/microsoft';
import { Model } from '../../server/src/model';
import { PmtaLanguageService } from '../../server/src/service';
import type { ReportConfigFacts } from '../../server/src/types';
import { generateAccounting } from '../../bench/accounting';
import { applyEdits } from '../helpers/lspClient';
import { memoryHost, ROOT } from '../helpers/util';

// ---------------------------------------------------------------------------------------------
// a configuration split the usual way: the IPs in one included file, Microsoft in another

const CONFIG = `postmaster postmaster@example.com
include /etc/pmta/conf.d/*.conf

<domain *>
    max-smtp-out 20
</domain>
`;
const IPS = `<virtual-mta mta1>
    smtp-source-host 203.0.113.1 mta1.example.com
</virtual-mta>
<virtual-mta mta2>
    smtp-source-host 203.0.113.2 mta2.example.com
</virtual-mta>
<virtual-mta mta3>
    smtp-source-host 203.0.113.3 mta3.example.com
</virtual-mta>
<virtual-mta mta4>
    smtp-source-host 203.0.113.4 mta4.example.com
</virtual-mta>
<virtual-mta-pool microsoft-pool>
    virtual-mta mta1
    virtual-mta mta2
    virtual-mta mta3
    <virtual-mta mta5>
        smtp-source-host 203.0.113.5 mta5.example.com
    </virtual-mta>
</virtual-mta-pool>
<virtual-mta-pool all-pool>
    virtual-mta mta1
    virtual-mta mta4
</virtual-mta-pool>
`;
const MICROSOFT = `<smtp-pattern-list microsoft-errors>
    reply /RP-001/ mode=backoff,backoff-to-normal-after=4h
    reply /\\(S3140\\)/ mode=backoff
</smtp-pattern-list>

<domain outlook.com>
    max-smtp-out 2
    smtp-pattern-list microsoft-errors
</domain>
<domain hotmail.com>
    queue-to outlook.com
</domain>
`;
const FILES = {
  'file:///etc/pmta/config': CONFIG,
  'file:///etc/pmta/conf.d/ips.conf': IPS,
  'file:///etc/pmta/conf.d/microsoft.conf': MICROSOFT,
};

function configModel(files: Record<string, string> = FILES): Model {
  return new Model(TextDocument.create('file:///etc/pmta/config', 'powermta', 1, files['file:///etc/pmta/config']), {
    host: memoryHost(files),
  });
}

const GEN = generateAccounting({ rows: 4000, garbageEvery: 900 });

/** The report on the generated file with the rules of `facts`, and its unmatched replies. */
function reportWith(facts: ReportConfigFacts, text = GEN.text): { report: Report; unmatched: UnmatchedReplies[] } {
  const b = new ReportBuilder({ replyRules: facts.replyRules });
  const f = b.file('acct.csv');
  f.push(text);
  f.end();
  return { report: b.report(), unmatched: b.unmatched() };
}

test('config facts: the Microsoft queue, its pattern list and rules, and each source IP with its virtual MTAs and pools, across included files', () => {
  const facts = reportConfigFacts(configModel());
  assert.equal(facts.queue, 'outlook.com');
  assert.deepEqual(facts.patternLists, ['microsoft-errors']);
  assert.deepEqual(facts.replyRules, ['RP-001', '\\(S3140\\)']);
  assert.deepEqual(facts.ruleList, { name: 'microsoft-errors', uri: 'file:///etc/pmta/conf.d/microsoft.conf' });
  assert.deepEqual(facts.sourceIps, {
    '203.0.113.1': { vmtas: ['mta1'], pools: ['microsoft-pool', 'all-pool'] },
    '203.0.113.2': { vmtas: ['mta2'], pools: ['microsoft-pool'] },
    '203.0.113.3': { vmtas: ['mta3'], pools: ['microsoft-pool'] },
    '203.0.113.4': { vmtas: ['mta4'], pools: ['all-pool'] },
    '203.0.113.5': { vmtas: ['mta5'], pools: ['microsoft-pool'] },
  });
  assert.deepEqual(facts.vmtas.mta2, {
    name: 'mta2',
    uri: 'file:///etc/pmta/conf.d/ips.conf',
    range: { start: { line: 3, character: 13 }, end: { line: 3, character: 17 } },
  });
  assert.deepEqual(facts.warnings, []);
});

test('unmatched replies: per code, every Microsoft reply no rule matches, with the counts the generated file was made with', () => {
  const { unmatched } = reportWith(reportConfigFacts(configModel()));
  const x = GEN.expected.codes;
  // RP-001 and S3140 are matched; 4.4.1 is PowerMTA's own status (no reply): none of them is listed
  const expected = ['S3150', '5.7.606', 'S775', '4.7.500', '5.5.0']
    .map((code) => ({
      code,
      count: x[code].deferred + x[code].bounced,
      deferred: x[code].deferred,
      bounced: x[code].bounced,
    }))
    .sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : 1));
  assert.deepEqual(
    unmatched.map(({ code, count, deferred, bounced }) => ({ code, count, deferred, bounced })),
    expected,
  );
  for (const u of unmatched) assert.match(u.example, /^smtp;[45]\d\d[ -]/, u.code);
  assert.match(
    unmatched.find((u) => u.code === '5.7.606')!.example,
    /^smtp;550 5\.7\.606 Access denied, banned sending IP \[203\.0\.113\.2\]/,
  );
});

test('unmatched replies: a rule matches the reply as the server said it (case-insensitive, without the smtp; in front), the same in CSV and JSON records', () => {
  const m = replyMatcher(['^421 rp-00[12]\\b', 'banned sending IP', '(?-i)SC-001', 'broken(']);
  assert.equal(m('smtp;421 RP-001 The mail server IP'), true);
  assert.equal(m('421 RP-002 too many'), true);
  assert.equal(m('smtp;421 RP-003 connection limit'), false);
  assert.equal(m('smtp;550 5.7.606 Access denied, BANNED SENDING IP [1.2.3.4]'), true);
  assert.equal(m('smtp;550 sc-001 policy'), false);
  assert.equal(m('smtp;550 SC-001 policy'), true);
  const rows = [
    'type,timeLogged,rcpt,dsnStatus,dsnDiag,dlvSourceIp',
    't,2026-01-15 10:00:00+0000,a@hotmail.com,4.0.0,smtp;421 RP-001 rate limited,203.0.113.1',
    't,2026-01-15 10:01:00+0000,a@hotmail.com,4.0.0,smtp;421 RP-003 connections,203.0.113.1',
    't,2026-01-15 10:02:00+0000,a@hotmail.com,4.4.1 (no answer from host),,203.0.113.1',
  ];
  const json = [
    '{"type":"t","rcpt":"a@hotmail.com","dsnDiag":"smtp;421 RP-001 rate limited"}',
    '{"type":"t","rcpt":"a@hotmail.com","dsnDiag":"smtp;421 RP-003 connections"}',
    '{"type":"t","rcpt":"a@hotmail.com","dsnStatus":"4.4.1 (no answer from host)"}',
  ];
  for (const text of [rows.join('\n'), json.join('\n')]) {
    const b = new ReportBuilder({ replyRules: ['^421 rp-00[12]\\b'] });
    const f = b.file('a');
    f.push(text);
    f.end();
    assert.deepEqual(b.unmatched(), [
      { code: 'RP-003', count: 1, deferred: 1, bounced: 0, example: 'smtp;421 RP-003 connections' },
    ]);
  }
  // without rules, nothing is judged
  const b = new ReportBuilder();
  const f = b.file('a');
  f.push(rows.join('\n'));
  f.end();
  assert.deepEqual(b.unmatched(), []);
});

test('config section: the IPs as the configuration maps them, the unmatched replies with the recommended rule that handles them, the rules in the recommended order', () => {
  const facts = reportConfigFacts(configModel());
  const { report, unmatched } = reportWith(facts);
  const c = reportConfigSection('pmta/config', report, unmatched, facts);
  assert.equal(c.file, 'pmta/config');
  assert.equal(c.queue, 'outlook.com');
  assert.deepEqual(c.patternLists, ['microsoft-errors']);
  assert.equal(c.ruleList, 'microsoft-errors');
  assert.deepEqual(
    c.sourceIps.map((s) => s.ip),
    report.microsoft.sourceIps.map((s) => s.ip),
  );
  assert.deepEqual(
    c.sourceIps.find((s) => s.ip === '203.0.113.1'),
    { ip: '203.0.113.1', vmtas: ['mta1'], pools: ['microsoft-pool', 'all-pool'] },
  );
  assert.deepEqual(
    c.sourceIps.find((s) => s.ip === '203.0.113.7'),
    { ip: '203.0.113.7', vmtas: [], pools: [] },
  );
  const rule = (id: string) => {
    const e = MICROSOFT_PATTERN_ENTRIES.find((x) => x.codeId === id)!;
    return `reply /${e.regex}/ ${e.actions}`;
  };
  assert.deepEqual(Object.fromEntries(c.unmatched.map((u) => [u.code, u.rule])), {
    S3150: rule('S3150'),
    '5.7.606': rule('5.7.606-649'),
    S775: rule('4.7.650'),
    '4.7.500': rule('4.7.500'),
    '5.5.0': null,
  });
  assert.deepEqual(
    c.rules.map((r) => [r.codes, r.reply]),
    [
      [['S775'], rule('4.7.650')],
      [['4.7.500'], rule('4.7.500')],
      [['S3150'], rule('S3150')],
      [['5.7.606'], rule('5.7.606-649')],
    ],
  );
  assert.equal(c.rules[0].comment, '# 4.7.650: rate limited due to IP reputation (S775); handled like RP-001');
  assert.deepEqual(c.warnings, [
    '203.0.113.6, 203.0.113.7, 203.0.113.8 are the smtp-source-host of no virtual MTA in the configuration',
  ]);
  // the recommended rule for a reply is the first of the list that matches it
  assert.equal(recommendedRuleFor('smtp;550 5.5.0 Requested action not taken: mailbox unavailable.'), undefined);
  assert.equal(
    recommendedRuleFor('smtp;451 4.7.652 The mail server has exceeded the maximum number of connections.')?.codeId,
    '4.7.652',
  );
});

test('config section: a queue without a pattern list: every reply is unmatched, no list to add the rules to, and a warning says why', () => {
  const files = {
    ...FILES,
    'file:///etc/pmta/conf.d/microsoft.conf': '<domain outlook.com>\n    max-smtp-out 2\n</domain>\n',
  };
  const facts = reportConfigFacts(configModel(files));
  assert.deepEqual([facts.patternLists, facts.replyRules, facts.ruleList], [[], [], undefined]);
  const { report, unmatched } = reportWith(facts);
  const c = reportConfigSection('config', report, unmatched, facts);
  assert.deepEqual(c.unmatched.map((u) => u.code).sort(), [
    '4.7.500',
    '5.5.0',
    '5.7.606',
    'RP-001',
    'S3140',
    'S3150',
    'S775',
  ]);
  assert.equal(c.ruleList, null);
  // S3140 and S3150 share the recommended S3150 rule
  assert.deepEqual(c.rules.find((r) => r.reply.includes('S31[45]0'))?.codes.sort(), ['S3140', 'S3150']);
  assert.match(
    c.warnings[0],
    /^the outlook\.com queue has no smtp-pattern-list \(none in its block or in <domain \*>\)/,
  );
});

test('config facts: a list the queue names but nobody defines, a rule JS cannot read, an include not followed: said, not guessed', () => {
  const files = {
    'file:///etc/pmta/config': 'include /etc/pmta/conf.d/*.conf\ninclude /etc/pmta/missing.conf\n',
    'file:///etc/pmta/conf.d/microsoft.conf':
      '<smtp-pattern-list ms>\n    reply /(?<x/ mode=backoff\n</smtp-pattern-list>\n<domain outlook.com>\n    smtp-pattern-list ms\n    smtp-pattern-list nowhere\n</domain>\n',
  };
  const facts = reportConfigFacts(configModel(files));
  assert.deepEqual(facts.patternLists, ['ms', 'nowhere']);
  assert.deepEqual(facts.warnings, [
    'the pattern list nowhere is not defined in the configuration: its rules are unknown',
    '1 rule cannot be read as a regular expression here, and count as matching nothing: /(?<x/',
    'some include of the configuration could not be followed: virtual MTAs or pattern lists defined there are not known',
  ]);
});

test('adding the rules: at the end of the list, in the file that defines it, in its indentation, after its own rules; a rule it has is not added twice', () => {
  const model = configModel();
  const e = patternRulesEdit(model, ['4.7.650', '5.7.606-649', 'RP-001']);
  assert.ok(!('error' in e), JSON.stringify(e));
  assert.equal(e.list, 'microsoft-errors');
  assert.equal(e.uri, 'file:///etc/pmta/conf.d/microsoft.conf');
  const edits = e.edit.changes![e.uri];
  const r = (id: string) => MICROSOFT_PATTERN_ENTRIES.find((x) => x.codeId === id)!;
  assert.deepEqual(e.added, [
    `reply /${r('4.7.650').regex}/ ${r('4.7.650').actions}`,
    `reply /${r('5.7.606-649').regex}/ ${r('5.7.606-649').actions}`,
  ]);
  assert.equal(
    applyEdits(MICROSOFT, edits),
    MICROSOFT.replace(
      '</smtp-pattern-list>',
      `    # 4.7.650: ${r('4.7.650').comment}\n    reply /4\\.7\\.650/ mode=backoff,backoff-to-normal-after=4h\n` +
        `    # 5.7.606-649: ${r('5.7.606-649').comment}\n    reply /${r('5.7.606-649').regex}/ mode=backoff,backoff-to-normal-after=4h\n</smtp-pattern-list>`,
    ),
  );
  // nothing left to add; no list at all
  assert.deepEqual(patternRulesEdit(model, ['RP-001']), {
    error: 'the pattern list microsoft-errors already has this rule',
  });
  const bare = configModel({ 'file:///etc/pmta/config': '<domain outlook.com>\n</domain>\n' });
  assert.match(
    (patternRulesEdit(bare, ['RP-001']) as { error: string }).error,
    /^the outlook\.com queue has no smtp-pattern-list to add the rules to/,
  );
});

test('the service answers for the configuration a fragment is part of (its root), and keeps CRLF in what it adds', () => {
  const crlf = MICROSOFT.replace(/\n/g, '\r\n');
  const files = { ...FILES, 'file:///etc/pmta/conf.d/microsoft.conf': crlf };
  const service = new PmtaLanguageService({ host: memoryHost(files) });
  const root = TextDocument.create('file:///etc/pmta/config', 'powermta', 1, CONFIG);
  const fragment = TextDocument.create('file:///etc/pmta/conf.d/microsoft.conf', 'powermta', 1, crlf);
  const facts = service.report.reportConfig(fragment, { root })!;
  assert.deepEqual(Object.keys(facts.sourceIps), [
    '203.0.113.1',
    '203.0.113.2',
    '203.0.113.3',
    '203.0.113.4',
    '203.0.113.5',
  ]);
  const e = service.report.patternRulesEdit(fragment, ['5.7.511'], { root });
  assert.ok(!('error' in e));
  assert.match(
    e.edit.changes![e.uri][0].newText,
    /^ {4}# 5\.7\.511: [^\r\n]+\r\n {4}reply \/5\\\.7\\\.511\/ mode=backoff,backoff-to-normal-after=4h\r\n$/,
  );
});

// ---------------------------------------------------------------------------------------------
// pmta-lint report --config

const CLI = path.join(ROOT, 'dist', 'cli.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pmta-report-config-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
fs.mkdirSync(path.join(dir, 'pmta', 'conf.d'), { recursive: true });
fs.writeFileSync(path.join(dir, 'pmta', 'config'), CONFIG);
fs.writeFileSync(path.join(dir, 'pmta', 'conf.d', 'ips.conf'), IPS);
fs.writeFileSync(path.join(dir, 'pmta', 'conf.d', 'microsoft.conf'), MICROSOFT);
const ACCT = path.join(dir, 'acct.csv');
fs.writeFileSync(ACCT, GEN.text);

const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'schemas', 'report.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

function run(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, 'report', ...args], {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('pmta-lint report --config: the split configuration on disk, includes followed (its absolute path found next to it); JSON valid against the schema', () => {
  const r = run(['--config', 'pmta/config', '--format', 'json', 'acct.csv']);
  assert.equal(r.code, 0, r.err);
  const report = JSON.parse(r.out) as Report;
  assert.ok(validate(report), JSON.stringify(validate.errors, null, 1));
  const facts = reportConfigFacts(configModel());
  const { report: same, unmatched } = reportWith(facts);
  assert.deepEqual(report.config, reportConfigSection('pmta/config', same, unmatched, facts));
  // a fragment given as --config: the configuration that includes it
  const fragment = run(['--config', 'pmta/conf.d/microsoft.conf', '--format', 'json', 'acct.csv']);
  assert.equal(fragment.code, 0, fragment.err);
  assert.deepEqual((JSON.parse(fragment.out) as Report).config!.sourceIps, report.config!.sourceIps);
});

test('pmta-lint report --config: text, Markdown and HTML show the mapping, the unmatched replies and the rules to add', () => {
  const text = run(['--config', 'pmta/config', 'acct.csv']);
  assert.equal(text.code, 0, text.err);
  assert.match(text.out, /^Configuration pmta\/config: Microsoft queue outlook\.com, pattern list microsoft-errors$/m);
  assert.match(text.out, /^ {2}203\.0\.113\.1 +mta1 .* BLOCKED +mta1 \(pools microsoft-pool, all-pool\) +/m);
  assert.match(text.out, /^ {2}203\.0\.113\.7 +mta7 .* ok +not in it +/m);
  assert.match(text.out, /^Replies no rule of the pattern lists matches$/m);
  assert.match(text.out, /^ {2}5\.5\.0 +0 +\d+ +none advised \(an ordinary deferral or bounce\)$/m);
  assert.match(
    text.out,
    /^Rules to add at the end of the pattern list microsoft-errors \(its own rules keep precedence: PowerMTA applies the first rule that matches\)$/m,
  );
  assert.match(text.out, /^ {2}reply \/4\\\.7\\\.650\/ mode=backoff,backoff-to-normal-after=4h$/m);
  assert.match(
    text.out,
    /^ {2}configuration: 203\.0\.113\.6, 203\.0\.113\.7, 203\.0\.113\.8 are the smtp-source-host of no virtual MTA in the configuration$/m,
  );
  const md = run(['--config', 'pmta/config', '--format', 'markdown', 'acct.csv']);
  assert.match(md.out, /^## Replies no rule of the pattern lists matches$/m);
  assert.match(
    md.out,
    /^\| `S775` \| \d+ \| 0 \| `reply \/4\\\.7\\\.650\/ mode=backoff,backoff-to-normal-after=4h` \| smtp;451 4\.7\.650/m,
  );
  const html = run(['--config', 'pmta/config', '--format', 'html', 'acct.csv']);
  assert.match(html.out, /<td>mta1 \(pools microsoft-pool, all-pool\)<\/td>/);
  assert.match(html.out, /<pre><code># 4\.7\.650: /);
});

test('pmta-lint report --config: a configuration that cannot be read is a usage error (exit 2), said on standard error', () => {
  const r = run(['--config', 'pmta/nothing', 'acct.csv']);
  assert.equal(r.code, 2);
  assert.equal(r.out, '');
  assert.equal(r.err, 'pmta-lint report: --config pmta/nothing: no such file or directory\n');
  assert.match(run(['--config', 'pmta', 'acct.csv']).err, /--config pmta: is a directory/);
  // and renderReport carries the section through JSON untouched
  const facts = reportConfigFacts(configModel());
  const { report, unmatched } = reportWith(facts);
  report.config = reportConfigSection('c', report, unmatched, facts);
  assert.deepEqual(JSON.parse(renderReport(report, 'json')), report);
});
