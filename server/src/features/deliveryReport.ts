/**
 * The configuration's side of the Microsoft delivery report (`pmta-lint report --config`, the VS Code
 * report): what a configuration says about the report's source IPs (the `<virtual-mta>` blocks whose
 * `smtp-source-host` they are, and the pools those belong to), the rules of the pattern lists attached
 * to the Microsoft queue (which the report's engine matches every Microsoft reply against), and, for the
 * replies none of them matches, the rules of the recommended list that do, with the edit that adds them
 * to the configuration's list. Pure: a model in (includes followed), data and edits out.
 */
import type { TextEdit } from 'vscode-languageserver-types';
import type { Model } from '../model';
import type { Block } from '../parser/ast';
import type { PatternRulesEdit, ReportConfigFacts } from '../types';
import type { ConfigRule, ConfigUnmatched, Report, ReportConfig, UnmatchedReplies } from '../accounting/types';
import {
  compilePowerMtaRegex,
  MICROSOFT_PATTERN_ENTRIES,
  patternEntryForReply,
  renderPatternEntry,
  type MicrosoftPatternEntry,
} from '../knowledge/microsoft';
import { microsoftAnalysis, type MemberQueue } from '../microsoft/analysis';
import { attachedLists, replyRules, ruleRegex } from '../microsoft/patternLists';
import { serverReply } from '../accounting/replies';
import { eolOf } from '../util/eol';
import { list, plural } from '../util/phrases';

/** Names in plain text (the report's warnings are not Markdown). */
function names(items: readonly string[], max = 10): string {
  return list(items, max, (x) => x);
}

/** The `smtp-source-host` IPs of a `<virtual-mta>` block (lower-case). */
function sourceIpsOf(b: Block): string[] {
  const out: string[] = [];
  for (const c of b.children)
    if (c.kind === 'directive' && c.name === 'smtp-source-host' && c.args[0]) out.push(c.args[0].text.toLowerCase());
  return out;
}

/** A block that takes new lines: real tags, closed, not inside the blog pseudo-syntax. */
function canTakeLines(b: Block): boolean {
  for (let x: Block | undefined = b; x; x = x.parent) if (x.pseudo) return false;
  return b.close?.kind === 'close-tag';
}

/** The pools each virtual MTA belongs to (lower-case names): `virtual-mta NAME` lines and `<virtual-mta>` blocks inside a pool. */
function poolsByVmta(models: readonly Model[]): Map<string, string[]> {
  const pools = new Map<string, string[]>();
  const add = (vmta: string, pool: string) => {
    const l = pools.get(vmta);
    if (!l) pools.set(vmta, [pool]);
    else if (!l.includes(pool)) l.push(pool);
  };
  for (const m of models) {
    for (const b of m.blocks) {
      if (b.name !== 'virtual-mta-pool' || !b.arg) continue;
      for (const c of b.children) {
        if (c.kind === 'directive' && c.name === 'virtual-mta' && c.args[0]) add(c.args[0].text.toLowerCase(), b.arg);
        else if (c.kind === 'block' && c.name === 'virtual-mta' && c.arg) add(c.arg.toLowerCase(), b.arg);
      }
    }
  }
  return pools;
}

