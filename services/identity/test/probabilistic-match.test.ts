import { describe, expect, it } from "vitest";
import { defaultIdentityRules } from "../src/domain/identifier-rules.js";
import type { CustomerNode, IdentityGraph } from "../src/domain/identity-graph.js";
import type { PersonRecord } from "../src/domain/matching/person-record.js";
import {
  candidatesWorthDeciding,
  decideAcceptedMatch,
  decideProbabilisticMatches,
  type MatchCandidate,
  type MatchContext,
  proposalIdOf,
} from "../src/domain/probabilistic-match.js";
import { birthDatesAgreeModel, fittedLikeModel } from "./match-model-fixture.js";

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
  it("reads further only the candidates that score at least the review threshold", () => {
    const stranger = customer(
      "cus_other",
      "2026-02-01T00:00:00.000Z",
      { email: ["jiwoo@example.org"] },
      { firstName: "Jiwoo", lastName: "Park", birthDate: "1990-11-30" },
    );

    const worth = candidatesWorthDeciding(subject, [stranger, namesake, twin], model, context.thresholds);

    expect(worth.map(({ node }) => node.id)).toEqual(["cus_call", "cus_shop"]);
    expect(decideProbabilisticMatches(subject, worth, graphOf(subject, twin, namesake), context)).toEqual(
      decideProbabilisticMatches(
        subject,
        [stranger, namesake, twin],
        graphOf(subject, twin, namesake, stranger),
        context,
      ),
    );
  });

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

  it("merges two candidates that conflict with each other into none: the weaker is proposed for review", () => {
    const home = { lastName: "Jung", postalCode: "15441", addressLine: "189 Mapo-daero, Apt 108-2004" };
    const nameless = customer("cus_app", "2026-04-02T00:00:00.000Z", { email: ["sunny200@naver.com"] }, home);
    const mother = customer(
      "cus_mother",
      "2026-01-01T00:00:00.000Z",
      { phone: ["+821036294729"] },
      { ...home, firstName: "Okja", birthDate: "1962-04-11" },
    );
    const son = customer(
      "cus_son",
      "2026-02-01T00:00:00.000Z",
      { phone: ["+821099990000"] },
      { ...home, firstName: "Minji", birthDate: "1991-09-30" },
    );
    const events = decideProbabilisticMatches(nameless, [son, mother], graphOf(nameless, mother, son), {
      ...context,
      model: birthDatesAgreeModel,
      thresholds: { autoMerge: 0.9, review: 0.5 },
    });

    expect(events.map((event) => event.type)).toEqual(["CustomersMerged", "MatchProposed"]);
    expect(events[0]).toMatchObject({ survivor: "cus_mother", merged: ["cus_app"] });
    expect(events[1]).toMatchObject({ customers: ["cus_app", "cus_son"] });
    expect((events[1] as { score: number }).score).toBeGreaterThanOrEqual(0.9);
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
