/**
 * Lossless, error-tolerant parser for PowerMTA configuration files.
 *
 * PowerMTA's format is line based (UG 3.1): one directive per line, `<tag arg>` … `</tag>`
 * blocks, `#` comments. The parser classifies each logical line, tokenizes it completely, and
 * builds the block tree with a stack. It never throws on any input: what it cannot understand
 * becomes an `error` line or a diagnostic, and parsing continues on the next line.
 *
 * Performance (large senders have configs of 100,000 lines and more): one pass over the text,
 * scanning character codes, with no regular expression run on user text except on the rare lines
 * that could be a template or the blog pseudo-syntax (and none that can backtrack badly there).
 * Physical line boundaries are kept in typed arrays, and tokens in one flat store per document:
 * a line's `tokens` are built from it when they are asked for.
 */
import type {
  Block,
  BlankLine,
  CloseTagLine,
  CommentLine,
  DirectiveLine,
  ErrorLine,
  Line,
  Node,
  OpenTagLine,
  ParseDiagnostic,
  PatternLine,
  PseudoLine,
  Span,
  SyntaxTree,
  TemplateLine,
  Token,
  TokenKind,
  Word,
} from './ast';
import { Char, isBlankCode, isDigitCode, isLetterCode, isSpaceCode, isTagNameCode, trimEndSpace } from '../util/text';
import { endScan, exact, findComment, newScanner, own, scanLine, splitWords, wordAt, type Scanner } from './scanner';
import { PairMap } from '../util/memo';

export interface ParseOptions {
  /**
   * Tells whether a word is a known directive name. Used to decide whether a line after a
   * trailing comma continues a list (`domain-macro x a.com,` / `b.com`) or starts a directive.
   */
  isDirectiveName?: (lowerName: string) => boolean;
  /**
   * The tree of the previous version of the same document, parsed with the same options. Lines that
   * the change did not touch are taken over from it instead of being parsed again (their offsets,
   * line numbers and tokens moved to where they now stand), so that an edit of a large file builds
   * and leaves behind little more than the lines it touched. The previous tree is changed by this and
   * must not be used afterwards.
   */
  previous?: SyntaxTree;
}

/** Blocks whose body is not `directive value` lines. (Syntax knowledge, UG 3.3.15 and REAL.) */
const BODY_KIND: Record<string, 'smtp-patterns' | 'patterns' | 'bounce-patterns' | 'mx-rollup' | 'raw'> = {
  'smtp-pattern-list': 'smtp-patterns',
  'pattern-list': 'patterns',
  'bounce-category-patterns': 'bounce-patterns',
  'mx-rollup-list': 'mx-rollup',
  'address-list': 'raw',
  'email-patterns': 'raw',
};

/** After the `{{` of a blog block's opening line: blanks, then a comment. */
const OPEN_THEN_COMMENT = /^[ \t]+#/;

/** Keywords the blog pseudo-syntax uses as block openers (`domain x {{`). */
const PSEUDO_KEYWORDS = new Set([
  'domain',
  'virtual-mta',
  'virtual-mta-pool',
  'source',
  'smtp-pattern-list',
  'pattern-list',
  'smtp-user',
  'acct-file',
  'spool',
  'mx-rollup-list',
  'bounce-category-patterns',
  'source-group',
  'domain-key-list',
  'rewrite-list',
]);

