/**
 * The language server built for a web worker (dist/web/server.js, VS Code for the Web), run as in a worker
 * (test/helpers/workerHost.ts): it answers like the Node server, and reads included files through the
 * client (pmta/readFiles, pmta/readDirectory), never outside the workspace folders. The Node server does
 * the same for documents that are not on its disk (a virtual workspace).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { Diagnostic, Hover, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { LspTestClient, positionOf, WEB_SERVER } from '../helpers/lspClient';
import { ROOT } from '../helpers/util';
import {
  READ_DIRECTORY,
  READ_FILES,
  type ReadDirectoryParams,
  type ReadFilesParams,
} from '../../server/src/server/protocol';

const clients: LspTestClient[] = [];
after(() => clients.forEach((c) => c.kill()));

async function start(
  kind: 'web' | 'node',
  workspaceFolders?: Array<{ uri: string; name: string }>,
): Promise<LspTestClient> {
  const c = await LspTestClient.start({ script: kind === 'web' ? WEB_SERVER : undefined, workspaceFolders });
  clients.push(c);
  return c;
}

const shown = (ds: Diagnostic[]) =>
  ds.map(
    (d) =>
      `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.code} ${d.message}`,
  );

test('the web worker build answers like the Node server: capabilities, diagnostics, hover', async () => {
  const web = await start('web');
  const node = await start('node');
  assert.deepEqual(web.initializeResult, node.initializeResult);
  const text = fs.readFileSync(path.join(ROOT, 'examples', 'microsoft.pmta'), 'utf8');
  const uri = 'vscode-vfs://github/acme/mail/microsoft.pmta';
  await web.open(uri, text);
  await node.open(uri, text);
  const w = await web.waitForDiagnostics(uri, { version: 1 });
  const n = await node.waitForDiagnostics(uri, { version: 1 });
  assert.equal(w.length, 10);
  assert.deepEqual(shown(w), shown(n));
  const position = positionOf(text, 'max-smtp-out 10', 2);
  const hover = await web.request<Hover>('textDocument/hover', { textDocument: { uri }, position });
  assert.deepEqual(hover, await node.request<Hover>('textDocument/hover', { textDocument: { uri }, position }));
  assert.match(JSON.stringify(hover.contents), /max-smtp-out/);
});

// examples/split/pmta as a GitHub repository is seen on github.dev (or with Remote Repositories)
const folder = 'vscode-vfs://github/acme/mail';
const split = path.join(ROOT, 'examples', 'split');

/** A server of `kind` whose client answers the file requests from examples/split; `asked` lists the requests. */
async function throughClient(kind: 'web' | 'node') {
  const files = new Map<string, string>();
  for (const rel of ['pmta/config', 'pmta/conf.d/ips.conf', 'pmta/conf.d/microsoft.conf'])
    files.set(`${folder}/${rel}`, fs.readFileSync(path.join(split, rel), 'utf8'));
  const web = await LspTestClient.start({
    script: kind === 'web' ? WEB_SERVER : undefined,
    workspaceFolders: [{ uri: folder, name: 'mail' }],
    codeLensRefresh: true,
  });
  clients.push(web);
  const asked: string[] = [];
  web.conn.onRequest(READ_FILES, (p: ReadFilesParams) => {
    asked.push(...p.uris);
    return p.uris.map((u) => files.get(u) ?? null);
  });
  web.conn.onRequest(READ_DIRECTORY, (p: ReadDirectoryParams) => {
    asked.push(`dir ${p.uri}`);
    const names = [...files.keys()]
      .filter((u) => u.startsWith(p.uri) && !u.slice(p.uri.length).includes('/'))
      .map((u) => u.slice(p.uri.length));
    return names.length ? names : null;
  });
  return { web, files, asked };
}

