/**
 * DKIM keys beyond the rules: what the Node host reads from key files (and what it never gives out), and
 * the DNS TXT record made from a key (cut into strings of 255 characters).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { NodeIncludeHost } from '../../server/src/hosts/nodeHost';
import { inspectKey } from '../../server/src/hosts/dkimKey';
import { WebIncludeHost } from '../../server/src/hosts/webHost';
import { dkimRecordName, dkimZoneLine, txtStrings } from '../../server/src/knowledge/dkim';
import { makeKeys, type TestKeys } from '../helpers/keys';

let keys: TestKeys;
before(() => (keys = makeKeys()));
after(() => fs.rmSync(keys.dir, { recursive: true, force: true }));

const configUri = () => pathToFileURL(path.join(keys.dir, 'config')).toString();

test('DKIM key files: the Node host finds a key file as an include and says what it holds, never the private key', () => {
  const host = new NodeIncludeHost();
  const uri = configUri();
  const file = (n: string) => pathToFileURL(path.join(keys.dir, n)).toString();
  assert.deepEqual(host.keyInfo(uri, '/etc/pmta/dkim/rsa2048.pem'), {
    uri: file('rsa2048.pem'),
    exists: true,
    readable: true,
    kind: 'rsa',
    bits: 2048,
    publicKeyBase64: keys.publicKeys.rsa2048,
  });
  assert.deepEqual(host.keyInfo(uri, 'rsa512.pem'), { uri: file('rsa512.pem'), exists: true, readable: true, kind: 'rsa', bits: 512, publicKeyBase64: keys.publicKeys.rsa512 });
  assert.equal(host.keyInfo(uri, 'ec.pem')?.kind, 'ec');
  assert.deepEqual(host.keyInfo(uri, 'encrypted.pem'), { uri: file('encrypted.pem'), exists: true, readable: false, problem: 'encrypted' });
  assert.deepEqual(host.keyInfo(uri, 'public.pem'), { uri: file('public.pem'), exists: true, readable: false, problem: 'public-key' });
  assert.deepEqual(host.keyInfo(uri, 'garbage.pem'), { uri: file('garbage.pem'), exists: true, readable: false, problem: 'not-pem' });
  assert.deepEqual(host.keyInfo(uri, 'missing.pem'), { exists: false, readable: false });
  // a document that is not a file on this disk: nothing can be said
  assert.equal(host.keyInfo('vscode-vfs://github/x/config', 'rsa2048.pem'), undefined);
  // DER bytes and a PKCS#1 PEM with a passphrase, told apart without a passphrase prompt
  assert.equal(inspectKey(Buffer.from([0x30, 0x82, 0x01, 0x0a])).problem, 'not-pem');
  assert.equal(inspectKey(Buffer.from('-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----\n')).problem, 'encrypted');
  // the browser's host has no key capability at all
  assert.equal('keyInfo' in new WebIncludeHost(() => undefined, () => []), false);
});

test('DKIM record: the TXT value is cut into strings of at most 255 characters, joined back whole', () => {
  const p = keys.publicKeys.rsa2048;
  const value = `v=DKIM1; k=rsa; p=${p}`;
  const strings = txtStrings(value);
  assert.deepEqual(
    strings.map((s) => s.length),
    [255, value.length - 255],
  );
  assert.equal(strings.join(''), value);
  assert.equal(dkimZoneLine('s1', 'example.com', p), `s1._domainkey.example.com. IN TXT "${value.slice(0, 255)}" "${value.slice(255)}"`);
  // a 1024-bit key fits one string
  assert.equal(dkimZoneLine('s2', 'example.com.', keys.publicKeys.rsa1024), `s2._domainkey.example.com. IN TXT "v=DKIM1; k=rsa; p=${keys.publicKeys.rsa1024}"`);
  assert.equal(txtStrings('').length, 1);
  assert.equal(dkimRecordName('sel', 'mail.example.org'), 'sel._domainkey.mail.example.org');
});
