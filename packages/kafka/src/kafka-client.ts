import type { Logger } from "@rapport/telemetry";
import { Kafka, logLevel } from "kafkajs";
import { kafkajsLogCreator } from "./kafkajs-log-creator.js";

export type KafkaClientOptions = { brokers: readonly string[]; clientId: string; logger: Logger };

/** A kafkajs client whose own log lines go through the service's structured logger. */
export function createKafka(options: KafkaClientOptions): Kafka {
  return new Kafka({
    clientId: options.clientId,
    brokers: [...options.brokers],
    logLevel: logLevel.WARN,
    logCreator: kafkajsLogCreator(options.logger.child({ component: "kafkajs" })),
  });
}
