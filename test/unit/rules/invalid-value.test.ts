/** The `invalid-value` rule: values that do not fit their directive, malformed pattern rules and block arguments (its big expected texts are in test/fixtures/rules/invalid-value/). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lint, show } from '../../helpers/util';
import { applyFix, fixture, only } from '../../helpers/ruleTests';
import { applyChanges } from '../../../server/src/features/codeActions';
import type { Finding } from '../../../server/src/findings';

test('invalid-value: rates, durations, booleans, integers', () => {
  const text = [
    '<domain a.com>',
    '    max-msg-rate 200/hour',
    '    retry-after 20min',
    '    use-starttls maybe',
    '    max-smtp-out five',
    '    max-msg-rate 0.5/s',
    '</domain>',
    '',
  ].join('\n');
  const f = only(text, 'invalid-value');
  assert.deepEqual(
    f.map((x) => text.slice(x.span.start, x.span.end)),
    ['200/hour', '20min', 'maybe', 'five', '0.5/s'],
  );
  assert.match(f[4].message, /whole number: write 30\/m instead of 0\.5\/s/);
  assert.equal(applyFix(text, f[4]).includes('max-msg-rate 30/m'), true);
});

test('invalid-value: the guide\'s "max-smtp-out tuning 5" keeps the number', () => {
  const text = '<domain a.com>\nmax-smtp-out tuning 5\n</domain>\n';
  const f = only(text, 'invalid-value');
  assert.equal(f.length, 1);
  assert.equal(applyFix(text, f[0]), '<domain a.com>\nmax-smtp-out 5\n</domain>\n');
});

test('invalid-value: valid values are accepted', () => {
  const text = [
    'smtp-listener 0/0:25',
    'http-access 10.1.0/24 admin',
    '<domain [*.]example.com>',
    '    max-msg-rate 1/2s',
    '    max-connect-rate 30/m',
    '    retry-after 10m,1h,4h',
    '    bounce-after 4d12h',
    '    backoff-notify ""',
    '    use-starttls yes',
    '</domain>',
    '<virtual-mta v>',
    '    smtp-source-host 2001:db8::1 v6.example.com',
    '</virtual-mta>',
    '',
  ].join('\n');
  assert.deepEqual(show(text, only(text, 'invalid-value')), []);
});

test('invalid-value: pattern rules and block arguments', () => {
  const text = [
    '<smtp-pattern-list p>',
    '    reply /RP-001/ retry-after=4h',
    '    reply /x/ backoff-to-normal-after=1h',
    '    reply /unclosed mode=backoff',
    '    bounce /x/ mode=backoff',
    '</smtp-pattern-list>',
    '<domain not a domain>',
    '</domain>',
    '',
  ].join('\n');
  const msgs = show(text, only(text, 'invalid-value'));
  assert.deepEqual(msgs, [
    '2:20-2:34 "retry-after=4h" | Unknown pattern action "retry-after" (there is no per-pattern retry-after: use mode=backoff and backoff-retry-after in the domain); actions are mode, backoff-to-normal-after, skip-mx, bounce-queue, bounce-rcpt, defer-queue, disable-source-ip, reenable-after',
    '3:15-3:41 "backoff-to-normal-after=1h" | backoff-to-normal-after needs mode=backoff before it',
    '4:11-4:33 "/unclosed mode=backoff" | The regular expression is not closed with "/" (a pattern must fit on one line)',
    '5:5-5:11 "bounce" | Expected "reply /regex/ actions" in <smtp-pattern-list>',
    '7:9-7:21 "not a domain" | "not a domain" is not a domain pattern (use *, example.com, *.example.com, [*.]example.com, [ip/mask] or $macro)',
  ]);
});

test('invalid-value: template placeholders are not checked', () => {
  const text = '<virtual-mta v>\nsmtp-source-host {{ip}} {{domain}}\n</virtual-mta>\nsmtp-listener IP1_ADDRESS:25\n';
  assert.deepEqual(only(text, 'invalid-value'), []);
});

test('invalid-value: a pattern wrapped over several lines is one finding, with a fix that joins it', () => {
  const text = fixture('invalid-value/wrapped-pattern.pmta');
  const found = only(text, 'invalid-value');
  assert.deepEqual(show(text, found), [
    '2:5-5:29 "/(user|mailbox) (has|is)? *(currently|temporarily \\n+)?(disabled|not\\n\\nactivated)/ inactive-mailbox" | This pattern is wrapped over 4 lines (its closing "/" is on line 5); PowerMTA reads one pattern per line, so none of these lines works. Join them into one line.',
    '6:5-9:21 "/does not \\nexist|bad|\\n\\ninvalid/ bad-mailbox" | This pattern is wrapped over 4 lines (its closing "/" is on line 9); PowerMTA reads one pattern per line, so none of these lines works. Join them into one line.',
  ]);
  assert.equal(found[0].fixes[0].title, 'Join the 4 lines of this pattern into one');
  assert.equal(found[0].fixes[0].safe, false);
  // a space comes back between two words a blank line separated, not after a "|"
  let fixed = applyFix(text, found[0]);
  fixed = applyFix(fixed, only(fixed, 'invalid-value')[0]);
  assert.equal(fixed, fixture('invalid-value/wrapped-pattern.fixed.pmta'));
  assert.deepEqual(lint(fixed), []);
});

test('invalid-value: placeholders in any style are not checked (yourip, YourIP, your-domain.com, YOUR_IP)', () => {
  const text = [
    '<virtual-mta v1>',
    '    smtp-source-host yourip yourdomain.com',
    '</virtual-mta>',
    '<virtual-mta v2>',
    '    smtp-source-host YourIP your-domain.com',
    '</virtual-mta>',
    '<virtual-mta v3>',
    '    smtp-source-host YOUR_IP mail.yourdomain.com',
    '</virtual-mta>',
    '<virtual-mta v4>',
    '    smtp-source-host 192.0.2.1 mail.example.com',
    '    max-smtp-out CHANGEME',
    '</virtual-mta>',
    '',
  ].join('\n');
  assert.deepEqual(show(text, lint(text)), []);
  // a value that is no placeholder is still checked
  const bad = 'smtp-source-host your.ip.here\nsmtp-source-host myip mail.example.com\n';
  assert.deepEqual(show(bad, lint(bad), 'invalid-value'), [
    '2:18-2:22 "myip" | smtp-source-host: "myip": expected an IP address followed by a host name',
  ]);
});

/** The findings of invalid-value with their fixes as "title => text after the fix (changed line)". */
function fixesOf(text: string, f: Finding): string[] {
  return f.fixes.map((fx) => {
    const after = applyChanges(text, fx.changes);
    const line = text.slice(0, f.span.start).split('\n').length - 1;
    return `${fx.title}${fx.safe ? ' (safe)' : ''}${fx.isPreferred ? ' (preferred)' : ''} => ${after.split('\n')[line]}`;
  });
}

