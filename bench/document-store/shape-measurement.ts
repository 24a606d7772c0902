import type { Collection, Db } from "mongodb";
import { formatNumber } from "../shared/format.js";
import { oneMinuteLoad } from "../shared/machine.js";
import { processCpuSeconds } from "../shared/process-cpu.js";
import { type Log, throttled } from "../shared/progress.js";
import { customerDocument } from "./customer-documents.js";
import {
  type CustomerSizes,
  customerSizes,
  type DocumentShape,
  documentShapes,
  type StoredCustomer,
  shapeLabels,
  shapeOrder,
  storedAs,
} from "./document-shapes.js";
import { batchSize } from "./operations.js";
import { type Measure, shapeCalls } from "./shape-calls.js";
import { type CallSample, type ShapeFigures, shapeFigures } from "./shape-figures.js";

/** The operations measured on each shape, in the order they run. */
export const shapeOperations = ["insertMany", "findByIdIn", "bulkWriteReplace"] as const;
export type ShapeOperation = (typeof shapeOperations)[number];

export type ShapeMeasurement = {
  /** Customers in each shape's collection while the operations ran. */
  size: number;
  /** The customers filled, on average: bytes as JSON and as BSON in each shape, values in each shape. */
  customer: CustomerSizes;
  /** Seconds each shape's collection took to fill (insertMany of 1,000, the shapes in turn). */
  fillSeconds: Record<DocumentShape, number>;
  figures: Record<DocumentShape, Record<ShapeOperation, ShapeFigures>>;
  /** Whether FerretDB's CPU was read: only for a FerretDB the benchmark started (its pid is known). */
  cpuRead: boolean;
  /**
   * FerretDB's CPU time while the operations ran, in ms: within the calls (every call, the unreported
   * clean-up deletes included) and between them (work left over from a call, counted with no shape).
   */
  cpuMs?: { inCalls: number; betweenCalls: number };
  /** The 1-minute load average read before each operation and after the last. */
  load: { min: number; max: number };
};

export type ShapesMeasurement = {
  /** A fresh database per shape. */
  databases: Record<DocumentShape, Db>;
  /** Customers filled into each shape's collection. */
  size: number;
  /** Measured calls of each operation on each shape. */
  calls: number;
  /** FerretDB's process, when the benchmark started it: its CPU time is then read around every call. */
  ferretdbPid: number | undefined;
  log: Log;
};

const fillChunk = 1_000;
const warmUpCalls = 2;

/**
 * Fills one collection per shape with the same customers, then calls each operation on both shapes
 * in turn, one call in flight, alternating between the shapes call by call (and which goes first), so
 * that the machine's changing load weighs on both alike. Each call names the same customers on both
 * shapes; FerretDB's CPU time is read from /proc before and after every call.
 */
