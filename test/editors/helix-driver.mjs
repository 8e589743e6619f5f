/**
 * Drives Helix for test/editors/run.mjs. Helix has no headless mode: it runs in a pseudo-terminal
 * (util-linux `script`), with editors/helix/languages.toml as the user's languages.toml, is given keys
 * as a user types them, and what it saw is read from its log (`hx -vvv` logs every LSP message):
 *
 *   1. the conf.d file: the diagnostics published for it; then every file name to check, opened one
 *      after the other: the language id of each didOpen (the file type the setup gave it);
 *   2. examples/microsoft.pmta: its diagnostics, a hover (space k), the first code action on the
 *      undefined virtual MTA (space a, Enter), written (:w) and read back from the disk.
 *
 * The result has the shape of the other drivers' (eglot-driver.el, nvim-driver.lua).
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const STEP_TIMEOUT_MS = 40_000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The LSP messages of a Helix log: direction ('->' to the server, '<-' from it) and the message. */
function messages(logFile) {
  if (!fs.existsSync(logFile)) return [];
  const out = [];
  for (const line of fs.readFileSync(logFile, 'utf8').split('\n')) {
    const m = /helix_lsp::transport \[\w+\] pmta (->|<-) (\{.*\})$/.exec(line);
    if (!m) continue;
    try {
      out.push({ dir: m[1], msg: JSON.parse(m[2]) });
    } catch {
      // a message cut by the log: not one we wait for
    }
  }
  return out;
}

/** Helix in a pseudo-terminal of 50 lines and 160 columns; `keys` types, `quit` ends it. */
function start(hx, args, env, cwd) {
  const command = `stty rows 50 cols 160; exec ${[hx, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ')}`;
  const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd, env, stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (b) => (stderr += b));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  return {
    keys: (k) => child.stdin.write(k),
    async quit() {
      child.stdin.write('\x1b');
      await sleep(300);
      child.stdin.write(':qa!\r');
      const code = await Promise.race([exited, sleep(5000).then(() => 'timeout')]);
      if (code === 'timeout') child.kill('SIGKILL');
      return stderr;
    },
  };
}

