/** How the server schedules validation while the user types. */

/** Milliseconds the server waits after the last change before analysing a document. */
export const VALIDATE_DELAY_MS = 150;
