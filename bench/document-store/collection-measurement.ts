import type { Collection, Db } from "mongodb";
import { formatNumber } from "../shared/format.js";
import { oneMinuteLoad } from "../shared/machine.js";
import { coresUsed, cpuSnapshot, type WatchedProcesses } from "../shared/process-cpu.js";
import { type Log, throttled } from "../shared/progress.js";
import { batchCalls } from "./batch-calls.js";
import { type ExplainedPlan, explainedPlan } from "./explained-plan.js";
import { type IdentifierDocument, identifierDocument } from "./identifier-documents.js";
import {
  isUnfinished,
  latencyFigures,
  type OperationOutcome,
  type UnfinishedCall,
} from "./latency-figures.js";
import { type LiveDocuments, liveDocuments } from "./live-documents.js";
import { batchSize, type ExplainedQuery, type Operation, operationSpec, operations } from "./operations.js";
import type { DocumentStoreBenchOptions } from "./options.js";
import { singleCalls } from "./single-calls.js";

export type CollectionResult = {
  /** Documents in the collection while the operations ran (fewer while deleted ones are replaced). */
  size: number;
  fillSeconds: number;
  plans: Record<ExplainedQuery, ExplainedPlan>;
  latency: Record<Operation, OperationOutcome>;
};

export type Measurement = {
  /** One per size, in ascending size. */
  collections: CollectionResult[];
  /** CPU use of the watched processes while the operations ran (every size), in cores. */
  cores: Record<string, number>;
  /** The 1-minute load average read before each operation and after the last. */
  load: { min: number; max: number };
};

export type CollectionsMeasurement = {
  /** A fresh database per size, ascending. */
  databases: { size: number; db: Db }[];
  calls: Pick<
    DocumentStoreBenchOptions,
    "operations" | "batchOperations" | "scanOperations" | "timeoutSeconds"
  >;
  watched: WatchedProcesses;
  log: Log;
};

const fillChunk = 1_000;
const warmUpCalls = 5;
/** Stock FerretDB 1.24.2 never answers a bulkWrite of 100 or more updates: that is an outcome, not a failure. */
const mayWedge: Operation = "bulkWriteUpdates";

/** Calls an operation once on one collection and records the ms of every operation it timed. */
type Step = (record: (operation: Operation, ms: number) => void) => Promise<void>;

/** The steps in the order they run; a step that deletes also times the inserts that replace what it deleted. */
function stepsOf(collection: Collection<IdentifierDocument>, live: LiveDocuments): [Operation, Step][] {
  const single = singleCalls(collection, live);
  const batch = batchCalls(collection, live);
  const one =
    (operation: Operation, call: () => Promise<number>): Step =>
    async (record) =>
      record(operation, await call());
  return [
    ["findById", one("findById", single.findById)],
    ["updateById", one("updateById", single.updateById)],
    ["replaceById", one("replaceById", single.replaceById)],
    ["insertDuplicate", one("insertDuplicate", single.insertDuplicate)],
    [
      "deleteById",
      async (record) => {
        const { deleteMs, insertMs } = await single.deleteByIdThenInsertNew();
        record("deleteById", deleteMs);
        record("insertNew", insertMs);
      },
    ],
    ["findByCustomer", one("findByCustomer", single.findByCustomer)],
    ["deleteByIdAndCustomer", one("deleteByIdAndCustomer", single.deleteByIdAndCustomer)],
    ["findByIdIn", one("findByIdIn", batch.findByIdIn)],
    [
      "deleteManyByIdIn",
      async (record) => {
        const { deleteMs, insertMs } = await batch.deleteManyThenInsertMany();
        record("deleteManyByIdIn", deleteMs);
        record("insertMany", insertMs);
      },
    ],
    ["bulkWriteUpdates", one("bulkWriteUpdates", batch.bulkWriteUpdates)],
  ];
}

type Prepared = {
  size: number;
  fillSeconds: number;
  plans: Record<ExplainedQuery, ExplainedPlan>;
  steps: Map<Operation, Step>;
  samples: Map<Operation, number[]>;
  unanswered: Map<Operation, UnfinishedCall>;
};

/**
 * Fills one fresh collection per size with identifier documents (customerId indexed) and asks the
 * server to explain five finds on each; then measures each operation on every size in turn, one call
 * in flight, alternating between the sizes call by call, so that the machine's load (shared, and
 * changing within minutes) weighs on every size alike. Each call draws its documents uniformly from
 * those in the collection; any unexpected answer fails the run.
 */
