/**
 * Hover in PowerMTA accounting files (`acct-*.csv`, JSON records): on a Microsoft code in a record's
 * reply (its dsnDiag or dsnStatus field), the same explanation as in a configuration (replies.ts), and
 * for a code any mail server sends (5.5.0, 5.7.1) in a record that does not name Microsoft, its general
 * meaning first. Such files are not configurations: no model, only the line under the pointer, so a
 * file of any size costs one line.
 */
import type { Hover, Position } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  genericCodeMarkdown,
  ifSentBy,
  isGenericMention,
  microsoftCodeMarkdown,
  namesMicrosoft,
  replyMentions,
} from './replies';

/** The columns whose text is a reply. */
const REPLY_COLUMNS = ['dsndiag', 'dsnstatus'];
/** Longest stretch of a line looked at around the pointer (records are short; a broken file may not be). */
const WINDOW = 4000;
/** Longest header row read. */
const MAX_HEADER = 8192;

/** The CSV fields of a line (quotes honoured, doubled quotes kept as they are), with where each starts. */
function csvFields(line: string): Array<{ start: number; text: string }> {
  const out: Array<{ start: number; text: string }> = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i <= line.length; i++) {
    const c = line[i];
    if (i === line.length || (c === ',' && !quoted)) {
      out.push({ start, text: line.slice(start, i) });
      start = i + 1;
    } else if (c === '"') quoted = !quoted;
  }
  return out;
}

/**
 * The names of the CSV header (lower-case), when the file starts with one that names a `type` column;
 * undefined for JSON records or a file without a header.
 */
function headerOf(text: string): string[] | undefined {
  let end = text.indexOf('\n');
  if (end < 0 || end > MAX_HEADER) end = Math.min(text.length, MAX_HEADER);
  const names = csvFields(
    text
      .slice(0, end)
      .replace(/^\uFEFF/, '')
      .trimEnd(),
  ).map((f) => f.text.trim().replace(/^"|"$/g, '').toLowerCase());
  return names.includes('type') ? names : undefined;
}

/**
 * Whether `offset` (in `line`) lies in a reply field. A line that does not split into as many fields as
 * the header (a reply with a line break in it, a broken row) is not judged: the hover is given.
 */
function inReplyField(header: string[] | undefined, line: string, offset: number): boolean {
  if (!header) return true;
  const fields = csvFields(line);
  if (fields.length !== header.length) return true;
  let i = fields.length - 1;
  while (i > 0 && fields[i].start > offset) i--;
  return REPLY_COLUMNS.includes(header[i]);
}

export function accountingHover(doc: TextDocument, position: Position): Hover | null {
  const text = doc.getText();
  const offset = doc.offsetAt(position);
  let start = offset;
  while (start > 0 && text[start - 1] !== '\n' && offset - start < WINDOW) start--;
  let end = offset;
  while (end < text.length && text[end] !== '\n' && text[end] !== '\r' && end - offset < WINDOW) end++;
  const line = text.slice(start, end);
  const at = offset - start;
  const hit = replyMentions(line).find((h) => at >= h.start && at <= h.end);
  if (!hit || !inReplyField(headerOf(text), line, at)) return null;
  let md = microsoftCodeMarkdown(hit);
  if (isGenericMention(hit) && !namesMicrosoft(line)) {
    const enhanced = hit.code.enhanced ?? hit.code.id;
    const basic = /^[245]\d\d\b/.exec(hit.written.trim())?.[0];
    md = genericCodeMarkdown(basic, enhanced).join('\n\n') + `\n\n---\n\n**${ifSentBy(hit.code)}**\n\n` + md;
  }
  return {
    contents: { kind: 'markdown', value: md },
    range: { start: doc.positionAt(start + hit.start), end: doc.positionAt(start + hit.end) },
  };
}
