import { describe, expect, it } from "vitest";
import { defaultIdentityRules } from "../src/domain/identifier-rules.js";
import type { CustomerNode, IdentityGraph } from "../src/domain/identity-graph.js";
import type { PersonRecord } from "../src/domain/matching/person-record.js";
import {
  decideAcceptedMatch,
  decideProbabilisticMatches,
  type MatchCandidate,
  type MatchContext,
  proposalIdOf,
} from "../src/domain/probabilistic-match.js";
import { fittedLikeModel } from "./match-model-fixture.js";

const model = fittedLikeModel;

function customer(
  id: string,
  firstSeen: string,
  identifiers: CustomerNode["identifiers"],
  person: Omit<PersonRecord, "recordId">,
): MatchCandidate {
  return {
    node: { id, firstSeen: { time: firstSeen, eventId: `e-${id}` }, identifiers },
    record: { recordId: id, ...person },
  };
}

const graphOf = (...candidates: MatchCandidate[]): IdentityGraph => ({
  customers: new Map(candidates.map(({ node }) => [node.id, node])),
  owners: new Map(),
});

const minjun = {
  firstName: "Minjun",
  lastName: "Kim",
  birthDate: "1985-05-05",
  postalCode: "04524",
  addressLine: "1 Sejong-daero",
};
const subject = customer("cus_web", "2026-04-02T00:00:00.000Z", { email: ["minjun@example.net"] }, minjun);
const twin = customer("cus_shop", "2026-04-01T00:00:00.000Z", { customer_number: ["C-1"] }, minjun);
const namesake = customer(
  "cus_call",
  "2026-03-01T00:00:00.000Z",
  { phone: ["+821011112222"] },
  {
    firstName: "Minsu",
    lastName: "Kim",
    birthDate: "1985-05-05",
  },
);
const context: MatchContext = {
  model,
  thresholds: { autoMerge: 0.999, review: 0.9 },
  rejected: new Set(),
  proposed: new Set(),
  rules: defaultIdentityRules,
  eventId: "web:signup",
  time: "2026-04-02T00:00:00.000Z",
};

describe("probabilistic matches of one customer", () => {
  it("merges a candidate above the auto-merge threshold into the earliest first seen, and proposes one in the review band", () => {
    const events = decideProbabilisticMatches(
      subject,
      [namesake, twin],
      graphOf(subject, twin, namesake),
      context,
    );

    expect(events.map((event) => event.type)).toEqual(["CustomersMerged", "MatchProposed"]);
    expect(events[0]).toMatchObject({
      survivor: "cus_shop",
      merged: ["cus_web"],
      rule: "probabilistic_match",
    });
    expect(events[1]).toMatchObject({
      proposalId: proposalIdOf("cus_web", "cus_call"),
      customers: ["cus_web", "cus_call"],
    });
  });

  it("refuses a merge the identity rules forbid, and proposes nothing already proposed or rejected", () => {
    const otherAccount = customer(
      "cus_other",
      "2026-01-01T00:00:00.000Z",
      { customer_number: ["C-2"] },
      minjun,
    );
    const withNumber = customer("cus_web", "2026-04-02T00:00:00.000Z", { customer_number: ["C-9"] }, minjun);
    const events = decideProbabilisticMatches(
      withNumber,
      [otherAccount, namesake],
      graphOf(withNumber, otherAccount, namesake),
      {
        ...context,
        proposed: new Set([proposalIdOf("cus_web", "cus_call")]),
      },
    );
    expect(events).toEqual([
      {
        type: "MergeRefused",
        customers: ["cus_web", "cus_other"],
        rule: "customer_number_conflict",
        eventId: "web:signup",
        time: "2026-04-02T00:00:00.000Z",
      },
    ]);
    const afterRejection = decideProbabilisticMatches(subject, [namesake], graphOf(subject, namesake), {
      ...context,
      rejected: new Set(["cus_call|cus_web"]),
    });
    expect(afterRejection).toEqual([]);
  });
});

describe("a match a person accepted", () => {
  const proposal = { customers: ["cus_web", "cus_call"] as [string, string], score: 0.95, evidence: [] };
  const fact = { eventId: "decision:1", time: "2026-04-05T00:00:00.000Z" };

  it("merges the two customers into the earliest first seen", () => {
    expect(decideAcceptedMatch(proposal, graphOf(subject, namesake), defaultIdentityRules, fact)).toEqual({
      type: "CustomersMerged",
      survivor: "cus_call",
      merged: ["cus_web"],
      rule: "match_accepted",
      evidence: { kind: "match", score: 0.95, fields: [] },
      ...fact,
    });
  });

  it("changes nothing for customers that are one already, and cannot overrule two customer numbers", () => {
    const merged: CustomerNode = { ...namesake.node, mergedInto: "cus_web" };
    expect(
      decideAcceptedMatch(
        proposal,
        {
          customers: new Map([
            ["cus_web", subject.node],
            ["cus_call", merged],
          ]),
          owners: new Map(),
        },
        defaultIdentityRules,
        fact,
      ),
    ).toBeUndefined();
    const accounts = { customers: ["cus_shop", "cus_other"] as [string, string], score: 0.95, evidence: [] };
    const other = customer("cus_other", "2026-01-01T00:00:00.000Z", { customer_number: ["C-2"] }, minjun);
    expect(decideAcceptedMatch(accounts, graphOf(twin, other), defaultIdentityRules, fact)).toMatchObject({
      type: "MergeRefused",
      rule: "customer_number_conflict",
    });
  });
});
