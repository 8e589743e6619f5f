/** The dkim-key-invalid rule: key files PowerMTA cannot sign with, generated for the test and read from disk. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { NodeIncludeHost } from '../../../server/src/hosts/nodeHost';
import { PmtaLanguageService } from '../../../server/src/service';
import { makeKeys, secretLines, type TestKeys } from '../../helpers/keys';
import { show } from '../../helpers/util';

const RULE = 'dkim-key-invalid';
let keys: TestKeys;

before(() => {
  keys = makeKeys();
  fs.mkdirSync(path.join(keys.dir, 'a-folder.pem'));
  fs.writeFileSync(path.join(keys.dir, 'empty.pem'), '');
  fs.writeFileSync(path.join(keys.dir, 'cert.pem'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
  fs.writeFileSync(
    path.join(keys.dir, 'damaged.pem'),
    '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n',
  );
});
after(() => fs.rmSync(keys.dir, { recursive: true, force: true }));

/** The findings of `rule` on a config in the key folder, checked the way the CLI does (the disk host). */
function check(text: string, rule = RULE) {
  const uri = pathToFileURL(path.join(keys.dir, 'config')).toString();
  return new PmtaLanguageService({ host: new NodeIncludeHost() })
    .lint(TextDocument.create(uri, 'powermta', 1, text))
    .filter((f) => f.rule === rule);
}

test('dkim-key-invalid: an EC key, a key with a passphrase, text, a public key, a certificate, an empty file, a folder, a damaged key', () => {
  const names = [
    'ec.pem',
    'encrypted.pem',
    'garbage.pem',
    'public.pem',
    'cert.pem',
    'empty.pem',
    'a-folder.pem',
    'damaged.pem',
    'rsa2048.pem',
    'missing.pem',
  ];
  const text = names.map((n, i) => `domain-key s${i}, example.com, ${n}\n`).join('');
  const f = check(text);
  const unsigned = 'so PowerMTA cannot sign with it: mail this key should sign goes out unsigned.';
  assert.deepEqual(show(text, f), [
    '1:29-1:35 "ec.pem" | The key file "ec.pem" holds an EC key, and PowerMTA signs DKIM with RSA keys only (dkim-algorithm rsa-sha256 or rsa-sha1): mail this key should sign goes out unsigned.',
    `2:29-2:42 "encrypted.pem" | The key file "encrypted.pem" holds a private key protected by a passphrase, which domain-key has no way to give, ${unsigned} Write it without the passphrase ("openssl pkey -in FILE -out NEWFILE") and let only PowerMTA read the new file.`,
    `3:29-3:40 "garbage.pem" | The key file "garbage.pem" holds no PEM private key (no "-----BEGIN PRIVATE KEY-----" or "-----BEGIN RSA PRIVATE KEY-----" block), ${unsigned} PowerMTA reads keys in PEM form; a key in DER form converts with "openssl pkey -inform DER -in FILE -out NEWFILE".`,
    `4:29-4:39 "public.pem" | The key file "public.pem" holds a public key only, ${unsigned} The public key belongs in the DNS record; this line needs the private key.`,
    `5:29-5:37 "cert.pem" | The key file "cert.pem" holds a certificate and no private key, ${unsigned}`,
    `6:29-6:38 "empty.pem" | The key file "empty.pem" is empty, ${unsigned}`,
    // a folder is no file the include lookup finds: not on this machine (dkim-key-missing)
    `8:29-8:40 "damaged.pem" | The key file "damaged.pem" holds a PEM private key block that cannot be read (damaged or cut short), ${unsigned}`,
  ]);
  assert.deepEqual(new Set(f.map((x) => x.severity)), new Set(['error']));
  assert.deepEqual(
    f.flatMap((x) => x.fixes),
    [],
  );
  // no part of a private key is in any message
  for (const line of secretLines(keys)) for (const x of f) assert.ok(!x.message.includes(line));
});

test('dkim-key-invalid: nothing without a host that reads key files (the browser), nor with includes turned off', () => {
  const text = 'domain-key s1, example.com, ec.pem\n';
  const uri = pathToFileURL(path.join(keys.dir, 'config')).toString();
  assert.deepEqual(
    new PmtaLanguageService().lint(TextDocument.create(uri, 'powermta', 1, text)).filter((f) => f.rule === RULE),
    [],
  );
  const off = new PmtaLanguageService({ host: new NodeIncludeHost() }).lint(
    TextDocument.create(uri, 'powermta', 1, text),
    { settings: { includes: { resolve: false } } },
  );
  assert.deepEqual(
    off.filter((f) => f.rule.startsWith('dkim-key')),
    [],
  );
});
