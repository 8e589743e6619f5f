/**
 * DKIM keys in the editor: on a `domain-key` line, the hover says what its key file holds (as the host
 * found it while the model was built: model/domainKeys.ts) and gives the DNS TXT record that publishes its
 * public key; a code lens above the line names the record and copies it when clicked (the client's
 * {@link COPY_DKIM_RECORD} command). Where key files cannot be read (the browser), the hover says so and no
 * record is offered. Only the public key is ever shown.
 */
import type { CodeLens } from 'vscode-languageserver-types';
import type { Model } from '../model';
import type { DomainKeyLine } from '../model/domainKeys';
import {
  DKIM_GOOD_BITS,
  DKIM_MIN_BITS,
  dkimRecordName,
  dkimZoneLine,
  isUncheckedProblem,
  isUsableKey,
  KEY_PROBLEM_REMEDIES,
  KEY_PROBLEM_WORDS,
  keyKindWords,
  TXT_STRING_MAX,
  txtStrings,
  dkimRecordValue,
} from '../knowledge/dkim';
import { plural } from '../util/phrases';

/** The client command a DKIM code lens runs, with the zone-file line of the record as its argument: it copies the record. */
export const COPY_DKIM_RECORD = 'pmta.copyDkimRecord';

/** Names of the records of a key: one per signing domain; `<domain>` stands for each sending domain of a `*` key. */
function recordDomains(model: Model, dk: DomainKeyLine): string[] {
  const d = dk.domain?.text ?? '';
  if (d === '*') return ['<domain>'];
  if (!d.includes('$')) return [d.toLowerCase()];
  try {
    return model.expandDomain(d) ?? [d];
  } catch {
    return [d];
  }
}

/** Markdown for the hover on a `domain-key` line: its key file and the DNS record to publish. */
export function domainKeyMarkdown(model: Model, line: { start: number }): string | undefined {
  const dk = model.domainKeys.find((k) => k.line.start === line.start);
  if (!dk) return undefined;
  if (dk.unread === 'syntax')
    return '**DKIM key**\n\nExpected `domain-key SELECTOR, DOMAIN, FILE` (three parts separated by commas).';
  const selector = dk.selector!.text;
  const domain = dk.domain!.text;
  const parts = [
    `**DKIM key** — selector \`${selector}\`, signing domain \`${domain}\`${domain === '*' ? ' (any sending domain)' : ''}`,
  ];
  const file = `\`${dk.file!.text}\``;
  switch (dk.unread) {
    case 'no-file-access':
      parts.push(
        `The key file ${file} is not read here: this language server has no access to the files on disk (VS Code for the Web, or a document that is not a local file), so the key is not checked and its DNS record cannot be shown. The desktop extension and \`pmta-lint\` do both.`,
      );
      return parts.join('\n\n');
    case 'includes-off':
      parts.push(
        `The key file ${file} is not read: reading other files is turned off (\`pmta.includes.resolve\`, or \`--no-includes\`).`,
      );
      return parts.join('\n\n');
    case 'vault':
      parts.push(`The key is kept in Vault (${file}): it is not read here.`);
      return parts.join('\n\n');
    case 'placeholder':
      parts.push(`${file} is a template placeholder or an interpolated Vault path: there is no file to read.`);
      return parts.join('\n\n');
    default:
      break;
  }
  const key = dk.key!;
  const read = key.uri ? readFrom(key.uri, dk.file!.text) : '';
  if (!key.exists) {
    parts.push(
      `The key file ${file} is not on this machine (looked for as written and below this file's folder): it is not checked, and no DNS record can be made from it.`,
    );
    return parts.join('\n\n');
  }
  if (key.problem) {
    if (isUncheckedProblem(key.problem))
      parts.push(`The key file ${file}${read} ${KEY_PROBLEM_WORDS[key.problem]}, so it was not checked.`);
    else
      parts.push(
        `The key file ${file}${read} ${KEY_PROBLEM_WORDS[key.problem]}: PowerMTA cannot sign with it, and no DNS record can be made from it. ${KEY_PROBLEM_REMEDIES[key.problem] ?? ''}`.trimEnd(),
      );
    return parts.join('\n\n');
  }
  if (!isUsableKey(key)) {
    parts.push(
      `The key file ${file}${read} holds ${keyKindWords(key.kind)}: PowerMTA signs DKIM with RSA keys only, so no record is offered.`,
    );
    return parts.join('\n\n');
  }
  const bits = key.bits ?? 0;
  const weak =
    bits < DKIM_MIN_BITS
      ? ` — under ${DKIM_MIN_BITS} bits, which receivers reject (RFC 8301)`
      : bits < DKIM_GOOD_BITS
        ? ` — RFC 8301 asks for at least ${DKIM_GOOD_BITS}`
        : '';
  parts.push(`The key file ${file}${read} holds an RSA private key of ${bits} bits${weak}.`);
  const domains = recordDomains(model, dk);
  const zone = dkimZoneLine(selector, domains[0], key.publicKeyBase64);
  const n = txtStrings(dkimRecordValue(key.publicKeyBase64)).length;
  const where =
    domain === '*'
      ? ' under each domain you send from (`<domain>` stands for it)'
      : domains.length > 1
        ? ` (for \`${domains[0]}\`; the same value under the others)`
        : '';
  parts.push(`**DNS record to publish**${where} — the public key only:\n\n\`\`\`\n${zone}\n\`\`\``);
  if (domains.length > 1)
    parts.push(
      `Also publish it as ${domains
        .slice(1, 11)
        .map((d) => `\`${dkimRecordName(selector, d)}\``)
        .join(', ')}${domains.length > 11 ? `, and ${domains.length - 11} more` : ''}.`,
    );
  parts.push(
    n > 1
      ? `One string of a TXT record holds at most ${TXT_STRING_MAX} characters, so the value is written as ${plural(n, 'string')}, which the DNS joins into one. A DNS host's web form usually takes the value in one piece: the strings joined, without their quotes.`
      : `The value fits one string of a TXT record (at most ${TXT_STRING_MAX} characters).`,
  );
  return parts.join('\n\n');
}

/** " (read from /path)" when the file read is not the path as written. */
function readFrom(uri: string, written: string): string {
  let p = uri;
  try {
    p = decodeURIComponent(uri.replace(/^file:\/\//, ''));
  } catch {
    // shown as it is
  }
  return p === written ? '' : ` (read from \`${p}\`)`;
}

/** A code lens above each `domain-key` line whose key gives a record: the record's name; a click copies the record. */
export function dkimLenses(model: Model): CodeLens[] {
  const out: CodeLens[] = [];
  for (const dk of model.domainKeys) {
    if (!isUsableKey(dk.key) || !dk.selector || !dk.domain) continue;
    const domains = recordDomains(model, dk);
    const zone = dkimZoneLine(dk.selector.text, domains[0], dk.key.publicKeyBase64);
    const more = domains.length > 1 ? ` (and ${plural(domains.length - 1, 'more domain')})` : '';
    const start = dk.line.nameSpan.start;
    out.push({
      range: model.range({ start, end: start }),
      command: {
        title: `DKIM DNS record: ${dkimRecordName(dk.selector.text, domains[0])} TXT (RSA, ${dk.key.bits} bits)${more} · copy`,
        command: COPY_DKIM_RECORD,
        arguments: [zone],
      },
    });
  }
  return out;
}