test('invalid-value: records takes record types, comma-separated; "all" is none and spaces alone do not separate', () => {
  const text = [
    '<acct-file /var/log/pmta/acct.csv>',
    '    records all',
    '    records d b rb',
    '    records d,bounced,x',
    '</acct-file>',
    '',
  ].join('\n');
  const f = lint(text).filter((x) => x.rule === 'invalid-value');
  assert.deepEqual(show(text, f), [
    '2:13-2:16 "all" | records: "all" is not a record type; PowerMTA has no word for every type: list them (d,b,t,tq,r,f,rb,rs)',
    '3:13-3:19 "d b rb" | records: separate the record types with commas: d,b,rb',
    '4:15-4:22 "bounced" | records: "bounced" is not a record type (did you mean "bounce"?): write d, b, t, tq, r, f, rb or rs',
    '4:23-4:24 "x" | records: "x" is not a record type: write d, b, t, tq, r, f, rb or rs',
  ]);
  assert.deepEqual(
    f.map((x) => fixesOf(text, x)),
    [
      ['Change to d,b,t,tq,r,f,rb,rs =>     records d,b,t,tq,r,f,rb,rs'],
      ['Change to d,b,rb (safe) (preferred) =>     records d,b,rb'],
      ['Change to bounce (preferred) =>     records d,bounce,x'],
      [],
    ],
  );
  assert.equal(f[0].severity, 'error');
});

test('invalid-value: records accepts the long names, any case, and a space after each comma', () => {
  const text =
    '<acct-file /var/log/pmta/acct.csv>\n    records d, b, t, tq, r, rb, rs, f\n    records Delivery,REMOTE-BOUNCE,transient-queue,feedback-loop,receipt,remote-status\n</acct-file>\n';
  assert.deepEqual(show(text, lint(text)), []);
});

