/**
 * Lossless, error-tolerant parser for PowerMTA configuration files.
 *
 * PowerMTA's format is line based (UG 3.1): one directive per line, `<tag arg>` … `</tag>`
 * blocks, `#` comments. The parser classifies each logical line, tokenizes it completely, and
 * builds the block tree with a stack. It never throws on any input: what it cannot understand
 * becomes an `error` line or a diagnostic, and parsing continues on the next line.
 */
import {
  Block,
  CloseTagLine,
  DirectiveLine,
  Line,
  Node,
  OpenTagLine,
  ParseDiagnostic,
  PatternLine,
  PseudoLine,
  Span,
  SyntaxTree,
  Token,
  Word,
} from './ast';

export interface ParseOptions {
  /**
   * Tells whether a word is a known directive name. Used to decide whether a line after a
   * trailing comma continues a list (`domain-macro x a.com,` / `b.com`) or starts a directive.
   */
  isDirectiveName?: (lowerName: string) => boolean;
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

const TEMPLATE_LINE = /^(\{\{.*\}\}|\{%.*%\}|\{#.*#\}|__[A-Za-z0-9_]+__|QQQ\w+QQQ|<%.*%>|\$\{[^}]*\})$/;
/** Control characters other than tab, and the replacement character. */
const JUNK_CHAR = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd]/;

interface Physical {
  start: number;
  /** end of content (before EOL) */
  contentEnd: number;
  /** end including EOL */
  end: number;
}

function splitPhysical(text: string): Physical[] {
  const out: Physical[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    let j = i;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c === 10 || c === 13) break;
      j++;
    }
    let end = j;
    if (j < n) {
      end = text.charCodeAt(j) === 13 && text.charCodeAt(j + 1) === 10 ? j + 2 : j + 1;
    }
    out.push({ start: i, contentEnd: j, end });
    i = end;
  }
  return out;
}

/** Position of the comment `#` in [from, to): a `#` at the start or after white space, outside quotes and template braces. */
function findComment(text: string, from: number, to: number): number {
  let quote = false;
  let braces = 0;
  for (let i = from; i < to; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === '"') quote = false;
      continue;
    }
    if (c === '"') {
      quote = true;
    } else if (c === '{' && text[i + 1] === '{') {
      braces++;
      i++;
    } else if (c === '}' && text[i + 1] === '}' && braces > 0) {
      braces--;
      i++;
    } else if (c === '#' && braces === 0 && (i === from || text[i - 1] === ' ' || text[i - 1] === '\t')) {
      return i;
    }
  }
  return -1;
}

function isWs(c: string | undefined): boolean {
  return c === ' ' || c === '\t';
}

class LineBuilder {
  tokens: Token[] = [];
  constructor(private text: string) {}
  push(kind: Token['kind'], start: number, end: number): void {
    if (end > start) this.tokens.push({ kind, start, end });
  }
  /** Push white space and the given kind for the non-space part. */
  pushRun(kind: Token['kind'], start: number, end: number): void {
    let i = start;
    while (i < end) {
      let j = i;
      const ws = isWs(this.text[i]);
      while (j < end && isWs(this.text[j]) === ws) j++;
      this.push(ws ? 'ws' : kind, i, j);
      i = j;
    }
  }
}

/** Split [from, to) into words, honouring double quotes. */
export function splitWords(text: string, from: number, to: number): Word[] {
  const words: Word[] = [];
  let i = from;
  while (i < to) {
    while (i < to && /\s/.test(text[i])) i++;
    if (i >= to) break;
    const start = i;
    if (text[i] === '"') {
      i++;
      let s = '';
      let closed = false;
      while (i < to) {
        const c = text[i];
        if (c === '\\' && i + 1 < to) {
          s += text[i + 1];
          i += 2;
          continue;
        }
        if (c === '"') {
          closed = true;
          i++;
          break;
        }
        s += c;
        i++;
      }
      // a quoted word glued to more text ("a"b) keeps going as one word
      while (i < to && !/\s/.test(text[i])) {
        s += text[i];
        i++;
      }
      words.push({ text: closed ? s : text.slice(start + 1, i), start, end: i, quoted: true });
    } else {
      while (i < to && !/\s/.test(text[i])) i++;
      words.push({ text: text.slice(start, i), start, end: i, quoted: false });
    }
  }
  return words;
}

