import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  analyzeMxPattern,
  codeById,
  patternEntryLabel,
  findMicrosoftCodes,
  isMicrosoftConsumerDomain,
  microsoftDomainCertainty,
  microsoftTierForVolume,
  missingPatternEntries,
  mxPatternCoversMicrosoftConsumer,
  patternListCoversCode,
  renderMicrosoftBackoffDirectives,
  renderMicrosoftPatternList,
  renderPatternEntry,
  MICROSOFT_BACKOFF_DIRECTIVES,
  MICROSOFT_CODES,
  MICROSOFT_CONNECTION_BUDGET,
  MICROSOFT_CONSUMER_DOMAINS,
  MICROSOFT_CONSUMER_MX_SUFFIX,
  MICROSOFT_NOT_CONSUMER_DOMAINS,
  MICROSOFT_PATTERN_ENTRIES,
  MICROSOFT_PATTERN_LIST_NAME,
  MICROSOFT_POLICY_MAX_CONNECTIONS,
  MICROSOFT_TIERS,
  GUIDE_ROLLUP_DOMAINS,
} from '../../server/src/knowledge/microsoft';

// ------------------------------------------------------------------------------------------------
// domains

test('consumer domain lookup is case-insensitive and tolerant of dots, spaces and addresses', () => {
  assert.equal(isMicrosoftConsumerDomain('hotmail.com'), true);
  assert.equal(isMicrosoftConsumerDomain('HOTMAIL.CO.UK'), true);
  assert.equal(isMicrosoftConsumerDomain(' Outlook.com. '), true);
  assert.equal(isMicrosoftConsumerDomain('someone@Live.DE'), true);
  assert.equal(isMicrosoftConsumerDomain('hotmail.ch'), true); // probable
  assert.equal(isMicrosoftConsumerDomain('gmail.com'), false);
  assert.equal(isMicrosoftConsumerDomain('charter.com'), false);
  assert.equal(isMicrosoftConsumerDomain('outlook.co.uk'), false);
  assert.equal(isMicrosoftConsumerDomain('mail.hotmail.com'), false);
  assert.equal(microsoftDomainCertainty('Hotmail.com'), 'certain');
  assert.equal(microsoftDomainCertainty('HOTMAIL.CH'), 'probable');
  assert.equal(microsoftDomainCertainty('example.com'), undefined);
});

test('domain lists: 102 certain ISPDB domains, no duplicates, no excluded partners', () => {
  const certain = MICROSOFT_CONSUMER_DOMAINS.filter((d) => d.certainty === 'certain');
  assert.equal(certain.length, 102);
  const names = MICROSOFT_CONSUMER_DOMAINS.map((d) => d.domain);
  assert.equal(new Set(names).size, names.length);
  for (const n of names) assert.equal(n, n.toLowerCase());
  for (const x of MICROSOFT_NOT_CONSUMER_DOMAINS) assert.ok(!names.includes(x.domain), x.domain);
});

test("the guide's rollup (outlook.com + nine variants) is a subset of the certain consumer domains", () => {
  assert.equal(GUIDE_ROLLUP_DOMAINS.length, 10);
  assert.ok(GUIDE_ROLLUP_DOMAINS.includes('outlook.com'));
  for (const d of GUIDE_ROLLUP_DOMAINS) assert.equal(microsoftDomainCertainty(d), 'certain', d);
});

