import { type LocalInfra, startThrowawayInfra } from "@rapport/infra";
import type { TestProject } from "vitest/node";
// Brings the ProvidedContext declaration into this file's view.
import type {} from "./infra-endpoints.js";

let infra: LocalInfra | undefined;

/**
 * Vitest global setup of the integration tests: uses the Kafka and MongoDB endpoints given in
 * KAFKA_BROKERS and MONGODB_URI (as `infra run` and CI set them), or else starts a throwaway
 * Kafka and FerretDB for this run and stops them in teardown. Tests read the endpoints with
 * `infraEndpoints()` (or `inject`).
 */
export async function setup(project: TestProject): Promise<void> {
  const kafkaBrokers = process.env.KAFKA_BROKERS ?? "";
  const mongodbUri = process.env.MONGODB_URI ?? "";
  if ((kafkaBrokers === "") !== (mongodbUri === "")) {
    throw new Error("Set both KAFKA_BROKERS and MONGODB_URI, or neither (to start a throwaway local infra)");
  }
  if (kafkaBrokers !== "") {
    project.provide("kafkaBrokers", kafkaBrokers);
    project.provide("mongodbUri", mongodbUri);
    return;
  }
  infra = await startThrowawayInfra({
    onProgress: (message) => process.stderr.write(`[rapport infra] ${message}\n`),
  });
  project.provide("kafkaBrokers", infra.kafkaBrokers);
  project.provide("mongodbUri", infra.mongodbUri);
}

export async function teardown(): Promise<void> {
  await infra?.stop();
  infra = undefined;
}
