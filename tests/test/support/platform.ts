import { type CrmTopics, crmTopics } from "@rapport/events";
import { freePort, type ServiceProcess, startServiceProcess, uniqueName } from "@rapport/testing";
import { type Source, writeKeys } from "./dataset.js";

export type ServiceName = "ingestion" | "identity" | "scoring" | "offer";

/** The order the services start in: scoring asks identity, the offer service asks scoring. */
const startOrder: ServiceName[][] = [["ingestion", "identity"], ["scoring"], ["offer"]];

/**
 * The four services, each its own process, on one run's topics (a unique prefix) and databases,
 * on free ports; as `npm start` runs them, with the settings a test needs.
 */
export type Platform = {
  topics: CrmTopics;
  /** host:port of each service's gRPC server. */
  grpcAddress: Record<ServiceName, string>;
  /** Ingestion's HTTP API, e.g. http://127.0.0.1:41234. */
  ingestionUrl: string;
  /** SIGKILL, as a crash would end it. */
  kill(service: ServiceName): Promise<void>;
  /** Starts it again with the same settings, ports, databases and instance id; resolves when ready. */
  restart(service: ServiceName): Promise<void>;
  /** SIGTERM to every service: they stop cleanly (and flush their spans). */
  stop(): Promise<void>;
  /** The end of every service process's output, for a failing test's report. */
  output(): string;
};

export type PlatformOptions = {
  kafkaBrokers: readonly string[];
  mongodbUri: string;
  /** Names this run's topics, databases and consumer groups. */
  run: string;
  /** Where every service exports its spans (OTLP/HTTP); none when absent. */
  otlpTracesEndpoint?: string;
};

export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  const prefix = `${uniqueName(options.run)}.`;
  const grpcPorts = {
    ingestion: await freePort(),
    identity: await freePort(),
    scoring: await freePort(),
    offer: await freePort(),
  };
  const grpcAddress = {
    ingestion: `127.0.0.1:${grpcPorts.ingestion}`,
    identity: `127.0.0.1:${grpcPorts.identity}`,
    scoring: `127.0.0.1:${grpcPorts.scoring}`,
    offer: `127.0.0.1:${grpcPorts.offer}`,
  };
  const common = {
    KAFKA_BROKERS: options.kafkaBrokers.join(","),
    MONGODB_URI: options.mongodbUri,
    KAFKA_TOPIC_PREFIX: prefix,
    KAFKA_TOPIC_PARTITIONS: "3",
    LOG_LEVEL: "warn",
    ...(options.otlpTracesEndpoint ? { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: options.otlpTracesEndpoint } : {}),
  };
  const database = (service: ServiceName) => uniqueName(`${options.run}-${service}`);
  const env: Record<ServiceName, Record<string, string>> = {
    ingestion: {
      ...common,
      GRPC_PORT: String(grpcPorts.ingestion),
      INSTANCE_ID: "ingestion-1",
      INGESTION_DATABASE: database("ingestion"),
      INGESTION_CONSUMER_GROUP: `${prefix}ingestion`,
      INGESTION_WRITE_KEYS: Object.entries(writeKeys)
        .map(([source, key]) => `${source}=${key}`)
        .join(","),
    },
    identity: {
      ...common,
      GRPC_PORT: String(grpcPorts.identity),
      INSTANCE_ID: "identity-1",
      IDENTITY_DATABASE: database("identity"),
      IDENTITY_CONSUMER_GROUP: `${prefix}identity`,
      IDENTITY_STORE_BUCKETS: "8",
    },
    scoring: {
      ...common,
      GRPC_PORT: String(grpcPorts.scoring),
      INSTANCE_ID: "scoring-1",
      SCORING_DATABASE: database("scoring"),
      SCORING_CONSUMER_GROUP: `${prefix}scoring`,
      SCORING_STORE_BUCKETS: "8",
      // No clock ticks or model fits by the wall clock: the projections are then a function of the
      // dataset alone, the same in every run. Tests that want a model ask for one (RefitModels).
      SCORING_SCHEDULER: "false",
      IDENTITY_GRPC_ADDRESS: grpcAddress.identity,
    },
    offer: {
      ...common,
      GRPC_PORT: String(grpcPorts.offer),
      INSTANCE_ID: "offer-1",
      OFFER_DATABASE: database("offer"),
      OFFER_CONSUMER_GROUP: `${prefix}offer`,
      OFFER_STORE_BUCKETS: "8",
      OFFER_UNSUBSCRIBE_SECRET: "end-to-end-test-secret",
      SCORING_GRPC_ADDRESS: grpcAddress.scoring,
    },
  };

  const processes = new Map<ServiceName, ServiceProcess>();
  // Output of processes that were killed and replaced: what a crash left behind matters too.
  const earlierOutput: string[] = [];
  const start = async (service: ServiceName) => {
    processes.set(service, await startServiceProcess({ service, env: env[service] }));
  };
  const stop = async () => {
    // The reverse of the start order, so nothing calls a service that has already stopped.
    for (const group of [...startOrder].reverse())
      await Promise.all(group.map((service) => processes.get(service)?.stop()));
  };
  try {
    for (const group of startOrder) await Promise.all(group.map(start));
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    topics: crmTopics(prefix),
    grpcAddress,
    ingestionUrl: processes.get("ingestion")?.httpUrl ?? "",
    async kill(service) {
      const running = processes.get(service);
      if (running === undefined) return;
      await running.kill();
      earlierOutput.push(`--- ${service} (killed) ---\n${running.output()}`);
    },
    async restart(service) {
      await start(service);
    },
    stop,
    output: () =>
      [
        ...earlierOutput,
        ...[...processes].map(([service, running]) => `--- ${service} ---\n${running.output()}`),
      ].join("\n"),
  };
}

/** The Authorization a source's upstream system sends to ingestion (HTTP header, gRPC metadata). */
export function bearerOf(source: Source): string {
  return `Bearer ${writeKeys[source]}`;
}
