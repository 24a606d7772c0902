import type { LifecycleStage } from "./lifecycle.js";
import type { ChurnRiskBand } from "./predicted-value.js";

/**
 * How long a customer has gone without buying on an absolute scale: the lifecycle's, whose
 * thresholds (at risk after `atRiskAfterDays`, lapsed after `lapsedAfterDays`) the operator sets.
 * RFM's recency quintiles and the purchase model's churn risk are relative to a population and a
 * fit; on a backfilled history they can call a customer silent for decades a champion at low risk.
 * This scale is what keeps them from contradicting the lifecycle.
 */
export type RecencyBand = "recent" | "at_risk" | "lapsed";

/**
 * The lifecycle's stage as a recency band. After a buyer's last purchase only time moves the stage,
 * to at risk and then lapsed, so every other stage means a purchase within the at-risk window (a
 * prospect has bought nothing that could be old).
 */
export function recencyBandOf(stage: LifecycleStage): RecencyBand {
  switch (stage) {
    case "at_risk":
    case "lapsed":
      return stage;
    case "prospect":
    case "new_stage_1":
    case "new_stage_2":
    case "active":
    case "reactivated":
      return "recent";
    default: {
      const unhandled: never = stage;
      return unhandled;
    }
  }
}

const churnRiskBands: readonly ChurnRiskBand[] = ["low", "medium", "high"];

/**
 * What each band allows. RFM recency: R3–5 for a recent buyer, R2 at risk, R1 lapsed, so the
 * segment's name agrees with the lifecycle. The names of R3 and above (champions, loyal_customers,
 * potential_loyalists, new_customers, promising, need_attention, about_to_sleep) describe customers
 * still buying, those of R2 and below (at_risk, cannot_lose_them, hibernating, lost) customers who
 * stopped: a customer at risk gets 2, not 3, and a recent buyer at least 3 however recently the rest
 * of the population bought. R2 and R1 keep hibernating (at risk) apart from lost (lapsed) among the
 * infrequent buyers. The quintile still orders the recent buyers, where the population is the right
 * yardstick, and is kept beside the score for a reader to see.
 *
 * Churn risk band: low or medium for a recent buyer, medium or high at risk, high once lapsed: a
 * customer the operator counts as lapsed is not a low or medium risk of leaving, nor one who bought
 * within the window the operator counts as normal a high risk; within those bounds the model decides.
 */
const allowed: Record<
  RecencyBand,
  { recencyScores: [number, number]; churnRiskBands: [ChurnRiskBand, ChurnRiskBand] }
> = {
  recent: { recencyScores: [3, 5], churnRiskBands: ["low", "medium"] },
  at_risk: { recencyScores: [2, 2], churnRiskBands: ["medium", "high"] },
  lapsed: { recencyScores: [1, 1], churnRiskBands: ["high", "high"] },
};

/** The population's quintile score for recency, moved into what the band allows. */
export function recencyScoreWithin(quintileScore: number, band: RecencyBand): number {
  const [lowest, highest] = allowed[band].recencyScores;
  return Math.min(highest, Math.max(lowest, quintileScore));
}

/** The model's churn risk band, moved into what the recency band allows. */
export function churnRiskBandWithin(modelBand: ChurnRiskBand, band: RecencyBand): ChurnRiskBand {
  const rank = (riskBand: ChurnRiskBand) => churnRiskBands.indexOf(riskBand);
  const [lowest, highest] = allowed[band].churnRiskBands;
  return churnRiskBands[Math.min(rank(highest), Math.max(rank(lowest), rank(modelBand)))] as ChurnRiskBand;
}
