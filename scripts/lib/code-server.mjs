/**
 * VS Code in a browser, for the end-to-end tests (scripts/e2e.mjs) and the demo (scripts/demo.mjs):
 * code-server from the npm registry, Debian's chromium, and the extension's .vsix installed into a
 * private profile. Nothing is downloaded from anywhere else.
 *
 * What is installed is kept under .cache/e2e/ in the repository (git-ignored), so only the first run
 * pays for it (about a minute and a half).
 */
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CACHE = path.join(ROOT, '.cache', 'e2e');
/** The last code-server line that runs on Node.js 20 (its postinstall checks the Node version). */
export const CODE_SERVER_VERSION = '4.100.3';
export const CHROMIUM = '/usr/bin/chromium';
export const VSIX = path.join(ROOT, 'pmta-lsp.vsix');

/**
 * Flags for Debian's chromium on a machine without a network: headless, no sandbox (it runs as root in CI),
 * and none of the background connections (updates, sync, safe browsing…) it would otherwise try.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-breakpad',
  '--no-default-browser-check',
];

/** Debian packages: chromium (the browser), libkrb5-dev (code-server's kerberos module builds against it), ripgrep. */
export const DEBIAN_PACKAGES = ['chromium', 'libkrb5-dev', 'ripgrep'];

export function log(message) {
  process.stderr.write(`[vscode-web] ${message}\n`);
}

function isInstalled(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

/**
 * Installs the missing Debian packages with apt-get when running as root (as CI does); otherwise
 * says what to install and throws.
 */
export function ensureDebianPackages(packages = DEBIAN_PACKAGES) {
  if (spawnSync('dpkg-query', ['--version']).status !== 0) {
    throw new Error(`dpkg-query not found: this needs a Debian-like system with the packages ${packages.join(', ')}`);
  }
  const missing = packages.filter((p) => !isInstalled(p));
  if (!missing.length) return;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root) {
    throw new Error(
      `missing Debian packages: ${missing.join(' ')}\n  install them with: sudo apt-get install -y ${missing.join(' ')}`,
    );
  }
  log(`installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-q'], { stdio: ['ignore', 'ignore', 'inherit'], env });
  execFileSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...missing], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env,
  });
  const still = missing.filter((p) => !isInstalled(p));
  if (still.length) throw new Error(`apt-get did not install: ${still.join(' ')}`);
}

/** Checks once per chromium version that it starts headless; the result is cached. */
export function checkChromium() {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found (Debian package chromium)`);
  const version = execFileSync(CHROMIUM, ['--version'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }).trim();
  const marker = path.join(CACHE, 'chromium-ok');
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === version) return version;
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'pmta-chromium-check-'));
  try {
    const r = spawnSync(
      CHROMIUM,
      ['--headless', ...CHROMIUM_ARGS, `--user-data-dir=${profile}`, '--dump-dom', 'data:text/html,<p>ok</p>'],
      {
        encoding: 'utf8',
        timeout: 60000,
        env: { ...process.env, XDG_CONFIG_HOME: profile, XDG_CACHE_HOME: profile },
      },
    );
    if (!String(r.stdout).includes('<p>ok</p>'))
      throw new Error(`${version} did not render a page headless: ${r.stderr || r.error}`);
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
  fs.mkdirSync(CACHE, { recursive: true });
  fs.writeFileSync(marker, version);
  return version;
}

/**
 * @vscode/ripgrep (a code-server dependency) downloads rg from the internet when it is installed, unless
 * it finds the archive in its cache folder in the temp directory first: put Debian's rg there.
 */
