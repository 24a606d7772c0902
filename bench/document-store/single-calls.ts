import { type Collection, MongoServerError } from "mongodb";
import type { IdentifierDocument } from "./identifier-documents.js";
import type { LiveDocuments } from "./live-documents.js";
import { timed } from "./timed.js";

const duplicateKey = 11000;

/**
 * The measured calls that name one document: each draws a document uniformly from those in the
 * collection, checks the answer (any other answer fails the run) and returns its wall time in ms.
 */
export function singleCalls(collection: Collection<IdentifierDocument>, live: LiveDocuments) {
  const pick = () => live.at(live.pickIndex());

  return {
    async findById(): Promise<number> {
      const { _id } = pick();
      const { ms, result } = await timed(() => collection.findOne({ _id }));
      if (result?._id !== _id) throw new Error(`findOne({_id: ${_id}}) answered ${JSON.stringify(result)}`);
      return ms;
    },

    /** As identity re-points an identifier to the customer it was merged into. */
    async updateById(): Promise<number> {
      const document = pick();
      const { customerId } = pick();
      const { ms, result } = await timed(() =>
        collection.updateOne({ _id: document._id }, { $set: { customerId } }),
      );
      if (result.matchedCount !== 1) throw new Error(`updateOne({_id: ${document._id}}) matched nothing`);
      document.customerId = customerId;
      return ms;
    },

    /** As the services store a projection's whole state under its `_id`. */
    async replaceById(): Promise<number> {
      const document = pick();
      const { customerId } = pick();
      const replacement = {
        ...document,
        customerId,
        linkedBy: { ...document.linkedBy, eventId: "evt-replaced" },
      };
      const { ms, result } = await timed(() => collection.replaceOne({ _id: document._id }, replacement));
      if (result.matchedCount !== 1) throw new Error(`replaceOne({_id: ${document._id}}) matched nothing`);
      Object.assign(document, replacement);
      return ms;
    },

    async insertDuplicate(): Promise<number> {
      const document = pick();
      const started = performance.now();
      try {
        await collection.insertOne({ ...document });
      } catch (error) {
        const ms = performance.now() - started;
        if (error instanceof MongoServerError && error.code === duplicateKey) return ms;
        throw error;
      }
      throw new Error(`insertOne of the existing _id ${document._id} was accepted`);
    },

    /** A delete, then the insert of a new document in its place: both measured. */
    async deleteByIdThenInsertNew(): Promise<{ deleteMs: number; insertMs: number }> {
      const index = live.pickIndex();
      const { _id } = live.at(index);
      const deleted = await timed(() => collection.deleteOne({ _id }));
      if (deleted.result.deletedCount !== 1) throw new Error(`deleteOne({_id: ${_id}}) deleted nothing`);
      const added = live.fresh();
      const inserted = await timed(() => collection.insertOne({ ...added }));
      if (inserted.result.insertedId !== added._id)
        throw new Error(`insertOne of ${added._id} answered another id`);
      live.replace(index, added);
      return { deleteMs: deleted.ms, insertMs: inserted.ms };
    },

    async findByCustomer(): Promise<number> {
      const { customerId } = pick();
      const { ms, result } = await timed(() => collection.findOne({ customerId }));
      if (result === null) throw new Error(`findOne({customerId: ${customerId}}) found nothing`);
      return ms;
    },

    /** As identity withdraws a claim; the document is put back afterwards (not measured). */
    async deleteByIdAndCustomer(): Promise<number> {
      const document = pick();
      const { ms, result } = await timed(() =>
        collection.deleteOne({ _id: document._id, customerId: document.customerId }),
      );
      if (result.deletedCount !== 1)
        throw new Error(`deleteOne({_id: ${document._id}, customerId}) deleted nothing`);
      await collection.insertOne({ ...document });
      return ms;
    },
  };
}
