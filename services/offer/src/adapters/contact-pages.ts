import { chunksOf, idsPerCommand, insertMissing } from "@rapport/mongo";
import type { Collection, Db, Filter, OptionalUnlessRequiredId } from "mongodb";
import type { ContactFact, PresentationFact, ResponseFact } from "../domain/contact-facts.js";
import { openStoreCollections, type StoreLayout } from "./store-buckets.js";

/**
 * One page of a customer's contact history: the facts one unit of work added to it, or the merge
 * that closed it. `_id` is `<customer id>#<page>`; a customer's pages are numbered from 0 with no gap
 * and never change once written.
 */
export type ContactPageDocument = {
  _id: string;
  customerId: string;
  page: number;
  /** The kinds of the page's facts, so that a listing of some kinds is filtered by the store. */
  kinds: ContactFact["kind"][];
  facts: ContactFact[];
  mergedInto?: string;
};

/** A presentation or response, under the customer whose history it was appended to: what learning reads. */
export type PresentationOrResponseDocument = {
  _id: string;
  customerId: string;
  fact: PresentationFact | ResponseFact;
};

/** A merge as learning reads it: `_id` is the merged customer. */
export type MergeDocument = { _id: string; survivor: string };

export const pageIdOf = (customerId: string, page: number) => `${customerId}#${page}`;

/**
 * Where contact histories are kept: the pages (`contact_history_pages`, spread over the layout's
 * buckets by customer id), and learning's copy of the presentations, responses and merges. Every
 * write is an insert keyed by what it records.
 */
export async function openContactPages(db: Db, layout: StoreLayout) {
  const pages = await openStoreCollections<ContactPageDocument>(db, "contact_history_pages", layout);
  const presentationsAndResponses = db.collection<PresentationOrResponseDocument>(
    "presentations_and_responses",
  );
  const merges = db.collection<MergeDocument>("customer_merges");

  const byBucket = <T>(items: readonly T[], customerOf: (item: T) => string) => {
    const grouped = new Map<Collection<ContactPageDocument>, T[]>();
    for (const item of items) {
      const bucket = pages.of(customerOf(item));
      const listed = grouped.get(bucket);
      if (listed === undefined) grouped.set(bucket, [item]);
      else listed.push(item);
    }
    return grouped;
  };

  return {
    /** The stored pages of these ids, each read from its customer's bucket, `idsPerCommand` ids a command, all at once. */
    async read(wanted: readonly { customerId: string; pageId: string }[]) {
      const reads = [...byBucket(wanted, ({ customerId }) => customerId)].flatMap(([bucket, listed]) =>
        chunksOf(
          listed.map(({ pageId }) => pageId),
          idsPerCommand,
        ).map((chunk) => bucket.find({ _id: { $in: chunk } } as Filter<ContactPageDocument>).toArray()),
      );
      return new Map((await Promise.all(reads)).flat().map((page) => [page._id, page]));
    },

    /** Inserts pages into their customers' buckets; answers the customers a page number was taken from. */
    async insert(documents: readonly ContactPageDocument[]): Promise<Set<string>> {
      const taken = new Set<string>();
      await Promise.all(
        [...byBucket(documents, ({ customerId }) => customerId)].flatMap(([bucket, listed]) =>
          chunksOf(listed, idsPerCommand).map(async (chunk) => {
            for (const index of await insertMissing(bucket, chunk))
              taken.add((chunk[index] as ContactPageDocument).customerId);
          }),
        ),
      );
      return taken;
    },

    /**
     * Every page, bucket by bucket, grouped by customer (a customer's pages are in one bucket). With
     * `kinds`, only the pages holding facts of those kinds and the pages that close a history.
     */
    async *byCustomer(
      kinds?: readonly ContactFact["kind"][],
    ): AsyncGenerator<Map<string, ContactPageDocument[]>> {
      const filter = kinds
        ? { $or: [{ kinds: { $in: [...kinds] } }, { mergedInto: { $exists: true } }] }
        : {};
      for (const bucket of pages.all) {
        const grouped = new Map<string, ContactPageDocument[]>();
        for await (const page of bucket.find(filter as Filter<ContactPageDocument>)) {
          const listed = grouped.get(page.customerId);
          if (listed === undefined) grouped.set(page.customerId, [page]);
          else listed.push(page);
        }
        yield grouped;
      }
    },

    /** Records what learning reads of a unit of work; what is recorded already is left as it is. */
    async recordForLearning(recorded: {
      presentationsAndResponses: readonly PresentationOrResponseDocument[];
      merges: readonly MergeDocument[];
    }): Promise<void> {
      await Promise.all([
        insertAll(presentationsAndResponses, recorded.presentationsAndResponses),
        insertAll(merges, recorded.merges),
      ]);
    },

    /** What learning reads: every merge, and every presentation and response. */
    async forLearning(): Promise<{
      merges: MergeDocument[];
      presentationsAndResponses: PresentationOrResponseDocument[];
    }> {
      const [allMerges, all] = await Promise.all([
        merges.find({}).toArray(),
        presentationsAndResponses.find({}).toArray(),
      ]);
      return { merges: allMerges, presentationsAndResponses: all };
    },
  };
}

export type ContactPages = Awaited<ReturnType<typeof openContactPages>>;

/** Inserts the documents not stored yet, `idsPerCommand` a command. */
async function insertAll<T extends { _id: string }>(
  collection: Collection<T>,
  documents: readonly T[],
): Promise<void> {
  for (const chunk of chunksOf(documents, idsPerCommand))
    await insertMissing(collection, chunk as OptionalUnlessRequiredId<T>[]);
}
