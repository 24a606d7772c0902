import { randomBytes } from "node:crypto";

export interface KafkaConfigInput {
  /** Where the broker keeps its partitions and KRaft metadata. */
  logDir: string;
  kafkaPort: number;
  controllerPort: number;
}

/**
 * server.properties of a single-node KRaft broker (broker and controller in one JVM), tuned for a
 * laptop or CI: one replica of everything, nothing expires, and no topic appears by accident.
 */
export function renderServerProperties({ logDir, kafkaPort, controllerPort }: KafkaConfigInput): string {
  const settings: [string, string | number][] = [
    ["process.roles", "broker,controller"],
    ["node.id", 1],
    ["controller.quorum.voters", `1@127.0.0.1:${controllerPort}`],
    ["listeners", `PLAINTEXT://127.0.0.1:${kafkaPort},CONTROLLER://127.0.0.1:${controllerPort}`],
    ["advertised.listeners", `PLAINTEXT://127.0.0.1:${kafkaPort}`],
    ["controller.listener.names", "CONTROLLER"],
    ["inter.broker.listener.name", "PLAINTEXT"],
    ["listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"],
    ["log.dirs", logDir],
    // One broker: every internal topic must live with a single replica, or transactions and
    // consumer groups wait forever for replicas that will never exist.
    ["offsets.topic.replication.factor", 1],
    ["transaction.state.log.replication.factor", 1],
    ["transaction.state.log.min.isr", 1],
    // One coordinator partition is plenty on one node, and creating the default 50 makes the
    // first transaction and the first consumer group of a fresh broker wait seconds.
    ["offsets.topic.num.partitions", 1],
    ["transaction.state.log.num.partitions", 1],
    // Tests start many short-lived consumer groups; the 3 s default delay would slow each one.
    ["group.initial.rebalance.delay.ms", 0],
    // Topics are declared by the services; a typo must fail instead of creating a new topic.
    ["auto.create.topics.enable", "false"],
    // The log is the source of truth (event sourcing): it keeps everything.
    ["log.retention.ms", -1],
    ["log.retention.bytes", -1],
    ["num.partitions", 3],
    ["default.replication.factor", 1],
    ["min.insync.replicas", 1],
    // Two cores on CI: the defaults (3 network, 8 I/O threads) only add context switches.
    ["num.network.threads", 2],
    ["num.io.threads", 4],
  ];
  return `${settings.map(([key, value]) => propertyLine(key, value)).join("\n")}\n`;
}

/** Sends the broker's own log to a file, so it never mixes with the output of a test run. */
export function renderLog4jProperties(logFile: string): string {
  const settings: [string, string][] = [
    ["log4j.rootLogger", "INFO, file"],
    ["log4j.appender.file", "org.apache.log4j.FileAppender"],
    ["log4j.appender.file.File", logFile],
    ["log4j.appender.file.Append", "true"],
    ["log4j.appender.file.layout", "org.apache.log4j.PatternLayout"],
    ["log4j.appender.file.layout.ConversionPattern", "[%d] %p %m (%c)%n"],
    ["log4j.logger.kafka.request.logger", "WARN"],
    ["log4j.logger.org.apache.kafka.clients", "WARN"],
  ];
  return `${settings.map(([key, value]) => propertyLine(key, value)).join("\n")}\n`;
}

/**
 * A KRaft cluster id: 16 random bytes, base64url without padding, as `kafka-storage random-uuid`
 * prints. Kafka rejects ids that start with "-" (they read as a command-line flag), so those are
 * re-drawn like Kafka's own Uuid.randomUuid does.
 */
export function generateClusterId(draw: () => Buffer = () => randomBytes(16)): string {
  for (;;) {
    const id = draw().toString("base64url");
    if (!id.startsWith("-")) return id;
  }
}

function propertyLine(key: string, value: string | number): string {
  // java.util.Properties treats a backslash as an escape; paths must keep theirs literally.
  return `${key}=${String(value).replaceAll("\\", "\\\\")}`;
}
