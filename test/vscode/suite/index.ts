/**
 * Extension-host tests, run inside desktop VS Code by @vscode/test-electron (scripts/vscode-test.mjs):
 * the same session as the browser end-to-end test, through the VS Code API. The workspace is a temporary
 * folder holding a copy of examples/microsoft.pmta.
 *
 * VS Code loads this file and calls run(); a rejected promise fails the run. The tests run in order with a
 * small runner of our own (no test framework is needed for a handful of sequential scenarios).
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';

type Scenario = { name: string; body: () => Promise<void> };
const scenarios: Scenario[] = [];
function scenario(name: string, body: () => Promise<void>): void {
  scenarios.push({ name, body });
}

export async function run(): Promise<void> {
  let failed = 0;
  for (const s of scenarios) {
    const started = Date.now();
    try {
      await s.body();
      console.log(`  ✔ ${s.name} (${Date.now() - started} ms)`);
    } catch (e) {
      failed++;
      console.error(`  ✖ ${s.name}\n${e instanceof Error ? e.stack : e}`);
    }
  }
  console.log(`${scenarios.length - failed} passed, ${failed} failed`);
  if (failed) throw new Error(`${failed} of ${scenarios.length} extension-host tests failed`);
}

const EXTENSION_ID = 'pmta-lsp.pmta-lsp';
const ROLLED_UP = [
  'hotmail.co.uk',
  'hotmail.de',
  'hotmail.fr',
  'live.com',
  'live.co.uk',
  'live.de',
  'msn.com',
  'windowslive.com',
];

function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'VS Code was started on the test workspace');
  return vscode.Uri.joinPath(folder.uri, name);
}

/** Waits until the diagnostics of `uri` satisfy `accept`. */
async function diagnosticsOf(
  uri: vscode.Uri,
  accept: (d: vscode.Diagnostic[]) => boolean,
  what: string,
): Promise<vscode.Diagnostic[]> {
  const deadline = Date.now() + 20000;
  for (;;) {
    const d = vscode.languages.getDiagnostics(uri);
    if (accept(d)) return d;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; diagnostics: ${d.map((x) => x.code).join(', ')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const codeOf = (d: vscode.Diagnostic) => String(typeof d.code === 'object' ? d.code.value : d.code);

let uri: vscode.Uri;
let doc: vscode.TextDocument;

scenario('the extension activates on a PowerMTA file and the file gets the Microsoft findings', async () => {
  uri = workspaceFile('microsoft.pmta');
  doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc);
  assert.equal(doc.languageId, 'powermta');
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is installed`);
  await ext.activate();
  const diags = await diagnosticsOf(uri, (d) => d.length === 10, '10 findings');
  assert.deepEqual(
    diags.map((d) => `${codeOf(d)}@${d.range.start.line}:${d.range.start.character}`),
    [
      'undefined-reference@31:16',
      'microsoft-missing-rollup@34:8',
      'microsoft-missing-pattern-list@34:8',
      'microsoft-missing-dkim@34:8',
      'microsoft-unsafe-limit@35:17',
      'unknown-directive@36:4',
      'microsoft-unsafe-limit@37:17',
      'microsoft-unsafe-limit@38:16',
      'microsoft-mx-rollup-directive@39:4',
      'invalid-value@49:16',
    ],
  );
  assert.ok(diags.every((d) => d.source === 'pmta'));
});

scenario('hovering a Microsoft reply code explains it', async () => {
  const editor = vscode.window.activeTextEditor!;
  const comment = '# Outlook answered: 421 RP-001 rate limited\n';
  await editor.edit((b) => b.insert(new vscode.Position(0, 0), comment));
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
    'vscode.executeHoverProvider',
    uri,
    new vscode.Position(0, 26),
  );
  const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
  assert.match(text, /\*\*421 RP-001\*\* — Rate limit exceeded \(IP\/domain reputation\)/);
  assert.match(text, /reply \/RP-001\/ mode=backoff,backoff-to-normal-after=4h/);
  await diagnosticsOf(uri, (d) => d.length === 10 && d[1].range.start.line === 35, 'the findings one line down');
});

scenario('the rollup quick fix inserts the missing blocks and its finding goes away', async () => {
  const before = doc.getText();
  const rollup = vscode.languages.getDiagnostics(uri).find((d) => codeOf(d) === 'microsoft-missing-rollup')!;
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
    'vscode.executeCodeActionProvider',
    uri,
    rollup.range,
    vscode.CodeActionKind.QuickFix.value,
  );
  const fix = actions.find((a) => a.title === 'Roll up 8 domains into the outlook.com queue');
  assert.ok(fix?.edit, `the quick fix is offered: ${actions.map((a) => a.title).join(' | ')}`);
  assert.equal(fix.isPreferred, true);
  assert.ok(await vscode.workspace.applyEdit(fix.edit));
  const blocks = ROLLED_UP.map((d) => `<domain ${d}>\n    queue-to outlook.com\n</domain>\n`).join('\n');
  assert.equal(
    doc.getText(),
    before.replace('</domain>\n\n<domain hotmail.com>', `</domain>\n\n${blocks}\n<domain hotmail.com>`),
  );
  const after = await diagnosticsOf(uri, (d) => d.length === 9, '9 findings');
  assert.ok(!after.some((d) => codeOf(d) === 'microsoft-missing-rollup'));
  assert.ok(await doc.save());
  assert.equal(fs.readFileSync(uri.fsPath, 'utf8'), doc.getText());
});

scenario('the "Virtual MTA" snippet defines the missing mta3', async () => {
  const editor = vscode.window.activeTextEditor!;
  const end = doc.lineAt(doc.lineCount - 1).range.end;
  editor.selection = new vscode.Selection(end, end);
  await vscode.commands.executeCommand('editor.action.insertSnippet', { langId: 'powermta', name: 'Virtual MTA' });
  const inserted = doc.getText().slice(doc.getText().lastIndexOf('<virtual-mta '));
  assert.equal(inserted, '<virtual-mta mta1>\n    smtp-source-host 192.0.2.10 mta1.example.com\n    \n</virtual-mta>');
  // the first placeholder (the name) is selected: type over it
  assert.equal(doc.getText(editor.selection), 'mta1');
  await editor.edit((b) => b.replace(editor.selection, 'mta3'));
  await diagnosticsOf(uri, (d) => !d.some((x) => codeOf(x) === 'undefined-reference'), 'mta3 to be defined');
});

scenario('turning a rule off in the settings removes its findings', async () => {
  const config = vscode.workspace.getConfiguration('pmta');
  try {
    await config.update('rules', { 'microsoft-unsafe-limit': 'off' }, vscode.ConfigurationTarget.Global);
    await diagnosticsOf(
      uri,
      (d) => d.length > 0 && !d.some((x) => codeOf(x) === 'microsoft-unsafe-limit'),
      'no microsoft-unsafe-limit',
    );
  } finally {
    await config.update('rules', undefined, vscode.ConfigurationTarget.Global);
  }
  await diagnosticsOf(uri, (d) => d.some((x) => codeOf(x) === 'microsoft-unsafe-limit'), 'microsoft-unsafe-limit back');
});