test('invalid-value: disable-acct-records takes d, b, t and tq only, and "" clears it', () => {
  const text =
    '<domain a.com>\n    disable-acct-records d,r\n</domain>\n<domain b.com>\n    disable-acct-records ""\n</domain>\n<domain c.com>\n    disable-acct-records d, b, t, tq\n</domain>\n';
  assert.deepEqual(show(text, lint(text)), [
    '2:28-2:29 "r" | disable-acct-records: "r" (messages received for delivery) cannot be used here: write d, b, t or tq',
  ]);
});

test('invalid-value: record-fields starts with a record type, then the fields', () => {
  const text =
    '<acct-file /var/log/pmta/acct.csv>\n    record-fields bounce timeLogged,orig,rcpt\n    record-fields d *,!dsnMta,header_Message-Id\n    record-fields all *\n    record-fields d\n</acct-file>\n';
  assert.deepEqual(show(text, lint(text)), [
    '4:19-4:22 "all" | record-fields: "all" is not a record type: write d, b, t, tq, r, f, rb or rs',
    '5:19-5:20 "d" | record-fields needs a record type and then the fields to write: record-fields TYPE FIELD,FIELD,…',
  ]);
});

test('invalid-value: map-header-to-field takes a record type but tq, a header_NAME and one field', () => {
  const text = [
    '<acct-file /var/log/pmta/acct.csv>',
    '    map-header-to-field b header_x-foo rcpt',
    '    map-header-to-field tq header_x-foo rcpt',
    '    map-header-to-field d x-foo rcpt',
    '    map-header-to-field d header_x-foo rcpt orig',
    '    map-header-to-field d header_x-foo',
    '</acct-file>',
    '',
  ].join('\n');
  assert.deepEqual(show(text, lint(text)), [
    '3:25-3:27 "tq" | map-header-to-field: "tq" (temporary failures of a whole queue) cannot be used here: write d, b, t, r, f, rb or rs',
    '4:27-4:32 "x-foo" | map-header-to-field: "x-foo": expected the header as header_NAME (header_X-Campaign): map-header-to-field TYPE header_NAME FIELD',
    '5:40-5:49 "rcpt orig" | map-header-to-field takes a record type, a header and one field; "rcpt orig" is more: map-header-to-field TYPE header_NAME FIELD',
    '6:25-6:39 "d header_x-foo" | map-header-to-field needs the accounting field the header goes into: map-header-to-field TYPE header_NAME FIELD',
  ]);
});

test('invalid-value: a domain macro name with characters other than letters, digits and underscores', () => {
  const text = [
    'domain-macro big-isps gmail.com, yahoo.com',
    'domain-macro -x a.com',
    'domain-macro good_1 a.com',
    'domain-macro {{name}} a.com',
    '<domain $big-isps>',
    '</domain>',
    '',
  ].join('\n');
  const f = only(text, 'invalid-value');
  assert.deepEqual(show(text, f), [
    '1:14-1:22 "big-isps" | "big-isps" cannot be a domain macro name: a name takes only letters, digits and underscores, not "-" ("$big-isps" in a domain is read as $big followed by "-isps").',
    '2:14-2:16 "-x" | "-x" cannot be a domain macro name: a name takes only letters, digits and underscores, not "-".',
  ]);
  assert.equal(f[0].severity, 'error');
  assert.deepEqual(f[0].fixes, []);
});

test('invalid-value: domain macros that contain themselves, directly or through others', () => {
  const text = [
    'domain-macro tld com, $Big',
    'domain-macro big yahoo.$tld, $other',
    'domain-macro other aol.com',
    'domain-macro self a.com, $self',
    'domain-macro user $tld',
    '<domain $user>',
    '</domain>',
    '',
  ].join('\n');
  const f = only(text, 'invalid-value');
  assert.deepEqual(show(text, f), [
    '1:14-1:17 "tld" | The domain macro "tld" contains itself through other macros ($tld → $big → $tld): PowerMTA refuses to load a configuration whose macros loop. Remove one of these uses so that no macro contains itself.',
    '2:14-2:17 "big" | The domain macro "big" contains itself through other macros ($big → $tld → $big): PowerMTA refuses to load a configuration whose macros loop. Remove one of these uses so that no macro contains itself.',
    '4:14-4:18 "self" | The domain macro "self" names itself ($self): PowerMTA refuses to load a configuration whose macros loop. Remove one of these uses so that no macro contains itself.',
  ]);
  assert.equal(f[0].severity, 'error');
});