/** examples/split/pmta/config opened by `kind`, its included files read through the client. */
async function splitThroughClient(kind: 'web' | 'node'): Promise<void> {
  const { web, files, asked } = await throughClient(kind);
  const configUri = `${folder}/pmta/config`;
  await web.open(configUri, files.get(configUri)!);
  // first checked without the included files (they are asked for meanwhile), then with them
  const first = await web.waitForDiagnostics(configUri, { version: 1 });
  assert.deepEqual(shown(first), [
    '9:8-9:31 unresolved-include Include not followed: no file found for "/etc/pmta/conf.d/*.conf"; names defined there are not checked',
  ]);
  const microsoftUri = `${folder}/pmta/conf.d/microsoft.conf`;
  const fromConfig = await web.waitForDiagnostics(microsoftUri);

  // the same as the Node server on disk
  const node = await start('node');
  const diskConfig = pathToFileURL(path.join(split, 'pmta', 'config')).toString();
  await node.open(diskConfig, files.get(configUri)!);
  const diskMicrosoft = pathToFileURL(path.join(split, 'pmta', 'conf.d', 'microsoft.conf')).toString();
  assert.deepEqual(shown(fromConfig), shown(await node.waitForDiagnostics(diskMicrosoft)));
  assert.deepEqual(
    fromConfig.map((d) => d.code),
    [
      'microsoft-missing-rollup',
      'microsoft-missing-pattern-list',
      'microsoft-unsafe-limit',
      'microsoft-connection-budget',
    ],
  );
  const last = (c: LspTestClient, uri: string) =>
    c.published.filter((p: PublishDiagnosticsParams) => p.uri === uri).at(-1)!.diagnostics;
  assert.deepEqual(shown(last(web, configUri)), shown(last(node, diskConfig)));

  // what was asked: the folder of the glob and the candidates inside the workspace, never /etc/pmta/… (outside it)
  assert.ok(asked.includes(`dir ${folder}/pmta/conf.d/`), asked.join('\n'));
  assert.ok(
    asked.every((u) => u.replace(/^dir /, '').startsWith(folder + '/')),
    asked.join('\n'),
  );
  assert.equal(new Set(asked).size, asked.length, `asked twice: ${asked.join('\n')}`);
}

test('the web worker build reads included files through the client, only inside the workspace, and checks the configuration with them', () =>
  splitThroughClient('web'));

test('the Node server does the same for a document of a virtual workspace (vscode-vfs:, Remote Repositories)', () =>
  splitThroughClient('node'));

test('a file opened alone on the web finds the configuration that includes it through the client', async () => {
  const { web, files } = await throughClient('web');
  const uri = `${folder}/pmta/conf.d/microsoft.conf`;
  await web.open(uri, files.get(uri)!);
  // alone first (the pool ips.conf defines is unknown), then as part of pmta/config
  const alone = await web.waitForDiagnostics(uri, { version: 1 });
  assert.ok(
    alone.some((d) => d.code === 'undefined-reference'),
    shown(alone).join('\n'),
  );
  const withConfig = await web.waitForDiagnostics(uri, {
    accept: (p) => !p.diagnostics.some((d) => d.code === 'undefined-reference'),
  });
  const node = await start('node');
  const disk = pathToFileURL(path.join(split, 'pmta', 'conf.d', 'microsoft.conf')).toString();
  await node.open(disk, files.get(uri)!);
  assert.deepEqual(shown(withConfig), shown(await node.waitForDiagnostics(disk, { version: 1 })));
  assert.ok(
    web.logs.some((l) => l.includes(`${uri} is checked as part of ${folder}/pmta/config`)),
    web.logs.join('\n'),
  );
  // the code lens the editor asked for at first (the file alone) is asked for again: it counts the pool now
  assert.ok(web.lensRefreshes > 0);
  const lenses = await web.request<Array<{ command?: { title: string } }>>('textDocument/codeLens', {
    textDocument: { uri },
  });
  assert.match(lenses[0]?.command?.title ?? '', /^Microsoft: 80 connections \(4 IPs × max-smtp-out 20/);
});
