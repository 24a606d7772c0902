import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crmTopics } from "@rapport/events";
import { type RunningIngestionService, startIngestionService } from "@rapport/ingestion";
import { infraEndpoints, readTopic, type TopicRecord, uniqueName, waitFor } from "@rapport/testing";
import { Kafka, logLevel } from "kafkajs";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// Ingestion exports only its app; a test may build its config the way its main does.
import { loadIngestionConfig } from "../../../services/ingestion/src/config.js";
import { commandTable, runCli } from "../src/index.js";
import { bufferedIo } from "./buffered-io.js";

const writeKey = randomBytes(16).toString("hex");
const prefix = `${uniqueName("cli-dlq")}.`;
const topics = crmTopics(prefix);
let ingestion: RunningIngestionService;
let directory = "";
let fatal: Error | undefined;

beforeAll(async () => {
  const { kafkaBrokers, mongodbUri } = infraEndpoints();
  const consumerGroup = uniqueName("cli-dlq-ingestion");
  ingestion = await startIngestionService({
    config: loadIngestionConfig({
      KAFKA_BROKERS: kafkaBrokers.join(","),
      MONGODB_URI: mongodbUri,
      KAFKA_TOPIC_PREFIX: prefix,
      // One partition per topic: the sentinel below is appended only after everything sent before it.
      KAFKA_TOPIC_PARTITIONS: "1",
      INGESTION_DATABASE: uniqueName("cli-dlq"),
      INGESTION_CONSUMER_GROUP: consumerGroup,
      INSTANCE_ID: consumerGroup,
      HTTP_PORT: "0",
      GRPC_PORT: "0",
      INGESTION_WRITE_KEYS: `shop=${writeKey}`,
      LOG_LEVEL: "warn",
    }),
    logger: pino({ level: "silent" }),
    onFatal: (error) => {
      fatal = error;
    },
  });
  directory = await mkdtemp(join(tmpdir(), "rapport-cli-dlq-"));
});

afterAll(async () => {
  await ingestion?.stop();
  if (directory) await rm(directory, { recursive: true, force: true });
});

/** `rapport dlq ...` in this process, against the broker the services use. */
async function rapportDlq(...args: string[]) {
  const { io, out } = bufferedIo(
    { KAFKA_BROKERS: infraEndpoints().kafkaBrokers.join(","), KAFKA_TOPIC_PREFIX: prefix },
    directory,
  );
  const exitCode = await runCli(["dlq", ...args], io, commandTable);
  return { exitCode, ...out };
}

function order(id: string, total: unknown) {
  return {
    specversion: "1.0",
    id,
    source: "shop",
    type: "crm.v1.OrderPlaced",
    time: "2026-03-01T18:30:00+09:00",
    data: { customer: { identifiers: [{ type: "customer_number", value: "C-7" }] }, orderId: id, total },
  };
}

async function post(event: unknown) {
  const response = await fetch(`http://127.0.0.1:${ingestion.httpPort}/v1/events`, {
    method: "POST",
    headers: { authorization: `Bearer ${writeKey}`, "content-type": "application/json" },
    body: JSON.stringify(event),
  });
  return (await response.json()) as { results: { status: string; reason?: string }[] };
}

const idsIn = (records: readonly TopicRecord[]) =>
  records.map((record) => (JSON.parse(record.value ?? "null") as { id: string }).id);

