/**
 * DKIM key files for the tests, generated with Node's crypto into a new temporary folder (never checked
 * in): RSA keys of 2048, 1024 and 512 bits, an EC key, a key protected by a passphrase, a public key, a
 * file of text that is no key, and the name of a file that does not exist. Each private key's public
 * half is given too (DER SubjectPublicKeyInfo in base64), worked out here apart from the code under test.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export interface TestKeys {
  dir: string;
  /** File names in `dir`. */
  files: {
    rsa2048: string;
    rsa1024: string;
    rsa512: string;
    ec: string;
    encrypted: string;
    publicKey: string;
    garbage: string;
    missing: string;
  };
  /** The public keys of the RSA files, base64 of the DER SubjectPublicKeyInfo. */
  publicKeys: { rsa2048: string; rsa1024: string; rsa512: string };
  /** The private keys as written (PEM), to check that none of it shows anywhere. */
  privatePems: string[];
}

export function makeKeys(prefix = 'pmta-dkim-'): TestKeys {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const rsa = (bits: number) => crypto.generateKeyPairSync('rsa', { modulusLength: bits });
  const k2048 = rsa(2048);
  const k1024 = rsa(1024);
  const k512 = rsa(512);
  const spki = (k: crypto.KeyObject) => k.export({ type: 'spki', format: 'der' }).toString('base64');
  const pems = {
    'rsa2048.pem': k2048.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    'rsa1024.pem': k1024.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string,
    'rsa512.pem': k512.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string,
    'ec.pem': crypto
      .generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    'encrypted.pem': rsa(1024).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
      cipher: 'aes-256-cbc',
      passphrase: 'secret',
    }) as string,
  };
  for (const [name, pem] of Object.entries(pems)) fs.writeFileSync(path.join(dir, name), pem);
  fs.writeFileSync(path.join(dir, 'public.pem'), k2048.publicKey.export({ type: 'spki', format: 'pem' }));
  fs.writeFileSync(path.join(dir, 'garbage.pem'), 'this is not a key\n');
  return {
    dir,
    files: {
      rsa2048: 'rsa2048.pem',
      rsa1024: 'rsa1024.pem',
      rsa512: 'rsa512.pem',
      ec: 'ec.pem',
      encrypted: 'encrypted.pem',
      publicKey: 'public.pem',
      garbage: 'garbage.pem',
      missing: 'missing.pem',
    },
    publicKeys: { rsa2048: spki(k2048.publicKey), rsa1024: spki(k1024.publicKey), rsa512: spki(k512.publicKey) },
    privatePems: Object.values(pems),
  };
}

/** Pieces of each private key's PEM body (base64 lines) that must never show up in an output. */
export function secretLines(keys: TestKeys): string[] {
  return keys.privatePems.flatMap((pem) => pem.split('\n').filter((l) => l.length >= 40 && !l.startsWith('-----')));
}
