import { ConfigurationError, kafkaConfig, loadConfig, telemetryConfig } from "@rapport/config";
import { createKafka, ensureTopics } from "@rapport/kafka";
import { createLogger } from "@rapport/telemetry";
import { z } from "zod";
import { platformTopics } from "./platform-topics.js";

// The docker-compose one-shot `kafka-topics`: creates every topic the services declare, then exits, so the
// services start with their topics in place. Topics that exist are left as they are.

const configSchema = z.object({
  KAFKA_BROKERS: kafkaConfig.KAFKA_BROKERS,
  KAFKA_TOPIC_PARTITIONS: kafkaConfig.KAFKA_TOPIC_PARTITIONS,
  KAFKA_TOPIC_PREFIX: kafkaConfig.KAFKA_TOPIC_PREFIX,
  LOG_LEVEL: telemetryConfig.LOG_LEVEL,
});

// EX_CONFIG from sysexits.h, as the services use: running it again as configured will not help.
const exitConfigurationError = 78;

let config: z.output<typeof configSchema>;
try {
  config = loadConfig(configSchema);
} catch (error) {
  if (!(error instanceof ConfigurationError)) throw error;
  console.error(`rapport-create-topics: ${error.message}`);
  process.exit(exitConfigurationError);
}

const logger = createLogger({ service: "create-topics", level: config.LOG_LEVEL });
const topics = platformTopics(config);
try {
  await ensureTopics(
    createKafka({ brokers: config.KAFKA_BROKERS, clientId: "rapport-create-topics", logger }),
    topics,
  );
  for (const topic of topics) logger.info(topic, `topic ${topic.name} is in place`);
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  logger.fatal({ err: error }, "creating the topics failed");
  console.error(
    `rapport-create-topics: creating the topics on ${config.KAFKA_BROKERS.join(",")} failed: ${message}`,
  );
  process.exit(1);
}
