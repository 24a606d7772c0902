import type { Collection, Document, Filter, FindCursor, WithId } from "mongodb";

type StringIdDocument = Document & { _id: string };

/**
 * The order MongoDB and FerretDB sort string `_id`s in: by UTF-8 bytes, that is by code point.
 * JavaScript's `<` compares UTF-16 code units, which puts characters beyond U+FFFF before U+E000–U+FFFF.
 */
export function compareIds(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

type Head<T> = { document: WithId<T>; id: Buffer; cursor: FindCursor<WithId<T>> };

/**
 * The first `limit` documents whose `_id` comes after `afterId` ("" for the first page), in `_id`
 * order over all the collections (the buckets of one kind): each collection answers in `_id` order
 * and the answers are merged here, each read only as far as the page reaches. Passing the last `_id`
 * of a page as `afterId` gives the next page.
 */
export async function pageInIdOrder<T extends StringIdDocument>(
  collections: readonly Collection<T>[],
  afterId: string,
  limit: number,
): Promise<WithId<T>[]> {
  const filter = (afterId === "" ? {} : { _id: { $gt: afterId } }) as Filter<T>;
  // About twice a bucket's share of the page in the first batch: rarely a second round trip.
  const batchSize = Math.min(limit, Math.ceil((2 * limit) / collections.length) + 8);
  const cursors = collections.map((collection) =>
    collection.find(filter).sort({ _id: 1 }).limit(limit).batchSize(batchSize),
  );
  try {
    const heads: Head<T>[] = [];
    const advance = async (cursor: FindCursor<WithId<T>>) => {
      const document = await cursor.next();
      if (document === null) return;
      const head = { document, id: Buffer.from(document._id, "utf8"), cursor };
      // Kept sorted, smallest first: insert after every head not greater than this one.
      let low = 0;
      let high = heads.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (Buffer.compare((heads[middle] as Head<T>).id, head.id) <= 0) low = middle + 1;
        else high = middle;
      }
      heads.splice(low, 0, head);
    };
    await Promise.all(cursors.map(advance));
    const page: WithId<T>[] = [];
    while (page.length < limit) {
      const smallest = heads.shift();
      if (smallest === undefined) break;
      page.push(smallest.document);
      await advance(smallest.cursor);
    }
    return page;
  } finally {
    await Promise.all(cursors.map((cursor) => cursor.close()));
  }
}
