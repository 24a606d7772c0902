import { type CustomerFact, earlierOf, type Moment, momentOf } from "./customer-facts.js";
import {
  type ConsentStanding,
  combineConsentStandings,
  recordConsent,
} from "./projections/consent-standing.js";
import {
  type ContactTally,
  combineContactTallies,
  emptyContactTally,
  recordContact,
} from "./projections/contact-tally.js";
import { combineOrderLedgers, type OrderLedger, recordOrderFact } from "./projections/order-ledger.js";
import {
  combineServiceTallies,
  emptyServiceTally,
  recordCall,
  type ServiceTally,
} from "./projections/service-tally.js";
import {
  combineSurveyTallies,
  emptySurveyTally,
  recordSurvey,
  type SurveyTally,
} from "./projections/survey-tally.js";
import {
  combineWebVisits,
  emptyWebVisits,
  recordPageView,
  type WebVisits,
} from "./projections/web-visits.js";

/**
 * What scoring keeps of a customer's facts instead of the facts: per projection, the accumulators
 * the customer 360 is computed from at any scoring time at or after the latest fact, without reading
 * the history again (customer-profile.ts, `profileFrom`). Evolving it by a fact costs about the same
 * whatever the history (order and contact facts grow their own entries; page views grow sessions).
 *
 * It is a monoid on sets of distinct facts: folding the same facts in any order gives the same state
 * (every entry is kept sorted by its key and every "first" or "latest" is chosen by the order of
 * compareFacts), and `combineProfileStates(fold(x), fold(y))` is `fold(x ++ y)` for histories with
 * no event in common (a merge). It does not recognise a fact it has already taken in: which records
 * a customer has taken in is kept beside it (scored-customer.ts, by log position).
 */
export type ProfileState = {
  /** The first fact (firstSeenAt), and the instant of the latest: the state answers from then on. */
  first?: Moment & { time: string };
  latestAt?: number;
  isRegistered: boolean;
  orders: OrderLedger;
  service: ServiceTally;
  web: WebVisits;
  surveys: SurveyTally;
  consents: ConsentStanding[];
  contacts: ContactTally;
};

export function emptyProfileState(): ProfileState {
  return {
    isRegistered: false,
    orders: [],
    service: emptyServiceTally(),
    web: emptyWebVisits(),
    surveys: emptySurveyTally(),
    consents: [],
    contacts: emptyContactTally(),
  };
}

/** The state with one more fact (one it has not taken in before). */
export function evolveProfileState(state: ProfileState, fact: CustomerFact): ProfileState {
  const moment = { ...momentOf(fact), time: fact.time };
  const next: ProfileState = {
    ...state,
    first: state.first ? earlierOf(state.first, moment) : moment,
    latestAt: state.latestAt === undefined ? moment.at : Math.max(state.latestAt, moment.at),
  };
  switch (fact.kind) {
    case "order":
    case "order_cancelled":
    case "order_refunded":
      return { ...next, orders: recordOrderFact(state.orders, fact) };
    case "call":
      return {
        ...next,
        service: recordCall(state.service, fact),
        contacts:
          fact.direction === "outbound" ? recordContact(state.contacts, fact.time, {}) : state.contacts,
      };
    case "page_view":
      return { ...next, web: recordPageView(state.web, fact) };
    case "survey":
      return { ...next, surveys: recordSurvey(state.surveys, fact) };
    case "consent":
      return { ...next, consents: recordConsent(state.consents, fact) };
    case "registration":
      return { ...next, isRegistered: true };
    case "offer_presented":
      return { ...next, contacts: recordContact(state.contacts, fact.time, { offersPresented: 1 }) };
    case "offer_response":
      return {
        ...next,
        contacts: recordContact(state.contacts, fact.time, {
          response: fact.response,
          offerRevenueMinor: fact.revenueMinor ?? 0,
        }),
      };
    // Profile updates show on the timeline; no projection reads their preferences.
    case "profile":
      return next;
    default: {
      const unhandled: never = fact;
      return unhandled;
    }
  }
}

export function foldProfileState(facts: Iterable<CustomerFact>, from = emptyProfileState()): ProfileState {
  let state = from;
  for (const fact of facts) state = evolveProfileState(state, fact);
  return state;
}

/** The state of both customers' facts (a merge): what folding both histories gives. */
export function combineProfileStates(a: ProfileState, b: ProfileState): ProfileState {
  if (b.first === undefined) return a;
  if (a.first === undefined) return b;
  return {
    first: earlierOf(a.first, b.first),
    latestAt: Math.max(a.latestAt as number, b.latestAt as number),
    isRegistered: a.isRegistered || b.isRegistered,
    orders: combineOrderLedgers(a.orders, b.orders),
    service: combineServiceTallies(a.service, b.service),
    web: combineWebVisits(a.web, b.web),
    surveys: combineSurveyTallies(a.surveys, b.surveys),
    consents: combineConsentStandings(a.consents, b.consents),
    contacts: combineContactTallies(a.contacts, b.contacts),
  };
}
