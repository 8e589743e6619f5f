/**
 * The Node server's command line (`node dist/server.js …`): the transport the editor starts it with,
 * as vscode-languageserver reads it (`--stdio`, `--node-ipc`, `--socket=PORT`, `--pipe=NAME`), where to
 * keep V8's code cache (`--cache-dir`, `--no-cache-dir`, boot.ts), or `--help` and `--version`. Without a transport there is nothing to serve: the usage, and exit status 2
 * (vscode-languageserver would throw, and Node print the bundle's line with the stack trace).
 */
import { VERSION } from '../version';

export const SERVER_USAGE = `Usage: node server.js --stdio | --node-ipc | --socket=PORT | --pipe=NAME

The PowerMTA language server (pmta-lsp ${VERSION}). An editor starts it and speaks the Language
Server Protocol with it over the transport named; see "Using the server from other editors" in
the README. To lint files from a shell or CI, use pmta-lint (dist/cli.js).

Transports:
  --stdio            standard input and output (most editors)
  --node-ipc         Node's IPC channel, for a parent that forks it (VS Code)
  --socket=PORT      connect to a socket the editor listens on, on this machine
  --pipe=NAME        connect to a named pipe or Unix domain socket

Options:
  --cache-dir=DIR    keep V8's code cache of the server in DIR (a folder of your own, not a shared
                     temporary one) instead of the user's cache folder: pmta-lsp in
                     $XDG_CACHE_HOME or ~/.cache, ~/Library/Caches on macOS, %LOCALAPPDATA% on
                     Windows. With the cache, later starts analyse the first document sooner
  --no-cache-dir     keep no code cache (nothing is written)
  -h, --help         show this help
  -v, --version      show the version`;

/** What the command line asks for. */
export type ServerCommand = { kind: 'serve' } | { kind: 'help' } | { kind: 'version' } | { kind: 'usage' };

/** The command in `argv` (without node and the script); help and version win over a transport. */
export function serverCommand(argv: readonly string[]): ServerCommand {
  if (argv.some((a) => a === '-h' || a === '--help')) return { kind: 'help' };
  if (argv.some((a) => a === '-v' || a === '--version')) return { kind: 'version' };
  return argv.some((a, i) => isTransport(a, argv[i + 1])) ? { kind: 'serve' } : { kind: 'usage' };
}

/**
 * Where V8's code cache goes: the folder `--cache-dir=DIR` (or `--cache-dir DIR`) names, none with
 * `--no-cache-dir`, the last of them given winning; without either, `fallback` (boot.ts gives the
 * user's cache folder, {@link SERVER_USAGE} says which).
 */
export function cacheDirOf(argv: readonly string[], fallback?: string): string | undefined {
  let dir = fallback;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--cache-dir=') && a.length > '--cache-dir='.length) dir = a.slice('--cache-dir='.length);
    else if (a === '--cache-dir' && argv[i + 1] !== undefined && !argv[i + 1].startsWith('--')) dir = argv[++i];
    else if (a === '--no-cache-dir') dir = undefined;
  }
  return dir;
}

/** A transport vscode-languageserver can open: a port is a positive number, a pipe any name. */
function isTransport(arg: string, next: string | undefined): boolean {
  if (arg === '--stdio' || arg === '--node-ipc') return true;
  const port = /^[1-9][0-9]*$/;
  if (arg.startsWith('--socket=')) return port.test(arg.slice('--socket='.length));
  if (arg === '--socket') return next !== undefined && port.test(next);
  if (arg.startsWith('--pipe=')) return arg.length > '--pipe='.length;
  return arg === '--pipe' && !!next;
}
