/** The line ending a file uses, for edits that add lines (rules' fixes, the service's quick fixes). Imports only text.ts. */
import { Char } from './text';

let lastText: string | undefined;
let lastEol = '\n';

/** The end-of-line sequence the file uses most ("\n" when it has none). Remembers the last text asked about. */
export function eolOf(text: string): string {
  if (text === lastText) return lastEol;
  let crlf = 0;
  let lf = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    if (i > 0 && text.charCodeAt(i - 1) === Char.CarriageReturn) crlf++;
    else lf++;
  }
  lastText = text;
  lastEol = crlf > lf ? '\r\n' : '\n';
  return lastEol;
}
