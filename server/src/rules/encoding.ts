/**
 * `encoding` (information): the file is not valid UTF-8. PowerMTA reads bytes, so this is no error; but
 * the reader should know that names and paths holding such bytes are not what a UTF-8 editor shows.
 * One finding per file, on the first such byte:
 * - read by pmta-lint or the server from disk, a byte that is not UTF-8 is kept as its escape
 *   (util/encoding.ts), and written back unchanged by `--fix`;
 * - read by an editor as UTF-8, it became U+FFFD, the replacement character: saving the file then writes
 *   U+FFFD in place of the byte, so the message says how to reopen it in its encoding.
 * The characters themselves are checked as any other (no syntax error per byte).
 */
import type { Rule } from './types';
import { byteEscapes } from '../util/encoding';

const REPLACEMENT = 0xfffd;

export const encodingRule: Rule = {
  id: 'encoding',
  defaultSeverity: 'information',
  description:
    'The file is not valid UTF-8 (say ISO-8859-1): its bytes are kept as they are, and an editor may have replaced them with U+FFFD.',
  check(ctx) {
    const text = ctx.model.text;
    const escapes = byteEscapes(text);
    if (escapes.length) {
      const at = escapes[0];
      const n = escapes.length;
      const byte = (text.charCodeAt(at) - 0xdc00).toString(16).toUpperCase();
      ctx.report({
        span: { start: at, end: at + 1 },
        message:
          `This file is not valid UTF-8: ${n === 1 ? '1 byte is' : `${n} bytes are`} not (the first here, 0x${byte}), as in a file saved as ISO-8859-1 or Windows-1252. ` +
          'PowerMTA reads bytes, so this is no error: they are checked as ordinary characters, and --fix writes them back unchanged; ' +
          'an editor that reads the file as UTF-8 shows them as U+FFFD, and saving it from there would replace them.',
      });
      return;
    }
    const first = text.indexOf(String.fromCharCode(REPLACEMENT));
    if (first < 0) return;
    let n = 0;
    for (let i = first; i >= 0; i = text.indexOf(String.fromCharCode(REPLACEMENT), i + 1)) n++;
    ctx.report({
      span: { start: first, end: first + 1 },
      message:
        `This file holds ${n === 1 ? 'a replacement character' : `${n} replacement characters`} (U+FFFD, the first here): the mark left where bytes were not valid UTF-8 when the file was read. ` +
        'If the file is in another encoding (such as ISO-8859-1), reopen it in that encoding before you save it (in VS Code: "Reopen with Encoding"), or those bytes are lost.',
    });
  },
};
