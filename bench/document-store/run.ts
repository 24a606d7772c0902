import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { uniqueName } from "@rapport/testing";
import { type Db, MongoClient } from "mongodb";
import { acquireInfra, type BenchInfra } from "../shared/bench-infra.js";
import { writeBenchmarkSection } from "../shared/benchmarks-doc.js";
import { loadAverage, type MachineFacts, machineFacts } from "../shared/machine.js";
import { type Log, logToStderr } from "../shared/progress.js";
import { type Measurement, measureCollections } from "./collection-measurement.js";
import { type DocumentShape, documentShapes } from "./document-shapes.js";
import type { DocumentStoreReport } from "./document-store-report.js";
import { parseDocumentStoreOptions } from "./options.js";
import { documentStoreSection, resultTables } from "./report.js";
import { serverVersion } from "./server-version.js";
import { measureShapes, type ShapeMeasurement } from "./shape-measurement.js";

/** The code this benchmark runs: uncommitted changes there are noted next to the commit. */
const measuredCode = ["bench/document-store", "bench/shared", "infra/src"];
export const documentStoreSectionName = "document-store";

/**
 * machineFacts notes tracked files changed since the commit, not new ones: a benchmark whose code is
 * not committed yet is noted here, or the commit would claim to hold code it does not.
 */
function withNewCodeNoted(facts: MachineFacts): MachineFacts {
  const note = " (with uncommitted changes)";
  if (facts.commit === "unknown" || facts.commit.endsWith(note)) return facts;
  try {
    const root = fileURLToPath(new URL("../..", import.meta.url));
    const untracked = execFileSync(
      "git",
      ["-C", root, "status", "--porcelain", "--untracked-files=all", "--", ...measuredCode],
      { encoding: "utf8" },
    );
    return untracked.trim() === "" ? facts : { ...facts, commit: `${facts.commit}${note}` };
  } catch {
    return facts;
  }
}

type DocumentServer = Pick<BenchInfra, "description" | "processes" | "stop"> & { mongodbUri: string };

/**
 * The server named by MONGODB_URI when it is set (no broker is needed), otherwise the throwaway
 * servers of acquireInfra, of which only FerretDB is used.
 */
async function acquireDocumentServer(log: Log): Promise<DocumentServer> {
  const mongodbUri = process.env.MONGODB_URI;
  if (mongodbUri) {
    log(`Using MONGODB_URI=${mongodbUri}`);
    return {
      mongodbUri,
      description: "the running server named by MONGODB_URI",
      processes: {},
      stop: async () => undefined,
    };
  }
  const infra = await acquireInfra(log);
  return {
    ...infra,
    description: `${infra.description} (only FerretDB is used)`,
    mongodbUri: infra.endpoints.mongodbUri,
  };
}

/** Runs the document store benchmark, prints the figures and writes them to docs/benchmarks.md. */
export async function runDocumentStoreBenchmark(args: readonly string[]): Promise<void> {
  const options = parseDocumentStoreOptions(args);
  const log = logToStderr;
  const startedAt = new Date();
  const loadBefore = loadAverage();
  log(`Document store benchmark: load average ${loadBefore} on ${machineFacts(measuredCode).cores} cores`);
  const server = await acquireDocumentServer(log);
  // The socket timeout bounds every call: a wedged server fails the run (or ends the bulkWrite's
  // measurement) instead of hanging it.
  const client = new MongoClient(server.mongodbUri, {
    serverSelectionTimeoutMS: 10_000,
    socketTimeoutMS: options.timeoutSeconds * 1_000,
  });
  const databases = options.sizes.map((size) => ({
    size,
    db: client.db(uniqueName("bench-document-store")),
  }));
  const shapeDatabases = Object.fromEntries(
    documentShapes.map((shape) => [shape, client.db(uniqueName(`bench-document-shape-${shape}`))]),
  ) as Record<DocumentShape, Db>;
  let measurement: Measurement | undefined;
  let shapes: ShapeMeasurement | undefined;
  let version = "unknown";
  let loadAfter = "";
  try {
    version = await serverVersion(client.db("admin"));
    log(`Server: ${version}`);
    measurement = await measureCollections({
      databases,
      calls: options,
      watched: { ...server.processes, bench: process.pid },
      log,
    });
    if (options.shapes) {
      shapes = await measureShapes({
        databases: shapeDatabases,
        size: options.shapes.size,
        calls: options.shapes.operations,
        // Known only for a FerretDB this benchmark started: with MONGODB_URI set, wall time only.
        ferretdbPid: server.processes.ferretdb,
        log,
      });
    }
    loadAfter = loadAverage();
  } finally {
    log("Stopping…");
    const created = [
      ...databases.map(({ db }) => db),
      ...(options.shapes ? Object.values(shapeDatabases) : []),
    ];
    for (const db of created) {
      await db.dropDatabase().catch((error: unknown) => {
        log(`Could not drop ${db.databaseName} (left on the server): ${String(error)}`);
      });
    }
    await client.close();
    await server.stop();
  }

  const report: DocumentStoreReport = {
    startedAt,
    command: ["npm run bench -w @rapport/bench -- document-store", ...args].join(" "),
    machine: withNewCodeNoted(machineFacts(measuredCode)),
    loadBefore,
    loadAfter,
    infra: server.description,
    serverVersion: version,
    options,
    ...measurement,
    ...(shapes ? { shapes } : {}),
  };
  console.log(`\n${resultTables(report)}\n`);
  if (options.write) {
    const path = await writeBenchmarkSection(documentStoreSectionName, documentStoreSection(report));
    log(`Wrote the "Document store (FerretDB) by collection size" section of ${path}`);
  }
}
