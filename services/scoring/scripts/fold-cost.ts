import { performance } from "node:perf_hooks";
import type { ScoringSettings } from "../src/domain/customer-profile.js";
import { updateCustomer } from "../src/domain/scored-customer.js";
import { sampleFacts } from "./customer-facts-sample.js";

const settings: ScoringSettings = {
  orders: { currency: "KRW", defaultMarginRate: 0.25 },
  historicValue: { periodDays: 365, ratePerPeriod: 0.1 },
  lifecycle: { atRiskAfterDays: 90, lapsedAfterDays: 180 },
  tier: { platinumRevenueMinor: 1_000_000, platinumWindowDays: 365 },
  predictive: { horizonDays: 365, annualDiscountRate: 0.1 },
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

for (const size of [14, 100, 1_000]) {
  const base = updateCustomer(
    "cus_bench",
    undefined,
    { kind: "facts", facts: sampleFacts(size, 7) },
    undefined,
    settings,
  );
  const extra = sampleFacts(400, 11, "new");
  const timings: number[] = [];
  for (const [i, fact] of extra.entries()) {
    const started = performance.now();
    updateCustomer("cus_bench", base, { kind: "facts", facts: [fact] }, undefined, settings);
    if (i >= 50) timings.push((performance.now() - started) * 1_000);
  }
  console.log(
    `history of ${size} facts: one more fact ${median(timings).toFixed(0)} µs (median of ${timings.length})`,
  );
}
