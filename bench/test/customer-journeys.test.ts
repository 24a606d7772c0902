import { type CustomerEvent, identifierTypes } from "@rapport/events";
import { describe, expect, it } from "vitest";
import { admissionRulesOf } from "../../services/ingestion/src/app.js";
import { loadIngestionConfig } from "../../services/ingestion/src/config.js";
import { createAdmission } from "../../services/ingestion/src/domain/admission.js";
import { customerGroupsOf } from "../identity-throughput/customer-groups.js";
import {
  createCustomerJourneys,
  type JourneyOptions,
  journeyPopulation,
  unknownIdentifier,
} from "../identity-throughput/customer-journeys.js";

const options: JourneyOptions = { seed: 7, runTag: "test", shoppers: 300, visitors: 300 };
const journeys = createCustomerJourneys(options);
const sample = Array.from({ length: 3_000 }, (_, index) => journeys.event(index));
const typesOf = (event: CustomerEvent) => event.data.customer.identifiers.map(({ type }) => type).sort();
const shareOf = (predicate: (entry: (typeof sample)[number]) => boolean) =>
  sample.filter(predicate).length / sample.length;

// The rules a production ingestion instance runs with, to check the events are what it appends.
const admission = createAdmission(
  admissionRulesOf(loadIngestionConfig({ INGESTION_WRITE_KEYS: "bench=bench-key" })),
);

describe("the customer journeys identity resolves", () => {
  it("give the same event for the same index and options, and unique ids", () => {
    expect(createCustomerJourneys(options).event(1234)).toEqual(sample[1234]);
    expect(new Set(sample.map(({ event }) => event.id)).size).toBe(sample.length);
    const otherRun = createCustomerJourneys({ ...options, runTag: "other" }).event(1234);
    expect(otherRun.event.id).toBe(sample[1234]?.event.id.replace(":test-", ":other-"));
    expect(otherRun.event.data).toEqual(sample[1234]?.event.data);
  });

  it("are events exactly as ingestion appends them to crm.events (admitting one changes nothing)", () => {
    const now = new Date("2026-11-23T00:00:00Z");
    for (const { event } of sample) {
      const upstream = { ...event, id: event.id.slice(event.source.length + 1) };
      const text = JSON.stringify(upstream);
      const result = admission.admitCloudEvent(JSON.parse(text), Buffer.byteLength(text), {
        fallbackSource: event.source,
        now,
      });
      if (result.kind !== "accepted") throw new Error(`${text}\nwas not accepted: ${JSON.stringify(result)}`);
      expect(result.event).toEqual(event);
    }
  });

  it("are a third anonymous visits, then logins, orders and calls naming the identifiers of each", () => {
    expect(shareOf(({ step }) => step === "visit")).toBeCloseTo(0.34, 1);
    expect(shareOf(({ step }) => step === "login")).toBeCloseTo(0.18, 1);
    expect(shareOf(({ step }) => step === "order")).toBeCloseTo(0.3, 1);
    expect(shareOf(({ step }) => step === "call")).toBeCloseTo(0.18, 1);
    for (const { step, event } of sample) {
      const types = typesOf(event);
      if (step === "visit") expect(types).toEqual(["cookie_id"]);
      if (step === "login") expect(types).toEqual(["cookie_id", "email"]);
      if (step === "order")
        expect(types.filter((type) => type !== "loyalty_card")).toEqual(["customer_number", "email"]);
      if (step === "call") expect(["phone", "email,phone"]).toContain(types.join(","));
    }
    const types = new Set(sample.map(({ event }) => event.type));
    expect([...types].sort()).toEqual(["crm.v1.CallLogged", "crm.v1.OrderPlaced", "crm.v1.PageViewed"]);
  });

  it("are keyed by the strongest identifier, as ingestion keys crm.events", () => {
    const strongestFirst = ["customer_number", "loyalty_card", "email", "phone", "device_id", "cookie_id"];
    expect([...strongestFirst].sort()).toEqual([...identifierTypes].sort());
    for (const { key, event } of sample) {
      const identifiers = event.data.customer.identifiers;
      const strongest = strongestFirst
        .map((type) => identifiers.find((identifier) => identifier.type === type))
        .find((identifier) => identifier !== undefined);
      expect(key).toBe(`${strongest?.type}:${strongest?.value}`);
    }
    const visit = sample.find(({ step }) => step === "visit");
    expect(visit?.key).toMatch(/^cookie_id:/);
    const order = sample.find(({ step }) => step === "order");
    expect(order?.key).toMatch(/^customer_number:C-/);
  });

  it("merge customers in a share of events at the benchmark's default size, and leave others anonymous", () => {
    const events = 20_000;
    const defaults = createCustomerJourneys(journeyPopulation(events, "run1"));
    const groups = customerGroupsOf(
      Array.from({ length: events }, (_, index) => defaults.event(index).event.data.customer.identifiers),
    );
    expect(groups.mergingEvents / events).toBeGreaterThan(0.03);
    expect(groups.mergingEvents / events).toBeLessThan(0.1);
    expect(groups.customers).toBeGreaterThan(2_000);
  });

  it("have unknown identifiers that no event names and ingestion would accept", () => {
    const named = new Set(
      sample.flatMap(({ event }) =>
        event.data.customer.identifiers.map(({ type, value }) => `${type}:${value}`),
      ),
    );
    const unknown = Array.from({ length: 400 }, (_, draw) => unknownIdentifier(options, draw));
    expect(new Set(unknown.map(({ type }) => type))).toEqual(
      new Set(["customer_number", "email", "phone", "cookie_id"]),
    );
    for (const { type, value } of unknown) expect(named.has(`${type}:${value}`)).toBe(false);
    expect(unknown.find(({ type }) => type === "phone")?.value).toMatch(/^\+8210[2-9]\d{7}$/);
  });
});
