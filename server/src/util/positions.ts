/**
 * Positions (line, character) of offsets in a text, exactly as `TextDocument.positionAt` of
 * vscode-languageserver-textdocument gives them, from the line starts the parser found while splitting
 * the lines (`SyntaxTree.lineStarts`) instead of that library's own loop over every character: a fresh
 * server runs its first analysis in V8's interpreter, where that loop took about 2 ms of a 1,000-line
 * file's first diagnostics (see `Model.positionAt`). No Node-only API.
 */
import type { Position } from 'vscode-languageserver-types';
import { Char } from './text';

/**
 * The position of `offset` in `text` whose line starts are `starts` (`SyntaxTree.lineStarts`): the offset
 * is first clamped to the text, and one inside a line end (between `\r` and `\n`) is taken back to the
 * end of the line's content, as TextDocument does.
 */
export function positionIn(text: string, starts: ArrayLike<number>, offset: number): Position {
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
