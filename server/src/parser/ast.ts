/**
 * Syntax tree of a PowerMTA configuration file.
 *
 * The tree is lossless: the document is a sequence of {@link Line} nodes (a line keeps its
 * end-of-line characters; a continued directive keeps every physical line it spans), and the
 * tokens of a line (`tokensOf(line)` in the parser: they are kept in one flat store per document and
 * built on request) cover it exactly, white space and comments included. Concatenating the
 * tokens of `tree.lines` in order gives back the input text, character for character.
 * Blocks (`<domain x>` … `</domain>`) group lines without owning any text of their own.
 *
 * All offsets are UTF-16 code unit offsets into the text (JavaScript string indices), which is
 * what LSP positions count by default.
 */

export interface Span {
  start: number;
  end: number;
}

export type TokenKind =
  | 'ws' // spaces and tabs
  | 'eol' // \n, \r\n or \r
  | 'comment' // from # to the end of the line
  | 'name' // a directive or pattern keyword
  | 'word' // a value word
  | 'string' // a quoted value word
  | 'punct' // < </ > {{ }} = and the like
  | 'tag-name'
  | 'tag-arg'
  | 'regex' // /.../ including the slashes
  | 'template' // a template placeholder or template line
  | 'continuation' // a trailing backslash that joins the next line
  | 'junk'; // anything that could not be understood

export interface Token extends Span {
  kind: TokenKind;
}

/** A word of a value: text without quotes, span with quotes. */
export interface Word extends Span {
  text: string;
  quoted: boolean;
}

interface LineBase extends Span {
  /** 0-based number of the first physical line. */
  line: number;
  /** End of the content, before the final end-of-line. */
  contentEnd: number;
  /** Trailing or whole-line comment, if any. */
  comment?: Span;
  /** Enclosing block, undefined at the top level. */
  parent?: Block;
}

export interface BlankLine extends LineBase {
  kind: 'blank';
}

export interface CommentLine extends LineBase {
  kind: 'comment';
}

/** `name value... # comment`; may span several physical lines (trailing `\` or `,`). */
export interface DirectiveLine extends LineBase {
  kind: 'directive';
  /** Lower-case name. */
  name: string;
  /** Name as written. */
  rawName: string;
  nameSpan: Span;
  /** The value as written (may contain continuation breaks), trimmed; '' when none. */
  value: string;
  /** Span of the value; empty span right after the name when there is no value. */
  valueSpan: Span;
  /** The value split into words (quotes honoured; commas kept inside words). */
  readonly args: Word[];
  /** The first of {@link args}, without making the others (a value of thousands of words makes them when asked for). */
  readonly firstArg: Word | undefined;
  /**
   * True when the value is one unquoted word: `value` is then its text, at `valueSpan` (cheaper than
   * {@link args} in a loop over every directive).
   */
  readonly plainValue: boolean;
  /** Number of physical lines this directive spans. */
  physicalLines: number;
}

export interface OpenTagLine extends LineBase {
  kind: 'open-tag';
  name: string;
  rawName: string;
  nameSpan: Span;
  /** Argument text, trimmed ('' when none). */
  arg: string;
  argSpan: Span;
  /** Span of the whole tag from `<` to `>` (or to the end of content when `>` is missing). */
  tagSpan: Span;
  /** `>` missing. */
  unterminated: boolean;
  /** Text after `>` that is not a comment. */
  trailing?: Span;
}

export interface CloseTagLine extends LineBase {
  kind: 'close-tag';
  name: string;
  rawName: string;
  nameSpan: Span;
  tagSpan: Span;
  unterminated: boolean;
  /** Text after the name inside the tag (`</domain-key-list x>`), tolerated. */
  extra?: Span;
  trailing?: Span;
}

/** A line in a block whose body is patterns: `reply /re/ actions`, `/re/ category`, `mx host name`. */
export interface PatternLine extends LineBase {
  kind: 'pattern';
  /** Words before the regex (e.g. `reply`, `header Subject`, `mx`). */
  lead: Word[];
  /** The regex including slashes, if any. */
  regex?: Span & { body: string; terminated: boolean };
  /** Words after the regex (actions, category, rollup name...). */
  rest: Word[];
  /** A quoted pattern in place of a regex (the blog form `"421 RP-001" retry-after=4h`). */
  quoted?: Word;
}