test('mx-rollup patterns: which wildcards really cover the consumer MX hosts', () => {
  assert.equal(MICROSOFT_CONSUMER_MX_SUFFIX, '.olc.protection.outlook.com');
  assert.equal(mxPatternCoversMicrosoftConsumer('*.olc.protection.outlook.com'), true);
  assert.equal(mxPatternCoversMicrosoftConsumer('*.OLC.Protection.Outlook.com.'), true);
  assert.equal(mxPatternCoversMicrosoftConsumer('[*.]olc.protection.outlook.com'), true);
  assert.equal(mxPatternCoversMicrosoftConsumer('*.protection.outlook.com'), true);
  assert.equal(mxPatternCoversMicrosoftConsumer('*.outlook.com'), true);
  assert.equal(mxPatternCoversMicrosoftConsumer('*.hotmail.com'), false);
  assert.equal(mxPatternCoversMicrosoftConsumer('mx*.hotmail.com'), false);
  assert.equal(mxPatternCoversMicrosoftConsumer('*.live.com'), false);
  assert.equal(mxPatternCoversMicrosoftConsumer('olc.protection.outlook.com'), false);
  assert.equal(mxPatternCoversMicrosoftConsumer('hotmail-com.olc.protection.outlook.com'), false);

  assert.deepEqual(analyzeMxPattern('*.olc.protection.outlook.com'), {
    consumer: 'all',
    includesM365: false,
    tooBroad: false,
  });
  assert.deepEqual(analyzeMxPattern('*.protection.outlook.com'), {
    consumer: 'all',
    includesM365: true,
    tooBroad: false,
  });
  assert.deepEqual(analyzeMxPattern('*.outlook.com'), { consumer: 'all', includesM365: true, tooBroad: false });
  assert.deepEqual(analyzeMxPattern('hotmail-com.olc.protection.outlook.com'), {
    consumer: 'some',
    includesM365: false,
    tooBroad: false,
  });
  assert.deepEqual(analyzeMxPattern('*.com'), { consumer: 'all', includesM365: true, tooBroad: true });
  assert.deepEqual(analyzeMxPattern('*.google.com'), { consumer: 'none', includesM365: false, tooBroad: true });
  assert.deepEqual(analyzeMxPattern(''), { consumer: 'none', includesM365: false, tooBroad: false });
});

// ------------------------------------------------------------------------------------------------
// codes

test('code ids are unique, every code has the required fields and a sample reply', () => {
  const ids = MICROSOFT_CODES.map((c) => c.id.toUpperCase());
  assert.equal(new Set(ids).size, ids.length);
  for (const c of MICROSOFT_CODES) {
    assert.ok(c.title && c.meaning && c.action && c.pmta && c.source && c.sampleReply, c.id);
    if (c.smtp) assert.ok(c.sampleReply.startsWith(c.smtp), `${c.id} sample starts with ${c.smtp}`);
    if (c.smtp) assert.equal(c.temporary, c.smtp.startsWith('4'), `${c.id} temporary matches its reply class`);
  }
});

test('codeById: ids, aliases, case and ranges (exact ids win over ranges)', () => {
  assert.equal(codeById('rp-001')?.id, 'RP-001');
  assert.equal(codeById('S3140')?.id, 'S3150');
  assert.equal(codeById('as3150')?.id, 'S3150');
  assert.equal(codeById('S775')?.id, '4.7.650');
  assert.equal(codeById('5.7.606')?.id, '5.7.606-649');
  assert.equal(codeById('5.7.649')?.id, '5.7.606-649');
  assert.equal(codeById('5.7.650'), undefined);
  assert.equal(codeById('4.7.500')?.id, '4.7.500');
  assert.equal(codeById('4.7.501')?.id, '4.7.500-699');
  assert.equal(codeById('4.7.875')?.id, '4.7.850-899');
  assert.equal(codeById('5.7.503')?.id, '5.7.502');
  assert.equal(codeById('nonsense'), undefined);
});

test("the guide's table codes are all present, with its disagreements recorded", () => {
  for (const id of ['RP-001', 'RP-002', 'RP-003', 'S3150', '5.7.509', '5.7.606-649', '4.7.500', '5.7.510']) {
    const c = codeById(id);
    assert.ok(c, id);
    assert.ok(c.guideSays, `${id} has guideSays`);
  }
  assert.match(codeById('RP-002')!.meaning, /single connection/);
  assert.match(codeById('RP-003')!.meaning, /connections/);
  assert.match(codeById('5.7.510')!.meaning, /IPv6/);
  assert.match(codeById('5.7.606')!.action, /sender\.office\.com/);
});

