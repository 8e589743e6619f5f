#!/usr/bin/env node
/**
 * Bundles the extension with esbuild.
 *
 *   node scripts/build.mjs               development build (sourcemaps, not minified)
 *   node scripts/build.mjs --production  minified build (still with sourcemaps)
 *   node scripts/build.mjs --watch       rebuild on change
 *
 * Outputs:
 *   dist/extension.js    the VS Code client (CommonJS, `vscode` external)
 *   dist/server.js       the language server, standalone: `node dist/server.js --stdio`; it loads and
 *                        runs dist/server-main.js (through V8's code cache with --cache-dir=DIR)
 *   dist/cli.js          pmta-lint, executable (shebang, mode 755)
 *   dist/web/extension.js  the extension on the web (VS Code for the Web: vscode.dev, github.dev)
 *   dist/web/server.js   the language server in a web worker, which that extension starts
 *   dist/web/service.js  the language service for the browser (ESM). This build exists to prove that
 *                        server/src/service.ts and everything it imports use no Node-only API: an import
 *                        of fs, path, child_process… fails it (so does one in the two builds above).
 */
import * as esbuild from 'esbuild';
import { builtinModules } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');
for (const a of args) {
  if (!['--production', '--watch'].includes(a)) {
    console.error(`build: unknown option ${a}\nusage: node scripts/build.mjs [--production] [--watch]`);
    process.exit(2);
  }
}

const rel = (p) => path.relative(ROOT, p).split(path.sep).join('/');

/** Reports each build's result on one line (useful in --watch mode). */
const reportPlugin = (name) => ({
  name: 'report',
  setup(build) {
    let started = 0;
    build.onStart(() => {
      started = Date.now();
    });
    build.onEnd((result) => {
      const ms = Date.now() - started;
      if (result.errors.length) console.error(`[build] ${name}: ${result.errors.length} error(s)`);
      else if (watch) console.log(`[build] ${name}: built in ${ms} ms`);
    });
  },
});

/** Makes the CLI executable after every build. */
const chmodPlugin = (file) => ({
  name: 'chmod',
  setup(build) {
    build.onEnd((result) => {
      if (!result.errors.length && fs.existsSync(file)) fs.chmodSync(file, 0o755);
    });
  },
});

const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/**
 * Fails the browser build with a clear message when anything imports a Node built-in module
 * (fs, path, child_process, node:url…). A bare name that an installed npm package provides for the
 * browser (say `punycode` or `events` from node_modules) is allowed.
 */
const noNodeBuiltinsPlugin = {
  name: 'no-node-builtins',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, async (a) => {
      if (a.pluginData?.noNodeBuiltinsCheck) return undefined;
      const prefixed = a.path.startsWith('node:');
      const bare = prefixed ? a.path : a.path.split('/')[0];
      if (!NODE_BUILTINS.has(bare)) return undefined;
      if (!prefixed) {
        const r = await build.resolve(a.path, {
          kind: a.kind,
          importer: a.importer,
          resolveDir: a.resolveDir,
          pluginData: { noNodeBuiltinsCheck: true },
        });
        if (!r.errors.length && r.path && !r.external) return r;
      }
      return {
        errors: [
          {
            text:
              `"${a.path}" is a Node.js built-in module, imported by ${rel(a.importer) || a.importer}. ` +
              'The language service (server/src/service.ts and what it imports) must not use Node-only APIs; ' +
              'put file access behind an IncludeHost (see server/src/hosts/nodeHost.ts) instead.',
          },
        ],
      };
    });
  },
};

/** The version every bundle reports (server/src/version.ts): package.json's. */
const VERSION = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;

/** @type {esbuild.BuildOptions} */
const common = {
  absWorkingDir: ROOT,
  define: { PMTA_VERSION: JSON.stringify(VERSION) },
  bundle: true,
  sourcemap: true,
  minify: production,
  legalComments: 'none',
  logLevel: 'warning',
};

