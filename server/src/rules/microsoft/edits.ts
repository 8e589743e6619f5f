/**
 * Text edits shared by the Microsoft fixes: lines added at the end of a block's body in the block's
 * own indentation, whole lines removed, blocks inserted before or after a block, all in the file's
 * line-ending style. Insertions at the same offset are merged into one change so that the order of
 * the inserted lines is the order in which they were asked for. And the edits that give a directive a
 * value in the queues of some virtual MTAs ({@link setForMembers}).
 */
import type { Block, DirectiveLine, Line } from '../../parser/ast';
import type { Model } from '../../model';
import type { TextChange } from '../../findings';
import { eolOf } from '../../util/eol';
import { indentAt, indentUnit } from '../util';
import {
  QUEUE_SETTINGS,
  directivesOf,
  type DomainBlock,
  type Effective,
  type MemberQueue,
  type MicrosoftAnalysis,
} from '../../microsoft/analysis';
import { pushAll } from '../../util/arrays';

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
  /** Insertions by offset (a fix may add lines to thousands of blocks). */
  private readonly inserts = new Map<number, TextChange>();
  constructor(readonly model: Model) {}

  get eol(): string {
    return eolOf(this.model.text);
  }

  insert(at: number, text: string): void {
    const same = this.inserts.get(at);
    if (same) same.newText += text;
    else {
      const c = { span: { start: at, end: at }, newText: text };
      this.inserts.set(at, c);
      this.changes.push(c);
    }
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
  for (const name of QUEUE_SETTINGS) pushAll(out, directivesOf(b, name));
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

/** A value a directive should take in the queue of one virtual MTA, and where its present value comes from. */
export interface MemberChange {
  m: MemberQueue;
  from?: Effective;
  value: string;
}

/**
 * Add to `e` the edits that give directive `name` the value each change asks for in its virtual MTA's
 * queue: the line that sets it, when that line is in a block naming the queue; else a line added to the
 * last block naming the queue that comes before the block the value is inherited from (any such block
 * when it is not set at all), so that the new line decides; else, when the value comes from a block nested
 * in the virtual MTA or its pool (its `<domain *>`), a `<domain QUEUE>` block with the line at the end of
 * that virtual MTA or pool. Returns the blocks edited and the virtual MTAs or pools given a new block, or
 * undefined when some change cannot be made in this file (another file, blog pseudo-syntax).
 */
export function setForMembers(
  a: MicrosoftAnalysis,
  e: Edits,
  name: string,
  changes: readonly MemberChange[],
): { edited: DomainBlock[]; created: Block[] } | undefined {
  const replaced = new Set<unknown>();
  const appended = new Map<DomainBlock, string>();
  const created = new Map<Block, string>();
  const edited = new Set<DomainBlock>();
  for (const c of changes) {
    const from = c.from;
    if (from && a.isAnchor(from.db)) {
      if (from.db.model !== e.model || !editable(from.db.block)) return undefined;
      if (!replaced.has(from.line)) {
        replaced.add(from.line);
        e.replace(from.line.valueSpan, c.value);
        edited.add(from.db);
      }
      continue;
    }
    const target = anchorBefore(a, c.m, from?.db);
    if (target) {
      if (target.model !== e.model || !editable(target.block)) return undefined;
      if (!appended.has(target)) appended.set(target, c.value);
      continue;
    }
    // inherited from the virtual MTA's (or its pool's) own <domain *>: a block of the queue there decides
    const scope = from?.db.scope;
    if (!scope || from.db.model !== e.model || !editable(scope)) return undefined;
    if (!created.has(scope)) created.set(scope, c.value);
  }
  for (const [db, value] of appended) {
    e.appendLines(db.block, [`${name} ${value}`]);
    edited.add(db);
  }
  const unit = created.size ? indentUnit(e.model) : '';
  for (const [scope, value] of created)
    e.appendLines(scope, [`<domain ${a.queue}>`, `${unit}${name} ${value}`, '</domain>']);
  return { edited: [...edited], created: [...created.keys()] };
}

/** The last block naming the queue in a member's chain before `stop` (in all of it without `stop`). */
function anchorBefore(a: MicrosoftAnalysis, m: MemberQueue, stop: DomainBlock | undefined): DomainBlock | undefined {
  let target: DomainBlock | undefined;
  for (const part of [m.own, m.shared]) {
    for (let i = 0; i < part.length; i++) {
      if (part[i] === stop) return target;
      if (a.isAnchor(part[i])) target = part[i];
    }
  }
  return target;
}

/** The last block naming the queue in a member's chain (where a line that nothing else sets can go). */
export function lastAnchorOf(a: MicrosoftAnalysis, m: MemberQueue): DomainBlock | undefined {
  return anchorBefore(a, m, undefined);
}
