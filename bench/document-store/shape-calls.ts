import type { AnyBulkWriteOperation, Collection } from "mongodb";
import { seededRandom } from "../shared/random.js";
import { customerDocument, revisedCustomer } from "./customer-documents.js";
import { customerOf, type DocumentShape, type StoredCustomer, storedAs } from "./document-shapes.js";
import { batchSize } from "./operations.js";
import type { CallSample } from "./shape-figures.js";

/** Runs one driver call, timing it (and reading the server's CPU before and after it). */
export type Measure = <T>(call: () => Promise<T>) => Promise<{ result: T; sample: CallSample }>;

/**
 * The measured calls on a collection of customers 0 … size-1 stored in one shape. Each names
 * `batchSize` customers, checks the answer (any other answer fails the run) and returns its sample.
 * The draws are seeded by the size alone, so both shapes are called with the same customers.
 */
export function shapeCalls(
  collection: Collection<StoredCustomer>,
  shape: DocumentShape,
  size: number,
  measure: Measure,
) {
  const random = seededRandom(size);
  let nextNew = size;
  let revision = 0;
  const pickDistinct = () => {
    const picked = new Set<number>();
    while (picked.size < batchSize) picked.add(random.int(0, size - 1));
    return [...picked];
  };

  return {
    /** An insertMany of new customers, then an unmeasured deleteMany of them: the collection keeps its size. */
    async insertMany(): Promise<CallSample> {
      const added = Array.from({ length: batchSize }, () => storedAs(shape, customerDocument(nextNew++)));
      const { result, sample } = await measure(() => collection.insertMany(added));
      if (result.insertedCount !== added.length)
        throw new Error(`insertMany of ${added.length} customers inserted ${result.insertedCount}`);
      // Measured, not reported: the server's CPU for it is then not taken for CPU spent between calls.
      const { result: deleted } = await measure(() =>
        collection.deleteMany({ _id: { $in: added.map((customer) => customer._id) } }),
      );
      if (deleted.deletedCount !== added.length)
        throw new Error(`deleteMany of ${added.length} new customers deleted ${deleted.deletedCount}`);
      return sample;
    },

    async findByIdIn(): Promise<CallSample> {
      const ids = pickDistinct().map((index) => customerDocument(index)._id);
      const { result, sample } = await measure(() => collection.find({ _id: { $in: ids } }).toArray());
      const found = new Set(result.map((stored) => customerOf(stored)._id));
      if (result.length !== ids.length || ids.some((id) => !found.has(id)))
        throw new Error(
          `find({_id: {$in}}) of ${ids.length} customers found ${result.length} other documents`,
        );
      return sample;
    },

    /** An ordered bulkWrite of replaceOne by `_id` with upsert, each customer in a new revision. */
    async bulkWriteReplace(): Promise<CallSample> {
      revision += 1;
      const replacements: AnyBulkWriteOperation<StoredCustomer>[] = pickDistinct().map((index) => {
        const replacement = storedAs(shape, revisedCustomer(index, revision));
        return { replaceOne: { filter: { _id: replacement._id }, replacement, upsert: true } };
      });
      const { result, sample } = await measure(() => collection.bulkWrite(replacements));
      if (result.matchedCount !== replacements.length || result.upsertedCount !== 0)
        throw new Error(
          `bulkWrite of ${replacements.length} replaceOne matched ${result.matchedCount}, upserted ${result.upsertedCount}`,
        );
      return sample;
    },
  };
}
