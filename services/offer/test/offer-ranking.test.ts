import { seededRandom } from "@rapport/sampling";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type {
  ContactFact,
  PresentationFact,
  ResponseFact,
  ResponseKind,
} from "../src/domain/contact-facts.js";
import {
  expectedNetValue,
  posteriorMean,
  priorStrength,
  type ResponseCounts,
  responseCountsOf,
  responsePosterior,
  responseTallyOf,
  sampleBeta,
} from "../src/domain/offer-ranking.js";

const day = (n: number, hour = 0) =>
  new Date(Date.parse("2026-03-01T00:00:00.000Z") + n * 86_400_000 + hour * 3_600_000).toISOString();

const presented = (
  id: string,
  offerId: string,
  time: string,
  segmentCell = "high_high_high",
): PresentationFact => ({
  kind: "presentation",
  eventId: id,
  time,
  offerId,
  strategy: "cross_sell",
  channel: "email",
  segmentCell,
});
const answered = (
  id: string,
  offerId: string,
  response: ResponseKind,
  time: string,
  presentationId?: string,
): ResponseFact => ({
  kind: "response",
  eventId: id,
  time,
  offerId,
  response,
  revenueMinor: 0,
  ...(presentationId ? { presentationId } : {}),
});

/** Counts as plain rows, in a fixed order, to compare. */
const rowsOf = (counts: ResponseCounts) =>
  [...counts]
    .flatMap(([offerId, byCell]) => [...byCell].map(([cell, tally]) => ({ offerId, cell, ...tally })))
    .sort((a, b) => `${a.offerId}/${a.cell}`.localeCompare(`${b.offerId}/${b.cell}`));

describe("counting responses", () => {
  it("counts every presentation under its offer and the cell it was made in", () => {
    const counts = responseCountsOf([
      [presented("p1", "TEA", day(0)), presented("p2", "TEA", day(5), "low_low_low")],
      [presented("p3", "TEA", day(1)), presented("p4", "COFFEE", day(2))],
    ]);

    expect(rowsOf(counts)).toEqual([
      { offerId: "COFFEE", cell: "high_high_high", presentations: 1, positiveResponses: 0 },
      { offerId: "TEA", cell: "high_high_high", presentations: 2, positiveResponses: 0 },
      { offerId: "TEA", cell: "low_low_low", presentations: 1, positiveResponses: 0 },
    ]);
  });

  it("credits a response to the presentation it names", () => {
    const counts = responseCountsOf([
      [
        presented("p1", "TEA", day(0), "low_low_low"),
        presented("p2", "TEA", day(5)),
        answered("r1", "TEA", "accepted", day(6), "p1"),
      ],
    ]);

    expect(responseTallyOf(counts, "TEA", "low_low_low")).toEqual({ presentations: 1, positiveResponses: 1 });
    expect(responseTallyOf(counts, "TEA", "high_high_high")).toEqual({
      presentations: 1,
      positiveResponses: 0,
    });
  });

  it("credits an unnamed response to the offer's latest presentation at or before it", () => {
    const counts = responseCountsOf([
      [
        presented("p1", "TEA", day(0), "low_low_low"),
        presented("p2", "TEA", day(5)),
        presented("p3", "TEA", day(9), "high_low_low"),
        answered("r1", "TEA", "converted", day(5)),
      ],
    ]);

    expect(responseTallyOf(counts, "TEA", "high_high_high").positiveResponses).toBe(1);
    expect(responseTallyOf(counts, "TEA", "low_low_low").positiveResponses).toBe(0);
    expect(responseTallyOf(counts, "TEA", "high_low_low").positiveResponses).toBe(0);
  });

  it("falls back to the latest presentation when the one named is not among the facts", () => {
    const counts = responseCountsOf([
      [presented("p1", "TEA", day(0)), answered("r1", "TEA", "accepted", day(1), "elsewhere")],
    ]);

    expect(responseTallyOf(counts, "TEA", "high_high_high").positiveResponses).toBe(1);
  });

  it("counts one positive per presentation however often it was answered, and no negative ones", () => {
    const counts = responseCountsOf([
      [
        presented("p1", "TEA", day(0)),
        answered("r1", "TEA", "accepted", day(1), "p1"),
        answered("r2", "TEA", "converted", day(3)),
        presented("p2", "TEA", day(10)),
        answered("r3", "TEA", "declined", day(11), "p2"),
        answered("r4", "TEA", "no_answer", day(12)),
      ],
    ]);

    expect(responseTallyOf(counts, "TEA", "high_high_high")).toEqual({
      presentations: 2,
      positiveResponses: 1,
    });
  });

  it("leaves out responses to nothing presented, and another customer's presentations", () => {
    const counts = responseCountsOf([
      [presented("p1", "TEA", day(5))],
      [answered("r1", "TEA", "accepted", day(6), "p1"), answered("r2", "TEA", "accepted", day(7))],
      [presented("p2", "TEA", day(5)), answered("r3", "TEA", "accepted", day(4))],
    ]);

    expect(responseTallyOf(counts, "TEA", "high_high_high")).toEqual({
      presentations: 2,
      positiveResponses: 0,
    });
  });

  it("knows nothing of an offer never presented", () => {
    expect(responseTallyOf(responseCountsOf([]), "TEA", "high_high_high")).toEqual({
      presentations: 0,
      positiveResponses: 0,
    });
  });

  it("gives the same counts whatever the order of the facts, and a redelivered fact changes nothing", () => {
    const customerFacts = fc
      .array(
        fc.record({
          isResponse: fc.boolean(),
          offer: fc.constantFrom("TEA", "COFFEE"),
          cell: fc.constantFrom("high_high_high", "low_low_low"),
          day: fc.integer({ min: 0, max: 5 }),
          response: fc.constantFrom<ResponseKind>("accepted", "declined", "no_answer", "converted"),
          names: fc.option(fc.integer({ min: 0, max: 12 }), { nil: undefined }),
        }),
        { maxLength: 12 },
      )
      .map((draws) =>
        draws.map(
          (draw, i): ContactFact =>
            draw.isResponse
              ? answered(
                  `r${i}`,
                  draw.offer,
                  draw.response,
                  day(draw.day),
                  draw.names === undefined ? undefined : `p${draw.names}`,
                )
              : presented(`p${i}`, draw.offer, day(draw.day), draw.cell),
        ),
      );
    const shuffled = (facts: ContactFact[]) =>
      fc.shuffledSubarray(facts, { minLength: facts.length, maxLength: facts.length });

    fc.assert(
      fc.property(
        fc
          .array(customerFacts, { maxLength: 4 })
          .chain((customers) =>
            fc.tuple(
              fc.constant(customers),
              fc.tuple(...customers.map((facts) => shuffled([...facts, ...facts.slice(0, 2)]))),
            ),
          ),
        ([customers, reordered]) => {
          expect(rowsOf(responseCountsOf(reordered))).toEqual(rowsOf(responseCountsOf(customers)));
        },
      ),
    );
  });
});

