import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crmTopics } from "@rapport/events";
import { type RunningIngestionService, startIngestionService } from "@rapport/ingestion";
import { infraEndpoints, readTopic, type TopicRecord, uniqueName } from "@rapport/testing";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// Ingestion exports only its app; a test may build its config the way its main does.
import { loadIngestionConfig } from "../../../services/ingestion/src/config.js";
import { type CommandIo, commandTable, runCli } from "../src/index.js";

const writeKey = randomBytes(16).toString("hex");
const topics = crmTopics(`${uniqueName("cli-import")}.`);
let ingestion: RunningIngestionService;
let directory = "";
let fatal: Error | undefined;

beforeAll(async () => {
  const { kafkaBrokers, mongodbUri } = infraEndpoints();
  const consumerGroup = uniqueName("cli-import-ingestion");
  const config = loadIngestionConfig({
    KAFKA_BROKERS: kafkaBrokers.join(","),
    MONGODB_URI: mongodbUri,
    KAFKA_TOPIC_PREFIX: topics.events.slice(0, -"crm.events".length),
    // One partition per topic: the sentinel below is appended only after everything sent before it.
    KAFKA_TOPIC_PARTITIONS: "1",
    INGESTION_DATABASE: uniqueName("cli-import"),
    INGESTION_CONSUMER_GROUP: consumerGroup,
    INSTANCE_ID: consumerGroup,
    HTTP_PORT: "0",
    GRPC_PORT: "0",
    INGESTION_WRITE_KEYS: `importer=${writeKey}`,
    LOG_LEVEL: "warn",
  });
  ingestion = await startIngestionService({
    config,
    logger: pino({ level: "silent" }),
    onFatal: (error) => {
      fatal = error;
    },
  });
  directory = await mkdtemp(join(tmpdir(), "rapport-cli-import-"));
});

afterAll(async () => {
  await ingestion?.stop();
  if (directory) await rm(directory, { recursive: true, force: true });
});

/** `rapport import ...` in this process, against the ingestion started above; the summary as JSON. */
async function rapportImport(kind: string, name: string, content: string, ...options: string[]) {
  const file = join(directory, name);
  await writeFile(file, content);
  const out = { stdout: "", stderr: "" };
  const io: CommandIo = {
    stdout: { write: (text: string) => (out.stdout += text) },
    stderr: { write: (text: string) => (out.stderr += text) },
    env: {},
    cwd: directory,
  };
  const url = `http://127.0.0.1:${ingestion.httpPort}`;
  // No scoring here, whatever else runs on this machine: orders go in with currencies not checked.
  const noScoring = ["--scoring", "127.0.0.1:1"];
  const args = [
    "import",
    kind,
    file,
    "--url",
    url,
    "--write-key",
    writeKey,
    "--json",
    ...noScoring,
    ...options,
  ];
  const exitCode = await runCli(args, io, commandTable);
  if (out.stdout === "")
    throw new Error(`rapport import printed no summary (exit ${exitCode}): ${out.stderr}`);
  return { exitCode, file, summary: JSON.parse(out.stdout) as Record<string, unknown> };
}

type StoredEvent = { id: string; type: string; time: string; data: Record<string, unknown> };

const eventsIn = (records: readonly TopicRecord[]) =>
  records.map((record) => JSON.parse(record.value ?? "null") as StoredEvent);

/** Reads crm.events until it holds every given id, and returns all of it. */
async function eventLogWith(...ids: string[]): Promise<StoredEvent[]> {
  const records = await readTopic(infraEndpoints().kafkaBrokers, topics.events, {
    until: (read) => ids.every((id) => eventsIn(read).some((event) => event.id === id)),
  });
  return eventsIn(records);
}

const ordersCsv = [
  "order_id,customer_number,email,phone,time,currency,product_id,product_name,quantity,unit_price",
  "O-100,C-1,Ji@Example.com,,2024-03-01 10:00,EUR,SKU-1,Tea,2,4.50",
  "K-200,C-2,,010-1234-5678,2024-03-02 09:30,KRW,SKU-9,Kimchi,3,12000",
  "BAD-1,C-3,,,2024-02-30 10:00,EUR,SKU-1,Tea,1,4.50",
  "O-100,C-1,Ji@Example.com,,2024-03-01 10:00,EUR,SKU-2,Cup,1,10.00",
  "",
].join("\n");

