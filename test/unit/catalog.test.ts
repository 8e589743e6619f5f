import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DIRECTIVES } from '../../server/src/knowledge/directives';
import { BLOCKS } from '../../server/src/knowledge/blocks';
import { closestNames } from '../../server/src/knowledge/catalog';
import { normalizeSettings } from '../../server/src/settings';
import { RECORD_TYPE_INFO } from '../../server/src/knowledge/accounting';
import type { Context, ReferenceKind, ValueKind } from '../../server/src/knowledge/types';

/** Every member of the Context union (kept in step with types.ts by the `satisfies` check below). */
const CONTEXTS = [
  'global',
  'domain',
  'virtual-mta',
  'virtual-mta-pool',
  'source',
  'smtp-user',
  'source-group',
  'smtp-pattern-list',
  'pattern-list',
  'acct-file',
  'spool',
  'bounce-processor',
  'feedback-loop-processor',
  'mx-rollup-list',
  'bounce-category-patterns',
  'address-list',
  'email-patterns',
  'rewrite-list',
  'domain-key-list',
  'dns',
  'smtp-listener',
  'proxy',
  'vault',
  'transmissions-api',
  'signals',
  'http-mgmt',
  'domain-macro',
] as const satisfies readonly Context[];
const CONTEXT_SET = new Set<string>(CONTEXTS);

const VALUE_KINDS = new Set<ValueKind>([
  'bool',
  'int',
  'port',
  'duration',
  'duration-list',
  'duration-or-never',
  'rate',
  'rate-list',
  'size',
  'data-rate',
  'ip',
  'cidr',
  'host',
  'ip-host',
  'listen',
  'http-access',
  'email',
  'domain',
  'domain-list',
  'enum',
  'name',
  'path',
  'string',
  'smtp-hosts',
  'regex-rule',
  'record-types',
  'record-fields',
  'header-to-field',
  'none',
]);
const REFERENCE_KINDS = new Set<ReferenceKind>([
  'virtual-mta',
  'virtual-mta-pool',
  'vmta-or-pool',
  'smtp-pattern-list',
  'pattern-list',
  'domain-macro',
  'source',
  'rewrite-list',
  'proxy',
  'domain-key-list',
]);

/**
 * Names seen in blog posts, generated configs and the widely copied Microsoft guide that are NOT PowerMTA directives or
 * tags (reference powermta-syntax.md "Beware"/section 4, microsoft.md "Validation-relevant PowerMTA facts").
 * The linter must report them as unknown, so the catalog must not know them.
 */
const FAKE_NAMES = [
  'job-class',
  'max-connections',
  'smtp-source',
  'bounce-log',
  'bounce-classification-file',
  'routing-file',
  'map-header-to-column',
  'mx-rollup',
  'bounce-on-4xx-status',
  'max-retry-time',
  'min-retry-interval',
  'initial-pts',
  'max-pts',
  'honor-dmarc-results',
  'timeout-connect',
  'max-message-rate',
  'bind-to-source-ip',
  'max-conn-rate',
  '421-means-mx-unavailable',
  'vmta',
  'limits',
];

/**
 * Directive and pattern-line keywords used in the real configurations of the shared corpus (extracted
 * once by hand; the corpus is not read at test time). Left out on purpose: the fake names above, and
 * `domain-selection` (only seen in one config, not documented anywhere we could find).
 */
