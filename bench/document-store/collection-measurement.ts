import type { Collection, Db } from "mongodb";
import { formatNumber } from "../shared/format.js";
import { coresUsed, cpuSnapshot, type WatchedProcesses } from "../shared/process-cpu.js";
import { type Log, throttled } from "../shared/progress.js";
import { batchCalls } from "./batch-calls.js";
import { type ExplainedPlan, explainedPlan } from "./explained-plan.js";
import { type IdentifierDocument, identifierDocument } from "./identifier-documents.js";
import {
  isUnfinished,
  type LatencyFigures,
  latencyFigures,
  type OperationOutcome,
  type UnfinishedCall,
} from "./latency-figures.js";
import { type LiveDocuments, liveDocuments } from "./live-documents.js";
import {
  batchSize,
  type ExplainedQuery,
  type Operation,
  type OperationKind,
  operationSpec,
} from "./operations.js";
import type { DocumentStoreBenchOptions } from "./options.js";
import { singleCalls } from "./single-calls.js";

export type CollectionResult = {
  /** Documents in the collection while the operations ran (fewer while deleted ones are replaced). */
  size: number;
  fillSeconds: number;
  plans: Record<ExplainedQuery, ExplainedPlan>;
  latency: Record<Operation, OperationOutcome>;
  /** CPU use of the watched processes while the operations ran, in cores. */
  cores: Record<string, number>;
};

export type CollectionMeasurement = {
  db: Db;
  size: number;
  calls: Pick<
    DocumentStoreBenchOptions,
    "operations" | "batchOperations" | "scanOperations" | "timeoutSeconds"
  >;
  watched: WatchedProcesses;
  log: Log;
};

const fillChunk = 1_000;
const warmUpCalls = 5;

/**
 * Fills a fresh collection with `size` identifier documents (customerId indexed), asks the server to
 * explain five finds, then measures each operation, one call in flight, on documents drawn uniformly
 * from those in the collection. Any unexpected answer (a document not found, a duplicate insert
 * accepted, a batch that matched fewer) fails the run.
 */
export async function measureCollection(options: CollectionMeasurement): Promise<CollectionResult> {
  const { size, log } = options;
  const collection = options.db.collection<IdentifierDocument>("identifiers");
  await collection.createIndex({ customerId: 1 }, { name: "identifiers_by_customer" });
  const fillSeconds = await fill(collection, size, log);
  const live = liveDocuments(size);
  const plans = await explainFinds(collection, live);

  const single = singleCalls(collection, live);
  const batch = batchCalls(collection, live);
  for (let call = 0; call < warmUpCalls; call++) await single.findById();
  const measure = measurer(options);

  const cpuBefore = cpuSnapshot(options.watched);
  const findById = await measure("findById", single.findById);
  const updateById = await measure("updateById", single.updateById);
  const replaceById = await measure("replaceById", single.replaceById);
  const insertDuplicate = await measure("insertDuplicate", single.insertDuplicate);
  // Each delete is followed by the insert of a new document (both measured), so the collection keeps
  // its size and later calls still draw from every document in it. The same for the batches below.
  const deleteById = await measure("deleteById", paired(single.deleteByIdThenInsertNew, "insertNew"));
  const insertNew = measure.paired("insertNew");
  const findByCustomer = await measure("findByCustomer", single.findByCustomer);
  const deleteByIdAndCustomer = await measure("deleteByIdAndCustomer", single.deleteByIdAndCustomer);
  const findByIdIn = await measure("findByIdIn", batch.findByIdIn);
  const deleteManyByIdIn = await measure(
    "deleteManyByIdIn",
    paired(batch.deleteManyThenInsertMany, "insertMany"),
  );
  const insertMany = measure.paired("insertMany");
  const bulkWriteUpdates = await measure.unlessWedged("bulkWriteUpdates", batch.bulkWriteUpdates);
  const cores = coresUsed(cpuBefore, cpuSnapshot(options.watched));

  return {
    size,
    fillSeconds,
    plans,
    latency: {
      findById,
      updateById,
      replaceById,
      insertNew,
      insertDuplicate,
      deleteById,
      findByCustomer,
      deleteByIdAndCustomer,
      findByIdIn,
      deleteManyByIdIn,
      insertMany,
      bulkWriteUpdates,
    },
    cores,
  };

  /** A delete timed with the insert that follows it: the delete's ms, the insert's kept for `second`. */
  function paired(
    call: () => Promise<{ deleteMs: number; insertMs: number }>,
    second: Operation,
  ): () => Promise<number> {
    return async () => {
      const { deleteMs, insertMs } = await call();
      measure.record(second, insertMs);
      return deleteMs;
    };
  }
}

