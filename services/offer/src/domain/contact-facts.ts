import type { Channel, Strategy } from "./offer-catalog.js";

/**
 * What the offer service keeps of a customer's contacts: the facts its contact policy, call lists
 * and reports read. Each fact is keyed by the event it came from, so a redelivered event adds
 * nothing; a customer's facts are a set and every rule reads them by their times, never by
 * arrival order.
 */
type FactOrigin = { eventId: string; time: string };

/** Phones (E.164) and emails the event named the customer by. */
export type ContactPoints = { emails: string[]; phones: string[] };

export type ConsentFact = FactOrigin & { kind: "consent"; channel: Channel; granted: boolean };

export type CallFact = FactOrigin & {
  kind: "call";
  direction: "inbound" | "outbound";
  purpose: string;
  /** completed, no_answer, busy, voicemail, ...; absent when the source did not say. */
  outcome?: string;
  complaintReference?: string;
  complaintStatus?: "open" | "resolved" | "closed_unresolved";
  campaignId?: string;
  contactPoints: ContactPoints;
};

export type OrderFact = FactOrigin & { kind: "order"; amountMinor: number; contactPoints: ContactPoints };

/** A registration or profile update: it only tells where the customer can be reached. */
export type ProfileFact = FactOrigin & { kind: "profile"; contactPoints: ContactPoints };

/** An offer put before the customer (crm.offers OfferPresented); eventId is the presentation id. */
export type PresentationFact = FactOrigin & {
  kind: "presentation";
  offerId: string;
  strategy: Strategy;
  channel: Channel;
  campaignId?: string;
  segmentCell: string;
};

export type ResponseKind = "accepted" | "declined" | "no_answer" | "converted";

export type ResponseFact = FactOrigin & {
  kind: "response";
  offerId: string;
  presentationId?: string;
  campaignId?: string;
  channel?: Channel;
  response: ResponseKind;
  revenueMinor: number;
};

/** A customer change queued a treatment (TreatmentQueued on crm.offers); eventId is its id. */
export type TreatmentFact = FactOrigin & { kind: "treatment"; strategy: Strategy; reason: string };

export type ContactFact =
  | ConsentFact
  | CallFact
  | OrderFact
  | ProfileFact
  | PresentationFact
  | ResponseFact
  | TreatmentFact;

export const dayMs = 86_400_000;

/** Accepted and converted responses are what the offer wanted. */
export function isPositiveResponse(response: ResponseKind): boolean {
  return response === "accepted" || response === "converted";
}

export function factsOfKind<K extends ContactFact["kind"]>(
  facts: readonly ContactFact[],
  kind: K,
): Extract<ContactFact, { kind: K }>[] {
  return facts.filter((fact): fact is Extract<ContactFact, { kind: K }> => fact.kind === kind);
}

/** The email and phone the customer was last seen with (by fact time) on calls, orders and profile changes. */
export function contactPointsOf(facts: readonly ContactFact[]): { email?: string; phone?: string } {
  let email: { value: string; fact: ContactFact } | undefined;
  let phone: { value: string; fact: ContactFact } | undefined;
  for (const fact of facts) {
    if (fact.kind !== "call" && fact.kind !== "order" && fact.kind !== "profile") continue;
    const [firstEmail] = fact.contactPoints.emails;
    const [firstPhone] = fact.contactPoints.phones;
    if (firstEmail !== undefined && (email === undefined || isLaterFact(fact, email.fact))) {
      email = { value: firstEmail, fact };
    }
    if (firstPhone !== undefined && (phone === undefined || isLaterFact(fact, phone.fact))) {
      phone = { value: firstPhone, fact };
    }
  }
  return {
    ...(email === undefined ? {} : { email: email.value }),
    ...(phone === undefined ? {} : { phone: phone.value }),
  };
}

/** Later by time; at the same instant the larger event id, so the answer never depends on order. */
function isLaterFact(fact: ContactFact, than: ContactFact): boolean {
  const byTime = Date.parse(fact.time) - Date.parse(than.time);
  return byTime > 0 || (byTime === 0 && fact.eventId > than.eventId);
}
