import { type RandomSource, sampleGamma } from "@rapport/sampling";
import { type ContactFact, factsOfKind, isPositiveResponse, type PresentationFact } from "./contact-facts.js";
import type { Offer } from "./offer-catalog.js";

/** How often an offer was put to customers of one segment cell, and how often they said yes. */
export type ResponseTally = { presentations: number; positiveResponses: number };

/** Tallies by offer id, then by the segment cell the customer was in when the offer was presented. */
export type ResponseCounts = ReadonlyMap<string, ReadonlyMap<string, ResponseTally>>;

/**
 * What the company has learned of its offers from every customer's contacts. Each presentation
 * counts under its offer and the cell it was made in. A response counts for the presentation it
 * names, else (or when that presentation is not among the facts) for the latest presentation of
 * its offer at or before the response; one presentation counts at most one positive answer
 * however often it was answered, and answers to nothing known are left out. Facts are a set: their
 * order and repeats of an event change nothing.
 */
export function responseCountsOf(factsByCustomer: Iterable<readonly ContactFact[]>): ResponseCounts {
  const counts = new Map<string, Map<string, ResponseTally>>();
  const tallyOf = (presentation: PresentationFact): ResponseTally => {
    const byCell = counts.get(presentation.offerId) ?? new Map<string, ResponseTally>();
    counts.set(presentation.offerId, byCell);
    const tally = byCell.get(presentation.segmentCell) ?? { presentations: 0, positiveResponses: 0 };
    byCell.set(presentation.segmentCell, tally);
    return tally;
  };
  for (const facts of factsByCustomer) {
    const presentations = new Map(factsOfKind(facts, "presentation").map((fact) => [fact.eventId, fact]));
    for (const presentation of presentations.values()) tallyOf(presentation).presentations += 1;
    const answeredPositively = new Set<PresentationFact>();
    for (const response of factsOfKind(facts, "response")) {
      if (!isPositiveResponse(response.response)) continue;
      const named =
        response.presentationId === undefined ? undefined : presentations.get(response.presentationId);
      const presentation =
        named ?? latestPresentationOf(response.offerId, response.time, presentations.values());
      if (presentation) answeredPositively.add(presentation);
    }
    for (const presentation of answeredPositively) tallyOf(presentation).positiveResponses += 1;
  }
  return counts;
}

/** The tally of an offer in a cell; nothing seen yet is zero and zero. */
export function responseTallyOf(counts: ResponseCounts, offerId: string, segmentCell: string): ResponseTally {
  return counts.get(offerId)?.get(segmentCell) ?? { presentations: 0, positiveResponses: 0 };
}

function latestPresentationOf(
  offerId: string,
  time: string,
  presentations: Iterable<PresentationFact>,
): PresentationFact | undefined {
  const answeredAt = Date.parse(time);
  let latest: PresentationFact | undefined;
  for (const presentation of presentations) {
    const presentedAt = Date.parse(presentation.time);
    if (presentation.offerId !== offerId || presentedAt > answeredAt) continue;
    const byTime = latest ? presentedAt - Date.parse(latest.time) : 1;
    // Two presentations at the same instant: the larger id, so the answer never depends on order.
    if (byTime > 0 || (byTime === 0 && latest && presentation.eventId > latest.eventId)) {
      latest = presentation;
    }
  }
  return latest;
}

/**
 * How many observations the catalog's prior response rate is worth: after twenty presentations in
 * a cell, what the cell did weighs as much as what the catalog believed.
 */
export const priorStrength = 20;

/** Beta(alpha, beta) over an offer's response probability in a cell, and the tally it learned from. */
export type ResponsePosterior = {
  alpha: number;
  beta: number;
  presentationsSeen: number;
  positiveResponsesSeen: number;
};

/**
 * The prior Beta(priorStrength·p0, priorStrength·(1 − p0)) around the catalog's rate p0, updated
 * with the cell's tally: each positive response adds to alpha, each other presentation to beta.
 */
export function responsePosterior(
  offer: Pick<Offer, "priorResponseRate">,
  tally: ResponseTally,
): ResponsePosterior {
  const prior = Math.min(1, Math.max(0, offer.priorResponseRate));
  const positives = Math.min(tally.positiveResponses, tally.presentations);
  return {
    alpha: priorStrength * prior + positives,
    beta: priorStrength * (1 - prior) + tally.presentations - positives,
    presentationsSeen: tally.presentations,
    positiveResponsesSeen: tally.positiveResponses,
  };
}

export function posteriorMean(posterior: Pick<ResponsePosterior, "alpha" | "beta">): number {
  return posterior.alpha / (posterior.alpha + posterior.beta);
}

/** What making the offer is worth before the customer answers: p × value − cost, minor units. */
export function expectedNetValue(
  responseProbability: number,
  offer: Pick<Offer, "valueMinor" | "costMinor">,
): number {
  return responseProbability * offer.valueMinor - offer.costMinor;
}

/**
 * One draw from Beta(alpha, beta): Thompson sampling ranks offers by a draw from what is believed
 * of each, so an offer little seen gets its chance and a proven one wins most of the time.
 * X/(X + Y) with X ~ Gamma(alpha), Y ~ Gamma(beta).
 */
export function sampleBeta(alpha: number, beta: number, random: RandomSource): number {
  const x = sampleGamma(alpha, random);
  const y = sampleGamma(beta, random);
  return x + y > 0 ? x / (x + y) : alpha / (alpha + beta);
}
