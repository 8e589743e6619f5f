/**
 * `pseudo-syntax` (error): the doubled-brace blog form (`domain x {{ … }}`, `smtp-pattern-list x {{ … }}`)
 * that PowerMTA rejects. The fix rewrites the block with real tags, and quoted patterns
 * (`"421 4.7.0 RP-001" retry-after=4h`) as `reply /…/ mode=backoff` rules.
 */
import { blockOpenedOn, lineHolding, type Block, type Line, type PatternLine, type PseudoLine } from '../parser/ast';
import type { Model } from '../model';
import type { Rule } from './types';
import type { Fix, TextChange } from '../findings';
import { eolOf } from '../util/eol';
import { regexEscape } from '../microsoft/patternLists';
import { findMicrosoftCodes } from '../knowledge/microsoft';
import { continuedAt, indentAt, indentUnit } from './util';
import { pushAll } from '../util/arrays';

/** A basic reply code, an enhanced status code, then the rest (`421 4.7.0 RP-001`). */
const WITH_ENHANCED = /^(\d{3}) (\d\.\d{1,3}\.\d{1,3}) (\S.*)$/;

/**
 * The blog's quoted text as a regex for the reply it was written for. Where the text names a Microsoft
 * code and, as written, does not match Microsoft's reply for it, the enhanced status code is made
 * optional: the blogs write "421 4.7.0 RP-001", Microsoft sends "421 RP-001 …" (no enhanced code), and
 * the rule copied as written would never match.
 */
function blogRegex(text: string): string {
  const escaped = regexEscape(text);
  const parts = WITH_ENHANCED.exec(text);
  if (!parts) return escaped;
  const samples = findMicrosoftCodes(text).map((h) => h.code.sampleReply);
  const matchesAll = (re: string) => samples.every((s) => new RegExp(re, 'i').test(s));
  if (!samples.length || matchesAll(escaped)) return escaped;
  const optional = `${parts[1]} (${regexEscape(parts[2])} )?${regexEscape(parts[3])}`;
  return matchesAll(optional) ? optional : escaped;
}

/** Convert a blog-style pattern line (`"421 RP-001" retry-after=4h`) to a PowerMTA reply rule. */
function convertPatternLine(model: Model, line: PatternLine): string | undefined {
  if (!line.quoted) return undefined;
  const was = line.rest.map((w) => model.text.slice(w.start, w.end)).join(' ');
  const comment = was ? ` # blog form: ${was}` : '';
  return `reply /${blogRegex(line.quoted.text)}/ mode=backoff${comment}`;
}

export const pseudoSyntaxRule: Rule = {
  id: 'pseudo-syntax',
  defaultSeverity: 'error',
  description:
    'The doubled-brace blog syntax (domain x {{ … }}) that PowerMTA rejects; the fix converts it to real tags.',
  check(ctx) {
    const { model } = ctx;
    const pseudoBlocks = model.blocks.filter((b) => b.pseudo);
    const all: TextChange[] = [];
    const findings: Array<{ span: { start: number; end: number }; message: string; fix?: Fix }> = [];
    for (const d of model.tree.diagnostics) {
      if (d.code !== 'pseudo-syntax') continue;
      const block = blockOpenedOn(pseudoBlocks, d.start);
      let fix: Fix | undefined;
      if (block) {
        const changes = convertBlock(model, block);
        pushAll(all, changes);
        fix = {
          title: `Convert to <${block.name} ${block.arg}> … </${block.name}>`,
          changes,
          isPreferred: true,
          safe: true,
        };
      } else if (d.data?.kind === 'stray-pseudo-close') {
        const line = lineHolding(model.tree.lines, d.start);
        if (line && line.kind === 'pseudo-close') {
          fix = {
            title: 'Remove the stray "}}"',
            changes: [{ span: { start: line.start, end: line.end }, newText: '' }],
          };
          // converting all the blog syntax takes the stray "}}" away too
          pushAll(all, fix.changes);
        }
      }
      findings.push({ span: d, message: d.message, fix });
    }
    // one fix object for all the findings that offer it
    const convertAll: Fix | undefined =
      pseudoBlocks.length > 1
        ? { title: 'Convert all blog pseudo-syntax in this file', changes: all, safe: false }
        : undefined;
    for (const f of findings) {
      const fixes: Fix[] = !f.fix ? [] : convertAll ? [f.fix, convertAll] : [f.fix];
      ctx.report({ span: f.span, message: f.message, fixes });
    }
  },
};

function convertBlock(model: Model, block: Block): TextChange[] {
  const text = model.text;
  const eol = eolOf(text);
  const open = block.open as PseudoLine;
  const ind = indentAt(text, open.start);
  const unit = indentUnit(model);
  const tag = `<${block.name} ${block.arg}>`;
  const closeTag = `</${block.name}>`;
  const changes: TextChange[] = [];
  if (open.kind === 'pseudo-inline') {
    const inner = open.inner;
    let body = inner ? text.slice(inner.start, inner.contentEnd).trim() : '';
    if (inner?.kind === 'pattern') body = convertPatternLine(model, inner) ?? body;
    const comment = open.comment ? ' ' + text.slice(open.comment.start, open.comment.end) : '';
    const lines = [ind + tag + comment];
    if (body) lines.push(ind + unit + body);
    lines.push(ind + closeTag);
    changes.push({ span: { start: open.start, end: open.contentEnd }, newText: lines.join(eol) });
    return changes;
  }
  // open line: replace `keyword arg {{` (keep a trailing comment)
  const comment = open.comment ? ' ' + text.slice(open.comment.start, open.comment.end) : '';
  changes.push({ span: { start: open.start, end: open.contentEnd }, newText: ind + tag + comment });
  for (const child of block.children) {
    if (child === open || child === block.close) continue;
    if (child.kind === 'block') continue;
    const line = child as Line;
    if (line.kind === 'blank' || line.kind === 'template') continue;
    const lineInd = indentAt(text, line.start);
    if (line.kind === 'pattern' && line.quoted) {
      const converted = convertPatternLine(model, line);
      if (converted) {
        changes.push({
          span: { start: line.start, end: line.contentEnd },
          newText: (lineInd.length > ind.length ? lineInd : ind + unit) + converted,
        });
        continue;
      }
    }
    if (lineInd.length <= ind.length) {
      // indent the body one level (first physical line only)
      changes.push({ span: { start: line.start, end: line.start + lineInd.length }, newText: ind + unit });
    }
  }
  if (block.close && block.close.kind === 'pseudo-close') {
    const c = block.close;
    const cComment = c.comment ? ' ' + text.slice(c.comment.start, c.comment.end) : '';
    changes.push({ span: { start: c.start, end: c.contentEnd }, newText: ind + closeTag + cComment });
  } else {
    // never closed: close after the last line of the block
    const at = block.end;
    let prefix = at === text.length && at > 0 && !/[\r\n]$/.test(text) ? eol : '';
    // after a directive that ends in a backslash, an empty line first (else the tag is read as its rest)
    if (continuedAt(model, at)) prefix += eol;
    changes.push({ span: { start: at, end: at }, newText: prefix + ind + closeTag + eol });
  }
  return changes;
}
