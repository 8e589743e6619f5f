/**
 * How the server schedules validation while the user types: it waits for a pause (debounce), then
 * analyses in slices, giving way to incoming messages between them, and drops the work as soon as a
 * newer version of the document has arrived (that version gets its own run). No Node-only API.
 */

/** Milliseconds the server waits after the last change before analysing a document. */
export const VALIDATE_DELAY_MS = 150;

/** Longest stretch of analysis (ms) before giving way to incoming messages. */
export const SLICE_MS = 10;

/**
 * Let other events run (the next LSP message), then go on: setImmediate on Node; in a browser's worker a
 * message to itself, since nested setTimeout(0) calls are clamped to 4 ms there.
 */
const giveWay: () => Promise<void> = (() => {
  if (typeof setImmediate === 'function') return () => new Promise<void>((resolve) => setImmediate(resolve));
  if (typeof MessageChannel === 'function') {
    const channel = new MessageChannel();
    const waiting: Array<() => void> = [];
    // (typed as a browser's port: the project is compiled with Node's types)
    (channel.port1 as unknown as { onmessage: () => void }).onmessage = () => waiting.shift()?.();
    return () =>
      new Promise<void>((resolve) => {
        waiting.push(resolve);
        channel.port2.postMessage(null);
      });
  }
  return () => new Promise<void>((resolve) => setTimeout(resolve, 0));
})();

/**
 * Drive `steps` to the end, giving way every {@link SLICE_MS}. Returns the result, or undefined when
 * `stale()` said the work is no longer wanted (checked each time after giving way).
 */
export async function runInSlices<T>(
  steps: Generator<void, T, void>,
  stale: () => boolean,
  sliceMs = SLICE_MS,
): Promise<T | undefined> {
  let sliceStart = Date.now();
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    if (Date.now() - sliceStart >= sliceMs) {
      await giveWay();
      if (stale()) {
        steps.return(undefined as unknown as T);
        return undefined;
      }
      sliceStart = Date.now();
    }
  }
}

type Timer = ReturnType<typeof setTimeout>;

/**
 * When to analyse each document: at once when it is opened, after a pause in typing when it changes.
 * One timer per document, so a burst of changes ends in one run. TextDocuments reports an opened
 * document as changed too (right after onDidOpen): the first change of a document is its opening.
 */
export class ValidationScheduler<D extends { uri: string }> {
  private timers = new Map<string, Timer>();
  private open = new Set<string>();

  constructor(
    private readonly run: (doc: D) => void,
    private readonly delay = VALIDATE_DELAY_MS,
    private readonly timer: { set: (fn: () => void, ms: number) => Timer; clear: (t: Timer) => void } = {
      set: (fn, ms) => setTimeout(fn, ms),
      clear: (t) => clearTimeout(t),
    },
  ) {}

  /** The document was opened or changed. */
  changed(doc: D): void {
    const opening = !this.open.has(doc.uri);
    this.open.add(doc.uri);
    this.schedule(doc, opening ? 0 : this.delay);
  }

  /** Analyse again after the usual pause (settings or included files changed). */
  schedule(doc: D, ms = this.delay): void {
    this.cancel(doc.uri);
    this.timers.set(
      doc.uri,
      this.timer.set(() => {
        this.timers.delete(doc.uri);
        this.run(doc);
      }, ms),
    );
  }

  /** The document was closed: no pending run, and its next opening is analysed at once. */
  closed(uri: string): void {
    this.cancel(uri);
    this.open.delete(uri);
  }

  private cancel(uri: string): void {
    const t = this.timers.get(uri);
    if (t === undefined) return;
    this.timer.clear(t);
    this.timers.delete(uri);
  }
}