test('invalid-value: a chain of thousands of domain macros is searched for loops in one pass', () => {
  const n = 5000;
  const lines = ['domain-macro m0 a.com'];
  for (let i = 1; i < n; i++) lines.push(`domain-macro m${i} $m${i - 1}, $m${Math.floor(i / 2)}`);
  const started = Date.now();
  assert.deepEqual(only(lines.join('\n') + '\n', 'invalid-value'), []);
  assert.ok(Date.now() - started < 5000);
});

test('invalid-value: a port above 65535 is no TCP port', () => {
  const text = [
    'http-mgmt-port 80800',
    'dummy-smtp-port 65535',
    '<domain a.com>',
    '    default-smtp-port 99999',
    '</domain>',
    '<domain b.com>',
    '    default-smtp-port 0',
    '</domain>',
    '',
  ].join('\n');
  const f = only(text, 'invalid-value');
  assert.deepEqual(show(text, f), [
    '1:16-1:21 "80800" | http-mgmt-port: "80800": expected a port number from 0 to 65535',
    '4:23-4:28 "99999" | default-smtp-port: "99999": expected a port number from 0 to 65535',
  ]);
});

test('invalid-value: http-access takes an address or range and one access level', () => {
  const text = [
    'http-access 127.0.0.1 admin',
    'http-access ::1 monitor',
    'http-access 10.1.0/24 monitor,deny-logs',
    'http-access 0/0 None',
    'http-access 10.0.0.0/33 monitor',
    'http-access 10.0.0.1 superuser',
    'http-access 10.0.0.2',
    'http-access 10.0.0.3 admin operator',
    'http-access {{ip}} admin',
    '',
  ].join('\n');
  const f = only(text, 'invalid-value');
  assert.deepEqual(show(text, f), [
    '5:13-5:24 "10.0.0.0/33" | http-access: "10.0.0.0/33": expected an IP address or range such as 127.0.0.1 or 10.0.0.0/8, then an access level',
    '6:22-6:31 "superuser" | http-access: "superuser" is not an access level: write none, monitor, operator or admin',
    '7:13-7:21 "10.0.0.2" | http-access needs an access level after the address: none, monitor, operator or admin',
    '8:28-8:36 "operator" | http-access takes an address and one access level; "operator" is extra',
  ]);
});

test('invalid-value: a pool with the name of a virtual MTA', () => {
  const text = [
    '<virtual-mta mta1>',
    '</virtual-mta>',
    '<virtual-mta mta2>',
    '</virtual-mta>',
    '<virtual-mta-pool mta1>',
    '    virtual-mta mta2',
    '</virtual-mta-pool>',
    '<virtual-mta-pool pool>',
    '    virtual-mta mta1',
    '</virtual-mta-pool>',
    '',
  ].join('\n');
  const f = only(text, 'invalid-value');
  assert.deepEqual(show(text, f), [
    '5:19-5:23 "mta1" | The pool "mta1" has the name of a virtual MTA: PowerMTA does not allow a pool and a virtual MTA to share a name. Rename one of them.',
  ]);
});

test('invalid-value: a pattern regex whose parentheses or brackets do not balance, on the character that does not', () => {
  const text = [
    '<smtp-pattern-list p>',
    '    reply /^421 (too many/ mode=backoff',
    '    reply /abc)/ mode=backoff',
    '    reply /[abc/ mode=backoff',
    '    reply /^(4|5)\\d\\d (a(b)/ mode=backoff',
    '</smtp-pattern-list>',
    '<pattern-list q>',
    '    rcpt-to /@(hotmail|outlook\\./ virtual-mta=v',
    '    mail-from /^bounce)@/ virtual-mta=v',
    '    header subject /[(]promo(/ virtual-mta=v',
    '</pattern-list>',
    '<bounce-category-patterns>',
    '    /user (unknown|not found/ bad-mailbox',
    '    /\\[550]) / bad-mailbox',
    '</bounce-category-patterns>',
    '<virtual-mta v>',
    '</virtual-mta>',
    '',
  ].join('\n');
  const f = only(text, 'invalid-value');
  const open = (c: string, close: string) =>
    `PowerMTA cannot compile this regular expression, so the rule never works. Either close it with "${close}", or write "\\${c}" to match a literal "${c}".`;
  const group = `This "(" opens a group that is never closed: ${open('(', ')')}`;
  const stray =
    'This ")" closes no group: PowerMTA cannot compile this regular expression, so the rule never works. Either remove it, or write "\\)" to match a literal ")".';
  assert.deepEqual(show(text, f), [
    `2:17-2:18 "(" | ${group}`,
    `3:15-3:16 ")" | ${stray}`,
    `4:12-4:13 "[" | This "[" opens a character class that is never closed with "]": ${open('[', ']')}`,
    `5:23-5:24 "(" | ${group}`,
    `8:15-8:16 "(" | ${group}`,
    `9:23-9:24 ")" | ${stray}`,
    `10:29-10:30 "(" | ${group}`,
    `13:11-13:12 "(" | ${group}`,
    `14:12-14:13 ")" | ${stray}`,
  ]);
  assert.ok(f.every((x) => x.severity === 'error'));
  assert.deepEqual(
    f[0].fixes.map((x) => [x.title, x.safe]),
    [['Escape it: \\(', false]],
  );
  assert.equal(applyFix(text, f[0]).split('\n')[1], '    reply /^421 \\(too many/ mode=backoff');
  assert.equal(applyFix(text, f[2]).split('\n')[3], '    reply /\\[abc/ mode=backoff');
});