/** Only run on a line whose first characters can start one of these (see {@link mayBeTemplate}). */
const TEMPLATE_LINE = /^(\{\{.*\}\}|\{%.*%\}|\{#.*#\}|__[A-Za-z0-9_]+__|QQQ\w+QQQ|<%.*%>|\$\{[^}]*\})$/;
/** Control characters other than tab, and the replacement character. */
const JUNK_CHAR = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd]/;

// ------------------------------------------------------------------------------------------------
// tokens: one flat store per document

const KINDS: readonly TokenKind[] = [
  'ws',
  'eol',
  'comment',
  'name',
  'word',
  'string',
  'punct',
  'tag-name',
  'tag-arg',
  'regex',
  'template',
  'continuation',
  'junk',
];
const K_WS = 0;
const K_EOL = 1;
const K_COMMENT = 2;
const K_NAME = 3;
const K_WORD = 4;
const K_STRING = 5;
const K_PUNCT = 6;
const K_TAG_NAME = 7;
const K_TAG_ARG = 8;
const K_REGEX = 9;
const K_TEMPLATE = 10;
const K_CONTINUATION = 11;
const K_JUNK = 12;

/** Tokens a chunk of the store holds (see {@link TokenStore}): 16,384, in 144 KB. */
const CHUNK_BITS = 14;
const TOKEN_CHUNK = 1 << CHUNK_BITS;
const IN_CHUNK = TOKEN_CHUNK - 1;

/**
 * The tokens of a parse: kind, start and end of each, in typed arrays, in chunks of {@link TOKEN_CHUNK}
 * tokens. Token i is at `i & IN_CHUNK` of chunk `i >> CHUNK_BITS`. The first chunk starts at the size
 * guessed from the text and grows to a full chunk; the last is cut to what it holds when the parse
 * ends. (One array for all tokens was sized from a guess of a token per 4 characters, grown by copying
 * and copied again to give back what the guess left unused: a 10 MB line of a million words made and
 * filled 38 MB of arrays for its 22 MB of tokens, and the system time of those fresh pages was a
 * quarter of its lint.)
 */
class TokenStore {
  private kinds: Uint8Array[] = [];
  private starts: Int32Array[] = [];
  private ends: Int32Array[] = [];
  /** The chunk being filled, and how many it holds. */
  private k!: Uint8Array;
  private s!: Int32Array;
  private e!: Int32Array;
  private fill = 0;
  n = 0;

  constructor(guess: number) {
    this.addChunk(Math.min(TOKEN_CHUNK, Math.max(64, guess)));
  }

  push(kind: number, start: number, end: number): void {
    if (end <= start) return;
    if (this.fill === this.k.length) this.grow();
    const f = this.fill++;
    this.k[f] = kind;
    this.s[f] = start;
    this.e[f] = end;
    this.n++;
  }

  kindAt(i: number): number {
    return this.kinds[i >> CHUNK_BITS][i & IN_CHUNK];
  }

  startAt(i: number): number {
    return this.starts[i >> CHUNK_BITS][i & IN_CHUNK];
  }

  endAt(i: number): number {
    return this.ends[i >> CHUNK_BITS][i & IN_CHUNK];
  }

  /** Move tokens [from, to) by `by` characters. */
  move(from: number, to: number, by: number): void {
    for (let i = from; i < to; i++) {
      this.starts[i >> CHUNK_BITS][i & IN_CHUNK] += by;
      this.ends[i >> CHUNK_BITS][i & IN_CHUNK] += by;
    }
  }

  /** Give back the room the last chunk did not take (the parse has ended). */
  trim(): void {
    const f = this.fill;
    if (f === this.k.length) return;
    this.replaceLast(this.k.slice(0, f), this.s.slice(0, f), this.e.slice(0, f));
  }

  /** Room for more: the last chunk grown (up to a full chunk), or a new chunk. */
  private grow(): void {
    const len = this.k.length;
    if (len < TOKEN_CHUNK) {
      const cap = Math.min(TOKEN_CHUNK, len * 2);
      const k = new Uint8Array(cap);
      const s = new Int32Array(cap);
      const e = new Int32Array(cap);
      k.set(this.k);
      s.set(this.s);
      e.set(this.e);
      this.replaceLast(k, s, e);
    } else this.addChunk(TOKEN_CHUNK);
  }

  /** A new chunk of room for `cap` tokens, the one now filled. */
  private addChunk(cap: number): void {
    this.k = new Uint8Array(cap);
    this.s = new Int32Array(cap);
    this.e = new Int32Array(cap);
    this.kinds.push(this.k);
    this.starts.push(this.s);
    this.ends.push(this.e);
    this.fill = 0;
  }

  private replaceLast(k: Uint8Array, s: Int32Array, e: Int32Array): void {
    const last = this.kinds.length - 1;
    this.k = this.kinds[last] = k;
    this.s = this.starts[last] = s;
    this.e = this.ends[last] = e;
  }

  tokens(from: number, to: number): Token[] {
    const out: Token[] = new Array(to - from);
    for (let i = from; i < to; i++)
      out[i - from] = { kind: KINDS[this.kindAt(i)], start: this.startAt(i), end: this.endAt(i) };
    return out;
  }
}

// ------------------------------------------------------------------------------------------------
// line nodes: plain data, built as object literals (one allocation site per kind, so that V8 can
// allocate a large tree directly in the old generation instead of copying it through the young
// one). The token store and the line's range in it are kept under symbols, out of sight of
// JSON.stringify and Object.keys; {@link tokensOf} builds a line's tokens from them.

const STORE = Symbol('tokenStore');
const FROM = Symbol('tokensFrom');
const TO = Symbol('tokensTo');

interface Stored {
  [STORE]: TokenStore;
  [FROM]: number;
  [TO]: number;
}

/** The tokens of a line, in order; they cover [start, end) of the line exactly. */
export function tokensOf(line: Line): Token[] {
  const l = line as Line & Stored;
  return l[STORE].tokens(l[FROM], l[TO]);
}

function blankNode(
  store: TokenStore,
  from: number,
  start: number,
  end: number,
  line: number,
  contentEnd: number,
  comment: Span | undefined,
): BlankLine {
  return {
    kind: 'blank',
    parent: undefined,
    start,
    end,
    line,
    contentEnd,
    comment,
    [STORE]: store,
    [FROM]: from,
    [TO]: store.n,
  } as BlankLine;
}

function commentNode(
  store: TokenStore,
  from: number,
  start: number,
  end: number,
  line: number,
  contentEnd: number,
  comment: Span | undefined,
): CommentLine {
  return {
    kind: 'comment',
    parent: undefined,
    start,
    end,
    line,
    contentEnd,
    comment,
    [STORE]: store,
    [FROM]: from,
    [TO]: store.n,
  } as CommentLine;
}

function templateNode(
  store: TokenStore,
  from: number,
  start: number,
  end: number,
  line: number,
  contentEnd: number,
  comment: Span | undefined,
): TemplateLine {
  return {
    kind: 'template',
    parent: undefined,
    start,
    end,
    line,
    contentEnd,
    comment,
    [STORE]: store,
    [FROM]: from,
    [TO]: store.n,
  } as TemplateLine;
}

function errorNode(
  store: TokenStore,
  from: number,
  start: number,
  end: number,
  line: number,
  contentEnd: number,
  comment: Span | undefined,
  message: string,
): ErrorLine {
  return {
    kind: 'error',
    parent: undefined,
    start,
    end,
    line,
    contentEnd,
    comment,
    message,
    [STORE]: store,
    [FROM]: from,
    [TO]: store.n,
  } as ErrorLine;
}

const NO_WORDS: Word[] = [];
/** Children of a block until it is closed. */
const NO_NODES: Node[] = [];

/**
 * Directive and tag lines are the bulk of a large config: they are classes that keep the offsets of
 * their name, value, argument and tag as numbers and make the span objects when asked (a span object
 * each was a sixth of the tree's memory). This is what they all have: their place in the text and
 * their tokens in the store.
 */
abstract class LineNode {
  parent: Block | undefined = undefined;
  declare [STORE]: TokenStore;
  declare [FROM]: number;
  declare [TO]: number;
  constructor(
    store: TokenStore,
    from: number,
    public start: number,
    public end: number,
    public line: number,
    public contentEnd: number,
    public comment: Span | undefined,
    public name: string,
    public rawName: string,
    public nameStart: number,
    public nameEnd: number,
  ) {
    this[STORE] = store;
    this[FROM] = from;
    this[TO] = store.n;
  }
  get nameSpan(): Span {
    return { start: this.nameStart, end: this.nameEnd };
  }
  /** Move the offsets of the parts of the line (see {@link moveLine}). */
  moveBy(by: number): void {
    this.nameStart += by;
    this.nameEnd += by;
  }
}

class DirectiveNode extends LineNode {
  readonly kind = 'directive';
  value = '';
  valueStart = 0;
  valueEnd = 0;
  /**
   * The words of the value. Undefined until asked for when the value is one unquoted word (nine
   * directives in ten): `value` and its offsets say all there is, and {@link args} makes the word
   * then (a word and its array were an eighth of the tree). Rules that look at every directive
   * read {@link plainValue} instead, so that most words are never made. {@link Unmade} for a value of
   * more than {@link MAX_MADE_WORDS} words.
   */
  words: Word[] | Unmade | undefined = undefined;
  physicalLines = 1;
  get args(): Word[] {
    let w = this.words;
    if (w === undefined) {
      w =
        this.value === ''
          ? NO_WORDS
          : [{ start: this.valueStart, end: this.valueEnd, text: this.value, quoted: false }];
      this.words = w;
    } else if (w instanceof Unmade) {
      w = this.words = this.wordsFrom(w.text, Infinity);
    }
    return w;
  }
  get firstArg(): Word | undefined {
    const w = this.words;
    return w instanceof Unmade ? this.wordsFrom(w.text, 1)[0] : this.args[0];
  }
  /** True when the value is one unquoted word: then `value` is its text, at `valueSpan`. */
  get plainValue(): boolean {
    const w = this.words;
    return w === undefined ? this.value !== '' : w instanceof Unmade ? false : w.length === 1 && !w[0].quoted;
  }
  /** Taken over into a new version of the text (whose offsets the line's were moved to). */
  reusedIn(text: string): void {
    if (this.words instanceof Unmade) this.words = new Unmade(text);
  }
  /** Up to `max` words of the value, made from its tokens in `text` (see {@link Unmade}). */
  private wordsFrom(text: string, max: number): Word[] {
    const store = this[STORE];
    const out: Word[] = [];
    for (let i = this[FROM], to = this[TO]; i < to && out.length < max; i++) {
      const k = store.kindAt(i);
      const s = store.startAt(i);
      const e = store.endAt(i);
      if (k === K_WORD) out.push({ text: own(COPYING, text.slice(s, e)), start: s, end: e, quoted: false });
      else if (k === K_STRING) out.push(wordAt(COPYING, text, s, e)!);
    }
    return out;
  }
  get valueSpan(): Span {
    return { start: this.valueStart, end: this.valueEnd };
  }
  override moveBy(by: number): void {
    super.moveBy(by);
    this.valueStart += by;
    this.valueEnd += by;
    if (this.words && !(this.words instanceof Unmade)) moveWords(this.words, by);
  }
}

/**
 * The words of a value of more than {@link MAX_MADE_WORDS} words, not made yet: the value's text and
 * its tokens say where each is, and `args` makes them when first asked for. A lint reads no word of
 * most such lines (a `domain-macro` of thousands of domains: its words were half of what a lint of it
 * kept). `text` is the text the line's offsets refer to.
 */
class Unmade {
  constructor(readonly text: string) {}
}

/** Values of more words than this make their words when asked for (see {@link Unmade}). */
const MAX_MADE_WORDS = 64;

/**
 * The scanner of the words made after the parse: their strings are copies (they may outlive this
 * version of the text, see `own` in the scanner); no parse's word array is used.
 */
const COPYING: Scanner = { junk: -1, braces: false, stop: 0, words: [], ownStrings: true };

/** An open or close tag: the span of the whole tag, and text after it. */
abstract class TagNode extends LineNode {
  tagStart = 0;
  tagEnd = 0;
  unterminated = false;
  trailing: Span | undefined = undefined;
  get tagSpan(): Span {
    return { start: this.tagStart, end: this.tagEnd };
  }
  override moveBy(by: number): void {
    super.moveBy(by);
    this.tagStart += by;
    this.tagEnd += by;
    moveSpan(this.trailing, by);
  }
}

class OpenTagNode extends TagNode {
  readonly kind = 'open-tag';
  arg = '';
  argStart = 0;
  argEnd = 0;
  get argSpan(): Span {
    return { start: this.argStart, end: this.argEnd };
  }
  override moveBy(by: number): void {
    super.moveBy(by);
    this.argStart += by;
    this.argEnd += by;
  }
}

class CloseTagNode extends TagNode {
  readonly kind = 'close-tag';
  extra: Span | undefined = undefined;
  override moveBy(by: number): void {
    super.moveBy(by);
    moveSpan(this.extra, by);
  }
}

function patternNode(
  store: TokenStore,
  from: number,
  start: number,
  end: number,
  line: number,
  contentEnd: number,
  comment: Span | undefined,
  lead: Word[],
  regex: PatternLine['regex'],
  rest: Word[],
  quoted: Word | undefined,
): PatternLine {
  return {
    kind: 'pattern',
    parent: undefined,
    start,
    end,
    line,
    contentEnd,
    comment,
    lead,
    regex,
    rest,
    quoted,
    [STORE]: store,
    [FROM]: from,
    [TO]: store.n,
  } as PatternLine;
}

/** What a line of the blog pseudo-syntax is made of (a `}}` line has no keyword, argument or inner line). */
interface PseudoParts {
  store: TokenStore;
  /** Index in the store of the line's first token (its tokens end where the store ends now). */
  from: number;
  start: number;
  end: number;
  line: number;
  contentEnd: number;
  comment: Span | undefined;
  kind: PseudoLine['kind'];
  keyword?: string;
  keywordSpan?: Span;
  arg?: string;
  argSpan?: Span;
  inner?: DirectiveLine | PatternLine;
}

function pseudoNode(p: PseudoParts): PseudoLine {
  const { store } = p;
  return {
    kind: p.kind,
    parent: undefined,
    start: p.start,
    end: p.end,
    line: p.line,
    contentEnd: p.contentEnd,
    comment: p.comment,
    keyword: p.keyword,
    keywordSpan: p.keywordSpan,
    arg: p.arg,
    argSpan: p.argSpan,
    inner: p.inner,
    [STORE]: store,
    [FROM]: p.from,
    [TO]: store.n,
  } as PseudoLine;
}

// ------------------------------------------------------------------------------------------------
// scanning helpers

/** End of [from, to) without trailing spaces and tabs. */
function trimEndBlank(text: string, from: number, to: number): number {
  while (to > from && isBlankCode(text.charCodeAt(to - 1))) to--;
  return to;
}

function allSpace(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isSpaceCode(text.charCodeAt(i))) return false;
  return true;
}