const CORPUS_DIRECTIVES = [
  'add-date-header',
  'add-message-id-header',
  'add-received-header',
  'allow-starttls',
  'allow-unencrypted-plain-auth',
  'always-allow-api-submission',
  'always-allow-relaying',
  'assume-delivery-upon-data-termination-timeout',
  'backoff-max-msg-rate',
  'backoff-max-smtp-out',
  'backoff-notify',
  'backoff-reroute-to-virtual-mta',
  'backoff-retry-after',
  'backoff-to-normal-after',
  'backoff-to-normal-after-delivery',
  'bounce-after',
  'bounce-upon-5xx-greeting',
  'bounce-upon-no-mx',
  'check-dkim-inbound',
  'check-mfrom-inbound',
  'connect-timeout',
  'data-send-timeout',
  'default-virtual-mta',
  'delete-after',
  'delete-file-holders',
  'deliver-local-dsn',
  'deliver-only',
  'dk-sign',
  'dkim-add-body-limit',
  'dkim-add-timestamp',
  'dkim-algorithm',
  'dkim-body-canon',
  'dkim-expire-after',
  'dkim-headers-canon',
  'dkim-sign',
  'domain-key',
  'domain-macro',
  'dummy-smtp-blacklist',
  'dummy-smtp-blacklist-bounce-method',
  'dummy-smtp-blacklist-bounce-percent',
  'dummy-smtp-has-chunking',
  'dummy-smtp-has-mailmerge',
  'dummy-smtp-has-pipelining',
  'dummy-smtp-ip',
  'dummy-smtp-log-blacklist',
  'dummy-smtp-port',
  'file-destination',
  'file-format',
  'hide-message-source',
  'host-name',
  'http-access',
  'http-mgmt-port',
  'http-redirect-to-https',
  'ignore-8bitmime',
  'ignore-chunking',
  'include',
  'jobid-header',
  'log-commands',
  'log-connections',
  'log-data',
  'log-file',
  'log-messages',
  'max-cold-virtual-mta-msg',
  'max-errors-per-connection',
  'max-events-recorded',
  'max-message-size',
  'max-msg-per-connection',
  'max-msg-rate',
  'max-rcpt-per-message',
  'max-size',
  'max-smtp-out',
  'move-interval',
  'mx',
  'mx-connection-attempts',
  'mx-connection-limit',
  'password',
  'pattern-list',
  'pickup',
  'postmaster',
  'process-x-envid',
  'process-x-job',
  'process-x-virtual-mta',
  'rcpt-to',
  'record-fields',
  'records',
  'relay-domain',
  'remove-header',
  'remove-received-headers',
  'reply',
  'require-auth',
  'require-starttls',
  'require-starttls-before-auth',
  'reroute-to-virtual-mta',
  'retain-x-job',
  'retain-x-virtual-mta',
  'retry-after',
  'reuse-ssl-session',
  'run-as-root',
  'second-dkim-identity',
  'second-dkim-sign',
  'smtp-421-means-mx-unavailable',
  'smtp-553-means-invalid-mailbox',
  'smtp-greeting-timeout',
  'smtp-hosts',
  'smtp-listener',
  'smtp-pattern-list',
  'smtp-server-tls-certificate',
  'smtp-server-tls-ciphers',
  'smtp-service',
  'smtp-source-host',
  'source',
  'spool',
  'suppress-local-dsn',
  'sync-msg-create',
  'sync-msg-update',
  'total-max-file',
  'total-max-smtp-in',
  'total-max-smtp-out',
  'track-recipient-events',
  'type',
  'use-starttls',
  'verp-default',
  'virtual-mta',
];

/** Tags used in the corpus. */
const CORPUS_BLOCKS = [
  'acct-file',
  'bounce-category-patterns',
  'domain',
  'mx-rollup-list',
  'pattern-list',
  'smtp-pattern-list',
  'smtp-user',
  'source',
  'spool',
  'virtual-mta',
  'virtual-mta-pool',
];

const names = new Set(DIRECTIVES.map((d) => d.name));
const aliasNames = DIRECTIVES.flatMap((d) => d.aliases ?? []);
const known = new Set([...names, ...aliasNames]);
const blockNames = new Set(BLOCKS.map((b) => b.name));

test('directive names are unique, lower case and well formed', () => {
  const seen = new Set<string>();
  for (const d of DIRECTIVES) {
    assert.equal(d.name, d.name.toLowerCase(), `${d.name} is not lower case`);
    assert.match(d.name, /^[a-z0-9][a-z0-9.-]*$/, `${d.name} has odd characters`);
    assert.ok(!seen.has(d.name), `duplicate directive ${d.name}`);
    seen.add(d.name);
  }
  assert.ok(DIRECTIVES.length >= 250, `only ${DIRECTIVES.length} directives`);
});

test('aliases are lower case, unique and do not collide with names', () => {
  const seen = new Set<string>();
  for (const a of aliasNames) {
    assert.equal(a, a.toLowerCase());
    assert.ok(!names.has(a), `alias ${a} is also a directive name`);
    assert.ok(!seen.has(a), `alias ${a} is listed twice`);
    seen.add(a);
  }
});

test('every directive has a valid shape', () => {
  for (const d of DIRECTIVES) {
    assert.ok(d.contexts.length > 0, `${d.name} has no context`);
    assert.ok(VALUE_KINDS.has(d.value), `${d.name} has unknown value kind ${d.value}`);
    assert.ok(d.description.trim().length > 10, `${d.name} needs a description`);
    assert.ok(!d.description.includes('\n'), `${d.name}: description must be one line`);
    assert.ok(d.source.trim().length > 0, `${d.name} has no source`);
    assert.ok(/^(UG \d+(\.\d+)*|REAL|SPDOC)/.test(d.source), `${d.name}: odd source "${d.source}"`);
    if (d.references) assert.ok(REFERENCE_KINDS.has(d.references), `${d.name}: bad reference kind`);
    if (d.deprecated !== undefined) assert.ok(d.deprecated.trim().length > 0, `${d.name}: empty deprecated note`);
  }
});

