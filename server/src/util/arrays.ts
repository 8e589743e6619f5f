/** Array helpers. */

/**
 * Append `items` to `target` and return it. `target.push(...items)` passes every item as an argument:
 * with more than about 120,000 of them (the definitions of a 5 MB configuration) V8 throws "Maximum
 * call stack size exceeded".
 */
export function pushAll<T>(target: T[], items: readonly T[]): T[] {
  for (let i = 0; i < items.length; i++) target.push(items[i]);
  return target;
}
