/**
 * Small pieces of English that messages, hovers and outlines share: a count with its noun, a
 * shortened list of names. Imports nothing.
 */

/** A count and its noun, singular for one: "1 rule", "3 rules", "2 virtual MTAs" (`many` when the plural is not `one` + "s"). */
export function plural(n: number, one: string, many = one + 's'): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** An item in Markdown code quotes. */
function inCode(item: string): string {
  return '`' + item + '`';
}

/**
 * The first `max` items, each as `show` writes it (in code quotes by default), joined by commas, and
 * how many more there are: "`a`, `b`, … (3 more)".
 */
export function list(items: readonly string[], max = 20, show: (item: string) => string = inCode): string {
  const shown = items.slice(0, max).map((x) => show(x));
  return shown.join(', ') + (items.length > max ? `, … (${items.length - max} more)` : '');
}