test('findMicrosoftCodes: exact offsets on real lines', () => {
  const ids = (line: string) =>
    findMicrosoftCodes(line).map((m) => [m.start, m.end, m.code.id, m.covers.map((c) => c.id)]);

  assert.deepEqual(ids('reply /RP-00[12]/ mode=backoff'), [[7, 16, 'RP-001', ['RP-001', 'RP-002']]]);
  assert.deepEqual(ids('  reply /RP-00[123]/ mode=backoff'), [[9, 19, 'RP-001', ['RP-001', 'RP-002', 'RP-003']]]);
  assert.deepEqual(ids('reply /4\\.7\\.650/ mode=backoff'), [[7, 16, '4.7.650', ['4.7.650']]]);
  assert.deepEqual(ids('"550 5.7.606" bounce type=administrative'), [[5, 12, '5.7.606-649', ['5.7.606-649']]]);
  assert.deepEqual(ids('"421 4.7.0 RP-001" retry-after=4h'), [[11, 17, 'RP-001', ['RP-001']]]);
  assert.deepEqual(ids('reply /5\\.7\\.6[0-4][0-9]/ mode=backoff'), [[7, 24, '5.7.606-649', ['5.7.606-649']]]);
  assert.deepEqual(ids('reply /5\\.7\\.6(0[6-9]|[1-4][0-9])|banned/ x'), [[7, 33, '5.7.606-649', ['5.7.606-649']]]);
  assert.deepEqual(ids('reply /4\\.7\\.5\\d\\d/ mode=backoff'), [[7, 18, '4.7.500', ['4.7.500', '4.7.500-699']]]);
  assert.deepEqual(ids('reply /\\(A?S31[45]0\\)/ mode=backoff'), [[11, 19, 'S3150', ['S3150']]]);
  assert.deepEqual(ids('reply /RP-00(1|2)/ mode=backoff'), [[7, 17, 'RP-001', ['RP-001', 'RP-002']]]);
  assert.deepEqual(ids('reply /(RP-001|RP-002)/ mode=backoff'), [
    [8, 14, 'RP-001', ['RP-001']],
    [15, 21, 'RP-002', ['RP-002']],
  ]);

  const blockLine =
    "550 5.7.1 Unfortunately, messages from [203.0.113.10] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150).";
  const s = blockLine.indexOf('S3150');
  assert.equal(s, 164);
  assert.deepEqual(ids(blockLine), [
    [4, 9, '5.7.1', ['5.7.1']],
    [164, 169, 'S3150', ['S3150']],
  ]);

  assert.deepEqual(
    ids('451 4.7.652 The mail server [203.0.113.10] has exceeded the maximum number of connections. (S3115)'),
    [
      [4, 11, '4.7.652', ['4.7.652']],
      [92, 97, '4.7.652', ['4.7.652']],
    ],
  );
  // offsets are UTF-16 code units: the emoji takes two
  assert.deepEqual(ids('# 😀 RP-003'), [[5, 11, 'RP-003', ['RP-003']]]);
  // lower case in a case-insensitive pattern
  assert.deepEqual(ids('reply /rp-001/ mode=backoff'), [[7, 13, 'RP-001', ['RP-001']]]);
});

test('findMicrosoftCodes: no false positives', () => {
  for (const line of [
    'smtp-source-host 203.0.113.10 mail.example.com',
    'ip 40.92.0.0/14 and 5.7.1.2',
    'version 1.2.3 and 2.0.0 OK',
    'reply /\\S3150/ mode=backoff',
    'XRP-001 and RP-0012 and RP-004',
    'reply /RP-\\d+/ mode=backoff',
    'max-msg-rate 250/h',
    'retry-after 10m,10m,1h,4h',
  ]) {
    assert.deepEqual(findMicrosoftCodes(line), [], line);
  }
});

test('findMicrosoftCodes finds each code in its own sample reply', () => {
  for (const c of MICROSOFT_CODES) {
    // no code token exists for these: they are told by their words
    if (['msgs-per-connection', 'block-list', 'policy-reasons'].includes(c.id)) continue;
    const hits = findMicrosoftCodes(c.sampleReply);
    // a range's sample may show a code of the range that has an entry of its own (5.7.705 in 5.7.700-749)
    const inRange = (id: string) =>
      !!c.range &&
      id.split('.').slice(0, 2).join('.') === c.range.from.split('.').slice(0, 2).join('.') &&
      Number(id.split('.')[2]) >= Number(c.range.from.split('.')[2]) &&
      Number(id.split('.')[2]) <= Number(c.range.to.split('.')[2]);
    assert.ok(
      hits.some((h) => h.covers.includes(c) || inRange(h.code.id)),
      `${c.id} in "${c.sampleReply}"`,
    );
  }
});

