/**
 * Positions (line, character) of offsets in a text, exactly as `TextDocument.positionAt` of
 * vscode-languageserver-textdocument gives them, from line starts found by `indexOf` or a regular
 * expression instead of that library's loop over every character. A fresh server runs its first
 * analysis in V8's interpreter, where that loop took about 2 ms of a 1,000-line file's first diagnostics;
 * the model keeps its own line starts (see `Model.positionAt`). No Node-only API.
 */
import type { Position } from 'vscode-languageserver-types';
import { Char } from './text';

/** A line end as TextDocument counts them: `\r\n`, `\r` or `\n`. */
const LINE_END = /\r\n?|\n/g;

/**
 * The offset where each line of `text` starts: 0, then the end of every line end (so a text ending
 * with a line end has a last, empty line).
 */
export function lineStarts(text: string): number[] {
  const starts = [0];
  if (text.indexOf('\r') < 0) {
    // most files: no carriage return, and `indexOf` finds every line end
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    return starts;
  }
  LINE_END.lastIndex = 0;
  for (let m = LINE_END.exec(text); m; m = LINE_END.exec(text)) starts.push(m.index + m[0].length);
  return starts;
}

/**
 * The position of `offset` in `text` whose line starts are `starts` (from {@link lineStarts}): the offset
 * is first clamped to the text, and one inside a line end (between `\r` and `\n`) is taken back to the
 * end of the line's content, as TextDocument does.
 */
export function positionIn(text: string, starts: readonly number[], offset: number): Position {
  offset = Math.max(Math.min(offset, text.length), 0);
  let low = 0;
  let high = starts.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (starts[mid] > offset) high = mid;
    else low = mid + 1;
  }
  const line = low - 1;
  const lineStart = starts[line];
  while (offset > lineStart && isLineEndCode(text.charCodeAt(offset - 1))) offset--;
  return { line, character: offset - lineStart };
}

function isLineEndCode(c: number): boolean {
  return c === Char.CarriageReturn || c === Char.LineFeed;
}
