import { dayMs } from "../customer-facts.js";
export type LifecycleStage =
  | "prospect"
  | "new_stage_1"
  | "new_stage_2"
  | "active"
  | "at_risk"
  | "lapsed"
  | "reactivated";

export type LifecycleSettings = {
  /** Days without a purchase after which a buying customer is at risk. */
  atRiskAfterDays: number;
  /** Days without a purchase after which the customer has lapsed; a purchase after that reactivates. */
  lapsedAfterDays: number;
};

/** A stage and the fact that moved the customer into it: a purchase's event, or the passing of time. */
export type LifecycleTransition = {
  stage: LifecycleStage;
  since: string;
  cause: { kind: "purchase"; eventId: string } | { kind: "time_passed" };
};

export type PurchaseMoment = { time: string; eventId: string; at?: number };

/**
 * Every stage the customer went through up to `asOf` (epoch ms), oldest first. A prospect buys
 * once (new stage 1), twice (new stage 2), three times (active); time without purchases makes any
 * buyer at risk and then lapsed; a lapsed customer who buys again is reactivated, and active again
 * at the purchase after that. The stages follow from purchase times alone, so the same purchases
 * give the same history whenever and in whatever order they arrive, and `asOf` can be any instant.
 */
export function lifecycleHistory(
  firstSeenAt: string,
  purchases: readonly PurchaseMoment[],
  asOf: number,
  settings: LifecycleSettings,
): LifecycleTransition[] {
  const history: LifecycleTransition[] = [
    { stage: "prospect", since: firstSeenAt, cause: { kind: "time_passed" } },
  ];
  const enter = (stage: LifecycleStage, since: number | string, cause: LifecycleTransition["cause"]) => {
    if (history.at(-1)?.stage === stage) return;
    history.push({ stage, since: typeof since === "string" ? since : new Date(since).toISOString(), cause });
  };
  const passTime = (lastPurchase: number, until: number) => {
    const atRisk = lastPurchase + settings.atRiskAfterDays * dayMs;
    const lapsed = lastPurchase + settings.lapsedAfterDays * dayMs;
    if (atRisk <= until) enter("at_risk", atRisk, { kind: "time_passed" });
    if (lapsed <= until) enter("lapsed", lapsed, { kind: "time_passed" });
  };

  let bought = 0;
  let lastPurchase: number | undefined;
  for (const purchase of purchases) {
    const at = purchase.at ?? Date.parse(purchase.time);
    if (at > asOf) break;
    if (lastPurchase !== undefined) passTime(lastPurchase, at - 1);
    bought += 1;
    const cause = { kind: "purchase", eventId: purchase.eventId } as const;
    const current = history.at(-1)?.stage;
    if (current === "lapsed") enter("reactivated", purchase.time, cause);
    else if (bought === 1) enter("new_stage_1", purchase.time, cause);
    else if (bought === 2 && current !== "reactivated") enter("new_stage_2", purchase.time, cause);
    else enter("active", purchase.time, cause);
    lastPurchase = at;
  }
  if (lastPurchase !== undefined) passTime(lastPurchase, asOf);
  return history;
}
