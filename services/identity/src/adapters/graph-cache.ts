import { LeastRecentlyUsed } from "@rapport/runtime";
import type { CustomerId, IdentifierKey } from "../domain/identity-types.js";
import type { CustomerDocument } from "./customer-documents.js";

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
