/**
 * The server's bookkeeping of configurations (server/src/server/configurations.ts), without a connection:
 * which configuration an open document is part of, which documents to check again after a change, and
 * what an open configuration publishes for the files it includes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import { Configurations, type OpenDocuments } from '../../server/src/server/configurations';
import { PmtaLanguageService } from '../../server/src/service';
import { memoryHost } from '../helpers/util';
import type { NearbyConfig } from '../../server/src/hosts/nearby';

const CONFIG = 'file:///etc/pmta/config';
const A = 'file:///etc/pmta/conf.d/a.conf';
const B = 'file:///etc/pmta/conf.d/b.conf';
const DISK: Record<string, string> = {
  [CONFIG]: 'include conf.d/*.conf\n<virtual-mta m1>\n</virtual-mta>\n',
  [A]: '<source 0/0>\n    default-virtual-mta m1\n</source>\n',
  [B]: '<source 10.0.0.0/8>\n    default-virtual-mta m2\n</source>\n',
};

/** Open documents, a disk with `config` next to the fragments, and what was published and looked at. */
function setUp() {
  const open = new Map<string, TextDocument>();
  const documents: OpenDocuments = { get: (u) => open.get(u), all: () => [...open.values()] };
  const service = new PmtaLanguageService({ host: memoryHost(DISK) });
  const looked: string[] = [];
  const nearby = (uri: string): NearbyConfig[] => {
    looked.push(uri);
    return uri === A || uri === B ? [{ uri: CONFIG, text: DISK[CONFIG], mtime: 1000 }] : [];
  };
  const logs: string[] = [];
  const configurations = new Configurations(service, documents, nearby, (m) => logs.push(m));
  const sent: Array<[string, number]> = [];
  const publish = async (uri: string, ds: Diagnostic[]) => void sent.push([uri, ds.length]);
  const openDoc = (uri: string, text = DISK[uri], version = 1) => {
    const d = TextDocument.create(uri, 'powermta', version, text);
    open.set(uri, d);
    configurations.opened();
    return d;
  };
  const close = (uri: string) => {
    open.delete(uri);
    service.forget(uri);
    return configurations.closed(uri, publish);
  };
  return { service, configurations, open, looked, logs, sent, publish, openDoc, close };
}

test('a fragment opened alone is part of the configuration on disk that includes it, looked for once', () => {
  const { configurations, looked, logs, openDoc } = setUp();
  const a = openDoc(A);
  const root = configurations.rootOf(a, {});
  assert.equal(root?.uri, CONFIG);
  assert.equal(root?.version, 1000);
  assert.equal(configurations.rootOf(a, {})?.uri, CONFIG);
  assert.deepEqual(looked, [A]);
  assert.deepEqual(logs, [`${A} is checked as part of ${CONFIG}, which includes it`]);
  // includes not followed: none
  assert.equal(configurations.rootOf(openDoc(B), { includes: { resolve: false } }), undefined);
});

test('the open configuration is taken rather than the file on disk; closed, it is looked for again', async () => {
  const { service, configurations, looked, openDoc, close } = setUp();
  const config = openDoc(CONFIG, DISK[CONFIG] + '# edited\n', 3);
  const a = openDoc(A);
  assert.equal(configurations.rootOf(a, {}), config);
  assert.deepEqual(configurations.contextOf(a, {}), { settings: {}, siblings: [config], root: config });
  // names: the other open documents and the configuration, once
  const m1 = a.positionAt(DISK[A].indexOf('m1'));
  assert.deepEqual(
    service.definition(a, m1, configurations.contextOf(a, {})).map((l) => `${l.uri}@${l.range.start.line}`),
    [`${CONFIG}@1`],
  );
  await close(CONFIG);
  assert.equal(configurations.rootOf(a, {})?.version, 1000);
  assert.deepEqual(looked, [A, A]);
});

