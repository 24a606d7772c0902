import { parseArgs } from "node:util";
import { positiveInteger } from "../shared/positive-integer.js";
import { batchSize } from "./operations.js";

export type DocumentStoreBenchOptions = {
  /** Documents in the collection while each operation is measured, ascending. */
  sizes: number[];
  /** Measured calls of each operation naming one document by `_id`, and of the inserts, at each size. */
  operations: number;
  /** Measured calls of each batch operation (`batchSize` documents a call) at each size. */
  batchOperations: number;
  /** Measured calls of each operation whose filter reads the whole collection, at each size. */
  scanOperations: number;
  /**
   * The document shape measurement: customers in each shape's collection and measured calls of each
   * operation on each shape; undefined with --no-shapes.
   */
  shapes: { size: number; operations: number } | undefined;
  /** A call that takes longer fails the run; a bulkWrite is reported as not finished instead. */
  timeoutSeconds: number;
  /** Write the section into docs/benchmarks.md (off: print only). */
  write: boolean;
};

export const documentStoreBenchUsage = `npm run bench -w @rapport/bench -- document-store [options]
  --sizes A,B,C     documents in the collection, one fresh database per size
                    (default 1000,10000,100000)
  --ops N           measured calls of each single-document operation at each size (default 100)
  --batch-ops N     measured calls of each operation on ${batchSize} documents at each size (default 20)
  --scan-ops N      measured calls of each operation whose filter is not served by an index
                    (findOne by customerId, deleteOne by _id and customerId) at each size
                    (default 10; at 100,000 documents each call reads the whole collection)
  --shape-size N    customers in each collection of the document shape measurement (nested fields,
                    one JSON text field; default 10000)
  --shape-ops N     measured calls of each operation on ${batchSize} customers on each shape (default 20)
  --no-shapes       leave the document shape measurement out (on a stock FerretDB, which the
                    bulkWrite of updates before it has wedged)
  --timeout S       seconds a call may take (default 120): a slower call fails the run, except the
                    bulkWrite, which is then reported as not finished (stock FerretDB 1.24.2 wedges on it)
  --no-write        print the results only; leave docs/benchmarks.md alone
With MONGODB_URI set, the benchmark measures that server (e.g. a stock FerretDB started by hand, with
--no-write --no-shapes, for comparison), wall time only; otherwise a throwaway FerretDB built with the
project's patch, whose CPU time the shape measurement reads as well.`;

const defaultSizes = [1_000, 10_000, 100_000];
const defaultOperations = 100;
const defaultBatchOperations = 20;
/** Each call of a scan reads every document: about 10 calls keep the largest size to a minute or so. */
const defaultScanOperations = 10;
const defaultTimeoutSeconds = 120;
const defaultShapeSize = 10_000;
const defaultShapeOperations = 20;

/** "1000,10000,100000" → [1000, 10000, 100000]: whole numbers > 0, distinct, in ascending order. */
export function parseSizes(text: string | undefined): number[] {
  if (text === undefined) return [...defaultSizes];
  const sizes = text.split(",").map((part) => positiveInteger("sizes", part.trim(), 0));
  if (new Set(sizes).size !== sizes.length) throw new Error(`--sizes must not repeat a size, got ${text}`);
  const tooSmall = sizes.find((size) => size < batchSize);
  if (tooSmall !== undefined)
    throw new Error(`--sizes must be at least ${batchSize} (the documents of one batch), got ${tooSmall}`);
  return sizes.sort((a, b) => a - b);
}

function parseShapes(sizeText: string | undefined, operationsText: string | undefined) {
  const size = positiveInteger("shape-size", sizeText, defaultShapeSize);
  if (size < batchSize)
    throw new Error(`--shape-size must be at least ${batchSize} (the customers of one batch), got ${size}`);
  return { size, operations: positiveInteger("shape-ops", operationsText, defaultShapeOperations) };
}

export function parseDocumentStoreOptions(args: readonly string[]): DocumentStoreBenchOptions {
  const { values } = parseArgs({
    args: [...args],
    options: {
      sizes: { type: "string" },
      ops: { type: "string" },
      "batch-ops": { type: "string" },
      "scan-ops": { type: "string" },
      "shape-size": { type: "string" },
      "shape-ops": { type: "string" },
      "no-shapes": { type: "boolean" },
      timeout: { type: "string" },
      "no-write": { type: "boolean" },
    },
    strict: true,
  });
  return {
    sizes: parseSizes(values.sizes),
    operations: positiveInteger("ops", values.ops, defaultOperations),
    batchOperations: positiveInteger("batch-ops", values["batch-ops"], defaultBatchOperations),
    scanOperations: positiveInteger("scan-ops", values["scan-ops"], defaultScanOperations),
    shapes: values["no-shapes"] ? undefined : parseShapes(values["shape-size"], values["shape-ops"]),
    timeoutSeconds: positiveInteger("timeout", values.timeout, defaultTimeoutSeconds),
    write: !values["no-write"],
  };
}
