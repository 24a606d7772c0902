import { type ContactFact, factsOfKind, type TreatmentFact } from "./contact-facts.js";
import { type ContactPolicySettings, channelCheck, offerCheck } from "./contact-policy.js";
import type { CustomerScores } from "./customer-scores.js";
import { checkRule } from "./eligibility.js";
import type { Channel, Offer, Strategy } from "./offer-catalog.js";
import {
  expectedNetValue,
  posteriorMean,
  type ResponseCounts,
  responsePosterior,
  responseTallyOf,
  sampleBeta,
} from "./offer-ranking.js";

export type NextBestOffersInput = {
  /** The catalog's offers to choose from. */
  offers: readonly Offer[];
  scores: CustomerScores;
  /** The customer's contact facts. */
  facts: readonly ContactFact[];
  channel: Channel;
  now: number;
  /** At most this many decisions. */
  limit: number;
  /** Only offers of these strategies; empty means any. */
  strategies: readonly Strategy[];
  /** Rank by a Thompson draw from each offer's posterior instead of its mean. */
  explore: boolean;
  random: () => number;
  counts: ResponseCounts;
  settings: ContactPolicySettings;
};

/** Why an offer ranks where it does: the response probability used and what it rests on. */
export type OfferScore = {
  responseProbability: number;
  posteriorAlpha: number;
  posteriorBeta: number;
  presentationsSeen: number;
  positiveResponsesSeen: number;
  valueMinor: number;
  costMinor: number;
  /** p × value − cost; not rounded, so close offers keep their order. */
  expectedNetValueMinor: number;
  /** Whether the probability is a Thompson draw rather than the posterior mean. */
  sampled: boolean;
  /** The cell whose responses were learned from. */
  segmentCell: string;
};

export type OfferDecision = {
  offer: Offer;
  score: OfferScore;
  /** The policy's and the eligibility rules' reasons the offer may be made. */
  reasons: string[];
  /** The reason of the queued treatment the offer answers, when it answers one. */
  queuedTreatment?: string;
};

export type OfferNotMade = { offerId: string; reason: string };

export type NextBestOffers = { decisions: OfferDecision[]; notMade: OfferNotMade[] };

/**
 * The offers to make this customer now on this channel, best first: offers answering a queued
 * treatment, then by expected net value, then by id. Offers worth less than they cost are still
 * ranked (last); the caller decides whether to make them. Every offer of the requested strategies
 * is either decided or in notMade with the first reason it could not be made.
 */
export function decideNextBestOffers(input: NextBestOffersInput): NextBestOffers {
  const { channel, facts, now, scores, settings } = input;
  const candidates = input.offers
    .filter((offer) => input.strategies.length === 0 || input.strategies.includes(offer.strategy))
    .toSorted((a, b) => compareText(a.offerId, b.offerId));
  const channelAnswer = channelCheck(facts, channel, now, settings);
  if (!channelAnswer.allowed) {
    return {
      decisions: [],
      notMade: candidates.map((offer) => ({ offerId: offer.offerId, reason: channelAnswer.reason })),
    };
  }
  const queued = openTreatments(facts, now);
  const notMade: OfferNotMade[] = [];
  const eligible: OfferDecision[] = [];
  // Candidates go in id order, so a seeded draw gives the same answer whatever the catalog's order.
  for (const offer of candidates) {
    const policy = offerCheck(offer, scores, facts, channel, now, settings);
    if (!policy.allowed) {
      notMade.push({ offerId: offer.offerId, reason: policy.reason });
      continue;
    }
    const rules = offer.eligibility.map((rule) => checkRule(rule, scores));
    const failed = rules.find((rule) => !rule.passed);
    if (failed) {
      notMade.push({ offerId: offer.offerId, reason: failed.description });
      continue;
    }
    const treatment = queued.get(offer.strategy);
    eligible.push({
      offer,
      score: scoreOf(offer, input),
      reasons: [...channelAnswer.reasons, ...policy.reasons, ...rules.map((rule) => rule.description)],
      ...(treatment ? { queuedTreatment: treatment.reason } : {}),
    });
  }
  const ranked = eligible.toSorted(
    (a, b) =>
      Number(b.queuedTreatment !== undefined) - Number(a.queuedTreatment !== undefined) ||
      b.score.expectedNetValueMinor - a.score.expectedNetValueMinor ||
      compareText(a.offer.offerId, b.offer.offerId),
  );
  const limit = Math.max(0, Math.floor(input.limit));
  ranked.slice(limit).forEach((decision, index) => {
    notMade.push({
      offerId: decision.offer.offerId,
      reason: `ranked ${limit + index + 1}, below the limit of ${limit}`,
    });
  });
  return { decisions: ranked.slice(0, limit), notMade };
}

function scoreOf(offer: Offer, input: NextBestOffersInput): OfferScore {
  const segmentCell = input.scores.segmentCell;
  const posterior = responsePosterior(offer, responseTallyOf(input.counts, offer.offerId, segmentCell));
  const responseProbability = input.explore
    ? sampleBeta(posterior.alpha, posterior.beta, input.random)
    : posteriorMean(posterior);
  return {
    responseProbability,
    posteriorAlpha: posterior.alpha,
    posteriorBeta: posterior.beta,
    presentationsSeen: posterior.presentationsSeen,
    positiveResponsesSeen: posterior.positiveResponsesSeen,
    valueMinor: offer.valueMinor,
    costMinor: offer.costMinor,
    expectedNetValueMinor: expectedNetValue(responseProbability, offer),
    sampled: input.explore,
    segmentCell,
  };
}

/**
 * Treatments a customer change queued that no offer of their strategy has answered yet (no
 * presentation of that strategy since), the latest per strategy.
 */
export function openTreatments(facts: readonly ContactFact[], now: number): Map<Strategy, TreatmentFact> {
  const known = facts.filter((fact) => Date.parse(fact.time) <= now);
  const presentations = factsOfKind(known, "presentation");
  const open = new Map<Strategy, TreatmentFact>();
  for (const treatment of factsOfKind(known, "treatment")) {
    const queuedAt = Date.parse(treatment.time);
    const isAnswered = presentations.some(
      (presentation) =>
        presentation.strategy === treatment.strategy && Date.parse(presentation.time) > queuedAt,
    );
    if (isAnswered) continue;
    const latest = open.get(treatment.strategy);
    const byTime = latest ? queuedAt - Date.parse(latest.time) : 1;
    if (byTime > 0 || (byTime === 0 && latest && treatment.eventId > latest.eventId)) {
      open.set(treatment.strategy, treatment);
    }
  }
  return open;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