describe("the response posterior", () => {
  it("starts from the catalog's rate worth priorStrength presentations", () => {
    const prior = responsePosterior({ priorResponseRate: 0.05 }, { presentations: 0, positiveResponses: 0 });

    expect(priorStrength).toBe(20);
    expect(prior).toEqual({ alpha: 1, beta: 19, presentationsSeen: 0, positiveResponsesSeen: 0 });
    expect(posteriorMean(prior)).toBeCloseTo(0.05, 12);
  });

  it("adds positive responses to alpha and the other presentations to beta", () => {
    const posterior = responsePosterior(
      { priorResponseRate: 0.05 },
      { presentations: 30, positiveResponses: 6 },
    );

    expect(posterior).toEqual({ alpha: 7, beta: 43, presentationsSeen: 30, positiveResponsesSeen: 6 });
    expect(posteriorMean(posterior)).toBeCloseTo(0.14, 12);
  });

  it("follows the cell's own rate as presentations pile up", () => {
    const posterior = responsePosterior(
      { priorResponseRate: 0.5 },
      { presentations: 2_000, positiveResponses: 200 },
    );

    expect(posteriorMean(posterior)).toBeCloseTo(210 / 2_020, 12);
  });

  it("values an offer at p × value − cost", () => {
    expect(expectedNetValue(0.14, { valueMinor: 40_000, costMinor: 2_000 })).toBeCloseTo(3_600, 9);
    expect(expectedNetValue(0.01, { valueMinor: 40_000, costMinor: 2_000 })).toBeCloseTo(-1_600, 9);
  });
});

describe("Thompson sampling", () => {
  const moments = (draws: number[]) => {
    const mean = draws.reduce((total, draw) => total + draw, 0) / draws.length;
    const variance = draws.reduce((total, draw) => total + (draw - mean) ** 2, 0) / (draws.length - 1);
    return { mean, variance };
  };

  it.each([
    [7, 43],
    [1, 19],
    [0.5, 0.5],
    [2.5, 0.8],
    [30, 30],
  ])("draws Beta(%s, %s) with its mean and variance", (alpha, beta) => {
    const random = seededRandom(alpha * 1_000 + beta);
    const n = 40_000;
    const { mean, variance } = moments(Array.from({ length: n }, () => sampleBeta(alpha, beta, random)));
    const expectedMean = alpha / (alpha + beta);
    const expectedVariance = (alpha * beta) / ((alpha + beta) ** 2 * (alpha + beta + 1));

    expect(Math.abs(mean - expectedMean)).toBeLessThan(5 * Math.sqrt(expectedVariance / n));
    expect(Math.abs(variance / expectedVariance - 1)).toBeLessThan(0.05);
  });

  it("draws within [0, 1]", () => {
    const random = seededRandom(7);
    const draws = Array.from({ length: 2_000 }, () => sampleBeta(0.2, 0.3, random));

    expect(draws.every((draw) => draw >= 0 && draw <= 1)).toBe(true);
  });
});
