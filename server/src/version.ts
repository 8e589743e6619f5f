/**
 * The version of pmta-lsp, as package.json gives it: `pmta-lint --version`, the SARIF tool version, the
 * server's `--version` and its `serverInfo` in the answer to `initialize`. The bundles get it from
 * package.json when they are built (scripts/build.mjs defines PMTA_VERSION), so that it is never
 * written twice. Sources run without bundling (the compiled unit tests) have no build to tell them.
 */
declare const PMTA_VERSION: string | undefined;

export const VERSION: string = typeof PMTA_VERSION === 'string' ? PMTA_VERSION : '0.0.0-unbundled';