/** What the report needs of a configuration (`model`, with the files it includes). */
export function reportConfigFacts(model: Model): ReportConfigFacts {
  const models = model.allModels();
  const pools = poolsByVmta(models);
  const sourceIps: ReportConfigFacts['sourceIps'] = {};
  const vmtas: ReportConfigFacts['vmtas'] = {};
  for (const m of models) {
    for (const b of m.blocks) {
      if (b.name !== 'virtual-mta' || !b.arg) continue;
      const key = b.arg.toLowerCase();
      if (vmtas[key]) continue; // the first definition counts
      vmtas[key] = { name: b.arg, uri: m.uri, range: m.range(b.argSpan) };
      for (const ip of sourceIpsOf(b)) {
        const s = (sourceIps[ip] ??= { vmtas: [], pools: [] });
        if (!s.vmtas.includes(b.arg)) s.vmtas.push(b.arg);
        for (const p of pools.get(key) ?? []) if (!s.pools.includes(p)) s.pools.push(p);
      }
    }
  }
  const a = microsoftAnalysis(model);
  // each virtual MTA's queue that goes to Microsoft (not to a relay); without Microsoft blocks, the top-level chain
  const members: MemberQueue[] = a.deliveries.flatMap((d) => d.members.filter((m) => !a.relayOf(m)));
  if (!members.length) members.push({ own: [], shared: a.chain(a.queue) });
  const lists: string[] = [];
  const rules: string[] = [];
  const undefinedNames: string[] = [];
  let ruleList: ReportConfigFacts['ruleList'];
  for (const m of members) {
    const att = attachedLists(a, m);
    for (const e of att.lines) {
      const name = e.line.args[0]?.text ?? e.line.value;
      if (!lists.includes(name)) lists.push(name);
    }
    for (const n of att.undefinedNames) if (!undefinedNames.includes(n)) undefinedNames.push(n);
    for (const r of att.regexes) if (!rules.includes(r)) rules.push(r);
    const target = att.defs.find((d) => d.block && canTakeLines(d.block));
    if (!ruleList && target) ruleList = { name: target.name, uri: target.uri };
  }
  const warnings: string[] = [];
  if (!lists.length)
    warnings.push(
      `the ${a.queue} queue has no smtp-pattern-list (none in its block or in <domain *>): no rule handles Microsoft's replies, so every one of them is unmatched`,
    );
  if (undefinedNames.length)
    warnings.push(
      `the pattern list${undefinedNames.length > 1 ? 's' : ''} ${names(undefinedNames)} ${undefinedNames.length > 1 ? 'are' : 'is'} not defined in the configuration: ${undefinedNames.length > 1 ? 'their' : 'its'} rules are unknown`,
    );
  const unreadable = rules.filter((r) => !compilePowerMtaRegex(r));
  if (unreadable.length)
    warnings.push(
      `${plural(unreadable.length, 'rule')} cannot be read as a regular expression here, and count as matching nothing: ${unreadable.map((r) => `/${r}/`).join(', ')}`,
    );
  if (model.hasUnresolvedIncludes)
    warnings.push(
      'some include of the configuration could not be followed: virtual MTAs or pattern lists defined there are not known',
    );
  const out: ReportConfigFacts = { queue: a.queue, patternLists: lists, replyRules: rules, sourceIps, vmtas, warnings };
  if (ruleList) out.ruleList = ruleList;
  return out;
}

/** The first rule of the recommended list that matches a logged reply (PowerMTA applies the first that matches). */
export function recommendedRuleFor(reply: string): MicrosoftPatternEntry | undefined {
  return patternEntryForReply(serverReply(reply));
}

/** `# RP-001: …` and `reply /RP-001/ …`, as the recommended list writes them. */
function ruleLines(e: MicrosoftPatternEntry): { comment: string; reply: string } {
  const [comment, reply] = renderPatternEntry(e, '', '\n').split('\n');
  return { comment, reply };
}

/**
 * The configuration's part of a report: its source IPs as the configuration maps them (in the report's
 * order), and the replies no rule matched (from the report's engine, given the facts' rules) with the
 * recommended rules that match them.
 */
