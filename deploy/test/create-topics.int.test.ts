import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { infraEndpoints, uniqueName } from "@rapport/testing";
import { ConfigResourceTypes, Kafka, logLevel } from "kafkajs";
import { describe, expect, it } from "vitest";

const entryPoint = fileURLToPath(new URL("../src/create-topics.ts", import.meta.url));
const tsx = fileURLToPath(new URL("../../node_modules/.bin/tsx", import.meta.url));

/** Runs the compose one-shot as docker compose does: a process configured by its environment. */
function createTopics(env: Record<string, string>): Promise<{ exitCode: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, ["--conditions=source", entryPoint], {
      env: { PATH: process.env.PATH, LOG_LEVEL: "warn", ...env },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.once("error", reject);
    child.once("close", (exitCode) => resolve({ exitCode, stderr }));
  });
}

describe("create-topics (the kafka-topics one-shot of docker-compose.yml)", () => {
  it("creates every topic with its partitions and retention, and changes nothing when run again", async () => {
    const { kafkaBrokers } = infraEndpoints();
    const prefix = `${uniqueName("deploy")}.`;
    const env = {
      KAFKA_BROKERS: kafkaBrokers.join(","),
      KAFKA_TOPIC_PREFIX: prefix,
      KAFKA_TOPIC_PARTITIONS: "2",
    };
    expect(await createTopics(env)).toEqual({ exitCode: 0, stderr: "" });

    const admin = new Kafka({
      brokers: kafkaBrokers,
      clientId: "deploy-test",
      logLevel: logLevel.WARN,
    }).admin();
    await admin.connect();
    try {
      const created = (await admin.listTopics()).filter((name) => name.startsWith(prefix));
      expect(created).toHaveLength(15);
      const { topics } = await admin.fetchTopicMetadata({
        topics: [`${prefix}crm.events`, `${prefix}crm.scoring`],
      });
      const partitions = topics.map((topic) => [topic.name, topic.partitions.length]);
      expect(partitions.sort()).toEqual([
        [`${prefix}crm.events`, 2],
        [`${prefix}crm.scoring`, 1],
      ]);
      const described = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [`${prefix}crm.events`, `${prefix}crm.raw.consents`].map((name) => ({
          type: ConfigResourceTypes.TOPIC,
          name,
          configNames: ["retention.ms"],
        })),
      });
      for (const resource of described.resources) {
        expect(resource.configEntries, resource.resourceName).toEqual([
          expect.objectContaining({ configName: "retention.ms", configValue: "-1", isDefault: false }),
        ]);
      }

      expect(await createTopics(env)).toEqual({ exitCode: 0, stderr: "" });
      expect((await admin.listTopics()).filter((name) => name.startsWith(prefix))).toHaveLength(15);
    } finally {
      await admin.disconnect();
    }
  });

  it("names the bad variable and exits 78 when the configuration is wrong", async () => {
    const result = await createTopics({ KAFKA_BROKERS: "kafka", KAFKA_TOPIC_PARTITIONS: "0" });
    expect(result.exitCode).toBe(78);
    expect(result.stderr).toContain("KAFKA_BROKERS: must be a comma-separated list of host:port");
    expect(result.stderr).toContain("KAFKA_TOPIC_PARTITIONS: must be greater than 0");
  });
});
