import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CustomerFact, dayMs } from "../src/domain/customer-facts.js";
import { emptyHistory, recordFact } from "../src/domain/customer-history.js";
import { profileOf, type ScoringSettings } from "../src/domain/customer-profile.js";
import type { PopulationModel } from "../src/domain/population-model.js";
import type { LifecycleStage } from "../src/domain/scores/lifecycle.js";
import { type ChurnRiskBand, churnRiskBandOf } from "../src/domain/scores/predicted-value.js";
import { type RfmSegment, rfmScoresOf, rfmSegmentOf } from "../src/domain/scores/rfm.js";
import { customerFactsArbitrary } from "./customer-facts.arbitrary.js";
import { populationModel } from "./population-model.fixture.js";
import { day, settings } from "./scoring-fixtures.js";

/** The segments whose names say the customer is still buying. */
const stillBuying: RfmSegment[] = [
  "champions",
  "loyal_customers",
  "potential_loyalists",
  "new_customers",
  "promising",
  "need_attention",
  "about_to_sleep",
];
type Contradictions = { rfmSegments: RfmSegment[]; churnRiskBands: ChurnRiskBand[] };
const afterRecentPurchase: Contradictions = {
  rfmSegments: ["at_risk", "cannot_lose_them", "hibernating", "lost"],
  churnRiskBands: ["high"],
};

/**
 * What contradicts each lifecycle stage (a prospect has bought nothing, so it has neither RFM nor a
 * churn band):
 *
 * | stage                                         | contradicting RFM segments                   | churn bands |
 * | --------------------------------------------- | -------------------------------------------- | ----------- |
 * | new_stage_1, new_stage_2, active, reactivated | at_risk, cannot_lose_them, hibernating, lost | high        |
 * | at_risk                                       | the seven still buying, lost                 | low         |
 * | lapsed                                        | the seven still buying, hibernating          | low, medium |
 */
const contradictions: Record<Exclude<LifecycleStage, "prospect">, Contradictions> = {
  new_stage_1: afterRecentPurchase,
  new_stage_2: afterRecentPurchase,
  active: afterRecentPurchase,
  reactivated: afterRecentPurchase,
  at_risk: { rfmSegments: [...stillBuying, "lost"], churnRiskBands: ["low"] },
  lapsed: { rfmSegments: [...stillBuying, "hibernating"], churnRiskBands: ["low", "medium"] },
};

/** Segments a customer silent for longer than lapsedAfterDays must never be in. */
const neverWhenLapsed: RfmSegment[] = [
  "champions",
  "loyal_customers",
  "potential_loyalists",
  "new_customers",
  "promising",
];

const ascendingEdges = (max: number) =>
  fc
    .array(fc.integer({ min: 0, max }), { minLength: 4, maxLength: 4 })
    .map((edges) => edges.sort((a, b) => a - b));

/**
 * No model, the fixture's, or the fixture's with other RFM quintiles: a population that bought
 * lately, or long ago (a backfilled log), with few or many orders per buyer.
 */
const models: fc.Arbitrary<PopulationModel | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constant(populationModel),
  fc
    .record({
      recencyDays: fc.oneof(ascendingEdges(200), ascendingEdges(15_000)),
      frequency: ascendingEdges(8),
      monetaryMinor: ascendingEdges(200_000),
    })
    .map((rfmBreakpoints) => ({ ...populationModel, rfmBreakpoints })),
);

/** The operator's thresholds: at risk after 1 to 200 days, lapsed 1 to 400 days later. */
const lifecycles = fc
  .record({ atRisk: fc.integer({ min: 1, max: 200 }), gap: fc.integer({ min: 1, max: 400 }) })
  .map(
    ({ atRisk, gap }): ScoringSettings => ({
      ...settings,
      lifecycle: { atRiskAfterDays: atRisk, lapsedAfterDays: atRisk + gap },
    }),
  );

/**
 * Any facts, and orders spread over eight years: buyers who buy on, go quiet, lapse and come back.
 * (The facts' own orders fall within 450 days of day 0 and share a few order ids.)
 */