test('a file that found no configuration looks again when another document is opened', () => {
  const { configurations, looked, openDoc } = setUp();
  const other = openDoc('file:///srv/other.pmta', '<domain *>\n</domain>\n');
  assert.equal(configurations.rootOf(other, {}), undefined);
  assert.equal(configurations.rootOf(other, {}), undefined);
  assert.deepEqual(looked, ['file:///srv/other.pmta']);
  openDoc(A);
  assert.equal(configurations.rootOf(other, {}), undefined);
  assert.deepEqual(looked, ['file:///srv/other.pmta', 'file:///srv/other.pmta']);
});

test('after a change: the open configuration, and the other open files of the same configuration, are checked again', () => {
  const { configurations, openDoc } = setUp();
  const config = openDoc(CONFIG);
  const a = openDoc(A);
  const b = openDoc(B);
  configurations.rootOf(a, {});
  configurations.rootOf(b, {});
  configurations.rootOf(config, {});
  assert.deepEqual(configurations.dependents(A), [config, b]);
  assert.deepEqual(configurations.dependents(CONFIG), [a, b]);
  // files changed on disk: nothing is known until looked for again
  configurations.filesChanged();
  assert.deepEqual(configurations.dependents(A), []);
});

test('closing a fragment: its open configuration is returned to be checked again; a configuration read from disk that nothing needs is dropped', async () => {
  const { service, configurations, openDoc, close } = setUp();
  const a = openDoc(A);
  configurations.rootOf(a, {});
  const diskModel = service.getModel(TextDocument.create(CONFIG, 'powermta', 1000, DISK[CONFIG]));
  assert.deepEqual(await close(A), []);
  // the disk configuration's model is no longer held: asking again builds another
  assert.notEqual(service.getModel(TextDocument.create(CONFIG, 'powermta', 1000, DISK[CONFIG])), diskModel);
  const config = openDoc(CONFIG);
  const b = openDoc(B);
  configurations.rootOf(b, {});
  assert.deepEqual(await close(B), [config]);
});

test('closing a configuration: the open files checked as part of it are returned to be checked again', async () => {
  const { configurations, openDoc, close } = setUp();
  const config = openDoc(CONFIG, DISK[CONFIG] + '# unsaved\n', 2);
  const a = openDoc(A);
  const b = openDoc(B);
  assert.equal(configurations.rootOf(a, {}), config);
  assert.equal(configurations.rootOf(b, {}), config);
  assert.deepEqual(await close(CONFIG), [a, b]);
  // they find the configuration on disk now
  assert.equal(configurations.rootOf(a, {})?.version, 1000);
});

test('what an open configuration publishes for the files it includes: not for open files, only when changed, cleared when gone', async () => {
  const { service, configurations, sent, publish, openDoc, close } = setUp();
  const config = openDoc(CONFIG);
  const included = () => service.lintIncluded(config);
  await configurations.publishIncluded(CONFIG, included(), publish);
  assert.deepEqual(sent, [
    [A, 0],
    [B, 1],
  ]);
  // the same again: nothing sent
  await configurations.publishIncluded(CONFIG, included(), publish);
  assert.equal(sent.length, 2);
  // b.conf opened: it publishes its own; the configuration no longer sends for it, and does not clear it
  openDoc(B);
  await configurations.publishIncluded(CONFIG, included(), publish);
  assert.equal(sent.length, 2);
  // closed again (its own diagnostics cleared): the configuration sends them again
  await close(B);
  await configurations.publishIncluded(CONFIG, included(), publish);
  assert.deepEqual(sent.slice(2), [[B, 1]]);
  // the configuration no longer includes a.conf: cleared
  await configurations.publishIncluded(
    CONFIG,
    included().filter((x) => x.uri !== A),
    publish,
  );
  assert.deepEqual(sent.slice(3), [[A, 0]]);
  // the configuration closed: what it published is cleared
  await close(CONFIG);
  assert.deepEqual(sent.slice(4), [[B, 0]]);
});
