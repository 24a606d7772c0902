import type { TestProject } from "vitest/node";
import { type LocalInfra, startThrowawayInfra } from "../src/index.js";

declare module "vitest" {
  /** Provided by this global setup to infra's integration tests. */
  export interface ProvidedContext {
    mongodbUri: string;
  }
}

let infra: LocalInfra | undefined;

/**
 * Vitest global setup of infra's integration tests: the MongoDB-wire server named by MONGODB_URI (as
 * `infra run` and CI set it; or a server started by hand, e.g. a stock FerretDB to compare with), or
 * else a throwaway Kafka and FerretDB of this package, stopped in teardown.
 */
export async function setup(project: TestProject): Promise<void> {
  const mongodbUri = process.env.MONGODB_URI ?? "";
  if (mongodbUri !== "") {
    project.provide("mongodbUri", mongodbUri);
    return;
  }
  infra = await startThrowawayInfra({
    onProgress: (message) => process.stderr.write(`[rapport infra] ${message}\n`),
  });
  project.provide("mongodbUri", infra.mongodbUri);
}

export async function teardown(): Promise<void> {
  await infra?.stop();
  infra = undefined;
}
