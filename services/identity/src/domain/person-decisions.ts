import type { IdentityRules } from "./identifier-rules.js";
import type {
  CustomerSplit,
  CustomersMerged,
  DecisionRefusalReason,
  DecisionRefused,
  IdentityEvent,
  MatchDecided,
  MatchProposed,
} from "./identity-events.js";
import { type IdentityGraph, resolveRoot } from "./identity-graph.js";
import type { CustomerId, EventTime } from "./identity-types.js";
import { decideAcceptedMatch } from "./probabilistic-match.js";
import { decideSplit } from "./split.js";

/**
 * A decision a person took over gRPC, as identity logs it before anything changes: the split or the
 * decision on a proposal, as checked on the graph when it was asked for. Its `eventId` is the
 * decision's id (a split's derives from the request, a match decision's is `decision:<proposal>`),
 * and `eventId` with `time` tell one request from another.
 */
export type PersonDecision = CustomerSplit | MatchDecided;

/** A proposal as the writer knows it when it meets a decision on it. */
export type ProposalState = Pick<MatchProposed, "customers" | "score" | "evidence"> & {
  status: "open" | "accepted" | "rejected";
  /** The time of the decision taken on it, once decided, and the merge that decision made. */
  decidedAt?: EventTime;
  merged?: CustomersMerged;
};

/**
 * What the writer did with a logged decision. Applied: the identity events to apply and publish (none
 * for another request for a decision already taken), and the customer it leaves the request with (the
 * new customer of a split, the customer both sides of an accepted match belong to, "" for a
 * rejection). Refused: the refusal to publish; nothing changes.
 */
export type DecisionOutcome =
  | { kind: "applied"; customerId: CustomerId; identityEvents: IdentityEvent[] }
  | { kind: "refused"; refusal: DecisionRefused };

/**
 * Decides what a logged decision does to the graph as it stands when the writer meets it, as the
 * request was checked (split.ts, probabilistic-match.ts), so that a decision whose customers changed
 * meanwhile is refused rather than applied to something the person did not see. A decision met again
 * (its part was not committed: a crash, an aborted transaction) is found applied and gives the same
 * events again; another request for a decision already taken gives none.
 */
export function decidePersonDecision(
  decision: PersonDecision,
  graph: IdentityGraph,
  context: { proposal: ProposalState | undefined; rules: IdentityRules },
): DecisionOutcome {
  switch (decision.type) {
    case "CustomerSplit":
      return splitOutcome(decision, graph);
    case "MatchDecided":
      return matchOutcome(decision, graph, context.proposal, context.rules);
    default: {
      const unhandled: never = decision;
      return unhandled;
    }
  }
}

function splitOutcome(split: CustomerSplit, graph: IdentityGraph): DecisionOutcome {
  // The new customer's id derives from the split's: it exists once this very split was applied.
  if (graph.customers.has(split.newCustomerId)) return applied(split.newCustomerId, [split]);
  const decided = decideSplit(
    { customerId: split.customerId, identifiers: split.identifiers, time: split.time, reason: split.reason },
    graph,
  );
  if (!decided.ok) return refused(split, decided.reason, decided.message);
  if (decided.event.eventId !== split.eventId)
    return refused(
      split,
      "customer_merged",
      `customer ${split.customerId} was merged into ${decided.event.customerId} after the split was asked for; split it again`,
    );
  return applied(split.newCustomerId, [split]);
}

function matchOutcome(
  decision: MatchDecided,
  graph: IdentityGraph,
  proposal: ProposalState | undefined,
  rules: IdentityRules,
): DecisionOutcome {
  if (proposal === undefined)
    return refused(decision, "unknown_proposal", `no match proposal ${decision.proposalId}`);
  const [left] = proposal.customers;
  if (proposal.status !== "open") {
    if (proposal.status !== decision.decision)
      return refused(
        decision,
        "decided_already",
        `proposal ${decision.proposalId} was ${proposal.status} already`,
      );
    const customerId = decision.decision === "accepted" ? (resolveRoot(graph, left) ?? left) : "";
    if (proposal.decidedAt !== decision.time) return applied(customerId, []);
    return applied(customerId, proposal.merged === undefined ? [decision] : [decision, proposal.merged]);
  }
  if (decision.decision === "rejected") return applied("", [decision]);
  const merge = decideAcceptedMatch(proposal, graph, rules, {
    eventId: decision.eventId,
    time: decision.time,
  });
  if (merge === undefined) return applied(resolveRoot(graph, left) ?? left, [decision]);
  if (merge.type === "MergeRefused")
    return refused(
      decision,
      merge.rule,
      `the identity rules keep these customers apart now (${merge.rule}${merge.identifierType ? `: ${merge.identifierType}` : ""})`,
    );
  return applied(merge.survivor, [decision, merge]);
}

/** The proposal once the decision's events are applied: decided, with the merge it made. */
export function proposalDecidedBy(proposal: ProposalState, events: readonly IdentityEvent[]): ProposalState {
  const decided = events.find((event): event is MatchDecided => event.type === "MatchDecided");
  if (decided === undefined) return proposal;
  const merged = mergeOf(decided, events);
  return {
    ...proposal,
    status: decided.decision,
    decidedAt: decided.time,
    ...(merged === undefined ? {} : { merged }),
  };
}

/** The merge a decision on a proposal made, among the events it was logged with. */
export function mergeOf(
  decided: MatchDecided,
  events: readonly IdentityEvent[],
): CustomersMerged | undefined {
  return events.find(
    (event): event is CustomersMerged =>
      event.type === "CustomersMerged" && event.eventId === decided.eventId,
  );
}

function applied(customerId: CustomerId, identityEvents: IdentityEvent[]): DecisionOutcome {
  return { kind: "applied", customerId, identityEvents };
}

function refused(decision: PersonDecision, reason: DecisionRefusalReason, detail: string): DecisionOutcome {
  return {
    kind: "refused",
    refusal: {
      type: "DecisionRefused",
      decisionId: decision.eventId,
      reason,
      detail,
      eventId: `${decision.eventId}@${decision.time}`,
      time: decision.time,
    },
  };
}