test('invalid-value: balanced PCRE is not judged by JavaScript: escapes, classes, (?-i), possessive, \\Q…\\E, POSIX classes', () => {
  const text = [
    '<smtp-pattern-list p>',
    '    reply /(?-i)^421 RP-00[12]/ mode=backoff',
    '    reply /(?i)too many (connections|errors)/ mode=backoff',
    '    reply /[)] [^]] [(] \\( \\) \\[ x]/ mode=backoff',
    '    reply /\\d++ a*+ (?>atomic) (?<name>x) \\x{41} \\p{L}/ mode=backoff',
    '    reply /\\Q(\\E [[:alpha:]] [\\]] [a-z\\Q]\\E] (?#a comment with a "(")/ mode=backoff',
    '    reply /[[:alpha:][:digit:]]+ ([^)]*)/ mode=backoff',
    '    reply // mode=backoff',
    '</smtp-pattern-list>',
    '<bounce-category-patterns>',
    '    /^5\\.1\\.1 (user|mailbox) unknown/ bad-mailbox',
    '    // other',
    '</bounce-category-patterns>',
    '',
  ].join('\n');
  assert.deepEqual(show(text, only(text, 'invalid-value')), []);
});

test('invalid-value: a quantifier that repeats nothing, as a shell pattern writes "any text"', () => {
  const text = [
    '<smtp-pattern-list p>',
    '    reply /*RP-001*/ mode=backoff',
    '    reply /RP-002|+x/ mode=backoff',
    '    reply /(+x)/ mode=backoff',
    '    reply /?x/ mode=backoff',
    '    reply /(*UTF)RP-003 (?i)x (?:a|b)? a\\|*b [*+?]x a*+ b?? c+?/ mode=backoff',
    '</smtp-pattern-list>',
    '<bounce-category-patterns>',
    '    /*mailbox full*/ quota-issues',
    '</bounce-category-patterns>',
    '',
  ].join('\n');
  const f = only(text, 'invalid-value');
  const why =
    'repeats nothing (nothing comes before it in the pattern, its group or its alternative): PowerMTA cannot compile this regular expression, so the rule never works.';
  const star = `This "*" ${why} For "any text", as in a shell pattern, write ".*"; for a literal "*", write "\\*".`;
  const plus = `This "+" ${why} For a literal "+", write "\\+".`;
  assert.deepEqual(show(text, f), [
    `2:12-2:13 "*" | ${star}`,
    `3:19-3:20 "+" | ${plus}`,
    `4:13-4:14 "+" | ${plus}`,
    `5:12-5:13 "?" | This "?" ${why} For a literal "?", write "\\?".`,
    `9:6-9:7 "*" | ${star}`,
  ]);
  assert.deepEqual(
    f[0].fixes.map((x) => [x.title, !!x.isPreferred, x.safe]),
    [
      ['Write .* (any text)', true, false],
      ['Escape it: \\*', false, false],
    ],
  );
  assert.equal(applyFix(text, f[0]).split('\n')[1], '    reply /.*RP-001*/ mode=backoff');
  assert.equal(applyFix(text, f[1]).split('\n')[2], '    reply /RP-002|\\+x/ mode=backoff');
  assert.deepEqual(
    f[1].fixes.map((x) => x.title),
    ['Escape it: \\+'],
  );
});

