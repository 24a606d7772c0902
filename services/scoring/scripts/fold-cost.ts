import type { CustomerFact } from "../src/domain/customer-facts.js";
import { emptyHistory, recordFact } from "../src/domain/customer-history.js";
import { profileOf, type ScoringSettings } from "../src/domain/customer-profile.js";
import { type LoggedFact, summaryOf, updateCustomer } from "../src/domain/scored-customer.js";
import { sampleFacts } from "./customer-facts-sample.js";

/**
 * What scoring's fold costs per fact as a customer's history grows: one more fact for a customer
 * with 14, 100 and 1,000 facts, taken in by `updateCustomer` (evolve the profile state, score it,
 * record the changes), beside refolding the history as scoring did before (record the fact in the
 * history, `profileOf` over all of it). Run: `npx tsx scripts/fold-cost.ts` in services/scoring.
 */
const settings: ScoringSettings = {
  orders: { currency: "KRW", rates: new Map(), defaultMarginRate: 0.25 },
  historicValue: { periodDays: 365, ratePerPeriod: 0.1 },
  lifecycle: { atRiskAfterDays: 90, lapsedAfterDays: 180 },
  tier: { platinumRevenueMinor: 1_000_000, platinumWindowDays: 365 },
  predictive: { horizonDays: 365, annualDiscountRate: 0.1 },
};

const logged = (facts: readonly CustomerFact[], from: number): LoggedFact[] =>
  facts.map((fact, i) => ({
    customerId: "cus_bench",
    fact,
    position: { stream: "bench:0", offset: from + i },
  }));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/**
 * CPU microseconds per call of `work`, one call per extra fact: the median of five rounds over all of
 * them, after a warm-up round. CPU time (process.cpuUsage), not wall time: the machine is shared.
 */
function timed(extra: readonly CustomerFact[], work: (fact: CustomerFact, i: number) => unknown): number {
  const rounds: number[] = [];
  for (let round = 0; round < 6; round += 1) {
    const started = process.cpuUsage();
    for (const [i, fact] of extra.entries()) work(fact, i);
    const used = process.cpuUsage(started);
    if (round > 0) rounds.push((used.user + used.system) / extra.length);
  }
  return median(rounds);
}

for (const size of [14, 100, 1_000]) {
  const history = sampleFacts(size, 7);
  const base = updateCustomer(
    "cus_bench",
    undefined,
    { kind: "facts", facts: logged(history, 0) },
    undefined,
    settings,
  );
  const extra = sampleFacts(200, 11, "new");
  const incremental = timed(extra, (fact, i) =>
    updateCustomer(
      "cus_bench",
      base,
      { kind: "facts", facts: logged([fact], size + i) },
      undefined,
      settings,
    ),
  );
  const folded = history.reduce(recordFact, emptyHistory());
  const refold = timed(extra, (fact) => {
    const withFact = recordFact(folded, fact);
    const asOf = Math.max(Date.parse(base.asOf), Date.parse(fact.time));
    return summaryOf(
      profileOf(
        { customerId: "cus_bench", mergedCustomerIds: [], history: withFact },
        asOf,
        undefined,
        settings,
      ),
    );
  });
  const orders = history.filter((fact) => fact.kind === "order").length;
  console.log(
    `${String(size).padStart(5)} facts (${orders} orders): one more fact ${incremental.toFixed(0)} µs incrementally, ` +
      `${refold.toFixed(0)} µs refolding the history (CPU time, median of 5 rounds of ${extra.length})`,
  );
}
