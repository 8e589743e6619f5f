/** The dkim-key-missing rule: key files that are not on this machine or may not be read here. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { NodeIncludeHost } from '../../../server/src/hosts/nodeHost';
import { PmtaLanguageService } from '../../../server/src/service';
import { makeKeys, type TestKeys } from '../../helpers/keys';
import { show } from '../../helpers/util';

const RULE = 'dkim-key-missing';
let keys: TestKeys;
let workspace: string;

before(() => {
  keys = makeKeys();
  workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'pmta-dkim-workspace-'));
});
after(() => {
  fs.rmSync(keys.dir, { recursive: true, force: true });
  fs.rmSync(workspace, { recursive: true, force: true });
});

test('dkim-key-missing: a key file that is not there, also under the folder of the configuration (information, no fix)', () => {
  const text =
    'domain-key s1, example.com, /etc/pmta/dkim/missing.pem\ndomain-key s2, example.com, /etc/pmta/dkim/rsa2048.pem\n';
  const uri = pathToFileURL(path.join(keys.dir, 'config')).toString();
  const f = new PmtaLanguageService({ host: new NodeIncludeHost() })
    .lint(TextDocument.create(uri, 'powermta', 1, text))
    .filter((x) => x.rule === RULE);
  // the second is found as rsa2048.pem next to the configuration, as an include would be
  assert.deepEqual(show(text, f), [
    '1:29-1:55 "/etc/pmta/dkim/missing.pem" | The key file "/etc/pmta/dkim/missing.pem" is not on this machine (looked for as written and below this file\'s folder, as included files are); PowerMTA cannot sign with a key it cannot read. Where the keys live only on the mail server, this is expected.',
  ]);
  assert.equal(f[0].severity, 'information');
  assert.deepEqual(f[0].fixes, []);
});

test('dkim-key-missing: in an untrusted workspace, a key file outside the workspace folders is not read, and says so', () => {
  const text = `domain-key s1, example.com, ${path.join(keys.dir, 'rsa2048.pem')}\n`;
  const configPath = path.join(workspace, 'config');
  fs.writeFileSync(configPath, text);
  const host = new NodeIncludeHost();
  host.setWorkspace([pathToFileURL(workspace).toString()], false);
  const service = new PmtaLanguageService({ host });
  const doc = TextDocument.create(pathToFileURL(configPath).toString(), 'powermta', 1, text);
  const all = service.lint(doc);
  assert.deepEqual(
    show(
      text,
      all.filter((x) => x.rule.startsWith('dkim-key')),
    ).map((s) => s.slice(s.indexOf('|'))),
    [
      '| The key file "' +
        path.join(keys.dir, 'rsa2048.pem') +
        '" is outside the workspace folders, and files there are not read in an untrusted workspace (or with pmta.includes.workspaceOnly), so it was not checked.',
    ],
  );
  // trusted: read, and a good key gives no finding at all
  host.setWorkspace([pathToFileURL(workspace).toString()], true);
  service.clear();
  assert.deepEqual(
    service.lint(doc).filter((x) => x.rule.startsWith('dkim-key')),
    [],
  );
});

test('dkim-key-missing: Vault keys, template placeholders and interpolated paths are not files to look for', () => {
  const text = [
    'domain-key m, example.com, {vault}:/v1/keys/data/m:dk',
    'domain-key {selector}, {domain}, {vault}:/v1/keys/data/${selector}/${domain}:dk',
    'domain-key s1, example.com, {{ dkim_key_path }}',
    '',
  ].join('\n');
  const uri = pathToFileURL(path.join(keys.dir, 'config')).toString();
  const f = new PmtaLanguageService({ host: new NodeIncludeHost() }).lint(
    TextDocument.create(uri, 'powermta', 1, text),
  );
  assert.deepEqual(
    f.filter((x) => x.rule.startsWith('dkim-key')),
    [],
  );
});