test('every enum has values, and only enums and record type lists have values (the record type letters they take)', () => {
  for (const d of DIRECTIVES) {
    if (d.value === 'record-types' || d.value === 'header-to-field' || d.value === 'record-fields') {
      for (const v of d.values ?? [])
        assert.ok(
          RECORD_TYPE_INFO.some((t) => t.code === v),
          `${d.name}: ${v} is not a record type`,
        );
    } else if (d.value === 'enum') {
      assert.ok(d.values && d.values.length > 0, `${d.name} is an enum without values`);
      for (const v of d.values) assert.equal(v, v.toLowerCase(), `${d.name}: enum value ${v} not lower case`);
      assert.equal(new Set(d.values).size, d.values.length, `${d.name}: duplicate enum values`);
      if (d.default !== undefined)
        assert.ok(d.values.includes(d.default), `${d.name}: default ${d.default} is not one of its values`);
    } else {
      assert.equal(d.values, undefined, `${d.name} has values but is neither an enum nor a record type list`);
    }
  }
});

test('contexts and block parents are valid contexts', () => {
  for (const d of DIRECTIVES) {
    for (const c of d.contexts) assert.ok(CONTEXT_SET.has(c), `${d.name}: unknown context ${c}`);
    assert.equal(new Set(d.contexts).size, d.contexts.length, `${d.name}: duplicate context`);
  }
  for (const b of BLOCKS) {
    assert.ok(b.parents.length > 0, `<${b.name}> has no parent`);
    for (const p of b.parents) assert.ok(CONTEXT_SET.has(p), `<${b.name}>: unknown parent ${p}`);
  }
});

test('blocks are unique, lower case and consistent', () => {
  const seen = new Set<string>();
  for (const b of BLOCKS) {
    assert.equal(b.name, b.name.toLowerCase());
    assert.ok(!seen.has(b.name), `duplicate block ${b.name}`);
    seen.add(b.name);
    if (b.arg === 'none') assert.equal(b.argKind, undefined, `<${b.name}> takes no argument but has an argKind`);
    if (b.defines) assert.ok(REFERENCE_KINDS.has(b.defines), `<${b.name}>: bad defines`);
    assert.ok(b.description.trim().length > 10);
    assert.ok(b.source.trim().length > 0);
  }
  // a block whose body holds directives should be a context some directive can live in
  for (const b of BLOCKS) {
    if (b.body !== 'directives') continue;
    assert.ok(CONTEXT_SET.has(b.name), `<${b.name}> holds directives but is not a Context`);
    assert.ok(
      DIRECTIVES.some((d) => d.contexts.includes(b.name as Context)) || b.name === 'domain',
      `<${b.name}> holds directives but no directive is allowed in it`,
    );
  }
});

test('every reference kind used by a directive is defined by some block (or a directive)', () => {
  const defined = new Set<string>(BLOCKS.flatMap((b) => (b.defines ? [b.defines] : [])));
  defined.add('domain-macro'); // defined by the domain-macro directive
  for (const d of DIRECTIVES) {
    if (!d.references) continue;
    if (d.references === 'vmta-or-pool') {
      assert.ok(defined.has('virtual-mta') && defined.has('virtual-mta-pool'));
    } else {
      assert.ok(defined.has(d.references), `${d.name} references ${d.references}, which no block defines`);
    }
  }
});

test('known-fake names are not in the catalog', () => {
  for (const f of FAKE_NAMES) {
    assert.ok(!known.has(f), `${f} must not be a directive`);
    assert.ok(!blockNames.has(f), `${f} must not be a block`);
  }
});

test('every directive used in the real-config corpus is known', () => {
  const missing = CORPUS_DIRECTIVES.filter((n) => !known.has(n));
  assert.deepEqual(missing, []);
  const missingBlocks = CORPUS_BLOCKS.filter((n) => !blockNames.has(n));
  assert.deepEqual(missingBlocks, []);
});

