import { ROOT_CONTEXT } from "@opentelemetry/api";
import { crmTopics } from "@rapport/events";
import { describe, expect, it } from "vitest";
import { type ObservedChange, queueTreatments } from "../src/adapters/treatment-queue.js";
import type { CustomerScores } from "../src/domain/customer-scores.js";

const topics = crmTopics("treatment-queue-test.");

const newBuyer = (index: number): ObservedChange => ({
  change: {
    eventId: `change-${index}`,
    customerId: `cus_${index}`,
    attribute: "lifecycle_stage",
    previousValue: "prospect",
    value: "new_stage_1",
    asOf: "2026-06-01T00:00:00.000Z",
  },
  traceContext: ROOT_CONTEXT,
});

const scoresOf = (customerId: string): CustomerScores => ({
  customerId,
  tier: "purchasing",
  lifecycleStage: "new_stage_1",
  segmentCell: "low_low_low",
  responsePolicy: "",
  revenueMinor: 0,
  historicValueMinor: 0,
  marginMinor: 0,
  topCategories: [],
  openComplaints: 0,
});

/** A scoring stand-in whose answers take longer the earlier the customer: they finish in reverse order. */
function slowScoring(customers: number) {
  let inFlight = 0;
  let mostInFlight = 0;
  const started: string[] = [];
  return {
    started,
    mostInFlight: () => mostInFlight,
    scoresOf: async (customerId: string) => {
      started.push(customerId);
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      const index = Number(customerId.slice("cus_".length));
      await new Promise((resolve) => setTimeout(resolve, (customers - index) * 2));
      inFlight -= 1;
      // Every third customer is unknown to scoring yet: no treatment for them.
      return index % 3 === 2 ? undefined : scoresOf(customerId);
    },
  };
}

describe("treatments queued for a part's changes", () => {
  it("look the scores up side by side, never more than allowed, and queue in the part's order", async () => {
    const changes = Array.from({ length: 40 }, (_, index) => newBuyer(index));
    const scoring = slowScoring(changes.length);

    const records = await queueTreatments(changes, {
      topics,
      scoresOf: scoring.scoresOf,
      lookupsInFlight: 8,
    });

    expect(scoring.mostInFlight()).toBe(8);
    const queued = records.map(
      (record) => JSON.parse(String(record.value)) as { id: string; data: { causeEventId: string } },
    );
    const expected = changes
      .filter((_, index) => index % 3 !== 2)
      .map(({ change }) => `treatment:${change.eventId}`);
    expect(queued.map((event) => event.id)).toEqual(expected);
    expect(records.every((record) => record.topic === topics.offers)).toBe(true);
  });

  it("queue the same treatments when the part is handled again", async () => {
    const changes = Array.from({ length: 10 }, (_, index) => newBuyer(index));
    const first = await queueTreatments(changes, {
      topics,
      scoresOf: slowScoring(10).scoresOf,
      lookupsInFlight: 4,
    });
    const again = await queueTreatments(changes, {
      topics,
      scoresOf: slowScoring(10).scoresOf,
      lookupsInFlight: 4,
    });
    expect(again.map((record) => record.value)).toEqual(first.map((record) => record.value));
  });
});

describe("treatments for changes that carry the customer's scores", () => {
  it("are decided on the carried scores, looking up only the changes without them", async () => {
    const changes = Array.from({ length: 6 }, (_, index) => ({
      ...newBuyer(index),
      ...(index % 2 === 0 ? { scores: scoresOf(`cus_${index}`) } : {}),
    }));
    const scoring = slowScoring(changes.length);

    const records = await queueTreatments(changes, {
      topics,
      scoresOf: scoring.scoresOf,
      lookupsInFlight: 4,
    });

    expect(scoring.started.sort()).toEqual(["cus_1", "cus_3", "cus_5"]);
    // cus_5 is unknown to scoring (every third customer): the others are treated, in order.
    expect(records.map((record) => (JSON.parse(String(record.value)) as { id: string }).id)).toEqual(
      [0, 1, 2, 3, 4].map((index) => `treatment:change-${index}`),
    );
  });
});
