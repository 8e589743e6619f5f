#!/usr/bin/env node
/**
 * npm run test:editors — the editor setups of editors/ proven in the editors themselves, headless:
 * Emacs 29+ with Eglot (editors/emacs/pmta-eglot.el, driven by eglot-driver.el in batch mode),
 * Neovim 0.10+ (editors/neovim/pmta.lua, driven by nvim-driver.lua in `nvim --headless`) and Helix
 * (editors/helix/languages.toml, driven by helix-driver.mjs in a pseudo-terminal).
 *
 * For each editor found, on a copy of examples/microsoft.pmta and of the split example: the file type
 * the setup gives each PowerMTA file name, the diagnostics the editor shows (the same as `pmta-lint`
 * reports for the same file, the conf.d file checked as part of the configuration that includes it), a
 * hover, a quick fix applied to the buffer, and no registration the editor did not offer. An editor
 * that is not installed (or too old) is skipped with a line that says so.
 *
 *   node test/editors/run.mjs [--install] [--require=emacs,nvim,helix] [--keep]
 *
 * PMTA_EMACS, PMTA_NVIM and PMTA_HX name other executables to run than `emacs`, `nvim` and `hx`.
 *
 * --install (as root on Debian, as CI does): install what is missing with apt-get: emacs-nox, from the
 * release's backports when the release's own Emacs is older than 29 (Debian 12 has 28; Eglot is
 * built into 29 and later), neovim when Debian's is 0.10 or later, and hx (Helix) when Debian has it
 * (from Debian 13 on). Nothing else is downloaded.
 * --require: an editor named there that is absent or too old fails the run instead of being skipped
 * (CI requires Emacs). --keep keeps each editor's temporary folder (its copies, its logs).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { driveHelix } from './helix-driver.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const HERE = path.join(ROOT, 'test', 'editors');
const SERVER = path.join(ROOT, 'dist', 'server.js');
const CLI = path.join(ROOT, 'dist', 'cli.js');
/** Per editor run: the server answers in well under a second; this bounds a hung editor. */
const EDITOR_TIMEOUT_MS = 120_000;

const log = (message) => console.log(`test:editors: ${message}`);
const KEEP = process.argv.includes('--keep');
const REQUIRED = new Set(
  process.argv.filter((a) => a.startsWith('--require=')).flatMap((a) => a.slice('--require='.length).split(',')),
);

/** An editor that cannot be run: a skip, or a failure when it is required. */
function absent(t, editor, reason) {
  if (REQUIRED.has(editor)) assert.fail(`${reason}, and --require=${editor} was given`);
  log(`skipped ${{ emacs: 'Emacs', nvim: 'Neovim', helix: 'Helix' }[editor]}: ${reason}`);
  t.skip(reason);
}

// ---- the editors here, and installing them -------------------------------------------------------

