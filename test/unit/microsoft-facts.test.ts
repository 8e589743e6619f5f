/**
 * Microsoft facts as users read them: every code's hover and explanation say which system sends it and how
 * its block is lifted from the code's own entry (the `system` and `removal` fields), never from a line added
 * to a whole family of codes; and the facts checked against Microsoft's pages (the Outlook.com postmaster
 * table, Microsoft Learn's NDR reference and its articles) read exactly as they should.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import type { MarkupContent } from 'vscode-languageserver-types';
import { PmtaLanguageService, TextDocument } from '../../server/src/service';
import {
  codeById,
  findMicrosoftCodes,
  MICROSOFT_CODES,
  MICROSOFT_DELIST_ADDRESS,
  MICROSOFT_REMOVAL_WORDS,
  MICROSOFT_SYSTEM_WORDS,
  OFFICE_DELIST_PORTAL,
  OUTLOOK_SENDER_SUPPORT_FORM,
  SPAMHAUS_SITE,
  type MicrosoftCode,
} from '../../server/src/knowledge/microsoft';
import { getBlock, getDirective } from '../../server/src/knowledge/catalog';
import { blockMarkdown, directiveMarkdown } from '../../server/src/features/hover';
import { microsoftCodeMarkdown } from '../../server/src/features/replies';
import { mdText } from '../../server/src/features/markdown';

const service = new PmtaLanguageService();

/** The hover of one code, as the hover and "Explain SMTP reply" render it. */
function md(id: string): string {
  const c = codeById(id);
  assert.ok(c, id);
  return microsoftCodeMarkdown({ code: c, covers: [c] });
}

/** The paragraph of a hover that starts with `**Label:**`. */
function line(markdown: string, label: string): string[] {
  return markdown.split('\n\n').filter((p) => p.startsWith(`**${label}:**`));
}

// ------------------------------------------------------------------------------------------------
// the entries

test('every code names the system that sends it and how its block is lifted, with the sources that say so', () => {
  const needsWhere = new Set(['outlook-sender-support', 'office-delist-portal', 'delist-mail', 'spamhaus']);
  for (const c of MICROSOFT_CODES) {
    assert.ok(['outlook.com', 'microsoft-365', 'either'].includes(c.system), `${c.id} system`);
    assert.ok(MICROSOFT_REMOVAL_WORDS[c.removal.path], `${c.id} removal path`);
    assert.ok(c.removal.steps.length > 10, `${c.id} removal steps`);
    if (needsWhere.has(c.removal.path)) assert.ok(c.removal.where, `${c.id}: a ${c.removal.path} removal says where`);
    if (c.removal.path === 'none') assert.match(c.removal.steps, /^Nothing /, `${c.id}: nothing listed says so`);
    const keys = c.source.split(/;\s*/);
    // where the entry says it is documented, and the removal path, come from a cited source
    if (c.documented === 'postmaster-table') assert.ok(keys.includes('S-PM-TRB'), `${c.id} cites the postmaster page`);
    if (c.documented === 'microsoft-learn')
      assert.ok(
        keys.some((k) => /^S-(NDR|FWD|DBEB)/.test(k)),
        `${c.id} cites Microsoft Learn`,
      );
    if (c.documented === 'real-bounces-only')
      assert.ok(
        keys.some((k) => ['S-WILD', 'S-SISI', 'S-KUMO'].includes(k)),
        `${c.id} cites real bounces`,
      );
    if (c.removal.path === 'outlook-sender-support' || c.removal.path === 'spamhaus')
      assert.ok(keys.includes('S-PM-TRB') || keys.includes('S-WILD'), `${c.id}: removal cited`);
    if (['office-delist-portal', 'delist-mail', 'microsoft-support'].includes(c.removal.path))
      assert.ok(
        keys.some((k) => k.startsWith('S-NDR')),
        `${c.id}: removal cited`,
      );
    // the delisting places belong to their own codes only
    const all = JSON.stringify(c);
    if (all.includes('sender.office.com'))
      assert.ok(['5.7.606-649', '5.7.511'].includes(c.id), `${c.id} mentions the delist portal`);
    if (all.includes(MICROSOFT_DELIST_ADDRESS)) assert.equal(c.id, '5.7.511');
  }
});