// ------------------------------------------------------------------------------------------------
// pattern list

const ACTIONS = new Set([
  'mode',
  'backoff-to-normal-after',
  'skip-mx',
  'bounce-queue',
  'bounce-rcpt',
  'defer-queue',
  'disable-source-ip',
  'reenable-after',
]);

/** PowerMTA's constraints on one rule's actions (UG 3.3.15). */
function actionProblems(actions: string): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  const items = actions.split(',');
  if (!actions.trim()) problems.push('no action');
  for (const item of items) {
    const [key, value] = item.split('=');
    if (!ACTIONS.has(key)) problems.push(`unknown action ${key}`);
    if (seen.has(key)) problems.push(`duplicate ${key}`);
    if (key === 'mode' && value !== 'backoff' && value !== 'normal') problems.push(`bad mode ${value}`);
    if ((key === 'backoff-to-normal-after' || key === 'reenable-after') && !/^(\d+[wdhms])+$/.test(value ?? ''))
      problems.push(`${key} needs a duration`);
    if (key === 'backoff-to-normal-after' && seen.get('mode') !== 'backoff')
      problems.push('backoff-to-normal-after without mode=backoff before it');
    if (key === 'reenable-after' && !seen.has('disable-source-ip'))
      problems.push('reenable-after without disable-source-ip');
    seen.set(key, value ?? '');
  }
  if (actions.includes('mode=backoff') && actions.includes('mode=normal'))
    problems.push('mode=backoff with mode=normal');
  if (seen.has('skip-mx') && seen.has('bounce-queue')) problems.push('skip-mx with bounce-queue');
  return problems;
}

test('the action checker itself rejects the forbidden combinations', () => {
  assert.ok(actionProblems('mode=backoff,mode=normal').length > 0);
  assert.ok(actionProblems('skip-mx,bounce-queue').length > 0);
  assert.ok(actionProblems('reenable-after=1h').length > 0);
  assert.ok(actionProblems('backoff-to-normal-after=1h,mode=backoff').length > 0);
  assert.ok(actionProblems('retry-after=4h').length > 0);
  assert.deepEqual(actionProblems('disable-source-ip,reenable-after=1h'), []);
});

