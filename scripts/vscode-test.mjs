#!/usr/bin/env node
/**
 * npm run test:vscode — the extension-host tests (test/vscode/suite/) in desktop VS Code, with
 * @vscode/test-electron.
 *
 * Which VS Code: $VSCODE_EXECUTABLE if set; else one that @vscode/test-electron downloaded earlier into
 * .vscode-test/; else, only with PMTA_VSCODE_DOWNLOAD=1, a download of the latest stable release. Without
 * any of them it says so in one line and exits 0, or 1 when REQUIRE_VSCODE=1.
 * On Linux without a display it runs VS Code under xvfb-run (Debian package xvfb) when that is installed.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const required = process.env.REQUIRE_VSCODE === '1';

function unavailable(reason) {
  console.log(`test:vscode: ${reason}; ${required ? 'failing (REQUIRE_VSCODE=1)' : 'skipped'}`);
  process.exit(required ? 1 : 0);
}

/** A desktop VS Code already on this machine: $VSCODE_EXECUTABLE, or one in .vscode-test/. */
function findVSCode() {
  const env = process.env.VSCODE_EXECUTABLE;
  if (env) {
    if (!fs.existsSync(env)) unavailable(`VSCODE_EXECUTABLE=${env} does not exist`);
    return env;
  }
  const cache = path.join(ROOT, '.vscode-test');
  if (!fs.existsSync(cache)) return undefined;
  for (const dir of fs.readdirSync(cache)) {
    for (const candidate of [
      path.join(cache, dir, 'code'),
      path.join(cache, dir, 'Visual Studio Code.app', 'Contents', 'MacOS', 'Electron'),
      path.join(cache, dir, 'Code.exe'),
    ]) {
      if (fs.existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

let executable = findVSCode();
if (!executable && process.env.PMTA_VSCODE_DOWNLOAD !== '1') {
  unavailable(
    'no desktop VS Code here (set VSCODE_EXECUTABLE, or PMTA_VSCODE_DOWNLOAD=1 to let @vscode/test-electron download one)',
  );
}

const { runTests, downloadAndUnzipVSCode } = await import('@vscode/test-electron');
if (!executable) {
  try {
    executable = await downloadAndUnzipVSCode({ cachePath: path.join(ROOT, '.vscode-test') });
  } catch (e) {
    unavailable(`could not download VS Code (${e instanceof Error ? e.message : e})`);
  }
}

// build the extension and compile the suite
for (const [cmd, args] of [
  ['npm', ['run', '--silent', 'build']],
  [process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.e2e.json']],
]) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

// Linux without a display: re-run this script under xvfb-run
if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.PMTA_UNDER_XVFB) {
  const xvfb = spawnSync('sh', ['-c', 'command -v xvfb-run'], { encoding: 'utf8' }).stdout.trim();
  if (!xvfb) unavailable('no display and no xvfb-run (Debian package xvfb) to give VS Code one');
  const r = spawnSync(xvfb, ['-a', process.execPath, fileURLToPath(import.meta.url)], {
    stdio: 'inherit',
    env: { ...process.env, PMTA_UNDER_XVFB: '1', VSCODE_EXECUTABLE: executable },
  });
  process.exit(r.status ?? 1);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pmta-vscode-test-'));
const workspace = path.join(tmp, 'workspace');
fs.mkdirSync(workspace);
fs.copyFileSync(path.join(ROOT, 'examples', 'microsoft.pmta'), path.join(workspace, 'microsoft.pmta'));
let status = 1;
try {
  status = await runTests({
    vscodeExecutablePath: executable,
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: path.join(ROOT, 'out', 'e2e', 'test', 'vscode', 'suite', 'index.js'),
    launchArgs: [
      workspace,
      '--disable-extensions', // other installed extensions stay out of the way
      '--disable-workspace-trust',
      '--skip-welcome',
      '--skip-release-notes',
      `--user-data-dir=${path.join(tmp, 'user-data')}`,
    ],
  });
} catch (e) {
  console.error(`test:vscode: ${e instanceof Error ? e.message : e}`);
  status = 1;
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
process.exit(status);
