import { describe, expect, it } from "vitest";
import {
  type CustomerFilter,
  type ListedCustomer,
  matchesFilter,
  sortCustomers,
} from "../src/domain/customer-list.js";
import type { CustomerSummary } from "../src/domain/scored-customer.js";
import { segmentReportOf } from "../src/domain/segment-report.js";

const summary = (overrides: Partial<CustomerSummary>): CustomerSummary => ({
  tier: "purchasing",
  lifecycleStage: "active",
  segmentCell: "low_low_low",
  responsePolicy: "not_targeted",
  isRegistered: true,
  revenueMinor: 0,
  historicValueMinor: 0,
  marginMinor: 0,
  topCategories: [],
  openComplaints: 0,
  ...overrides,
});

const customers: ListedCustomer[] = [
  {
    customerId: "a",
    summary: summary({
      predictedValueMinor: 100,
      churnRisk: 0.9,
      revenueMinor: 50,
      segmentCell: "high_high_high",
    }),
  },
  {
    customerId: "b",
    summary: summary({
      predictedValueMinor: 300,
      churnRisk: 0.1,
      revenueMinor: 500,
      lifecycleStage: "at_risk",
    }),
  },
  { customerId: "c", summary: summary({ tier: "registered", lifecycleStage: "prospect" }) },
];
const noFilter: CustomerFilter = {
  tiers: [],
  lifecycleStages: [],
  rfmSegments: [],
  segmentCells: [],
  predictedValueMinor: {},
  churnRisk: {},
  minRfmScores: {},
};

describe("customer lists", () => {
  it("filter by tier, stage, cell and score ranges", () => {
    const ids = (filter: Partial<CustomerFilter>) =>
      customers.filter((c) => matchesFilter(c.summary, { ...noFilter, ...filter })).map((c) => c.customerId);
    expect(ids({})).toEqual(["a", "b", "c"]);
    expect(ids({ tiers: ["registered"] })).toEqual(["c"]);
    expect(ids({ lifecycleStages: ["active", "at_risk"] })).toEqual(["a", "b"]);
    expect(ids({ segmentCells: ["high_high_high"] })).toEqual(["a"]);
    expect(ids({ churnRisk: { min: 0.5 } })).toEqual(["a"]);
    expect(ids({ predictedValueMinor: { max: 200 } })).toEqual(["a"]);
  });

  it("sort by a key, customers without one last, ties by id", () => {
    const order = (sort: Parameters<typeof sortCustomers>[1], ascending = false) =>
      sortCustomers(customers, sort, ascending).map((c) => c.customerId);
    expect(order("predicted_value")).toEqual(["b", "a", "c"]);
    expect(order("predicted_value", true)).toEqual(["a", "b", "c"]);
    expect(order("retention_priority")).toEqual(["a", "b", "c"]);
    expect(order("revenue")).toEqual(["b", "a", "c"]);
  });
});

describe("the segment report", () => {
  it("counts customers, revenue and values per cell, tier and stage, and the registered-to-meaningful funnel", () => {
    const report = segmentReportOf(customers, 4);

    expect(report.customerBase).toEqual({
      registered: 3,
      unique: 3,
      mergedDuplicates: 4,
      active: 1,
      meaningful: 1,
    });
    expect(report.grid).toEqual([
      {
        name: "low_low_low",
        customers: 2,
        revenueMinor: 500,
        meanHistoricValueMinor: 0,
        meanPredictedValueMinor: 300,
      },
      {
        name: "high_high_high",
        customers: 1,
        revenueMinor: 50,
        meanHistoricValueMinor: 0,
        meanPredictedValueMinor: 100,
      },
    ]);
    expect(report.tiers.map((figures) => [figures.name, figures.customers])).toEqual([
      ["purchasing", 2],
      ["registered", 1],
    ]);
  });
});
