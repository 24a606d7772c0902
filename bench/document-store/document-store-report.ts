import type { RunConditions } from "../shared/run-conditions.js";
import type { Measurement } from "./collection-measurement.js";
import type { DocumentStoreBenchOptions } from "./options.js";

/** Everything the section states: the conditions, the server, and one result per collection size. */
export type DocumentStoreReport = RunConditions &
  Measurement & {
    /** What the server's buildInfo answered, e.g. "FerretDB v1.24.2 (reports MongoDB 7.0.42)". */
    serverVersion: string;
    options: DocumentStoreBenchOptions;
  };
