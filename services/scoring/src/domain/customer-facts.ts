/**
 * What scoring keeps of each event about a customer: the fields its projections read, nothing
 * else. A customer's history is a set of these facts keyed by event id, so every projection is a
 * function of the set: the order events arrive in, a redelivery or a merge cannot change it.
 */
export type CustomerFact =
  | OrderFact
  | OrderCancellationFact
  | OrderRefundFact
  | CallFact
  | PageViewFact
  | SurveyFact
  | ConsentFact
  | RegistrationFact
  | ProfileFact
  | OfferResponseFact
  | OfferPresentationFact;

export type CustomerFactKind = CustomerFact["kind"];

/** Every fact: the event it came from, when it happened (ISO-8601 UTC), the upstream system. */
export type FactOrigin = { eventId: string; time: string; source: string };

export type OrderLine = { productId: string; category?: string; quantity: number; amountMinor: number };

export type OrderFact = FactOrigin & {
  kind: "order";
  orderId: string;
  totalMinor: number;
  currency: string;
  /** Contribution margin of the order when the shop sent it. */
  marginMinor?: number;
  salesChannel?: string;
  lines: OrderLine[];
};

export type OrderCancellationFact = FactOrigin & { kind: "order_cancelled"; orderId: string };

export type OrderRefundFact = FactOrigin & {
  kind: "order_refunded";
  orderId: string;
  amountMinor: number;
  currency: string;
};

export type CallDirection = "inbound" | "outbound";

export type CallFact = FactOrigin & {
  kind: "call";
  callId: string;
  direction: CallDirection;
  purpose: string;
  outcome?: string;
  durationSeconds?: number;
  complaintReference?: string;
  complaintStatus?: "open" | "resolved" | "closed_unresolved";
  campaignId?: string;
};

export type PageViewFact = FactOrigin & {
  kind: "page_view";
  /** The path of the page, without its query. */
  page: string;
  referrerHost?: string;
  searchKeywords?: string[];
  browserFamily?: string;
  osFamily?: string;
  deviceFamily?: string;
  statusCode?: number;
  /** The visitor's cookie or device, so sessions of an anonymous visitor stay apart from others. */
  visitor?: string;
};

export type SurveyFact = FactOrigin & { kind: "survey"; surveyId: string; nps?: number; csat?: number };

export type ContactChannel = "email" | "sms" | "phone" | "post" | "push" | "web";

export type ConsentFact = FactOrigin & {
  kind: "consent";
  channel: ContactChannel;
  status: "granted" | "revoked";
  via?: string;
};

export type RegistrationFact = FactOrigin & { kind: "registration"; channel?: string };

export type ProfileFact = FactOrigin & { kind: "profile"; preferences: Record<string, string> };

export type OfferResponse = "accepted" | "declined" | "no_answer" | "converted";

export type OfferResponseFact = FactOrigin & {
  kind: "offer_response";
  offerId: string;
  campaignId?: string;
  response: OfferResponse;
  channel?: ContactChannel;
  revenueMinor?: number;
};

/** An offer the offer service put before the customer (crm.offers); its event id is the presentation id. */
export type OfferPresentationFact = FactOrigin & {
  kind: "offer_presented";
  offerId: string;
  channel?: ContactChannel;
  campaignId?: string;
};

/** One day in milliseconds: how recency, windows and periods are measured. */
export const dayMs = 86_400_000;

/** Instant of a fact in epoch milliseconds. */
export function factInstant(fact: FactOrigin): number {
  return Date.parse(fact.time);
}

/**
 * The total order of facts every projection uses: by instant, then by event id, so two facts at
 * the same instant are always taken in the same order.
 */
export function compareFacts(a: FactOrigin, b: FactOrigin): number {
  const byInstant = factInstant(a) - factInstant(b);
  if (byInstant !== 0) return byInstant;
  return compareText(a.eventId, b.eventId);
}

/**
 * Where a fact sits in that order: its instant (epoch ms) and event id. Incremental projections keep
 * moments instead of facts, so "first" and "latest" are decided the same way as over a history.
 */
export type Moment = { at: number; eventId: string };

export function momentOf(fact: FactOrigin): Moment {
  return { at: factInstant(fact), eventId: fact.eventId };
}

/** The order of compareFacts, on moments. */
export function compareMoments(a: Moment, b: Moment): number {
  return a.at - b.at || compareText(a.eventId, b.eventId);
}

/** The earlier of two moments (the first when they are the same). */
export function earlierOf<M extends Moment>(a: M, b: M): M {
  return compareMoments(b, a) < 0 ? b : a;
}

/** The later of two moments (the first when they are the same). */
export function laterOf<M extends Moment>(a: M, b: M): M {
  return compareMoments(b, a) > 0 ? b : a;
}

/** Code-unit order, the same on every machine (localeCompare is not). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
