import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { generateClusterId, renderLog4jProperties, renderServerProperties } from "./kafka-config.js";
import type { KafkaInstall } from "./kafka-provisioning.js";
import type { Progress } from "./progress.js";
import { runTool } from "./run-tool.js";
import { type ServiceProcess, spawnService } from "./service-process.js";

/** Found in the broker's command line; tells our broker apart from a process that reused its pid. */
export const KAFKA_COMMAND_MARKER = "kafka.Kafka";

/**
 * A small heap: the broker holds little in memory for test and demo traffic, and CI has 2 cores
 * shared with the services. G1 with short pauses keeps request latency flat.
 */
const JVM_OPTIONS = [
  "-Xms256m",
  "-Xmx768m",
  "-XX:+UseG1GC",
  "-XX:MaxGCPauseMillis=20",
  "-XX:+ExitOnOutOfMemoryError",
  "-Djava.awt.headless=true",
];

export interface KafkaPaths {
  configDir: string;
  /** Partitions and KRaft metadata. */
  logDir: string;
  /** The broker's own log (log4j) and its console output. */
  logFile: string;
  serverProperties: string;
  log4jProperties: string;
}

export function kafkaPaths(dataDir: string): KafkaPaths {
  const configDir = join(dataDir, "kafka");
  return {
    configDir,
    logDir: join(configDir, "data"),
    logFile: join(configDir, "kafka.log"),
    serverProperties: join(configDir, "server.properties"),
    log4jProperties: join(configDir, "log4j.properties"),
  };
}

export interface KafkaServerStart {
  java: string;
  install: KafkaInstall;
  dataDir: string;
  kafkaPort: number;
  controllerPort: number;
  outliveParent: boolean;
  progress: Progress;
}

/** Writes the configuration (ports may differ from the last start), formats storage once, starts the JVM. */
export async function startKafkaServer(start: KafkaServerStart): Promise<ServiceProcess> {
  const paths = kafkaPaths(start.dataDir);
  await mkdir(paths.logDir, { recursive: true });
  await writeFile(
    paths.serverProperties,
    renderServerProperties({
      logDir: paths.logDir,
      kafkaPort: start.kafkaPort,
      controllerPort: start.controllerPort,
    }),
  );
  await writeFile(paths.log4jProperties, renderLog4jProperties(paths.logFile));
  const classpathAndLogging = [
    `-Dlog4j.configuration=${pathToFileURL(paths.log4jProperties).href}`,
    "-cp",
    // Expanded by the JVM, not by a shell.
    `${start.install.libsDir}/*`,
  ];

  // A KRaft log directory must be formatted once with a cluster id; a persistent data dir keeps it.
  if (!existsSync(join(paths.logDir, "meta.properties"))) {
    start.progress.step("Kafka: formatting KRaft storage");
    await runTool({
      command: start.java,
      args: [
        ...classpathAndLogging,
        "kafka.tools.StorageTool",
        "format",
        "--cluster-id",
        generateClusterId(),
        "--config",
        paths.serverProperties,
        "--ignore-formatted",
      ],
      label: "Kafka storage format",
      logFile: paths.logFile,
      progress: start.progress,
    });
  }

  return spawnService({
    command: start.java,
    args: [...JVM_OPTIONS, ...classpathAndLogging, KAFKA_COMMAND_MARKER, paths.serverProperties],
    logFile: paths.logFile,
    cwd: paths.configDir,
    outliveParent: start.outliveParent,
  });
}
