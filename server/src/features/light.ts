/**
 * Light service for documents that are not analysed (larger than `pmta.maxFileSizeKB`): an outline
 * of the `<tag>` blocks and their folding ranges, from one scan of the text, without a syntax tree.
 * Also which documents are not analysed (too large, or binary), and the one finding a binary one gets
 * instead (a large one gets the file-too-large rule's, rules/fileTooLarge.ts).
 * No Node-only API.
 */
import type { DocumentSymbol, FoldingRange, SymbolKind } from 'vscode-languageserver-types';
import type { Finding } from '../findings';
import { Char, isBlankCode, isTagNameCode } from '../util/text';
import { MAX_SYMBOL_DEPTH, MAX_SYMBOLS } from './symbols';
import { overSizeLimit } from '../settings';

/** At most as many blocks in the light outline as in the full one (a longer outline is unusable anyway). */
const LIGHT_MAX_SYMBOLS = MAX_SYMBOLS;

/**
 * Not a text file: in the first 8 KB, NUL characters are more than 1 in 100, or control characters
 * (other than tab, line ends and form feed) more than 1 in 20. A configuration with a stray junk byte
 * here and there stays a text file, and gets its findings. Bytes that are not UTF-8 (U+FFFD when an editor
 * read them, their escapes when pmta-lint did) do not count: a file in ISO-8859-1 is a text, and random
 * bytes hold control characters enough.
 */
function looksBinary(text: string): boolean {
  const n = Math.min(text.length, 8192);
  // most texts have none of those characters: one search, in machine code, instead of the count below
  if (!CONTROL.test(n < text.length ? text.slice(0, n) : text)) return false;
  let nul = 0;
  let odd = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === Char.Nul) nul++;
    else if (
      (c < Char.Space && c !== Char.Tab && c !== Char.LineFeed && c !== Char.CarriageReturn && c !== Char.FormFeed) ||
      c === Char.Delete
    )
      odd++;
  }
  return (nul > 0 && nul * 100 > n) || (nul + odd) * 20 > n;
}

/** A NUL or a control character that {@link looksBinary} counts. */
const CONTROL = /[\x00-\x08\x0b\x0e-\x1f\x7f]/;

/** Why a document gets light service only: larger than the size limit (outline and folding), or binary (nothing). */
export type Limit = 'large' | 'binary';

/** Whether a text gets light service only, with a size limit of `maxKB`. Such texts are never parsed. */
export function limitOf(text: string, maxKB: number): Limit | undefined {
  if (overSizeLimit(text, maxKB)) return 'large';
  if (looksBinary(text)) return 'binary';
  return undefined;
}

/** The one finding a binary document gets instead of its findings (a large one gets the file-too-large rule's). */
export function binaryFinding(): Finding {
  return {
    rule: 'syntax',
    severity: 'error',
    span: { start: 0, end: 0 },
    message:
      'This looks like a binary file (it holds NUL bytes or control characters), not a PowerMTA configuration; it is not analysed',
    fixes: [],
  };
}

const KIND: Record<string, SymbolKind> = {
  domain: 3 as SymbolKind, // Namespace
  'virtual-mta': 19 as SymbolKind, // Object
  'virtual-mta-pool': 18 as SymbolKind, // Array
  'smtp-pattern-list': 10 as SymbolKind, // Enum
  'pattern-list': 10 as SymbolKind,
  'bounce-category-patterns': 10 as SymbolKind,
  source: 11 as SymbolKind, // Interface
  'acct-file': 1 as SymbolKind, // File
};

interface Open {
  name: string;
  symbol: DocumentSymbol;
  line: number;
}

/** Outline and folding ranges of the `<tag>` … `</tag>` blocks. */
export function lightOutline(text: string): { symbols: DocumentSymbol[]; folding: FoldingRange[] } {
  const symbols: DocumentSymbol[] = [];
  const folding: FoldingRange[] = [];
  const stack: Open[] = [];
  let count = 0;
  let line = 0;
  let start = 0;
  const n = text.length;
  const close = (o: Open, endLine: number, endChar: number, lastBodyLine: number) => {
    o.symbol.range.end = { line: endLine, character: endChar };
    if (lastBodyLine > o.line) folding.push({ startLine: o.line, endLine: lastBodyLine });
  };
  while (start <= n) {
    let end = start;
    while (end < n) {
      const c = text.charCodeAt(end);
      if (c === Char.LineFeed || c === Char.CarriageReturn) break;
      end++;
    }
    // (a byte order mark at the start is no part of the first line)
    let i = start === 0 && text.charCodeAt(0) === Char.ByteOrderMark ? 1 : start;
    while (i < end && isBlankCode(text.charCodeAt(i))) i++;
    if (i < end && text.charCodeAt(i) === Char.Lt) {
      const closing = text.charCodeAt(i + 1) === Char.Slash;
      const ns = i + (closing ? 2 : 1);
      let ne = ns;
      while (ne < end && isTagNameCode(text.charCodeAt(ne))) ne++;
      if (ne > ns) {
        const name = text.slice(ns, ne).toLowerCase();
        if (closing) {
          let k = stack.length - 1;
          while (k >= 0 && stack[k].name !== name) k--;
          if (k >= 0) {
            while (stack.length > k + 1) close(stack.pop()!, line, 0, line - 1);
            close(stack.pop()!, line, end - start, line - 1);
          }
        } else if (count < LIGHT_MAX_SYMBOLS && stack.length < MAX_SYMBOL_DEPTH) {
          // (a tag nested deeper is not a symbol: nor is it looked for by a close tag, which keeps that search short)
          let gt = text.indexOf('>', ne);
          if (gt < 0 || gt > end) gt = end;
          const arg = text.slice(ne, gt).trim();
          const symbol: DocumentSymbol = {
            name: `<${text.slice(ns, ne)}${arg ? ' ' + arg : ''}>`,
            kind: KIND[name] ?? (23 as SymbolKind), // Struct
            range: { start: { line, character: i - start }, end: { line, character: end - start } },
            selectionRange: { start: { line, character: ns - start }, end: { line, character: ne - start } },
            children: [],
          };
          (stack.length ? stack[stack.length - 1].symbol.children! : symbols).push(symbol);
          stack.push({ name, symbol, line });
          count++;
        }
      }
    }
    if (end >= n) break;
    start =
      text.charCodeAt(end) === Char.CarriageReturn && text.charCodeAt(end + 1) === Char.LineFeed ? end + 2 : end + 1;
    line++;
  }
  // blocks never closed end at the end of the text
  const lastChar = n - start;
  while (stack.length) close(stack.pop()!, line, Math.max(0, lastChar), line);
  folding.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
  return { symbols, folding };
}
