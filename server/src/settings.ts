/**
 * User settings, shared by the server (workspace configuration `pmta.*`) and the CLI (`--settings FILE`).
 */
import type { Severity } from './findings';
import { TIER_IDS, type TierId } from './knowledge/microsoft';
import { closestNames } from './knowledge/catalog';

type RuleSetting = Severity | 'off';
type VolumeTier = 'auto' | TierId;

export interface Settings {
  /** Per-rule severity or 'off', keyed by rule id. */
  rules?: Record<string, RuleSetting>;
  microsoft?: { volumeTier?: VolumeTier };
  /**
   * resolve: follow `include` directives (default true). workspaceOnly: only read included files inside
   * the workspace folders (the server forces it in an untrusted workspace).
   */
  includes?: { resolve?: boolean; workspaceOnly?: boolean };
  /** Files larger than this are not analysed (one diagnostic, outline and folding only). Default 10240 KB. */
  maxFileSizeKB?: number;
}

export const DEFAULT_SETTINGS: Required<Pick<Settings, 'maxFileSizeKB'>> = { maxFileSizeKB: 10240 };

/**
 * Whether a text is larger than `maxKB` (`maxFileSizeKB`): such a file is not analysed. Counted in UTF-16
 * code units, which is its size in bytes for ASCII, and never more than that.
 */
export function overSizeLimit(text: string, maxKB: number): boolean {
  return text.length > maxKB * 1024;
}

const SEVERITIES = ['error', 'warning', 'information', 'hint', 'off'];
const TIERS: readonly string[] = ['auto', ...TIER_IDS];

/**
 * Check and normalise settings from an untrusted source (JSON file, client). Returns the settings
 * and a list of problems (unknown keys or values), never throws. With `ruleIds` (the rules there are),
 * a severity for a rule that does not exist is a problem too, with a did-you-mean, and is dropped: a
 * misspelled rule id would otherwise change nothing without a word.
 */
export function normalizeSettings(
  raw: unknown,
  ruleIds?: readonly string[],
): { settings: Settings; problems: string[] } {
  const problems: string[] = [];
  const settings: Settings = {};
  if (raw === undefined || raw === null) return { settings, problems };
  if (typeof raw !== 'object' || Array.isArray(raw)) return { settings, problems: ['settings must be a JSON object'] };
  const r = raw as Record<string, unknown>;
  // accept both {"pmta.rules": …} (VS Code settings.json style) and {"rules": …}
  const get = (k: string) => (r[k] !== undefined ? r[k] : r['pmta.' + k]);
  const nested =
    (r['pmta'] && typeof r['pmta'] === 'object' ? (r['pmta'] as Record<string, unknown>) : undefined) ?? {};
  const pick = (k: string) => get(k) ?? nested[k];
  const rules = pick('rules');
  if (rules !== undefined) {
    if (typeof rules !== 'object' || rules === null || Array.isArray(rules))
      problems.push('"rules" must be an object of rule id → severity');
    else {
      settings.rules = {};
      for (const [k, v] of Object.entries(rules as Record<string, unknown>)) {
        if (ruleIds && !ruleIds.includes(k)) problems.push(unknownRule(k, ruleIds));
        else if (typeof v === 'string' && SEVERITIES.includes(v)) settings.rules[k] = v as RuleSetting;
        else problems.push(`rules.${k}: expected one of ${SEVERITIES.join(', ')}`);
      }
    }
  }
  const ms = pick('microsoft') as Record<string, unknown> | undefined;
  const tier = (ms && typeof ms === 'object' ? ms['volumeTier'] : undefined) ?? get('microsoft.volumeTier');
  if (tier !== undefined) {
    if (typeof tier === 'string' && TIERS.includes(tier)) settings.microsoft = { volumeTier: tier as VolumeTier };
    else problems.push(`microsoft.volumeTier: expected one of ${TIERS.join(', ')}`);
  }
  const inc = pick('includes') as Record<string, unknown> | undefined;
  const resolve = (inc && typeof inc === 'object' ? inc['resolve'] : undefined) ?? get('includes.resolve');
  if (resolve !== undefined) {
    if (typeof resolve === 'boolean') settings.includes = { resolve };
    else problems.push('includes.resolve: expected true or false');
  }
  const workspaceOnly =
    (inc && typeof inc === 'object' ? inc['workspaceOnly'] : undefined) ?? get('includes.workspaceOnly');
  if (workspaceOnly !== undefined) {
    if (typeof workspaceOnly === 'boolean') settings.includes = { ...settings.includes, workspaceOnly };
    else problems.push('includes.workspaceOnly: expected true or false');
  }
  const max = pick('maxFileSizeKB');
  if (max !== undefined) {
    if (typeof max === 'number' && max > 0) settings.maxFileSizeKB = max;
    else problems.push('maxFileSizeKB: expected a positive number');
  }
  return { settings, problems };
}

/** The problem of a rule id that no rule has, with the closest ids. */
function unknownRule(id: string, ruleIds: readonly string[]): string {
  const close = closestNames(id, ruleIds);
  const hint = close.length
    ? `; did you mean ${close.map((c) => `"${c}"`).join(' or ')}?`
    : ' (the README and pmta-lint --list-rules list the rules)';
  return `rules.${id}: there is no rule "${id}"${hint}`;
}