export function parse(text: string, options: ParseOptions = {}): SyntaxTree {
  return new Parser(text, options).run();
}

class Parser {
  private phys: Physical[];
  private lines: Line[] = [];
  private diagnostics: ParseDiagnostic[] = [];
  private root: Node[] = [];
  private stack: Block[] = [];

  constructor(private text: string, private options: ParseOptions) {
    this.phys = splitPhysical(text);
  }

  run(): SyntaxTree {
    let p = 0;
    while (p < this.phys.length) {
      const used = this.parseLogical(p);
      p += used;
    }
    // blocks still open at the end of the file
    while (this.stack.length) {
      const b = this.stack.pop()!;
      this.reportUnclosed(b, 'at the end of the file');
    }
    return { text: this.text, lines: this.lines, children: this.root, diagnostics: this.diagnostics };
  }

  private get top(): Block | undefined {
    return this.stack[this.stack.length - 1];
  }

  private bodyKind(): string {
    const t = this.top;
    return t ? BODY_KIND[t.name] ?? 'directives' : 'directives';
  }

  private add(line: Line): void {
    this.lines.push(line);
    const t = this.top;
    line.parent = t;
    (t ? t.children : this.root).push(line);
    if (t) t.end = Math.max(t.end, line.end);
  }

  private diag(code: ParseDiagnostic['code'], span: Span, message: string, data?: ParseDiagnostic['data']): void {
    this.diagnostics.push({ code, start: span.start, end: span.end, message, data });
  }

  /** Parse the logical line starting at physical line p; returns the number of physical lines used. */
  private parseLogical(p: number): number {
    const text = this.text;
    const ph = this.phys[p];
    const { start, contentEnd, end } = ph;
    let i = start;
    while (i < contentEnd && isWs(text[i])) i++;
    const first = i;
    const content = text.slice(first, contentEnd).trimEnd();
    const base = { start, end, line: p, contentEnd };

    if (first >= contentEnd) {
      const b = new LineBuilder(text);
      b.push('ws', start, contentEnd);
      b.push('eol', contentEnd, end);
      this.add({ kind: 'blank', ...base, tokens: b.tokens });
      return 1;
    }

    const commentStart = findComment(text, first, contentEnd);
    const junk = JUNK_CHAR.exec(text.slice(start, commentStart >= 0 ? commentStart : contentEnd));
    if (junk) {
      const at = start + junk.index;
      const b = new LineBuilder(text);
      b.push('ws', start, first);
      b.push('junk', first, contentEnd);
      b.push('eol', contentEnd, end);
      const message = 'Unexpected control or binary character (U+' + junk[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0') + '); the line is ignored';
      this.add({ kind: 'error', ...base, tokens: b.tokens, message });
      this.diag('syntax', { start: at, end: at + 1 }, message, { kind: 'junk' });
      return 1;
    }

    if (text[first] === '#') {
      const b = new LineBuilder(text);
      b.push('ws', start, first);
      b.push('comment', first, contentEnd);
      b.push('eol', contentEnd, end);
      this.add({ kind: 'comment', ...base, tokens: b.tokens, comment: { start: first, end: contentEnd } });
      return 1;
    }

    if (TEMPLATE_LINE.test(content)) {
      // a whole-line template directive or placeholder: opaque
      const b = new LineBuilder(text);
      b.push('ws', start, first);
      b.push('template', first, first + content.length);
      b.push('ws', first + content.length, contentEnd);
      b.push('eol', contentEnd, end);
      this.add({ kind: 'template', ...base, tokens: b.tokens });
      return 1;
    }

    if (text[first] === '<') {
      return this.parseTag(p, first);
    }

    // blog pseudo-syntax
    const pseudo = this.tryPseudo(p, first);
    if (pseudo) return 1;

    const body = this.bodyKind();
    if (body !== 'directives' && !/^include\s/i.test(content)) {
      this.add(this.parsePattern(ph, first, body));
      return 1;
    }

    return this.parseDirective(p, first);
  }

