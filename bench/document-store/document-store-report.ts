import type { RunConditions } from "../shared/run-conditions.js";
import type { Measurement } from "./collection-measurement.js";
import type { DocumentStoreBenchOptions } from "./options.js";
import type { ShapeMeasurement } from "./shape-measurement.js";

/**
 * Everything the section states: the conditions, the server, one result per collection size, and the
 * document shapes compared.
 */
export type DocumentStoreReport = RunConditions &
  Measurement & {
    /** What the server's buildInfo answered, e.g. "FerretDB v1.24.2 (reports MongoDB 7.0.42)". */
    serverVersion: string;
    options: DocumentStoreBenchOptions;
    /** The document shape measurement, unless --no-shapes left it out. */
    shapes?: ShapeMeasurement;
  };