test('key facts', () => {
  const get = (n: string) => {
    const d = DIRECTIVES.find((x) => x.name === n);
    assert.ok(d, `${n} missing`);
    return d;
  };
  assert.equal(get('max-smtp-out').value, 'int');
  assert.equal(get('max-smtp-out').default, '20');
  for (const n of ['max-msg-rate', 'max-connect-rate', 'backoff-max-msg-rate', 'max-smtp-msg-rate']) {
    assert.equal(get(n).value, 'rate', n);
    assert.equal(get(n).default, 'unlimited', n);
  }
  assert.equal(get('retry-after').value, 'duration-list');
  assert.equal(get('retry-after').default, '10m');
  assert.equal(get('backoff-retry-after').default, '1h');
  assert.equal(get('bounce-after').value, 'duration');
  assert.equal(get('bounce-after').default, '4d12h');
  assert.equal(get('backoff-to-normal-after').value, 'duration-or-never');
  assert.equal(get('max-cold-virtual-mta-msg').value, 'rate-list');
  assert.equal(get('smtp-source-host').value, 'ip-host');
  assert.equal(get('smtp-listener').value, 'listen');
  assert.equal(get('virtual-mta').references, 'virtual-mta');
  assert.equal(get('cold-virtual-mta').references, 'virtual-mta');
  for (const n of [
    'default-virtual-mta',
    'reroute-to-virtual-mta',
    'backoff-reroute-to-virtual-mta',
    'invalid-virtual-mta-fallback',
  ]) {
    assert.equal(get(n).references, 'vmta-or-pool', n);
  }
  assert.equal(get('smtp-pattern-list').references, 'smtp-pattern-list');
  assert.equal(get('pattern-list').references, 'pattern-list');
  assert.equal(get('source').references, 'source');
  assert.equal(get('max-msg-per-hour').deprecated, 'max-msg-rate');
  assert.equal(get('route').deprecated, 'smtp-hosts');
  assert.ok(get('max-rcpt-per-message').aliases?.includes('max-rcpt-per-transaction'));
  assert.deepEqual([...get('include').contexts].sort(), [
    'domain',
    'global',
    'smtp-pattern-list',
    'source',
    'virtual-mta',
  ]);
  assert.ok(get('include').repeatable);
  assert.deepEqual(get('type').values, ['smtp', 'pipe', 'file', 'discard', 'http-delivery']);
  assert.equal(get('reply').value, 'regex-rule');
  for (const n of [
    'postmaster',
    'http-access',
    'smtp-listener',
    'include',
    'domain-key',
    'smtp-pattern-list',
    'virtual-mta',
    'record-fields',
    'remove-header',
    'relay-domain',
    'reply',
    'mx',
    'header',
    'mail-from',
    'rcpt-to',
    'smtp-source-host',
    'mx-connection-limit',
    'ip-connection-limit',
    'domain-macro',
  ]) {
    assert.ok(get(n).repeatable, `${n} should be repeatable`);
  }
  assert.equal(get('retry-interval').contexts.includes('domain'), false, 'retry-interval only exists in <acct-file>');
  const domain = BLOCKS.find((b) => b.name === 'domain');
  assert.deepEqual([...(domain?.parents ?? [])].sort(), ['global', 'virtual-mta', 'virtual-mta-pool']);
});

test('closestNames: the did-you-mean of any list of names, closest first, case ignored, a name without its first words found', () => {
  const ids = ['duplicate-block', 'duplicate-directive', 'microsoft-unsafe-limit', 'invalid-value', 'syntax'];
  assert.deepEqual(closestNames('duplicate-blocks', ids), ['duplicate-block']);
  assert.deepEqual(closestNames('Invalid-Value', ids), ['invalid-value']);
  assert.deepEqual(closestNames('unsafe-limit', ids), ['microsoft-unsafe-limit']);
  assert.deepEqual(closestNames('sytnax', ids), ['syntax']);
  assert.deepEqual(closestNames('duplicate', ids, 1), []);
  assert.deepEqual(closestNames('nonsense', ids), []);
  assert.deepEqual(closestNames('x'.repeat(300), ids), []);
});

test('settings: a rule id no rule has is a problem with a did-you-mean, and is dropped; without the list of ids any is kept', () => {
  const ids = ['duplicate-block', 'invalid-value'];
  assert.deepEqual(normalizeSettings({ rules: { 'duplicate-blocks': 'off', 'invalid-value': 'hint' } }, ids), {
    settings: { rules: { 'invalid-value': 'hint' } },
    problems: ['rules.duplicate-blocks: there is no rule "duplicate-blocks"; did you mean "duplicate-block"?'],
  });
  assert.deepEqual(normalizeSettings({ 'pmta.rules': { zzz: 'loud' } }, ids).problems, [
    'rules.zzz: there is no rule "zzz" (the README and pmta-lint --list-rules list the rules)',
  ]);
  assert.deepEqual(normalizeSettings({ rules: { 'duplicate-blocks': 'off' } }), {
    settings: { rules: { 'duplicate-blocks': 'off' } },
    problems: [],
  });
});
