import { dayMs, type OfferResponse } from "../customer-facts.js";
import { type CustomerHistory, factsOfKind } from "../customer-history.js";

/**
 * The "repository" of the 4R communication rule: every time the company reached out (outbound
 * calls, offers presented) and every answer to an offer, so the next contact knows the last ones.
 */
export type ContactHistory = {
  outboundCalls: number;
  /** Outbound calls that reached the customer (completed or a callback asked for). */
  outboundCallsReached: number;
  offersPresented: number;
  offerResponses: Record<OfferResponse, number>;
  /** Revenue of converted offers, minor units. */
  offerRevenueMinor: number;
  lastContactAt?: string;
  contactsLast30Days: number;
};

export function summariseContacts(history: CustomerHistory, asOf: number): ContactHistory {
  const outbound = factsOfKind(history, "call").filter((call) => call.direction === "outbound");
  const responses = factsOfKind(history, "offer_response");
  const presented = factsOfKind(history, "offer_presented");
  const offerResponses: Record<OfferResponse, number> = {
    accepted: 0,
    declined: 0,
    no_answer: 0,
    converted: 0,
  };
  for (const response of responses) offerResponses[response.response] += 1;
  const contactTimes = [...outbound, ...presented, ...responses].map((fact) => fact.time).sort();
  const last = contactTimes.at(-1);
  return {
    outboundCalls: outbound.length,
    outboundCallsReached: outbound.filter((call) => isReached(call.outcome)).length,
    offersPresented: presented.length,
    offerResponses,
    offerRevenueMinor: responses.reduce((total, response) => total + (response.revenueMinor ?? 0), 0),
    ...(last ? { lastContactAt: last } : {}),
    contactsLast30Days: contactTimes.filter((time) => asOf - Date.parse(time) <= 30 * dayMs).length,
  };
}

export function isReached(outcome: string | undefined): boolean {
  return outcome === "completed" || outcome === "callback_requested" || outcome === "escalated";
}
