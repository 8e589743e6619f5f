/**
 * "PowerMTA: Microsoft Delivery Report": the report on the active accounting file, the files chosen in
 * the explorer, or files picked in a dialog, computed by the server (pmta/deliveryReport) with progress
 * in a notification that can cancel it, and shown in a webview (page.ts). With an open PowerMTA
 * configuration, the server also maps the IPs and finds the replies its pattern lists miss; the view's
 * links open the configuration's virtual MTAs and the removal pages the report names, and its button adds
 * the missing rules to the configuration's pattern list (pmta/addPatternRules, an edit the server makes
 * and this extension applies).
 */
import * as vscode from 'vscode';
import {
  ACCOUNTING_LANGUAGE,
  ADD_PATTERN_RULES,
  DELIVERY_REPORT,
  type AddPatternRulesParams,
  type AddPatternRulesResult,
  type DeliveryReportParams,
  type DeliveryReportResult,
} from '../../../server/src/server/protocol';
import type { PmtaClient, WorkDone } from '../pmtaClient';
import { ProgressSteps } from './progress';
import { reportLinks, reportPage, reportTitle, type PageMessage, type ViewMessage } from './page';

/** How the view reaches the server: the running client, or undefined after telling the user why not. */
export type ClientOf = () => Promise<PmtaClient | undefined>;

/** The open report view (one at a time: a new report replaces the one shown). */
let panel: vscode.WebviewPanel | undefined;
let shown: DeliveryReportResult | undefined;
/** The client the view's buttons use (the server may have been restarted since the report). */
let clientOf: ClientOf = async () => undefined;
let counter = 0;

/** A random value for the page's content security policy. */
function nonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The accounting files to report on: those chosen in the explorer, the active accounting file, or files picked in a dialog. */
async function chooseFiles(clicked?: vscode.Uri, selected?: vscode.Uri[]): Promise<vscode.Uri[] | undefined> {
  if (selected?.length) return selected;
  if (clicked instanceof vscode.Uri) return [clicked];
  const active = vscode.window.activeTextEditor?.document;
  if (active?.languageId === ACCOUNTING_LANGUAGE) return [active.uri];
  return vscode.window.showOpenDialog({
    title: 'PowerMTA: accounting files for the Microsoft delivery report',
    canSelectMany: true,
    openLabel: 'Report',
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    filters: { 'Accounting files': ['csv', 'gz', 'json'], 'All files': ['*'] },
  });
}

/** The open PowerMTA configuration to report with: one shown in an editor first, else any open one. */
function chooseConfig(language: string): vscode.Uri | undefined {
  const visible = vscode.window.visibleTextEditors.map((e) => e.document).find((d) => d.languageId === language);
  return (visible ?? vscode.workspace.textDocuments.find((d) => d.languageId === language))?.uri;
}

/** The command. `language`: the PowerMTA configuration language; `clicked`, `selected`: the explorer's files. */
export async function deliveryReportCommand(
  getClient: ClientOf,
  language: string,
  log: vscode.LogOutputChannel,
  clicked?: vscode.Uri,
  selected?: vscode.Uri[],
): Promise<void> {
  clientOf = getClient;
  const files = await chooseFiles(clicked, selected);
  if (!files?.length) return;
  const client = await clientOf();
  if (!client) return;
  const config = chooseConfig(language);
  const uris = files.map((f) => f.toString());
  const release = client.allowReportFiles(uris);
  const workDoneToken = `pmta-report-${++counter}`;
  let result: DeliveryReportResult | undefined;
  try {
    result = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: 'PowerMTA: Microsoft delivery report',
        cancellable: true,
      },
      async (progress, token) => {
        const steps = new ProgressSteps();
        const listening = client.onWorkDone(workDoneToken, (v: WorkDone) => {
          const step = steps.next(v);
          if (step) progress.report(step);
        });
        try {
          const params: DeliveryReportParams = {
            files: uris,
            workDoneToken,
            ...(config ? { config: { uri: config.toString() } } : {}),
          };
          const answer = await client.sendRequest<DeliveryReportResult>(DELIVERY_REPORT, params, token);
          // cancelled after the server had read everything: its answer is not shown either
          return token.isCancellationRequested ? undefined : answer;
        } finally {
          listening.dispose();
        }
      },
    );
  } catch (e) {
    // LSP's RequestCancelled: the server stopped between two chunks
    if ((e as { code?: number })?.code === -32800) {
      log.info('Delivery report cancelled');
      return;
    }
    const message = e instanceof Error ? e.message : String(e);
    log.error(`Delivery report failed: ${message}`);
    void vscode.window.showErrorMessage(`PowerMTA: the delivery report failed: ${message}`);
    return;
  } finally {
    release();
  }
  if (!result) {
    log.info('Delivery report cancelled');
    return;
  }
  log.info(`Delivery report on ${uris.join(', ')}${config ? ` with ${config.toString()}` : ''}`);
  const failed = result.report.files.filter((f) => f.error !== undefined);
  if (failed.length)
    void vscode.window.showWarningMessage(`PowerMTA: ${failed.map((f) => `${f.file}: ${f.error}`).join('; ')}`);
  show(result);
}

