/** Binary-search helpers over arrays kept sorted by a string key. */

/** First index whose key is >= `key` (the array's length when none is). */
export function lowerBound<T>(items: readonly T[], key: string, keyOf: (item: T) => string): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keyOf(items[mid]!) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose key is > `key`. */
export function upperBound<T>(items: readonly T[], key: string, keyOf: (item: T) => string): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keyOf(items[mid]!) <= key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Inserts after every item with an equal or smaller key; appending (the usual case) costs no shift. */
export function insertSorted<T>(items: T[], item: T, keyOf: (item: T) => string): void {
  const key = keyOf(item);
  const last = items[items.length - 1];
  if (last === undefined || keyOf(last) <= key) {
    items.push(item);
    return;
  }
  items.splice(upperBound(items, key, keyOf), 0, item);
}

/** Removes the first item for which `match` is true; false when there was none. */
export function removeWhere<T>(items: T[], match: (item: T) => boolean): boolean {
  const index = items.findIndex(match);
  if (index < 0) return false;
  items.splice(index, 1);
  return true;
}
