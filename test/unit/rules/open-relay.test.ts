/** The open-relay rule: always-allow-relaying for sources that cover the internet, and for a named source a public listener hands out. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { applyChanges } from '../../../server/src/features/codeActions';
import type { IncludeHost } from '../../../server/src/hosts/includeHost';
import { PmtaLanguageService } from '../../../server/src/service';
import { lint, show } from '../../helpers/util';

const RULE = 'open-relay';
const found = (text: string) => lint(text).filter((f) => f.rule === RULE);
const HOW =
  'Allow relaying only from your own feeding hosts (<source 127.0.0.1>, or each of their addresses), or make the clients authenticate (require-auth yes).';

test('open-relay: <source 0/0> with always-allow-relaying yes is an error, with a fix that stops relaying', () => {
  const text = 'smtp-listener 0/0:25\n<source 0/0>\n    always-allow-relaying yes\n</source>\n';
  const f = found(text);
  assert.deepEqual(show(text, f), [
    `3:5-3:30 "always-allow-relaying yes" | Open relay: <source 0/0> with always-allow-relaying yes lets every host on the internet send mail through this server to any domain; open relays are found and abused within hours, and their IPs end on blocklists. ${HOW}`,
  ]);
  assert.equal(f[0].severity, 'error');
  assert.deepEqual(
    f[0].fixes.map((x) => [x.title, x.isPreferred, x.safe]),
    [['Stop relaying for <source 0/0>: always-allow-relaying no', true, undefined]],
  );
  const fixed = applyChanges(text, f[0].fixes[0].changes);
  assert.equal(fixed, 'smtp-listener 0/0:25\n<source 0/0>\n    always-allow-relaying no\n</source>\n');
  assert.deepEqual(found(fixed), []);
});

test('open-relay: without any smtp-listener PowerMTA listens on 0.0.0.0:25, so 0/0 relaying is reported; "true" counts as yes', () => {
  const text = '<source 0.0.0.0/0>\n    always-allow-relaying true\n</source>\n';
  assert.deepEqual(
    show(text, found(text)).map((s) => s.slice(0, 80)),
    ['2:5-2:31 "always-allow-relaying true" | Open relay: <source 0.0.0.0/0> with alwa'],
  );
});

test('open-relay: a public range wider than one host is a warning that counts its addresses', () => {
  const text =
    '<source 203.0.113.0/24>\n    always-allow-relaying yes\n</source>\n<source 2001:db8::/64>\n    always-allow-relaying yes\n</source>\n';
  const f = found(text);
  assert.deepEqual(show(text, f), [
    `2:5-2:30 "always-allow-relaying yes" | <source 203.0.113.0/24> with always-allow-relaying yes lets every one of the 256 public addresses of 203.0.113.0/24 send mail through this server to any domain: an open relay to each of them that is not yours. ${HOW}`,
    `5:5-5:30 "always-allow-relaying yes" | <source 2001:db8::/64> with always-allow-relaying yes lets every one of the 2^64 public addresses of 2001:db8::/64 send mail through this server to any domain: an open relay to each of them that is not yours. ${HOW}`,
  ]);
  assert.deepEqual(
    f.map((x) => x.severity),
    ['warning', 'warning'],
  );
});

test('open-relay: single hosts, loopback and private ranges, and named sources are not reported', () => {
  const text = [
    '<source 127.0.0.1>',
    '    always-allow-relaying yes',
    '</source>',
    '<source ::1>',
    '    always-allow-relaying yes',
    '</source>',
    '<source 10/8>',
    '    always-allow-relaying yes',
    '</source>',
    '<source 192.168.1.0/24>',
    '    always-allow-relaying yes',
    '</source>',
    '<source 198.51.100.7>',
    '    always-allow-relaying yes',
    '</source>',
    '<source {auth}>',
    '    always-allow-relaying yes',
    '</source>',
    '<source 0/0>',
    '    always-allow-relaying no',
    '</source>',
    '',
  ].join('\n');
  assert.deepEqual(found(text), []);
});

test('open-relay: clients that must authenticate or get no SMTP service are no open relay, also when the setting is inherited from a wider source', () => {
  const own = '<source 0/0>\n    always-allow-relaying yes\n    require-auth true\n</source>\n';
  assert.deepEqual(found(own), []);
  const service = '<source 0/0>\n    always-allow-relaying yes\n    smtp-service no\n</source>\n';
  assert.deepEqual(found(service), []);
  const inherited =
    '<source 0/0>\n    require-auth yes\n</source>\n<source 203.0.113.0/24>\n    always-allow-relaying yes\n</source>\n';
  assert.deepEqual(found(inherited), []);
  // the narrower source sets require-auth back to no: its clients relay again
  const undone =
    '<source 0/0>\n    require-auth yes\n</source>\n<source 203.0.113.0/24>\n    always-allow-relaying yes\n    require-auth no\n</source>\n';
  assert.deepEqual(
    show(undone, found(undone)).map((s) => s.slice(0, s.indexOf(' with '))),
    ['5:5-5:30 "always-allow-relaying yes" | <source 203.0.113.0/24>'],
  );
});

test('open-relay: of two <source 0/0> blocks the later value counts', () => {
  const closed =
    '<source 0/0>\n    always-allow-relaying yes\n</source>\n<source 0/0>\n    always-allow-relaying no\n</source>\n';
  assert.deepEqual(found(closed), []);
  const opened =
    '<source 0/0>\n    always-allow-relaying no\n</source>\n<source 0/0>\n    always-allow-relaying yes\n</source>\n';
  assert.deepEqual(
    show(opened, found(opened)).map((s) => s.slice(0, 36)),
    ['5:5-5:30 "always-allow-relaying yes"'],
  );
});

test('open-relay: nothing when every listener is on a loopback address', () => {
  const text =
    'smtp-listener 127.0.0.1:25\nsmtp-listener [::1]:2525\n<source 0/0>\n    always-allow-relaying yes\n</source>\n';
  assert.deepEqual(found(text), []);
  // one listener on every address is enough
  const more = text.replace('smtp-listener [::1]:2525', 'smtp-listener 0.0.0.0:2525');
  assert.equal(found(more).length, 1);
});

test('open-relay: a named source with always-allow-relaying handed to every client of a public listener', () => {
  const text = [
    'smtp-listener 0/0:2525 source=relay',
    'smtp-listener 127.0.0.1:25 source=relay',
    'smtp-listener 10.0.0.5:25 source=relay',
    '<smtp-listener 203.0.113.10:587>',
    '    source relay',
    '</smtp-listener>',
    '<source relay>',
    '    always-allow-relaying yes',
    '</source>',
    '',
  ].join('\n');
  const f = found(text);
  const tail =
    'so anyone who can reach this listener may send mail through it to any domain. Listen on a loopback or private address, or make the clients authenticate (require-auth yes in that source).';
  assert.deepEqual(show(text, f), [
    `1:31-1:36 "relay" | Open relay: every client that connects to 0/0:2525 (every address of this server) gets <source relay>, which has always-allow-relaying yes (line 8), ${tail}`,
    `5:12-5:17 "relay" | Open relay: every client that connects to 203.0.113.10:587 (the public address 203.0.113.10) gets <source relay>, which has always-allow-relaying yes (line 8), ${tail}`,
  ]);
  assert.deepEqual(
    f[0].related?.map((r) => [text.slice(r.span.start, r.span.end), r.message]),
    [['always-allow-relaying yes', 'always-allow-relaying yes in <source relay>']],
  );
  assert.equal(f[0].severity, 'error');
  // the named source requires authentication: no finding
  assert.deepEqual(
    found(text.replace('    always-allow-relaying yes\n', '    always-allow-relaying yes\n    require-auth yes\n')),
    [],
  );
});

test('open-relay: a configuration split over files: the source of an included file, judged with the settings of the whole', () => {
  const files: Record<string, string> = {
    'file:///etc/pmta/config':
      'smtp-listener 0/0:25\ninclude /etc/pmta/sources.conf\n<source 0/0>\n    require-auth yes\n</source>\n',
    'file:///etc/pmta/sources.conf':
      '<source 203.0.113.0/24>\n    always-allow-relaying yes\n</source>\n<source 198.51.0.0/16>\n    always-allow-relaying yes\n    require-auth no\n</source>\n',
  };
  const host: IncludeHost = {
    resolveInclude: (_f, p) => (files['file://' + p] !== undefined ? ['file://' + p] : []),
    readFile: (u) => files[u],
  };
  const service = new PmtaLanguageService({ host });
  const root = TextDocument.create('file:///etc/pmta/config', 'powermta', 1, files['file:///etc/pmta/config']);
  const included = service.lintIncluded(root).find((i) => i.uri === 'file:///etc/pmta/sources.conf')!;
  const text = files['file:///etc/pmta/sources.conf'];
  assert.deepEqual(
    show(text, included.findings, RULE).map((s) => s.slice(0, s.indexOf(' with '))),
    ['5:5-5:30 "always-allow-relaying yes" | <source 198.51.0.0/16>'],
  );
  assert.deepEqual(
    service.lint(root).filter((f) => f.rule === RULE),
    [],
  );
});
