/**
 * What the model needs to follow `include` directives and to look at DKIM key files (IncludeHost), and what a server needs on top of
 * it (WorkspaceIncludeHost): the configurations near a file, the workspace folders, forgetting what was
 * read. Implemented on Node (nodeHost.ts: the disk) and in the browser (webHost.ts: through the client).
 * Types only.
 */
import type { KeyProblem } from '../knowledge/dkim';
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
  /**
   * When an include path that names no file names a folder (which PowerMTA does not include): the path
   * with a wildcard for its files (`conf.d/*.conf`), to suggest. Only the Node host has it (the
   * browser's lists files, not folders).
   */
  folderPattern?(fromUri: string, path: string, access?: IncludeAccess): string | undefined;
  /**
   * What the DKIM key file a `domain-key` line names holds, found the way an include path is (relative to
   * the including document, absolute paths also below it) and under the same access rules. Only a host
   * with a file system and cryptography has it (the Node one); undefined when this document's files
   * cannot be read here. Never returns any part of the private key.
   */
  keyInfo?(fromUri: string, path: string, access?: IncludeAccess): KeyInfo | undefined;
}

/**
 * A DKIM key file as the host found it: where, whether it could be read, and for a private key its type,
 * size and public half (base64 of the DER SubjectPublicKeyInfo, what a DKIM DNS record publishes in p=).
 */
export interface KeyInfo {
  /** The file read (a file: URI), when one was found. */
  uri?: string;
  exists: boolean;
  /** It could be read and parsed as a private key. */
  readable: boolean;
  /** The private key's type (`rsa`, `ec`, `ed25519`…), when it is one. */
  kind?: string;
  /** Modulus length of an RSA key. */
  bits?: number;
  /** The public key (SubjectPublicKeyInfo, DER, base64). */
  publicKeyBase64?: string;
  problem?: KeyProblem;
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
