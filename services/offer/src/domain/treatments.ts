import type { CustomerScores } from "./customer-scores.js";
import type { Strategy } from "./offer-catalog.js";

/** A change scoring announced on crm.customer.changes. */
export type CustomerChange = {
  eventId: string;
  customerId: string;
  /** tier, segment_cell, lifecycle_stage, churn_risk_band or rfm_segment. */
  attribute: string;
  previousValue: string;
  value: string;
  asOf: string;
};

/** Whether a change asks for a treatment without knowing more of the customer. */
export function mayQueueTreatment(change: CustomerChange): boolean {
  return (
    (change.attribute === "lifecycle_stage" &&
      ["at_risk", "lapsed", "new_stage_1", "new_stage_2"].includes(change.value)) ||
    (change.attribute === "churn_risk_band" && change.value === "high")
  );
}

/**
 * The treatment a change queues, if any: a valuable customer (platinum, or high purchasing power)
 * turning at risk or high churn risk gets retention; a buyer who lapsed, reactivation; a new buyer,
 * the first or second stage of new-customer activation.
 */
export function treatmentFor(
  change: CustomerChange,
  scores: CustomerScores,
): { strategy: Strategy; reason: string } | undefined {
  const valuable = scores.tier === "platinum" || scores.segmentCell.startsWith("high_");
  const who = scores.tier === "platinum" ? "platinum customer" : "high-value customer";
  if (change.attribute === "churn_risk_band" && change.value === "high" && valuable)
    return { strategy: "retention", reason: `${who} turned high churn risk` };
  if (change.attribute !== "lifecycle_stage") return undefined;
  switch (change.value) {
    case "at_risk":
      return valuable ? { strategy: "retention", reason: `${who} turned at_risk` } : undefined;
    case "lapsed":
      return { strategy: "reactivation", reason: `${scores.tier} customer lapsed` };
    case "new_stage_1":
      return { strategy: "new_customer_stage_1", reason: "first purchase: activate the second" };
    case "new_stage_2":
      return { strategy: "new_customer_stage_2", reason: "second purchase: make it a habit" };
    default:
      return undefined;
  }
}
