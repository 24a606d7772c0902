import { seededRandom } from "@rapport/sampling";
import { describe, expect, it } from "vitest";
import { admissionRulesOf } from "../../services/ingestion/src/app.js";
import { loadIngestionConfig } from "../../services/ingestion/src/config.js";
import { createAdmission } from "../../services/ingestion/src/domain/admission.js";
import { rawUnits } from "../../services/ingestion/src/domain/raw-message.js";
import { accessLogTime, freshRecordOf } from "../pipeline/fresh-events.js";
import { parsePipelineBenchOptions } from "../pipeline/options.js";
import { freshPipelineNames, pipelineEnvironment } from "../pipeline/pipeline-services.js";
import { chooseInOrder, pipelineWorkload, type RawRecord, rawRecordOf } from "../pipeline/workload.js";

const endpoints = { kafkaBrokers: ["127.0.0.1:9092"], mongodbUri: "mongodb://127.0.0.1:27017" };
const ports = { ingestionGrpc: 1, identityGrpc: 2, scoringGrpc: 3, offerGrpc: 4 };
// The rules ingestion runs with in the benchmark: every default but the variables the benchmark sets.
const ingestionEnv = pipelineEnvironment("ingestion", endpoints, freshPipelineNames("test"), ports);
const admission = createAdmission(admissionRulesOf(loadIngestionConfig(ingestionEnv)));
const now = new Date("2026-11-23T00:00:00Z");
const workload = pipelineWorkload({ events: 3_000, customers: 300, seed: 1, now });

/** What ingestion makes of a raw record: the id of each event it appends, or why not. */
function admitted(record: RawRecord): string[] {
  return rawUnits(record.value, { allowLogLines: record.lane === "weblogs" }).map((unit) => {
    const context = { fallbackSource: record.lane, now };
    const result =
      unit.kind === "cloud_event"
        ? admission.admitCloudEvent(unit.value, Buffer.byteLength(unit.text), context)
        : unit.kind === "log_line"
          ? admission.admitLogLine(unit.text, context)
          : { kind: "rejected" as const, reason: "unparseable", detail: unit.detail };
    if (result.kind !== "accepted")
      throw new Error(`${record.value}\nwas not accepted: ${JSON.stringify(result)}`);
    return result.event.id;
  });
}

describe("choosing N of a company's events", () => {
  it("takes exactly N distinct indexes in ascending order, the same for the same seed", () => {
    const chosen = chooseInOrder(1_000, 300, seededRandom(7));
    expect(chosen).toHaveLength(300);
    expect(new Set(chosen).size).toBe(300);
    expect(chosen.every((index, k) => k === 0 || index > (chosen[k - 1] as number))).toBe(true);
    expect(chosen.every((index) => index >= 0 && index < 1_000)).toBe(true);
    expect(chooseInOrder(1_000, 300, seededRandom(7))).toEqual(chosen);
    expect(chooseInOrder(5, 5, seededRandom(1))).toEqual([0, 1, 2, 3, 4]);
    expect(() => chooseInOrder(5, 6, seededRandom(1))).toThrow(/cannot choose 6 of 5/);
  });

  it("gives every index the same chance", () => {
    const hits = new Array<number>(10).fill(0);
    const random = seededRandom(3);
    for (let run = 0; run < 2_000; run += 1)
      for (const index of chooseInOrder(10, 3, random)) hits[index] = (hits[index] ?? 0) + 1;
    // 600 expected each (2,000 × 3/10), standard deviation about 20.
    for (const count of hits) expect(Math.abs(count - 600)).toBeLessThan(100);
  });
});

