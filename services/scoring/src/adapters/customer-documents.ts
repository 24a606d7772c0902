import type { CustomerFact } from "../domain/customer-facts.js";
import type { ChangeCause, ScoredCustomer } from "../domain/scored-customer.js";

/**
 * One customer, keyed by its customer id: the scored customer as the domain defines it (profile
 * state, scoring, records taken in, changes not known to be published) and the bookkeeping of where
 * its facts are. A merged customer's document stays, as an alias naming the survivor the merge named
 * and the merge, with the customer as it was: late records naming it go to the survivor, and a merge
 * interrupted before the survivor was written is completed from it.
 */
export type CustomerDocument = {
  _id: string;
  customer: ScoredCustomer;
  aliasOf?: string;
  mergedBy?: ChangeCause;
  /** The fact chunks `<_id>#0` … `<_id>#<factChunks - 1>` hold the facts this document took in. */
  factChunks: number;
  /** The chunks of the customers merged into it (directly or through others), as they were counted then. */
  absorbedChunks: { customerId: string; chunks: number }[];
};

/** The facts one customer took in from one part of the log: only ever inserted. */
export type FactChunk = { _id: string; customerId: string; facts: CustomerFact[] };

/** Every customer id scoring knows, and the survivor of a merged one: what a rescoring lists. */
export type CustomerIdDocument = { _id: string; aliasOf?: string };

export function factChunkId(customerId: string, chunk: number): string {
  return `${customerId}#${chunk}`;
}

/** The ids of every fact chunk of a customer: its own and those of the customers merged into it. */
export function factChunkIdsOf(document: CustomerDocument): string[] {
  const ids: string[] = [];
  for (const { customerId, chunks } of [
    { customerId: document._id, chunks: document.factChunks },
    ...document.absorbedChunks,
  ]) {
    for (let chunk = 0; chunk < chunks; chunk += 1) ids.push(factChunkId(customerId, chunk));
  }
  return ids;
}
