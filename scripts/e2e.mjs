#!/usr/bin/env node
/**
 * npm run test:e2e — the extension in real VS Code (code-server) in Debian's chromium.
 *
 *   1. installs what is missing: Debian packages (apt-get, as root), code-server from the npm registry
 *      (cached in .cache/e2e/), and checks that chromium starts headless;
 *   2. builds the .vsix (npm run package) and installs it into a fresh code-server profile;
 *   3. copies examples/microsoft.pmta, examples/split/ and an accounting file (test/fixtures/accounting/)
 *      into a temporary workspace and starts
 *      code-server on 127.0.0.1; and a second one, on a copy, that runs the extension as VS Code for the
 *      Web does (in the browser's web worker extension host);
 *   4. runs test/e2e/ (node's test runner + playwright-core), screenshots in test-results/;
 *   5. stops code-server and everything it started, whatever happened.
 *
 * Options: --keep (keep the temporary workspace and profile), --no-package (use the existing pmta-lsp.vsix),
 * --update-images (npm run screenshots: after a pass, copy the README's screenshots to images/).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  ROOT,
  CHROMIUM,
  CHROMIUM_ARGS,
  VSIX,
  ensureAll,
  buildVsix,
  prepareProfile,
  startCodeServer,
  runTracked,
  log,
} from './lib/code-server.mjs';

const args = new Set(process.argv.slice(2));
for (const a of args) {
  if (!['--keep', '--no-package', '--update-images'].includes(a)) {
    console.error(`unknown option ${a}\nusage: node scripts/e2e.mjs [--keep] [--no-package] [--update-images]`);
    process.exit(2);
  }
}

const RESULTS = path.join(ROOT, 'test-results');
/** The README's screenshots: images/NAME.png from the test-results/ screenshot whose name starts with PREFIX. */
const README_IMAGES = {
  'problems.png': '02-',
  'hover.png': '03-',
  'quick-fix.png': '04a-',
  'delivery-report.png': '08a-',
};
/** The accounting file the delivery report steps open, copied into logs/ of the workspaces. */
const ACCOUNTING = path.join(ROOT, 'test', 'fixtures', 'accounting', 'acct-outlook-block.csv');
function copyAccounting(workspace) {
  fs.mkdirSync(path.join(workspace, 'logs'));
  fs.copyFileSync(ACCOUNTING, path.join(workspace, 'logs', path.basename(ACCOUNTING)));
}
const started = Date.now();
let server;
let webServer;
let tmp;
let status = 1;
try {
  const { bin, chromium } = ensureAll();
  log(`${chromium}; code-server in ${path.relative(ROOT, bin)}`);
  const vsix = args.has('--no-package') && fs.existsSync(VSIX) ? VSIX : buildVsix();

  log('compiling test/e2e');
  const tsc = spawnSync(
    process.execPath,
    [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.e2e.json'],
    { cwd: ROOT, stdio: 'inherit' },
  );
  if (tsc.status !== 0) throw new Error('tsc -p tsconfig.e2e.json failed');

  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pmta-e2e-'));
  if (!args.has('--keep')) process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));
  const workspace = path.join(tmp, 'workspace');
  fs.mkdirSync(workspace);
  fs.copyFileSync(path.join(ROOT, 'examples', 'microsoft.pmta'), path.join(workspace, 'microsoft.pmta'));
  // a configuration split into conf.d, for the last step
  fs.cpSync(path.join(ROOT, 'examples', 'split'), path.join(workspace, 'split'), { recursive: true });
  copyAccounting(workspace);
  // suggestions only on request (Ctrl+Space): one popping up while the test types would take its Tab presses
  const profile = prepareProfile(bin, path.join(tmp, 'profile'), vsix, {
    'editor.quickSuggestions': { other: 'off', comments: 'off', strings: 'off' },
    'editor.suggestOnTriggerCharacters': false,
  });
  server = await startCodeServer(bin, profile, workspace);
  log(`code-server ready at ${server.url} (${Math.round((Date.now() - started) / 1000)} s after start)`);
  // a second one for the last steps, with the extension where VS Code for the Web runs it: in the browser's web
  // worker extension host (dist/web/extension.js, its server in a worker)
  const webWorkspace = path.join(tmp, 'web-workspace');
  fs.mkdirSync(webWorkspace);
  fs.copyFileSync(path.join(ROOT, 'examples', 'microsoft.pmta'), path.join(webWorkspace, 'microsoft.pmta'));
  fs.cpSync(path.join(ROOT, 'examples', 'split'), path.join(webWorkspace, 'split'), { recursive: true });
  copyAccounting(webWorkspace);
  const webProfile = prepareProfile(bin, path.join(tmp, 'web-profile'), vsix, {
    'remote.extensionKind': { 'pmta-lsp.pmta-lsp': ['web'] },
  });
  webServer = await startCodeServer(bin, webProfile, webWorkspace);
  log(`code-server (extension in a web worker) ready at ${webServer.url}`);

  fs.rmSync(RESULTS, { recursive: true, force: true });
  fs.mkdirSync(RESULTS, { recursive: true });
  status = await runTracked(
    process.execPath,
    ['--test', '--test-reporter=spec', '--test-concurrency=1', path.join('out', 'e2e', 'test', 'e2e')],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        PMTA_E2E_URL: server.url,
        PMTA_E2E_WORKSPACE: workspace,
        PMTA_E2E_WEB_URL: webServer.url,
        PMTA_E2E_RESULTS: RESULTS,
        PMTA_E2E_CHROMIUM: CHROMIUM,
        PMTA_E2E_CHROMIUM_ARGS: CHROMIUM_ARGS.join(' '),
        // chromium writes crash reports and caches under these, not in the home folder
        XDG_CONFIG_HOME: path.join(tmp, 'chromium-config'),
        XDG_CACHE_HOME: path.join(tmp, 'chromium-cache'),
      },
    },
  );
  fs.copyFileSync(profile.log, path.join(RESULTS, 'code-server.log'));
  const shots = fs.readdirSync(RESULTS).filter((f) => f.endsWith('.png'));
  log(`${status === 0 ? 'passed' : 'FAILED'}; ${shots.length} screenshots in test-results/: ${shots.join(', ')}`);
  if (status === 0 && args.has('--update-images')) {
    for (const [name, prefix] of Object.entries(README_IMAGES)) {
      const from = shots.find((f) => f.startsWith(prefix));
      if (!from) throw new Error(`no screenshot test-results/${prefix}*.png for images/${name}`);
      fs.copyFileSync(path.join(RESULTS, from), path.join(ROOT, 'images', name));
    }
    log(`updated images/: ${Object.keys(README_IMAGES).join(', ')}`);
  }
} catch (e) {
  console.error(`[e2e] ${e instanceof Error ? e.message : e}`);
  status = 1;
} finally {
  await server?.stop();
  await webServer?.stop();
  if (tmp && !args.has('--keep')) fs.rmSync(tmp, { recursive: true, force: true });
  else if (tmp) log(`kept ${tmp}`);
  log(`done in ${Math.round((Date.now() - started) / 1000)} s`);
}
process.exit(status);
