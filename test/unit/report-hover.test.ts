/**
 * The delivery report and the hover say the same thing about a Microsoft code: for every code that
 * blocks the sending IP, a bounce carrying Microsoft's reply makes the IP blocked, and the removal path
 * the report gives it is, word for word, the "Removal" line the hover shows on that code in a config;
 * every code the report explains carries its entry's system and removal path.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MarkupContent } from 'vscode-languageserver-types';
import { reportOnTexts } from '../../server/src/accounting';
import { classifyReply } from '../../server/src/accounting/replies';
import {
  MICROSOFT_CODES,
  MICROSOFT_REMOVAL_WORDS,
  removalPath,
  sourceIpEffect,
} from '../../server/src/knowledge/microsoft';
import { PmtaLanguageService } from '../../server/src/service';
import { doc } from '../helpers/util';

const HEADER = 'type,timeLogged,rcpt,dsnStatus,dsnDiag,dsnMta,dlvSourceIp,vmta';

/** A CSV field as PowerMTA quotes it. */
function field(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** The hover's "Removal" line on the first occurrence of `code` in a comment holding `reply`. */
function hoverRemoval(reply: string, code: string): string {
  const text = `# ${reply}\n`;
  const at = text.toUpperCase().indexOf(code.toUpperCase());
  assert.ok(at >= 0, `${code} is written in "${reply}"`);
  const d = doc(text);
  const h = new PmtaLanguageService().hover(d, d.positionAt(at + 1));
  assert.ok(h, `a hover on ${code}`);
  const line = (h.contents as MarkupContent).value.split('\n\n').find((p) => p.startsWith('**Removal:** '));
  assert.ok(line, `the hover on ${code} has a Removal line`);
  return line;
}

const BLOCKS = MICROSOFT_CODES.filter((c) => sourceIpEffect(c) === 'block');

test('report and hover: every block code blocks the IP, with the removal path the hover gives, word for word', () => {
  assert.ok(BLOCKS.length >= 10, 'the knowledge base has block codes');
  const seen: string[] = [];
  for (const c of BLOCKS) {
    const reply = `smtp;${c.sampleReply}`;
    const row = [
      'b',
      '2026-01-15 10:00:00+0000',
      'someone@hotmail.com',
      '5.0.0',
      field(reply),
      'hotmail-com.olc.protection.outlook.com',
      '203.0.113.9',
      'mta9',
    ].join(',');
    const r = reportOnTexts({ 'acct.csv': `${HEADER}\n${row}\n` });
    const ip = r.microsoft.sourceIps[0];
    assert.equal(ip.status, 'blocked', `${c.id}: its sample reply blocks the IP`);
    assert.equal(ip.removal.length, 1, c.id);
    const removal = ip.removal[0];
    assert.equal(removal.code, classifyReply(reply).code, c.id);
    // the entry the report went by is this one (its sample reply may name a more specific code first)
    const entry = classifyReply(reply).entry!;
    assert.equal(removal.how, removalPath(entry), c.id);
    assert.equal(removal.path, entry.removal.path, c.id);
    assert.equal(removal.where, entry.removal.where, c.id);
    // a reply told by its words alone (block-list, policy-reasons) has no code to hover
    if (!/^[a-z]+(-[a-z]+)+$/.test(removal.code))
      assert.equal(hoverRemoval(reply, removal.code), `**Removal:** ${removal.how}`, c.id);
    // the codes table says the same
    const code = r.microsoft.codes.find((x) => x.code === removal.code)!;
    assert.deepEqual(
      code.removal,
      { path: removal.path, ...(removal.where ? { where: removal.where } : {}), how: removal.how },
      c.id,
    );
    assert.equal(code.system, entry.system, c.id);
    seen.push(entry.id);
  }
  // every block entry was the one its own sample reply was judged by
  assert.deepEqual(
    seen,
    BLOCKS.map((c) => c.id),
  );
});

test('report: a block path in words names who lifts it and where; a code that lists nothing says so', () => {
  const s = MICROSOFT_CODES.find((c) => c.id === '5.7.606-649')!;
  assert.equal(
    removalPath(s),
    `${MICROSOFT_REMOVAL_WORDS['office-delist-portal']} (https://sender.office.com/). ${s.removal.steps}`,
  );
  const rp = MICROSOFT_CODES.find((c) => c.id === 'RP-001')!;
  assert.equal(rp.removal.path, 'none');
  assert.equal(removalPath(rp), rp.removal.steps);
  assert.match(removalPath(rp), /^Nothing is listed/);
});
