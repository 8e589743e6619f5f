/**
 * What the .vsix holds and what the Marketplace reads from package.json.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from '../helpers/util';
import { SERVER_NODE_OPTIONS } from '../../server/src/server/nodeOptions';
import { MICROSOFT_TIERS, TIER_IDS } from '../../server/src/knowledge/microsoft';

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

test('packaging: the .vsix holds the bundles, grammar, snippets, language configuration, icon, documents and their images, nothing else', () => {
  const out = execFileSync(
    process.execPath,
    [path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'), 'ls', '--no-dependencies'],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  const files = out.split('\n').filter(Boolean).sort();
  assert.deepEqual(files, [
    'ARCHITECTURE.md',
    'CHANGELOG.md',
    'CONTRIBUTING.md',
    'LICENSE',
    'README.md',
    'dist/extension.js',
    'dist/lsp-client.js',
    'dist/server-main.js',
    'dist/server.js',
    'dist/web/extension.js',
    'dist/web/server.js',
    'docs/cli.md',
    'docs/editor.md',
    'docs/microsoft.md',
    'docs/performance.md',
    'docs/report.md',
    'docs/rules.md',
    'docs/server.md',
    'editors/emacs/pmta-eglot.el',
    'editors/helix/languages.toml',
    'editors/neovim/pmta.lua',
    'images/delivery-report.png',
    'images/hover.png',
    'images/icon.png',
    'images/problems.png',
    'images/quick-fix.png',
    'language-configuration.json',
    'package.json',
    'snippets/powermta.json',
    'syntaxes/powermta.tmLanguage.json',
  ]);
  // what the manifest points at is among them
  assert.ok(files.includes(pkg.main.replace(/^\.\//, '')));
  assert.ok(files.includes(pkg.browser.replace(/^\.\//, '')));
  assert.ok(files.includes(pkg.icon));
  // every image the README shows is shipped with it
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]);
  assert.ok(images.length >= 3, 'the README shows screenshots');
  for (const img of images) assert.ok(files.includes(img), `${img} is in the .vsix`);
  // and every document it links to, so that its links open on the extension's page
  const links = [...readme.matchAll(/(?<!!)\[[^\]]*\]\(([^)#]+)(#[^)]*)?\)/g)]
    .map((m) => m[1])
    .filter((l) => !/^[a-z]+:/i.test(l));
  assert.ok(links.includes('docs/rules.md'), 'the README links to the rules reference');
  for (const l of links) assert.ok(files.includes(l), `${l} is in the .vsix`);
});

test('packaging: marketplace fields, engine and workspace capabilities', () => {
  assert.equal(pkg.publisher, 'pmta-lsp');
  assert.ok(pkg.displayName && pkg.description);
  assert.deepEqual(pkg.categories, ['Programming Languages', 'Linters', 'Snippets']);
  assert.ok(pkg.keywords.includes('powermta'));
  assert.ok(pkg.keywords.length <= 30, 'the Marketplace takes at most 30 keywords');
  // the engine is the oldest VS Code whose API the client is compiled against
  const typesVscode = pkg.devDependencies['@types/vscode'];
  assert.equal(pkg.engines.vscode, typesVscode);
  // included files: only inside the workspace when it is untrusted; through VS Code in a virtual workspace
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
  assert.match(pkg.capabilities.untrustedWorkspaces.description, /include/);
  assert.equal(pkg.capabilities.virtualWorkspaces, true);
});

test('packaging: the volume-tier setting offers auto and the tier ids of the knowledge, one description each', () => {
  const setting = pkg.contributes.configuration.properties['pmta.microsoft.volumeTier'];
  assert.deepEqual(setting.enum, ['auto', ...TIER_IDS]);
  assert.equal(setting.enumDescriptions.length, setting.enum.length);
  assert.equal(setting.default, 'auto');
  // the tiers themselves are listed in the ids' order
  assert.deepEqual(
    MICROSOFT_TIERS.map((t) => t.id),
    [...TIER_IDS],
  );
});

test('packaging: the icon is a 128x128 PNG', () => {
  const png = fs.readFileSync(path.join(ROOT, pkg.icon));
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  assert.equal(png.subarray(12, 16).toString('latin1'), 'IHDR');
  assert.equal(png.readUInt32BE(16), 128, 'width');
  assert.equal(png.readUInt32BE(20), 128, 'height');
});

test('README, docs/server.md and editors/: the commands they give other editors start the server with the Node options the VS Code client passes', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Other editors\n');
  assert.ok(start >= 0, 'the README has an "Other editors" section');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 3));
  // the inline command, and the command of any configuration block
  const commands = [...section.matchAll(/`(node [^`]*dist\/server\.js --stdio)`/g)].map((m) => m[1]);
  commands.push(
    ...section
      .split('```')
      .filter((_, i) => i % 2 === 1)
      .filter((c) => c.includes('dist/server.js')),
  );
  assert.ok(commands.length >= 1, 'the section gives the command that starts the server');
  // and the command of docs/server.md, which says more to the authors of other clients
  const serverDoc = fs.readFileSync(path.join(ROOT, 'docs', 'server.md'), 'utf8');
  commands.push(
    ...serverDoc
      .split('```')
      .filter((_, i) => i % 2 === 1)
      .filter((c) => c.includes('dist/server.js')),
  );
  assert.ok(commands.length >= 2, 'docs/server.md gives the command too');
  // and the setup of each editor, which the section links
  const setups = ['editors/neovim/pmta.lua', 'editors/helix/languages.toml', 'editors/emacs/pmta-eglot.el'];
  for (const f of setups) assert.ok(section.includes(`(${f})`), `the README links ${f}`);
  const setupTexts = setups.map((f) => fs.readFileSync(path.join(ROOT, f), 'utf8'));
  assert.ok(
    setupTexts.every((c) => /server\.js\b[\s\S]*--stdio/.test(c)),
    'each setup starts dist/server.js --stdio',
  );
  commands.push(...setupTexts);
  for (const c of commands) for (const o of SERVER_NODE_OPTIONS) assert.ok(c.includes(o), `${o} missing from:\n${c}`);
  // and the client passes them
  const lspClient = fs.readFileSync(path.join(ROOT, 'client', 'src', 'lspClient.ts'), 'utf8');
  assert.match(
    lspClient,
    /run: \{\s*module: setup\.serverModule,\s*transport: TransportKind\.ipc,\s*args,\s*options: \{ execArgv: \[\.\.\.SERVER_NODE_OPTIONS\] \},?\s*\}/,
  );
});
