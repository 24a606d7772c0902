import { describe, expect, it } from "vitest";
import { foldIdentityGraph } from "../src/domain/evolve-identity-graph.js";
import { defaultIdentityRules } from "../src/domain/identifier-rules.js";
import type { CustomerSplit, MatchDecided } from "../src/domain/identity-events.js";
import type { IdentityGraph } from "../src/domain/identity-graph.js";
import {
  type DecisionOutcome,
  decidePersonDecision,
  type PersonDecision,
  type ProposalState,
  proposalDecidedBy,
} from "../src/domain/person-decisions.js";
import { decideSplit } from "../src/domain/split.js";
import { at, cookie, customerNumber, email, eventOf, foundedBy, given } from "./identity-fixtures.js";

// Ann's laptop cookie was joined to her; Min-jun is known by a customer number and, apart, by an email.
const graph = given([
  eventOf("shop:ann-1", at("09:00"), [email("ann@example.com"), cookie("laptop")]),
  eventOf("shop:kim-1", at("10:00"), [customerNumber("C-2001")]),
  eventOf("web:kim-2", at("11:00"), [email("minjun.k@example.net")]),
]);
const ann = foundedBy("shop:ann-1");
const kim = { number: foundedBy("shop:kim-1"), web: foundedBy("web:kim-2") };

/** The split a person asked for, as it was checked and logged. */
function checkedSplit(on: IdentityGraph): CustomerSplit {
  const decision = decideSplit(
    { customerId: ann, identifiers: [cookie("laptop")], time: at("15:00"), reason: "a shared laptop" },
    on,
  );
  if (!decision.ok) throw new Error(decision.message);
  return decision.event;
}

const proposal: ProposalState = {
  customers: [kim.web, kim.number],
  score: 0.93,
  evidence: [{ field: "lastName", level: "exact", weight: 6.5 }],
  status: "open",
};
const accepted: MatchDecided = {
  type: "MatchDecided",
  proposalId: "match:kim",
  decision: "accepted",
  decidedBy: "reviewer",
  note: "",
  eventId: "decision:match:kim",
  time: at("15:00"),
};

const when = (decision: PersonDecision, on: IdentityGraph, state?: ProposalState): DecisionOutcome =>
  decidePersonDecision(decision, on, { proposal: state, rules: defaultIdentityRules });

describe("the writer meeting a logged split", () => {
  it("applies it when the customer still holds what it moves", () => {
    const split = checkedSplit(graph);
    expect(when(split, graph)).toEqual({
      kind: "applied",
      customerId: split.newCustomerId,
      identityEvents: [split],
    });
  });

  it("gives the same split again when it meets it after applying it (its part was not committed)", () => {
    const split = checkedSplit(graph);
    expect(when(split, foldIdentityGraph([split], graph))).toEqual({
      kind: "applied",
      customerId: split.newCustomerId,
      identityEvents: [split],
    });
  });

  it("refuses it, changing nothing, when another split moved the identifiers meanwhile", () => {
    const split = checkedSplit(graph);
    const sameAgain = { ...split, eventId: "split:again", newCustomerId: foundedBy("split:again") };
    expect(when(sameAgain, foldIdentityGraph([split], graph))).toEqual({
      kind: "refused",
      refusal: {
        type: "DecisionRefused",
        decisionId: "split:again",
        reason: "identifier_not_owned",
        detail: `cookie_id:laptop does not belong to customer ${ann}`,
        eventId: `split:again@${at("15:00")}`,
        time: at("15:00"),
      },
    });
  });

  it("refuses it when the customer was merged into another meanwhile", () => {
    const split = checkedSplit(graph);
    const merged = given(
      [
        eventOf("shop:ann-2", at("08:00"), [email("ann.lee@example.com")]),
        eventOf("shop:ann-3", at("13:00"), [email("ann.lee@example.com"), email("ann@example.com")]),
      ],
      defaultIdentityRules,
      graph,
    );
    const outcome = when(split, merged);
    expect(outcome).toMatchObject({ kind: "refused", refusal: { reason: "customer_merged" } });
  });
});

describe("the writer meeting a logged decision on a proposal", () => {
  it("merges the two customers of an accepted proposal, the earliest first seen surviving", () => {
    expect(when(accepted, graph, proposal)).toEqual({
      kind: "applied",
      customerId: kim.number,
      identityEvents: [
        accepted,
        {
          type: "CustomersMerged",
          survivor: kim.number,
          merged: [kim.web],
          rule: "match_accepted",
          evidence: { kind: "match", score: 0.93, fields: proposal.evidence },
          eventId: accepted.eventId,
          time: accepted.time,
        },
      ],
    });
  });

  it("gives the same events again for the same request met again, and none for another request for it", () => {
    const first = when(accepted, graph, proposal);
    if (first.kind !== "applied") throw new Error("refused");
    const after = foldIdentityGraph(first.identityEvents, graph);
    const decided = proposalDecidedBy(proposal, first.identityEvents);
    expect(when(accepted, after, decided)).toEqual(first);
    expect(when({ ...accepted, time: at("15:01") }, after, decided)).toEqual({
      kind: "applied",
      customerId: kim.number,
      identityEvents: [],
    });
    expect(when({ ...accepted, decision: "rejected" }, after, decided)).toMatchObject({
      kind: "refused",
      refusal: { reason: "decided_already" },
    });
  });

  it("refuses an acceptance the rules forbid now: a second customer number arrived meanwhile", () => {
    const renumbered = given(
      [eventOf("shop:kim-3", at("12:00"), [customerNumber("C-9999"), email("minjun.k@example.net")])],
      defaultIdentityRules,
      graph,
    );
    expect(when(accepted, renumbered, proposal)).toMatchObject({
      kind: "refused",
      refusal: { decisionId: accepted.eventId, reason: "customer_number_conflict" },
    });
  });
});
