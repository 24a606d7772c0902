import { describe, expect, it } from "vitest";
import type { CustomerScores } from "../src/domain/customer-scores.js";
import { type CustomerChange, mayQueueTreatment, treatmentFor } from "../src/domain/treatments.js";

const change = (attribute: string, value: string): CustomerChange => ({
  eventId: "scoring:1",
  customerId: "cus_1",
  attribute,
  previousValue: "",
  value,
  asOf: "2026-06-01T00:00:00.000Z",
});

const scores = (overrides: Partial<CustomerScores> = {}): CustomerScores => ({
  customerId: "cus_1",
  tier: "purchasing",
  lifecycleStage: "active",
  segmentCell: "low_high_low",
  responsePolicy: "",
  revenueMinor: 0,
  historicValueMinor: 0,
  marginMinor: 0,
  topCategories: [],
  openComplaints: 0,
  ...overrides,
});

describe("treatments queued by customer changes", () => {
  it("queue retention for a platinum customer turning at risk, and not for an ordinary one", () => {
    expect(treatmentFor(change("lifecycle_stage", "at_risk"), scores({ tier: "platinum" }))).toEqual({
      strategy: "retention",
      reason: "platinum customer turned at_risk",
    });
    expect(treatmentFor(change("lifecycle_stage", "at_risk"), scores())).toBeUndefined();
  });

  it("count high purchasing power as valuable too, and a high churn band as a reason", () => {
    expect(treatmentFor(change("churn_risk_band", "high"), scores({ segmentCell: "high_low_low" }))).toEqual({
      strategy: "retention",
      reason: "high-value customer turned high churn risk",
    });
  });

  it("queue reactivation for a lapsed buyer and the two activation stages for new ones", () => {
    expect(treatmentFor(change("lifecycle_stage", "lapsed"), scores())?.strategy).toBe("reactivation");
    expect(treatmentFor(change("lifecycle_stage", "new_stage_1"), scores())?.strategy).toBe(
      "new_customer_stage_1",
    );
    expect(treatmentFor(change("lifecycle_stage", "new_stage_2"), scores())?.strategy).toBe(
      "new_customer_stage_2",
    );
  });

  it("leave other changes alone without asking who the customer is", () => {
    expect(mayQueueTreatment(change("tier", "platinum"))).toBe(false);
    expect(mayQueueTreatment(change("lifecycle_stage", "active"))).toBe(false);
    expect(mayQueueTreatment(change("churn_risk_band", "low"))).toBe(false);
    expect(mayQueueTreatment(change("lifecycle_stage", "at_risk"))).toBe(true);
  });
});
