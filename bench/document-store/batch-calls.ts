import type { AnyBulkWriteOperation, Collection } from "mongodb";
import type { IdentifierDocument } from "./identifier-documents.js";
import type { LiveDocuments } from "./live-documents.js";
import { batchSize } from "./operations.js";
import { timed } from "./timed.js";

/**
 * The measured calls that name `batchSize` documents, drawn uniformly and distinct: each checks the
 * answer (any other answer fails the run) and returns its wall time in ms.
 */
export function batchCalls(collection: Collection<IdentifierDocument>, live: LiveDocuments) {
  return {
    async findByIdIn(): Promise<number> {
      const ids = live.pickDistinct(batchSize).map((index) => live.at(index)._id);
      const { ms, result } = await timed(() => collection.find({ _id: { $in: ids } }).toArray());
      const found = new Set(result.map((document) => document._id));
      if (result.length !== ids.length || ids.some((id) => !found.has(id)))
        throw new Error(`find({_id: {$in}}) of ${ids.length} ids found ${result.length} other documents`);
      return ms;
    },

    /**
     * A deleteMany, then an insertMany of as many new documents in their place: both measured, so the
     * collection keeps its size.
     */
    async deleteManyThenInsertMany(): Promise<{ deleteMs: number; insertMs: number }> {
      const indexes = live.pickDistinct(batchSize);
      const ids = indexes.map((index) => live.at(index)._id);
      const deleted = await timed(() => collection.deleteMany({ _id: { $in: ids } }));
      if (deleted.result.deletedCount !== ids.length)
        throw new Error(
          `deleteMany({_id: {$in}}) of ${ids.length} ids deleted ${deleted.result.deletedCount}`,
        );
      const added = indexes.map(() => live.fresh());
      const inserted = await timed(() => collection.insertMany(added.map((document) => ({ ...document }))));
      if (inserted.result.insertedCount !== added.length)
        throw new Error(`insertMany of ${added.length} documents inserted ${inserted.result.insertedCount}`);
      indexes.forEach((index, position) => {
        live.replace(index, added[position] as IdentifierDocument);
      });
      return { deleteMs: deleted.ms, insertMs: inserted.ms };
    },

    /** One bulkWrite (ordered, the driver's default) of updates by `_id`, as identity re-points identifiers. */
    async bulkWriteUpdates(): Promise<number> {
      const documents = live.pickDistinct(batchSize).map((index) => live.at(index));
      const customerIds = documents.map(() => live.at(live.pickIndex()).customerId);
      const updates: AnyBulkWriteOperation<IdentifierDocument>[] = documents.map((document, position) => ({
        updateOne: { filter: { _id: document._id }, update: { $set: { customerId: customerIds[position] } } },
      }));
      const { ms, result } = await timed(() => collection.bulkWrite(updates));
      if (result.matchedCount !== documents.length)
        throw new Error(`bulkWrite of ${documents.length} updateOne matched ${result.matchedCount}`);
      documents.forEach((document, position) => {
        document.customerId = customerIds[position] as string;
      });
      return ms;
    },
  };
}
