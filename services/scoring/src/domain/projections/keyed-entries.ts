import { compareText } from "../customer-facts.js";

/**
 * Entries kept sorted by a text key: the shape incremental projections store (plain arrays, so the
 * stored document is the state itself) and compare (the same entries give the same array, whatever
 * order they were recorded in). Every function returns a new array and leaves its input as it was.
 */

/** Where `key` is, or where it would go. */
export function searchKey<T>(
  entries: readonly T[],
  key: string,
  keyOf: (entry: T) => string,
): { found: boolean; index: number } {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const order = compareText(keyOf(entries[middle] as T), key);
    if (order === 0) return { found: true, index: middle };
    if (order < 0) low = middle + 1;
    else high = middle;
  }
  return { found: false, index: low };
}

/** The entries with the one of `key` replaced by `update(existing)` (removed when it answers undefined). */
export function withEntry<T>(
  entries: readonly T[],
  key: string,
  keyOf: (entry: T) => string,
  update: (existing: T | undefined) => T | undefined,
): T[] {
  const { found, index } = searchKey(entries, key, keyOf);
  const next = update(found ? entries[index] : undefined);
  const copy = [...entries];
  if (found) {
    if (next === undefined) copy.splice(index, 1);
    else copy[index] = next;
  } else if (next !== undefined) copy.splice(index, 0, next);
  return copy;
}

/** The union of two sorted arrays, `combine` joining the entries both have. */
export function mergeEntries<T>(
  a: readonly T[],
  b: readonly T[],
  keyOf: (entry: T) => string,
  combine: (x: T, y: T) => T,
): T[] {
  const merged: T[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i];
    const y = b[j];
    if (y === undefined || (x !== undefined && compareText(keyOf(x), keyOf(y)) < 0)) {
      merged.push(x as T);
      i += 1;
    } else if (x === undefined || compareText(keyOf(x), keyOf(y)) > 0) {
      merged.push(y);
      j += 1;
    } else {
      merged.push(combine(x, y));
      i += 1;
      j += 1;
    }
  }
  return merged;
}

/** A value and how often it occurred; kept sorted by value, never with a count of zero. */
export type Tally = { value: string; count: number };

const tallyValue = (tally: Tally) => tally.value;

export function addToTallies(tallies: readonly Tally[], value: string, delta = 1): Tally[] {
  return withEntry(tallies, value, tallyValue, (existing) => {
    const count = (existing?.count ?? 0) + delta;
    return count === 0 ? undefined : { value, count };
  });
}

export function combineTallies(a: readonly Tally[], b: readonly Tally[]): Tally[] {
  return mergeEntries(a, b, tallyValue, (x, y) => ({ value: x.value, count: x.count + y.count }));
}

/** Inserts `value` into a sorted array of numbers (a new array). */
export function withNumber(values: readonly number[], value: number): number[] {
  const index = firstAtLeast(values, value);
  const copy = [...values];
  copy.splice(index, 0, value);
  return copy;
}

/** The position of the first value at least `bound` in a sorted array (its length when none is). */
export function firstAtLeast(values: readonly number[], bound: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((values[middle] as number) < bound) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Two sorted arrays of numbers as one. */
export function mergeNumbers(a: readonly number[], b: readonly number[]): number[] {
  const merged: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && (a[i] as number) <= (b[j] as number)))
      merged.push(a[i++] as number);
    else merged.push(b[j++] as number);
  }
  return merged;
}
