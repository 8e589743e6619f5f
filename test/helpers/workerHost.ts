/**
 * Runs dist/web/server.js, the build of the language server for a web worker, as if in a worker: its
 * `self.postMessage` / `self.onmessage` are carried over this process's stdio with LSP framing, so the
 * protocol tests talk to it exactly as to dist/server.js (LspTestClient's `script` option).
 *
 *   node out/test/helpers/workerHost.js dist/web/server.js
 */
import { StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';

const script = process.argv[2];
// (the test runner, given out/test/, also runs this file: without a script it does nothing)
if (script) {
  const reader = new StreamMessageReader(process.stdin);
  const writer = new StreamMessageWriter(process.stdout);
  let onmessage: ((e: { data: unknown }) => void) | undefined;
  const early: unknown[] = [];

  // stdout carries the protocol: whatever the script logs goes to stderr
  console.log = console.info = console.warn = console.error;

  (globalThis as unknown as { self: unknown }).self = {
    postMessage: (data: unknown) => void writer.write(data as Parameters<typeof writer.write>[0]),
    set onmessage(f: (e: { data: unknown }) => void) {
      onmessage = f;
      early.splice(0).forEach((data) => f({ data }));
    },
    addEventListener(_type: string, _listener: unknown) {
      // a worker's error events: none here
    },
    // the worker ends itself (on `exit`): so does this process
    close: () => process.exit(0),
  };
  reader.listen((data) => (onmessage ? onmessage({ data }) : early.push(data)));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(require('path').resolve(script));
}