/** True when the content starting at `first` can be a whole-line template (first characters of {@link TEMPLATE_LINE}). */
function mayBeTemplate(text: string, first: number): boolean {
  const c = text.charCodeAt(first);
  const d = text.charCodeAt(first + 1);
  switch (c) {
    case Char.LBrace:
      return d === Char.LBrace || d === Char.Percent || d === Char.Hash;
    case Char.Underscore:
      return d === Char.Underscore;
    case Char.UpperQ:
      return d === Char.UpperQ;
    case Char.Lt:
      return d === Char.Percent;
    case Char.Dollar:
      return d === Char.LBrace;
    default:
      return false;
  }
}

export function parse(text: string, options: ParseOptions = {}): SyntaxTree {
  return new Parser(text, options).run();
}

/** One physical line given by hand (the inside of `{{ … }}` in an inline pseudo block). */
interface Physical {
  start: number;
  contentEnd: number;
  end: number;
}

class Parser {
  /** Physical lines: start, end of content (before EOL), end (after EOL). */
  private pStart: Int32Array;
  private pContent: Int32Array;
  private pEnd: Int32Array;
  private count = 0;
  private store: TokenStore;
  /** This parse's scanner: the state the scans of its lines share (what the last one found, the reused word array). */
  private scan: Scanner;
  /**
   * The logical lines, in order: made at the size of the physical line count (an upper bound but for
   * inline pseudo blocks) and cut to {@link nLines} at the end. Growing it by push instead made about
   * twice its size in arrays that are garbage at once (2 MB per edit of a 100k-line file).
   */
  private lines: Line[];
  private nLines = 0;
  private diagnostics: ParseDiagnostic[] = [];
  /** The top-level nodes: made at the previous version's count when there is one (see {@link lines}). */
  private root: Node[];
  private rootN = 0;
  private stack: Block[] = [];
  /**
   * How many blocks of each name (tag blocks only) and how many pseudo blocks are on {@link stack}: a
   * close tag or `}}` that matches none is found stray without a search of the stack, which made a
   * run of stray closes under deeply nested blocks quadratic. A search that finds its block pops every
   * block it passed, so it costs no more than those pops.
   */
  private openByName = new Map<string, number>();
  private openPseudo = 0;
  /** {@link strayText}'s, by the stray tag's name and the open block's. */
  private strays = new PairMap<string, string | undefined, { message: string; data: ParseDiagnostic['data'] }>();

  constructor(
    private text: string,
    private options: ParseOptions,
  ) {
    const cap = Math.max(16, (text.length >> 5) + 1);
    this.pStart = new Int32Array(cap);
    this.pContent = new Int32Array(cap);
    this.pEnd = new Int32Array(cap);
    this.splitPhysical();
    this.lines = new Array<Line>(this.count);
    this.root = new Array<Node>(options.previous ? options.previous.children.length : 0);
    const previous = options.previous;
    this.reuse = previous ? prepareReuse(previous, text) : undefined;
    // with lines to take over, only the rest is tokenized here
    const fresh = this.reuse ? text.length - this.reuse.prefix - this.reuse.suffix : text.length;
    this.store = new TokenStore(Math.max(64, fresh >> 2));
    // with lines taken over, the strings of the lines parsed now must not refer to this text (see `own` in the scanner)
    this.scan = newScanner(this.reuse !== undefined);
  }

  /** What can be taken over from the previous version's tree (see {@link ParseOptions.previous}). */
  private reuse: Reuse | undefined;

  private splitPhysical(): void {
    const text = this.text;
    const n = text.length;
    // without any \r (most files), the next line break is found by indexOf, much faster than a loop.
    // (The arrays and the count are locals while the loop runs: with the stores going to fields of
    // `this`, the optimised loop ran a hundred times slower.)
    const lfOnly = text.indexOf('\r') < 0;
    let pStart = this.pStart;
    let pContent = this.pContent;
    let pEnd = this.pEnd;
    let count = this.count;
    let i = 0;
    while (i < n) {
      let j = i;
      let c = 0;
      if (lfOnly) {
        j = text.indexOf('\n', i);
        if (j < 0) j = n;
        else c = Char.LineFeed;
      } else {
        while (j < n) {
          c = text.charCodeAt(j);
          if (c === Char.LineFeed || c === Char.CarriageReturn) break;
          j++;
        }
      }
      let end = j;
      if (j < n) end = c === Char.CarriageReturn && text.charCodeAt(j + 1) === Char.LineFeed ? j + 2 : j + 1;
      if (count === pStart.length) {
        pStart = doubled(pStart);
        pContent = doubled(pContent);
        pEnd = doubled(pEnd);
      }
      pStart[count] = i;
      pContent[count] = j;
      pEnd[count] = end;
      count++;
      i = end;
    }
    this.pStart = pStart;
    this.pContent = pContent;
    this.pEnd = pEnd;
    this.count = count;
  }

  run(): SyntaxTree {
    let p = 0;
    if (this.reuse) {
      while (p < this.count) p += this.reuseLogical(p) || this.parseLogical(p);
      this.reuse = undefined;
    } else {
      while (p < this.count) p += this.parseLogical(p);
    }
    // blocks still open at the end of the file
    while (this.stack.length) this.reportUnclosed(this.popBlock(), 'at the end of the file');
    endScan(this.scan);
    this.store.trim();
    this.lines.length = this.nLines;
    this.root.length = this.rootN;
    return {
      text: this.text,
      lineStarts: this.lineStarts(),
      lines: this.lines,
      children: this.root,
      diagnostics: this.diagnostics,
    };
  }

  /** The physical lines' starts, and the empty line after a final line end (or of an empty text). */
  private lineStarts(): Int32Array {
    const n = this.count;
    const lastEnds = n === 0 || this.pEnd[n - 1] > this.pContent[n - 1];
    const starts = new Int32Array(lastEnds ? n + 1 : n);
    starts.set(this.pStart.subarray(0, n));
    if (lastEnds) starts[n] = this.text.length;
    return starts;
  }

  /** Directive and tag names repeat thousands of times: keep one copy of each. */
  private names = new Map<string, string>();
  /**
   * The name in [start, end) of the text, interned, without a slice when the name was seen lately.
   * Names repeat line after line: the last name with the same length and the same first, middle and
   * last characters is compared in place (a slice per name was a tenth of what a parse threw away).
   */
  private internRange(start: number, end: number): string {
    const text = this.text;
    const len = end - start;
    if (len <= 0 || len > 64) return this.intern(text.slice(start, end));
    const h =
      (len * 31 + text.charCodeAt(start) * 7 + text.charCodeAt(start + (len >> 1)) * 3 + text.charCodeAt(end - 1)) &
      255;
    const seen = this.recent[h];
    if (seen !== undefined && seen.length === len && text.startsWith(seen, start)) return seen;
    const name = this.intern(text.slice(start, end));
    this.recent[h] = name;
    return name;
  }

