import type { CustomerId, IdentifierKey } from "../domain/identity-types.js";
import type { CustomerDocument } from "./customer-documents.js";

/** A map that forgets its least recently used entries beyond `capacity`. */
export class LeastRecentlyUsed<K, V> {
  readonly #entries = new Map<K, V>();

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.#entries.size;
  }

  get(key: K): V | undefined {
    const value = this.#entries.get(key);
    if (value === undefined) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  has(key: K): boolean {
    return this.#entries.has(key);
  }

  set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    while (this.#entries.size > this.capacity) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.#entries.delete(oldest.value);
    }
  }

  clear(): void {
    this.#entries.clear();
  }
}

export type GraphCacheLimits = { customers: number; identifiers: number; sourceRecords: number };

/**
 * What the graph writer read or wrote lately, so that the next parts find it in memory: customer
 * documents, the owner of each identifier (null: nobody holds it), and the source records known to
 * be stored. It is exact because one instance writes the graph at a time (writer-lease.ts) and it
 * writes through: the cache is updated only once the store has the documents. Bounded: the least
 * recently used entries are read from the store again when needed.
 */
export function createGraphCache(limits: GraphCacheLimits) {
  return {
    customers: new LeastRecentlyUsed<CustomerId, CustomerDocument>(limits.customers),
    owners: new LeastRecentlyUsed<IdentifierKey, CustomerId | null>(limits.identifiers),
    sourceRecords: new LeastRecentlyUsed<string, true>(limits.sourceRecords),
    clear(): void {
      this.customers.clear();
      this.owners.clear();
      this.sourceRecords.clear();
    },
  };
}

export type GraphCache = ReturnType<typeof createGraphCache>;
