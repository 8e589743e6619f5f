/** The line ending a file uses, for edits that add lines (rules' fixes, the service's quick fixes). Imports only text.ts. */
import { Char } from './text';

let lastText: string | undefined;
let lastEol = '\n';

/**
 * The end-of-line sequence the file uses most: "\r\n", "\n", or "\r" alone (a file saved with classic
 * Mac OS line ends, which the parser reads as line ends too); "\n" when it has none, or on a tie.
 * Remembers the last text asked about.
 */
export function eolOf(text: string): string {
  if (text === lastText) return lastEol;
  let crlf = 0;
  let lf = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    if (i > 0 && text.charCodeAt(i - 1) === Char.CarriageReturn) crlf++;
    else lf++;
  }
  // a CR alone: a CR that no LF follows (most files have none, or only those of their CRLFs)
  let cr = 0;
  for (let i = text.indexOf('\r'); i >= 0; i = text.indexOf('\r', i + 1))
    if (text.charCodeAt(i + 1) !== Char.LineFeed) cr++;
  lastText = text;
  lastEol = cr > crlf && cr > lf ? '\r' : crlf > lf ? '\r\n' : '\n';
  return lastEol;
}
