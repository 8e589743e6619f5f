/**
 * The settings the client gives the server, per document: asked with `workspace/configuration`
 * (section `pmta`) when the client can answer it, else taken from `initializationOptions.settings` and
 * from what `workspace/didChangeConfiguration` sends. Each document's are asked once, until they change.
 * The server asks to be told of changes (a dynamic registration) only when the client says it takes one;
 * a client that does not (Neovim, Helix, Eglot) still sends `workspace/didChangeConfiguration` on its own.
 */
import { type Connection, DidChangeConfigurationNotification, type InitializeParams } from 'vscode-languageserver';
import { normalizeSettings, type Settings } from '../settings';

export class ClientSettings {
  /** The client answers `workspace/configuration` (the pull model). */
  private pull = false;
  /** The client takes a dynamic registration of `workspace/didChangeConfiguration`. */
  private dynamicChange = false;
  /** The settings of `initializationOptions` (and, without the pull model, of the last change). */
  private pushed: Settings = {};
  private cache = new Map<string, Promise<Settings>>();

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
      const { settings, problems } = normalizeSettings(init.settings);
      this.pushed = settings;
      for (const p of problems) this.log(`initializationOptions.settings: ${p}`);
    }
  }

  /**
   * After `initialized`: a client that is asked for settings is asked to tell when they change, if it
   * takes such a registration (one that does not would only log a warning about it).
   */
  initialized(): void {
    if (this.pull && this.dynamicChange) void this.connection.client.register(DidChangeConfigurationNotification.type, undefined).catch(() => undefined);
  }

  /** Listen to `workspace/didChangeConfiguration`; `changed` runs once the new settings are in. */
  onDidChange(changed: () => void): void {
    this.connection.onDidChangeConfiguration((change) => {
      this.cache.clear();
      if (!this.pull) {
        const raw = (change.settings as { pmta?: unknown } | undefined)?.pmta;
        this.pushed = normalizeSettings(raw ?? {}).settings;
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
          const { settings, problems } = normalizeSettings(raw ?? {});
          for (const pr of problems) this.log(`settings: ${pr}`);
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
}