/** The version of `command` ([major, minor]) from its --version output, or undefined when it does not run. */
function versionOf(command, pattern) {
  const r = spawnSync(command, ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return undefined;
  const m = pattern.exec(r.stdout);
  return m ? { text: m[0], major: Number(m[1]), minor: Number(m[2]) } : undefined;
}

const EMACS = process.env.PMTA_EMACS || 'emacs';
const NVIM = process.env.PMTA_NVIM || 'nvim';
const HX = process.env.PMTA_HX || 'hx';
const emacsVersion = () => versionOf(EMACS, /(\d+)\.(\d+)(?:\.\d+)?/);
const nvimVersion = () => versionOf(NVIM, /v(\d+)\.(\d+)\.\d+/);
const helixVersion = () => versionOf(HX, /helix (\d+)\.(\d+)/);
const atLeast = (v, major, minor) => !!v && (v.major > major || (v.major === major && v.minor >= minor));

/** The candidate version of a Debian package in `suite` (or the default one), as apt-cache policy tells it. */
function candidate(pkg, suite) {
  const args = suite ? ['-t', suite, 'policy', pkg] : ['policy', pkg];
  const r = spawnSync('apt-cache', args, { encoding: 'utf8' });
  const m = /Candidate: (?:\d+:)?(\d+)\.(\d+)/.exec(r.stdout ?? '');
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined;
}

function apt(args) {
  execFileSync('apt-get', args, {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

/** Debian's backports suite of this release, added to apt's sources if it is not there yet; its name. */
function backports() {
  const release = fs.readFileSync('/etc/os-release', 'utf8');
  const codename = /^VERSION_CODENAME=(\w+)/m.exec(release)?.[1];
  if (!codename || !/^ID=debian$/m.test(release)) return undefined;
  const suite = `${codename}-backports`;
  const listed = spawnSync('grep', ['-rqs', suite, '/etc/apt/sources.list', '/etc/apt/sources.list.d/']).status === 0;
  if (!listed) {
    log(`adding Debian's ${suite} to apt's sources`);
    const source = [
      'Types: deb',
      'URIs: http://deb.debian.org/debian',
      `Suites: ${suite}`,
      'Components: main',
      'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg',
      '',
    ];
    fs.writeFileSync(`/etc/apt/sources.list.d/${suite}.sources`, source.join('\n'));
  }
  return suite;
}

/** --install: Emacs 29+ (from backports if need be), Neovim 0.10+ and Helix when Debian has them. */
function install() {
  if (process.getuid?.() !== 0 || spawnSync('apt-get', ['--version']).status !== 0) {
    log('--install needs root and apt-get (Debian); installing nothing');
    return;
  }
  const wantEmacs = !atLeast(emacsVersion(), 29, 0);
  const wantNvim = !atLeast(nvimVersion(), 0, 10);
  const wantHelix = !helixVersion();
  if (!wantEmacs && !wantNvim && !wantHelix) return;
  apt(['update', '-q']);
  if (wantEmacs) {
    let suite;
    if (!atLeast(candidate('emacs-nox'), 29, 0)) {
      suite = backports();
      if (suite) apt(['update', '-q']);
    }
    if (atLeast(candidate('emacs-nox', suite), 29, 0)) {
      log(`installing emacs-nox${suite ? ` from ${suite}` : ''}`);
      apt(['install', '-y', '-q', '--no-install-recommends', ...(suite ? ['-t', suite] : []), 'emacs-nox']);
    } else log('no Emacs 29 or later in the Debian suites here: Emacs is not installed');
  }
  if (wantNvim) {
    if (atLeast(candidate('neovim'), 0, 10)) {
      log('installing neovim');
      apt(['install', '-y', '-q', '--no-install-recommends', 'neovim']);
    } else log("Debian's neovim here is older than 0.10: Neovim is not installed");
  }
  if (wantHelix) {
    if (candidate('hx')) {
      log('installing hx (Helix)');
      apt(['install', '-y', '-q', '--no-install-recommends', 'hx']);
    } else log('no Helix (hx) in the Debian suites here: Helix is not installed');
  }
}

// ---- what the command line reports, to compare with -----------------------------------------------

/** `pmta-lint --format json` on `target` (run in `cwd`): the findings of each file, by absolute path. */
function cliFindings(cwd, target) {
  const r = spawnSync(process.execPath, [CLI, '--format', 'json', target], { cwd, encoding: 'utf8' });
  if (r.status !== 0 && r.status !== 1) throw new Error(`pmta-lint ${target} exited with ${r.status}: ${r.stderr}`);
  const byFile = new Map();
  for (const f of JSON.parse(r.stdout)) byFile.set(path.resolve(cwd, f.file), f.diagnostics);
  return byFile;
}

/** A diagnostic as both sides are compared: position, code, message. */
const key = (d) => `${d.line}:${d.character} ${d.code} ${d.message}`;
const cliKeys = (ds) =>
  ds
    .map((d) => key({ line: d.range.start.line, character: d.range.start.character, code: d.code, message: d.message }))
    .sort();

// ---- the files every editor opens -------------------------------------------------------------------

/** A fresh copy of the examples (the editors change buffers, never the project's files), and an empty home. */
function workspace() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pmta-editors-'));
  fs.copyFileSync(path.join(ROOT, 'examples', 'microsoft.pmta'), path.join(dir, 'microsoft.pmta'));
  fs.cpSync(path.join(ROOT, 'examples', 'split'), path.join(dir, 'split'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'home'));
  const microsoft = path.join(dir, 'microsoft.pmta');
  const confd = path.join(dir, 'split', 'pmta', 'conf.d', 'microsoft.conf');
  const expected = new Map([
    [microsoft, cliKeys(cliFindings(dir, 'microsoft.pmta').get(microsoft) ?? [])],
    // the conf.d file as part of the configuration that includes it
    [confd, cliKeys(cliFindings(dir, path.join('split', 'pmta', 'config')).get(confd) ?? [])],
  ]);
  return { dir, microsoft, confd, expected };
}

/** Runs an editor's driver; the JSON it wrote, and what it printed. */
function drive(command, args, ws, env) {
  const out = path.join(ws.dir, 'result.json');
  const r = spawnSync(command, args, {
    cwd: ws.dir,
    encoding: 'utf8',
    timeout: EDITOR_TIMEOUT_MS,
    env: {
      ...process.env,
      HOME: path.join(ws.dir, 'home'),
      XDG_CONFIG_HOME: path.join(ws.dir, 'home', '.config'),
      XDG_DATA_HOME: path.join(ws.dir, 'home', '.local', 'share'),
      XDG_STATE_HOME: path.join(ws.dir, 'home', '.local', 'state'),
      // the server keeps its compile cache there: not in the cache of the user running the tests
      XDG_CACHE_HOME: path.join(ws.dir, 'home', '.cache'),
      PMTA_LSP_SERVER: SERVER,
      PMTA_EDITOR_FILES: [ws.microsoft, ws.confd].join('\n'),
      // on "max-smtp-out" (1-based line, 0-based column)
      PMTA_EDITOR_HOVER: `${ws.microsoft}:36:6`,
      PMTA_EDITOR_ACTION_CODE: 'undefined-reference',
      PMTA_EDITOR_ACTION: '^Change to',
      PMTA_EDITOR_OUT: out,
      PMTA_EDITOR_NAMES: NAMES.map(([name]) => path.join(ws.dir, name)).join('\n'),
      ...env,
    },
  });
  const printed = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.error) throw new Error(`${command} did not finish: ${r.error.message}\n${printed}`);
  if (r.status !== 0 || !fs.existsSync(out)) throw new Error(`${command} exited with ${r.status}:\n${printed}`);
  return { result: JSON.parse(fs.readFileSync(out, 'utf8')), printed };
}

/** File names, and whether a setup must open them as PowerMTA files (the others keep their own type). */
const NAMES = [
  ['servers/outbound.pmta', true],
  ['etc/pmta.conf', true],
  ['etc/pmta/config', true],
  ['etc/pmta/ips.conf', true],
  ['etc/pmta/conf.d/microsoft.conf', true],
  ['etc/nginx/conf.d/site.conf', false],
  ['etc/ssh/config', false],
];

/** What every editor must have shown; `fileType` is what its setup names PowerMTA files. */
function checkResult(ws, result, fileType) {
  for (const [name, pmta] of NAMES) {
    const mode = result.modes[path.join(ws.dir, name)];
    if (pmta) assert.equal(mode, fileType, `${name} opens as ${fileType}`);
    else assert.notEqual(mode, fileType, `${name} keeps its own type`);
  }
  const files = new Map(result.files.map((f) => [f.file, f]));
  for (const file of [ws.microsoft, ws.confd]) {
    const seen = files.get(file);
    assert.ok(seen, `${file} was visited`);
    assert.equal(seen.mode, fileType, `${path.relative(ws.dir, file)} opens as ${fileType}`);
    const expected = ws.expected.get(file);
    assert.ok(expected.length > 0);
    assert.deepEqual(
      seen.diagnostics.map(key).sort(),
      expected,
      `${path.relative(ws.dir, file)}: the editor shows what pmta-lint reports`,
    );
  }
  // the conf.d file is checked with the configuration: its pool is defined there
  assert.ok(!files.get(ws.confd).diagnostics.some((d) => / is not defined/.test(d.message)));
  const microsoft = files.get(ws.microsoft);
  assert.match(microsoft.hover ?? '', /max-smtp-out/, 'the hover on max-smtp-out');
  // the quick fix of "mta3 is not defined" changes the name in the buffer
  const name = /^Change to "(.+)"$/.exec(microsoft.action?.title ?? '')?.[1];
  assert.ok(name, `a "Change to" quick fix was applied: ${JSON.stringify(microsoft.action)}`);
  assert.equal(microsoft.action.line, `    virtual-mta ${name}`);
}

// ---- the editors ---------------------------------------------------------------------------------------

if (process.argv.includes('--install')) install();
if (!fs.existsSync(SERVER) || !fs.existsSync(CLI)) {
  log('dist/ is not built: building it');
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
}

test('Emacs (Eglot): editors/emacs/pmta-eglot.el', (t) => {
  const v = emacsVersion();
  if (!atLeast(v, 29, 0)) {
    absent(
      t,
      'emacs',
      v ? `Emacs ${v.text} is older than 29 (Eglot is built into 29 and later)` : 'Emacs is not installed',
    );
    return;
  }
  const ws = workspace();
  t.after(() => (KEEP ? log(`kept ${ws.dir}`) : fs.rmSync(ws.dir, { recursive: true, force: true })));
  const { result, printed } = drive(EMACS, ['--batch', '-Q', '-l', path.join(HERE, 'eglot-driver.el')], ws, {
    PMTA_EDITOR_SETUP: path.join(ROOT, 'editors', 'emacs', 'pmta-eglot.el'),
  });
  log(`Emacs ${result.emacs}`);
  checkResult(ws, result, 'powermta-mode');
  for (const f of result.files) {
    // Eglot takes a registration of file watching, and no other
    assert.deepEqual(
      f.registrations.filter((m) => m !== 'workspace/didChangeWatchedFiles'),
      [],
      'no registration Eglot did not offer',
    );
    assert.deepEqual(f.warnings, []);
  }
  assert.doesNotMatch(printed, /unsupported capability/i);
  // the project is the configuration's folder, found by the setup (outside version control)
  assert.equal(result.files.find((f) => f.file === ws.confd).project, path.join(ws.dir, 'split', 'pmta') + path.sep);
});

test('Neovim: editors/neovim/pmta.lua', (t) => {
  const v = nvimVersion();
  if (!atLeast(v, 0, 10)) {
    absent(t, 'nvim', v ? `Neovim ${v.text} is older than 0.10` : 'Neovim is not installed');
    return;
  }
  const ws = workspace();
  t.after(() => (KEEP ? log(`kept ${ws.dir}`) : fs.rmSync(ws.dir, { recursive: true, force: true })));
  const { result } = drive(NVIM, ['--headless', '--clean', '-c', `luafile ${path.join(HERE, 'nvim-driver.lua')}`], ws, {
    PMTA_EDITOR_SETUP: path.join(ROOT, 'editors', 'neovim', 'pmta.lua'),
  });
  log(
    `Neovim ${result.nvim} (${atLeast(v, 0, 11) ? 'vim.lsp.config and vim.lsp.enable' : 'FileType autocommand and vim.lsp.start'})`,
  );
  checkResult(ws, result, 'powermta');
  for (const f of result.files) {
    // an empty Lua table is encoded as {} (an object)
    const registered = Object.values(f.registrations);
    assert.deepEqual(
      registered.filter((m) => !f.dynamic[m]),
      [],
      'no registration Neovim did not offer',
    );
    assert.deepEqual(Object.values(f.warnings), []);
  }
  // the root is the configuration's folder, found by the setup's root markers
  assert.equal(result.files.find((f) => f.file === ws.confd).project, path.join(ws.dir, 'split', 'pmta'));
});

test('Helix: editors/helix/languages.toml', async (t) => {
  const v = helixVersion();
  if (!v || spawnSync('script', ['--version']).status !== 0) {
    absent(
      t,
      'helix',
      v ? 'util-linux script (a pseudo-terminal for Helix) is not installed' : 'Helix is not installed',
    );
    return;
  }
  const ws = workspace();
  t.after(() => (KEEP ? log(`kept ${ws.dir}`) : fs.rmSync(ws.dir, { recursive: true, force: true })));
  const env = {
    ...process.env,
    HOME: path.join(ws.dir, 'home'),
    XDG_CONFIG_HOME: path.join(ws.dir, 'home', '.config'),
    XDG_CACHE_HOME: path.join(ws.dir, 'home', '.cache'),
    PMTA_LSP_SERVER: SERVER,
    TERM: 'xterm-256color',
  };
  const { result } = await driveHelix({
    hx: HX,
    setup: path.join(ROOT, 'editors', 'helix', 'languages.toml'),
    ws,
    env,
    names: NAMES.map(([name]) => path.join(ws.dir, name)),
    hover: { file: ws.microsoft, line: 36, column: 6 },
    actionLine: 32,
  });
  log(`Helix ${result.helix.replace(/^helix /, '')}`);
  checkResult(ws, result, 'powermta');
  for (const f of result.files) {
    assert.deepEqual(
      f.registrations.filter((m) => !f.dynamic[m]),
      [],
      'no registration Helix did not offer',
    );
    assert.deepEqual(f.warnings, []);
  }
});
