import type { CustomerNode } from "./identity-graph.js";
import { compareEventTimes, compareText } from "./identity-types.js";

/**
 * Survivorship of customer ids in a merge: the earliest first seen survives, and on a tie the
 * smaller id. Both come from events, so a replay merges into the same survivor, and the id a
 * downstream system has known longest is the one that lives on.
 */
export function compareSurvivorship(
  a: Pick<CustomerNode, "id" | "firstSeen">,
  b: Pick<CustomerNode, "id" | "firstSeen">,
): number {
  return compareEventTimes(a.firstSeen.time, b.firstSeen.time) || compareText(a.id, b.id);
}

/** The survivor of a group of customers to merge, and the others in survivorship order. */
export function chooseSurvivor<Customer extends Pick<CustomerNode, "id" | "firstSeen">>(
  customers: readonly [Customer, ...Customer[]],
): { survivor: Customer; merged: Customer[] } {
  const [survivor, ...merged] = [...customers].sort(compareSurvivorship) as [Customer, ...Customer[]];
  return { survivor, merged };
}
