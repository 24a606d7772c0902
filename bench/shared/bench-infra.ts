import {
  FERRETDB_VERSION,
  isOurServer,
  KAFKA_VERSION,
  readStateFile,
  resolveCacheDir,
  startThrowawayInfra,
  stateFilePath,
} from "@rapport/infra";
import type { WatchedProcesses } from "./process-cpu.js";

export type BenchEndpoints = { kafkaBrokers: string[]; mongodbUri: string };

export type BenchInfra = {
  endpoints: BenchEndpoints;
  /** For the report: whose broker and database the figures were measured against. */
  description: string;
  /** The broker's and FerretDB's pids when this benchmark started them (their CPU use is then reported). */
  processes: WatchedProcesses;
  stop(): Promise<void>;
};

/**
 * The servers to measure against: those named by KAFKA_BROKERS and MONGODB_URI when both are set,
 * otherwise a throwaway Kafka and FerretDB on free loopback ports, stopped again by stop().
 */
export async function acquireInfra(log: (line: string) => void): Promise<BenchInfra> {
  const kafkaBrokers = process.env.KAFKA_BROKERS;
  const mongodbUri = process.env.MONGODB_URI;
  if (kafkaBrokers && mongodbUri) {
    log(`Using KAFKA_BROKERS=${kafkaBrokers} and MONGODB_URI=${mongodbUri}`);
    const upServers = await infraUpServers(kafkaBrokers, mongodbUri);
    return {
      endpoints: { kafkaBrokers: kafkaBrokers.split(","), mongodbUri },
      description: upServers
        ? `the running servers named by KAFKA_BROKERS and MONGODB_URI, started by \`npm run infra:up\` (Kafka ${KAFKA_VERSION}, FerretDB ${FERRETDB_VERSION} on SQLite), left running`
        : "the running servers named by KAFKA_BROKERS and MONGODB_URI",
      processes: upServers ?? {},
      stop: async () => undefined,
    };
  }
  log("Starting a throwaway Kafka and FerretDB (KAFKA_BROKERS/MONGODB_URI not set)");
  const infra = await startThrowawayInfra({ onProgress: (line) => log(`  ${line}`) });
  return {
    endpoints: { kafkaBrokers: infra.kafkaBrokers.split(","), mongodbUri: infra.mongodbUri },
    description: "a throwaway local Kafka 3.9 broker and FerretDB 1.24 (SQLite), started by the benchmark",
    processes: { kafka: infra.kafka.pid, ferretdb: infra.ferretdb.pid },
    stop: () => infra.stop(),
  };
}

/**
 * The pids of the Kafka and FerretDB `npm run infra:up` runs, when those are the servers named (their
 * CPU use is then reported too); undefined for other servers.
 */
async function infraUpServers(
  kafkaBrokers: string,
  mongodbUri: string,
): Promise<WatchedProcesses | undefined> {
  const state = await readStateFile(stateFilePath(resolveCacheDir())).catch(() => undefined);
  if (state?.kafkaBrokers !== kafkaBrokers || state.mongodbUri !== mongodbUri) return undefined;
  if (!isOurServer("kafka", state.kafka.pid) || !isOurServer("ferretdb", state.ferretdb.pid))
    return undefined;
  return { kafka: state.kafka.pid, ferretdb: state.ferretdb.pid };
}
