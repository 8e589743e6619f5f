/**
 * Hostile input over the protocol: requests for documents the server never saw, positions past the end,
 * malformed parameters and messages, a 20 MB document. Each gets an answer or a clean JSON-RPC error,
 * and the server keeps serving (checked after each step with a real request).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { ResponseError } from 'vscode-jsonrpc';
import type { Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { ROOT } from '../helpers/util';
import { LspTestClient } from '../helpers/lspClient';
import { MAX_FOLDING_RANGES } from '../../server/src/features/folding';

let client: LspTestClient;
const GOOD = 'file:///workspace/good.pmta';
const GOOD_TEXT = '<domain example.com>\n    max-smtp-out 5\n</domain>\n';

before(async () => {
  client = await LspTestClient.start();
  await client.open(GOOD, GOOD_TEXT);
  assert.deepEqual(await client.waitForDiagnostics(GOOD, { version: 1 }), []);
});

after(() => client?.kill());

/** The server still answers a real request correctly. */
async function assertAlive(): Promise<void> {
  const hover = await client.request<Hover | null>('textDocument/hover', {
    textDocument: { uri: GOOD },
    position: { line: 1, character: 6 },
  });
  assert.ok(hover, 'the server still answers');
  assert.match((hover.contents as MarkupContent).value, /^\*\*max-smtp-out\*\*/);
  assert.equal(client.proc.exitCode, null, 'the server process is running');
}

/** Sends a request; returns its result, or the JSON-RPC error code when it is answered with an error. */
async function answer(method: string, params: unknown): Promise<{ result: unknown } | { error: number }> {
  try {
    return { result: await client.request(method, params) };
  } catch (e) {
    assert.ok(e instanceof ResponseError, `${method} is answered with a JSON-RPC error, not ${String(e)}`);
    return { error: e.code };
  }
}

const pos = { line: 0, character: 0 };
const range = { start: pos, end: pos };

test('requests for a document that was never opened get empty answers', async () => {
  const textDocument = { uri: 'file:///nowhere/never-opened.pmta' };
  const expected: Array<[string, unknown, unknown]> = [
    ['textDocument/hover', { textDocument, position: pos }, null],
    ['textDocument/completion', { textDocument, position: pos }, { isIncomplete: false, items: [] }],
    ['textDocument/codeAction', { textDocument, range, context: { diagnostics: [] } }, []],
    ['textDocument/documentSymbol', { textDocument }, []],
    ['textDocument/foldingRange', { textDocument }, []],
    ['textDocument/definition', { textDocument, position: pos }, []],
    ['textDocument/references', { textDocument, position: pos, context: { includeDeclaration: true } }, []],
    ['textDocument/prepareRename', { textDocument, position: pos }, null],
    ['textDocument/rename', { textDocument, position: pos, newName: 'x' }, null],
    ['textDocument/formatting', { textDocument, options: { tabSize: 4, insertSpaces: true } }, []],
    ['textDocument/rangeFormatting', { textDocument, range, options: { tabSize: 4, insertSpaces: true } }, []],
    ['textDocument/documentLink', { textDocument }, []],
  ];
  for (const [method, params, result] of expected) {
    assert.deepEqual(await answer(method, params), { result }, method);
  }
  // notifications about unknown documents are ignored
  await client.change('file:///nowhere/never-opened.pmta', 2, [{ text: 'x' }]);
  await client.close('file:///nowhere/never-opened.pmta');
  await assertAlive();
});

test('positions past the end of the document, of a line, or negative, are answered', async () => {
  for (const position of [
    { line: 9999, character: 0 },
    { line: 1, character: 9999 },
    { line: 99999999, character: 99999999 },
    { line: -1, character: -5 },
  ]) {
    const textDocument = { uri: GOOD };
    const hover = await answer('textDocument/hover', { textDocument, position });
    assert.ok(!('error' in hover), `hover at ${JSON.stringify(position)} is answered`);
    const completion = await answer('textDocument/completion', { textDocument, position });
    assert.ok('result' in completion && Array.isArray((completion.result as { items: unknown[] }).items));
    assert.deepEqual(await answer('textDocument/definition', { textDocument, position }), { result: [] });
    const actions = await answer('textDocument/codeAction', {
      textDocument,
      range: { start: position, end: position },
      context: { diagnostics: [] },
    });
    assert.ok('result' in actions && Array.isArray(actions.result));
  }
  // a hover past the end of line 1 is a hover at its end: nothing there
  assert.deepEqual(
    await answer('textDocument/hover', { textDocument: { uri: GOOD }, position: { line: 1, character: 9999 } }),
    { result: null },
  );
  await assertAlive();
});