export async function measureCollections(options: CollectionsMeasurement): Promise<Measurement> {
  const { log, calls } = options;
  const prepared: Prepared[] = [];
  for (const { size, db } of options.databases) prepared.push(await prepare(db, size, log));
  const callsOf = (operation: Operation) => {
    const { kind } = operationSpec(operation);
    if (kind === "scan") return calls.scanOperations;
    return kind === "batch" ? calls.batchOperations : calls.operations;
  };

  const loads: number[] = [];
  const cpuBefore = cpuSnapshot(options.watched);
  const stepOrder = [...(prepared[0]?.steps.keys() ?? [])];
  for (const operation of stepOrder) {
    loads.push(oneMinuteLoad());
    const progress = throttled(log);
    const count = callsOf(operation);
    for (let done = 1; done <= count; done++) {
      for (const collection of prepared) await callOnce(collection, operation, calls.timeoutSeconds);
      progress(`  ${operationSpec(operation).name}: ${done} / ${count} calls at every size`);
    }
    for (const collection of prepared) logOutcomes(log, collection, operation);
  }
  loads.push(oneMinuteLoad());
  const cores = coresUsed(cpuBefore, cpuSnapshot(options.watched));

  return {
    collections: prepared.map((collection) => ({
      size: collection.size,
      fillSeconds: collection.fillSeconds,
      plans: collection.plans,
      latency: Object.fromEntries(
        operations.map((operation) => [operation, outcomeOf(collection, operation)]),
      ) as Record<Operation, OperationOutcome>,
    })),
    cores,
    load: { min: Math.min(...loads), max: Math.max(...loads) },
  };
}

async function prepare(db: Db, size: number, log: Log): Promise<Prepared> {
  log(`${formatNumber(size)} documents in ${db.databaseName}:`);
  const collection = db.collection<IdentifierDocument>("identifiers");
  await collection.createIndex({ customerId: 1 }, { name: "identifiers_by_customer" });
  const fillSeconds = await fill(collection, size, log);
  const live = liveDocuments(size);
  const plans = await explainFinds(collection, live);
  const single = singleCalls(collection, live);
  for (let call = 0; call < warmUpCalls; call++) await single.findById();
  return {
    size,
    fillSeconds,
    plans,
    steps: new Map(stepsOf(collection, live)),
    samples: new Map(),
    unanswered: new Map(),
  };
}

/** One call of the step on the collection, unless it stopped answering that operation earlier. */
async function callOnce(collection: Prepared, operation: Operation, timeoutSeconds: number): Promise<void> {
  const step = collection.steps.get(operation);
  if (step === undefined || collection.unanswered.has(operation)) return;
  const record = (measured: Operation, ms: number) => {
    collection.samples.set(measured, [...(collection.samples.get(measured) ?? []), ms]);
  };
  const started = performance.now();
  try {
    await step(record);
  } catch (error) {
    // The client's socket timeout is the run's timeout: an error that came that late is no answer.
    const timedOut = performance.now() - started >= timeoutSeconds * 1_000 * 0.99;
    if (operation !== mayWedge || !timedOut) throw error;
    collection.unanswered.set(operation, {
      unfinishedAfterSeconds: timeoutSeconds,
      callsBefore: collection.samples.get(operation)?.length ?? 0,
    });
  }
}

function outcomeOf(collection: Prepared, operation: Operation): OperationOutcome {
  return collection.unanswered.get(operation) ?? latencyFigures(collection.samples.get(operation) ?? []);
}

/** The step's operations at this size: "findOne by _id median 1.1 ms, p90 1.6 ms". */
function logOutcomes(log: Log, collection: Prepared, step: Operation): void {
  const timed: Operation[] = [step];
  if (step === "deleteById") timed.push("insertNew");
  if (step === "deleteManyByIdIn") timed.push("insertMany");
  for (const operation of timed) {
    const outcome = outcomeOf(collection, operation);
    const { name } = operationSpec(operation);
    const size = formatNumber(collection.size);
    log(
      isUnfinished(outcome)
        ? `  ${size} documents: ${name} got no answer within ${outcome.unfinishedAfterSeconds} s (after ${outcome.callsBefore} answered calls)`
        : `  ${size} documents: ${name} median ${formatNumber(outcome.medianMs, 1)} ms, p90 ${formatNumber(outcome.p90Ms, 1)} ms`,
    );
  }
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