  /** See {@link internRange}. */
  private recent: Array<string | undefined> = new Array(256);

  private intern(s: string): string {
    const v = this.names.get(s);
    if (v !== undefined) return v;
    const o = own(this.scan, s);
    if (o.length <= 64) this.names.set(o, o);
    return o;
  }

  private get top(): Block | undefined {
    // (no read at index -1 when the stack is empty: that is a property lookup, and slow)
    const s = this.stack;
    return s.length ? s[s.length - 1] : undefined;
  }

  private addRoot(node: Node): void {
    this.root[this.rootN++] = node;
  }

  private pushLine(line: Line): void {
    const n = this.nLines++;
    if (n < this.lines.length) this.lines[n] = line;
    else this.lines.push(line);
  }

  private add(line: Line): void {
    this.pushLine(line);
    const t = this.top;
    line.parent = t;
    if (t) this.pend(line);
    else this.addRoot(line);
    if (t && line.end > t.end) t.end = line.end;
  }

  /**
   * The children of the open blocks, innermost last: each block takes its own, at their exact number,
   * when it is closed (an array pushed to one by one keeps room for more).
   */
  private pending: Node[] = [];
  /**
   * How many entries of {@link pending} are in use. The array itself is never shortened: setting its
   * length to less than half its room makes V8 give the room back, so that every block's children grew
   * it again from scratch (3 MB of garbage arrays per parse of a 100k-line file).
   */
  private pendingN = 0;
  /** Where each open block's children start in {@link pending} (same index as {@link stack}). */
  private marks: number[] = [];

  private pend(node: Node): void {
    this.pending[this.pendingN++] = node;
  }

  /**
   * Close the innermost open block: it takes its children. A block taken over from the previous version
   * still holds its old children there: when they are the same nodes, it keeps that array.
   */
  private popBlock(): Block {
    const block = this.stack.pop()!;
    if (block.pseudo) this.openPseudo--;
    else this.openByName.set(block.name, this.openByName.get(block.name)! - 1);
    // the end of an enclosing block covers this one's (set here, once, not on every ancestor at every close)
    const parent = block.parent;
    if (parent && block.end > parent.end) parent.end = block.end;
    const mark = this.marks.pop()!;
    const old = block.children;
    const pending = this.pending;
    const n = this.pendingN;
    let same = old !== NO_NODES && old.length === n - mark;
    for (let i = 0; same && i < old.length; i++) same = old[i] === pending[mark + i];
    if (!same) block.children = pending.slice(mark, n);
    this.pendingN = mark;
    return block;
  }

  private diag(code: ParseDiagnostic['code'], span: Span, message: string, data?: ParseDiagnostic['data']): void {
    this.diagnostics.push({ code, start: span.start, end: span.end, message, data });
  }

  private tok(kind: number, start: number, end: number): void {
    this.store.push(kind, start, end);
  }

  /** White space runs (spaces and tabs) as `ws`, everything else in [start, end) as `kind`. */
  private run_(kind: number, start: number, end: number): void {
    const text = this.text;
    let i = start;
    while (i < end) {
      let j = i;
      const ws = isBlankCode(text.charCodeAt(i));
      while (j < end && isBlankCode(text.charCodeAt(j)) === ws) j++;
      this.store.push(ws ? K_WS : kind, i, j);
      i = j;
    }
  }

  /**
   * Take over the previous version's line that starts where physical line p now starts, when the
   * change did not touch it, nor the line after it (which decides whether a line ending in `,`
   * continues), and it would be parsed the same way here. Returns the number of physical lines it
   * spans, or 0 when it has to be parsed.
   */
  private reuseLogical(p: number): number {
    const r = this.reuse!;
    const s = this.pStart[p];
    const inPrefix = s < r.prefix;
    let shift = 0;
    if (!inPrefix) {
      if (s - r.delta < r.oldLength - r.suffix) return 0;
      shift = r.delta;
    }
    const o = s - shift;
    const old = r.lines;
    while (r.next < old.length && old[r.next].start < o) r.next++;
    if (r.next >= old.length) return 0;
    const line = old[r.next];
    if (line.start !== o) return 0;
    const parts = line.kind === 'directive' ? line.physicalLines : 1;
    const last = p + parts - 1;
    if (last >= this.count || this.pEnd[last] !== line.end + shift) return 0;
    // the physical line after it must be unchanged too: it ends, line break included, before the first
    // change (ending at the change is not enough: "a,\nd" from "a,\ndomain x" keeps the characters of
    // "d" but not its line, which now continues the list)
    if (inPrefix && (last + 1 >= this.count || this.pEnd[last + 1] >= r.prefix)) return 0;
    const top = this.top;
    const inBody = top !== undefined && BODY_KIND[top.name] !== undefined;
    switch (line.kind) {
      case 'blank':
      case 'comment':
      case 'template':
        break;
      case 'directive':
        if (inBody) return 0;
        break;
      case 'pattern':
        if (!inBody) return 0;
        break;
      case 'open-tag':
      case 'close-tag':
        // a tag with a problem of its own is parsed again, which reports it again
        if (line.unterminated || line.trailing) return 0;
        break;
      default:
        return 0;
    }
    r.next++;
    if (shift !== 0 || line.line !== p) moveLine(line, shift, p);
    if (line instanceof DirectiveNode) line.reusedIn(this.text);
    // an open tag's parent is its own block: the block is taken over with the line
    const own = line.kind === 'open-tag' ? line.parent : undefined;
    line.parent = undefined;
    if (line.kind === 'open-tag') this.openBlock(line, false, own);
    else if (line.kind === 'close-tag') this.closeBlock(line);
    else this.add(line);
    return parts;
  }

  /** Parse the logical line starting at physical line p; returns the number of physical lines used. */
  private parseLogical(p: number): number {
    const text = this.text;
    const start = this.pStart[p];
    const contentEnd = this.pContent[p];
    const end = this.pEnd[p];
    // a byte order mark (U+FEFF at the very start: a client that keeps it in the text) is trivia, as indentation is
    let first = start === 0 && text.charCodeAt(0) === 0xfeff ? 1 : start;
    while (first < contentEnd && isBlankCode(text.charCodeAt(first))) first++;

    if (first >= contentEnd) {
      const from = this.store.n;
      this.tok(K_WS, start, contentEnd);
      this.tok(K_EOL, contentEnd, end);
      this.add(blankNode(this.store, from, start, end, p, contentEnd, undefined));
      return 1;
    }

    // one scan of the line: the comment, junk characters before it, `{{`, and where trailing white space starts
    const scan = this.scan;
    const commentStart = scanLine(scan, text, first, contentEnd);
    const junkAt = scan.junk;
    const braces = scan.braces;
    const bodyStop = scan.stop;
    if (junkAt >= 0) {
      const from = this.store.n;
      this.tok(K_WS, start, first);
      this.tok(K_JUNK, first, contentEnd);
      this.tok(K_EOL, contentEnd, end);
      const message =
        'Unexpected control or binary character (U+' +
        text.charCodeAt(junkAt).toString(16).toUpperCase().padStart(4, '0') +
        '); the line is ignored';
      this.add(errorNode(this.store, from, start, end, p, contentEnd, undefined, message));
      this.diag('syntax', { start: junkAt, end: junkAt + 1 }, message, { kind: 'junk' });
      return 1;
    }

    if (text.charCodeAt(first) === Char.Hash) {
      const from = this.store.n;
      this.tok(K_WS, start, first);
      this.tok(K_COMMENT, first, contentEnd);
      this.tok(K_EOL, contentEnd, end);
      this.add(commentNode(this.store, from, start, end, p, contentEnd, { start: first, end: contentEnd }));
      return 1;
    }

    if (mayBeTemplate(text, first)) {
      const contentStop = trimEndSpace(text, first, contentEnd);
      if (TEMPLATE_LINE.test(text.slice(first, contentStop))) {
        // a whole-line template directive or placeholder: opaque
        const from = this.store.n;
        this.tok(K_WS, start, first);
        this.tok(K_TEMPLATE, first, contentStop);
        this.tok(K_WS, contentStop, contentEnd);
        this.tok(K_EOL, contentEnd, end);
        this.add(templateNode(this.store, from, start, end, p, contentEnd, undefined));
        return 1;
      }
    }

    if (text.charCodeAt(first) === Char.Lt) {
      return this.parseTag(p, first);
    }

    // blog pseudo-syntax: `}}` alone, or `keyword arg {{ …`
    if (
      (braces && isLetterCode(text.charCodeAt(first))) ||
      (bodyStop - first === 2 && text.charCodeAt(first) === Char.RBrace && text.charCodeAt(first + 1) === Char.RBrace)
    ) {
      if (this.tryPseudo(p, first, commentStart, bodyStop)) return 1;
    }

    const t = this.top;
    if (t && BODY_KIND[t.name] && !this.isInclude(first, contentEnd)) {
      this.add(this.parsePattern({ start, contentEnd, end }, first, p));
      return 1;
    }

    return this.parseDirective(p, first, commentStart);
  }

