import { dayMs, type OfferResponse } from "../customer-facts.js";
import type { ContactHistory } from "./contact-history.js";
import { firstAtLeast, mergeNumbers, withNumber } from "./keyed-entries.js";

/**
 * Offers presented and answered, and the instants of every contact (outbound calls, offers presented,
 * offer responses), incrementally (the history form is contact-history.ts). The instants are kept
 * because "contacts in the last 30 days" moves with the scoring time; they grow with contacts only.
 */
export type ContactTally = {
  offersPresented: number;
  offerResponses: Record<OfferResponse, number>;
  offerRevenueMinor: number;
  /** The latest contact's time as written (the history form takes the greatest text). */
  lastContactAt?: string;
  /** Epoch ms, ascending. */
  contactInstants: number[];
};

export function emptyContactTally(): ContactTally {
  return {
    offersPresented: 0,
    offerResponses: { accepted: 0, declined: 0, no_answer: 0, converted: 0 },
    offerRevenueMinor: 0,
    contactInstants: [],
  };
}

/** A contact of any kind at `time`; `change` adds what the kind counts. */
export function recordContact(
  tally: ContactTally,
  time: string,
  change: Partial<Pick<ContactTally, "offersPresented" | "offerRevenueMinor">> & { response?: OfferResponse },
): ContactTally {
  const offerResponses = change.response
    ? { ...tally.offerResponses, [change.response]: tally.offerResponses[change.response] + 1 }
    : tally.offerResponses;
  return {
    offersPresented: tally.offersPresented + (change.offersPresented ?? 0),
    offerResponses,
    offerRevenueMinor: tally.offerRevenueMinor + (change.offerRevenueMinor ?? 0),
    lastContactAt:
      tally.lastContactAt === undefined || time > tally.lastContactAt ? time : tally.lastContactAt,
    contactInstants: withNumber(tally.contactInstants, Date.parse(time)),
  };
}

export function combineContactTallies(a: ContactTally, b: ContactTally): ContactTally {
  const last =
    a.lastContactAt === undefined || (b.lastContactAt !== undefined && b.lastContactAt > a.lastContactAt)
      ? b.lastContactAt
      : a.lastContactAt;
  return {
    offersPresented: a.offersPresented + b.offersPresented,
    offerResponses: {
      accepted: a.offerResponses.accepted + b.offerResponses.accepted,
      declined: a.offerResponses.declined + b.offerResponses.declined,
      no_answer: a.offerResponses.no_answer + b.offerResponses.no_answer,
      converted: a.offerResponses.converted + b.offerResponses.converted,
    },
    offerRevenueMinor: a.offerRevenueMinor + b.offerRevenueMinor,
    ...(last === undefined ? {} : { lastContactAt: last }),
    contactInstants: mergeNumbers(a.contactInstants, b.contactInstants),
  };
}

/**
 * The contact history as of `asOf` (epoch ms, at or after every contact), as summariseContacts gives
 * it; the outbound calls come from the service tally.
 */
export function summariseContactTally(
  tally: ContactTally,
  outbound: { outboundCalls: number; outboundCallsReached: number },
  asOf: number,
): ContactHistory {
  const windowStart = asOf - 30 * dayMs;
  return {
    outboundCalls: outbound.outboundCalls,
    outboundCallsReached: outbound.outboundCallsReached,
    offersPresented: tally.offersPresented,
    offerResponses: { ...tally.offerResponses },
    offerRevenueMinor: tally.offerRevenueMinor,
    ...(tally.lastContactAt ? { lastContactAt: tally.lastContactAt } : {}),
    contactsLast30Days: tally.contactInstants.length - firstAtLeast(tally.contactInstants, windowStart),
  };
}

/** Positive responses and all response signals, as the segment grid's response propensity reads them. */
export function responseSignalsOfTally(tally: ContactTally): { positive: number; all: number } {
  const { accepted, declined, no_answer, converted } = tally.offerResponses;
  return { positive: accepted + converted, all: accepted + declined + no_answer + converted };
}