  private parseTag(p: number, first: number): number {
    const text = this.text;
    const ph = this.phys[p];
    const { start, contentEnd, end } = ph;
    const b = new LineBuilder(text);
    b.push('ws', start, first);
    const closing = text[first + 1] === '/';
    let i = first + (closing ? 2 : 1);
    b.push('punct', first, i);
    const nameStart = i;
    while (i < contentEnd && /[A-Za-z0-9_.-]/.test(text[i])) i++;
    const nameEnd = i;
    const rawName = text.slice(nameStart, nameEnd);
    const commentAt = findComment(text, nameEnd, contentEnd);
    const bodyEnd = commentAt >= 0 ? commentAt : contentEnd;
    // the tag ends at the first '>' that is followed only by white space / comment; else the last '>'
    let gt = -1;
    for (let k = nameEnd; k < bodyEnd; k++) {
      if (text[k] === '>') {
        gt = k;
        if (text.slice(k + 1, bodyEnd).trim() === '') break;
        // keep looking for a later '>' that ends the line, but remember the first
        const later = text.lastIndexOf('>', bodyEnd - 1);
        if (later > k && text.slice(later + 1, bodyEnd).trim() === '' && !text.slice(k + 1, later).includes('<')) gt = later;
        break;
      }
    }
    b.push('tag-name', nameStart, nameEnd);
    const argEndRaw = gt >= 0 ? gt : bodyEnd;
    let as = nameEnd;
    while (as < argEndRaw && isWs(text[as])) as++;
    let ae = argEndRaw;
    while (ae > as && isWs(text[ae - 1])) ae--;
    b.push('ws', nameEnd, as);
    b.push(closing ? 'junk' : 'tag-arg', as, ae);
    b.push('ws', ae, argEndRaw);
    let trailing: Span | undefined;
    if (gt >= 0) {
      b.push('punct', gt, gt + 1);
      let ts = gt + 1;
      while (ts < bodyEnd && isWs(text[ts])) ts++;
      b.push('ws', gt + 1, ts);
      let te = bodyEnd;
      while (te > ts && isWs(text[te - 1])) te--;
      if (te > ts) {
        trailing = { start: ts, end: te };
        b.push('junk', ts, te);
      }
      b.push('ws', te, bodyEnd);
    }
    let comment: Span | undefined;
    if (commentAt >= 0) {
      comment = { start: commentAt, end: contentEnd };
      b.push('comment', commentAt, contentEnd);
    }
    b.push('eol', contentEnd, end);
    const tagSpan = { start: first, end: gt >= 0 ? gt + 1 : ae };
    const base = { start, end, line: p, contentEnd, tokens: b.tokens, comment };
    const name = rawName.toLowerCase();
    if (!rawName) {
      const message = closing ? 'Expected a tag name after "</"' : 'Expected a tag name after "<"';
      this.add({ kind: 'error', ...base, message });
      this.diag('syntax', { start: first, end: Math.max(tagSpan.end, first + 1) }, message, { kind: 'no-tag-name' });
      return 1;
    }
    if (gt < 0) {
      this.diag('syntax', { start: first, end: ae > first ? ae : nameEnd }, `Missing ">" to end the tag <${closing ? '/' : ''}${rawName}`, {
        kind: 'missing-gt',
        insertAt: ae,
      });
    }
    if (trailing) {
      this.diag('syntax', trailing, `Text after the tag must go on its own line`, { kind: 'text-after-tag' });
    }
    if (closing) {
      const line: CloseTagLine = {
        kind: 'close-tag',
        ...base,
        name,
        rawName,
        nameSpan: { start: nameStart, end: nameEnd },
        tagSpan,
        unterminated: gt < 0,
        extra: ae > as ? { start: as, end: ae } : undefined,
      };
      this.closeBlock(line);
    } else {
      const line: OpenTagLine = {
        kind: 'open-tag',
        ...base,
        name,
        rawName,
        nameSpan: { start: nameStart, end: nameEnd },
        arg: text.slice(as, ae),
        argSpan: { start: as, end: ae },
        tagSpan,
        unterminated: gt < 0,
        trailing,
      };
      this.openBlock(line, false);
    }
    return 1;
  }