describe("rapport dlq against a real ingestion, Kafka and FerretDB", () => {
  it("lists a rejected event with its reason, redrives a fixed version once into the log under its id", async () => {
    const answer = await post(order("o-dlq-1", "a lot"));
    expect(answer.results).toMatchObject([{ status: "rejected", reason: "schema_violation" }]);

    const listed = await rapportDlq("list", "--reason", "schema_violation", "--json");
    expect(listed).toMatchObject({ exitCode: 0 });
    const entries = JSON.parse(listed.stdout) as { position: string; eventId: string }[];
    expect(entries).toMatchObject([
      {
        origin: { kind: "frontDoor", path: "http" },
        reason: "schema_violation",
        detail: expect.stringContaining("total"),
        eventId: "o-dlq-1",
        eventType: "crm.v1.OrderPlaced",
      },
    ]);
    const position = entries[0]?.position as string;
    const table = await rapportDlq("list");
    expect(table.stdout).toMatch(
      new RegExp(
        `^${position} .*front door \\(http\\) +schema_violation .* crm.v1.OrderPlaced o-dlq-1$`,
        "m",
      ),
    );

    // A person fixes what `dlq show --raw` printed and redrives the fixed version.
    const raw = await rapportDlq("show", position, "--raw");
    expect(raw.exitCode).toBe(0);
    const fixed = JSON.parse(raw.stdout) as ReturnType<typeof order>;
    expect(fixed).toEqual(order("o-dlq-1", "a lot"));
    fixed.data.total = { amountMinor: 45000, currency: "KRW" };
    await writeFile(join(directory, "fixed.json"), JSON.stringify(fixed));

    const redriven = await rapportDlq("redrive", position, "--fixed", "fixed.json");
    expect(redriven).toMatchObject({ exitCode: 0 });
    expect(redriven.stdout).toContain(
      `sent ${position} crm.v1.OrderPlaced o-dlq-1 (fixed) → ${topics.raw("orders")}`,
    );

    const log = await readTopic(infraEndpoints().kafkaBrokers, topics.events, {
      until: (records) => idsIn(records).includes("shop:o-dlq-1"),
    });
    expect(
      JSON.parse(log.find((record) => idsIn([record])[0] === "shop:o-dlq-1")?.value ?? ""),
    ).toMatchObject({
      data: { orderId: "o-dlq-1", total: { amountMinor: 45000, currency: "KRW" } },
    });
    const raws = await readTopic(infraEndpoints().kafkaBrokers, topics.raw("orders"), {
      until: (records) => records.length >= 1,
    });
    expect(raws[0]?.headers).toMatchObject({
      "rapport-source": "shop",
      "rapport-redriven-from": `${topics.deadLetter}/${position}`,
    });
    expect(Object.keys(raws[0]?.headers ?? {}).filter((name) => name.startsWith("rapport-dlq-"))).toEqual([]);

    // Redriven again, then a sentinel behind it on the same lane: the log holds the event once.
    expect((await rapportDlq("redrive", position, "--fixed", "fixed.json")).exitCode).toBe(0);
    expect(
      (await post(order("o-dlq-sentinel", { amountMinor: 100, currency: "KRW" }))).results,
    ).toMatchObject([{ status: "accepted" }]);
    const after = await readTopic(infraEndpoints().kafkaBrokers, topics.events, {
      until: (records) => idsIn(records).includes("shop:o-dlq-sentinel"),
    });
    expect(idsIn(after).filter((id) => id === "shop:o-dlq-1")).toHaveLength(1);
    expect(fatal).toBeUndefined();
  });

  it("shows a dead letter whole, and says so when a position holds none", async () => {
    const listed = JSON.parse((await rapportDlq("list", "--json")).stdout) as { position: string }[];
    const position = listed[0]?.position as string;
    const shown = await rapportDlq("show", position);
    expect(shown.stdout).toContain(`position      ${position}\n`);
    expect(shown.stdout).toContain("rapport-source: shop");
    expect(shown.stdout).toContain('"total": "a lot"');

    const missing = await rapportDlq("show", "0:100000");
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toMatch(/no dead letter at 0:100000: partition 0 holds offsets 0 to \d+/);
  });

  it("sends input rejected on a raw topic back to it, and a record rejected again says where it came from", async () => {
    const producer = new Kafka({
      brokers: infraEndpoints().kafkaBrokers,
      logLevel: logLevel.NOTHING,
    }).producer();
    await producer.connect();
    try {
      await producer.send({
        topic: topics.raw("orders"),
        acks: -1,
        messages: [{ key: "k-raw", value: "{not json" }],
      });
    } finally {
      await producer.disconnect();
    }
    type Listed = { position: string; origin: { kind: string; topic?: string } };
    const unparseable = async () =>
      JSON.parse((await rapportDlq("list", "--reason", "unparseable", "--json")).stdout) as Listed[];
    await waitFor(async () => (await unparseable()).length === 1, {
      timeoutMs: 60_000,
      description: "ingestion dead-letters the unreadable raw record",
    });
    const [first] = await unparseable();
    expect(first?.origin).toMatchObject({ kind: "topic", topic: topics.raw("orders") });

    const dryRun = await rapportDlq("redrive", "--reason", "unparseable", "--dry-run", "--json");
    expect(JSON.parse(dryRun.stdout)).toMatchObject({
      dryRun: true,
      steps: [{ position: first?.position, sentTo: topics.raw("orders"), refused: null }],
    });
    expect((await unparseable()).length).toBe(1);

    // Sent back unchanged, it is rejected again, and the new dead letter names the old one.
    expect((await rapportDlq("redrive", first?.position as string)).exitCode).toBe(0);
    await waitFor(async () => (await unparseable()).length === 2, {
      timeoutMs: 60_000,
      description: "the redriven record is rejected again",
    });
    const again = (await unparseable()).find((entry) => entry.position !== first?.position) as Listed;
    const shown = JSON.parse((await rapportDlq("show", again.position, "--json")).stdout) as {
      key: string;
      value: string;
      headers: Record<string, string>;
    };
    expect(shown).toMatchObject({
      key: "k-raw",
      value: "{not json",
      headers: { "rapport-redriven-from": `${topics.deadLetter}/${first?.position}` },
    });
  });
});
