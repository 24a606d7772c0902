import { insertMissing, openBucketedCollections } from "@rapport/mongo";
import type { Db } from "mongodb";
import type { ContactFact } from "../domain/contact-facts.js";

/** One contact fact of one customer; `_id` is the customer id and the fact's event id. */
type ContactFactDocument = { _id: string; customerId: string; fact: ContactFact };

/** How the store spreads customers over collections (see openBucketedCollections). */
export type StoreLayout = { buckets: number };

/**
 * Every customer's contact facts, in `layout.buckets` collections chosen by the customer id. Facts
 * are only inserted, keyed by their event, so a redelivered event adds nothing. When customers
 * merge, the merged customers' facts are copied to the survivor, so a survivor's facts are always
 * in its own bucket and counted once.
 */
export async function createContactStore(db: Db, layout: StoreLayout) {
  const buckets = await openBucketedCollections<ContactFactDocument>(db, "contact_facts", layout.buckets);

  async function factsOf(customerId: string): Promise<ContactFact[]> {
    const documents = await buckets.of(customerId).find({ customerId }).toArray();
    return documents.map((document) => document.fact);
  }

  async function add(customerId: string, facts: readonly ContactFact[]): Promise<void> {
    await insertMissing(
      buckets.of(customerId),
      facts.map((fact) => ({ _id: `${customerId}/${fact.eventId}`, customerId, fact })),
    );
  }

  return {
    async ensureIndexes(): Promise<void> {
      for (const collection of buckets.all)
        await collection.createIndex({ customerId: 1 }, { name: "customerId" });
    },

    factsOf,
    add,

    /**
     * Moves the merged customers' facts to the survivor: copied first, then removed, so a merge
     * handled again after a crash finishes without doubling anything.
     */
    async merge(survivor: string, merged: readonly string[]): Promise<void> {
      for (const mergedId of merged) {
        if (mergedId === survivor) continue;
        await add(survivor, await factsOf(mergedId));
        await buckets.of(mergedId).deleteMany({ customerId: mergedId });
      }
    },

    /** Every customer's facts, bucket by bucket; `kinds` narrows the facts read. */
    async *all(kinds?: readonly ContactFact["kind"][]): AsyncGenerator<[string, ContactFact[]]> {
      const filter = kinds ? { "fact.kind": { $in: [...kinds] } } : {};
      for (const collection of buckets.all) {
        const byCustomer = new Map<string, ContactFact[]>();
        for await (const document of collection.find(filter)) {
          const facts = byCustomer.get(document.customerId) ?? [];
          facts.push(document.fact);
          byCustomer.set(document.customerId, facts);
        }
        yield* byCustomer;
      }
    },
  };
}

export type ContactStore = Awaited<ReturnType<typeof createContactStore>>;
