/**
 * DKIM facts shared by the key rules and the hover: what each problem of a key file means, in words,
 * the key sizes RFC 8301 sets, and the DNS TXT record that publishes a public key (RFC 6376, section
 * 3.6: `SELECTOR._domainkey.DOMAIN`, tags `v=DKIM1; k=rsa; p=BASE64`), cut into strings of at most 255
 * characters, which is all one string of a TXT record may hold (RFC 1035, section 3.3). Pure text.
 */

/** Why a key file could not be used (hosts/includeHost.ts KeyInfo.problem). */
export type KeyProblem =
  /** outside the workspace folders, which are all that may be read (untrusted workspace, or includes.workspaceOnly) */
  | 'outside-workspace'
  /** the user running the check may not read it (PowerMTA runs as another user) */
  | 'permission'
  | 'not-a-file'
  | 'too-large'
  | 'empty'
  /** no PEM block at all (DER or other binary data, or text) */
  | 'not-pem'
  /** a PEM public key, not the private key PowerMTA signs with */
  | 'public-key'
  /** a certificate and no private key */
  | 'certificate'
  /** a private key protected by a passphrase, which domain-key has no way to give */
  | 'encrypted'
  /** a PEM private key block that does not parse */
  | 'unparsable';

/** Receivers following RFC 8301 treat signatures made with smaller RSA keys as invalid (section 3.2). */
export const DKIM_MIN_BITS = 1024;
/** RFC 8301 asks signers for at least this many bits (section 3.2). */
export const DKIM_GOOD_BITS = 2048;

/** One string of a TXT record holds at most 255 characters. */
export const TXT_STRING_MAX = 255;

/** What is wrong with a key file, in words (after "The key file … "). */
export const KEY_PROBLEM_WORDS: Record<KeyProblem, string> = {
  'outside-workspace':
    'is outside the workspace folders, and files there are not read in an untrusted workspace (or with pmta.includes.workspaceOnly)',
  permission: 'cannot be read by the user running this check (permission denied); PowerMTA reads it as its own user',
  'not-a-file': 'is not a regular file',
  'too-large': 'is larger than 64 KB, too large for a key file',
  empty: 'is empty',
  'not-pem': 'holds no PEM private key (no "-----BEGIN PRIVATE KEY-----" or "-----BEGIN RSA PRIVATE KEY-----" block)',
  'public-key': 'holds a public key only',
  certificate: 'holds a certificate and no private key',
  encrypted: 'holds a private key protected by a passphrase, which domain-key has no way to give',
  unparsable: 'holds a PEM private key block that cannot be read (damaged or cut short)',
};

/** What to do about a key problem, when there is more to say than its words. */
export const KEY_PROBLEM_REMEDIES: Partial<Record<KeyProblem, string>> = {
  'not-pem':
    'PowerMTA reads keys in PEM form; a key in DER form converts with "openssl pkey -inform DER -in FILE -out NEWFILE".',
  'public-key': 'The public key belongs in the DNS record; this line needs the private key.',
  encrypted:
    'Write it without the passphrase ("openssl pkey -in FILE -out NEWFILE") and let only PowerMTA read the new file.',
};

/** Key problems that say nothing of the file itself (it was not read here): not errors of the configuration. */
export function isUncheckedProblem(p: KeyProblem | undefined): boolean {
  return p === 'outside-workspace' || p === 'permission';
}

/** A key type as words: "an RSA key", "an EC key", "an Ed25519 key". */
export function keyKindWords(kind: string | undefined): string {
  switch (kind) {
    case 'rsa':
      return 'an RSA key';
    case 'rsa-pss':
      return 'an RSA-PSS key';
    case 'ec':
      return 'an EC key';
    case 'ed25519':
      return 'an Ed25519 key';
    case 'ed448':
      return 'an Ed448 key';
    case 'dsa':
      return 'a DSA key';
    default:
      return kind ? `a key of type ${kind}` : 'a key of unknown type';
  }
}

/** The key is one PowerMTA signs with: a readable RSA private key (dkim-algorithm takes rsa-sha256 and rsa-sha1 only). */
export function isUsableKey<K extends { readable: boolean; kind?: string; publicKeyBase64?: string }>(
  info: K | undefined,
): info is K & { publicKeyBase64: string } {
  return !!info?.readable && info.kind === 'rsa' && !!info.publicKeyBase64;
}

/** The DNS name of a DKIM key: `s1._domainkey.example.com`. */
export function dkimRecordName(selector: string, domain: string): string {
  return `${selector}._domainkey.${domain.replace(/\.$/, '')}`;
}

/** The value of the DKIM TXT record of an RSA public key, whole. */
export function dkimRecordValue(publicKeyBase64: string): string {
  return `v=DKIM1; k=rsa; p=${publicKeyBase64}`;
}

/** A TXT value cut into strings of at most 255 characters (the DNS joins them back). */
export function txtStrings(value: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < value.length; i += TXT_STRING_MAX) out.push(value.slice(i, i + TXT_STRING_MAX));
  return out.length ? out : [''];
}

/** The record as one zone-file line: `s1._domainkey.example.com. IN TXT "v=DKIM1; k=rsa; p=…" "…"`. */
export function dkimZoneLine(selector: string, domain: string, publicKeyBase64: string): string {
  const strings = txtStrings(dkimRecordValue(publicKeyBase64)).map((s) => `"${s}"`);
  return `${dkimRecordName(selector, domain)}. IN TXT ${strings.join(' ')}`;
}