export function reportConfigSection(
  file: string,
  report: Report,
  unmatched: readonly UnmatchedReplies[],
  facts: ReportConfigFacts,
): ReportConfig {
  const warnings = [...facts.warnings];
  const sourceIps = report.microsoft.sourceIps.map((s) => {
    const c = facts.sourceIps[s.ip.toLowerCase()];
    return { ip: s.ip, vmtas: c ? [...c.vmtas] : [], pools: c ? [...c.pools] : [] };
  });
  const unknown = sourceIps.filter((s) => !s.vmtas.length).map((s) => s.ip);
  if (unknown.length)
    warnings.push(
      `${names(unknown)} ${unknown.length > 1 ? 'are' : 'is'} the smtp-source-host of no virtual MTA in the configuration`,
    );
  const rules: Array<ConfigRule & { order: number }> = [];
  const withRules: ConfigUnmatched[] = unmatched.map((u) => {
    const e = recommendedRuleFor(u.example);
    if (!e) return { ...u, rule: null };
    const { comment, reply } = ruleLines(e);
    const r = rules.find((x) => x.reply === reply);
    if (r) r.codes.push(u.code);
    else rules.push({ id: e.codeId, codes: [u.code], reply, comment, order: MICROSOFT_PATTERN_ENTRIES.indexOf(e) });
    return { ...u, rule: reply };
  });
  return {
    file,
    queue: facts.queue,
    patternLists: [...facts.patternLists],
    sourceIps,
    unmatched: withRules,
    rules: rules
      .sort((x, y) => x.order - y.order)
      .map(({ id, codes, reply, comment }) => ({ id, codes, reply, comment })),
    ruleList: facts.ruleList?.name ?? null,
    warnings,
  };
}

/** Indentation of the lines in a block's body: that of its first line, else the open tag's and four spaces. */
function bodyIndent(text: string, b: Block): string {
  const indentAt = (offset: number) => {
    let s = offset;
    while (s > 0 && text[s - 1] !== '\n' && text[s - 1] !== '\r') s--;
    let e = s;
    while (e < text.length && (text[e] === ' ' || text[e] === '\t')) e++;
    return text.slice(s, e);
  };
  for (const c of b.children) {
    if (c === b.open || c === b.close || c.kind === 'blank') continue;
    return indentAt(c.kind === 'block' ? c.open.start : c.start);
  }
  return indentAt(b.open.start) + '    ';
}

/**
 * The edit that adds the recommended rules of `codeIds` (their ids: the `id` of the report's rules) at the end of the pattern
 * list new rules go into, after the rules it has (those keep precedence), each with its comment line;
 * a rule the list already has (the same regex) is left out. Undefined, with the reason, when there is
 * no such list or nothing to add.
 */
export function patternRulesEdit(model: Model, codeIds: readonly string[]): PatternRulesEdit | { error: string } {
  const facts = reportConfigFacts(model);
  const target = facts.ruleList;
  if (!target) {
    return {
      error: facts.patternLists.length
        ? `the pattern list${facts.patternLists.length > 1 ? 's' : ''} ${names(facts.patternLists)} of the ${facts.queue} queue is not defined in a block of the configuration that can take new lines`
        : `the ${facts.queue} queue has no smtp-pattern-list to add the rules to (the quick fix of microsoft-missing-pattern-list adds one)`,
    };
  }
  const m = model.allModels().find((x) => x.uri === target.uri);
  const def = m
    ?.lookup('smtp-pattern-list', target.name)
    .find((d) => d.uri === target.uri && d.block && canTakeLines(d.block));
  if (!m || !def?.block?.close) return { error: `the pattern list ${target.name} could not be found again` };
  const have = new Set(replyRules(def.block).map(ruleRegex));
  const entries = MICROSOFT_PATTERN_ENTRIES.filter((e) => codeIds.includes(e.codeId) && !have.has(e.regex));
  if (!entries.length)
    return {
      error: `the pattern list ${target.name} already has ${codeIds.length === 1 ? 'this rule' : 'these rules'}`,
    };
  const eol = eolOf(m.text);
  const indent = bodyIndent(m.text, def.block);
  const newText = entries.map((e) => renderPatternEntry(e, indent, eol) + eol).join('');
  const at = m.range({ start: def.block.close.start, end: def.block.close.start });
  const edit: TextEdit = { range: at, newText };
  return {
    edit: { changes: { [m.uri]: [edit] } },
    list: target.name,
    uri: m.uri,
    added: entries.map((e) => ruleLines(e).reply),
  };
}
