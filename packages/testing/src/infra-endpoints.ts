import { inject } from "vitest";

declare module "vitest" {
  /** Provided by the Rapport global setup (global-setup.ts) to every integration test. */
  export interface ProvidedContext {
    /** Comma-separated host:port list for kafkajs. */
    kafkaBrokers: string;
    mongodbUri: string;
  }
}

export interface InfraEndpoints {
  /** kafkajs `brokers`. */
  kafkaBrokers: string[];
  mongodbUri: string;
}

/** The Kafka and MongoDB-wire endpoints of this test run, inside an integration test. */
export function infraEndpoints(): InfraEndpoints {
  const kafkaBrokers = inject("kafkaBrokers");
  const mongodbUri = inject("mongodbUri");
  if (kafkaBrokers === undefined || mongodbUri === undefined) {
    throw new Error(
      "No Kafka/MongoDB endpoints were provided: integration tests (*.int.test.ts) need the Rapport " +
        "global setup; use defineRapportVitestConfig() from @rapport/testing/vitest-config in vitest.config.ts",
    );
  }
  return { kafkaBrokers: kafkaBrokers.split(","), mongodbUri };
}
