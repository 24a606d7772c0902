import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { waitFor } from "@rapport/testing";
import type { BenchEndpoints } from "./bench-infra.js";
import { counterTotal } from "./prometheus-text.js";
import type { RunNames } from "./run-names.js";

const serviceDir = fileURLToPath(new URL("../../services/ingestion/", import.meta.url));
const running = new Set<ChildProcess>();

// However the benchmark ends, no ingestion process outlives it.
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

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

// Ingestion's own settings are not inherited from the shell: every other setting is the production default.
const serviceSetting =
  /^(KAFKA_|MONGODB_|INGESTION_|WEBLOG_|MAX_|OTEL_|DEFAULT_PHONE_REGION$|LOG_LEVEL$|HTTP_PORT$|GRPC_PORT$|BIND_ADDRESS$|INSTANCE_ID$)/;

function inheritedEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !serviceSetting.test(name)));
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== "object" || address === null) throw new Error("no free port");
  return address.port;
}

/**
 * Ingestion as its own Node.js process, as in production (node --import tsx, so the pid is the
 * service's own and no tsx wrapper process sits in between): the load generator and the service do
 * not share an event loop.
 */
export async function startIngestionProcess(options: IngestionProcessOptions): Promise<IngestionProcess> {
  const { endpoints, names } = options;
  const httpPort = await freePort();
  const profileArgs = options.cpuProfileDir ? ["--cpu-prof", `--cpu-prof-dir=${options.cpuProfileDir}`] : [];
  let output = "";
  const child = spawn(
    process.execPath,
    [...profileArgs, "--import", "tsx", "--conditions=source", "src/main.ts"],
    {
      cwd: serviceDir,
      env: {
        ...inheritedEnvironment(),
        KAFKA_BROKERS: endpoints.kafkaBrokers.join(","),
        MONGODB_URI: endpoints.mongodbUri,
        KAFKA_TOPIC_PREFIX: names.prefix,
        KAFKA_TOPIC_PARTITIONS: "6",
        KAFKA_CREATE_TOPICS: "true",
        INGESTION_DATABASE: names.database,
        INGESTION_CONSUMER_GROUP: names.consumerGroup,
        INSTANCE_ID: names.instance,
        INGESTION_WRITE_KEYS: `${benchSource}=${benchWriteKey}`,
        BIND_ADDRESS: "127.0.0.1",
        HTTP_PORT: String(httpPort),
        GRPC_PORT: "0",
        // Nothing is logged while all is well (as with "silent"), but a failure still says why.
        LOG_LEVEL: "error",
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  running.add(child);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  void exited.then(() => running.delete(child));
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const baseUrl = `http://127.0.0.1:${httpPort}`;
  const hasExited = () => child.exitCode !== null || child.signalCode !== null;

  const stop = async () => {
    if (hasExited()) return;
    child.kill("SIGTERM");
    const killer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    await exited;
    clearTimeout(killer);
  };

  try {
    await waitFor(
      async () => {
        if (hasExited()) throw new Error(`ingestion exited with ${child.exitCode}:\n${output}`);
        return (await fetch(`${baseUrl}/readyz`)).ok;
      },
      { description: "the ingestion process to be ready", timeoutMs: 90_000, intervalMs: 100 },
    );
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    pid: child.pid as number,
    baseUrl,
    async counters() {
      if (hasExited()) throw new Error(`ingestion exited with ${child.exitCode}:\n${output}`);
      const exposition = await (await fetch(`${baseUrl}/metrics`)).text();
      return {
        accepted: counterTotal(exposition, "rapport_ingestion_events_accepted_total"),
        appended: counterTotal(exposition, "rapport_ingestion_events_appended_total"),
        duplicates: counterTotal(exposition, "rapport_ingestion_events_duplicate_total"),
        rejected: counterTotal(exposition, "rapport_ingestion_events_rejected_total"),
      };
    },
    output: () => output,
    stop,
  };
}
