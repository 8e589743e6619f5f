/**
 * The import boundaries of .dependency-cruiser.cjs (which `npm run lint` checks the real tree with)
 * catch what they are for: a small tree laid out like server/src and client/src, with one forbidden
 * import of each kind and some allowed ones, gives exactly the expected violations.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ROOT } from '../helpers/util';

interface Config {
  forbidden: object[];
  options: { enhancedResolveOptions: object } & Record<string, unknown>;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the configuration is a CommonJS file outside the compiled tree
const CONFIG = require(path.join(ROOT, '.dependency-cruiser.cjs')) as Config;

/** Writes `files` (path → imported paths, relative to the tree) as TypeScript modules into a new folder. */
function tree(files: Record<string, string[]>): { dir: string; imports: number } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pmta-boundaries-'));
  for (const [file, imports] of Object.entries(files)) {
    const full = path.join(dir, file);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    const lines = imports.map((to, i) => {
      if (to.startsWith('type:')) return `import type { X${i} } from '${spec(file, to.slice(5))}';`;
      return `import { x${i} } from '${to.includes('/') ? spec(file, to) : to}';`;
    });
    fs.writeFileSync(full, lines.join('\n') + '\nexport const x = 1;\nexport type X = number;\n');
  }
  return { dir, imports: Object.values(files).flat().length };
}

/** The specifier that imports `to` from `from` (both relative to the tree), without its extension. */
function spec(from: string, to: string): string {
  const rel = path.posix.relative(path.posix.dirname(from), to).replace(/\.ts$/, '');
  return rel.startsWith('.') ? rel : './' + rel;
}

/**
 * Every violation the project's rules find in the tree, as "rule: from → to", after checking that
 * every import of the tree was seen (`imports` of them).
 */
async function violations(dir: string, imports: number): Promise<string[]> {
  const { cruise } = await import('dependency-cruiser');
  const { enhancedResolveOptions, ...options } = CONFIG.options;
  const result = await cruise(
    ['server', 'client'],
    { ...options, baseDir: dir, validate: true, ruleSet: { forbidden: CONFIG.forbidden } } as Parameters<
      typeof cruise
    >[1],
    enhancedResolveOptions,
  );
  assert.equal(typeof result.output, 'object');
  const summary = (result.output as Exclude<typeof result.output, string>).summary;
  assert.equal(summary.totalDependenciesCruised, imports, 'imports seen');
  return summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();
}

test('the boundary rules report an import of a higher layer, a cycle, a Node module in the service, a client import of the server and the reverse', async () => {
  // every imported module imports nothing, so that the only cycle is the one between a.ts and b.ts
  const { dir, imports } = tree({
    'server/src/util/a.ts': ['server/src/util/b.ts'],
    'server/src/util/b.ts': ['server/src/util/a.ts'],
    'server/src/util/eol.ts': ['fs'],
    'server/src/parser/parser.ts': ['server/src/knowledge/catalog.ts'],
    'server/src/knowledge/catalog.ts': [],
    'server/src/knowledge/values.ts': ['server/src/model/index.ts'],
    'server/src/model/index.ts': [],
    'server/src/model/annotations.ts': ['type:server/src/rules/types.ts'],
    'server/src/accounting/aggregate.ts': ['server/src/model/index.ts'],
    'server/src/rules/types.ts': [],
    'server/src/rules/syntax.ts': ['server/src/features/links.ts'],
    'server/src/features/links.ts': [],
    'server/src/features/hover.ts': ['server/src/rules/types.ts'],
    'server/src/service.ts': ['server/src/server/serve.ts'],
    'server/src/server/serve.ts': [],
    'server/src/server/protocol.ts': [],
    'server/src/server/node.ts': ['client/src/files.ts'],
    'server/src/cli.ts': ['test/helpers/util.ts'],
    'test/helpers/util.ts': [],
    'client/src/files.ts': [],
    'client/src/activate.ts': ['server/src/server/protocol.ts', 'server/src/service.ts'],
  });
  try {
    assert.deepEqual(await violations(dir, imports), [
      'client-talks-lsp-only: client/src/activate.ts → server/src/service.ts',
      'layer-accounting: server/src/accounting/aggregate.ts → server/src/model/index.ts',
      'layer-features: server/src/features/hover.ts → server/src/rules/types.ts',
      'layer-knowledge: server/src/knowledge/values.ts → server/src/model/index.ts',
      'layer-model: server/src/model/annotations.ts → server/src/rules/types.ts',
      'layer-parser: server/src/parser/parser.ts → server/src/knowledge/catalog.ts',
      'layer-rules: server/src/rules/syntax.ts → server/src/features/links.ts',
      'layer-service: server/src/service.ts → server/src/server/serve.ts',
      'no-circular: server/src/util/a.ts → server/src/util/b.ts',
      'no-tests-in-product: server/src/cli.ts → test/helpers/util.ts',
      'pure-no-node-builtins: server/src/util/eol.ts → fs',
      'server-not-client: server/src/server/node.ts → client/src/files.ts',
    ]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('imports down the layers, of the shared types and by the client of the protocol are allowed', async () => {
  const { dir, imports } = tree({
    'server/src/util/text.ts': [],
    'server/src/parser/parser.ts': ['server/src/util/text.ts'],
    'server/src/knowledge/catalog.ts': ['server/src/util/text.ts'],
    'server/src/hosts/includeHost.ts': ['type:server/src/hosts/nearby.ts'],
    'server/src/hosts/nearby.ts': [],
    'server/src/hosts/nodeHost.ts': ['fs', 'server/src/hosts/includeHost.ts'],
    'server/src/findings.ts': ['type:server/src/parser/parser.ts'],
    'server/src/settings.ts': ['server/src/knowledge/catalog.ts', 'type:server/src/findings.ts'],
    'server/src/diagnostics.ts': ['type:server/src/findings.ts'],
    'server/src/model/index.ts': [
      'server/src/parser/parser.ts',
      'server/src/knowledge/catalog.ts',
      'type:server/src/hosts/includeHost.ts',
    ],
    'server/src/accounting/aggregate.ts': ['server/src/knowledge/catalog.ts', 'server/src/util/text.ts'],
    'server/src/microsoft/analysis.ts': ['server/src/model/index.ts', 'type:server/src/settings.ts'],
    'server/src/types.ts': ['type:server/src/microsoft/analysis.ts'],
    'server/src/rules/types.ts': ['server/src/microsoft/analysis.ts', 'type:server/src/findings.ts'],
    'server/src/features/codeActions.ts': [
      'server/src/diagnostics.ts',
      'type:server/src/types.ts',
      'server/src/accounting/aggregate.ts',
    ],
    'server/src/service.ts': ['server/src/rules/types.ts', 'server/src/features/codeActions.ts'],
    'server/src/server/serve.ts': ['server/src/service.ts', 'server/src/hosts/nodeHost.ts', 'path'],
    'server/src/server/protocol.ts': ['type:server/src/types.ts'],
    'server/src/server/nodeOptions.ts': [],
    'server/src/cli.ts': ['server/src/service.ts', 'server/src/hosts/nodeHost.ts'],
    'client/src/activate.ts': ['server/src/server/protocol.ts', 'server/src/server/nodeOptions.ts'],
  });
  try {
    assert.deepEqual(await violations(dir, imports), []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
