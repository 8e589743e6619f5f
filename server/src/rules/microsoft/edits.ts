/**
 * Text edits shared by the Microsoft fixes: lines added at the end of a block's body in the block's
 * own indentation, whole lines removed, blocks inserted before or after a block, all in the file's
 * line-ending style. Insertions at the same offset are merged into one change so that the order of
 * the inserted lines is the order in which they were asked for.
 */
import type { Block, DirectiveLine, Line } from '../../parser/ast';
import type { Model } from '../../model';
import type { TextChange } from '../../findings';
import { eolOf } from '../../util/eol';
import { indentAt, indentUnit } from '../util';
import { QUEUE_SETTINGS, directivesOf, type DomainBlock } from '../../microsoft/analysis';

/** A block we may edit: real tags (not blog pseudo-syntax, not inside it) and closed. */
export function editable(b: Block | undefined): b is Block {
  if (!b) return false;
  for (let x: Block | undefined = b; x; x = x.parent) if (x.pseudo) return false;
  return b.close?.kind === 'close-tag';
}

/** New blocks may go after a block when its top-level block is complete (closed, or a one-line blog block). */
export function canInsertAfter(b: Block | undefined): b is Block {
  if (!b) return false;
  let t = b;
  while (t.parent) t = t.parent;
  return !!t.close || t.open.kind === 'pseudo-inline';
}

/** Indentation for a new line in the body of a block. */
export function bodyIndent(model: Model, b: Block): string {
  for (const c of b.children) {
    if (c === b.open || c === b.close || c.kind === 'blank') continue;
    if (c.kind === 'block') return indentAt(model.text, c.open.start);
    return indentAt(model.text, c.start);
  }
  return indentAt(model.text, b.open.start) + indentUnit(model);
}

export class Edits {
  readonly changes: TextChange[] = [];
  constructor(readonly model: Model) {}

  get eol(): string {
    return eolOf(this.model.text);
  }

  insert(at: number, text: string): void {
    const same = this.changes.find((c) => c.span.start === at && c.span.end === at);
    if (same) same.newText += text;
    else this.changes.push({ span: { start: at, end: at }, newText: text });
  }

  replace(span: { start: number; end: number }, text: string): void {
    this.changes.push({ span: { start: span.start, end: span.end }, newText: text });
  }

  /** Add lines (without indentation) at the end of a block's body. */
  appendLines(b: Block, lines: readonly string[]): void {
    if (!lines.length || !b.close) return;
    const ind = bodyIndent(this.model, b);
    this.insert(b.close.start, lines.map((l) => ind + l + this.eol).join(''));
  }

  /** Remove a whole line, its end of line included. */
  removeLine(line: Line): void {
    this.replace({ start: line.start, end: line.end }, '');
  }

  /** Insert rendered blocks (lines without the outer indentation) after a block, each after a blank line. */
  insertBlocksAfter(b: Block, blocks: readonly string[][]): void {
    if (!blocks.length) return;
    const text = this.model.text;
    const eol = this.eol;
    const outer = indentAt(text, b.open.start);
    const rendered = blocks.map((lines) => lines.map((l) => outer + l).join(eol));
    const at = b.end;
    const atEof = at >= text.length && !/[\r\n]$/.test(text);
    this.insert(at, atEof ? eol + eol + rendered.join(eol + eol) : eol + rendered.join(eol + eol) + eol);
  }

  /** Insert rendered blocks before a block, each followed by a blank line. */
  insertBlocksBefore(b: Block, blocks: readonly string[][]): void {
    if (!blocks.length) return;
    const eol = this.eol;
    const outer = indentAt(this.model.text, b.open.start);
    // the open line's start (its indentation is part of the line, and kept)
    this.insert(b.open.start, blocks.map((lines) => lines.map((l) => outer + l).join(eol) + eol + eol).join(''));
  }
}

/** A block as lines, body indented by `unit`. */
export function renderBlock(tag: string, arg: string, body: readonly string[], unit: string): string[] {
  return [`<${tag}${arg ? ' ' + arg : ''}>`, ...body.map((l) => unit + l), `</${tag}>`];
}

/** The queue-setting lines of a block (limits and routing), which stop counting once the domain queues elsewhere. */
export function queueSettingLines(b: Block): DirectiveLine[] {
  const out: DirectiveLine[] = [];
  for (const name of QUEUE_SETTINGS) out.push(...directivesOf(b, name));
  return out.sort((x, y) => x.start - y.start);
}

/**
 * Make a block queue into `queue`: replace its `queue-to` value or add a `queue-to` line, and remove the
 * limit and routing lines that would no longer be used. Returns whether lines were removed or a value changed
 * (the caller decides whether that needs review).
 */
export function rollBlockInto(e: Edits, db: DomainBlock, queue: string): { removed: number; retargeted: boolean } {
  const b = db.block;
  const qt = directivesOf(b, 'queue-to');
  let retargeted = false;
  if (qt.length) {
    const last = qt[qt.length - 1];
    e.replace(last.valueSpan, queue);
    retargeted = true;
  } else {
    e.appendLines(b, [`queue-to ${queue}`]);
  }
  const lines = queueSettingLines(b);
  for (const l of lines) e.removeLine(l);
  // an `mx-rollup` line (not PowerMTA) is replaced by the queue-to
  for (const l of directivesOf(b, 'mx-rollup')) e.removeLine(l);
  return { removed: lines.length, retargeted };
}
