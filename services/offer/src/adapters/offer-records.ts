import { type CrmTopics, recordJson } from "@rapport/events";
import type { OutgoingRecord } from "@rapport/kafka";
import type { Campaign } from "../domain/campaign.js";
import type { CampaignGroup, CampaignTarget } from "../domain/campaign-targets.js";
import type { CatalogEvent, OfferDefinition } from "../domain/catalog.js";
import type { ContactFact, ResponseKind } from "../domain/contact-facts.js";
import type { Channel, Strategy } from "../domain/offer-catalog.js";

/** The CloudEvents source of everything the offer service emits. */
export const offerSource = "rapport/offer";

export type QueuedTreatment = {
  treatmentId: string;
  customerId: string;
  strategy: Strategy;
  reason: string;
  queuedAt: string;
};

/** The events of crm.offers (data as JSON, enum values by their short names). */
export type OfferEvent = { id: string; time: string } & (
  | { type: "crm.v1.OfferUpserted"; offer: OfferDefinition }
  | { type: "crm.v1.OfferRetired"; offerId: string; reason: string }
  | {
      type: "crm.v1.OfferPresented";
      customerId: string;
      offerId: string;
      channel: Channel;
      campaignId?: string;
      strategy: Strategy;
      segmentCell: string;
    }
  | {
      type: "crm.v1.ResponseRecorded";
      customerId: string;
      offerId: string;
      campaignId?: string;
      presentationId?: string;
      response: ResponseKind;
      channel?: Channel;
      revenue?: { amountMinor: number; currency: string };
    }
  | { type: "crm.v1.CampaignCreated"; campaign: Campaign; targetParts: number }
  | {
      type: "crm.v1.CampaignTargetsFrozen";
      campaignId: string;
      part: number;
      group: CampaignGroup;
      targets: CampaignTarget[];
    }
  | { type: "crm.v1.TreatmentQueued"; treatment: QueuedTreatment; causeEventId: string }
);

/** The key an event goes under: a customer's events stay in order, as do an offer's and a campaign's. */
function keyOf(event: OfferEvent): string {
  switch (event.type) {
    case "crm.v1.OfferUpserted":
      return event.offer.offerId;
    case "crm.v1.OfferRetired":
      return event.offerId;
    case "crm.v1.CampaignCreated":
      return event.campaign.campaignId;
    case "crm.v1.CampaignTargetsFrozen":
      return event.campaignId;
    case "crm.v1.TreatmentQueued":
      return event.treatment.customerId;
    default:
      return event.customerId;
  }
}

export function offerEventRecord(
  topics: CrmTopics,
  event: OfferEvent,
  headers: Record<string, string>,
): OutgoingRecord {
  const { id, time, type, ...data } = event;
  const key = keyOf(event);
  return {
    topic: topics.offers,
    key,
    value: JSON.stringify({
      specversion: "1.0",
      id,
      source: offerSource,
      type,
      time,
      subject: key,
      datacontenttype: "application/json",
      data,
    }),
    headers,
  };
}

const shapes: Record<OfferEvent["type"], readonly string[]> = {
  "crm.v1.OfferUpserted": ["offer"],
  "crm.v1.OfferRetired": ["offerId"],
  "crm.v1.OfferPresented": ["customerId", "offerId", "channel", "strategy"],
  "crm.v1.ResponseRecorded": ["customerId", "offerId", "response"],
  "crm.v1.CampaignCreated": ["campaign", "targetParts"],
  "crm.v1.CampaignTargetsFrozen": ["campaignId", "part", "group", "targets"],
  "crm.v1.TreatmentQueued": ["treatment", "causeEventId"],
};

/** The event a crm.offers record holds, or why it is not one. */
export function offerEventOf(value: Buffer | null): OfferEvent | string {
  const parsed = recordJson(value);
  if (!parsed.ok) return parsed.problem;
  const { id, time, type, data } = parsed.value as {
    id?: unknown;
    time?: unknown;
    type?: unknown;
    data?: unknown;
  };
  if (typeof id !== "string" || typeof time !== "string" || Number.isNaN(Date.parse(time)))
    return "the record is not a CloudEvent with an id and a time";
  if (typeof type !== "string" || !Object.hasOwn(shapes, type))
    return `crm.offers has no events of type ${JSON.stringify(type)}`;
  if (typeof data !== "object" || data === null) return `the ${type} has no data`;
  const missing = shapes[type as OfferEvent["type"]].filter(
    (field) => (data as Record<string, unknown>)[field] == null,
  );
  if (missing.length > 0) return `the ${type} lacks ${missing.join(", ")}`;
  return { id, time: new Date(Date.parse(time)).toISOString(), type, ...data } as OfferEvent;
}

/** A catalog event as the catalog's fold reads it. */
export function catalogEventOf(event: OfferEvent): CatalogEvent | undefined {
  if (event.type === "crm.v1.OfferUpserted")
    return { type: event.type, time: event.time, offer: event.offer };
  if (event.type === "crm.v1.OfferRetired")
    return { type: event.type, time: event.time, offerId: event.offerId, reason: event.reason };
  return undefined;
}

/** The customer and contact fact an offer event is, if it is one. */
export function contactFactOfOfferEvent(
  event: OfferEvent,
): { customerId: string; fact: ContactFact } | undefined {
  const origin = { eventId: event.id, time: event.time };
  switch (event.type) {
    case "crm.v1.OfferPresented":
      return {
        customerId: event.customerId,
        fact: {
          ...origin,
          kind: "presentation",
          offerId: event.offerId,
          strategy: event.strategy,
          channel: event.channel,
          ...(event.campaignId ? { campaignId: event.campaignId } : {}),
          segmentCell: event.segmentCell ?? "",
        },
      };
    case "crm.v1.ResponseRecorded":
      return {
        customerId: event.customerId,
        fact: {
          ...origin,
          kind: "response",
          offerId: event.offerId,
          ...(event.presentationId ? { presentationId: event.presentationId } : {}),
          ...(event.campaignId ? { campaignId: event.campaignId } : {}),
          ...(event.channel ? { channel: event.channel } : {}),
          response: event.response,
          revenueMinor: event.revenue?.amountMinor ?? 0,
        },
      };
    case "crm.v1.TreatmentQueued":
      return {
        customerId: event.treatment.customerId,
        fact: {
          ...origin,
          kind: "treatment",
          strategy: event.treatment.strategy,
          reason: event.treatment.reason,
        },
      };
    default:
      return undefined;
  }
}
