/**
 * The VS Code extension, on the desktop (extension.ts) and on the web (webExtension.ts): a thin client
 * that starts the bundled language server and connects it to PowerMTA documents. All language knowledge
 * lives in the server; the commands and the status bar item below only ask it (custom requests in
 * server/src/server/protocol.ts) and show the answers. How the server is started is the entry's {@link Launch}.
 */
import * as vscode from 'vscode';
import type { PmtaClient } from './pmtaClient';
import { deliveryReportCommand } from './report/view';
import {
  ACCOUNTING_LANGUAGE,
  EXPLAIN_REPLY,
  MICROSOFT_CONFIGURATION,
  TIER,
  type ExplainReplyParams,
  type MicrosoftConfiguration,
  type MicrosoftConfigurationParams,
  type ReplyExplanation,
  type TierInfo,
  type TierParams,
} from '../../server/src/server/protocol';

export const LANGUAGE = 'powermta';
export { ACCOUNTING_LANGUAGE };

/**
 * Creates the client of the language server (not started). Throws an Error whose message, shown to the
 * user, says what is wrong.
 */
export type Launch = (context: vscode.ExtensionContext, channel: vscode.LogOutputChannel) => PmtaClient;
const EXPLAIN_SCHEME = 'pmta-explain';

let client: PmtaClient | undefined;
/** Settles when the first start of the language server has ended (started or failed). */
let starting: Promise<void> = Promise.resolve();
let output: vscode.LogOutputChannel | undefined;
let statusItem: vscode.StatusBarItem | undefined;
let lastTier: TierInfo | undefined;
let statusTimer: ReturnType<typeof setTimeout> | undefined;

/** Explanations shown as read-only Markdown documents (`pmta-explain:` URIs), newest last. */
const explanations = new Map<string, string>();
const explanationChanged = new vscode.EventEmitter<vscode.Uri>();

let launch: Launch;

export async function activateWith(context: vscode.ExtensionContext, how: Launch): Promise<void> {
  launch = how;
  output = vscode.window.createOutputChannel('PowerMTA', { log: true });
  context.subscriptions.push(output, explanationChanged);

  statusItem = vscode.window.createStatusBarItem('pmta.tier', vscode.StatusBarAlignment.Right, 100);
  statusItem.name = 'PowerMTA Microsoft tier';
  statusItem.command = 'pmta.showTier';
  context.subscriptions.push(statusItem);

  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(EXPLAIN_SCHEME, {
      onDidChange: explanationChanged.event,
      provideTextDocumentContent: (uri) => explanations.get(uri.toString()) ?? '',
    }),
    vscode.commands.registerCommand('pmta.restartServer', async () => {
      output?.info('Restarting the language server');
      starting = stopClient().then(() => startClient(context));
      await starting;
      scheduleStatus(0);
    }),
    vscode.commands.registerCommand('pmta.showOutput', () => output?.show(true)),
    vscode.commands.registerCommand('pmta.explainReply', explainReplyCommand),
    vscode.commands.registerCommand('pmta.insertMicrosoftConfiguration', insertMicrosoftConfigurationCommand),
    vscode.commands.registerCommand('pmta.showTier', showTierCommand),
    vscode.commands.registerCommand('pmta.deliveryReport', (clicked?: vscode.Uri, selected?: vscode.Uri[]) =>
      deliveryReportCommand(runningClient, LANGUAGE, output!, clicked, selected),
    ),
    // run by the code lens above a domain-key line (server/src/features/dkim.ts COPY_DKIM_RECORD), with the record
    vscode.commands.registerCommand('pmta.copyDkimRecord', copyDkimRecord),
    vscode.window.onDidChangeActiveTextEditor(() => scheduleStatus(0)),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document === vscode.window.activeTextEditor?.document && e.document.languageId === LANGUAGE)
        scheduleStatus(600);
    }),
    vscode.workspace.onDidOpenTextDocument((d) => {
      if (d === vscode.window.activeTextEditor?.document) scheduleStatus(0); // a language mode change reopens the document
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('pmta')) scheduleStatus(300);
    }),
    // In a restricted (untrusted) workspace the server does not read files outside it; once the
    // workspace is trusted, restart it so that it may.
    vscode.workspace.onDidGrantWorkspaceTrust(async () => {
      output?.info('Workspace trusted: restarting the language server');
      await vscode.commands.executeCommand('pmta.restartServer');
    }),
  );

  // the server starts in the background: activation does not wait for it (requests wait, see request())
  starting = startClient(context).then(() => scheduleStatus(0));
}

/** Copy the DNS TXT record of a DKIM key (a zone-file line holding the public key only) to the clipboard. */
async function copyDkimRecord(record: unknown): Promise<void> {
  if (typeof record !== 'string' || !record) return;
  await vscode.env.clipboard.writeText(record);
  void vscode.window.showInformationMessage(
    `Copied the DNS record ${record.slice(0, record.indexOf(' '))} to the clipboard.`,
  );
}

