import type { CustomerEvent } from "@rapport/events";
import type { CallFact, ContactFact, ContactPoints, ResponseKind } from "./contact-facts.js";
import type { Channel } from "./offer-catalog.js";

type Money = { amountMinor?: number; currency: string };

/**
 * The contact fact the offer service keeps of an event from crm.events.resolved, or undefined for
 * the kinds it does not need (page views, surveys, cancellations). Ingestion validated and
 * normalised the data (enum short names, E.164 phones, lower-case emails).
 */
export function contactFactOf(event: CustomerEvent): ContactFact | undefined {
  const origin = { eventId: event.id, time: new Date(Date.parse(event.time)).toISOString() };
  const data = event.data;
  const contactPoints = contactPointsNamed(data.customer.identifiers);
  switch (event.type) {
    case "crm.v1.OrderPlaced":
      return { ...origin, kind: "order", amountMinor: (data.total as Money).amountMinor ?? 0, contactPoints };
    case "crm.v1.CallLogged":
      return {
        ...origin,
        kind: "call",
        direction: data.direction as CallFact["direction"],
        purpose: String(data.purpose),
        ...text("outcome", data.outcome),
        ...text("complaintReference", data.complaintReference),
        ...(data.complaintStatus
          ? { complaintStatus: data.complaintStatus as CallFact["complaintStatus"] }
          : {}),
        ...text("campaignId", data.campaignId),
        contactPoints,
      };
    case "crm.v1.ConsentChanged":
      return {
        ...origin,
        kind: "consent",
        channel: data.channel as Channel,
        granted: data.status === "granted",
      };
    case "crm.v1.CustomerRegistered":
    case "crm.v1.ProfileUpdated":
      return { ...origin, kind: "profile", contactPoints };
    case "crm.v1.OfferResponded": {
      const revenue = data.revenue as Money | undefined;
      return {
        ...origin,
        kind: "response",
        offerId: String(data.offerId),
        ...text("presentationId", data.presentationId),
        ...text("campaignId", data.campaignId),
        ...(data.channel ? { channel: data.channel as Channel } : {}),
        response: data.response as ResponseKind,
        revenueMinor: revenue?.amountMinor ?? 0,
      };
    }
    default:
      return undefined;
  }
}

function contactPointsNamed(identifiers: readonly { type: string; value: string }[]): ContactPoints {
  return {
    emails: identifiers
      .filter((identifier) => identifier.type === "email")
      .map((identifier) => identifier.value),
    phones: identifiers
      .filter((identifier) => identifier.type === "phone")
      .map((identifier) => identifier.value),
  };
}

function text<K extends string>(key: K, value: unknown): Partial<Record<K, string>> {
  return typeof value === "string" && value !== "" ? ({ [key]: value } as Record<K, string>) : {};
}