describe("the pipeline workload", () => {
  it("is N events of the demo company in time order, with its mix", () => {
    expect(workload.deliveries).toHaveLength(3_000);
    expect(workload.people).toBe(300);
    expect(workload.months).toBe(12);
    expect(workload.generated).toBeGreaterThan(3_000);
    const { mix } = workload;
    expect(
      mix.signUps + mix.consents + mix.orders + mix.calls + mix.pageViews + mix.logins + mix.surveys,
    ).toBe(3_000);
    for (const count of Object.values(mix)) expect(count).toBeGreaterThan(0);
    const times = workload.deliveries.map((delivery) => delivery.at);
    expect(times.every((at, k) => k === 0 || at >= (times[k - 1] as number))).toBe(true);
  });

  it("has about 10 events a person, so the default 200,000 events come from about 20,000 people", () => {
    expect(workload.generated / workload.people).toBeGreaterThan(9);
    expect(workload.generated / workload.people).toBeLessThan(13);
  });

  it("takes a longer history when a year has too few events, and says so when even that is not enough", () => {
    expect(pipelineWorkload({ events: 1_000, customers: 40, seed: 1, now }).months).toBeGreaterThan(12);
    expect(() => pipelineWorkload({ events: 100_000, customers: 10, seed: 1, now })).toThrow(
      /give more --customers/,
    );
  });

  it("is accepted by ingestion from the raw topics, every event once", () => {
    const ids = workload.deliveries.map(rawRecordOf).flatMap(admitted);
    expect(ids).toHaveLength(3_000);
    expect(new Set(ids).size).toBe(3_000);
  });

  it("sends every kind to the raw lane ingestion reads it from", () => {
    const lanes = new Set(workload.deliveries.map((delivery) => rawRecordOf(delivery).lane));
    expect([...lanes].sort()).toEqual(["calls", "consents", "customers", "orders", "surveys", "weblogs"]);
  });
});

describe("the events published while freshness is measured", () => {
  const atMs = Date.parse("2026-11-23T00:00:05.250Z");
  const fresh = workload.deliveries.map((delivery, index) => freshRecordOf(delivery, 10_000 + index, atMs));

  it("are accepted as new events, none the same as a workload event", () => {
    const original = new Set(workload.deliveries.map(rawRecordOf).flatMap(admitted));
    const ids = fresh.flatMap(({ record }) => admitted(record));
    expect(new Set(ids).size).toBe(3_000);
    expect(ids.filter((id) => original.has(id))).toEqual([]);
  });

  it("stay as many events when the same events are published again within one second", () => {
    const again = workload.deliveries.map((delivery, index) => freshRecordOf(delivery, 20_000 + index, atMs));
    const ids = new Set([...fresh, ...again].flatMap(({ record }) => admitted(record)));
    expect(ids.size).toBe(6_000);
  });

  it("happen at the publish time", () => {
    const line = fresh.find(({ record }) => record.lane === "weblogs" && !record.value.startsWith("{"));
    expect(line?.record.value).toContain(`[${accessLogTime(atMs)}]`);
    expect(accessLogTime(atMs)).toBe("23/Nov/2026:00:00:05 +0000");
    const event = fresh.find(({ record }) => record.value.startsWith("{"));
    expect(JSON.parse(event?.record.value ?? "{}").time).toBe("2026-11-23T00:00:05.250Z");
  });

  it("name each order's id in crm.events and an identifier of its customer", () => {
    const orders = fresh.filter(({ order }) => order !== undefined);
    expect(orders.length).toBe(workload.mix.orders);
    for (const { record, order } of orders) {
      expect(admitted(record)).toEqual([order?.eventId]);
      const data = JSON.parse(record.value).data;
      expect(data.orderId).toBe(order?.eventId.slice(order.eventId.indexOf(":") + 1));
      expect(data.customer.identifiers[0]).toEqual(order?.identifier);
    }
  });
});

describe("the pipeline benchmark's options", () => {
  it("default to 200,000 events of 20,000 people, then 100,000", () => {
    const options = parsePipelineBenchOptions([]);
    expect(options).toMatchObject({
      events: 200_000,
      customers: 20_000,
      scaleCustomers: 100_000,
      freshnessRate: 1_000,
      freshnessSeconds: 60,
      json: false,
      write: true,
    });
  });

  it("size the people by the events unless told, and the larger population by the people", () => {
    expect(parsePipelineBenchOptions(["--events", "3000"])).toMatchObject({
      customers: 300,
      scaleCustomers: 1_500,
    });
    expect(
      parsePipelineBenchOptions(["--events", "3000", "--customers", "500", "--skip-scale", "--json"]),
    ).toMatchObject({ customers: 500, skipScale: true, json: true });
  });

  it("refuse what is not a whole number above 0", () => {
    expect(() => parsePipelineBenchOptions(["--events", "0"])).toThrow(/whole number > 0/);
    expect(() => parsePipelineBenchOptions(["--freshness-rate", "1.5"])).toThrow(/whole number > 0/);
  });
});
