import { performance } from "node:perf_hooks";
import { profileFrom } from "../src/domain/customer-profile.js";
import { evolveProfileState, foldProfileState } from "../src/domain/profile-state.js";
import { sampleFacts } from "./customer-facts-sample.js";

const settings = {
  orders: { currency: "KRW", defaultMarginRate: 0.25 },
  historicValue: { periodDays: 365, ratePerPeriod: 0.1 },
  lifecycle: { atRiskAfterDays: 90, lapsedAfterDays: 180 },
  tier: { platinumRevenueMinor: 1_000_000, platinumWindowDays: 365 },
  predictive: { horizonDays: 365, annualDiscountRate: 0.1 },
};
for (const size of [14, 1000]) {
  const state = foldProfileState(sampleFacts(size, 7));
  const extra = sampleFacts(2000, 11, "new");
  let t = performance.now();
  for (const f of extra) evolveProfileState(state, f);
  console.log(size, "evolve µs", (((performance.now() - t) * 1000) / extra.length).toFixed(1));
  t = performance.now();
  for (let i = 0; i < 2000; i++)
    profileFrom(
      { customerId: "x", mergedCustomerIds: [], state },
      Date.parse("2027-06-01T00:00:00Z"),
      undefined,
      settings,
    );
  console.log(size, "profileFrom µs", (((performance.now() - t) * 1000) / 2000).toFixed(1));
}
