import { type ChildProcess, spawn } from "node:child_process";
import { createServer as createHttpServer, type IncomingMessage } from "node:http";
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
): Promise<{ child: ChildProcess; httpPort: number; output: () => string }> {
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
  return { child, httpPort, output: () => output };
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

/** An OTLP/HTTP traces receiver on a free port: what a collector would be sent. */
async function startTraceReceiver(): Promise<{ url: string; spans: () => ExportedSpan[]; close(): void }> {
  const spans: ExportedSpan[] = [];
  const server = createHttpServer(async (request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as OtlpTraces;
    for (const { resource, scopeSpans } of body.resourceSpans ?? []) {
      const service = resource?.attributes?.find((attribute) => attribute.key === "service.name")?.value
        ?.stringValue;
      for (const { spans: batch } of scopeSpans ?? [])
        for (const span of batch ?? []) spans.push({ service, name: span.name, traceId: span.traceId });
    }
    response.writeHead(200, { "content-type": "application/json" }).end("{}");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/v1/traces`, spans: () => spans, close: () => server.close() };
}

type ExportedSpan = { service: string | undefined; name: string; traceId: string };
type OtlpTraces = {
  resourceSpans?: {
    resource?: { attributes?: { key: string; value?: { stringValue?: string } }[] };
    scopeSpans?: { spans?: { name: string; traceId: string }[] }[];
  }[];
};

describe("ingestion stopped with SIGTERM", () => {
  it("exports the spans it has not sent yet before it exits", { timeout: 120_000 }, async () => {
    const receiver = await startTraceReceiver();
    // Topics of its own: the raw topics above hold thousands of events this process would append again.
    const ownPrefix = `${uniqueName("ingestion-traces")}.`;
    const ownTopics = crmTopics(ownPrefix);
    try {
      const service = await startIngestionProcess({
        KAFKA_BROKERS: endpoints.kafkaBrokers.join(","),
        MONGODB_URI: endpoints.mongodbUri,
        KAFKA_TOPIC_PREFIX: ownPrefix,
        KAFKA_TOPIC_PARTITIONS: "3",
        INGESTION_DATABASE: uniqueName("ingestion-traces"),
        INGESTION_CONSUMER_GROUP: `${ownPrefix}ingestion`,
        INSTANCE_ID: "traces-1",
        INGESTION_WRITE_KEYS: "shop=shop-key",
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url,
        // Nothing leaves on the batch processor's schedule during the test: only the flush at exit.
        OTEL_BSP_SCHEDULE_DELAY: "600000",
      });
      const traceId = "5b8efff798038103d269b633813fc60c";
      const response = await fetch(`http://127.0.0.1:${service.httpPort}/v1/events`, {
        method: "POST",
        headers: {
          authorization: "Bearer shop-key",
          "content-type": "application/json",
          traceparent: `00-${traceId}-eee19b7ec3c1b174-01`,
        },
        body: JSON.stringify(orderPlaced("o-exported", "C-EXPORTED")),
      });
      expect(response.status).toBe(202);
      await readTopic(endpoints.kafkaBrokers, ownTopics.events, {
        until: (records) => idsOf(records).includes("shop:o-exported"),
        timeoutMs: 60_000,
      });
      expect(receiver.spans()).toEqual([]);

      service.child.kill("SIGTERM");
      await waitFor(() => service.child.exitCode !== null, {
        description: "the process to stop on SIGTERM",
        timeoutMs: 30_000,
      });
      expect(service.child.exitCode).toBe(0);
      const names = receiver
        .spans()
        .filter((span) => span.traceId === traceId && span.service === "rapport-ingestion")
        .map((span) => span.name);
      expect(names).toEqual(
        expect.arrayContaining(["POST /v1/events", `${ownTopics.raw("orders")} process`]),
      );
    } finally {
      receiver.close();
    }
  });
});
