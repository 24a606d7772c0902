import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  bestHourOf,
  buildCampaignTargets,
  type CampaignCandidate,
  type CampaignTargetsInput,
  holdoutGroupOf,
  lastContactAt,
  scriptHintsOf,
  targetPriority,
} from "../src/domain/campaign-targets.js";
import { type CallFact, type ContactFact, contactPointsOf } from "../src/domain/contact-facts.js";
import type { CustomerScores } from "../src/domain/customer-scores.js";
import type { Offer } from "../src/domain/offer-catalog.js";

const scores = (customerId: string, overrides: Partial<CustomerScores> = {}): CustomerScores => ({
  customerId,
  tier: "purchasing",
  lifecycleStage: "active",
  segmentCell: "high_high_low",
  responsePolicy: "targeted",
  revenueMinor: 0,
  historicValueMinor: 100_000,
  marginMinor: 0,
  topCategories: [],
  openComplaints: 0,
  ...overrides,
});

const offer: Offer = {
  offerId: "tea-tasting",
  name: "Tea tasting invitation",
  description: "An evening of first-flush teas at the Seoul shop",
  kind: "event_invitation",
  strategy: "retention",
  channels: ["phone"],
  eligibility: [],
  costMinor: 5_000,
  valueMinor: 50_000,
  perCustomerCap: 1,
  priorResponseRate: 0.05,
  revision: 1,
  updatedAt: "2026-01-01T00:00:00.000Z",
};

let eventCounter = 0;
const noContactPoints = { emails: [], phones: [] };

const call = (time: string, fields: Partial<CallFact> = {}): CallFact => ({
  kind: "call",
  eventId: `call-${++eventCounter}`,
  time,
  direction: "outbound",
  purpose: "retention",
  contactPoints: noContactPoints,
  ...fields,
});

describe("the holdout", () => {
  it("puts a customer in the same group every time, whoever else is on the list", () => {
    const groups = ["c-1", "c-2", "c-3"].map((id) => holdoutGroupOf("spring-tea", id, 50));
    expect(["c-3", "c-1", "c-2"].map((id) => holdoutGroupOf("spring-tea", id, 50))).toEqual([
      groups[2],
      groups[0],
      groups[1],
    ]);
  });

  it("holds out the asked share of customers, within sampling error", () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => `customer-${i}`);
    for (const percent of [10, 30]) {
      const held = ids.filter((id) => holdoutGroupOf("spring-tea", id, percent) === "holdout").length;
      const p = percent / 100;
      const standardError = Math.sqrt((p * (1 - p)) / ids.length);
      expect(Math.abs(held / ids.length - p)).toBeLessThan(4 * standardError);
    }
  });

  it("draws a fresh holdout for each campaign", () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => `customer-${i}`);
    const heldInBoth = ids.filter(
      (id) =>
        holdoutGroupOf("spring-tea", id, 50) === "holdout" &&
        holdoutGroupOf("autumn-tea", id, 50) === "holdout",
    ).length;
    // Independent draws: a quarter of the customers are held out of both.
    expect(Math.abs(heldInBoth / ids.length - 0.25)).toBeLessThan(4 * Math.sqrt((0.25 * 0.75) / ids.length));
  });

  it("holds out nobody at 0 % and everybody at 100 %", () => {
    const ids = Array.from({ length: 1_000 }, (_, i) => `customer-${i}`);
    expect(ids.every((id) => holdoutGroupOf("spring-tea", id, 0) === "treatment")).toBe(true);
    expect(ids.every((id) => holdoutGroupOf("spring-tea", id, 100) === "holdout")).toBe(true);
  });
});

describe("the call priority", () => {
  it("is lifetime value at stake: predicted (else historic) value times churn risk", () => {
    expect(targetPriority(scores("a", { predictedValueMinor: 200_000, churnRisk: 0.8 }))).toBe(160_000);
    expect(targetPriority(scores("b", { historicValueMinor: 90_000, churnRisk: 0.5 }))).toBe(45_000);
  });

  it("counts an unknown churn risk as a coin toss", () => {
    expect(targetPriority(scores("c", { predictedValueMinor: 300_000 }))).toBe(150_000);
  });
});

