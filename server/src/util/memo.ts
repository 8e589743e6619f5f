/**
 * Remembered answers of pure checks (value grammars, Microsoft code lookups): a bounded map that
 * several layers share. Imports nothing.
 */

/** Remembered answers of a pure check: a map that starts again once it holds `max` entries. */
export class Memo<K, V> {
  private map = new Map<K, V>();
  constructor(private readonly max: number) {}
  get(key: K): V | undefined {
    return this.map.get(key);
  }
  set(key: K, value: V): void {
    if (this.map.size >= this.max) this.map.clear();
    this.map.set(key, value);
  }
}

/** Values by a pair of keys: what is made once for each pair of names (a message, a title). */
export class PairMap<A, B, V> {
  private byFirst = new Map<A, Map<B, V>>();
  get(a: A, b: B): V | undefined {
    return this.byFirst.get(a)?.get(b);
  }
  set(a: A, b: B, value: V): void {
    let m = this.byFirst.get(a);
    if (!m) this.byFirst.set(a, (m = new Map()));
    m.set(b, value);
  }
}