export async function deactivate(): Promise<void> {
  if (statusTimer) clearTimeout(statusTimer);
  await stopClient();
}

async function startClient(context: vscode.ExtensionContext): Promise<void> {
  const channel = output!;
  let c: PmtaClient;
  try {
    c = launch(context, channel);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    channel.error(msg);
    void showError(msg);
    return;
  }
  client = c;
  try {
    await c.start();
    channel.info(
      `Language server started${vscode.workspace.isTrusted ? '' : ' (restricted mode: files outside the workspace are not read)'}`,
    );
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    channel.error(`The language server failed to start: ${e instanceof Error && e.stack ? e.stack : detail}`);
    void showError(`PowerMTA: the language server failed to start: ${detail}`);
    if (client === c) client = undefined;
    try {
      await c.dispose();
    } catch {
      // already stopped
    }
  }
}

async function stopClient(): Promise<void> {
  const c = client;
  client = undefined;
  if (!c) return;
  try {
    await c.dispose();
  } catch (e) {
    output?.warn(`Stopping the language server: ${e instanceof Error ? e.message : String(e)}`);
  }
}

async function showError(message: string): Promise<void> {
  const choice = await vscode.window.showErrorMessage(message, 'Show Output', 'Restart Server');
  if (choice === 'Show Output') output?.show(true);
  else if (choice === 'Restart Server') await vscode.commands.executeCommand('pmta.restartServer');
}

/** The running client, once started; undefined (after telling the user) when the server is not running. */
async function runningClient(): Promise<PmtaClient | undefined> {
  await starting;
  const c = client;
  if (!c || !c.isRunning()) {
    void showError('PowerMTA: the language server is not running.');
    return undefined;
  }
  return c;
}

/** A request to the running server; undefined (after telling the user) when it is not running. */
async function request<R>(method: string, params: unknown): Promise<R | undefined> {
  const c = await runningClient();
  if (!c) return undefined;
  try {
    return await c.sendRequest<R>(method, params);
  } catch (e) {
    output?.error(`${method} failed: ${e instanceof Error ? e.message : String(e)}`);
    void vscode.window.showErrorMessage(`PowerMTA: ${method} failed; see the PowerMTA output.`);
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// PowerMTA: Explain SMTP reply

async function explainReplyCommand(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const selected = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection) : '';
  let text = selected.trim();
  if (!text) {
    const typed = await vscode.window.showInputBox({
      title: 'PowerMTA: Explain SMTP reply',
      prompt: 'Paste a bounce line, an SMTP reply or an accounting/log line',
      placeHolder: '421 4.7.0 RP-001 The mail server IP connecting to Outlook.com server has exceeded the rate limit…',
      ignoreFocusOut: true,
    });
    text = typed?.trim() ?? '';
  }
  if (!text) return;
  const result = await request<ReplyExplanation>(EXPLAIN_REPLY, { text } satisfies ExplainReplyParams);
  if (!result) return;
  const quoted = text.length > 2000 ? text.slice(0, 2000) + '…' : text;
  const doc = `# SMTP reply explained\n\n\`\`\`text\n${quoted.replace(/```/g, "'''")}\n\`\`\`\n\n${result.markdown}\n`;
  const uri = vscode.Uri.from({ scheme: EXPLAIN_SCHEME, path: '/SMTP reply.md' });
  explanations.set(uri.toString(), doc);
  explanationChanged.fire(uri);
  output?.info(
    `Explained: ${text.slice(0, 200)}${result.codes.length ? ` → ${result.codes.map((c) => c.id).join(', ')}` : ''}`,
  );
  try {
    await vscode.commands.executeCommand('markdown.showPreview', uri);
  } catch {
    // no Markdown preview (the built-in extension is disabled): show the Markdown source
    const d = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(d, { preview: true, viewColumn: vscode.ViewColumn.Beside });
  }
}

// ---------------------------------------------------------------------------------------------
// PowerMTA: Insert Microsoft domain configuration

