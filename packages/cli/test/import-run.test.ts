import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type CloudEventJson,
  type EventAnswer,
  type ImportKind,
  planImport,
  runImport,
} from "../src/index.js";
import { createProgressReporter } from "../src/io/progress-reporter.js";
import { readFileColumns } from "../src/io/record-stream.js";
import { createRejectionFile, rejectionFilePath } from "../src/io/rejection-file.js";
import { createWarningFile, warningFilePath } from "../src/io/warning-file.js";

let directory = "";

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), "rapport-import-"));
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

/** Ingestion as far as the importer can tell: rejects events whose id says so, accepts the rest. */
function fakeIngestion() {
  const batches: CloudEventJson[][] = [];
  const publish = async (events: readonly CloudEventJson[]): Promise<EventAnswer[]> => {
    batches.push([...events]);
    return events.map((event) =>
      String(event.id).includes("bad")
        ? { status: "rejected", reason: "invalid_identifier", detail: "phone is not valid" }
        : { status: "accepted", eventId: `importer:${String(event.id)}` },
    );
  };
  return { batches, publish };
}

/** The lines of an NDJSON report file, or none when the run wrote none. */
async function reportLines(path: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(path, "utf8").catch(() => "");
  return text
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function importFile(name: string, content: string, batchSize: number, kind: ImportKind = "orders") {
  const file = join(directory, name);
  await writeFile(file, content);
  const format = name.endsWith(".csv") ? "csv" : "ndjson";
  const plan = planImport(kind, new Map(), await readFileColumns(file, format), {
    timeZone: "Asia/Seoul",
    defaultCurrency: "KRW",
    identifierRules: { defaultPhoneRegion: "KR" },
  });
  if (!plan.ok) throw new Error(plan.detail);
  const ingestion = fakeIngestion();
  const progress = { text: "" };
  const tally = await runImport(
    { file, format, plan: plan.value, batchSize, maxInFlight: 2 },
    {
      publish: ingestion.publish,
      rejections: await createRejectionFile(rejectionFilePath(file)),
      warnings: await createWarningFile(warningFilePath(file)),
      progress: createProgressReporter({
        output: { write: (text) => (progress.text += text) },
        clock: () => 0,
      }),
      clock: () => 0,
    },
  );
  return {
    tally,
    batches: ingestion.batches,
    rejected: await reportLines(rejectionFilePath(file)),
    warnings: await reportLines(warningFilePath(file)),
  };
}

describe("importing a file", () => {
  it("groups a CSV's item rows across the file in two passes, sends in batches and writes rejected rows", async () => {
    const csv = [
      "order_id,customer_number,time,product_id,quantity,unit_price",
      "O-1,C-1,2024-03-01 10:00,SKU-1,1,5000",
      "O-2,C-2,2024-03-01 11:00,SKU-2,2,3000",
      "O-3,C-3,yesterday,SKU-3,1,1000",
      "bad-4,C-4,2024-03-01 12:00,SKU-4,1,1000",
      "O-1,C-1,2024-03-01 10:00,SKU-5,3,2000",
      "",
    ].join("\n");
    const { tally, batches, rejected } = await importFile("orders.csv", csv, 2);
    expect(batches.map((batch) => batch.map((event) => event.id))).toEqual([
      ["order-O-2", "order-bad-4"],
      ["order-O-1"],
    ]);
    expect(batches[1]?.[0]).toMatchObject({
      time: "2024-03-01T10:00:00+09:00",
      data: { total: { amountMinor: 11000, currency: "KRW" } },
    });
    expect(tally).toMatchObject({
      rowsRead: 5,
      eventsSent: 3,
      accepted: 2,
      rejectedByIngestion: 1,
      rejectedLocally: 1,
    });
    expect(rejected).toEqual([
      {
        row: 4,
        rejectedBy: "importer",
        reason: "invalid_time",
        detail: expect.stringContaining('"yesterday" is not a date or time'),
        record: {
          order_id: "O-3",
          customer_number: "C-3",
          time: "yesterday",
          product_id: "SKU-3",
          quantity: "1",
          unit_price: "1000",
        },
      },
      {
        row: 5,
        rejectedBy: "ingestion",
        reason: "invalid_identifier",
        detail: "phone is not valid",
        record: expect.objectContaining({ order_id: "bad-4" }),
      },
    ]);
  });

  it("sends NDJSON CloudEvents as they are, mapping the flat records in between", async () => {
    const ndjson = [
      JSON.stringify({
        specversion: "1.0",
        id: "u-1",
        type: "crm.v1.OrderPlaced",
        time: "2024-03-01T00:00:00Z",
        data: {},
      }),
      JSON.stringify({ order_id: "N-1", email: "a@example.com", time: "2024-03-01", amount: 1200 }),
      "",
    ].join("\n");
    const { batches, rejected } = await importFile("orders.ndjson", ndjson, 500);
    expect(batches).toEqual([
      [
        { specversion: "1.0", id: "u-1", type: "crm.v1.OrderPlaced", time: "2024-03-01T00:00:00Z", data: {} },
        expect.objectContaining({ id: "order-N-1", time: "2024-03-01T00:00:00+09:00" }),
      ],
    ]);
    expect(rejected).toEqual([]);
  });
});

describe("importing customers with fields that are no good", () => {
  it("sends the rows without those fields, and writes each to the warnings file, not the rejection file", async () => {
    const csv = [
      "email,phone,birth_date,postal_code,time",
      "ji@example.com,010-1234-5678,1985-13-01,04524,2019-05-02",
      "min@example.com,12,1990-01-01,,2019-05-03",
      "not-an-email,also-not-a-phone,,,2019-05-04",
      "",
    ].join("\n");
    const { tally, batches, rejected, warnings } = await importFile("customers.csv", csv, 500, "customers");
    expect(batches.flat().map((event) => event.id)).toEqual([
      "customer-email:ji@example.com",
      "customer-email:min@example.com",
    ]);
    expect(tally).toMatchObject({
      rowsRead: 3,
      accepted: 2,
      rejectedLocally: 1,
      fieldsDropped: 2,
      rowsWithDroppedFields: 2,
    });
    expect(warnings).toEqual([
      {
        row: 2,
        field: "birth_date",
        value: "1985-13-01",
        reason: "invalid_date",
        detail: 'birth date "1985-13-01" is not a real date',
      },
      {
        row: 3,
        field: "phone",
        value: "12",
        reason: "invalid_identifier",
        detail: expect.stringContaining('phone "12" is not a valid phone number'),
      },
    ]);
    expect(rejected).toEqual([
      {
        row: 4,
        rejectedBy: "importer",
        reason: "missing_identifier",
        detail: expect.stringMatching(
          /^the row names no customer by a valid identifier; email: email "not-an-email" is not an email address; phone: phone "also-not-a-phone" is not a valid phone number/,
        ),
        record: expect.objectContaining({ email: "not-an-email" }),
      },
    ]);
  });

  it("leaves no warnings file when nothing was dropped, and removes one an earlier run left", async () => {
    await writeFile(warningFilePath(join(directory, "clean.csv")), "stale\n");
    const { warnings, tally } = await importFile(
      "clean.csv",
      "customer_number,time\nC-1,2019-05-02\n",
      500,
      "customers",
    );
    expect(tally.fieldsDropped).toBe(0);
    expect(warnings).toEqual([]);
  });
});
