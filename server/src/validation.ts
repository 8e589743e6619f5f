/**
 * How the server schedules validation while the user types: it waits for a pause (debounce), then
 * analyses in slices, giving way to incoming messages between them, and drops the work as soon as a
 * newer version of the document has arrived (that version gets its own run). No Node-only API.
 */

/** Milliseconds the server waits after the last change before analysing a document. */
export const VALIDATE_DELAY_MS = 150;

/** Longest stretch of analysis (ms) before giving way to incoming messages. */
export const SLICE_MS = 10;

const giveWay: () => Promise<void> =
  typeof setImmediate === 'function' ? () => new Promise((resolve) => setImmediate(resolve)) : () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Drive `steps` to the end, giving way every {@link SLICE_MS}. Returns the result, or undefined when
 * `stale()` said the work is no longer wanted (checked each time after giving way).
 */
export async function runInSlices<T>(steps: Generator<void, T, void>, stale: () => boolean, sliceMs = SLICE_MS): Promise<T | undefined> {
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