describe("contact points", () => {
  it("are the email and phone of the latest facts naming them, by fact time not arrival", () => {
    const facts: ContactFact[] = [
      {
        kind: "profile",
        eventId: "p-2",
        time: "2026-03-01T00:00:00Z",
        contactPoints: { emails: ["ann@new.example"], phones: [] },
      },
      {
        kind: "order",
        eventId: "o-1",
        time: "2026-02-01T00:00:00Z",
        amountMinor: 10_000,
        contactPoints: { emails: ["ann@old.example"], phones: ["+821012345678"] },
      },
      {
        kind: "profile",
        eventId: "p-1",
        time: "2026-01-01T00:00:00Z",
        contactPoints: { emails: ["ann@oldest.example"], phones: ["+821000000000"] },
      },
      call("2026-04-01T00:00:00Z"),
    ];
    expect(contactPointsOf(facts)).toEqual({ email: "ann@new.example", phone: "+821012345678" });
    expect(contactPointsOf([...facts].reverse())).toEqual(contactPointsOf(facts));
  });

  it("are absent when no fact names any", () => {
    expect(contactPointsOf([call("2026-04-01T00:00:00Z")])).toEqual({});
  });
});

describe("the best hour to call", () => {
  // Seoul is UTC+9 all year: 01:00Z is 10:00 there, 05:00Z is 14:00.
  it("is the hour, in the campaign's time zone, the customer answered outbound calls most", () => {
    const facts = [
      call("2026-03-02T05:10:00Z", { outcome: "completed" }),
      call("2026-03-09T05:40:00Z", { outcome: "callback_requested" }),
      call("2026-03-03T01:00:00Z", { outcome: "escalated" }),
      call("2026-03-04T01:00:00Z", { outcome: "no_answer" }),
      call("2026-03-05T01:00:00Z", { outcome: "voicemail" }),
      call("2026-03-06T01:00:00Z", { direction: "inbound", outcome: "completed" }),
      call("2026-03-07T01:00:00Z", { direction: "inbound", outcome: "completed" }),
    ];
    expect(bestHourOf(facts, "Asia/Seoul")).toBe(14);
    expect(bestHourOf(facts, "UTC")).toBe(5);
  });

  it("follows daylight saving time", () => {
    // New York is UTC-4 in July (EDT) and UTC-5 in January (EST): both calls were at 10:00 there.
    const facts = [
      call("2026-07-01T14:00:00Z", { outcome: "completed" }),
      call("2026-01-15T15:00:00Z", { outcome: "completed" }),
    ];
    expect(bestHourOf(facts, "America/New_York")).toBe(10);
  });

  it("takes the earlier hour on a tie", () => {
    const facts = [
      call("2026-03-02T08:00:00Z", { outcome: "completed" }),
      call("2026-03-03T03:00:00Z", { outcome: "completed" }),
    ];
    expect(bestHourOf(facts, "UTC")).toBe(3);
  });

  it("falls back to the hour the customer calls in most, then to unknown", () => {
    const inbound = [
      call("2026-03-02T08:00:00Z", { outcome: "no_answer" }),
      call("2026-03-03T11:00:00Z", { direction: "inbound" }),
      call("2026-03-04T11:30:00Z", { direction: "inbound" }),
      call("2026-03-05T09:00:00Z", { direction: "inbound" }),
    ];
    expect(bestHourOf(inbound, "UTC")).toBe(11);
    expect(bestHourOf([call("2026-03-02T08:00:00Z", { outcome: "busy" })], "UTC")).toBe(-1);
    expect(bestHourOf([], "UTC")).toBe(-1);
  });
});

