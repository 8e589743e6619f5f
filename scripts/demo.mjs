#!/usr/bin/env node
/**
 * npm run demo — try the extension without installing VS Code: serves VS Code (code-server) on
 * 127.0.0.1 with the extension installed and the examples open, until Ctrl+C.
 *
 *   npm run demo                     a copy of examples/ (your edits stay out of the repository)
 *   npm run demo -- --in-place       examples/ itself
 *   npm run demo -- --port 8080      a fixed port (default: 8080, or a free one when it is taken)
 *   npm run demo -- --web            the extension as VS Code for the Web runs it (vscode.dev, github.dev):
 *                                    in the browser, its language server in a web worker
 *   npm run demo -- DIR              another folder of configs
 *
 * Same setup as npm run test:e2e (scripts/lib/code-server.mjs); nothing is downloaded but from the npm
 * registry and Debian's packages.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  ROOT,
  ensureDebianPackages,
  ensureCodeServer,
  buildVsix,
  prepareProfile,
  startCodeServer,
  freePort,
  onInterrupt,
  interrupted,
  log,
} from './lib/code-server.mjs';

const argv = process.argv.slice(2);
let inPlace = false;
let web = false;
let port;
let folder = path.join(ROOT, 'examples');
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--in-place') inPlace = true;
  else if (a === '--web') web = true;
  else if (a === '--port') port = Number(argv[++i]);
  else if (!a.startsWith('-')) {
    folder = path.resolve(a);
    inPlace = true;
  } else {
    console.error(`unknown option ${a}\nusage: npm run demo -- [--in-place] [--web] [--port N] [DIR]`);
    process.exit(2);
  }
}
if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
  console.error('--port needs a port number');
  process.exit(2);
}
if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory()) {
  console.error(`${folder} is not a folder`);
  process.exit(2);
}

async function portIsFree(p) {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(p, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pmta-demo-'));
const cleanup = () => fs.rmSync(tmp, { recursive: true, force: true });
process.on('exit', cleanup);
onInterrupt(0, 'stopping');

try {
  ensureDebianPackages(['libkrb5-dev', 'ripgrep']);
  const bin = ensureCodeServer();
  const vsix = buildVsix();
  let open = folder;
  if (!inPlace) {
    open = path.join(tmp, path.basename(folder));
    fs.cpSync(folder, open, { recursive: true });
  }
  // --web: in the browser's web worker extension host, as on vscode.dev
  const profile = prepareProfile(
    bin,
    path.join(tmp, 'profile'),
    vsix,
    web ? { 'remote.extensionKind': { 'pmta-lsp.pmta-lsp': ['web'] } } : {},
  );
  if (port === undefined) port = (await portIsFree(8080)) ? 8080 : await freePort();
  const server = await startCodeServer(bin, profile, open, { port });
  console.log('');
  console.log(
    `  VS Code with the PowerMTA extension${web ? ' (as on the web: in the browser, its server in a web worker)' : ''}: ${server.url}`,
  );
  console.log(
    `  open in a browser on this machine; the folder is ${inPlace ? open : `a copy of ${path.relative(ROOT, folder) || folder}/ (edits are not saved to the repository)`}`,
  );
  console.log('  Ctrl+C stops it.');
  console.log('');
  server.child.on('exit', (code) => {
    if (interrupted()) return;
    log(`code-server exited (${code}); its log: ${profile.log}`);
    process.exit(1);
  });
} catch (e) {
  console.error(`[demo] ${e instanceof Error ? e.message : e}`);
  process.exit(1);
}
