/**
 * Accounting record types and bounce categories (data only, with small lookups): the words
 * `records`, `record-fields`, `map-header-to-field` and `disable-acct-records` take in an `<acct-file>`
 * or `<domain>`, and the categories a `<bounce-category-patterns>` rule may assign.
 *
 * Sources: the PowerMTA User's Guide (UG section numbers) and real-world configurations (REAL); the
 * bounce categories from the vendor's list as republished (the X-PowerMTA-BounceCategory values).
 */

/** One accounting record type: the letters PowerMTA writes in the `type` field, and the long name it also accepts. */
export interface RecordTypeInfo {
  code: string;
  /** The long name the User's Guide allows in its place (`delivery` for `d`). */
  long: string;
  /** What the records of this type hold, in our words. */
  meaning: string;
}

/**
 * The eight record types, in the User's Guide's order, with the long names it allows in their place
 * (UG 3.3.11.11; the default list is d,b).
 */
export const RECORD_TYPE_INFO: readonly RecordTypeInfo[] = [
  { code: 'd', long: 'delivery', meaning: 'delivered messages' },
  { code: 'b', long: 'bounce', meaning: 'bounces PowerMTA generates itself (synchronous)' },
  { code: 't', long: 'transient', meaning: 'temporary failures of one recipient (a deferral)' },
  { code: 'tq', long: 'transient-queue', meaning: 'temporary failures of a whole queue' },
  { code: 'r', long: 'receipt', meaning: 'messages received for delivery' },
  { code: 'f', long: 'feedback-loop', meaning: 'feedback-loop reports found by the feedback-loop processor' },
  { code: 'rb', long: 'remote-bounce', meaning: 'bounces sent back by remote servers, found by the bounce processor' },
  { code: 'rs', long: 'remote-status', meaning: 'remote status reports, found by the bounce processor' },
];

/** The record type a word names, by its letters or its long name, in any case. */
export function recordType(word: string): RecordTypeInfo | undefined {
  const w = word.toLowerCase();
  return RECORD_TYPE_INFO.find((t) => t.code === w || t.long === w);
}

/** The letters of every record type, for messages. */
export function recordTypeCodes(): string[] {
  return RECORD_TYPE_INFO.map((t) => t.code);
}

/**
 * PowerMTA's bounce categories, in alphabetical order: the vendor's list (republished, e.g. where the
 * X-PowerMTA-BounceCategory header is explained); every public `<bounce-category-patterns>` block uses
 * only these and {@link STATUS_CATEGORIES}, apart from typos (`ploicy-related`) and invented ones
 * (`invalid-mailbox`).
 */
export const BOUNCE_CATEGORIES: readonly string[] = [
  'bad-configuration',
  'bad-connection',
  'bad-domain',
  'bad-mailbox',
  'content-related',
  'inactive-mailbox',
  'invalid-sender',
  'message-expired',
  'no-answer-from-host',
  'other',
  'policy-related',
  'protocol-errors',
  'quota-issues',
  'relaying-issues',
  'routing-errors',
  'spam-related',
  'virus-related',
];

/**
 * Categories that are not bounce categories but that PowerMTA's own sample patterns assign:
 * `/^2.\d+.\d+;/ success` classifies a 2.x.x status (REAL: the stock pattern block that most public
 * configurations copy has this line).
 */
const STATUS_CATEGORIES: readonly string[] = ['success'];

/** Whether a word is a category a `<bounce-category-patterns>` rule may assign (in any case). */
export function isBounceCategory(word: string): boolean {
  const w = word.toLowerCase();
  return BOUNCE_CATEGORIES.includes(w) || STATUS_CATEGORIES.includes(w);
}

/**
 * Categories written by intent rather than by a slip of the keyboard, with the categories meant, most
 * likely first: `invalid-mailbox` is how public configurations name what the vendor calls bad-mailbox
 * ("bad, invalid or non-existent" addresses), or inactive-mailbox when the text is about a disabled
 * account; a bare `spam` or `quota` is the first word of a category.
 */
const CATEGORY_CONFUSIONS: Record<string, readonly string[]> = {
  'invalid-mailbox': ['bad-mailbox', 'inactive-mailbox'],
  'unknown-user': ['bad-mailbox'],
  'mailbox-full': ['quota-issues'],
  'catch-all': ['other'],
};

/** Words of a bounce text that point to one category among those a confusion may mean (the vendor's descriptions). */
const CATEGORY_HINTS: Record<string, RegExp> = {
  'inactive-mailbox': /inactive|disabled|expired|suspended|deactivated|closed/i,
};

/**
 * The categories a word not in the list most likely means, best first: a known confusion (the one whose
 * hint the rule's regex matches first), else the one category the word starts (`spam` → spam-related),
 * else none (the caller tries a spelling distance).
 */
export function intendedCategories(word: string, regex: string): string[] {
  const w = word.toLowerCase();
  const known = CATEGORY_CONFUSIONS[w];
  if (known) {
    const hinted = known.filter((c) => CATEGORY_HINTS[c]?.test(regex));
    return [...hinted, ...known.filter((c) => !hinted.includes(c))];
  }
  const starts = BOUNCE_CATEGORIES.filter((c) => c.startsWith(w + '-'));
  return starts.length === 1 ? starts : [];
}
