import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { crmTopics } from "@rapport/events";
import { infraEndpoints, readTopic, type TopicRecord, uniqueName, waitFor } from "@rapport/testing";
import { Kafka, logLevel, Partitioners } from "kafkajs";
import { afterAll, describe, expect, it } from "vitest";
import { orderPlaced } from "./ingestion-harness.js";

const endpoints = infraEndpoints();
const prefix = `${uniqueName("ingestion-crash")}.`;
const topics = crmTopics(prefix);
const serviceDir = fileURLToPath(new URL("..", import.meta.url));
const running = new Set<ChildProcess>();

afterAll(() => {
  for (const child of running) child.kill("SIGKILL");
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === "object" && address ? address.port : 0;
}

/**
 * Ingestion as its own process, the way it runs in production: node itself with tsx as a loader,
 * so that the pid is the service's (the tsx command would be a wrapper, and SIGKILL to it would
 * leave the service running).
 */
async function startIngestionProcess(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; output: () => string }> {
  const httpPort = await freePort();
  let output = "";
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=source", "src/main.ts"], {
    cwd: serviceDir,
    env: { ...process.env, ...env, HTTP_PORT: String(httpPort), GRPC_PORT: "0", LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  child.on("exit", () => running.delete(child));
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`ingestion exited with ${child.exitCode}:\n${output}`);
      const response = await fetch(`http://127.0.0.1:${httpPort}/readyz`);
      return response.ok;
    },
    { description: "the ingestion process to be ready", timeoutMs: 60_000, intervalMs: 250 },
  );
  return { child, output: () => output };
}

const idsOf = (records: readonly TopicRecord[]) =>
  records.map((record) => JSON.parse(record.value ?? "{}").id as string);

describe("ingestion killed mid-stream", () => {
  it("has every accepted event in crm.events exactly once after a SIGKILL and a restart", {
    timeout: 180_000,
  }, async () => {
    const env = {
      KAFKA_BROKERS: endpoints.kafkaBrokers.join(","),
      MONGODB_URI: endpoints.mongodbUri,
      KAFKA_TOPIC_PREFIX: prefix,
      KAFKA_TOPIC_PARTITIONS: "3",
      INGESTION_DATABASE: uniqueName("ingestion-crash"),
      INGESTION_CONSUMER_GROUP: `${prefix}ingestion`,
      // The same instance id after the restart: the new process fences the old one's open transaction.
      INSTANCE_ID: "crash-1",
      INGESTION_WRITE_KEYS: "shop=shop-key",
    };
    const first = await startIngestionProcess(env);

    const producer = new Kafka({ brokers: endpoints.kafkaBrokers, logLevel: logLevel.WARN }).producer({
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    const chunks = 80;
    const perChunk = 50;
    const expectedIds = Array.from({ length: chunks * perChunk }, (_, i) => `shop:e-${i}`);
    let publishedAll = false;
    const publishing = (async () => {
      for (let chunk = 0; chunk < chunks; chunk++) {
        await producer.send({
          topic: topics.raw("orders"),
          messages: Array.from({ length: perChunk }, (_, i) => {
            const n = chunk * perChunk + i;
            return {
              key: `k-${n % 17}`,
              value: JSON.stringify({ ...orderPlaced(`e-${n}`, `C-${n % 250}`), source: "shop" }),
            };
          }),
        });
        // Paced like a live upstream, so that the kill lands while events are still arriving.
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      publishedAll = true;
    })();

    // Kill while events are still flowing in and being appended.
    await readTopic(endpoints.kafkaBrokers, topics.events, {
      until: (records) => records.length >= 300,
      timeoutMs: 60_000,
    });
    expect(publishedAll, "events were still coming in when the process was killed").toBe(false);
    first.child.kill("SIGKILL");
    await waitFor(() => first.child.exitCode !== null || first.child.signalCode !== null, {
      description: "the first process to die",
    });

    await publishing;
    await producer.disconnect();
    const second = await startIngestionProcess(env);
    const records = await readTopic(endpoints.kafkaBrokers, topics.events, {
      until: (seen) => seen.length >= expectedIds.length && new Set(idsOf(seen)).size >= expectedIds.length,
      timeoutMs: 90_000,
    }).catch((error: Error) => {
      throw new Error(`${error.message}\n--- second process output ---\n${second.output()}`);
    });
    second.child.kill("SIGTERM");
    await waitFor(() => second.child.exitCode !== null, {
      description: "the second process to stop on SIGTERM",
      timeoutMs: 30_000,
    });
    expect(second.child.exitCode).toBe(0);

    const ids = idsOf(records);
    expect(new Set(ids)).toEqual(new Set(expectedIds));
    expect(ids).toHaveLength(expectedIds.length);
  });
});