function seedRipgrepCache() {
  const rg = '/usr/bin/rg';
  if (!fs.existsSync(rg)) throw new Error(`${rg} not found (Debian package ripgrep)`);
  const dir = path.join(os.tmpdir(), 'vscode-ripgrep-cache-1.15.11');
  fs.mkdirSync(dir, { recursive: true });
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'pmta-rg-'));
  try {
    fs.copyFileSync(rg, path.join(staging, 'rg'));
    fs.chmodSync(path.join(staging, 'rg'), 0o755);
    for (const name of [
      'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz',
      'ripgrep-v13.0.0-10-x86_64-unknown-linux-gnu.tar.gz',
    ]) {
      execFileSync('tar', ['-czf', path.join(dir, name), '-C', staging, 'rg']);
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** code-server installed under .cache/e2e/code-server-VERSION; returns the path of its launcher. */
export function ensureCodeServer() {
  const prefix = path.join(CACHE, `code-server-${CODE_SERVER_VERSION}`);
  const bin = path.join(prefix, 'node_modules', '.bin', 'code-server');
  const done = path.join(prefix, '.installed');
  if (fs.existsSync(done) && fs.existsSync(bin)) return bin;
  if (process.arch !== 'x64')
    throw new Error(`code-server is installed here for x64 Linux only (this is ${process.arch})`);
  const major = Number(process.versions.node.split('.')[0]);
  if (major !== 20) throw new Error(`code-server ${CODE_SERVER_VERSION} needs Node.js 20 (this is ${process.version})`);
  seedRipgrepCache();
  fs.rmSync(prefix, { recursive: true, force: true });
  fs.mkdirSync(prefix, { recursive: true });
  fs.writeFileSync(
    path.join(prefix, 'package.json'),
    JSON.stringify({ name: 'pmta-e2e-code-server', private: true }, null, 2),
  );
  const logFile = path.join(CACHE, `code-server-${CODE_SERVER_VERSION}-install.log`);
  log(
    `installing code-server ${CODE_SERVER_VERSION} from the npm registry into ${path.relative(ROOT, prefix)} (once; log: ${path.relative(ROOT, logFile)})`,
  );
  const started = Date.now();
  const out = fs.openSync(logFile, 'w');
  const r = spawnSync(
    'npm',
    ['install', '--no-audit', '--no-fund', '--no-save', '--foreground-scripts', `code-server@${CODE_SERVER_VERSION}`],
    {
      cwd: prefix,
      stdio: ['ignore', out, out],
      env: {
        ...process.env,
        // its postinstall refuses to run as root without this, and node-pty's build runs npx
        npm_config_unsafe_perm: 'true',
        npm_config_yes: 'true',
        // npm 11 runs no dependency install scripts unless allowed; code-server's postinstall installs VS Code's
        // own dependencies (native modules built here with node-gyp)
        npm_config_dangerously_allow_all_scripts: 'true',
      },
    },
  );
  fs.closeSync(out);
  if (r.status !== 0 || !fs.existsSync(bin)) {
    const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
    throw new Error(`npm install code-server@${CODE_SERVER_VERSION} failed (exit ${r.status}):\n${tail}`);
  }
  const rgBin = path.join(
    prefix,
    'node_modules',
    'code-server',
    'lib',
    'vscode',
    'node_modules',
    '@vscode',
    'ripgrep',
    'bin',
    'rg',
  );
  if (!fs.existsSync(rgBin)) throw new Error(`code-server's ripgrep was not installed (${rgBin}); see ${logFile}`);
  fs.writeFileSync(done, new Date().toISOString());
  log(`code-server installed in ${Math.round((Date.now() - started) / 1000)} s`);
  return bin;
}

/** Builds the .vsix (npm run package). */
export function buildVsix() {
  log('building the .vsix (npm run package)');
  const r = spawnSync('npm', ['run', '--silent', 'package'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0 || !fs.existsSync(VSIX)) throw new Error('npm run package failed');
  return VSIX;
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** User settings for a clean session: no trust dialog, no welcome page, nothing that goes online. */
export const USER_SETTINGS = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'editor.minimap.enabled': false,
  'editor.stickyScroll.enabled': false,
  'window.commandCenter': false,
  'workbench.layoutControl.enabled': false,
  'git.enabled': false,
};

/**
 * A private profile (user data, extensions, config, XDG folders) under `dir`, with the .vsix installed.
 * Returns the paths code-server is to be started with.
 */
export function prepareProfile(bin, dir, vsix, settings = {}) {
  const profile = {
    dir,
    userData: path.join(dir, 'user-data'),
    extensions: path.join(dir, 'extensions'),
    config: path.join(dir, 'config.yaml'),
    xdg: path.join(dir, 'xdg'),
    log: path.join(dir, 'code-server.log'),
  };
  fs.mkdirSync(path.join(profile.userData, 'User'), { recursive: true });
  fs.mkdirSync(profile.extensions, { recursive: true });
  fs.mkdirSync(profile.xdg, { recursive: true });
  fs.writeFileSync(
    path.join(profile.userData, 'User', 'settings.json'),
    JSON.stringify({ ...USER_SETTINGS, ...settings }, null, 2),
  );
  fs.writeFileSync(profile.config, 'auth: none\ncert: false\n');
  const r = spawnSync(
    bin,
    [
      '--config',
      profile.config,
      '--user-data-dir',
      profile.userData,
      '--extensions-dir',
      profile.extensions,
      '--install-extension',
      vsix,
      '--force',
    ],
    {
      encoding: 'utf8',
      env: profileEnv(profile),
      timeout: 120000,
    },
  );
  if (r.status !== 0 || !/successfully installed/.test(r.stdout))
    throw new Error(`installing ${vsix} into code-server failed:\n${r.stdout}\n${r.stderr}`);
  return profile;
}

function profileEnv(profile) {
  return {
    ...process.env,
    XDG_DATA_HOME: path.join(profile.xdg, 'data'),
    XDG_CONFIG_HOME: path.join(profile.xdg, 'config'),
    XDG_CACHE_HOME: path.join(profile.xdg, 'cache'),
    // no extension gallery: nothing to look up online
    EXTENSIONS_GALLERY: '{}',
  };
}

/** Processes started here, stopped when this process exits whatever the reason. */
const running = new Set();
const onSignal = { exitCode: 130, message: '', received: false };
process.on('exit', () => {
  for (const child of running) killGroup(child, 'SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, async () => {
    if (onSignal.received) return;
    onSignal.received = true;
    if (onSignal.message) log(onSignal.message);
    const stopping = [...running].map((child) => stopChild(child));
    await Promise.race([Promise.all(stopping), new Promise((r) => setTimeout(r, 6000))]);
    process.exit(onSignal.exitCode);
  });
}

/** What Ctrl+C (or SIGTERM) does after stopping code-server: the exit status, and a line to print first. */
export function onInterrupt(exitCode, message = '') {
  onSignal.exitCode = exitCode;
  onSignal.message = message;
}

/**
 * Spawns a command in its own process group, stopped like code-server when this process is interrupted
 * or exits. Resolves with its exit status.
 */
export function runTracked(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', ...options, detached: true });
    running.add(child);
    child.on('error', (e) => {
      running.delete(child);
      reject(e);
    });
    child.on('exit', (code, signal) => {
      running.delete(child);
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}

/** Whether Ctrl+C (or SIGTERM) was received: code-server is being stopped on purpose. */
export function interrupted() {
  return onSignal.received;
}

/** SIGTERM to the child's process group, SIGKILL after 5 s. */
async function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  killGroup(child, 'SIGTERM');
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
  running.delete(child);
}

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal); // code-server and everything it started (extension host, language server…)
  } catch {
    /* already gone */
  }
}

/**
 * Starts code-server on 127.0.0.1 with the profile, opening `folder`. Resolves once it answers HTTP.
 * Returns { url, port, child, stop() }; stop() ends code-server and its children.
 */
export async function startCodeServer(bin, profile, folder, { port } = {}) {
  port = port ?? (await freePort());
  const out = fs.openSync(profile.log, 'a');
  const child = spawn(
    bin,
    [
      '--config',
      profile.config,
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--user-data-dir',
      profile.userData,
      '--extensions-dir',
      profile.extensions,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--ignore-last-opened',
      folder,
    ],
    { stdio: ['ignore', out, out], env: profileEnv(profile), detached: true },
  );
  fs.closeSync(out);
  running.add(child);
  let exited = false;
  child.on('exit', () => {
    exited = true;
    running.delete(child);
  });
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}`;
  const stop = async () => {
    if (!exited) await stopChild(child);
    // the group may outlive its leader (a language server or watcher still exiting)
    killGroup(child, 'SIGKILL');
  };
  const deadline = Date.now() + 60000;
  for (;;) {
    if (exited) throw new Error(`code-server exited at start; log:\n${fs.readFileSync(profile.log, 'utf8')}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `code-server did not answer on port ${port} within 60 s; log:\n${fs.readFileSync(profile.log, 'utf8')}`,
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, port, child, stop };
}

/** Everything the end-to-end setup needs, installed or checked (idempotent, cached). */
export function ensureAll() {
  ensureDebianPackages();
  const chromium = checkChromium();
  const bin = ensureCodeServer();
  return { bin, chromium };
}