  private openBlock(line: OpenTagLine | PseudoLine, pseudo: boolean): void {
    const parent = this.top;
    const block: Block = {
      kind: 'block',
      name: line.kind === 'open-tag' ? line.name : line.keyword ?? '',
      arg: line.kind === 'open-tag' ? line.arg : line.arg ?? '',
      argSpan: line.kind === 'open-tag' ? line.argSpan : line.argSpan ?? { start: line.start, end: line.start },
      open: line,
      children: [],
      parent,
      start: line.start,
      end: line.end,
      pseudo,
    };
    this.lines.push(line);
    line.parent = block;
    block.children.push(line);
    (parent ? parent.children : this.root).push(block);
    if (parent) parent.end = Math.max(parent.end, line.end);
    this.stack.push(block);
  }

  private reportUnclosed(b: Block, where: string): void {
    if (b.pseudo) return; // the pseudo-syntax diagnostic already covers it
    const open = b.open as OpenTagLine;
    this.diag('syntax', open.tagSpan, `<${open.rawName}${b.arg ? ' ' + b.arg : ''}> is not closed: add </${open.rawName}> ${where}`, {
      kind: 'unclosed',
      name: open.rawName,
    });
  }

  private closeBlock(line: CloseTagLine): void {
    const idx = findLastIndex(this.stack, (b) => !b.pseudo && b.name === line.name);
    if (idx < 0) {
      this.add(line);
      const inner = this.top ? ` (the open block is <${(this.top.open as OpenTagLine).rawName ?? this.top.name}>)` : '';
      this.diag('syntax', line.tagSpan, `Stray </${line.rawName}>: no <${line.rawName}> is open${inner}`, { kind: 'stray-close', name: line.rawName });
      return;
    }
    while (this.stack.length - 1 > idx) {
      const b = this.stack.pop()!;
      this.reportUnclosed(b, `before </${line.rawName}>`);
    }
    const block = this.stack.pop()!;
    block.close = line;
    line.parent = block;
    this.lines.push(line);
    block.children.push(line);
    block.end = line.end;
    for (let p = block.parent; p; p = p.parent) p.end = Math.max(p.end, line.end);
  }