/**
 * Calls an operation as many times as its kind asks, one at a time, with progress lines: its median
 * and p90. `record` keeps the samples of an operation timed inside another's call (`paired`).
 */
function measurer({ size, calls, log }: CollectionMeasurement) {
  const callsOf: Record<OperationKind, number> = {
    single: calls.operations,
    scan: calls.scanOperations,
    batch: calls.batchOperations,
  };
  const recorded = new Map<Operation, number[]>();

  const measure = async (operation: Operation, call: () => Promise<number>): Promise<LatencyFigures> => {
    const progress = throttled(log);
    const count = callsOf[operationSpec(operation).kind];
    const samples: number[] = [];
    for (let done = 1; done <= count; done++) {
      samples.push(await call());
      progress(
        `  ${formatNumber(size)} documents: ${operationSpec(operation).name}, ${done} / ${count} calls`,
      );
    }
    const figures = latencyFigures(samples);
    logOutcome(log, size, operation, figures);
    return figures;
  };

  return Object.assign(measure, {
    record(operation: Operation, ms: number): void {
      recorded.set(operation, [...(recorded.get(operation) ?? []), ms]);
    },
    paired(operation: Operation): LatencyFigures {
      const figures = latencyFigures(recorded.get(operation) ?? []);
      logOutcome(log, size, operation, figures);
      return figures;
    },
    /**
     * As measure, but a call that gets no answer within the timeout (the client's socket timeout) is
     * an outcome, not a failure: stock FerretDB 1.24.2 never answers a bulkWrite of 100 or more updates.
     */
    async unlessWedged(operation: Operation, call: () => Promise<number>): Promise<OperationOutcome> {
      let answered = 0;
      const timeoutMs = calls.timeoutSeconds * 1_000;
      try {
        return await measure(operation, async () => {
          const started = performance.now();
          try {
            const ms = await call();
            answered++;
            return ms;
          } catch (error) {
            if (performance.now() - started < timeoutMs * 0.99) throw error;
            throw new Unanswered({ unfinishedAfterSeconds: calls.timeoutSeconds, callsBefore: answered });
          }
        });
      } catch (error) {
        if (!(error instanceof Unanswered)) throw error;
        logOutcome(log, size, operation, error.outcome);
        return error.outcome;
      }
    },
  });
}

class Unanswered extends Error {
  constructor(readonly outcome: UnfinishedCall) {
    super(`no answer within ${outcome.unfinishedAfterSeconds} s`);
  }
}

function logOutcome(log: Log, size: number, operation: Operation, outcome: OperationOutcome): void {
  const { name } = operationSpec(operation);
  if (isUnfinished(outcome)) {
    log(
      `  ${formatNumber(size)} documents: ${name} got no answer within ${outcome.unfinishedAfterSeconds} s ` +
        `(after ${outcome.callsBefore} answered calls)`,
    );
    return;
  }
  log(
    `  ${formatNumber(size)} documents: ${name} median ` +
      `${formatNumber(outcome.medianMs, 1)} ms, p90 ${formatNumber(outcome.p90Ms, 1)} ms`,
  );
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

/** The plans of finds by `_id`, by `_id` `$in` (strings only, and with a number among them) and by customer. */
async function explainFinds(
  collection: Collection<IdentifierDocument>,
  live: LiveDocuments,
): Promise<Record<ExplainedQuery, ExplainedPlan>> {
  const document = live.at(Math.floor(live.size / 2));
  const ids = live.pickDistinct(batchSize).map((index) => live.at(index)._id);
  const explain = async (filter: object) => explainedPlan(await collection.find(filter).explain());
  return {
    byId: await explain({ _id: document._id }),
    byIdIn: await explain({ _id: { $in: ids } }),
    byIdInMixed: await explain({ _id: { $in: [...ids, 42] } }),
    byCustomer: await explain({ customerId: document.customerId }),
    byIdAndCustomer: await explain({ _id: document._id, customerId: document.customerId }),
  };
}