  /** `/^include\s/i` on the content (trailing white space trimmed). */
  private isInclude(first: number, contentEnd: number): boolean {
    const text = this.text;
    if (contentEnd - first < 8 || (text.charCodeAt(first) | 32) !== 105 /* i */) return false;
    if (text.slice(first, first + 7).toLowerCase() !== 'include') return false;
    return isSpaceCode(text.charCodeAt(first + 7)) && first + 7 < trimEndSpace(text, first, contentEnd);
  }

  private parseTag(p: number, first: number): number {
    const text = this.text;
    const start = this.pStart[p];
    const contentEnd = this.pContent[p];
    const end = this.pEnd[p];
    const from = this.store.n;
    this.tok(K_WS, start, first);
    const closing = text.charCodeAt(first + 1) === Char.Slash;
    let i = first + (closing ? 2 : 1);
    this.tok(K_PUNCT, first, i);
    const nameStart = i;
    while (i < contentEnd && isTagNameCode(text.charCodeAt(i))) i++;
    const nameEnd = i;
    const rawName = this.internRange(nameStart, nameEnd);
    const commentAt = findComment(this.scan, text, nameEnd, contentEnd);
    const bodyEnd = commentAt >= 0 ? commentAt : contentEnd;
    // the tag ends at the first '>' that is followed only by white space / comment; else the last '>'
    let gt = -1;
    for (let k = nameEnd; k < bodyEnd; k++) {
      if (text.charCodeAt(k) === Char.Gt) {
        gt = k;
        if (allSpace(text, k + 1, bodyEnd)) break;
        // keep looking for a later '>' that ends the line, but remember the first
        const later = text.lastIndexOf('>', bodyEnd - 1);
        if (later > k && allSpace(text, later + 1, bodyEnd) && text.slice(k + 1, later).indexOf('<') < 0) gt = later;
        break;
      }
    }
    this.tok(K_TAG_NAME, nameStart, nameEnd);
    const argEndRaw = gt >= 0 ? gt : bodyEnd;
    let as = nameEnd;
    while (as < argEndRaw && isBlankCode(text.charCodeAt(as))) as++;
    const ae = trimEndBlank(text, as, argEndRaw);
    this.tok(K_WS, nameEnd, as);
    this.tok(closing ? K_JUNK : K_TAG_ARG, as, ae);
    this.tok(K_WS, ae, argEndRaw);
    let trailing: Span | undefined;
    if (gt >= 0) {
      this.tok(K_PUNCT, gt, gt + 1);
      let ts = gt + 1;
      while (ts < bodyEnd && isBlankCode(text.charCodeAt(ts))) ts++;
      this.tok(K_WS, gt + 1, ts);
      const te = trimEndBlank(text, ts, bodyEnd);
      if (te > ts) {
        trailing = { start: ts, end: te };
        this.tok(K_JUNK, ts, te);
      }
      this.tok(K_WS, te, bodyEnd);
    }
    let comment: Span | undefined;
    if (commentAt >= 0) {
      comment = { start: commentAt, end: contentEnd };
      this.tok(K_COMMENT, commentAt, contentEnd);
    }
    this.tok(K_EOL, contentEnd, end);
    const tagEnd = gt >= 0 ? gt + 1 : ae;
    if (!rawName) {
      const message = closing ? 'Expected a tag name after "</"' : 'Expected a tag name after "<"';
      this.add(errorNode(this.store, from, start, end, p, contentEnd, comment, message));
      this.diag('syntax', { start: first, end: Math.max(tagEnd, first + 1) }, message, { kind: 'no-tag-name' });
      return 1;
    }
    const name = this.intern(rawName.toLowerCase());
    if (gt < 0) {
      this.diag(
        'syntax',
        { start: first, end: ae > first ? ae : nameEnd },
        `Missing ">" to end the tag <${closing ? '/' : ''}${rawName}`,
        {
          kind: 'missing-gt',
          // right after the argument, or the name when there is none (not after the white space before a comment)
          insertAt: ae > as ? ae : nameEnd,
        },
      );
    }
    if (trailing) {
      this.diag('syntax', trailing, `Text after the tag must go on its own line`, { kind: 'text-after-tag' });
    }
    const tag = new (closing ? CloseTagNode : OpenTagNode)(
      this.store,
      from,
      start,
      end,
      p,
      contentEnd,
      comment,
      name,
      rawName,
      nameStart,
      nameEnd,
    );
    tag.tagStart = first;
    tag.tagEnd = tagEnd;
    tag.unterminated = gt < 0;
    tag.trailing = trailing;
    if (tag instanceof CloseTagNode) {
      if (ae > as) tag.extra = { start: as, end: ae };
      this.closeBlock(tag as CloseTagLine);
    } else {
      tag.arg = own(this.scan, text.slice(as, ae));
      tag.argStart = as;
      tag.argEnd = ae;
      this.openBlock(tag as OpenTagLine, false);
    }
    return 1;
  }

  /**
   * Open a block with `line`. `previous` is the line's block in the previous version when the line was
   * taken over: that object is used again (with its old children until it is closed, see
   * {@link popBlock}), so that an edit does not make every block of a large file again.
   */
  private openBlock(line: OpenTagLine | PseudoLine, pseudo: boolean, previous?: Block): void {
    const parent = this.top;
    let block: Block;
    if (previous && previous.open === line && line.kind === 'open-tag') {
      block = previous;
      // (the line made a new span object each time it is asked: only when the line moved)
      if (block.start !== line.start) block.argSpan = line.argSpan;
      block.parent = parent;
      block.start = line.start;
      block.end = line.end;
      block.close = undefined;
    } else {
      block = {
        kind: 'block',
        name: line.kind === 'open-tag' ? line.name : (line.keyword ?? ''),
        arg: line.kind === 'open-tag' ? line.arg : (line.arg ?? ''),
        argSpan: line.kind === 'open-tag' ? line.argSpan : (line.argSpan ?? { start: line.start, end: line.start }),
        open: line,
        // set when the block is closed: there from the start, every block has the same shape (added then,
        // it made a second shape and an array for it in each closed block)
        close: undefined,
        children: NO_NODES,
        parent,
        start: line.start,
        end: line.end,
        pseudo,
      };
    }
    this.pushLine(line);
    line.parent = block;
    if (parent) this.pend(block);
    else this.addRoot(block);
    if (parent && line.end > parent.end) parent.end = line.end;
    this.stack.push(block);
    if (block.pseudo) this.openPseudo++;
    else this.openByName.set(block.name, (this.openByName.get(block.name) ?? 0) + 1);
    this.marks.push(this.pendingN);
    this.pend(line);
  }

  private reportUnclosed(b: Block, where: string): void {
    if (b.pseudo) return; // the pseudo-syntax diagnostic already covers it
    const open = b.open as OpenTagLine;
    this.diag(
      'syntax',
      open.tagSpan,
      `<${open.rawName}${b.arg ? ' ' + b.arg : ''}> is not closed: add </${open.rawName}> ${where}`,
      {
        kind: 'unclosed',
        name: open.rawName,
      },
    );
  }

  private closeBlock(line: CloseTagLine): void {
    const idx = this.openByName.get(line.name)
      ? findLastIndex(this.stack, (b) => !b.pseudo && b.name === line.name)
      : -1;
    if (idx < 0) {
      this.add(line);
      const stray = this.strayText(line.rawName, this.top && ((this.top.open as OpenTagLine).rawName ?? this.top.name));
      this.diag('syntax', line.tagSpan, stray.message, stray.data);
      return;
    }
    while (this.stack.length - 1 > idx) this.reportUnclosed(this.popBlock(), `before </${line.rawName}>`);
    this.closeWith(line);
  }

