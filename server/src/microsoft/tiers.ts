/**
 * The Microsoft volume tier a configuration is judged by: the `# pmta-lint: microsoft-tier=…` annotation
 * (in any file of the configuration), else the `microsoft.volumeTier` setting, else inferred from the pool
 * the Microsoft traffic goes through; why that tier (for messages), whether the user declared it (only
 * then may a fix that changes throughput be applied without review), and the annotation values that name
 * no tier.
 */
import type { Model } from '../model';
import type { Settings } from '../settings';
import { MICROSOFT_TIERS, TIER_IDS, type MicrosoftTier } from '../knowledge/microsoft';
import type { Delivery, MicrosoftAnalysis } from './analysis';
import { lineNo } from '../model';

export interface TierChoice {
  tier: MicrosoftTier;
  /** Why this tier, for messages: "set by …", "inferred: …", "assumed: …". */
  why: string;
  /** The tier was not chosen by the user (inferred or assumed): it was not declared. */
  assumed: boolean;
  source: 'annotation' | 'setting' | 'inferred' | 'assumed';
}

/** The ids, for asking whether a text names a tier. */
const IDS: readonly string[] = TIER_IDS;

function tierById(id: string): MicrosoftTier | undefined {
  return MICROSOFT_TIERS.find((t) => t.id === id);
}

/** Smallest pool the guide pairs with its 500k+ tier ("pool of 6-10 IPs"). */
const LARGE_POOL = 6;

/**
 * The tier annotation of the configuration: the first file (the configuration's own file first, then the
 * files it includes) whose annotation names a tier; else whether some file says `auto`.
 */
function tierAnnotation(a: MicrosoftAnalysis): { model: Model; value: string; start: number } | 'auto' | undefined {
  let auto = false;
  for (const m of a.model.allModels()) {
    const ann = m.annotations.settings.get('microsoft-tier');
    if (!ann) continue;
    const v = ann.value.toLowerCase();
    if (IDS.includes(v)) return { model: m, value: ann.value, start: ann.span.start };
    if (v === 'auto') auto = true;
  }
  return auto ? 'auto' : undefined;
}

/**
 * The volume tier: the annotation, else the `microsoft.volumeTier` setting, else inferred from the
 * size of the pool the Microsoft traffic goes through (6 or more virtual MTAs: 500k-plus, the guide's
 * pool for that tier; otherwise the volume cannot be told from the file and the most conservative tier
 * is used). `d`: the delivery judged (undefined: the queue's top-level route).
 */
export function chooseTier(a: MicrosoftAnalysis, d: Delivery | undefined, settings: Settings): TierChoice {
  const ann = tierAnnotation(a);
  if (ann && ann !== 'auto') {
    const file = ann.model === a.model ? '' : ` of ${ann.model.uri.slice(ann.model.uri.lastIndexOf('/') + 1)}`;
    return {
      tier: tierById(ann.value.toLowerCase())!,
      why: `tier set by "# pmta-lint: microsoft-tier=${ann.value}" on line ${lineNo(ann.model, ann.start)}${file}`,
      assumed: false,
      source: 'annotation',
    };
  }
  const sv = settings.microsoft?.volumeTier;
  if (ann !== 'auto' && sv && sv !== 'auto' && tierById(sv)) {
    return {
      tier: tierById(sv)!,
      why: 'tier set by the microsoft.volumeTier setting',
      assumed: false,
      source: 'setting',
    };
  }
  const conservative = MICROSOFT_TIERS[0];
  const route = d ? d.route : a.routeOf(undefined);
  if (!route) {
    return {
      tier: conservative,
      why: 'tier assumed: no pool found for Microsoft mail, so the most conservative tier applies',
      assumed: true,
      source: 'assumed',
    };
  }
  const n = route.members.length;
  if (route.kind === 'pool' && n >= LARGE_POOL) {
    const top = MICROSOFT_TIERS[MICROSOFT_TIERS.length - 1];
    return {
      tier: top,
      why: `tier inferred from pool ${route.name}: ${n} virtual MTAs, the pool size common advice gives for 500,000+ messages a day`,
      assumed: true,
      source: 'inferred',
    };
  }
  const what =
    route.kind === 'pool'
      ? `pool ${route.name} has ${n} virtual MTA${n === 1 ? '' : 's'}`
      : `Microsoft mail goes through the single virtual MTA ${route.name}`;
  return {
    tier: conservative,
    why: `tier assumed: ${what}, too few to tell the volume, so the most conservative tier applies`,
    assumed: true,
    source: 'assumed',
  };
}

/** The tier hint appended to messages when the tier was not declared. */
export function tierHint(t: TierChoice): string {
  return t.assumed
    ? ' Declare the volume with "# pmta-lint: microsoft-tier=100k-500k" (or under-100k, 500k-plus); until then this is information only, and neither --fix nor "fix all" changes the value.'
    : '';
}