export async function measureShapes(options: ShapesMeasurement): Promise<ShapeMeasurement> {
  const { size, log, ferretdbPid } = options;
  let cpuInCallsMs = 0;
  const readCpuMs = (): number | undefined => {
    if (ferretdbPid === undefined) return undefined;
    const seconds = processCpuSeconds(ferretdbPid);
    if (seconds === undefined) throw new Error(`FerretDB (pid ${ferretdbPid}) is no longer running`);
    return seconds * 1_000;
  };
  const measure: Measure = async (call) => {
    const cpuBefore = readCpuMs();
    const started = performance.now();
    const result = await call();
    const ms = performance.now() - started;
    const cpuAfter = readCpuMs();
    if (cpuBefore === undefined || cpuAfter === undefined) return { result, sample: { ms } };
    cpuInCallsMs += cpuAfter - cpuBefore;
    return { result, sample: { ms, cpuMs: cpuAfter - cpuBefore } };
  };

  const collections = Object.fromEntries(
    documentShapes.map((shape) => [shape, options.databases[shape].collection<StoredCustomer>("customers")]),
  ) as Record<DocumentShape, Collection<StoredCustomer>>;
  log(`Document shapes: ${formatNumber(size)} customers in each of ${documentShapes.length} databases`);
  const fillSeconds = await fill(collections, size, log);
  const calls = Object.fromEntries(
    documentShapes.map((shape) => [shape, shapeCalls(collections[shape], shape, size, measure)]),
  ) as Record<DocumentShape, ReturnType<typeof shapeCalls>>;
  for (let call = 0; call < warmUpCalls; call++)
    for (const shape of shapeOrder(call)) await calls[shape].findByIdIn();

  const samples = new Map<string, CallSample[]>();
  const key = (shape: DocumentShape, operation: ShapeOperation) => `${shape} ${operation}`;
  const loads: number[] = [];
  cpuInCallsMs = 0;
  const cpuBefore = readCpuMs();
  for (const operation of shapeOperations) {
    loads.push(oneMinuteLoad());
    const progress = throttled(log);
    for (let call = 0; call < options.calls; call++) {
      for (const shape of shapeOrder(call)) {
        const sample = await calls[shape][operation]();
        samples.set(key(shape, operation), [...(samples.get(key(shape, operation)) ?? []), sample]);
      }
      progress(`  ${operationNames[operation]}: ${call + 1} / ${options.calls} calls on each shape`);
    }
    for (const shape of documentShapes) {
      const figures = shapeFigures(samples.get(key(shape, operation)) ?? [], batchSize);
      log(`  ${shapeLabels[shape]}: ${operationNames[operation]} ${describe(figures)}`);
    }
  }
  loads.push(oneMinuteLoad());
  const cpuAfter = readCpuMs();

  return {
    size,
    customer: customerSizes(Array.from({ length: size }, (_, index) => customerDocument(index))),
    fillSeconds,
    figures: Object.fromEntries(
      documentShapes.map((shape) => [
        shape,
        Object.fromEntries(
          shapeOperations.map((operation) => [
            operation,
            shapeFigures(samples.get(key(shape, operation)) ?? [], batchSize),
          ]),
        ),
      ]),
    ) as ShapeMeasurement["figures"],
    cpuRead: cpuBefore !== undefined,
    ...(cpuBefore === undefined || cpuAfter === undefined
      ? {}
      : { cpuMs: { inCalls: cpuInCallsMs, betweenCalls: cpuAfter - cpuBefore - cpuInCallsMs } }),
    load: { min: Math.min(...loads), max: Math.max(...loads) },
  };
}

const operationNames: Record<ShapeOperation, string> = {
  insertMany: `insertMany of ${batchSize}`,
  findByIdIn: `find by _id $in of ${batchSize}`,
  bulkWriteReplace: `bulkWrite of ${batchSize} replaceOne by _id (upsert)`,
};

/** "median 0.21 ms a document, FerretDB CPU 0.13 ms a document" */
function describe(figures: ShapeFigures): string {
  const ms = (value: number) => formatNumber(value, 3);
  const cpu =
    figures.cpuMsPerDocument === undefined
      ? ""
      : `, FerretDB CPU ${ms(figures.cpuMsPerDocument)} ms a document`;
  return `median ${ms(figures.medianMsPerDocument)} ms a document${cpu}`;
}

/** insertMany in chunks of 1,000, the shapes in turn chunk by chunk; the seconds each shape took. */
async function fill(
  collections: Record<DocumentShape, Collection<StoredCustomer>>,
  size: number,
  log: Log,
): Promise<Record<DocumentShape, number>> {
  const progress = throttled(log);
  const seconds: Record<DocumentShape, number> = { nested: 0, jsonText: 0 };
  for (let start = 0, chunk = 0; start < size; start += fillChunk, chunk++) {
    const end = Math.min(size, start + fillChunk);
    const customers = Array.from({ length: end - start }, (_, offset) => customerDocument(start + offset));
    for (const shape of shapeOrder(chunk)) {
      const stored = customers.map((customer) => storedAs(shape, customer));
      const started = performance.now();
      await collections[shape].insertMany(stored);
      seconds[shape] += (performance.now() - started) / 1_000;
    }
    progress(`  filled ${formatNumber(end)} / ${formatNumber(size)} customers in each shape`, end === size);
  }
  return seconds;
}
