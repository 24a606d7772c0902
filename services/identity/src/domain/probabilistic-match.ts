import type { IdentityRules } from "./identifier-rules.js";
import type {
  CustomersMerged,
  IdentityEvent,
  MatchFieldEvidence,
  MatchProposed,
  MergeRefused,
} from "./identity-events.js";
import { type CustomerNode, type IdentityGraph, rootCustomer } from "./identity-graph.js";
import { compareText, type EventId, type EventTime, sha256Hex } from "./identity-types.js";
import { compareRecords } from "./matching/comparison.js";
import { type MatchScore, scoreComparison } from "./matching/fellegi-sunter.js";
import type { MatchModel } from "./matching/match-model.js";
import {
  decideMatch,
  isInConflict,
  type MatchThresholds,
  type RejectedPairs,
} from "./matching/match-policy.js";
import { type PersonRecord, pairKey } from "./matching/person-record.js";
import { isKeptApart, type MergeProtection, mergeProtection } from "./merge-protection.js";
import { chooseSurvivor } from "./survivor.js";

/** A customer that shares a blocking key with the subject, with what matching compares of it. */
export type MatchCandidate = { node: CustomerNode; record: PersonRecord };

export type MatchContext = {
  model: MatchModel;
  thresholds: MatchThresholds;
  /** Pairs a person rejected, and pairs already proposed: neither is proposed again. */
  rejected: RejectedPairs;
  proposed: ReadonlySet<string>;
  rules: IdentityRules;
  eventId: EventId;
  time: EventTime;
};

/** The id of the proposal for a pair: the same whoever proposes it, so it is proposed once. */
export function proposalIdOf(customerA: string, customerB: string): string {
  return `match:${sha256Hex(pairKey(customerA, customerB)).slice(0, 24)}`;
}

/**
 * The candidates that score at least the review threshold against the subject: the only ones
 * decideProbabilisticMatches can merge or propose, so the only ones whose proposals and graph
 * neighbourhood need reading.
 */
export function candidatesWorthDeciding(
  subject: MatchCandidate,
  candidates: readonly MatchCandidate[],
  model: MatchModel,
  thresholds: MatchThresholds,
): MatchCandidate[] {
  return candidates.filter(
    (candidate) =>
      scoreComparison(model, compareRecords(subject.record, candidate.record)).matchProbability >=
      thresholds.review,
  );
}

/**
 * Probabilistic matching of one customer against its candidates. Candidates scored at or above the
 * auto-merge threshold join the subject in one CustomersMerged (rule probabilistic_match, with the
 * per-field evidence of the best score), strongest first, unless a protection rule keeps them apart
 * (MergeRefused); those between the review and auto-merge thresholds become MatchProposed for a
 * person to decide, and so does one above auto-merge that conflicts with a customer already joined
 * (isInConflict: her son's record without a first name next to the mother's). A rejected pair is never merged or proposed again, an open proposal not twice.
 */
export function decideProbabilisticMatches(
  subject: MatchCandidate,
  candidates: readonly MatchCandidate[],
  graph: IdentityGraph,
  context: MatchContext,
): IdentityEvent[] {
  const fact = { eventId: context.eventId, time: context.time };
  const scored = candidates
    .filter((candidate) => candidate.node.id !== subject.node.id)
    .map((candidate) => ({
      candidate,
      score: scoreComparison(context.model, compareRecords(subject.record, candidate.record)),
    }))
    .sort(
      (a, b) =>
        b.score.matchProbability - a.score.matchProbability ||
        compareText(a.candidate.node.id, b.candidate.node.id),
    );
  const group: MatchCandidate[] = [subject];
  const events: IdentityEvent[] = [];
  let best: MatchScore | undefined;
  for (const { candidate, score } of scored) {
    const decision = decideMatch(score, context.thresholds, context.rejected);
    const conflicts = () =>
      isInConflict(
        context.model,
        group.map((member) => member.record),
        [candidate.record],
      );
    // A candidate that conflicts with a customer already joined is for a person to decide.
    if (decision === "merge" && !conflicts()) {
      const nodes = group.map((member) => member.node);
      const protection: MergeProtection | undefined = isKeptApart(graph, nodes, candidate.node)
        ? { rule: "split_apart" }
        : mergeProtection(
            context.rules,
            [...nodes, candidate.node].map((node) => node.identifiers),
          );
      if (protection === undefined) {
        group.push(candidate);
        best ??= score;
        continue;
      }
      events.push({
        type: "MergeRefused",
        customers: [subject.node.id, candidate.node.id],
        rule: protection.rule,
        ...(protection.identifierType === undefined ? {} : { identifierType: protection.identifierType }),
        ...fact,
      });
    } else if (decision !== "no_match") {
      const proposalId = proposalIdOf(subject.node.id, candidate.node.id);
      if (context.proposed.has(proposalId)) continue;
      events.push({
        type: "MatchProposed",
        proposalId,
        customers: [subject.node.id, candidate.node.id],
        score: score.matchProbability,
        evidence: evidenceOf(score),
        ...fact,
      });
    }
  }
  const [first, ...rest] = group.map((member) => member.node);
  if (first !== undefined && rest.length > 0 && best !== undefined) {
    const { survivor, merged } = chooseSurvivor([first, ...rest]);
    events.unshift({
      type: "CustomersMerged",
      survivor: survivor.id,
      merged: merged.map((node) => node.id),
      rule: "probabilistic_match",
      evidence: { kind: "match", score: best.matchProbability, fields: evidenceOf(best) },
      ...fact,
    });
  }
  return events;
}

export function evidenceOf(score: MatchScore): MatchFieldEvidence[] {
  return score.evidence.map(({ field, level, weight }) => ({ field, level, weight }));
}

/**
 * A person accepted a proposal: the two customers (as they stand now, through any merges since)
 * become one, rule match_accepted, with the proposal's evidence, unless a protection rule forbids
 * it, which a person cannot overrule (two customer numbers stay two accounts). Nothing when they
 * are one customer already.
 */
export function decideAcceptedMatch(
  proposal: Pick<MatchProposed, "customers" | "score" | "evidence">,
  graph: IdentityGraph,
  rules: IdentityRules,
  fact: { eventId: EventId; time: EventTime },
): CustomersMerged | MergeRefused | undefined {
  const [left, right] = proposal.customers.map((id) => rootCustomer(graph, id));
  if (left === undefined || right === undefined) throw new Error("both customers of a proposal exist");
  if (left.id === right.id) return undefined;
  const protection: MergeProtection | undefined = isKeptApart(graph, [left], right)
    ? { rule: "split_apart" }
    : mergeProtection(rules, [left.identifiers, right.identifiers]);
  if (protection !== undefined) {
    return {
      type: "MergeRefused",
      customers: [left.id, right.id],
      rule: protection.rule,
      ...(protection.identifierType === undefined ? {} : { identifierType: protection.identifierType }),
      ...fact,
    };
  }
  const { survivor, merged } = chooseSurvivor([left, right]);
  return {
    type: "CustomersMerged",
    survivor: survivor.id,
    merged: merged.map((node) => node.id),
    rule: "match_accepted",
    evidence: { kind: "match", score: proposal.score, fields: proposal.evidence },
    ...fact,
  };
}
