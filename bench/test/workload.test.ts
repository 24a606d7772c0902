import { eventTypes } from "@rapport/events";
import { describe, expect, it } from "vitest";
import { admissionRulesOf } from "../../services/ingestion/src/app.js";
import { loadIngestionConfig } from "../../services/ingestion/src/config.js";
import { createAdmission } from "../../services/ingestion/src/domain/admission.js";
import { createWorkload, withoutSource } from "../ingestion/workload.js";

// The rules a production instance runs with (every default), so the benchmark measures accepted events.
const admission = createAdmission(
  admissionRulesOf(loadIngestionConfig({ INGESTION_WRITE_KEYS: "bench=bench-key" })),
);
const now = new Date("2026-11-23T00:00:00Z");
const workload = createWorkload({ seed: 42, idPrefix: "test", customers: 500 });
const sample = Array.from({ length: 3_000 }, (_, index) => workload.event(index));

describe("the benchmark workload", () => {
  it("is accepted by ingestion's admission event for event, from the raw topic, with the id it expects", () => {
    for (const { lane, eventId, cloudEvent } of sample) {
      const text = JSON.stringify(cloudEvent);
      const result = admission.admitCloudEvent(JSON.parse(text), Buffer.byteLength(text), {
        fallbackSource: lane,
        now,
      });
      if (result.kind !== "accepted") throw new Error(`${text}\nwas not accepted: ${JSON.stringify(result)}`);
      expect(result.event.id).toBe(eventId);
    }
  });

  it("is accepted over HTTP too, where the write key names the source", () => {
    for (const { cloudEvent } of sample) {
      const text = JSON.stringify(withoutSource(cloudEvent));
      const result = admission.admitCloudEvent(JSON.parse(text), Buffer.byteLength(text), {
        authenticatedSource: "bench",
        fallbackSource: "bench",
        now,
      });
      expect(result.kind, text).toBe("accepted");
    }
  });

  it("mixes orders with items, calls, page views and survey answers", () => {
    const types = new Set(sample.map(({ cloudEvent }) => cloudEvent.type));
    expect([...types].sort()).toEqual([
      "crm.v1.CallLogged",
      "crm.v1.OrderPlaced",
      "crm.v1.PageViewed",
      "crm.v1.SurveyAnswered",
    ]);
    expect([...types].every((type) => (eventTypes as readonly string[]).includes(type))).toBe(true);
    const orders = sample.filter(({ cloudEvent }) => cloudEvent.type === "crm.v1.OrderPlaced");
    expect(orders.every(({ cloudEvent }) => Array.isArray(cloudEvent.data.items))).toBe(true);
  });

  it("uses Korean mobile numbers 010-[2-9]xxx-xxxx and emails in mixed case", () => {
    const identifiers = sample.flatMap(({ cloudEvent }) => {
      const customer = cloudEvent.data.customer as { identifiers: { type: string; value: string }[] };
      return customer.identifiers;
    });
    const phones = identifiers.filter(({ type }) => type === "phone").map(({ value }) => value);
    expect(phones.length).toBeGreaterThan(100);
    expect(phones.every((phone) => /^010-[2-9]\d{3}-\d{4}$/.test(phone))).toBe(true);
    const emails = identifiers.filter(({ type }) => type === "email").map(({ value }) => value);
    expect(emails.some((email) => email !== email.toLowerCase())).toBe(true);
  });

  it("gives every index its own id and the same event on every call", () => {
    expect(new Set(sample.map(({ eventId }) => eventId)).size).toBe(sample.length);
    expect(workload.event(1234)).toEqual(sample[1234]);
  });
});
