/**
 * The Node.js options the language server is started with: by the VS Code client
 * (client/src/lspClient.ts), by the bench, and as the README tells other editors to.
 *
 * Analysing a large configuration allocates much more than it keeps: on 100k lines, a version's model,
 * Microsoft analysis and findings (about 7 MB) live until the next version, while parsing and the rules
 * make tens of MB of short-lived objects. With V8's defaults the young generation grows to 2 × 16 MB,
 * and after each full collection the old generation may grow to several times what survived it, so
 * the server's resident memory on 100k lines climbed to 210–300 MB with 31 MB live.
 *
 * - `--max-semi-space-size=4`: young generation of at most 2 × 4 MB. Alone it makes things worse (more
 *   survivors reach the old generation), hence the second option.
 * - `--heap-growing-percent=20`: after a full collection, the old generation may grow by 20% of what
 *   survived before the next one, instead of a factor V8 picks between 1.1 and 4.
 *
 * Measured by `npm run bench` on its 100k-line config over 21 edits: peak RSS 129–140 MB instead of
 * 265–276 MB; an edit is analysed about a quarter slower (median 83–96 ms instead of 64–71 ms after the
 * debounce); the 10k-line figures do not move. No heap limit is set: one would stop the server, out of memory, when a
 * few large files are open at once.
 *
 * Both are V8 options that Node (and Electron run as Node) accept on the command line.
 */
export const SERVER_NODE_OPTIONS: readonly string[] = ['--max-semi-space-size=4', '--heap-growing-percent=20'];
