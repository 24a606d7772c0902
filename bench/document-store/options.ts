import { parseArgs } from "node:util";
import { positiveInteger } from "../shared/positive-integer.js";

export type DocumentStoreBenchOptions = {
  /** Documents in the collection while each operation is measured, ascending. */
  sizes: number[];
  /** Measured calls of each operation at each size. */
  operations: number;
  /** Write the section into docs/benchmarks.md (off: print only). */
  write: boolean;
};

export const documentStoreBenchUsage = `npm run bench -w @rapport/bench -- document-store [options]
  --sizes A,B,C     documents in the collection, one fresh database per size
                    (default 1000,5000,20000)
  --ops N           measured calls of each operation at each size (default 100; at 20,000
                    documents a two-field deleteOne takes about half a second)
  --no-write        print the results only; leave docs/benchmarks.md alone`;

const defaultSizes = [1_000, 5_000, 20_000];
/**
 * Not the 200 first planned: at 20,000 documents a findOne by customerId or a two-field deleteOne
 * takes 0.2–0.8 s on the 2-core benchmark machine, and a default run should stay under five minutes.
 */
const defaultOperations = 100;

/** "1000,5000,20000" → [1000, 5000, 20000]: whole numbers > 0, distinct, in ascending order. */
export function parseSizes(text: string | undefined): number[] {
  if (text === undefined) return [...defaultSizes];
  const sizes = text.split(",").map((part) => positiveInteger("sizes", part.trim(), 0));
  if (new Set(sizes).size !== sizes.length) throw new Error(`--sizes must not repeat a size, got ${text}`);
  return sizes.sort((a, b) => a - b);
}

export function parseDocumentStoreOptions(args: readonly string[]): DocumentStoreBenchOptions {
  const { values } = parseArgs({
    args: [...args],
    options: {
      sizes: { type: "string" },
      ops: { type: "string" },
      "no-write": { type: "boolean" },
    },
    strict: true,
  });
  return {
    sizes: parseSizes(values.sizes),
    operations: positiveInteger("ops", values.ops, defaultOperations),
    write: !values["no-write"],
  };
}