/** A template line (`{{#each ips}}`, `{% if x %}`, `__BLOCKS__`): opaque. */
export interface TemplateLine extends LineBase {
  kind: 'template';
}

/**
 * The blog pseudo-syntax: `domain outlook.com {{` (open), `}}` (close) or
 * `domain hotmail.com {{ mx-rollup outlook.com }}` (inline, with one inner directive).
 */
export interface PseudoLine extends LineBase {
  kind: 'pseudo-open' | 'pseudo-close' | 'pseudo-inline';
  /** Block keyword (lower case), for open and inline. */
  keyword?: string;
  keywordSpan?: Span;
  arg?: string;
  argSpan?: Span;
  /** For inline: the inner text parsed as a directive (its spans lie inside this line). */
  inner?: DirectiveLine | PatternLine;
}

/** A line that could not be understood. */
export interface ErrorLine extends LineBase {
  kind: 'error';
  message: string;
}

export type Line =
  | BlankLine
  | CommentLine
  | DirectiveLine
  | OpenTagLine
  | CloseTagLine
  | PatternLine
  | TemplateLine
  | PseudoLine
  | ErrorLine;

export interface Block extends Span {
  kind: 'block';
  /** Lower-case tag name (for pseudo blocks: the keyword). */
  name: string;
  /** Argument, trimmed. */
  arg: string;
  argSpan: Span;
  open: OpenTagLine | PseudoLine;
  close?: CloseTagLine | PseudoLine;
  children: Node[];
  parent?: Block;
  /** Written in the blog pseudo-syntax. */
  pseudo: boolean;
}

export type Node = Block | Line;

type ParseErrorCode = 'syntax' | 'pseudo-syntax' | 'invalid-value';

export interface ParseDiagnostic extends Span {
  code: ParseErrorCode;
  message: string;
  /** Machine-readable detail for quick fixes. */
  data?: { kind: string; [k: string]: unknown };
}

export interface SyntaxTree {
  text: string;
  /**
   * Where each line of the text starts, as TextDocument counts lines: 0, then after every `\r\n`, `\r`
   * and `\n` (a text that ends with a line end has a last, empty line). Found while splitting the lines.
   */
  lineStarts: Int32Array;
  /** Every line in document order (pseudo-inline inner directives are not listed). */
  lines: Line[];
  /** Top-level nodes. */
  children: Node[];
  diagnostics: ParseDiagnostic[];
}

/** Lines of a block other than its open and close lines (its nested blocks left out). */
export function bodyLines(b: Block): Line[] {
  return b.children.filter((c): c is Line => c.kind !== 'block' && c !== b.open && c !== b.close);
}

/** The line (of `lines`: in document order, not overlapping, as `SyntaxTree.lines`) that holds `offset`, by binary search. */
export function lineHolding(lines: readonly Line[], offset: number): Line | undefined {
  let lo = 0;
  let hi = lines.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const l = lines[mid];
    if (offset < l.start) hi = mid - 1;
    else if (offset >= l.end) lo = mid + 1;
    else return l;
  }
  return undefined;
}

/**
 * The block whose open line holds `offset` between its start and the end of its content (`blocks` in
 * document order: their open lines are too, one line each), by binary search; undefined when none.
 */
export function blockOpenedOn(blocks: readonly Block[], offset: number): Block | undefined {
  let lo = 0;
  let hi = blocks.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (blocks[mid].open.start <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  const b = found >= 0 ? blocks[found] : undefined;
  return b && offset < b.open.contentEnd ? b : undefined;
}

/** Walk blocks and lines depth-first in document order. */
export function* walk(nodes: readonly Node[]): Generator<Node> {
  for (const n of nodes) {
    yield n;
    if (n.kind === 'block') yield* walk(n.children);
  }
}
