/**
 * DKIM keys beyond the rules: what the Node host reads from key files (and what it never gives out), the
 * DNS TXT record made from a key (cut into strings of 255 characters), the hover on a `domain-key` line
 * and the code lens above it, with and without file access.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { MarkupContent } from 'vscode-languageserver-types';
import { NodeIncludeHost } from '../../server/src/hosts/nodeHost';
import { inspectKey } from '../../server/src/hosts/dkimKey';
import { WebIncludeHost } from '../../server/src/hosts/webHost';
import { PmtaLanguageService } from '../../server/src/service';
import { dkimRecordName, dkimZoneLine, txtStrings } from '../../server/src/knowledge/dkim';
import { COPY_DKIM_RECORD } from '../../server/src/features/dkim';
import { makeKeys, secretLines, type TestKeys } from '../helpers/keys';
import { ROOT } from '../helpers/util';

let keys: TestKeys;
before(() => (keys = makeKeys()));
after(() => fs.rmSync(keys.dir, { recursive: true, force: true }));

const configUri = () => pathToFileURL(path.join(keys.dir, 'config')).toString();
const docOf = (text: string) => TextDocument.create(configUri(), 'powermta', 1, text);
const hoverText = (service: PmtaLanguageService, text: string, line: number, character: number) =>
  (service.hover(docOf(text), { line, character })?.contents as MarkupContent | undefined)?.value;

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
  assert.deepEqual(host.keyInfo(uri, 'rsa512.pem'), {
    uri: file('rsa512.pem'),
    exists: true,
    readable: true,
    kind: 'rsa',
    bits: 512,
    publicKeyBase64: keys.publicKeys.rsa512,
  });
  assert.equal(host.keyInfo(uri, 'ec.pem')?.kind, 'ec');
  assert.deepEqual(host.keyInfo(uri, 'encrypted.pem'), {
    uri: file('encrypted.pem'),
    exists: true,
    readable: false,
    problem: 'encrypted',
  });
  assert.deepEqual(host.keyInfo(uri, 'public.pem'), {
    uri: file('public.pem'),
    exists: true,
    readable: false,
    problem: 'public-key',
  });
  assert.deepEqual(host.keyInfo(uri, 'garbage.pem'), {
    uri: file('garbage.pem'),
    exists: true,
    readable: false,
    problem: 'not-pem',
  });
  assert.deepEqual(host.keyInfo(uri, 'missing.pem'), { exists: false, readable: false });
  // a document that is not a file on this disk: nothing can be said
  assert.equal(host.keyInfo('vscode-vfs://github/x/config', 'rsa2048.pem'), undefined);
  // DER bytes and a PKCS#1 PEM with a passphrase, told apart without a passphrase prompt
  assert.equal(inspectKey(Buffer.from([0x30, 0x82, 0x01, 0x0a])).problem, 'not-pem');
  assert.equal(
    inspectKey(
      Buffer.from(
        '-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----\n',
      ),
    ).problem,
    'encrypted',
  );
  // the browser's host has no key capability at all
  assert.equal(
    'keyInfo' in
      new WebIncludeHost(
        () => undefined,
        () => [],
      ),
    false,
  );
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
  assert.equal(
    dkimZoneLine('s1', 'example.com', p),
    `s1._domainkey.example.com. IN TXT "${value.slice(0, 255)}" "${value.slice(255)}"`,
  );
  // a 1024-bit key fits one string
  assert.equal(
    dkimZoneLine('s2', 'example.com.', keys.publicKeys.rsa1024),
    `s2._domainkey.example.com. IN TXT "v=DKIM1; k=rsa; p=${keys.publicKeys.rsa1024}"`,
  );
  assert.equal(txtStrings('').length, 1);
  assert.equal(dkimRecordName('sel', 'mail.example.org'), 'sel._domainkey.mail.example.org');
});

test('DKIM hover: on a domain-key line, the key file and the exact DNS record, with why it is cut into strings', () => {
  const text = 'domain-key s1, example.com, /etc/pmta/dkim/rsa2048.pem\n';
  const service = new PmtaLanguageService({ host: new NodeIncludeHost() });
  const read = path.join(keys.dir, 'rsa2048.pem');
  const value = `v=DKIM1; k=rsa; p=${keys.publicKeys.rsa2048}`;
  const expected = [
    '**DKIM key** — selector `s1`, signing domain `example.com`',
    `The key file \`/etc/pmta/dkim/rsa2048.pem\` (read from \`${read}\`) holds an RSA private key of 2048 bits.`,
    `**DNS record to publish** — the public key only:\n\n\`\`\`\ns1._domainkey.example.com. IN TXT "${value.slice(0, 255)}" "${value.slice(255)}"\n\`\`\``,
    "One string of a TXT record holds at most 255 characters, so the value is written as 2 strings, which the DNS joins into one. A DNS host's web form usually takes the value in one piece: the strings joined, without their quotes.",
  ].join('\n\n');
  assert.equal(hoverText(service, text, 0, 20), expected);
  // on the directive's name: its documentation first, then the same
  const onName = hoverText(service, text, 0, 3)!;
  assert.ok(onName.startsWith('**domain-key** — directive'), onName);
  assert.ok(onName.endsWith(`---\n\n${expected}`), onName);
  for (const line of secretLines(keys)) assert.ok(!onName.includes(line));
});

test('DKIM hover: a weak key, a bad key, a missing file, a wildcard domain, a macro domain', () => {
  const text = [
    'domain-macro brands a.example, b.example',
    'domain-key w, example.com, rsa1024.pem',
    'domain-key e, example.com, ec.pem',
    'domain-key m, example.com, missing.pem',
    'domain-key any, *, rsa1024.pem',
    'domain-key b, $brands, rsa1024.pem',
    '',
  ].join('\n');
  const service = new PmtaLanguageService({ host: new NodeIncludeHost() });
  const h = (line: number) => hoverText(service, text, line, 30)!.split('\n\n');
  assert.equal(
    h(1)[1],
    `The key file \`rsa1024.pem\` (read from \`${path.join(keys.dir, 'rsa1024.pem')}\`) holds an RSA private key of 1024 bits — RFC 8301 asks for at least 2048.`,
  );
  assert.equal(h(1)[h(1).length - 1], 'The value fits one string of a TXT record (at most 255 characters).');
  assert.equal(
    h(2)[1],
    `The key file \`ec.pem\` (read from \`${path.join(keys.dir, 'ec.pem')}\`) holds an EC key: PowerMTA signs DKIM with RSA keys only, so no record is offered.`,
  );
  assert.equal(
    h(3)[1],
    "The key file `missing.pem` is not on this machine (looked for as written and below this file's folder): it is not checked, and no DNS record can be made from it.",
  );
  assert.deepEqual(h(4).slice(0, 1), ['**DKIM key** — selector `any`, signing domain `*` (any sending domain)']);
  assert.equal(
    h(4)[2],
    `**DNS record to publish** under each domain you send from (\`<domain>\` stands for it) — the public key only:`,
  );
  assert.equal(
    h(4)[3],
    `\`\`\`\nany._domainkey.<domain>. IN TXT "v=DKIM1; k=rsa; p=${keys.publicKeys.rsa1024}"\n\`\`\``,
  );
  assert.equal(
    h(5)[2],
    '**DNS record to publish** (for `a.example`; the same value under the others) — the public key only:',
  );
  assert.equal(h(5)[4], 'Also publish it as `b._domainkey.b.example`.');
});

test('DKIM hover: where key files cannot be read (the browser), the hover says so and offers no record; no code lens', () => {
  const text = 'domain-key s1, example.com, rsa2048.pem\n';
  const web = new PmtaLanguageService({
    host: new WebIncludeHost(
      () => undefined,
      () => [],
    ),
  });
  assert.equal(
    hoverText(web, text, 0, 30),
    '**DKIM key** — selector `s1`, signing domain `example.com`\n\nThe key file `rsa2048.pem` is not read here: this language server has no access to the files on disk (VS Code for the Web, or a document that is not a local file), so the key is not checked and its DNS record cannot be shown. The desktop extension and `pmta-lint` do both.',
  );
  assert.deepEqual(web.codeLenses(docOf(text)), []);
  assert.deepEqual(web.lint(docOf(text)), []);
  // with includes (and every other file) turned off
  const off = new PmtaLanguageService({ host: new NodeIncludeHost() }).hover(
    docOf(text),
    { line: 0, character: 30 },
    { settings: { includes: { resolve: false } } },
  );
  assert.equal(
    (off?.contents as MarkupContent).value.split('\n\n')[1],
    'The key file `rsa2048.pem` is not read: reading other files is turned off (`pmta.includes.resolve`, or `--no-includes`).',
  );
});

test('DKIM code lens: above each domain-key line with a usable key, the record name and size; its command copies the whole record', () => {
  const text =
    'domain-key s1, example.com, rsa2048.pem\ndomain-key s2, example.com, ec.pem\n\ndomain-key s3, example.org, rsa512.pem\n';
  const lenses = new PmtaLanguageService({ host: new NodeIncludeHost() }).codeLenses(docOf(text));
  assert.deepEqual(
    lenses.map((l) => [l.range.start.line, l.command?.title, l.command?.command]),
    [
      [0, 'DKIM DNS record: s1._domainkey.example.com TXT (RSA, 2048 bits) · copy', COPY_DKIM_RECORD],
      [3, 'DKIM DNS record: s3._domainkey.example.org TXT (RSA, 512 bits) · copy', COPY_DKIM_RECORD],
    ],
  );
  assert.deepEqual(lenses[0].command?.arguments, [dkimZoneLine('s1', 'example.com', keys.publicKeys.rsa2048)]);
  for (const line of secretLines(keys)) assert.ok(!JSON.stringify(lenses).includes(line));
  // the extension registers the command the lens runs
  assert.match(
    fs.readFileSync(path.join(ROOT, 'client', 'src', 'activate.ts'), 'utf8'),
    new RegExp(`registerCommand\\('${COPY_DKIM_RECORD.replace('.', '\\.')}'`),
  );
});
