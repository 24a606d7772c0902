import { LeastRecentlyUsed } from "@rapport/runtime";
import type { CustomerDocument } from "./customer-documents.js";

/**
 * The customer documents the writer read or wrote lately, by customer id, so that the next parts find
 * them in memory. Exact because one instance writes a database at a time (the writer's lease) and it
 * writes through: a document goes in once the store has it, and a failed write empties the cache.
 * Bounded: the least recently used documents are read from the store again when needed.
 */
export type CustomerCache = LeastRecentlyUsed<string, CustomerDocument>;

export const customerCache = (capacity: number): CustomerCache =>
  new LeastRecentlyUsed<string, CustomerDocument>(capacity);