/** @type {Array<{ name: string, options: esbuild.BuildOptions }>} */
const builds = [
  {
    name: 'extension',
    options: {
      ...common,
      entryPoints: ['client/src/extension.ts'],
      outfile: 'dist/extension.js',
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      external: ['vscode'],
    },
  },
  {
    // vscode-languageclient, loaded by the extension when it starts the server (client/src/lspClient.ts)
    name: 'lsp-client',
    options: {
      ...common,
      entryPoints: ['client/src/lspClient.ts'],
      outfile: 'dist/lsp-client.js',
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      external: ['vscode'],
    },
  },
  {
    // what dist/server.js loads and runs (through V8's code cache with --cache-dir: boot.ts)
    name: 'server',
    options: {
      ...common,
      entryPoints: ['server/src/server/node.ts'],
      outfile: 'dist/server-main.js',
      platform: 'node',
      target: 'node20',
      format: 'cjs',
    },
  },
  {
    name: 'server-boot',
    options: {
      ...common,
      entryPoints: ['server/src/server/boot.ts'],
      outfile: 'dist/server.js',
      platform: 'node',
      target: 'node20',
      format: 'cjs',
    },
  },
  {
    name: 'cli',
    options: {
      ...common,
      entryPoints: ['server/src/cli.ts'],
      outfile: 'dist/cli.js',
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      banner: { js: '#!/usr/bin/env node' },
    },
  },
  {
    // the extension's "browser" entry (package.json)
    name: 'web-extension',
    options: {
      ...common,
      entryPoints: ['client/src/webExtension.ts'],
      outfile: 'dist/web/extension.js',
      platform: 'browser',
      target: 'es2022',
      format: 'cjs',
      external: ['vscode'],
    },
  },
  {
    // a classic worker script, started by dist/web/extension.js
    name: 'web-server',
    options: {
      ...common,
      entryPoints: ['server/src/server/browser.ts'],
      outfile: 'dist/web/server.js',
      platform: 'browser',
      target: 'es2022',
      format: 'iife',
    },
  },
  {
    name: 'web-service',
    options: {
      ...common,
      entryPoints: ['server/src/service.ts'],
      outfile: 'dist/web/service.js',
      platform: 'browser',
      target: 'es2022',
      format: 'esm',
    },
  },
];

function plugins(b) {
  const list = [reportPlugin(b.name)];
  if (b.name === 'cli') list.push(chmodPlugin(path.join(ROOT, b.options.outfile)));
  if (b.options.platform === 'browser') list.unshift(noNodeBuiltinsPlugin);
  return list;
}

const missing = builds.map((b) => b.options.entryPoints[0]).filter((e) => !fs.existsSync(path.join(ROOT, e)));
if (missing.length) {
  console.error(`build: missing entry file(s): ${missing.join(', ')}`);
  process.exit(1);
}

if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context({ ...b.options, plugins: plugins(b) })));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log(
    `[build] watching ${builds.length} bundles (${production ? 'production' : 'development'}); Ctrl+C to stop`,
  );
  const stop = async () => {
    await Promise.all(contexts.map((c) => c.dispose()));
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} else {
  fs.rmSync(path.join(ROOT, 'dist'), { recursive: true, force: true });
  const started = Date.now();
  const results = await Promise.allSettled(builds.map((b) => esbuild.build({ ...b.options, plugins: plugins(b) })));
  const failed = builds.filter((_, i) => results[i].status === 'rejected').map((b) => b.name);
  if (failed.length) {
    console.error(`build failed: ${failed.join(', ')}`);
    process.exit(1);
  }
  const sizes = builds.map(
    (b) => `${b.options.outfile} ${(fs.statSync(path.join(ROOT, b.options.outfile)).size / 1024).toFixed(0)} KB`,
  );
  console.log(
    `built (${production ? 'production' : 'development'}) in ${Date.now() - started} ms: ${sizes.join(', ')}`,
  );
}