const histories = fc
  .tuple(
    customerFactsArbitrary(),
    fc.array(fc.record({ day: fc.integer({ min: 0, max: 3_000 }), totalMinor: fc.nat(90_000) }), {
      maxLength: 8,
    }),
  )
  .map(([facts, orders]) => [
    ...facts,
    ...orders.map(
      ({ day: d, totalMinor }, i): CustomerFact => ({
        eventId: `spread:${i}`,
        time: day(d, i % 24),
        source: "prop",
        kind: "order",
        orderId: `S-${i}`,
        totalMinor,
        currency: "KRW",
        lines: [{ productId: "p-1", quantity: 1, amountMinor: totalMinor }],
      }),
    ),
  ]);

/** Anywhere before, among or long after the facts, or shortly after the latest; at whole and odd instants. */
const asOfTimes = (facts: readonly CustomerFact[]) => {
  const latest = Math.max(Date.parse(day(0)), ...facts.map((fact) => Date.parse(fact.time)));
  return fc
    .oneof(
      fc.integer({ min: -5, max: 12_000 }).map((days) => Date.parse(day(days))),
      fc.integer({ min: 0, max: 400 }).map((days) => latest + days * dayMs),
    )
    .chain((at) => fc.constantFrom(0, 0.5, 1 / 24).map((fraction) => at + fraction * dayMs));
};

describe("a customer's scores on any history", () => {
  it("never contradict one another: lifecycle stage, recency band, RFM segment and churn band", () => {
    // How often the population's quintiles or the model alone would have contradicted the stage.
    const contradicted = { rfm: 0, churn: 0 };
    fc.assert(
      fc.property(
        histories.chain((facts) => fc.tuple(fc.constant(facts), asOfTimes(facts))),
        models,
        lifecycles,
        ([facts, asOf], model, scoringSettings) => {
          const history = facts.reduce(recordFact, emptyHistory());
          const profile = profileOf(
            { customerId: "cus_1", mergedCustomerIds: [], history },
            asOf,
            model,
            scoringSettings,
          );
          const { stage } = profile.lifecycle;
          if (stage === "prospect") {
            expect(profile.rfm).toBeUndefined();
            expect(profile.predicted).toBeUndefined();
            return;
          }
          const contradicting = contradictions[stage];
          const { atRiskAfterDays, lapsedAfterDays } = scoringSettings.lifecycle;

          if (profile.rfm && model) {
            const { rfm } = profile;
            expect(rfm.recencyBand).toBe(
              rfm.recencyDays >= lapsedAfterDays
                ? "lapsed"
                : rfm.recencyDays >= atRiskAfterDays
                  ? "at_risk"
                  : "recent",
            );
            expect(contradicting.rfmSegments).not.toContain(rfm.segment);
            if (rfm.recencyDays > lapsedAfterDays) expect(neverWhenLapsed).not.toContain(rfm.segment);
            expect(rfm.segment).toBe(rfmSegmentOf(rfm.scores));
            // The quintile score is the population's; the segment by it alone stands unless it contradicts.
            const quintileScores = rfmScoresOf(rfm, model.rfmBreakpoints);
            expect(rfm.recencyQuintileScore).toBe(quintileScores.recency);
            expect(rfm.scores).toMatchObject({
              frequency: quintileScores.frequency,
              monetary: quintileScores.monetary,
            });
            const byQuintiles = rfmSegmentOf(quintileScores);
            if (contradicting.rfmSegments.includes(byQuintiles)) contradicted.rfm += 1;
            else expect(rfm.segment).toBe(byQuintiles);
          }

          if (profile.predicted) {
            const { churnRisk, churnRiskBand } = profile.predicted;
            expect(contradicting.churnRiskBands).not.toContain(churnRiskBand);
            // The churn risk is the model's; its band stands unless it contradicts the stage.
            const modelBand = churnRiskBandOf(churnRisk);
            if (contradicting.churnRiskBands.includes(modelBand)) contradicted.churn += 1;
            else expect(churnRiskBand).toBe(modelBand);
          }
        },
      ),
      { numRuns: 500 },
    );
    expect(contradicted.rfm).toBeGreaterThan(0);
    expect(contradicted.churn).toBeGreaterThan(0);
  });
});