  /**
   * The message and data of a stray close tag `</name>` with `open` the innermost open block's name:
   * made once for each pair (a file of stray tags made a message of five strings for each line).
   */
  private strayText(name: string, open: string | undefined): { message: string; data: ParseDiagnostic['data'] } {
    let t = this.strays.get(name, open);
    if (!t) {
      const inner = open === undefined ? '' : ` (the open block is <${open}>)`;
      t = { message: `Stray </${name}>: no <${name}> is open${inner}`, data: { kind: 'stray-close', name } };
      this.strays.set(name, open, t);
    }
    return t;
  }

  /** Close the innermost open block with `line`. */
  private closeWith(line: CloseTagLine | PseudoLine): void {
    this.pend(line);
    const block = this.top!;
    // (before the block is popped: popping carries its end to the enclosing block)
    block.end = line.end;
    this.popBlock();
    block.close = line;
    line.parent = block;
    this.pushLine(line);
  }

  /**
   * The blog pseudo-syntax. Called for a line whose body is `}}`, or that starts with a letter and
   * holds `{{`. Recognises what `^([A-Za-z][A-Za-z0-9-]*)([ \t]+)(.*?)[ \t]*\{\{(.*)$` would on the
   * body, by scanning (that expression backtracks quadratically on long runs of blanks).
   */
  private tryPseudo(p: number, first: number, commentAt: number, bodyStop: number): boolean {
    const text = this.text;
    const start = this.pStart[p];
    const contentEnd = this.pContent[p];
    const end = this.pEnd[p];
    let bodyEnd = commentAt >= 0 ? commentAt : contentEnd;
    let comment = commentAt >= 0 ? { start: commentAt, end: contentEnd } : undefined;

    if (
      bodyStop - first === 2 &&
      text.charCodeAt(first) === Char.RBrace &&
      text.charCodeAt(first + 1) === Char.RBrace
    ) {
      const from = this.store.n;
      this.tok(K_WS, start, first);
      this.tok(K_PUNCT, first, first + 2);
      this.tok(K_WS, first + 2, bodyEnd);
      if (comment) this.tok(K_COMMENT, comment.start, comment.end);
      this.tok(K_EOL, contentEnd, end);
      const line = pseudoNode({
        store: this.store,
        from,
        start,
        end,
        line: p,
        contentEnd,
        comment,
        kind: 'pseudo-close',
      });
      const topIdx = this.openPseudo > 0 ? findLastIndex(this.stack, (x) => x.pseudo) : -1;
      if (topIdx >= 0) {
        while (this.stack.length - 1 > topIdx) this.reportUnclosed(this.popBlock(), 'before "}}"');
        this.closeWith(line);
      } else {
        this.add(line);
        this.diag(
          'pseudo-syntax',
          { start: first, end: first + 2 },
          'Stray "}}": PowerMTA blocks are closed with a tag such as </domain>',
          {
            kind: 'stray-pseudo-close',
          },
        );
      }
      return true;
    }

    // keyword
    let i = first;
    if (!isLetterCode(text.charCodeAt(i))) return false;
    i++;
    while (i < bodyStop) {
      const c = text.charCodeAt(i);
      if (!(isLetterCode(c) || isDigitCode(c) || c === Char.Hyphen)) break;
      i++;
    }
    const kwEnd = i;
    while (i < bodyStop && isBlankCode(text.charCodeAt(i))) i++;
    if (i === kwEnd) return false;
    const argStart = i;
    // `.` matches no line terminator: U+2028 or U+2029 in the rest means no match
    let brace = -1;
    for (let k = argStart; k < bodyStop; k++) {
      const c = text.charCodeAt(k);
      if (c === 0x2028 || c === 0x2029) return false;
      if (brace < 0 && c === Char.LBrace && k + 1 < bodyStop && text.charCodeAt(k + 1) === Char.LBrace) brace = k;
    }
    if (brace < 0) return false;
    const keywordRaw = text.slice(first, kwEnd);
    const keyword = keywordRaw.toLowerCase();
    if (!PSEUDO_KEYWORDS.has(keyword)) return false;
    let argEnd = brace;
    while (argEnd > argStart && isBlankCode(text.charCodeAt(argEnd - 1))) argEnd--;
    const argRaw = text.slice(argStart, argEnd);
    const after = text.slice(brace + 2, bodyStop);
    const argSpan = { start: argStart, end: argEnd };
    const braceAt = brace;
    if (BRACE_CHAR.test(argRaw) && !ONE_WORD.test(argRaw)) return false;
    const trimmedAfter = after.trim();
    let kind: PseudoLine['kind'];
    let innerText: Span | undefined;
    let stop = bodyStop;
    if (trimmedAfter === '') {
      kind = 'pseudo-open';
    } else if (commentAt < 0 && OPEN_THEN_COMMENT.test(after)) {
      // `domain x {{   # note`: a comment after the opening braces (the line's scan, inside `{{`, took the
      // `#` for text between braces, as in a template's `{{ #each }}`)
      kind = 'pseudo-open';
      const hash = braceAt + 2 + after.indexOf('#');
      comment = { start: hash, end: contentEnd };
      bodyEnd = hash;
      stop = braceAt + 2;
    } else if (
      trimmedAfter.endsWith('}}') &&
      SPACE_CHAR.test(trimmedAfter.slice(0, -2).trim()) &&
      !NOT_INLINE_START.test(trimmedAfter)
    ) {
      kind = 'pseudo-inline';
      innerText = { start: braceAt + 2, end: text.lastIndexOf('}}', bodyStop - 2) };
    } else {
      return false; // `domain {{name}}`-like template text: not the blog form
    }
    if (!argRaw) return false;
    // an inline block's inner line first: its tokens come before the outer line's in the store
    let inner: DirectiveLine | PatternLine | undefined;
    if (kind === 'pseudo-inline' && innerText) inner = this.parseInline(p, innerText, keyword);
    const innerTokens = inner ? tokensOf(inner) : [];
    const from = this.store.n;
    this.tok(K_WS, start, first);
    this.tok(K_NAME, first, kwEnd);
    this.tok(K_WS, kwEnd, argStart);
    this.tok(K_TAG_ARG, argSpan.start, argSpan.end);
    this.tok(K_WS, argSpan.end, braceAt);
    this.tok(K_PUNCT, braceAt, braceAt + 2);
    if (inner && innerText) {
      for (const t of innerTokens) this.tok(t.kind === 'eol' ? K_WS : KINDS.indexOf(t.kind), t.start, t.end);
      const closeAt = innerText.end;
      this.tok(K_PUNCT, closeAt, closeAt + 2);
      this.tok(K_WS, closeAt + 2, bodyEnd);
    } else {
      this.tok(K_WS, braceAt + 2, bodyEnd);
    }
    if (comment) this.tok(K_COMMENT, comment.start, comment.end);
    this.tok(K_EOL, contentEnd, end);
    const line = pseudoNode({
      store: this.store,
      from,
      start,
      end,
      line: p,
      contentEnd,
      comment,
      kind,
      keyword,
      keywordSpan: { start: first, end: kwEnd },
      arg: argRaw,
      argSpan,
      inner,
    });
    const wordsShown = `${keywordRaw} ${argRaw}`;
    const message =
      kind === 'pseudo-open'
        ? `"${wordsShown} {{" is blog pseudo-syntax that PowerMTA rejects: write <${keyword} ${argRaw}> … </${keyword}>`
        : `"${wordsShown} {{ … }}" is blog pseudo-syntax that PowerMTA rejects: write <${keyword} ${argRaw}> … </${keyword}>`;
    this.diag('pseudo-syntax', { start: first, end: stop }, message, { kind });
    this.openBlock(line, true);
    if (kind === 'pseudo-inline') {
      // an inline pseudo block: a block with the inner line as its only child
      if (inner) this.pend(inner);
      const block = this.popBlock();
      if (inner) inner.parent = block;
    }
    return true;
  }

  /** Parse text inside `{{ … }}` on one line as a directive or pattern line. */
  private parseInline(p: number, span: Span, keyword: string): DirectiveLine | PatternLine {
    const text = this.text;
    let s = span.start;
    while (s < span.end && isBlankCode(text.charCodeAt(s))) s++;
    const e = trimEndBlank(text, s, span.end);
    const ph: Physical = { start: span.start, contentEnd: e, end: span.end };
    if (BODY_KIND[keyword]) return this.parsePattern(ph, s, p);
    return this.directiveFrom(p, 1, s, -2, ph);
  }

