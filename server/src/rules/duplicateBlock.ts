/**
 * `duplicate-block` (warning): the same block twice at one level (e.g. `<domain hotmail.com>`
 * twice globally). PowerMTA merges or rejects them; either way the second is easy to miss.
 */
import type { Block, Node } from '../parser/ast';
import { isPlaceholder, WHITE_SPACE } from '../knowledge/values';
import { lineNo } from '../model';
import type { Rule, RuleContext } from './types';
import { forEachLevel } from './util';

/** Blocks whose argument names one thing; two with the same argument at one level are duplicates. */
const NAMED = new Set([
  'domain',
  'virtual-mta',
  'virtual-mta-pool',
  'smtp-pattern-list',
  'pattern-list',
  'source',
  'smtp-user',
  'acct-file',
  'spool',
  'source-group',
  'rewrite-list',
  'domain-key-list',
  'mx-rollup-list',
  'bounce-category-patterns',
  'smtp-listener',
  'proxy',
]);

export const duplicateBlockRule: Rule = {
  id: 'duplicate-block',
  defaultSeverity: 'warning',
  description: 'The same block (same tag and argument) twice at one level.',
  check(ctx) {
    const { model } = ctx;
    const seen = new LevelSeen();
    forEachLevel(model, (nodes) => scan(ctx, nodes, seen));
  },
};

/**
 * The named blocks seen so far at one level, by tag name and lower-case argument. Most levels hold a
 * few (a virtual MTA's `<domain>` blocks): those are looked up in two reused arrays, which allocates
 * nothing; a level with many (the top level's thousands of `<domain>` blocks) gets a map.
 */
class LevelSeen {
  private names: string[] = [];
  private args: string[] = [];
  private blocks: Block[] = [];
  private n = 0;
  private map?: Map<string, Map<string, Block>>;

  clear(): void {
    this.n = 0;
    this.map = undefined;
  }

  /** The first block with this name and argument at this level, after recording `b` when it is the first. */
  firstOf(name: string, arg: string, b: Block): Block | undefined {
    if (this.map) return this.fromMap(name, arg, b);
    for (let i = 0; i < this.n; i++) if (this.args[i] === arg && this.names[i] === name) return this.blocks[i];
    if (this.n < 16) {
      this.names[this.n] = name;
      this.args[this.n] = arg;
      this.blocks[this.n++] = b;
      return undefined;
    }
    this.map = new Map();
    for (let i = 0; i < this.n; i++) this.fromMap(this.names[i], this.args[i], this.blocks[i]);
    return this.fromMap(name, arg, b);
  }

  private fromMap(name: string, arg: string, b: Block): Block | undefined {
    let byArg = this.map!.get(name);
    if (!byArg) this.map!.set(name, (byArg = new Map()));
    const first = byArg.get(arg);
    if (!first) byArg.set(arg, b);
    return first;
  }
}

/** (Made once: a regular expression literal in a function makes a new object on every call.) */
const SPACES = /\s+/g;

function scan(ctx: RuleContext, nodes: readonly Node[], seen: LevelSeen): void {
  seen.clear();
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    if (n.kind !== 'block' || !NAMED.has(n.name) || isPlaceholder(n.arg)) continue;
    const lower = n.arg.toLowerCase();
    const first = seen.firstOf(n.name, WHITE_SPACE.test(lower) ? lower.replace(SPACES, ' ') : lower, n);
    if (!first) continue;
    const firstLine = lineNo(ctx.model, first.open.start);
    const label = `<${n.name}${n.arg ? ' ' + n.arg : ''}>`;
    ctx.report({
      span: n.open.kind === 'open-tag' ? n.open.tagSpan : n.argSpan,
      message: `${label} is already defined at line ${firstLine}; merge the two blocks`,
      related: [
        { span: first.open.kind === 'open-tag' ? first.open.tagSpan : first.argSpan, message: `first ${label}` },
      ],
    });
  }
}