/** Shows a report in the view (created, or brought forward). */
function show(result: DeliveryReportResult): void {
  shown = result;
  if (!panel) {
    panel = vscode.window.createWebviewPanel('pmta.deliveryReport', reportTitle(result), vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [],
    });
    panel.onDidDispose(() => {
      panel = undefined;
      shown = undefined;
    });
    panel.webview.onDidReceiveMessage((m: PageMessage) => void onMessage(m));
  } else panel.reveal();
  panel.title = reportTitle(result);
  panel.webview.html = reportPage(result, { nonce: nonce() });
}

async function onMessage(m: PageMessage): Promise<void> {
  const r = shown;
  if (!r || !m || typeof m !== 'object') return;
  if (m.type === 'openVmta' && typeof m.name === 'string') {
    const at = r.vmtas[m.name.toLowerCase()];
    if (!at) return;
    const range = new vscode.Range(
      at.range.start.line,
      at.range.start.character,
      at.range.end.line,
      at.range.end.character,
    );
    await vscode.window.showTextDocument(vscode.Uri.parse(at.uri), {
      selection: range,
      viewColumn: vscode.ViewColumn.Beside,
    });
  } else if (m.type === 'openLink' && typeof m.url === 'string') {
    if (reportLinks(r).has(m.url)) await vscode.env.openExternal(vscode.Uri.parse(m.url));
  } else if (m.type === 'addRules') {
    const client = await clientOf();
    if (client) await addRules(r, client);
    else post({ type: 'rulesFailed', text: 'Not added: the language server is not running.' });
  }
}

function post(message: ViewMessage): void {
  void panel?.webview.postMessage(message);
}

/** The button: the server's edit, applied; the list shown where the rules went. */
async function addRules(r: DeliveryReportResult, client: PmtaClient): Promise<void> {
  const config = r.report.config;
  if (!r.config || !config?.rules.length) return;
  let answer: AddPatternRulesResult | undefined;
  try {
    answer = await client.sendRequest<AddPatternRulesResult>(ADD_PATTERN_RULES, {
      textDocument: r.config,
      ruleIds: config.rules.map((x) => x.id),
    } satisfies AddPatternRulesParams);
  } catch (e) {
    answer = { error: e instanceof Error ? e.message : String(e) };
  }
  if ('error' in answer) {
    post({ type: 'rulesFailed', text: `Not added: ${answer.error}.` });
    return;
  }
  const edit = new vscode.WorkspaceEdit();
  let first: vscode.Range | undefined;
  for (const [uri, edits] of Object.entries(answer.edit.changes ?? {})) {
    for (const e of edits) {
      const range = new vscode.Range(
        e.range.start.line,
        e.range.start.character,
        e.range.end.line,
        e.range.end.character,
      );
      edit.replace(vscode.Uri.parse(uri), range, e.newText);
      first ??= range;
    }
  }
  if (!(await vscode.workspace.applyEdit(edit))) {
    post({ type: 'rulesFailed', text: 'Not added: the editor refused the edit.' });
    return;
  }
  post({
    type: 'rulesAdded',
    text: `Added ${answer.added.length} rule${answer.added.length === 1 ? '' : 's'} to ${answer.list}; save the file to keep them.`,
  });
  if (first)
    await vscode.window.showTextDocument(vscode.Uri.parse(answer.uri), {
      selection: new vscode.Range(first.start, first.start),
      viewColumn: vscode.ViewColumn.Beside,
      preserveFocus: true,
    });
}