  private parsePattern(ph: Physical, first: number, lineNo: number): PatternLine {
    const text = this.text;
    const scan = this.scan;
    const { start, contentEnd, end } = ph;
    const leadWords: Word[] = [];
    let rest: Word[] = [];
    let regex: PatternLine['regex'];
    let quoted: Word | undefined;
    let i = first;
    // lead words up to the regex
    while (i < contentEnd) {
      while (i < contentEnd && isBlankCode(text.charCodeAt(i))) i++;
      if (i >= contentEnd) break;
      const c = text.charCodeAt(i);
      if (c === Char.Slash || c === Char.Hash || c === Char.Quote) break;
      const ws = i;
      while (i < contentEnd && !isBlankCode(text.charCodeAt(i))) i++;
      leadWords.push({ text: own(scan, text.slice(ws, i)), start: ws, end: i, quoted: false });
    }
    const lead = exact(leadWords, leadWords.length);
    const c = i < contentEnd ? text.charCodeAt(i) : -1;
    if (c === Char.Slash) {
      const rs = i;
      const close = regexEnd(text, rs, contentEnd);
      const terminated = close >= 0;
      i = terminated ? close : contentEnd;
      regex = { start: rs, end: i, body: own(scan, text.slice(rs + 1, terminated ? i - 1 : i)), terminated };
    } else if (c === Char.Quote) {
      const w = wordAt(scan, text, i, contentEnd);
      if (w) {
        quoted = w;
        i = w.end;
      }
    }
    const commentAt = findComment(scan, text, i, contentEnd);
    const restEnd = commentAt >= 0 ? commentAt : contentEnd;
    if (!regex || regex.terminated) rest = splitWords(scan, text, i, restEnd);
    // tokens
    const from = this.store.n;
    this.tok(K_WS, start, first);
    let pos = first;
    for (let k = 0; k < lead.length; k++) {
      const w = lead[k];
      this.run_(K_WS, pos, w.start);
      this.tok(k === 0 ? K_NAME : K_WORD, w.start, w.end);
      pos = w.end;
    }
    if (regex) {
      this.run_(K_WS, pos, regex.start);
      this.tok(K_REGEX, regex.start, regex.end);
      pos = regex.end;
    }
    if (quoted) {
      this.run_(K_WS, pos, quoted.start);
      this.tok(K_STRING, quoted.start, quoted.end);
      pos = quoted.end;
    }
    for (const w of rest) {
      this.run_(K_WS, pos, w.start);
      this.tok(w.quoted ? K_STRING : K_WORD, w.start, w.end);
      pos = w.end;
    }
    this.run_(K_WS, pos, restEnd);
    let comment: Span | undefined;
    if (commentAt >= 0) {
      comment = { start: commentAt, end: contentEnd };
      this.tok(K_COMMENT, commentAt, contentEnd);
    }
    this.tok(K_EOL, contentEnd, end);
    return patternNode(this.store, from, start, end, lineNo, contentEnd, comment, lead, regex, rest, quoted);
  }

  private parseDirective(p: number, first: number, commentStart: number): number {
    const text = this.text;
    const start = this.pStart[p];
    const contentEnd = this.pContent[p];
    const end = this.pEnd[p];
    // name must start with a letter, digit, '$' or '{' (templates) to be a directive
    const c0 = text.charCodeAt(first);
    if (!(isLetterCode(c0) || isDigitCode(c0) || c0 === Char.LBrace || c0 === Char.Dollar || c0 === Char.Underscore)) {
      const from = this.store.n;
      this.tok(K_WS, start, first);
      const e = commentStart >= 0 ? commentStart : contentEnd;
      this.tok(K_JUNK, first, e);
      if (commentStart >= 0) this.tok(K_COMMENT, commentStart, contentEnd);
      this.tok(K_EOL, contentEnd, end);
      const ee = trimEndBlank(text, first, e);
      const message = `Malformed line: expected a directive, a <tag> or a comment`;
      this.add(errorNode(this.store, from, start, end, p, contentEnd, undefined, message));
      this.diag('syntax', { start: first, end: ee }, message, { kind: 'malformed' });
      return 1;
    }
    // gather continuation lines
    let q = p;
    for (;;) {
      const cs = this.pStart[q];
      const cc = this.pContent[q];
      const commentAt = q === p ? commentStart : findComment(this.scan, text, cs, cc);
      const valEnd = commentAt >= 0 ? commentAt : cc;
      const tailEnd = trimEndSpace(text, cs, valEnd);
      if (q + 1 >= this.count) break;
      const last = tailEnd > cs ? text.charCodeAt(tailEnd - 1) : -1;
      if (last === Char.Backslash && commentAt < 0) {
        q++;
        continue;
      }
      if (last === Char.Comma && this.continuesList(q + 1)) {
        q++;
        continue;
      }
      break;
    }
    this.add(this.directiveFrom(p, q - p + 1, first, commentStart));
    return q - p + 1;
  }

  /** After a line ending in `,`: the next physical line holds list items (not a directive, tag, comment or junk). */
  private continuesList(next: number): boolean {
    const text = this.text;
    const nextContent = text.slice(this.pStart[next], this.pContent[next]).trim();
    if (!nextContent) return false;
    const c = nextContent.charCodeAt(0);
    if (c === Char.Hash || c === Char.Lt || c === Char.RBrace || c === Char.LBrace) return false;
    let w = 0;
    while (w < nextContent.length && !isSpaceCode(nextContent.charCodeAt(w))) w++;
    const firstWord = nextContent.slice(0, w).toLowerCase();
    const isDir = this.options.isDirectiveName?.(firstWord) ?? false;
    // a continuation line holds list items: no space-separated directive with a known name
    return !isDir && !JUNK_CHAR.test(nextContent);
  }

  /**
   * Build a directive from `parts` physical lines starting at line `p` (or from `inline`, the inside of
   * an inline pseudo block). `commentHint` is the comment position found from `first` on the first
   * line (-1: none), or -2 when unknown.
   */
  private directiveFrom(
    p: number,
    parts: number,
    first: number,
    commentHint: number,
    inline?: Physical,
  ): DirectiveLine {
    const text = this.text;
    const scan = this.scan;
    const from = this.store.n;
    const start = inline ? inline.start : this.pStart[p];
    this.tok(K_WS, start, first);
    const c0 = inline ? inline.contentEnd : this.pContent[p];
    // the name: up to the first blank (see SCAN_NAME for why a regular expression)
    SCAN_NAME.lastIndex = first;
    SCAN_NAME.test(text);
    const i = Math.min(SCAN_NAME.lastIndex, c0);
    const nameEnd = i;
    const rawName = this.internRange(first, i);
    const plainName = !NAME_NOT_PLAIN.test(rawName);
    // capitals, or a character toLowerCase may change
    const upper = NAME_UPPER.test(rawName);
    this.tok(K_NAME, first, i);
    let valueStart = -1;
    let valueEnd = -1;
    const words = scan.words;
    let nWords = 0;
    // one unquoted word so far, not made (it ends at firstEnd)
    let deferred = false;
    let firstEnd = -1;
    let comment: Span | undefined;
    for (let k = 0; k < parts; k++) {
      const pStart = k === 0 ? i : this.pStart[p + k];
      const ce = inline ? inline.contentEnd : this.pContent[p + k];
      // the comment scan from the name's end finds what the scan from the line's start found, unless the name has quotes or braces
      const commentAt = k === 0 && plainName && commentHint >= -1 ? commentHint : findComment(scan, text, pStart, ce);
      let ve = commentAt >= 0 ? commentAt : ce;
      let cont = -1;
      const trimmedEnd = trimEndBlank(text, pStart, ve);
      // a trailing backslash joins the next line (never one that ends the name: the name keeps it)
      if (k < parts - 1 && commentAt < 0 && trimmedEnd > pStart && text.charCodeAt(trimmedEnd - 1) === Char.Backslash) {
        cont = trimmedEnd - 1;
        ve = cont;
      }
      let pos = pStart;
      for (;;) {
        SCAN_SPACE.lastIndex = pos;
        SCAN_SPACE.test(text);
        const ws = Math.min(SCAN_SPACE.lastIndex, ve);
        if (ws >= ve) break;
        const w = text.charCodeAt(ws) === Char.Quote ? wordAt(scan, text, ws, ve) : undefined;
        let we: number;
        if (w) we = w.end;
        else {
          SCAN_WORD.lastIndex = ws;
          SCAN_WORD.test(text);
          we = Math.min(SCAN_WORD.lastIndex, ve);
        }
        this.run_(K_WS, pos, ws);
        this.tok(w ? K_STRING : K_WORD, ws, we);
        pos = we;
        if (valueStart < 0) valueStart = ws;
        valueEnd = we;
        // a first unquoted word is made only when another word follows (see DirectiveNode.words)
        if (deferred) {
          words[0] = {
            text: own(scan, text.slice(valueStart, firstEnd)),
            start: valueStart,
            end: firstEnd,
            quoted: false,
          };
          deferred = false;
        }
        if (nWords >= MAX_MADE_WORDS) nWords++;
        else if (w) words[nWords++] = w;
        else if (nWords === 0) {
          deferred = true;
          firstEnd = we;
          nWords = 1;
        } else words[nWords++] = { text: own(scan, text.slice(ws, we)), start: ws, end: we, quoted: false };
      }
      if (cont >= 0) {
        this.run_(K_WS, pos, cont);
        this.tok(K_CONTINUATION, cont, cont + 1);
        pos = cont + 1;
      }
      const stop = commentAt >= 0 ? commentAt : ce;
      this.run_(K_WS, pos, stop);
      if (commentAt >= 0) {
        this.tok(K_COMMENT, commentAt, ce);
        if (k === parts - 1 || !comment) comment = { start: commentAt, end: ce };
      }
      this.tok(K_EOL, ce, inline ? inline.end : this.pEnd[p + k]);
    }
    const last = parts - 1;
    if (valueStart < 0) valueStart = valueEnd = nameEnd;
    // one unquoted word: its text is the value, and the word is made only when asked for (see DirectiveNode)
    let args: Word[] | Unmade | undefined;
    let value = '';
    if (deferred) value = own(scan, text.slice(valueStart, valueEnd));
    else if (nWords > 0) {
      if (nWords <= MAX_MADE_WORDS) args = exact(words, nWords);
      else {
        words.fill(undefined as unknown as Word, 0, MAX_MADE_WORDS);
        args = new Unmade(text);
      }
      value = this.valueOfTokens(from, valueStart, valueEnd);
    }
    const name = upper ? this.intern(rawName.toLowerCase()) : rawName;
    const end = inline ? inline.end : this.pEnd[p + last];
    const contentEnd = inline ? inline.contentEnd : this.pContent[p + last];
    const node = new DirectiveNode(this.store, from, start, end, p, contentEnd, comment, name, rawName, first, nameEnd);
    node.value = value;
    node.valueStart = valueStart;
    node.valueEnd = valueEnd;
    node.words = args;
    node.physicalLines = parts;
    return node as DirectiveLine;
  }