describe("the last contact", () => {
  it("is the latest call, presentation or response; orders and profile changes are not contacts", () => {
    const facts: ContactFact[] = [
      call("2026-03-01T09:00:00Z"),
      {
        kind: "presentation",
        eventId: "pr-1",
        time: "2026-03-05T09:00:00+09:00",
        offerId: "tea-tasting",
        strategy: "retention",
        channel: "email",
        segmentCell: "high_high_low",
      },
      {
        kind: "response",
        eventId: "r-1",
        time: "2026-03-04T10:00:00Z",
        offerId: "tea-tasting",
        response: "declined",
        revenueMinor: 0,
      },
      {
        kind: "order",
        eventId: "o-1",
        time: "2026-03-20T00:00:00Z",
        amountMinor: 1,
        contactPoints: noContactPoints,
      },
    ];
    expect(lastContactAt(facts)).toBe("2026-03-05T00:00:00.000Z");
    expect(lastContactAt(facts.slice(3))).toBeUndefined();
  });
});

describe("script hints", () => {
  const now = Date.parse("2026-05-18T00:00:00Z");

  it("say who the customer is to us, what complaint is still open, and what to offer", () => {
    const facts = [
      call("2026-04-01T00:00:00Z", { complaintReference: "C-7", complaintStatus: "open" }),
      call("2026-04-03T00:00:00Z", { complaintReference: "C-7", complaintStatus: "resolved" }),
      call("2026-05-02T09:00:00Z", { complaintReference: "C-12", complaintStatus: "open" }),
      // A follow-up naming the complaint without a status leaves it open since the first call.
      call("2026-05-10T00:00:00Z", { complaintReference: "C-12" }),
      call("2026-05-11T00:00:00Z", { complaintReference: "C-12", complaintStatus: "open" }),
    ];
    const platinumAtRisk = scores("ann", {
      tier: "platinum",
      lifecycleStage: "at_risk",
      churnRisk: 0.7231,
      churnRiskBand: "high",
    });
    expect(scriptHintsOf(platinumAtRisk, facts, offer, now)).toEqual([
      "platinum, at_risk, churn risk 0.72 (high)",
      "open complaint C-12 since 2026-05-02 (15 days)",
      "offer: Tea tasting invitation (event_invitation)",
    ]);
  });

  it("read the complaint's status from its latest call by time, whatever order the facts come in", () => {
    const facts = [
      call("2026-05-09T00:00:00Z", { complaintReference: "C-3", complaintStatus: "open" }),
      call("2026-05-01T00:00:00Z", { complaintReference: "C-3", complaintStatus: "closed_unresolved" }),
      call("2026-04-20T00:00:00Z", { complaintReference: "C-3", complaintStatus: "open" }),
    ];
    // Closed on 1 May, reopened on 9 May.
    expect(scriptHintsOf(scores("bo"), facts, offer, now)).toEqual([
      "purchasing, active",
      "open complaint C-3 since 2026-05-09 (9 days)",
      "offer: Tea tasting invitation (event_invitation)",
    ]);
    expect(
      scriptHintsOf(scores("bo"), [facts[2] as ContactFact, facts[1] as ContactFact], offer, now),
    ).toEqual(["purchasing, active", "offer: Tea tasting invitation (event_invitation)"]);
  });
});