test('invalid-value: a <source> of numbers and dots that is no IPv4 address or range', () => {
  const text = [
    '<source 999.1.1.1>',
    '</source>',
    '<source 1.2.3.4.5>',
    '</source>',
    '<source 10.0.0.0/33>',
    '</source>',
    '<source 10.0.0.0/8>',
    '</source>',
    '<source 0/0>',
    '</source>',
    '<source {auth}>',
    '</source>',
    '<source mail.example.com>',
    '</source>',
    '<source 10.0.0>',
    '</source>',
    '<source bad!name>',
    '</source>',
    '',
  ].join('\n');
  const why =
    'is not an IP address or CIDR range: an IPv4 address is at most four numbers from 0 to 255, and a mask after "/" is 0 to 32';
  assert.deepEqual(show(text, only(text, 'invalid-value')), [
    `1:9-1:18 "999.1.1.1" | "999.1.1.1" ${why}`,
    `3:9-3:18 "1.2.3.4.5" | "1.2.3.4.5" ${why}`,
    `5:9-5:20 "10.0.0.0/33" | "10.0.0.0/33" ${why}`,
    `17:9-17:17 "bad!name" | "bad!name" is not an IP address, CIDR range or {name}`,
  ]);
});

test('invalid-value: a quantifier right after another, which PCRE cannot compile', () => {
  const text = [
    '<smtp-pattern-list p>',
    '    reply /RP-00**/ mode=backoff',
    '    reply /4\\.7\\.{2}{3}/ mode=backoff',
    '    reply /a*?+/ mode=backoff',
    '    reply /x|{2}y/ mode=backoff',
    '    reply /a*? b*+ c?+ d{2}? e{2,}+ f{2,5}? g{,3}* h{x}* i{2 \\** [ab]+ \\Q**\\E/ mode=backoff',
    '</smtp-pattern-list>',
    '<bounce-category-patterns>',
    '    /quota [0-9]+*/ quota-issues',
    '</bounce-category-patterns>',
    '',
  ].join('\n');
  const f = only(text, 'invalid-value');
  const why =
    'follows another quantifier: PCRE cannot repeat a repetition, so PowerMTA cannot compile this regular expression and the rule never works. Remove one of them';
  assert.deepEqual(show(text, f), [
    `2:18-2:19 "*" | This "*" ${why}, or write "\\*" for a literal "*".`,
    `3:21-3:24 "{3}" | This "{3}" ${why}.`,
    `4:15-4:16 "+" | This "+" ${why}, or write "\\+" for a literal "+".`,
    `5:14-5:17 "{2}" | This "{2}" repeats nothing (nothing comes before it in the pattern, its group or its alternative): PowerMTA cannot compile this regular expression, so the rule never works. For a literal "{", write "\\{".`,
    `9:18-9:19 "*" | This "*" ${why}, or write "\\*" for a literal "*".`,
  ]);
  assert.deepEqual(
    f[0].fixes.map((x) => [x.title, !!x.isPreferred, x.safe]),
    [
      ['Remove the second quantifier "*"', true, false],
      ['Escape it: \\*', false, false],
    ],
  );
  assert.equal(applyFix(text, f[0]).split('\n')[1], '    reply /RP-00*/ mode=backoff');
  assert.equal(applyFix(text, f[0], 1).split('\n')[1], '    reply /RP-00*\\*/ mode=backoff');
  assert.deepEqual(
    f[1].fixes.map((x) => x.title),
    ['Remove the second quantifier "{3}"'],
  );
  assert.equal(applyFix(text, f[1]).split('\n')[2], '    reply /4\\.7\\.{2}/ mode=backoff');
});

test('invalid-value: a wrapped pattern and a template regex are not judged for their parentheses', () => {
  const text = [
    '<bounce-category-patterns>',
    '    /(user|mailbox) (unknown',
    '    |not found)/ bad-mailbox',
    '</bounce-category-patterns>',
    '<smtp-pattern-list p>',
    '    reply /{{pattern}}(/ mode=backoff',
    '    reply /__REPLY__)/ mode=backoff',
    '</smtp-pattern-list>',
    '<mx-rollup-list>',
    '    mx *.(example.com ex.rollup',
    '</mx-rollup-list>',
    '',
  ].join('\n');
  assert.deepEqual(
    only(text, 'invalid-value').map((x) => x.message.slice(0, 40)),
    ['This pattern is wrapped over 2 lines (it'],
  );
});
