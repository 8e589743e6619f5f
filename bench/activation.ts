/**
 * Measures what loading the extension costs: the time to `require` dist/extension.js in a fresh
 * Node process, with a stub `vscode` module (VS Code's API is not available outside VS Code).
 * That is the part of activation the extension controls; `activate()` itself registers commands and a
 * status bar item and starts the server in the background, loading dist/lsp-client.js (which this
 * also measures when given its path). Prints the milliseconds on stdout.
 *   node out/bench/activation.js path/to/dist/extension.js
 */
import * as fs from 'fs';
import Module from 'module';
import * as path from 'path';

const file = process.argv[2];

/** A stand-in for any value of the vscode API: callable, constructible, every property another stub. */
function stub(): unknown {
  const target = function () {
    return undefined;
  };
  const cache = new Map<PropertyKey, unknown>();
  return new Proxy(target, {
    get(_t, key) {
      if (key === 'prototype') return Object.prototype;
      if (key === Symbol.toPrimitive) return () => '';
      if (key === 'then') return undefined;
      if (!cache.has(key)) cache.set(key, stub());
      return cache.get(key);
    },
    apply: () => stub(),
    construct: () => stub() as object,
  });
}

const M = Module as unknown as {
  _resolveFilename: (req: string, ...rest: unknown[]) => string;
  _cache: Record<string, unknown>;
};
const resolve = M._resolveFilename;
M._resolveFilename = function (req: string, ...rest: unknown[]) {
  return req === 'vscode' ? 'vscode' : resolve.call(this, req, ...rest);
};
/**
 * The module itself: a bundle imports it as an ES module and copies its own properties, so it lists
 * the API names the client uses (read from its sources, client/src/*.ts), each a stub.
 */
function vscodeModule(): unknown {
  const dir = path.join(__dirname, '..', '..', 'client', 'src');
  const sources = fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.ts'))
        .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))
    : [];
  const names = [...new Set(sources.flatMap((src) => [...src.matchAll(/\bvscode\.(\w+)/g)].map((m) => m[1])))];
  const api = stub() as Record<string, unknown>;
  return new Proxy({} as Record<string, unknown>, {
    get: (_t, key) => api[key as string],
    ownKeys: () => names,
    getOwnPropertyDescriptor: (_t, key) =>
      names.includes(key as string) ? { configurable: true, enumerable: true, value: api[key as string] } : undefined,
  });
}
M._cache['vscode'] = { id: 'vscode', filename: 'vscode', loaded: true, exports: vscodeModule() };

const t0 = process.hrtime.bigint();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const mod = require(file) as { activate?: unknown; createClient?: unknown };
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
if (typeof mod.activate !== 'function' && typeof mod.createClient !== 'function') {
  console.error(`${file} exports neither activate() nor createClient()`);
  process.exit(1);
}
console.log(ms.toFixed(2));
