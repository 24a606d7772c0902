import { metricTotal } from "@rapport/telemetry";
import { startServiceProcess } from "@rapport/testing";
import type { BenchEndpoints } from "../shared/bench-infra.js";
import type { RunNames } from "../shared/run-names.js";

export const benchWriteKey = "bench-key";
export const benchSource = "bench";

/** What ingestion's /metrics says it has done so far (sums over event types, paths and reasons). */
export type IngestionCounters = { accepted: number; appended: number; duplicates: number; rejected: number };

export type IngestionProcess = {
  pid: number;
  baseUrl: string;
  counters(): Promise<IngestionCounters>;
  /** The end of what the process wrote to stdout and stderr (it logs only errors). */
  output(): string;
  /** SIGTERM, then SIGKILL after 30 s; resolves when the process is gone. */
  stop(): Promise<void>;
};

export type IngestionProcessOptions = {
  endpoints: BenchEndpoints;
  names: RunNames;
  /** Write a V8 CPU profile (node --cpu-prof) into this directory when the process exits. */
  cpuProfileDir?: string | undefined;
};

/** Ingestion as its own Node.js process with production defaults, on the run's topics and database. */
export async function startIngestionProcess(options: IngestionProcessOptions): Promise<IngestionProcess> {
  const { endpoints, names } = options;
  const service = await startServiceProcess({
    service: "ingestion",
    env: {
      KAFKA_BROKERS: endpoints.kafkaBrokers.join(","),
      MONGODB_URI: endpoints.mongodbUri,
      KAFKA_TOPIC_PREFIX: names.prefix,
      KAFKA_TOPIC_PARTITIONS: "6",
      KAFKA_CREATE_TOPICS: "true",
      INGESTION_DATABASE: names.database,
      INGESTION_CONSUMER_GROUP: names.consumerGroup,
      INSTANCE_ID: names.instance,
      INGESTION_WRITE_KEYS: `${benchSource}=${benchWriteKey}`,
      GRPC_PORT: "0",
    },
    cpuProfileDir: options.cpuProfileDir,
  });
  return {
    pid: service.pid,
    baseUrl: service.httpUrl,
    async counters() {
      const exposition = await service.metrics();
      return {
        accepted: metricTotal(exposition, "rapport_ingestion_events_accepted_total"),
        appended: metricTotal(exposition, "rapport_ingestion_events_appended_total"),
        duplicates: metricTotal(exposition, "rapport_ingestion_events_duplicate_total"),
        rejected: metricTotal(exposition, "rapport_ingestion_events_rejected_total"),
      };
    },
    output: service.output,
    stop: service.stop,
  };
}
