/** The dkim-key-weak rule: RSA keys under 2048 bits (a warning), under 1024 bits (an error). */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { NodeIncludeHost } from '../../../server/src/hosts/nodeHost';
import { PmtaLanguageService } from '../../../server/src/service';
import { makeKeys, type TestKeys } from '../../helpers/keys';
import { show } from '../../helpers/util';

const RULE = 'dkim-key-weak';
let keys: TestKeys;

before(() => (keys = makeKeys()));
after(() => fs.rmSync(keys.dir, { recursive: true, force: true }));

test('dkim-key-weak: 512 bits is an error, 1024 a warning, 2048 nothing', () => {
  const text =
    'domain-key a, example.com, rsa512.pem\ndomain-key b, example.com, rsa1024.pem\ndomain-key c, example.com, rsa2048.pem\n';
  const uri = pathToFileURL(path.join(keys.dir, 'config')).toString();
  const f = new PmtaLanguageService({ host: new NodeIncludeHost() })
    .lint(TextDocument.create(uri, 'powermta', 1, text))
    .filter((x) => x.rule === RULE);
  const renew =
    'Make a key of 2048 bits ("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out NEWFILE"), publish its record under a new selector, then switch this line to it.';
  assert.deepEqual(show(text, f), [
    `1:28-1:38 "rsa512.pem" | The RSA key in "rsa512.pem" has 512 bits: receivers following RFC 8301 treat signatures made with keys under 1024 bits as invalid, so mail signed with it counts as unsigned. ${renew}`,
    `2:28-2:39 "rsa1024.pem" | The RSA key in "rsa1024.pem" has 1024 bits; RFC 8301 asks signers for at least 2048 (1024 is the least receivers accept). ${renew}`,
  ]);
  assert.deepEqual(
    f.map((x) => x.severity),
    ['error', 'warning'],
  );
  assert.deepEqual(
    f.flatMap((x) => x.fixes),
    [],
  );
});