  private tryPseudo(p: number, first: number): boolean {
    const text = this.text;
    const ph = this.phys[p];
    const { start, contentEnd, end } = ph;
    const commentAt = findComment(text, first, contentEnd);
    const bodyEnd = commentAt >= 0 ? commentAt : contentEnd;
    const body = text.slice(first, bodyEnd).trimEnd();
    const bodyStop = first + body.length;
    const comment = commentAt >= 0 ? { start: commentAt, end: contentEnd } : undefined;

    if (body === '}}') {
      const b = new LineBuilder(text);
      b.push('ws', start, first);
      b.push('punct', first, first + 2);
      b.push('ws', first + 2, bodyEnd);
      if (comment) b.push('comment', comment.start, comment.end);
      b.push('eol', contentEnd, end);
      const line: PseudoLine = { kind: 'pseudo-close', start, end, line: p, contentEnd, tokens: b.tokens, comment };
      const topIdx = findLastIndex(this.stack, (x) => x.pseudo);
      if (topIdx >= 0) {
        while (this.stack.length - 1 > topIdx) this.reportUnclosed(this.stack.pop()!, 'before "}}"');
        const block = this.stack.pop()!;
        block.close = line;
        line.parent = block;
        this.lines.push(line);
        block.children.push(line);
        block.end = line.end;
        for (let q = block.parent; q; q = q.parent) q.end = Math.max(q.end, line.end);
      } else {
        this.add(line);
        this.diag('pseudo-syntax', { start: first, end: first + 2 }, 'Stray "}}": PowerMTA blocks are closed with a tag such as </domain>', {
          kind: 'stray-pseudo-close',
        });
      }
      return true;
    }

    const m = /^([A-Za-z][A-Za-z0-9-]*)([ \t]+)(.*?)[ \t]*\{\{(.*)$/.exec(body);
    if (!m || !PSEUDO_KEYWORDS.has(m[1].toLowerCase())) return false;
    const keyword = m[1].toLowerCase();
    const argRaw = m[3];
    const after = m[4];
    const argStart = first + m[1].length + m[2].length;
    const argSpan = { start: argStart, end: argStart + argRaw.length };
    const braceAt = text.indexOf('{{', argSpan.end);
    if (/[{}]/.test(argRaw) && !/^\S+$/.test(argRaw)) return false;
    const trimmedAfter = after.trim();
    let kind: PseudoLine['kind'];
    let innerText: Span | undefined;
    if (trimmedAfter === '') {
      kind = 'pseudo-open';
    } else if (trimmedAfter.endsWith('}}') && /\s/.test(trimmedAfter.slice(0, -2).trim()) && !/^[#/^!>]/.test(trimmedAfter)) {
      kind = 'pseudo-inline';
      const innerStart = braceAt + 2;
      const closeAt = first + body.lastIndexOf('}}');
      innerText = { start: innerStart, end: closeAt };
    } else {
      return false; // `domain {{name}}`-like template text: not the blog form
    }
    if (!argRaw) return false;
    const b = new LineBuilder(text);
    b.push('ws', start, first);
    b.push('name', first, first + m[1].length);
    b.push('ws', first + m[1].length, argStart);
    b.push('tag-arg', argSpan.start, argSpan.end);
    b.push('ws', argSpan.end, braceAt);
    b.push('punct', braceAt, braceAt + 2);
    let inner: DirectiveLine | PatternLine | undefined;
    if (kind === 'pseudo-inline' && innerText) {
      const innerLine = this.parseInline(p, innerText, keyword);
      inner = innerLine;
      for (const t of innerLine.tokens) b.tokens.push(t.kind === 'eol' ? { ...t, kind: 'ws' } : t);
      const closeAt = innerText.end;
      b.push('punct', closeAt, closeAt + 2);
      b.push('ws', closeAt + 2, bodyEnd);
    } else {
      b.push('ws', braceAt + 2, bodyEnd);
    }
    if (comment) b.push('comment', comment.start, comment.end);
    b.push('eol', contentEnd, end);
    const line: PseudoLine = {
      kind,
      start,
      end,
      line: p,
      contentEnd,
      tokens: b.tokens,
      comment,
      keyword,
      keywordSpan: { start: first, end: first + m[1].length },
      arg: argRaw,
      argSpan,
      inner,
    };
    const wordsShown = `${m[1]} ${argRaw}`;
    const message =
      kind === 'pseudo-open'
        ? `"${wordsShown} {{" is blog pseudo-syntax that PowerMTA rejects: write <${keyword} ${argRaw}> … </${keyword}>`
        : `"${wordsShown} {{ … }}" is blog pseudo-syntax that PowerMTA rejects: write <${keyword} ${argRaw}> … </${keyword}>`;
    this.diag('pseudo-syntax', { start: first, end: bodyStop }, message, { kind });
    if (kind === 'pseudo-open') {
      this.openBlock(line, true);
    } else {
      // an inline pseudo block: a block with the inner line as its only child
      this.openBlock(line, true);
      const block = this.stack.pop()!;
      if (inner) {
        inner.parent = block;
        block.children.push(inner);
      }
    }
    return true;
  }

  /** Parse text inside `{{ … }}` on one line as a directive or pattern line. */
  private parseInline(p: number, span: Span, keyword: string): DirectiveLine | PatternLine {
    const text = this.text;
    let s = span.start;
    while (s < span.end && isWs(text[s])) s++;
    let e = span.end;
    while (e > s && isWs(text[e - 1])) e--;
    const ph: Physical = { start: span.start, contentEnd: e, end: span.end };
    if (BODY_KIND[keyword]) {
      return this.parsePattern(ph, s, BODY_KIND[keyword], p);
    }
    return this.directiveFrom(p, [ph], s);
  }

  private parsePattern(ph: Physical, first: number, body: string, lineNo?: number): PatternLine {
    const text = this.text;
    const { start, contentEnd, end } = ph;
    const b = new LineBuilder(text);
    b.push('ws', start, first);
    const lead: Word[] = [];
    const rest: Word[] = [];
    let regex: PatternLine['regex'];
    let quoted: Word | undefined;
    let i = first;
    // lead words up to the regex
    while (i < contentEnd) {
      while (i < contentEnd && isWs(text[i])) i++;
      if (i >= contentEnd || text[i] === '/' || text[i] === '#' || text[i] === '"') break;
      const ws = i;
      while (i < contentEnd && !isWs(text[i])) i++;
      lead.push({ text: text.slice(ws, i), start: ws, end: i, quoted: false });
    }
    if (text[i] === '/') {
      const rs = i;
      i++;
      let terminated = false;
      while (i < contentEnd) {
        if (text[i] === '\\') {
          i += 2;
          continue;
        }
        if (text[i] === '/') {
          terminated = true;
          i++;
          break;
        }
        i++;
      }
      i = Math.min(i, contentEnd);
      regex = { start: rs, end: i, body: text.slice(rs + 1, terminated ? i - 1 : i), terminated };
    } else if (text[i] === '"') {
      const w = splitWords(text, i, contentEnd)[0];
      if (w) {
        quoted = w;
        i = w.end;
      }
    }
    const commentAt = findComment(text, i, contentEnd);
    const restEnd = commentAt >= 0 ? commentAt : contentEnd;
    if (!regex || regex.terminated) rest.push(...splitWords(text, i, restEnd));
    // tokens
    let pos = first;
    const emit = (kind: Token['kind'], s: number, e: number) => {
      b.pushRun('ws', pos, s);
      b.push(kind, s, e);
      pos = e;
    };
    lead.forEach((w, k) => emit(k === 0 ? 'name' : 'word', w.start, w.end));
    if (regex) emit('regex', regex.start, regex.end);
    if (quoted) emit('string', quoted.start, quoted.end);
    for (const w of rest) emit(w.quoted ? 'string' : 'word', w.start, w.end);
    if (regex && !regex.terminated) {
      // the unterminated regex swallowed the line; nothing else to emit
    }
    b.pushRun('ws', pos, restEnd);
    let comment: Span | undefined;
    if (commentAt >= 0) {
      comment = { start: commentAt, end: contentEnd };
      b.push('comment', commentAt, contentEnd);
    }
    b.push('eol', contentEnd, end);
    const line: PatternLine = {
      kind: 'pattern',
      start,
      end,
      line: lineNo ?? this.lineOf(start),
      contentEnd,
      tokens: b.tokens,
      comment,
      lead,
      regex,
      rest,
      quoted,
    };
    void body;
    return line;
  }

  private lineOf(offset: number): number {
    let lo = 0;
    let hi = this.phys.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.phys[mid].start <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private parseDirective(p: number, first: number): number {
    const text = this.text;
    const ph = this.phys[p];
    // name must start with a letter, digit, '$' or '{' (templates) to be a directive
    if (!/[A-Za-z0-9{$_]/.test(text[first])) {
      const b = new LineBuilder(text);
      b.push('ws', ph.start, first);
      const commentAt = findComment(text, first, ph.contentEnd);
      const e = commentAt >= 0 ? commentAt : ph.contentEnd;
      b.push('junk', first, e);
      if (commentAt >= 0) b.push('comment', commentAt, ph.contentEnd);
      b.push('eol', ph.contentEnd, ph.end);
      let ee = e;
      while (ee > first && isWs(text[ee - 1])) ee--;
      const message = `Malformed line: expected a directive, a <tag> or a comment`;
      this.add({ kind: 'error', start: ph.start, end: ph.end, line: p, contentEnd: ph.contentEnd, tokens: b.tokens, message });
      this.diag('syntax', { start: first, end: ee }, message, { kind: 'malformed' });
      return 1;
    }
    // gather continuation lines
    const parts: Physical[] = [ph];
    let q = p;
    for (;;) {
      const cur = this.phys[q];
      const commentAt = findComment(text, parts.length === 1 ? first : cur.start, cur.contentEnd);
      const valEnd = commentAt >= 0 ? commentAt : cur.contentEnd;
      const tail = text.slice(cur.start, valEnd).trimEnd();
      const next = this.phys[q + 1];
      if (!next) break;
      const nextContent = text.slice(next.start, next.contentEnd).trim();
      if (tail.endsWith('\\') && commentAt < 0) {
        parts.push(next);
        q++;
        continue;
      }
      if (tail.endsWith(',') && nextContent && !/^[#<}{]/.test(nextContent)) {
        const firstWord = nextContent.split(/\s/)[0].toLowerCase();
        const isDir = this.options.isDirectiveName?.(firstWord) ?? false;
        // a continuation line holds list items: no space-separated directive with a known name
        if (!isDir && !JUNK_CHAR.test(nextContent)) {
          parts.push(next);
          q++;
          continue;
        }
      }
      break;
    }
    const line = this.directiveFrom(p, parts, first);
    this.add(line);
    return parts.length;
  }

  private directiveFrom(p: number, parts: Physical[], first: number): DirectiveLine {
    const text = this.text;
    const b = new LineBuilder(text);
    const start = parts[0].start;
    b.push('ws', start, first);
    let i = first;
    const c0 = parts[0].contentEnd;
    while (i < c0 && !isWs(text[i]) && !(text[i] === '#' && i > first && isWs(text[i - 1]))) i++;
    const nameSpan = { start: first, end: i };
    const rawName = text.slice(first, i);
    b.push('name', first, i);
    let valueStart = -1;
    let valueEnd = -1;
    const args: Word[] = [];
    let comment: Span | undefined;
    for (let k = 0; k < parts.length; k++) {
      const part = parts[k];
      const from = k === 0 ? i : part.start;
      const commentAt = findComment(text, from, part.contentEnd);
      let ve = commentAt >= 0 ? commentAt : part.contentEnd;
      let cont = -1;
      const trimmedEnd = (() => {
        let e = ve;
        while (e > from && isWs(text[e - 1])) e--;
        return e;
      })();
      if (k < parts.length - 1 && text[trimmedEnd - 1] === '\\' && commentAt < 0) {
        cont = trimmedEnd - 1;
        ve = cont;
      }
      const words = splitWords(text, from, ve);
      let pos = from;
      for (const w of words) {
        b.pushRun('ws', pos, w.start);
        b.push(w.quoted ? 'string' : 'word', w.start, w.end);
        pos = w.end;
        if (valueStart < 0) valueStart = w.start;
        valueEnd = w.end;
        args.push(w);
      }
      if (cont >= 0) {
        b.pushRun('ws', pos, cont);
        b.push('continuation', cont, cont + 1);
        pos = cont + 1;
      }
      const stop = commentAt >= 0 ? commentAt : part.contentEnd;
      b.pushRun('ws', pos, stop);
      if (commentAt >= 0) {
        b.push('comment', commentAt, part.contentEnd);
        if (k === parts.length - 1 || !comment) comment = { start: commentAt, end: part.contentEnd };
      }
      b.push('eol', part.contentEnd, part.end);
    }
    const last = parts[parts.length - 1];
    const valueSpan = valueStart >= 0 ? { start: valueStart, end: valueEnd } : { start: nameSpan.end, end: nameSpan.end };
    // merge comma-continued words: "a.com," "b.com" stay separate words; the value text keeps the raw span
    const value = valueStart >= 0 ? args.map((w) => (w.quoted ? text.slice(w.start, w.end) : w.text)).join(' ') : '';
    return {
      kind: 'directive',
      start,
      end: last.end,
      line: p,
      contentEnd: last.contentEnd,
      tokens: b.tokens,
      comment,
      name: rawName.toLowerCase(),
      rawName,
      nameSpan,
      value,
      valueSpan,
      args,
      physicalLines: parts.length,
    };
  }
}

function findLastIndex<T>(arr: T[], pred: (x: T) => boolean): number {
  for (let i = arr.length - 1; i >= 0; i--) if (pred(arr[i])) return i;
  return -1;
}

/** Rebuild the text from the tokens (used by tests to prove the tree is lossless). */
export function rebuild(tree: SyntaxTree): string {
  let s = '';
  for (const l of tree.lines) for (const t of l.tokens) s += tree.text.slice(t.start, t.end);
  return s;
}
