import type { RunConditions } from "../shared/run-conditions.js";
import type { CollectionResult } from "./collection-measurement.js";
import type { DocumentStoreBenchOptions } from "./options.js";

/** Everything the section states: the conditions, the server, and one result per collection size. */
export type DocumentStoreReport = RunConditions & {
  /** What the server's buildInfo answered, e.g. "FerretDB v1.24.2 (reports MongoDB 7.0.42)". */
  serverVersion: string;
  options: DocumentStoreBenchOptions;
  /** In ascending size; `load` is the 1-minute load average when that size's database was created. */
  collections: { load: number; result: CollectionResult }[];
};
