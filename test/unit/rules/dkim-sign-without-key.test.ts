/** The dkim-sign-without-key rule: dkim-sign yes where no domain-key can sign the mail. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { IncludeHost } from '../../../server/src/hosts/includeHost';
import { PmtaLanguageService } from '../../../server/src/service';
import { lint, show } from '../../helpers/util';

const RULE = 'dkim-sign-without-key';
const found = (text: string) => lint(text).filter((f) => f.rule === RULE);
/** What makes a file a main configuration (a conf.d fragment alone is not judged). */
const MAIN = 'postmaster postmaster@example.com\n';
const TAIL =
  'PowerMTA signs a message only with a domain-key for its sending domain (of its Sender or From header), a parent domain of it, or *, and sends it unsigned when there is none. Add one, e.g. "domain-key s1, example.com, /etc/pmta/dkim/s1.example.com.pem".';

test('dkim-sign-without-key: a configuration without any domain-key signs nothing', () => {
  const text = `${MAIN}<domain *>\n    dkim-sign yes\n    second-dkim-sign true\n</domain>\n<domain gmail.com>\n    dkim-sign no\n</domain>\n`;
  const f = found(text);
  const what = 'this configuration has no domain-key (checked: the top level, every virtual MTA and every pool)';
  assert.deepEqual(show(text, f), [
    `3:5-3:18 "dkim-sign yes" | "dkim-sign yes" signs nothing: ${what}. ${TAIL}`,
    `4:5-4:26 "second-dkim-sign true" | "second-dkim-sign true" signs nothing: ${what}. ${TAIL}`,
  ]);
  assert.equal(f[0].severity, 'warning');
  assert.deepEqual(f[0].fixes, []);
});

test('dkim-sign-without-key: a key at the top level, in any virtual MTA or in any pool can sign the mail of a top-level <domain>', () => {
  for (const key of [
    'domain-key s1, example.com, /k.pem\n',
    '<virtual-mta v1>\n    domain-key s1, *, /k.pem\n</virtual-mta>\n',
    '<virtual-mta-pool p>\n    domain-key s1, *, /k.pem\n</virtual-mta-pool>\n',
  ]) {
    assert.deepEqual(found(`${MAIN}${key}<domain *>\n    dkim-sign yes\n</domain>\n`), [], key);
  }
});

test('dkim-sign-without-key: a <domain> inside a virtual MTA gets the keys of that virtual MTA, its pools and the top level only', () => {
  const text = [
    MAIN.trim(),
    '<virtual-mta v1>',
    '    <domain *>',
    '        dkim-sign yes',
    '    </domain>',
    '</virtual-mta>',
    '<virtual-mta v2>',
    '    domain-key s2, example.com, /k2.pem',
    '</virtual-mta>',
    '<virtual-mta v3>',
    '    <domain *>',
    '        dkim-sign yes',
    '    </domain>',
    '</virtual-mta>',
    '<virtual-mta-pool p>',
    '    virtual-mta v3',
    '    domain-key s3, example.com, /k3.pem',
    '</virtual-mta-pool>',
    '<virtual-mta-pool q>',
    '    virtual-mta v1',
    '    <domain yahoo.com>',
    '        dkim-sign yes',
    '    </domain>',
    '</virtual-mta-pool>',
    '',
  ].join('\n');
  const f = found(text);
  assert.deepEqual(show(text, f), [
    `4:9-4:22 "dkim-sign yes" | "dkim-sign yes" signs nothing: no domain-key can sign the mail of this <domain *> in <virtual-mta v1> (checked: the top level, <virtual-mta v1> and its pools (q)); the 2 keys of other virtual MTAs and pools do not sign its mail. ${TAIL}`,
    `22:9-22:22 "dkim-sign yes" | "dkim-sign yes" signs nothing: no domain-key can sign the mail of this <domain yahoo.com> in <virtual-mta-pool q> (checked: the top level, <virtual-mta-pool q> and its members (v1)); the 2 keys of other virtual MTAs and pools do not sign its mail. ${TAIL}`,
  ]);
  // v3 is signed by the key of its pool p; a key of v1 signs both the <domain> of v1 and that of its pool q
  assert.deepEqual(found(text.replace('<virtual-mta v1>', '<virtual-mta v1>\n    domain-key s1, *, /k1.pem')), []);
  // a virtual MTA in no pool, a pool without members
  const lone = `${MAIN}<virtual-mta v1>\n    <domain *>\n        dkim-sign yes\n    </domain>\n</virtual-mta>\n<virtual-mta-pool empty>\n    <domain *>\n        dkim-sign yes\n    </domain>\n</virtual-mta-pool>\n`;
  assert.deepEqual(
    found(lone).map((x) => x.message.slice(0, x.message.indexOf(')') + 1)),
    [
      '"dkim-sign yes" signs nothing: no domain-key can sign the mail of this <domain *> in <virtual-mta v1> (checked: the top level and <virtual-mta v1>, which is in no pool)',
      '"dkim-sign yes" signs nothing: no domain-key can sign the mail of this <domain *> in <virtual-mta-pool empty> (checked: the top level and <virtual-mta-pool empty>, which has no members)',
    ],
  );
});