test('the hover of every code renders its system and removal from its own entry, and nothing that contradicts it', () => {
  const short = {
    'outlook.com': 'Outlook.com',
    'microsoft-365': 'Microsoft 365 / Exchange Online',
    either: 'Outlook.com or Microsoft 365',
  };
  const words = (c: MicrosoftCode) =>
    [c.meaning, c.action, c.pmta, c.removal.where ?? '', c.removal.steps, c.guideSays ?? '', c.sampleReply].join(' ');
  for (const c of MICROSOFT_CODES) {
    const h = microsoftCodeMarkdown({ code: c, covers: [c] });
    assert.deepEqual(line(h, 'Sent by'), [`**Sent by:** ${MICROSOFT_SYSTEM_WORDS[c.system]}.`], c.id);
    const r = c.removal;
    const removal =
      r.path === 'none'
        ? `**Removal:** ${mdText(r.steps)}`
        : `**Removal:** ${MICROSOFT_REMOVAL_WORDS[r.path]}${r.where ? ` (${r.where})` : ''}. ${mdText(r.steps)}`;
    assert.deepEqual(line(h, 'Removal'), [removal], c.id);
    assert.ok(h.split('\n')[0].includes(`*(${short[c.system]} reply, `), `${c.id} title names its system`);
    assert.deepEqual(line(h, 'Block list'), [], `${c.id}: no family-wide block-list line`);
    // every address, URL and delisting place the hover names is one its entry names
    for (const m of h.matchAll(
      /https?:\/\/[^\s)`]+|[\w.-]+@[\w.-]+\.\w+|sender\.office\.com|sender support form|Spamhaus/g,
    )) {
      assert.ok(
        words(c).includes(m[0].replace(/[.,]$/, '')),
        `${c.id}: the hover names "${m[0]}", which its entry does not`,
      );
    }
  }
});

test('the hover in a file and "Explain SMTP reply" carry the same system and removal lines as the entry', () => {
  let checked = 0;
  for (const c of MICROSOFT_CODES) {
    const hit = findMicrosoftCodes(c.sampleReply).find((m) => m.covers.includes(c));
    if (!hit) continue; // a range shown by one of its codes with an entry of its own, or a reply without a code
    checked++;
    const text = `<domain outlook.com>\n# ${c.sampleReply}\n</domain>\n`;
    const doc = TextDocument.create('file:///facts/config.pmta', 'powermta', 1, text);
    const h = service.hover(doc, { line: 1, character: 2 + hit.start + 1 });
    assert.ok(h, c.id);
    const value = (h.contents as MarkupContent).value;
    const own = microsoftCodeMarkdown({ code: c, covers: [c] });
    assert.deepEqual(line(value, 'Sent by'), line(own, 'Sent by'), `hover of ${c.id}`);
    assert.deepEqual(line(value, 'Removal'), line(own, 'Removal'), `hover of ${c.id}`);
    const e = service.explainReply(c.sampleReply);
    const section = e.markdown.split('\n\n---\n\n').find((s) => s.includes(`— ${c.title} *(`));
    assert.ok(section, `explanation of ${c.id}`);
    assert.deepEqual(line(section, 'Sent by'), line(own, 'Sent by'), `explanation of ${c.id}`);
    assert.deepEqual(line(section, 'Removal'), line(own, 'Removal'), `explanation of ${c.id}`);
    assert.equal(e.codes.find((x) => x.id === c.id)?.system, c.system, `explanation of ${c.id}`);
  }
  // unchecked: msgs-per-connection, block-list and policy-reasons (told by their words, no code to hover), and one range
  assert.ok(checked >= MICROSOFT_CODES.length - 4, `${checked} of ${MICROSOFT_CODES.length} codes checked`);
});

// ------------------------------------------------------------------------------------------------
// the facts the issue found wrong

test('OU-001: removal goes through Spamhaus; DY-001 (a dynamic IP) has nothing to delist: a static IP with reverse DNS', () => {
  assert.deepEqual(line(md('OU-001'), 'Removal'), [
    "**Removal:** Spamhaus (https://www.spamhaus.org). Microsoft's table sends removal requests for this block to Spamhaus: look the IP up there and follow Spamhaus's removal process. Outlook.com's support form does not lift it.",
  ]);
  assert.deepEqual(line(md('DY-001'), 'Removal'), [
    "**Removal:** Nothing to ask Microsoft to lift: Outlook.com generally refuses mail from dynamic IPs (its table points to Spamhaus's lists of dynamic addresses). Send from a static IP whose reverse DNS names your mail host; if a static IP of yours is on such a list, its owner can ask Spamhaus to remove it.",
  ]);
  assert.deepEqual(
    [codeById('OU-001')!.removal.where, codeById('DY-001')!.removal.path, codeById('DY-001')!.removal.where],
    [SPAMHAUS_SITE, 'none', undefined],
  );
  // the other policy blocks of the table, and the block-list replies, go to the form (not the troubleshooting page)
  for (const id of ['SC-001', 'SC-002', 'SC-003', 'SC-004', 'DY-002', 'OU-002', 'S3150', 'AS3160', 'block-list']) {
    assert.deepEqual(
      [codeById(id)!.removal.path, codeById(id)!.removal.where],
      ['outlook-sender-support', OUTLOOK_SENDER_SUPPORT_FORM],
      id,
    );
  }
  assert.equal(OUTLOOK_SENDER_SUPPORT_FORM, 'http://go.microsoft.com/fwlink/?LinkID=614866');
  // S3150: register the IP in SNDS and JMRP before asking
  assert.match(codeById('S3150')!.removal.steps, /register the IP in SNDS and JMRP/);
});

test('5.7.800: the banned domain is restored by Microsoft support, not self-service', () => {
  const h = md('5.7.800');
  assert.deepEqual(line(h, 'Removal'), [
    "**Removal:** Microsoft support. Microsoft's NDR table: contact Microsoft support to restore the domain's ability to send, after fixing the cause. There is no self-service portal for it.",
  ]);
  assert.ok(!h.includes('sender.office.com'));
});

test('5.7.511: removal by mail to delist@microsoft.com with the NDR; the portal is for 5.7.606-649', () => {
  const h = md('5.7.511');
  assert.deepEqual(line(h, 'Removal'), [
    "**Removal:** a mail to Microsoft (delist@microsoft.com). Fix what got the IP banned, then mail delist@microsoft.com with the full NDR and the IP (older versions of Microsoft's page gave delist@messaging.microsoft.com). The self-service portal is for 5.7.606-649.",
  ]);
  assert.ok(!/self-service at/.test(h));
  assert.deepEqual(line(md('5.7.606'), 'Removal'), [
    "**Removal:** Microsoft 365's delist portal (https://sender.office.com/). Fix the cause, then request removal at the self-service delist portal.",
  ]);
  assert.equal(codeById('5.7.606')!.removal.where, OFFICE_DELIST_PORTAL);
});

test('5.7.1 with S3140, S3150 or AS3150 comes from the Outlook.com consumer MX hosts', () => {
  const e = service.explainReply(
    "host outlook-com.olc.protection.outlook.com said: 550 5.7.1 Unfortunately, messages from [203.0.113.10] weren't sent. Please contact your Internet service provider since part of their network is on our block list (AS3150).",
  );
  assert.deepEqual(
    e.codes.map((c) => [c.id, c.system]),
    [
      ['S3150', 'outlook.com'],
      ['5.7.1', 'either'],
    ],
  );
  assert.ok(!e.markdown.includes('not the Outlook.com consumer servers'));
  assert.deepEqual(line(md('5.7.1'), 'Sent by'), [
    "**Sent by:** either system: Outlook.com's consumer mail servers (`*.olc.protection.outlook.com`) or Microsoft 365 / Exchange Online (`*.mail.protection.outlook.com`).",
  ]);
  assert.match(
    md('5.7.1'),
    /\n\nMicrosoft's NDR table: a generic refusal by Microsoft 365 \(delivery not authorised, relaying refused, or the sender not authenticated\)\. Outlook\.com's consumer MX hosts \(`\*\.olc\.protection\.outlook\.com`\) also send 550 5\.7\.1 for their block-list rejections, with an S3140, S3150 or AS3150 tag; the tag and the text tell them apart\.\n\n/,
  );
  for (const tag of ['S3140', 'S3150', 'AS3140', 'AS3150']) {
    assert.deepEqual(line(md(tag), 'Sent by'), [`**Sent by:** ${MICROSOFT_SYSTEM_WORDS['outlook.com']}.`], tag);
    assert.match(
      md(tag),
      /Outlook\.com's consumer MX hosts \(`\*\.olc\.protection\.outlook\.com`\) refuse mail from this IP with 550 5\.7\.1/,
      tag,
    );
  }
});

test("5.5.0 and 4.7.500 are in Microsoft's published tables; 4.7.500 agrees with the 4.7.500-699 entry", () => {
  for (const id of ['5.5.0', '4.7.500', '4.7.500-699']) {
    assert.deepEqual(
      line(md(id), 'Documented'),
      ["**Documented:** in Microsoft Learn's Exchange Online NDR reference."],
      id,
    );
    assert.ok(!md(id).includes("not in Microsoft's published table"), id);
  }
  assert.equal(
    codeById('5.5.0')!.meaning,
    "Microsoft's NDR table: the recipient's domain is hotmail.com or outlook.com and the address was not found, as with 5.1.10. The mailbox does not exist.",
  );
  const busy = codeById('4.7.500')!;
  assert.equal(busy.title, 'Server busy: new or changed traffic (IP throttling)');
  assert.equal(
    busy.meaning,
    'The first code of Microsoft\'s 4.7.500-699 range, which Microsoft\'s article calls IP throttling, a kind of graylisting: the sending IP is new, or its pattern changed a lot (much more mail than before), so it is held back for a while. Outlook.com\'s servers word it "Server busy. Please try again later" with an AS tag; Microsoft\'s NDR table words the range "Access denied, please try again later". The article says it clears over a few days as the IP builds a sending history.',
  );
  assert.ok(!/different/.test(busy.meaning));
  assert.equal(busy.system, 'either');
  assert.match(codeById('4.7.501')!.meaning, /IP throttling/);
});

test('a plain code any server may send is explained in general first, then as the system of its entry sends it', () => {
  const plain = service.explainReply('550 5.5.0 Requested action not taken: mailbox unavailable');
  assert.match(plain.markdown, /^\*\*550\*\* — a permanent failure/);
  assert.ok(
    plain.markdown.includes('\n\n---\n\n**If Outlook.com sent it:**\n\n**550 5.5.0** — Mailbox unavailable'),
    plain.markdown,
  );
  const busy = service.explainReply('451 4.7.500 Server busy. Please try again later');
  assert.ok(
    busy.markdown.includes(
      '\n\n---\n\n**If Microsoft (Outlook.com or Microsoft 365) sent it:**\n\n**451 4.7.500** — Server busy',
    ),
    busy.markdown,
  );
  // a tag is Microsoft's own: Microsoft's reading first
  const tagged = service.explainReply('451 4.7.500 Server busy. Please try again later from [203.0.113.10]. (AS761)');
  assert.match(tagged.markdown, /^One Microsoft code found: `451 4\.7\.500`\.\n\n\*\*451 4\.7\.500\*\* — Server busy/);
  const text =
    '<smtp-pattern-list p>\n    reply /\\(AS761\\)/ mode=backoff\n    reply /4\\.7\\.500/ mode=backoff\n</smtp-pattern-list>\n';
  const doc = TextDocument.create('file:///facts/generic.pmta', 'powermta', 1, text);
  const tag = (service.hover(doc, doc.positionAt(text.indexOf('AS761') + 1))?.contents as MarkupContent).value;
  assert.match(tag, /^\*\*451 4\.7\.500\*\* — Server busy/);
  const code = (service.hover(doc, doc.positionAt(text.indexOf('4\\.7\\.500') + 1))?.contents as MarkupContent).value;
  assert.match(code, /^\*\*4\.7\.500\*\* — enhanced status code: temporary/);
  assert.ok(code.includes('\n\n---\n\n**If Microsoft (Outlook.com or Microsoft 365) sent it:**\n\n'), code);
});

test('5.0.350 with AS345 is about nested attachments', () => {
  const c = codeById('AS345')!;
  assert.equal(c.id, '5.0.350');
  assert.equal(c.title, 'Generic refusal from the recipient organisation (AS345: nested attachments)');
  assert.equal(
    c.meaning,
    'A catch-all code for many different refusals by the recipient organisation. Microsoft\'s table names two texts: "x-dg-ref header is too long" (Rich Text messages) and "policy violation detected (AS345)", which is about nested attachments (an attachment inside an attachment).',
  );
  assert.equal(
    c.action,
    'Read the text: with AS345, send without attachments nested in other attachments; otherwise ask the recipient organisation.',
  );
});

test('inference is labelled as ours: 4.7.650 and RP-001, 4.7.652 and other MX hosts, skip-mx', () => {
  assert.equal(
    codeById('4.7.650')!.meaning,
    "Outlook.com is deferring mail from this IP because of its reputation. It can last from hours to days. (Our reading, not Microsoft's: it plays the part RP-001 plays, so the recommended list backs off from it the same way.)",
  );
  const conn = codeById('4.7.652')!;
  assert.equal(
    conn.action,
    "Lower the number of concurrent connections to Microsoft. (Our reading, not Microsoft's: the limit seems to count the IP's connections to all of Outlook.com's MX hosts together, so trying another MX host would likely meet it again.)",
  );
  assert.ok(!/skip-mx|pointless|one pool/.test(conn.pmta + conn.meaning));
  for (const c of MICROSOFT_CODES)
    assert.ok(!/modern form of|are one pool|is pointless/.test(c.meaning + c.action + c.pmta), c.id);
  // the skip-mx action hover
  const text = '<smtp-pattern-list p>\n    reply /4\\.7\\.652/ skip-mx\n</smtp-pattern-list>\n';
  const doc = TextDocument.create('file:///facts/skip.pmta', 'powermta', 1, text);
  const h = service.hover(doc, doc.positionAt(text.indexOf('skip-mx') + 2));
  assert.equal(
    (h?.contents as MarkupContent).value,
    '**skip-mx** — smtp-pattern-list action\n\nGives up on this MX host for now and tries the next one.',
  );
});

test('4.4.7: how long Exchange Online retries depends on the version of the article', () => {
  assert.equal(
    codeById('4.4.7')!.meaning,
    "Exchange Online, sending, gave up after retrying. How long it tries depends: versions of Microsoft's article say it retries over 24 hours and reports after 24 hours, or retries over 24 hours and reports after two days, or retries over two days. Seen when Microsoft 365 is the sending side.",
  );
});

test('codes that fell back to the generic RFC meaning now have their own entries', () => {
  const expect: Array<[string, string, string, MicrosoftCode['system'], MicrosoftCode['removal']['path']]> = [
    ['4.4.316', '4.4.316', 'Connection refused by the destination (Microsoft 365 sending)', 'microsoft-365', 'none'],
    ['5.1.0', '5.1.0', 'Sender denied', 'microsoft-365', 'none'],
    ['5.1.8', '5.1.8', 'Bad outbound sender (account blocked for spam)', 'microsoft-365', 'tenant-admin'],
    ['5.3.190', '5.3.190', 'Journaling to Microsoft 365 not supported', 'microsoft-365', 'none'],
    ['5.4.8', '5.4.8', 'MX host failed MTA-STS validation (permanent)', 'microsoft-365', 'none'],
    ['4.4.8', '4.4.8', 'MX host failed MTA-STS validation (temporary)', 'microsoft-365', 'none'],
    ['5.7.5', '5.7.5', 'Certificate failed MTA-STS validation (permanent)', 'microsoft-365', 'none'],
    ['4.7.5', '4.7.5', 'Certificate failed MTA-STS validation (temporary)', 'microsoft-365', 'none'],
    ['5.7.321', '5.7.321-325', 'DANE / DNSSEC delivery failure (permanent)', 'microsoft-365', 'none'],
    ['5.7.325', '5.7.321-325', 'DANE / DNSSEC delivery failure (permanent)', 'microsoft-365', 'none'],
    ['4.7.323', '4.7.321-325', 'DANE / DNSSEC delivery failure (temporary)', 'microsoft-365', 'none'],
    ['5.7.700', '5.7.700-749', 'Tenant blocked from sending', 'microsoft-365', 'microsoft-support'],
    ['5.7.749', '5.7.700-749', 'Tenant blocked from sending', 'microsoft-365', 'microsoft-support'],
    ['5.7.705', '5.7.705', 'Tenant exceeded threshold', 'microsoft-365', 'microsoft-support'],
    ['5.7.750', '5.7.750', 'Sending from unregistered domains', 'microsoft-365', 'tenant-admin'],
    ['5.7.520', '5.7.520', 'External forwarding blocked (Microsoft 365 sending)', 'microsoft-365', 'tenant-admin'],
    [
      'AS3160',
      'AS3160',
      'Anti-spam tag AS3160 (an Outlook.com block, by our reading)',
      'outlook.com',
      'outlook-sender-support',
    ],
    ['AS844', 'AS844', 'Anti-spam tag AS844 (a "server busy" deferral, by our reading)', 'outlook.com', 'none'],
  ];
  for (const [code, id, title, system, path] of expect) {
    const c = codeById(code);
    assert.deepEqual([c?.id, c?.title, c?.system, c?.removal.path], [id, title, system, path], code);
  }
  assert.equal(
    codeById('5.7.750')!.removal.steps,
    "Only for Microsoft 365 senders: the organisation's admin adds and validates every domain it sends from; a tenant blocked after a compromise asks Microsoft support to lift the block.",
  );
  assert.equal(codeById('5.1.8')!.removal.where, 'https://security.microsoft.com/restrictedusers');
  assert.equal(codeById('AS3160')!.certainty, 'I');
  assert.equal(codeById('AS844')!.certainty, 'I');
  // the tags are found in replies; each bounce line gets its own explanation
  const tag = service.explainReply(
    "550 5.7.1 Unfortunately, messages from [203.0.113.10] weren't sent. Please contact your Internet service provider since part of their network is on our block list (AS3160).",
  );
  assert.deepEqual(
    tag.codes.map((c) => c.id),
    ['AS3160', '5.7.1'],
  );
  const busy = service.explainReply('451 4.7.500 Server busy. Please try again later from [203.0.113.10]. (AS844)');
  assert.deepEqual(
    busy.codes.map((c) => c.id),
    ['4.7.500', 'AS844'],
  );
});

test("Outlook.com's Sender ID failure is explained from the postmaster page", () => {
  const e = service.explainReply('550 command rejected due to Sender ID validation failure.');
  assert.deepEqual(
    e.codes.map((c) => [c.id, c.written, c.system]),
    [['sender-id', 'Sender ID validation failure', 'outlook.com']],
  );
  assert.ok(
    e.markdown.startsWith(
      "One Microsoft code found: `Sender ID validation failure`.\n\n**550 … Sender ID validation failure** — Sender ID validation failure: the domain's SPF record allows no IP *(Outlook.com reply, permanent: the recipient bounces)*\n\nWritten here as `Sender ID validation failure`.\n\nOutlook.com refuses mail from a domain whose SPF (Sender ID) record says that no IP may send for it, such as `v=spf1 -all`, the record owners publish for domains that send no mail.",
    ),
    e.markdown,
  );
  assert.deepEqual(line(e.markdown, 'Documented'), [
    "**Documented:** in Outlook.com's postmaster troubleshooting page.",
  ]);
});

// ------------------------------------------------------------------------------------------------
// the catalog

test("max-rcpt-per-message: the User's Guide gives 0 in one place and 1000 through its alias, and the hover says so", () => {
  const h = directiveMarkdown(getDirective('max-rcpt-per-message')!);
  assert.ok(
    h.includes(
      "\n\nA whole number or `unlimited` (0 and `unlimited` mean no limit). In `<source>` the User's Guide gives the default 0. In `<domain>` it contradicts itself: its section on `max-rcpt-per-message` gives the default 0 (no limit), while the section on its alias `max-rcpt-per-transaction` and its list of queue settings (`show settings`) give 1000. Set it explicitly rather than rely on either.\n\n",
    ),
    h,
  );
  assert.ok(
    h.endsWith(
      "*Source: PowerMTA User's Guide, section 3.3.7.36; PowerMTA User's Guide, section 3.3.10.74; PowerMTA User's Guide, section 3.3.10.73; PowerMTA User's Guide, section 6.3.16*",
    ),
    h,
  );
  assert.ok(!/- \*\*Default:\*\*/.test(h), 'no single default is claimed');
});

test('<mx-rollup-list> cites what documents it, not the section of another directive', () => {
  const b = getBlock('mx-rollup-list')!;
  assert.ok(!b.source.includes('3.3.10.49'), '3.3.10.49 documents max-cold-virtual-mta-msg');
  const h = blockMarkdown(b);
  assert.ok(
    h.includes(
      "\n\nThe User's Guide has no section on this block: it names the MX rollup feature under `disable-mx-rollup` (3.3.10.93), which keeps a domain out of the rollup, and under `mx-connection-limit` (3.3.1.48.1), as the better tool. The syntax here is the one real configurations use.\n\n",
    ),
    h,
  );
  assert.ok(
    h.endsWith(
      "*Source: real-world configurations; PowerMTA User's Guide, section 3.3.10.93; PowerMTA User's Guide, section 3.3.1.48.1*",
    ),
    h,
  );
  assert.equal(getDirective('max-cold-virtual-mta-msg')!.source, 'UG 3.3.10.49');
});