describe("rapport import against a real ingestion, Kafka and FerretDB", () => {
  it("appends one OrderPlaced per order, grouped and normalised, and reports the bad row", async () => {
    const { exitCode, file, summary } = await rapportImport(
      "orders",
      "orders.csv",
      ordersCsv,
      "--timezone",
      "Asia/Seoul",
    );

    expect(fatal).toBeUndefined();
    expect(exitCode).toBe(2);
    expect(summary).toMatchObject({
      rowsRead: 4,
      eventsSent: 2,
      accepted: 2,
      rejectedByIngestion: { count: 0 },
      rejectedLocally: {
        count: 1,
        examples: [
          { row: 4, reason: "invalid_time", detail: 'time: "2024-02-30 10:00" is not a real date and time' },
        ],
      },
      rejectionFile: `${file}.rejected.ndjson`,
    });
    const rejected = (await readFile(`${file}.rejected.ndjson`, "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(rejected).toEqual([
      {
        row: 4,
        rejectedBy: "importer",
        reason: "invalid_time",
        detail: 'time: "2024-02-30 10:00" is not a real date and time',
        record: expect.objectContaining({ order_id: "BAD-1", time: "2024-02-30 10:00" }),
      },
    ]);

    const events = await eventLogWith("importer:order-O-100", "importer:order-K-200");
    expect(events.map((event) => event.id).sort()).toEqual(["importer:order-K-200", "importer:order-O-100"]);
    const byId = new Map(events.map((event) => [event.id, event]));
    expect(byId.get("importer:order-O-100")).toMatchObject({
      type: "crm.v1.OrderPlaced",
      time: "2024-03-01T01:00:00.000Z",
      data: {
        orderId: "O-100",
        customer: {
          identifiers: [
            { type: "customer_number", value: "C-1" },
            { type: "email", value: "ji@example.com" },
          ],
        },
        items: [
          {
            productId: "SKU-1",
            productName: "Tea",
            quantity: 2,
            unitPrice: { amountMinor: 450, currency: "EUR" },
          },
          {
            productId: "SKU-2",
            productName: "Cup",
            quantity: 1,
            unitPrice: { amountMinor: 1000, currency: "EUR" },
          },
        ],
        total: { amountMinor: 1900, currency: "EUR" },
      },
    });
    expect(byId.get("importer:order-K-200")).toMatchObject({
      time: "2024-03-02T00:30:00.000Z",
      data: {
        customer: {
          identifiers: [
            { type: "customer_number", value: "C-2" },
            { type: "phone", value: "+821012345678" },
          ],
        },
        total: { amountMinor: 36000, currency: "KRW" },
      },
    });
  });

  it("appends registrations with their traits, leaving out a malformed birth date, keyed by any identifier", async () => {
    const customersCsv = [
      "customer_number,email,first_name,last_name,birth_date,city,country_code,registration_channel,time",
      "C-1,ji@example.com,Ji-woo,Kim,1985/07/14,Seoul,kr,store,2019-05-02 14:00",
      "C-2,,Min,Park,19900101,Busan,KR,web,2020-01-10",
      "C-3,,Ann,Lee,1985-13-45,Daegu,KR,web,2021-03-01",
      ",Bo@Example.com,Bo,Cho,,,,app,2022-07-01",
      "",
    ].join("\n");
    const { exitCode, file, summary } = await rapportImport(
      "customers",
      "customers.csv",
      customersCsv,
      "--timezone",
      "Asia/Seoul",
    );
    expect(exitCode).toBe(0);
    expect(summary).toMatchObject({
      rowsRead: 4,
      eventsSent: 4,
      accepted: 4,
      rejectionFile: null,
      fieldsDropped: { count: 1, rows: 1 },
      warningFile: `${file}.warnings.ndjson`,
    });
    expect(JSON.parse(await readFile(`${file}.warnings.ndjson`, "utf8"))).toEqual({
      row: 4,
      field: "birth_date",
      value: "1985-13-45",
      reason: "invalid_date",
      detail: 'birth date "1985-13-45" is not a real date',
    });

    const events = await eventLogWith(
      "importer:customer-C-1",
      "importer:customer-C-2",
      "importer:customer-C-3",
      "importer:customer-email:bo@example.com",
    );
    expect(events.find((event) => event.id === "importer:customer-C-1")).toMatchObject({
      type: "crm.v1.CustomerRegistered",
      time: "2019-05-02T05:00:00.000Z",
      data: {
        customer: {
          identifiers: [
            { type: "customer_number", value: "C-1" },
            { type: "email", value: "ji@example.com" },
          ],
          traits: {
            firstName: "Ji-woo",
            lastName: "Kim",
            birthDate: "1985-07-14",
            address: { city: "Seoul", countryCode: "KR" },
          },
        },
        registrationChannel: "store",
      },
    });
    expect(events.find((event) => event.id === "importer:customer-C-2")).toMatchObject({
      time: "2020-01-09T15:00:00.000Z",
      data: { customer: { traits: { birthDate: "1990-01-01" } } },
    });
    const withoutBirthDate = events.find((event) => event.id === "importer:customer-C-3");
    expect(withoutBirthDate).toMatchObject({
      data: { customer: { traits: { firstName: "Ann", lastName: "Lee", address: { city: "Daegu" } } } },
    });
    expect(withoutBirthDate?.data).not.toHaveProperty("customer.traits.birthDate");
    expect(events.find((event) => event.id === "importer:customer-email:bo@example.com")).toMatchObject({
      data: {
        customer: { identifiers: [{ type: "email", value: "bo@example.com" }] },
        registrationChannel: "app",
      },
    });
  });

  it("appends nothing new when the same file is imported again", async () => {
    // Twice here, so the test holds alone as well as after the first one.
    for (const _time of [1, 2]) {
      const again = await rapportImport("orders", "orders.csv", ordersCsv, "--timezone", "Asia/Seoul");
      expect(again.summary).toMatchObject({ eventsSent: 2, accepted: 2, rejectedLocally: { count: 1 } });
    }

    // With one partition, once the sentinel (sent after the second import) is in the log, the second
    // import's events have been through the exactly-once append too.
    const sentinel = "order_id,customer_number,time,amount,currency\nS-1,C-9,2024-03-03,1,EUR\n";
    expect((await rapportImport("orders", "sentinel.csv", sentinel)).exitCode).toBe(0);
    const events = await eventLogWith("importer:order-S-1");
    const orderIds = events.filter((event) => event.type === "crm.v1.OrderPlaced").map((event) => event.id);
    expect(orderIds.sort()).toEqual(["importer:order-K-200", "importer:order-O-100", "importer:order-S-1"]);
  });
});
