/**
 * What the model needs to follow `include` directives (IncludeHost), and what a server needs on top of
 * it (WorkspaceIncludeHost): the configurations near a file, the workspace folders, forgetting what was
 * read. Implemented on Node (nodeHost.ts: the disk) and in the browser (webHost.ts: through the client).
 * Types only.
 */
import type { NearbyConfig } from './nearby';

/** What a host may read for an include. */
export interface IncludeAccess {
  /** Only files inside the workspace folders (untrusted workspace, or the includes.workspaceOnly setting). */
  workspaceOnly?: boolean;
}

/** Host services the model uses to follow `include` directives. Absent in a browser. */
export interface IncludeHost {
  /**
   * URIs of the files an include path (maybe a glob) names, relative to the including document.
   * Throws with a reason (shown to the user) when the files exist but may not be read.
   */
  resolveInclude(fromUri: string, path: string, access?: IncludeAccess): string[];
  /** Text of a file, or undefined when it cannot (or may not) be read. */
  readFile(uri: string, access?: IncludeAccess): string | undefined;
}

/** An include host as a language server holds it: it also knows the workspace, and finds configurations. */
export interface WorkspaceIncludeHost extends IncludeHost {
  /** The configuration files near a file that include some file (candidates for the configuration it is part of). */
  nearbyConfigs(uri: string, access?: IncludeAccess): NearbyConfig[];
  /** The workspace folders (URIs), and whether the workspace is trusted (when not, only files inside them are read). */
  setWorkspace(folders: readonly string[], trusted: boolean): void;
  /** Files changed: forget what was read. */
  forget(): void;
}
