import { type IdentifierType, identifierTypes } from "@rapport/events";
import type { IdentityRules } from "./identifier-rules.js";
import type { MergeRefusalRule } from "./identity-events.js";
import {
  type CustomerNode,
  type IdentifiersByType,
  type IdentityGraph,
  resolveRoot,
} from "./identity-graph.js";

/** Why a set of identifiers may not be one customer. */
export type MergeProtection = { rule: MergeRefusalRule; identifierType?: IdentifierType };

/**
 * Checks the identifiers a merge would give one customer against the protection rules. Different
 * customer numbers mean different accounts in the system of record: however many emails or
 * cookies they share (a family, a shared computer), they are not merged, whatever the configured
 * customer_number limit. Then each type's limit, strongest type first, so the refusal names the
 * most telling one.
 */
export function mergeProtection(
  rules: IdentityRules,
  parts: readonly IdentifiersByType[],
): MergeProtection | undefined {
  const combined = unionOf(parts);
  if ((combined.customer_number?.size ?? 0) > 1) return { rule: "customer_number_conflict" };
  for (const type of rules.priority) {
    if ((combined[type]?.size ?? 0) > rules.limits[type]) {
      return { rule: "identifier_limit", identifierType: type };
    }
  }
  return undefined;
}

function unionOf(parts: readonly IdentifiersByType[]): Partial<Record<IdentifierType, Set<string>>> {
  const union: Partial<Record<IdentifierType, Set<string>>> = {};
  for (const part of parts) {
    for (const type of identifierTypes) {
      for (const value of part[type] ?? []) {
        const values = union[type] ?? new Set<string>();
        values.add(value);
        union[type] = values;
      }
    }
  }
  return union;
}

/**
 * Whether a person split the candidate from any of the customers, looked up through survivors since
 * either side may have been merged since. An entry that now resolves to the customer itself (a
 * person later accepted a match joining them again) no longer keeps anything apart.
 */
export function isKeptApart(
  graph: IdentityGraph,
  customers: readonly CustomerNode[],
  candidate: CustomerNode,
): boolean {
  const rootsOf = (customer: CustomerNode) =>
    (customer.keptApartFrom ?? [])
      .map((id) => resolveRoot(graph, id) ?? id)
      .filter((root) => root !== customer.id);
  const candidateApart = rootsOf(candidate);
  return customers.some(
    (customer) => candidateApart.includes(customer.id) || rootsOf(customer).includes(candidate.id),
  );
}