test('dkim-sign-without-key: keys of a <domain-key-list> count only when a source processes X-DKIM-Options; X-DKIM-Key brings keys with the messages', () => {
  const text = `${MAIN}<domain-key-list customers>\n    domain-key s1, example.com, /k.pem\n</domain-key-list>\n<domain *>\n    dkim-sign yes\n</domain>\n`;
  assert.deepEqual(
    found(text).map((f) => f.message.slice(0, f.message.indexOf('. PowerMTA'))),
    [
      '"dkim-sign yes" signs nothing: this configuration has no domain-key (checked: the top level, every virtual MTA and every pool); the 1 key of <domain-key-list> blocks sign only a message that selects its list in an X-DKIM-Options header, which no <source> processes (process-x-dkim-options)',
    ],
  );
  assert.deepEqual(found(`${text}<source 127.0.0.1>\n    process-x-dkim-options yes\n</source>\n`), []);
  assert.deepEqual(
    found(
      `${MAIN}<source 127.0.0.1>\n    process-x-dkim-key true\n</source>\n<domain *>\n    dkim-sign yes\n</domain>\n`,
    ),
    [],
  );
});

test('dkim-sign-without-key: a fragment checked alone, or a configuration with an include not followed, is not judged', () => {
  // no setting of a main configuration: the keys may be in a file that is not known
  assert.deepEqual(found('<domain *>\n    dkim-sign yes\n</domain>\n'), []);
  assert.deepEqual(found(`${MAIN}include /etc/pmta/dkim-keys.conf\n<domain *>\n    dkim-sign yes\n</domain>\n`), []);
  // dkim-sign where it does not belong is wrong-context's
  assert.deepEqual(found(`${MAIN}<source 0/0>\n    dkim-sign yes\n</source>\n`), []);
});

test("dkim-sign-without-key: across files: a key in a file included inside a virtual MTA is that virtual MTA's", () => {
  const files: Record<string, string> = {
    'file:///etc/pmta/config': `${MAIN}<virtual-mta v1>\n    include /etc/pmta/keys.conf\n    <domain *>\n        dkim-sign yes\n    </domain>\n</virtual-mta>\n<virtual-mta v2>\n    <domain *>\n        dkim-sign yes\n    </domain>\n</virtual-mta>\n`,
    'file:///etc/pmta/keys.conf': 'domain-key s1, example.com, /etc/pmta/s1.pem\n',
  };
  const host: IncludeHost = {
    resolveInclude: (_f, p) => (files['file://' + p] !== undefined ? ['file://' + p] : []),
    readFile: (u) => files[u],
  };
  const text = files['file:///etc/pmta/config'];
  const f = new PmtaLanguageService({ host })
    .lint(TextDocument.create('file:///etc/pmta/config', 'powermta', 1, text))
    .filter((x) => x.rule === RULE);
  assert.deepEqual(
    show(text, f).map((s) => s.slice(0, s.indexOf(';'))),
    [
      '10:9-10:22 "dkim-sign yes" | "dkim-sign yes" signs nothing: no domain-key can sign the mail of this <domain *> in <virtual-mta v2> (checked: the top level and <virtual-mta v2>, which is in no pool, across the 2 files of the configuration)',
    ],
  );
});
