import { type Collection, type Db, MongoServerError } from "mongodb";
import { formatNumber } from "../shared/format.js";
import { coresUsed, cpuSnapshot, type WatchedProcesses } from "../shared/process-cpu.js";
import { type Log, throttled } from "../shared/progress.js";
import { seededRandom } from "../shared/random.js";
import { type ExplainedPlan, explainedPlan } from "./explained-plan.js";
import { type IdentifierDocument, identifierDocument } from "./identifier-documents.js";
import { type LatencyFigures, latencyFigures } from "./latency-figures.js";
import { type ExplainedQuery, type Operation, operationNames } from "./operations.js";

export type CollectionResult = {
  /** Documents in the collection while the operations ran (one fewer while a deleted one is replaced). */
  size: number;
  fillSeconds: number;
  plans: Record<ExplainedQuery, ExplainedPlan>;
  latency: Record<Operation, LatencyFigures>;
  /** CPU use of the watched processes while the operations ran, in cores. */
  cores: Record<string, number>;
};

export type CollectionMeasurement = {
  db: Db;
  size: number;
  /** Measured calls of each operation. */
  calls: number;
  watched: WatchedProcesses;
  log: Log;
};

const fillChunk = 1_000;
const warmUpCalls = 5;
const duplicateKey = 11000;

/**
 * Fills a fresh collection with `size` identifier documents (customerId indexed), asks the server to
 * explain three finds, then measures each operation `calls` times, one call in flight, each on a
 * document drawn uniformly from those in the collection. Any unexpected answer (a document not found,
 * a duplicate insert accepted) fails the run.
 */
export async function measureCollection(options: CollectionMeasurement): Promise<CollectionResult> {
  const { size, log } = options;
  const collection = options.db.collection<IdentifierDocument>("identifiers");
  await collection.createIndex({ customerId: 1 }, { name: "identifiers_by_customer" });
  const fillSeconds = await fill(collection, size, log);
  const plans = await explainFinds(collection, identifierDocument(Math.floor(size / 2)));

  const calls = createCalls(collection, size);
  for (let call = 0; call < warmUpCalls; call++) await calls.findById();
  const measure = measurer(options);

  const cpuBefore = cpuSnapshot(options.watched);
  const findById = await measure("findById", calls.findById);
  const findByCustomer = await measure("findByCustomer", calls.findByCustomer);
  const updateById = await measure("updateById", calls.updateById);
  const insertDuplicate = await measure("insertDuplicate", calls.insertDuplicate);
  // Each delete of an existing document is followed by the insert of a new one (both measured), so
  // the collection keeps its size and the deletes still draw from every document in it.
  const inserts: number[] = [];
  const deleteById = await measure("deleteById", async () => {
    const { deleteMs, insertMs } = await calls.deleteByIdThenInsertNew();
    inserts.push(insertMs);
    return deleteMs;
  });
  const insertNew = latencyFigures(inserts);
  logFigures(log, size, "insertNew", insertNew);
  const deleteByIdAndCustomer = await measure("deleteByIdAndCustomer", calls.deleteByIdAndCustomer);
  const cores = coresUsed(cpuBefore, cpuSnapshot(options.watched));

  return {
    size,
    fillSeconds,
    plans,
    latency: {
      findById,
      findByCustomer,
      updateById,
      insertNew,
      insertDuplicate,
      deleteById,
      deleteByIdAndCustomer,
    },
    cores,
  };
}

/**
 * The measured calls on a collection holding identifierDocument(0 … size-1): each draws a document
 * uniformly (seeded by the size) from those in the collection, checks the answer and returns its
 * wall time in ms.
 */
function createCalls(collection: Collection<IdentifierDocument>, size: number) {
  const live = Array.from({ length: size }, (_, index) => identifierDocument(index));
  const random = seededRandom(size);
  const pickIndex = () => random.int(0, live.length - 1);
  const pick = () => live[pickIndex()] as IdentifierDocument;
  let nextIndex = size;

  return {
    async findById(): Promise<number> {
      const { _id } = pick();
      const { ms, result } = await timed(() => collection.findOne({ _id }));
      if (result === null) throw new Error(`findOne({_id: ${_id}}) found nothing`);
      return ms;
    },

    async findByCustomer(): Promise<number> {
      const { customerId } = pick();
      const { ms, result } = await timed(() => collection.findOne({ customerId }));
      if (result === null) throw new Error(`findOne({customerId: ${customerId}}) found nothing`);
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

    async deleteByIdThenInsertNew(): Promise<{ deleteMs: number; insertMs: number }> {
      const index = pickIndex();
      const { _id } = live[index] as IdentifierDocument;
      const deleted = await timed(() => collection.deleteOne({ _id }));
      if (deleted.result.deletedCount !== 1) throw new Error(`deleteOne({_id: ${_id}}) deleted nothing`);
      const added = identifierDocument(nextIndex++);
      const inserted = await timed(() => collection.insertOne({ ...added }));
      if (inserted.result.insertedId !== added._id)
        throw new Error(`insertOne of ${added._id} answered another id`);
      live[index] = added;
      return { deleteMs: deleted.ms, insertMs: inserted.ms };
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

/** Calls an operation `calls` times, one at a time, with progress lines; its median and p90. */
function measurer({ size, calls, log }: CollectionMeasurement) {
  return async (operation: Operation, call: () => Promise<number>): Promise<LatencyFigures> => {
    const progress = throttled(log);
    const samples: number[] = [];
    for (let done = 1; done <= calls; done++) {
      samples.push(await call());
      progress(`  ${formatNumber(size)} documents: ${operationNames[operation]}, ${done} / ${calls} calls`);
    }
    const figures = latencyFigures(samples);
    logFigures(log, size, operation, figures);
    return figures;
  };
}

function logFigures(log: Log, size: number, operation: Operation, figures: LatencyFigures): void {
  log(
    `  ${formatNumber(size)} documents: ${operationNames[operation]} median ` +
      `${formatNumber(figures.medianMs, 1)} ms, p90 ${formatNumber(figures.p90Ms, 1)} ms`,
  );
}

async function timed<T>(call: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await call();
  return { ms: performance.now() - started, result };
}

/** insertMany in chunks of 1,000 documents; returns the seconds it took. */
async function fill(collection: Collection<IdentifierDocument>, size: number, log: Log): Promise<number> {
  const progress = throttled(log);
  const started = performance.now();
  for (let start = 0; start < size; start += fillChunk) {
    const end = Math.min(size, start + fillChunk);
    await collection.insertMany(
      Array.from({ length: end - start }, (_, offset) => identifierDocument(start + offset)),
    );
    progress(`  filled ${formatNumber(end)} / ${formatNumber(size)} documents`, end === size);
  }
  return (performance.now() - started) / 1000;
}

async function explainFinds(
  collection: Collection<IdentifierDocument>,
  document: IdentifierDocument,
): Promise<Record<ExplainedQuery, ExplainedPlan>> {
  const explain = async (filter: Partial<IdentifierDocument>) =>
    explainedPlan(await collection.find(filter).explain());
  return {
    byId: await explain({ _id: document._id }),
    byCustomer: await explain({ customerId: document.customerId }),
    byIdAndCustomer: await explain({ _id: document._id, customerId: document.customerId }),
  };
}