describe("building a campaign's target list", () => {
  const candidate = (id: string, value: number, churnRisk: number, facts: ContactFact[] = []) => ({
    scores: scores(id, { predictedValueMinor: value, churnRisk }),
    facts,
  });
  const base = (candidates: CampaignCandidate[]): CampaignTargetsInput => ({
    campaignId: "spring-tea",
    offer,
    holdoutPercent: 0,
    maxTargets: 0,
    timeZone: "Asia/Seoul",
    now: Date.parse("2026-05-18T00:00:00Z"),
    candidates,
    screen: ({ scores: s }) =>
      s.customerId.startsWith("optout")
        ? { allowed: false, reason: "no consent for phone" }
        : s.customerId.startsWith("recent")
          ? { allowed: false, reason: "contacted in the last 7 days" }
          : { allowed: true },
  });

  it("ranks the allowed customers by value at stake, ties by id, and counts the rest by reason", () => {
    const candidates = [
      candidate("b", 100_000, 0.5),
      candidate("a", 50_000, 1),
      candidate("optout-1", 900_000, 0.9),
      candidate("c", 400_000, 0.9, [
        call("2026-05-01T01:00:00Z", {
          outcome: "completed",
          contactPoints: { emails: ["cho@example.com"], phones: ["+821055551234"] },
        }),
      ]),
      candidate("recent-1", 1, 0),
      candidate("optout-2", 1, 0),
    ];
    const list = buildCampaignTargets(base(candidates));

    expect(list.targets.map((target) => [target.customerId, target.priority])).toEqual([
      ["c", 360_000],
      ["a", 50_000],
      ["b", 50_000],
    ]);
    expect(list.targets[0]).toEqual({
      customerId: "c",
      group: "treatment",
      priority: 360_000,
      phone: "+821055551234",
      email: "cho@example.com",
      bestHour: 10,
      lastContactAt: "2026-05-01T01:00:00.000Z",
      scriptHints: [
        "purchasing, active, churn risk 0.90",
        "offer: Tea tasting invitation (event_invitation)",
      ],
    });
    expect(list.targets[1]).toMatchObject({ customerId: "a", bestHour: -1 });
    expect(list.targets[1]).not.toHaveProperty("phone");
    expect(list.exclusions).toEqual([
      { reason: "no consent for phone", customers: 2 },
      { reason: "contacted in the last 7 days", customers: 1 },
    ]);
  });

  it("keeps the highest priorities up to the maximum, then draws the holdout from them", () => {
    const candidates = Array.from({ length: 200 }, (_, i) =>
      candidate(`customer-${i}`, 1_000 * (i + 1), 0.5),
    );
    const list = buildCampaignTargets({ ...base(candidates), maxTargets: 50, holdoutPercent: 20 });

    expect(list.targets).toHaveLength(50);
    expect(list.targets[0]?.customerId).toBe("customer-199");
    expect(list.targets[49]?.customerId).toBe("customer-150");
    for (const target of list.targets) {
      expect(target.group).toBe(holdoutGroupOf("spring-tea", target.customerId, 20));
    }
    expect(list.targets.some((target) => target.group === "holdout")).toBe(true);
    expect(list.exclusions).toEqual([]);
  });

  it("does not depend on the order the candidates come in", () => {
    const candidates = fc
      .uniqueArray(
        fc.record({
          id: fc
            .constantFrom(..."abcdefghijklmnopqrstuvwxyz".split(""))
            .chain((letter) => fc.integer({ min: 0, max: 99 }).map((n) => `${letter}${n}`)),
          value: fc.integer({ min: 0, max: 5 }).map((n) => n * 10_000),
          churnRisk: fc.constantFrom(0.25, 0.5, 1),
          allowed: fc.constantFrom("yes", "optout", "recent"),
          callHours: fc.array(fc.integer({ min: 0, max: 23 }), { maxLength: 3 }),
        }),
        { selector: (draw) => draw.id, maxLength: 30 },
      )
      .map((draws) =>
        draws.map((draw) =>
          candidate(
            draw.allowed === "yes" ? draw.id : `${draw.allowed}-${draw.id}`,
            draw.value,
            draw.churnRisk,
            draw.callHours.map((hour, i) =>
              call(`2026-04-${String(i + 10)}T${String(hour).padStart(2, "0")}:00:00Z`, {
                eventId: `${draw.id}-call-${i}`,
                outcome: "completed",
                contactPoints: { emails: [`${draw.id}-${i}@example.com`], phones: [] },
              }),
            ),
          ),
        ),
      );
    fc.assert(
      fc.property(
        candidates.chain((list) =>
          fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length })),
        ),
        fc.integer({ min: 0, max: 10 }),
        ([list, shuffled], maxTargets) => {
          const build = (candidates: CampaignCandidate[]) =>
            buildCampaignTargets({ ...base(candidates), holdoutPercent: 30, maxTargets });
          expect(build(shuffled)).toEqual(build(list));
        },
      ),
    );
  });
});