async function insertMicrosoftConfigurationCommand(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== LANGUAGE) {
    void vscode.window.showInformationMessage(
      'PowerMTA: open a PowerMTA configuration to insert the Microsoft domain configuration into.',
    );
    return;
  }
  const doc = editor.document;
  const info = await request<TierInfo | null>(TIER, { textDocument: { uri: doc.uri.toString() } } satisfies TierParams);
  if (!info) return;
  const picked = await vscode.window.showQuickPick(
    info.tiers.map((t) => ({
      id: t.id,
      label: t.label,
      description: t.id === info.tier && info.source !== 'assumed' ? '(the tier in force for this file)' : undefined,
      detail: Object.entries(t.limits)
        .map(([k, v]) => `${k} ${v}`)
        .join(' · '),
    })),
    {
      title: 'PowerMTA: Insert Microsoft domain configuration',
      placeHolder: 'Your daily volume to Microsoft (Outlook.com, Hotmail, Live, MSN)',
    },
  );
  if (!picked) return;
  const indent =
    editor.options.insertSpaces === false
      ? '\t'
      : ' '.repeat(typeof editor.options.tabSize === 'number' ? editor.options.tabSize : 4);
  const params: MicrosoftConfigurationParams = {
    tier: picked.id as MicrosoftConfigurationParams['tier'],
    textDocument: { uri: doc.uri.toString() },
    options: { indent, eol: doc.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n' },
  };
  const config = await request<MicrosoftConfiguration | null>(MICROSOFT_CONFIGURATION, params);
  if (!config) return;
  if (config.conflicts.length) {
    const go = await vscode.window.showWarningMessage(
      'PowerMTA: this file already has part of a Microsoft configuration.',
      { modal: true, detail: config.conflicts.join('\n') },
      'Insert anyway',
    );
    if (go !== 'Insert anyway') return;
  }
  // at the start of the cursor's line when it is blank, else after it
  const line = doc.lineAt(editor.selection.active.line);
  const eol = params.options!.eol!;
  let at: vscode.Position;
  let text = config.text;
  if (line.isEmptyOrWhitespace) at = line.range.start;
  else if (line.lineNumber + 1 < doc.lineCount) at = new vscode.Position(line.lineNumber + 1, 0);
  else {
    at = line.range.end;
    text = eol + text;
  }
  const ok = await editor.edit((b) => b.insert(at, text));
  if (!ok) return;
  const first = at.line + (text.startsWith(eol) ? 1 : 0);
  editor.revealRange(new vscode.Range(first, 0, first, 0), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  if (config.notes.length) void vscode.window.showInformationMessage(`PowerMTA: ${config.notes.join(' ')}`);
  scheduleStatus(300);
}

// ---------------------------------------------------------------------------------------------
// status bar: the Microsoft tier in force

function scheduleStatus(delay: number): void {
  if (statusTimer) clearTimeout(statusTimer);
  statusTimer = setTimeout(() => {
    statusTimer = undefined;
    void updateStatus();
  }, delay);
}

async function updateStatus(): Promise<void> {
  const item = statusItem;
  if (!item) return;
  const doc = vscode.window.activeTextEditor?.document;
  if (!doc || doc.languageId !== LANGUAGE || !client?.isRunning()) {
    item.hide();
    return;
  }
  let info: TierInfo | null = null;
  try {
    info = await client.sendRequest<TierInfo | null>(TIER, {
      textDocument: { uri: doc.uri.toString() },
    } satisfies TierParams);
  } catch {
    info = null;
  }
  if (vscode.window.activeTextEditor?.document !== doc) return; // the user moved on
  if (!info) {
    item.hide();
    return;
  }
  lastTier = info;
  item.text = `$(mail) Microsoft: ${info.tier}${info.source === 'assumed' ? '?' : ''}`;
  item.tooltip = tierTooltip(info);
  item.show();
}

function tierTooltip(info: TierInfo): vscode.MarkdownString {
  const lines = [`**Microsoft volume tier: ${info.tier}** — ${info.label}`, '', `${info.why}.`, ''];
  lines.push(
    `Advised limits: max-smtp-out ${info.limits['max-smtp-out']}, max-connect-rate ${info.limits['max-connect-rate']}, max-msg-rate ${info.limits['max-msg-rate']}, retry-after ${info.limits['retry-after']}.`,
  );
  if (info.active && info.queue) {
    lines.push(
      '',
      `Microsoft queue: \`${info.queue}\`${info.rolledUp ? ` (${info.rolledUp.count} of ${info.rolledUp.of} domains rolled up)` : ''}.`,
    );
    if (info.connections) lines.push('', `Connections: ${info.connections.total} (budget ${info.connections.budget}).`);
  } else {
    lines.push('', 'No block of this file shapes Microsoft mail.');
  }
  if (info.source === 'assumed')
    lines.push('', 'Declare it with `# pmta-lint: microsoft-tier=…` or the `pmta.microsoft.volumeTier` setting.');
  const md = new vscode.MarkdownString(lines.join('\n'));
  md.supportThemeIcons = true;
  return md;
}

async function showTierCommand(): Promise<void> {
  await updateStatus();
  const info = lastTier;
  if (!info || vscode.window.activeTextEditor?.document.languageId !== LANGUAGE) return;
  const detail = [
    `${info.why}.`,
    info.active && info.connections
      ? `Microsoft queue ${info.queue}: ${info.connections.text} (budget ${info.connections.budget}).`
      : info.active
        ? `Microsoft queue ${info.queue}.`
        : 'No block of this file shapes Microsoft mail.',
  ].join('\n');
  const choice = await vscode.window.showInformationMessage(
    `PowerMTA: Microsoft tier ${info.tier} — ${info.label}`,
    { modal: true, detail },
    'Change the setting',
    'Insert configuration…',
  );
  if (choice === 'Change the setting')
    await vscode.commands.executeCommand('workbench.action.openSettings', 'pmta.microsoft.volumeTier');
  else if (choice === 'Insert configuration…')
    await vscode.commands.executeCommand('pmta.insertMicrosoftConfiguration');
}
