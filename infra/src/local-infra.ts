import { resolveCacheDir } from "./cache-dir.js";
import { isFerretdbProvisioned, provisionFerretdb } from "./ferretdb-provisioning.js";
import { FERRETDB_COMMAND_MARKER, startFerretdbServer } from "./ferretdb-server.js";
import { describeError, InfraError } from "./infra-error.js";
import { probeKafka, warmUpKafkaCoordinators } from "./kafka-probe.js";
import { isKafkaProvisioned, provisionKafka } from "./kafka-provisioning.js";
import { KAFKA_COMMAND_MARKER, startKafkaServer } from "./kafka-server.js";
import { probeMongo } from "./mongo-probe.js";
import { assertPortsFree, type PortClaim } from "./ports.js";
import { assertToolsInstalled, findJava, type RequiredTool } from "./prerequisites.js";
import { isOurProcess, terminateProcess } from "./process-control.js";
import { createProgress, type Progress, type ProgressListener } from "./progress.js";
import { waitUntilAnswering } from "./readiness.js";
import type { ServiceProcess } from "./service-process.js";
import { kafkaBrokersFor, mongodbUriFor, PORT_ENV } from "./settings.js";
import { FERRETDB_VERSION, KAFKA_VERSION } from "./versions.js";

export interface LocalInfraOptions {
  dataDir: string;
  kafkaPort: number;
  kafkaControllerPort: number;
  mongoPort: number;
  onProgress?: ProgressListener;
  /** Where provisioned tools live; defaults to RAPPORT_CACHE_DIR or ~/.cache/rapport. */
  cacheDir?: string;
  /** true (for `infra up`) leaves the servers running when this process exits. */
  outliveParent?: boolean;
  /** How long each server may take to answer once started. */
  readyTimeoutMs?: number;
}

export interface RunningServer {
  pid: number;
  port: number;
  logFile: string;
}

export interface LocalInfra {
  /** For kafkajs `brokers` (comma-separated host:port). */
  kafkaBrokers: string;
  mongodbUri: string;
  dataDir: string;
  kafka: RunningServer & { controllerPort: number };
  ferretdb: RunningServer;
  /** Stops both servers (SIGTERM, then SIGKILL after a grace period) and waits until they are gone. */
  stop(): Promise<void>;
}

/**
 * Provisions (first run only) and starts a real Kafka broker and FerretDB on loopback ports, and
 * resolves once both answer. Whatever it started is stopped again if any step fails.
 */
export async function startLocalInfra(options: LocalInfraOptions): Promise<LocalInfra> {
  const progress = createProgress(options.onProgress);
  const cacheDir = options.cacheDir ?? resolveCacheDir();
  const claims: PortClaim[] = [
    { port: options.kafkaPort, owner: "Kafka", envName: PORT_ENV.kafka },
    { port: options.kafkaControllerPort, owner: "Kafka controller", envName: PORT_ENV.kafkaController },
    { port: options.mongoPort, owner: "FerretDB (MongoDB wire)", envName: PORT_ENV.mongodb },
  ];
  assertToolsInstalled(requiredTools(cacheDir));
  await assertPortsFree(claims);

  const [kafkaInstall, ferretdbInstall] = await Promise.all([
    provisionKafka(cacheDir, progress),
    provisionFerretdb(cacheDir, progress),
  ]);
  // Provisioning can take minutes on a cold cache; something may have taken a port meanwhile.
  await assertPortsFree(claims);

  const java = findJava();
  if (java === undefined) throw new InfraError("java disappeared from PATH");
  const outliveParent = options.outliveParent ?? false;
  const started: ServiceProcess[] = [];
  try {
    // FerretDB first: it starts at once, while Kafka's storage format alone takes a JVM start.
    progress.step(`Starting FerretDB ${FERRETDB_VERSION} on 127.0.0.1:${options.mongoPort}`);
    const ferretdb = await startFerretdbServer({
      install: ferretdbInstall,
      dataDir: options.dataDir,
      port: options.mongoPort,
      outliveParent,
    });
    started.push(ferretdb);
    progress.step(`Starting Kafka ${KAFKA_VERSION} on 127.0.0.1:${options.kafkaPort}`);
    const kafka = await startKafkaServer({
      java,
      install: kafkaInstall,
      dataDir: options.dataDir,
      kafkaPort: options.kafkaPort,
      controllerPort: options.kafkaControllerPort,
      outliveParent,
      progress,
    });
    started.push(kafka);

    const kafkaBrokers = kafkaBrokersFor(options.kafkaPort);
    const mongodbUri = mongodbUriFor(options.mongoPort);
    const timeoutMs = options.readyTimeoutMs ?? 90_000;
    await Promise.all([
      waitUntilAnswering({
        name: "Kafka",
        probe: () => probeKafka(kafkaBrokers),
        process: kafka,
        timeoutMs,
      }).then(() => {
        progress.step("Kafka: broker answering");
        return warmUpCoordinators(kafkaBrokers, kafka, progress);
      }),
      waitUntilAnswering({
        name: "FerretDB",
        probe: () => probeMongo(mongodbUri),
        process: ferretdb,
        timeoutMs,
      }).then(() => progress.step("FerretDB: answering")),
    ]);
    progress.step("Kafka and FerretDB are ready");

    let stopping: Promise<void> | undefined;
    return {
      kafkaBrokers,
      mongodbUri,
      dataDir: options.dataDir,
      kafka: {
        pid: kafka.pid,
        port: options.kafkaPort,
        controllerPort: options.kafkaControllerPort,
        logFile: kafka.logFile,
      },
      ferretdb: { pid: ferretdb.pid, port: options.mongoPort, logFile: ferretdb.logFile },
      stop: () => {
        stopping ??= stopServers(started);
        return stopping;
      },
    };
  } catch (error) {
    await stopServers(started);
    throw error;
  }
}

/** Stops servers by pid; used by `stop()` and by `infra down` for servers another process started. */
export async function stopServers(servers: readonly { pid: number }[]): Promise<void> {
  await Promise.all(servers.map((server) => terminateProcess(server.pid)));
}

/** Whether a recorded pid is still the Kafka broker or the FerretDB server we started. */
export function isOurServer(kind: "kafka" | "ferretdb", pid: number): boolean {
  return isOurProcess(pid, kind === "kafka" ? KAFKA_COMMAND_MARKER : FERRETDB_COMMAND_MARKER);
}

function requiredTools(cacheDir: string): RequiredTool[] {
  const tools: RequiredTool[] = ["java"];
  if (!isKafkaProvisioned(cacheDir)) tools.push("mvn");
  if (!isFerretdbProvisioned(cacheDir)) tools.push("go", "git");
  return tools;
}

async function warmUpCoordinators(brokers: string, kafka: ServiceProcess, progress: Progress): Promise<void> {
  try {
    await warmUpKafkaCoordinators(brokers);
  } catch (error) {
    throw new InfraError(
      `Kafka answers but its transaction/group coordinators did not become ready (${describeError(error)}); see its log: ${kafka.logFile}`,
    );
  }
  progress.step("Kafka: transaction and group coordinators ready");
}