/** Wait until `pred` holds of the log's messages; its value. */
async function until(logFile, what, pred) {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  for (;;) {
    const v = pred(messages(logFile));
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`Helix: timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** The diagnostics last published for `uri`, once nothing new came for a second. */
async function settledDiagnostics(logFile, uri) {
  const published = (ms) =>
    ms.filter((m) => m.dir === '<-' && m.msg.method === 'textDocument/publishDiagnostics' && m.msg.params.uri === uri);
  await until(logFile, `diagnostics for ${uri}`, (ms) => published(ms).length > 0);
  let count = -1;
  while (count !== published(messages(logFile)).length) {
    count = published(messages(logFile)).length;
    await sleep(1000);
  }
  const last = published(messages(logFile)).at(-1).msg.params.diagnostics;
  return last.map((d) => ({
    line: d.range.start.line,
    character: d.range.start.character,
    code: String(d.code),
    message: d.message,
  }));
}

/** The answer to the last request of `method` sent after `from` messages. */
const answerTo = (method, from) => (ms) => {
  const req = ms
    .slice(from)
    .filter((m) => m.dir === '->' && m.msg.method === method)
    .at(-1);
  return req && ms.find((m) => m.dir === '<-' && m.msg.id === req.msg.id && !m.msg.method)?.msg;
};

/** What the server asked to register, and what Helix declared it takes. */
function registrations(logFile) {
  const ms = messages(logFile);
  const registered = ms
    .filter((m) => m.msg.method === 'client/registerCapability')
    .flatMap((m) => m.msg.params.registrations.map((r) => r.method));
  const ws = ms.find((m) => m.msg.method === 'initialize')?.msg.params.capabilities.workspace ?? {};
  const dynamic = {
    'workspace/didChangeConfiguration': ws.didChangeConfiguration?.dynamicRegistration === true,
    'workspace/didChangeWatchedFiles': ws.didChangeWatchedFiles?.dynamicRegistration === true,
  };
  return { registered, dynamic };
}

/**
 * Runs both steps. `setup` is the languages.toml to use, `names` the file names whose type is checked,
 * `hover` {file, line (1-based), column}, `actionLine` the 1-based line of the diagnostic to fix.
 */
export async function driveHelix({ hx, setup, ws, env, names, hover, actionLine }) {
  const home = path.join(ws.dir, 'home');
  fs.mkdirSync(path.join(home, '.config', 'helix'), { recursive: true });
  fs.copyFileSync(setup, path.join(home, '.config', 'helix', 'languages.toml'));
  const version = spawnSync(hx, ['--version'], { encoding: 'utf8' }).stdout.trim();
  const files = [];
  const uri = (f) => `file://${f}`;

  // 1. the conf.d file, then the file names, each opened with :open (Helix 25.01 started on two files
  //    of the same language server never initializes it)
  for (const n of names) {
    fs.mkdirSync(path.dirname(n), { recursive: true });
    if (!fs.existsSync(n)) fs.writeFileSync(n, '');
  }
  const log1 = path.join(ws.dir, 'helix-1.log');
  const h1 = start(hx, ['-vvv', '--log', log1, ws.confd], env, ws.dir);
  let printed = '';
  let modes = {};
  try {
    const confd = { file: ws.confd, diagnostics: await settledDiagnostics(log1, uri(ws.confd)) };
    for (const n of names) {
      h1.keys(`:open ${n}\r`);
      await sleep(300);
    }
    const didOpens = (ms) => ms.filter((m) => m.msg.method === 'textDocument/didOpen');
    let count = -1;
    while (count !== didOpens(messages(log1)).length) {
      count = didOpens(messages(log1)).length;
      await sleep(1000);
    }
    const opened = new Map(
      didOpens(messages(log1)).map((m) => [m.msg.params.textDocument.uri, m.msg.params.textDocument.languageId]),
    );
    confd.mode = opened.get(uri(ws.confd)) ?? '';
    confd.project = messages(log1).find((m) => m.msg.method === 'initialize')?.msg.params.rootUri ?? null;
    Object.assign(confd, registrationsOf(log1));
    files.push(confd);
    modes = Object.fromEntries(names.map((n) => [n, opened.get(uri(n)) ?? '']));
  } finally {
    printed += await h1.quit();
  }

  // 2. microsoft.pmta: diagnostics, hover, code action
  const log2 = path.join(ws.dir, 'helix-2.log');
  const h2 = start(hx, ['-vvv', '--log', log2, ws.microsoft], env, ws.dir);
  try {
    const microsoft = { file: ws.microsoft, diagnostics: await settledDiagnostics(log2, uri(ws.microsoft)) };
    microsoft.mode =
      messages(log2).find((m) => m.msg.method === 'textDocument/didOpen')?.msg.params.textDocument.languageId ?? '';
    // hover: go to the line, then right to the column
    let from = messages(log2).length;
    h2.keys(`:${hover.line}\r`);
    await sleep(300);
    h2.keys(`gh${hover.column > 0 ? `${hover.column}l` : ''}`);
    await sleep(300);
    h2.keys(' k');
    const answer = await until(log2, 'the hover', answerTo('textDocument/hover', from));
    const contents = answer.result?.contents;
    microsoft.hover = typeof contents === 'string' ? contents : contents?.value;
    // Escape alone (followed at once by another key, a terminal reads it as Alt and that key)
    h2.keys('\x1b');
    await sleep(300);
    // the code action on the first diagnostic of that line: the first of the menu, applied, then saved
    const diag = microsoft.diagnostics.find((d) => d.line === actionLine - 1);
    from = messages(log2).length;
    h2.keys(`:${actionLine}\r`);
    await sleep(300);
    h2.keys(`gh${diag.character}l`);
    await sleep(300);
    h2.keys(' a');
    const actions = await until(log2, 'the code actions', answerTo('textDocument/codeAction', from));
    await sleep(500);
    h2.keys('\r');
    await until(log2, 'the edit', (ms) =>
      ms.slice(from).some((m) => m.dir === '->' && m.msg.method === 'textDocument/didChange'),
    );
    h2.keys(':w\r');
    await until(log2, 'the save', (ms) =>
      ms.slice(from).some((m) => m.dir === '->' && m.msg.method === 'textDocument/didSave'),
    );
    const line = fs.readFileSync(ws.microsoft, 'utf8').split('\n')[actionLine - 1];
    const titles = (actions.result ?? []).map((a) => a.title);
    // Helix lists the preferred quick fixes first
    const title = [...(actions.result ?? [])].sort((a, b) => Number(!!b.isPreferred) - Number(!!a.isPreferred))[0]
      ?.title;
    microsoft.action = { title, titles, line };
    Object.assign(microsoft, registrationsOf(log2));
    files.unshift(microsoft);
  } finally {
    printed += await h2.quit();
  }
  return { result: { helix: version, files, modes }, printed };
}

/** What the server registered, what Helix takes, and what Helix warned about registrations. */
function registrationsOf(logFile) {
  const { registered, dynamic } = registrations(logFile);
  const warnings = fs
    .readFileSync(logFile, 'utf8')
    .split('\n')
    .filter((l) => /\[(WARN|ERROR)\]/.test(l) && /regist|capabilit/i.test(l));
  return { registrations: registered, dynamic, warnings };
}