test('an edit whose range is past the end appends; the document is re-checked', async () => {
  await client.change(GOOD, 2, [
    { range: { start: { line: 99, character: 0 }, end: { line: 99, character: 5 } }, text: 'max-smtp-outt 1\n' },
  ]);
  const diags = await client.waitForDiagnostics(GOOD, { version: 2 });
  assert.deepEqual(
    diags.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}`),
    ['unknown-directive@3:0'],
  );
  await client.change(GOOD, 3, [{ text: GOOD_TEXT }]);
  assert.deepEqual(await client.waitForDiagnostics(GOOD, { version: 3 }), []);
});

test('documents with odd URIs (bad escapes, a host, not a file) are checked; looking for their configuration does not fail', async () => {
  const text = '<source 0/0>\n    default-virtual-mta nowhere\n</source>\n';
  for (const uri of [
    'file:///tmp/%zz/conf.d/a.conf',
    'file://remote-host/share/pmta/conf.d/a.conf',
    'untitled:Untitled-7',
    'vscode-vfs://github/x/y/conf.d/a.conf',
  ]) {
    await client.open(uri, text);
    const ds = await client.waitForDiagnostics(uri, { version: 1 });
    assert.deepEqual(
      ds.map((d) => d.code),
      ['undefined-reference'],
      uri,
    );
    const hover = await client.request<Hover | null>('textDocument/hover', {
      textDocument: { uri },
      position: { line: 1, character: 26 },
    });
    assert.match((hover?.contents as MarkupContent).value, /nowhere/, uri);
    await client.close(uri);
  }
  await assertAlive();
});

test('malformed parameters get a JSON-RPC error or an empty answer', async () => {
  // by position instead of by name: rejected by the JSON-RPC layer
  assert.deepEqual(await answer('textDocument/hover', [1, 2]), { error: -32602 });
  assert.deepEqual(await answer('textDocument/hover', null), { error: -32602 });
  // an object without a textDocument: an internal error, answered
  assert.deepEqual(await answer('textDocument/hover', {}), { error: -32603 });
  assert.deepEqual(await answer('textDocument/completion', { position: pos }), { error: -32603 });
  // wrong types inside
  assert.deepEqual(await answer('textDocument/hover', { textDocument: 5, position: pos }), { result: null });
  assert.deepEqual(await answer('textDocument/hover', { textDocument: { uri: GOOD }, position: null }), {
    result: null,
  });
  assert.deepEqual(
    await answer('textDocument/hover', { textDocument: { uri: GOOD }, position: { line: 'one', character: {} } }),
    { result: null },
  );
  const badRange = await answer('textDocument/codeAction', {
    textDocument: { uri: GOOD },
    range: 'all',
    context: { diagnostics: 'none' },
  });
  assert.ok('result' in badRange || badRange.error === -32603);
  assert.deepEqual(
    await answer('textDocument/formatting', { textDocument: { uri: GOOD }, options: { tabSize: 'wide' } }),
    { result: [] },
  );
  // a method the server does not implement
  assert.deepEqual(await answer('pmta/doesNotExist', {}), { error: -32601 });
  // a didOpen whose text is not a string: logged, nothing published, nothing broken
  await client.notify('textDocument/didOpen', {
    textDocument: { uri: 'file:///workspace/number.pmta', languageId: 'powermta', version: 1, text: 42 },
  });
  await assertAlive();
});

test('malformed messages on the wire do not stop the server', async () => {
  const raw = (body: string) => client.proc.stdin!.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  raw('{not json}');
  raw('{"jsonrpc":"2.0","id":"x"}'); // neither a request, a response nor a notification
  raw('{"jsonrpc":"2.0","method":"textDocument/didOpen","params":"nonsense"}');
  raw('[]');
  await assertAlive();
  assert.equal(client.stderr, '', 'nothing was printed to stderr');
});

test('a 20 MB document: one notice instead of an analysis, edits and requests still answered, other documents served', async () => {
  const example = fs.readFileSync(path.join(ROOT, 'examples', 'microsoft.pmta'), 'utf8');
  const copies = Math.ceil((20 * 1024 * 1024) / example.length);
  const big = example.repeat(copies);
  assert.ok(big.length >= 20 * 1024 * 1024);
  const uri = 'file:///workspace/huge.pmta';
  const notice = (length: number) => [
    {
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      severity: 2,
      code: 'file-too-large',
      source: 'pmta',
      message: `This file (${Math.ceil(length / 1024)} KB) is larger than the size limit of 10240 KB, so it is not checked: no rule ran on it. Raise the limit to check it: --max-file-size with pmta-lint, the setting pmta.maxFileSizeKB in the editor.`,
    },
  ];
  await client.open(uri, big);
  assert.deepEqual(await client.waitForDiagnostics(uri, { version: 1, timeoutMs: 60000 }), notice(big.length));
  // an incremental edit in the middle of it
  const line = copies * 25;
  await client.change(uri, 2, [
    { range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: '# edited\n' },
  ]);
  assert.deepEqual(
    await client.waitForDiagnostics(uri, { version: 2, timeoutMs: 60000 }),
    notice(big.length + '# edited\n'.length),
  );
  // a smaller document is still served while the big one is open
  await assertAlive();
  // requests on the big document itself are answered
  const folding = await answer('textDocument/foldingRange', { textDocument: { uri } });
  // capped so that the editor stays responsive (features/folding.ts)
  assert.ok(
    'result' in folding && Array.isArray(folding.result) && folding.result.length === MAX_FOLDING_RANGES,
    'as many folding ranges as the cap allows',
  );
  assert.deepEqual(
    await answer('textDocument/definition', { textDocument: { uri }, position: { line: 1, character: 0 } }),
    { result: [] },
  );
  await client.close(uri);
  await assertAlive();
  assert.equal(await client.shutdown(), 0);
});
