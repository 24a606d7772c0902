import type { Logger } from "@rapport/telemetry";
import { Kafka, logLevel } from "kafkajs";

export type KafkaClientOptions = { brokers: readonly string[]; clientId: string; logger: Logger };

/** A kafkajs client whose own log lines go through the service's structured logger. */
export function createKafka(options: KafkaClientOptions): Kafka {
  const logger = options.logger.child({ component: "kafkajs" });
  return new Kafka({
    clientId: options.clientId,
    brokers: [...options.brokers],
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log }) => {
        const { message, ...fields } = log;
        if (level === logLevel.ERROR) logger.error(fields, message);
        else if (level === logLevel.WARN) logger.warn(fields, message);
        else logger.debug(fields, message);
      },
  });
}