test("every pattern entry compiles, matches its codes' samples, and uses legal actions", () => {
  for (const e of MICROSOFT_PATTERN_ENTRIES) {
    assert.equal(e.covers[0], e.codeId);
    // a reply without a code is shown by what it says, never by an id of ours
    if (!e.covers.every((id) => /^(\d\.\d\.\d{1,3}(-\d{3})?|[A-Z]{2}-\d{3}|A?S\d+)$/.test(id)))
      assert.ok(e.label && !e.label.includes(e.codeId), e.codeId);
    assert.equal(patternEntryLabel(e), e.label ?? e.covers.join('/'));
    assert.deepEqual(actionProblems(e.actions), [], `${e.codeId}: ${e.actions}`);
    assert.ok(!e.actions.includes('bounce-queue'), `${e.codeId} must not bounce the whole queue`);
    assert.ok(!/(^|[^\\])\//.test(e.regex), `${e.codeId}: unescaped slash`);
    assert.ok(!e.regex.includes('#'), `${e.codeId}: # must be written \\x23`);
    assert.ok(e.comment.length > 0 && !e.comment.includes('\n'));
    const re = new RegExp(e.regex, 'i');
    for (const id of e.covers) {
      const code = codeById(id);
      assert.ok(code, id);
      assert.ok(re.test(code.sampleReply), `${e.codeId} regex /${e.regex}/ matches the ${id} sample`);
      // first match wins in PowerMTA: no earlier entry may capture this code's sample
      const first = MICROSOFT_PATTERN_ENTRIES.find((x) => new RegExp(x.regex, 'i').test(code.sampleReply));
      assert.equal(first, e, `${id} is handled by its own entry, not by ${first?.codeId}`);
    }
  }
});

test("pattern entries cover every code of the guide's table and the important wild ones", () => {
  const covered = new Set(MICROSOFT_PATTERN_ENTRIES.flatMap((e) => e.covers));
  for (const id of [
    'RP-001',
    'RP-002',
    'RP-003',
    'S3150',
    '5.7.509',
    '5.7.606-649',
    '4.7.500',
    '5.7.510',
    '4.7.650',
    '4.7.651',
    '4.7.652',
    'SC-001',
    'SC-002',
    'SC-003',
    'SC-004',
    'OU-001',
    'OU-002',
    'DY-001',
    'DY-002',
    '5.7.515',
  ]) {
    assert.ok(covered.has(id), id);
  }
  // throttles back off; server busy does not
  const byId = (id: string) => MICROSOFT_PATTERN_ENTRIES.find((e) => e.covers.includes(id))!;
  assert.equal(byId('RP-001').actions, 'mode=backoff,backoff-to-normal-after=4h');
  assert.equal(byId('RP-002').actions, 'mode=backoff,backoff-to-normal-after=2h');
  assert.ok(!byId('4.7.500').actions.includes('mode='));
});

test('backoff directives are valid PowerMTA values', () => {
  const names = MICROSOFT_BACKOFF_DIRECTIVES.map((d) => d.name);
  assert.deepEqual(names, ['backoff-max-smtp-out', 'backoff-retry-after', 'backoff-max-msg-rate']);
  for (const d of MICROSOFT_BACKOFF_DIRECTIVES) {
    if (d.name === 'backoff-max-smtp-out') assert.match(d.value, /^\d+$/);
    if (d.name === 'backoff-retry-after') assert.match(d.value, /^(\d+[wdhms])+(,(\d+[wdhms])+)*$/);
    if (d.name === 'backoff-max-msg-rate') assert.match(d.value, /^[1-9]\d*\/\d*(s|m|h|d)$/);
  }
  assert.equal(
    renderMicrosoftBackoffDirectives('  ', '\n'),
    '  backoff-max-smtp-out 2   # common advice: fewer connections while throttled (RP-002)\n' +
      '  backoff-retry-after 30m,2h,4h   # common advice: 30m, then 2h (RP-002), then 4h (RP-001) while throttled\n' +
      '  backoff-max-msg-rate 60/h   # about one message a minute while throttled',
  );
});

test('patternListCoversCode: positive and negative cases', () => {
  assert.equal(patternListCoversCode(['RP-00[123]'], 'RP-002'), true);
  assert.equal(patternListCoversCode(['exceeded the rate limit'], 'RP-001'), true);
  assert.equal(patternListCoversCode(['exceeded the connection limit'], 'RP-003'), true);
  assert.equal(patternListCoversCode(['rp-001'], 'RP-001'), true); // case-insensitive like PowerMTA
  assert.equal(patternListCoversCode(['(?i)rp-001'], 'RP-001'), true);
  assert.equal(patternListCoversCode(['(?-i)rp-001'], 'RP-001'), false);
  assert.equal(patternListCoversCode(['^421 .*RP-00[123]'], 'RP-001'), true);
  // the guide's literal pattern requires an enhanced code Microsoft does not publish
  assert.equal(patternListCoversCode(['421 4\\.7\\.0 RP-001'], 'RP-001'), false);
  assert.equal(patternListCoversCode(['RP-001'], 'RP-002'), false);
  assert.equal(patternListCoversCode(['(unclosed', 'also[bad'], 'RP-001'), false);
  assert.equal(patternListCoversCode(['mail.live.com\\/mail\\/troubleshooting.aspx'], 'S3150'), true);
  assert.equal(patternListCoversCode(['Mail rejected by Windows Live Hotmail for policy reasons'], 'SC-001'), false);
  assert.equal(patternListCoversCode(['.*'], 'no-such-code'), false);
  // codes no recommended entry covers are judged on their sample reply too, by id or alias in any case
  assert.equal(patternListCoversCode(['PFA agent busy'], '4.7.700'), true);
  assert.equal(patternListCoversCode(['(?-i)pfa agent busy'], '4.7.700'), false);
  assert.equal(patternListCoversCode(['\\(AS3160\\)'], 'as3160'), true);
  assert.equal(patternListCoversCode([], 'RP-001'), false);

  const all = MICROSOFT_PATTERN_ENTRIES.map((e) => e.regex);
  assert.deepEqual(missingPatternEntries(all), []);
  const missing = missingPatternEntries(['RP-00[123]']).map((e) => e.codeId);
  assert.ok(!missing.includes('RP-001') && !missing.includes('RP-003'));
  assert.ok(missing.includes('4.7.650') && missing.includes('S3150'));
});

test('renderMicrosoftPatternList: exact text for a two-entry list', () => {
  assert.equal(MICROSOFT_PATTERN_LIST_NAME, 'microsoft-errors');
  const two = [MICROSOFT_PATTERN_ENTRIES[0], MICROSOFT_PATTERN_ENTRIES.find((e) => e.codeId === 'SC-001')!];
  assert.equal(
    renderMicrosoftPatternList('    ', '\n', two),
    '<smtp-pattern-list microsoft-errors>\n' +
      '    # RP-001: reputation rate limit; common advice: stop, check SNDS, stay slowed for at least 4h\n' +
      '    reply /RP-001/ mode=backoff,backoff-to-normal-after=4h\n' +
      '    # SC-001/SC-002/SC-003/SC-004: policy blocks (reputation, mining, open relay, complaints); fix, then request mitigation\n' +
      '    reply /SC-00[1-4]/ mode=backoff,backoff-to-normal-after=4h\n' +
      '</smtp-pattern-list>',
  );
  assert.equal(
    renderPatternEntry(MICROSOFT_PATTERN_ENTRIES[0], '\t', '\r\n'),
    '\t# RP-001: reputation rate limit; common advice: stop, check SNDS, stay slowed for at least 4h\r\n\treply /RP-001/ mode=backoff,backoff-to-normal-after=4h',
  );
  const full = renderMicrosoftPatternList('  ', '\r\n');
  assert.ok(full.startsWith('<smtp-pattern-list microsoft-errors>\r\n  # RP-001'));
  assert.ok(full.endsWith('\r\n</smtp-pattern-list>'));
  assert.equal(full.split('\r\n').length, 2 + 2 * MICROSOFT_PATTERN_ENTRIES.length);
  assert.ok(!full.replace(/\r\n/g, '').includes('\n'), 'only CRLF line breaks');
});

// ------------------------------------------------------------------------------------------------
// tiers and budgets

test("tiers match the guide's numbers, with valid PowerMTA connect rates", () => {
  assert.deepEqual(
    MICROSOFT_TIERS.map((t) => [t.id, t.maxSmtpOut, t.maxConnectRate, t.maxMsgRate, t.retryAfter]),
    [
      ['under-100k', 4, '0.5/s', '150/h', '20m'],
      ['100k-500k', 5, '1/s', '200/h', '20m'],
      ['500k-plus', 6, '1/s', '250/h', '15m'],
    ],
  );
  assert.deepEqual(
    MICROSOFT_TIERS.map((t) => t.maxConnectRatePmta),
    ['30/m', '1/s', '1/s'],
  );
  for (const t of MICROSOFT_TIERS) assert.match(t.maxConnectRatePmta, /^[1-9]\d*\/\d*(s|m|h)$/);
  assert.deepEqual(MICROSOFT_TIERS[2].poolSize, [6, 10]);
  assert.equal(MICROSOFT_CONNECTION_BUDGET, 10 * 6);
  assert.equal(MICROSOFT_POLICY_MAX_CONNECTIONS, 500);
  assert.equal(microsoftTierForVolume(50_000).id, 'under-100k');
  assert.equal(microsoftTierForVolume(100_000).id, '100k-500k');
  assert.equal(microsoftTierForVolume(2_000_000).id, '500k-plus');
});
