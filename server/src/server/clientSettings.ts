/**
 * The settings the client gives the server, per document: asked with `workspace/configuration`
 * (section `pmta`) when the client can answer it, else taken from `initializationOptions.settings` and
 * from what `workspace/didChangeConfiguration` sends. Each document's are asked once, until they change.
 * The server asks to be told of changes (a dynamic registration) only when the client says it takes one;
 * a client that does not (Neovim, Helix, Eglot) still sends `workspace/didChangeConfiguration` on its own.
 *
 * A problem in them (a rule id no rule has, with a did-you-mean; a value that is not allowed) is logged
 * and shown to the user once as a warning message (`window/showMessage`), not as a diagnostic: the mistake
 * is in the settings, not in any PowerMTA file, and a diagnostic would sit on a line of every open file
 * that has nothing wrong with it. The message names the setting, which VS Code's settings editor finds.
 */
import {
  type Connection,
  DidChangeConfigurationNotification,
  type InitializeParams,
  MessageType,
  ShowMessageNotification,
} from 'vscode-languageserver';
import { RULES } from '../service';
import { normalizeSettings, type Settings } from '../settings';

const RULE_IDS = RULES.map((r) => r.id);

export class ClientSettings {
  /** The client answers `workspace/configuration` (the pull model). */
  private pull = false;
  /** The client takes a dynamic registration of `workspace/didChangeConfiguration`. */
  private dynamicChange = false;
  /** The settings of `initializationOptions` (and, without the pull model, of the last change). */
  private pushed: Settings = {};
  private cache = new Map<string, Promise<Settings>>();
  /** The problems shown since the settings last changed (each once, whichever documents it is found for). */
  private shown = new Set<string>();
  /** Problems found before `initialized`, shown then. */
  private pending: string[] | undefined = [];

  constructor(
    private connection: Connection,
    private log: (message: string) => void,
  ) {}

  /** From `initialize`: whether the client can be asked, and the settings it sent. */
  initialize(params: InitializeParams): void {
    this.pull = !!params.capabilities.workspace?.configuration;
    this.dynamicChange = params.capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true;
    const init = params.initializationOptions as { settings?: unknown } | undefined;
    if (init?.settings !== undefined) {
      const { settings, problems } = normalizeSettings(init.settings, RULE_IDS);
      this.pushed = settings;
      this.report(problems, 'initializationOptions.settings');
    }
  }

  /**
   * After `initialized`: a client that is asked for settings is asked to tell when they change, if it
   * takes such a registration (one that does not would only log a warning about it).
   */
  initialized(): void {
    const pending = this.pending ?? [];
    this.pending = undefined;
    for (const message of pending) this.show(message);
    if (this.pull && this.dynamicChange)
      void this.connection.client.register(DidChangeConfigurationNotification.type, undefined).catch(() => undefined);
  }

  /** Listen to `workspace/didChangeConfiguration`; `changed` runs once the new settings are in. */
  onDidChange(changed: () => void): void {
    this.connection.onDidChangeConfiguration((change) => {
      this.cache.clear();
      this.shown.clear();
      if (!this.pull) {
        const raw = (change.settings as { pmta?: unknown } | undefined)?.pmta;
        const { settings, problems } = normalizeSettings(raw ?? {}, RULE_IDS);
        this.pushed = settings;
        this.report(problems, 'pmta');
      }
      changed();
    });
  }

  /** The settings of a document. */
  of(uri: string): Promise<Settings> {
    if (!this.pull) return Promise.resolve(this.pushed);
    let p = this.cache.get(uri);
    if (!p) {
      p = this.connection.workspace
        .getConfiguration({ scopeUri: uri, section: 'pmta' })
        .then((raw) => {
          const { settings, problems } = normalizeSettings(raw ?? {}, RULE_IDS);
          this.report(problems, 'pmta');
          return settings;
        })
        .catch(() => this.pushed);
      this.cache.set(uri, p);
    }
    return p;
  }

  /** The settings of no document in particular: those the client sent. */
  get initial(): Settings {
    return this.pushed;
  }

  /** A document was closed: its settings are asked again when it is opened again. */
  forget(uri: string): void {
    this.cache.delete(uri);
  }

  /** Log the problems of settings from `source`, and show each to the user once. */
  private report(problems: readonly string[], source: string): void {
    for (const p of problems) {
      // most problems start with the key they are about (`rules.x: …`): named in full, as the user wrote it
      const where = /^[\w.-]+:/.test(p) ? `${source}.${p}` : `${source}: ${p}`;
      this.log(`settings: ${where}`);
      const message = `PowerMTA settings: ${where}`;
      if (this.pending) this.pending.push(message);
      else this.show(message);
    }
  }

  private show(message: string): void {
    if (this.shown.has(message)) return;
    this.shown.add(message);
    void this.connection
      .sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message })
      .catch(() => undefined);
  }
}
