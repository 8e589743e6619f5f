/**
 * Import boundaries of the language server's layers (ARCHITECTURE.md draws them), checked by
 * dependency-cruiser in `npm run lint`: each area of server/src may import only the areas below it,
 * the client talks to the server through the protocol module only, and no import cycles anywhere.
 * Type-only imports count too (a type is a dependency of the code that names it).
 *
 * test/unit/boundaries.test.ts feeds these rules small trees with a forbidden import and expects each
 * one to be reported.
 */

/** The areas of server/src, by path. A new folder must be given a place here before others import it. */
const AREAS = {
  /** shared low-level modules (text and character codes, memo, phrases, line ends) */
  util: '^server/src/util/',
  parser: '^server/src/parser/',
  /** directive catalog, blocks, value grammars, Microsoft facts: cited data and small pure lookups */
  knowledge: '^server/src/knowledge/',
  /** the include host interfaces and the limits and names both hosts share */
  hostInterfaces: '^server/src/hosts/(includeHost|nearby)\\.ts$',
  /** types and pure conversions shared by several layers */
  shared: '^server/src/(findings|settings|diagnostics)\\.ts$',
  model: '^server/src/model/',
  /** the delivery-report engine: pure, beside the configuration layers */
  accounting: '^server/src/accounting/',
  microsoft: '^server/src/microsoft/',
  /** the service's request and answer types */
  types: '^server/src/types\\.ts$',
  rules: '^server/src/rules/',
  features: '^server/src/features/',
  service: '^server/src/(service|serviceModels|reportService|modelCache)\\.ts$',
};

/**
 * What each area may import besides itself. Whatever is not an area (server/src/server/, the Node and
 * browser hosts, the CLI entries) is the top: it may import any area, and no area may import it.
 */
const LOW = ['util', 'parser', 'knowledge', 'hostInterfaces', 'shared'];
const MAY_IMPORT = {
  util: [],
  parser: ['util'],
  knowledge: ['util'],
  // (the DKIM key facts a host reports are knowledge's types)
  hostInterfaces: ['util', 'knowledge'],
  shared: ['util', 'parser', 'knowledge'],
  accounting: ['util', 'knowledge'],
  model: LOW,
  microsoft: [...LOW, 'model'],
  types: [...LOW, 'model', 'microsoft'],
  rules: [...LOW, 'model', 'microsoft', 'types'],
  // features never import rules: what both need lives in microsoft/ or below
  features: [...LOW, 'model', 'microsoft', 'types', 'accounting'],
  service: [...LOW, 'model', 'microsoft', 'types', 'accounting', 'rules', 'features'],
};

const layerRules = Object.entries(MAY_IMPORT).map(([area, allowed]) => ({
  name: `layer-${area}`,
  comment: `${AREAS[area]} may import only ${allowed.length ? allowed.map((a) => AREAS[a]).join(', ') : 'itself'} (and npm packages)`,
  severity: 'error',
  from: { path: AREAS[area] },
  to: { path: '^server/src/', pathNot: [AREAS[area], ...allowed.map((a) => AREAS[a])] },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import cycle: split out what the modules share, or move it down a layer.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'pure-no-node-builtins',
      comment: 'The language service runs in a web worker: no Node-only module below the server and CLI entries.',
      severity: 'error',
      from: { path: Object.values(AREAS) },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'client-talks-lsp-only',
      comment:
        "The client imports of the server only the protocol (custom requests), the Node options it starts it with, the byte decoding (files it reads for the server are decoded as the server decodes them), base64 (the chunks of the accounting files it sends the server), and the pure renderers of the delivery report (its view draws the server's answer as pmta-lint report's HTML does).",
      severity: 'error',
      from: { path: '^client/' },
      to: {
        path: '^server/',
        pathNot: [
          '^server/src/server/(protocol|nodeOptions)\\.ts$',
          '^server/src/util/(encoding|base64)\\.ts$',
          '^server/src/accounting/(renderCommon|chart)\\.ts$',
        ],
      },
    },
    {
      name: 'server-not-client',
      comment: 'The server knows nothing of the VS Code client.',
      severity: 'error',
      from: { path: '^server/' },
      to: { path: '^client/' },
    },
    {
      name: 'no-tests-in-product',
      comment: 'Shipped code does not import tests or benchmarks.',
      severity: 'error',
      from: { path: '^(server|client)/' },
      to: { path: '^(test|bench)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|out)/' },
    tsPreCompilationDeps: true,
    moduleSystems: ['es6', 'cjs'],
    enhancedResolveOptions: {
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
      exportsFields: ['exports'],
      conditionNames: ['types', 'import', 'require', 'node', 'browser', 'default'],
    },
  },
};