  /**
   * The value of a directive whose words are the tokens from `from` on, spanning [start, end): the words
   * as written (quoted ones with their quotes), one space between each. Most values are written that
   * way: then it is the text from the first word to the last, without the words' texts and a joined copy
   * (a line of a million words made both); other white space (tabs, several spaces, a continued line)
   * is made one space.
   */
  private valueOfTokens(from: number, start: number, end: number): string {
    const store = this.store;
    const text = this.text;
    const to = store.n;
    let prev = -1;
    let oneSpace = true;
    for (let i = from; oneSpace && i < to; i++) {
      const k = store.kindAt(i);
      if (k !== K_WORD && k !== K_STRING) continue;
      oneSpace = prev < 0 || (store.startAt(i) === prev + 1 && text.charCodeAt(prev) === Char.Space);
      prev = store.endAt(i);
    }
    if (oneSpace) return own(this.scan, text.slice(start, end));
    const parts: string[] = [];
    for (let i = from; i < to; i++) {
      const k = store.kindAt(i);
      if (k === K_WORD || k === K_STRING) parts.push(text.slice(store.startAt(i), store.endAt(i)));
    }
    return parts.join(' ');
  }
}

// the tests of tryPseudo, made once (a regular expression literal in a function makes a new object
// on every call: four for each line of the blog form)
const BRACE_CHAR = /[{}]/;
const ONE_WORD = /^\S+$/;
const SPACE_CHAR = /\s/;
const NOT_INLINE_START = /^[#/^!>]/;

/*
 * The scans of a directive's name and words, as sticky regular expressions: V8 runs them as machine code
 * from their first call, where a loop of ours over each character runs in the interpreter until V8 has
 * seen it run often (a fresh server's first document, see docs/performance.md). Each is cut at the end
 * of the range scanned; what it reads past that is bounded: a name or a word stops at a line end, white
 * space at the next character that is not, and the white space after one line is read once.
 */
/** A directive's name: up to a blank or the end of the line. */
const SCAN_NAME = /[^ \t\r\n]*/y;
/** White space (`\s`, as isSpaceCode). */
const SCAN_SPACE = /\s*/y;
/** An unquoted word: up to white space. */
const SCAN_WORD = /\S*/y;
/** A name with a quote or a brace is no plain name (its comment is looked for again after it). */
const NAME_NOT_PLAIN = /["{}]/;
/** A name with capitals, or with characters toLowerCase may change, is lowered. */
const NAME_UPPER = /[A-Z\u0080-\uffff]/;

/** A copy of `a` with twice the room. */
function doubled(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

function findLastIndex<T>(arr: T[], pred: (x: T) => boolean): number {
  for (let i = arr.length - 1; i >= 0; i--) if (pred(arr[i])) return i;
  return -1;
}

/**
 * End of a `/regex/` that starts with the "/" at `start`: the offset just after its closing "/", or -1
 * when none comes before `to`. A backslash escapes the next character.
 */
export function regexEnd(text: string, start: number, to: number): number {
  for (let i = start + 1; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === Char.Backslash) i++;
    else if (c === Char.Slash) return i + 1;
  }
  return -1;
}

/** Rebuild the text from the tokens (used by tests to prove the tree is lossless). */
export function rebuild(tree: SyntaxTree): string {
  let s = '';
  for (const l of tree.lines) for (const t of tokensOf(l)) s += tree.text.slice(t.start, t.end);
  return s;
}

// ------------------------------------------------------------------------------------------------
// taking lines over from the previous version of a document

interface Reuse {
  /** The previous version's lines, in document order. */
  lines: Line[];
  /** Index in {@link lines} of the first line not yet passed. */
  next: number;
  /** Length of the text both versions start with. */
  prefix: number;
  /** Length of the text both versions end with (not overlapping the prefix in either). */
  suffix: number;
  /** New length minus old length: how far the lines after the change move. */
  delta: number;
  oldLength: number;
}

/** Characters compared at once (as a string comparison) before the exact position is looked for. */
const CHUNK = 2048;

function prepareReuse(previous: SyntaxTree, text: string): Reuse | undefined {
  const old = previous.text;
  const max = Math.min(old.length, text.length);
  let prefix = 0;
  while (prefix + CHUNK <= max && old.slice(prefix, prefix + CHUNK) === text.slice(prefix, prefix + CHUNK))
    prefix += CHUNK;
  while (prefix < max && old.charCodeAt(prefix) === text.charCodeAt(prefix)) prefix++;
  const room = max - prefix;
  let suffix = 0;
  while (
    suffix + CHUNK <= room &&
    old.slice(old.length - suffix - CHUNK, old.length - suffix) ===
      text.slice(text.length - suffix - CHUNK, text.length - suffix)
  )
    suffix += CHUNK;
  while (suffix < room && old.charCodeAt(old.length - 1 - suffix) === text.charCodeAt(text.length - 1 - suffix))
    suffix++;
  if (prefix === 0 && suffix === 0) return undefined;
  return { lines: previous.lines, next: 0, prefix, suffix, delta: text.length - old.length, oldLength: old.length };
}

function moveSpan(s: Span | undefined, by: number): void {
  if (s) {
    s.start += by;
    s.end += by;
  }
}

function moveWords(words: Word[], by: number): void {
  for (let i = 0; i < words.length; i++) moveSpan(words[i], by);
}

/** Move a line taken over from the previous version by `by` characters, to physical line `lineNo`. */
function moveLine(line: Line, by: number, lineNo: number): void {
  line.line = lineNo;
  if (by === 0) return;
  line.start += by;
  line.end += by;
  line.contentEnd += by;
  moveSpan(line.comment, by);
  if (line instanceof LineNode) line.moveBy(by);
  else if (line.kind === 'pattern') {
    moveWords(line.lead, by);
    moveSpan(line.regex, by);
    moveWords(line.rest, by);
    moveSpan(line.quoted, by);
  }
  const l = line as Line & Stored;
  l[STORE].move(l[FROM], l[TO], by);
}
