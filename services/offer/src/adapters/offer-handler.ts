import { context } from "@opentelemetry/api";
import {
  type CrmTopics,
  type CustomersMerged,
  customersMergedOf,
  recordJson,
  resolvedEventOf,
} from "@rapport/events";
import { type BatchHandler, type OutgoingRecord, type PoisonMessage, traceHeaders } from "@rapport/kafka";
import type { ContactFact } from "../domain/contact-facts.js";
import type { CustomerScores } from "../domain/customer-scores.js";
import { contactFactOf } from "../domain/fact-of-event.js";
import { type CustomerChange, mayQueueTreatment, treatmentFor } from "../domain/treatments.js";
import type { CampaignStore } from "./campaign-store.js";
import type { CatalogStore } from "./catalog-store.js";
import type { ContactStore } from "./contact-store.js";
import { catalogEventOf, contactFactOfOfferEvent, offerEventOf, offerEventRecord } from "./offer-records.js";

export type OfferHandlerDependencies = {
  contacts: ContactStore;
  catalog: CatalogStore;
  campaigns: CampaignStore;
  topics: CrmTopics;
  /** The customer's current scores: a change queues a treatment only for the customers it suits. */
  scoresOf: (customerId: string) => Promise<CustomerScores | undefined>;
  /**
   * React to customer changes by queueing treatments. A replay does not: the treatments were
   * queued on crm.offers when the changes happened, and the replay folds them from there.
   */
  reacting: boolean;
};

/**
 * Folds a part of a batch from crm.events.resolved, crm.offers, crm.customer.changes and
 * crm.identity: customers' contact facts (set-like, keyed by event), the catalog (in log order),
 * campaigns, and merges. Changes that call for a treatment produce a TreatmentQueued on crm.offers.
 * A record that is none of these is poison.
 */
export function createOfferHandler(deps: OfferHandlerDependencies): BatchHandler {
  const { topics } = deps;
  return async (messages) => {
    const poison: PoisonMessage[] = [];
    const records: OutgoingRecord[] = [];
    const factsByCustomer = new Map<string, ContactFact[]>();
    const merges: CustomersMerged[] = [];
    const addFact = (customerId: string, fact: ContactFact) =>
      factsByCustomer.set(customerId, [...(factsByCustomer.get(customerId) ?? []), fact]);

    for (const message of messages) {
      if (message.topic === topics.resolvedEvents) {
        const resolved = resolvedEventOf(message.value);
        if (typeof resolved === "string") {
          poison.push({ message, reason: "invalid_event", detail: resolved });
          continue;
        }
        try {
          const fact = contactFactOf(resolved.event);
          if (fact) addFact(resolved.customerId, fact);
        } catch (error) {
          poison.push({
            message,
            reason: "invalid_event",
            detail: `the ${resolved.event.type} data cannot be read: ${(error as Error).message}`,
          });
        }
      } else if (message.topic === topics.offers) {
        const event = offerEventOf(message.value);
        if (typeof event === "string") {
          poison.push({ message, reason: "invalid_offer_event", detail: event });
          continue;
        }
        const catalogEvent = catalogEventOf(event);
        const contact = contactFactOfOfferEvent(event);
        if (catalogEvent) {
          const offerId =
            catalogEvent.type === "crm.v1.OfferUpserted" ? catalogEvent.offer.offerId : catalogEvent.offerId;
          await deps.catalog.apply(offerId, { ...catalogEvent, id: event.id }, message.offset);
        } else if (contact) addFact(contact.customerId, contact.fact);
        else if (event.type === "crm.v1.CampaignCreated") await deps.campaigns.saveCampaign(event.campaign);
        else if (event.type === "crm.v1.CampaignTargetsFrozen")
          await deps.campaigns.savePart(event.campaignId, event.part, event.group, event.targets);
      } else if (message.topic === topics.customerChanges) {
        const change = customerChangeOf(message.value);
        if (typeof change === "string") {
          poison.push({ message, reason: "invalid_customer_change", detail: change });
          continue;
        }
        if (!deps.reacting || !mayQueueTreatment(change)) continue;
        // In the change's trace, so that scoring's answer to GetCustomer is part of it.
        const scores = await context.with(message.traceContext, () => deps.scoresOf(change.customerId));
        const treatment = scores && treatmentFor(change, scores);
        if (!treatment) continue;
        const treatmentId = `treatment:${change.eventId}`;
        records.push(
          offerEventRecord(
            topics,
            {
              type: "crm.v1.TreatmentQueued",
              id: treatmentId,
              time: change.asOf,
              treatment: { treatmentId, customerId: change.customerId, queuedAt: change.asOf, ...treatment },
              causeEventId: change.eventId,
            },
            traceHeaders(message.traceContext),
          ),
        );
      } else {
        const merge = customersMergedOf(message.value);
        if (typeof merge === "string")
          poison.push({ message, reason: "invalid_identity_event", detail: merge });
        else if (merge) merges.push(merge);
      }
    }

    for (const [customerId, facts] of factsByCustomer) await deps.contacts.add(customerId, facts);
    for (const merge of merges) await deps.contacts.merge(merge.survivor, merge.merged);
    return { records, poison };
  };
}

/** The change a crm.customer.changes record announces, or why it is not one. */
function customerChangeOf(value: Buffer | null): CustomerChange | string {
  const parsed = recordJson(value);
  if (!parsed.ok) return parsed.problem;
  const event = parsed.value as { id?: unknown; type?: unknown; data?: Record<string, unknown> };
  const data = event?.data ?? {};
  const fields = ["customerId", "attribute", "previousValue", "value", "asOf"] as const;
  if (
    event?.type !== "crm.v1.CustomerChanged" ||
    typeof event.id !== "string" ||
    fields.some((field) => typeof data[field] !== "string") ||
    Number.isNaN(Date.parse(String(data.asOf)))
  )
    return `a CustomerChanged needs an id and data.${fields.join(", data.")}`;
  return {
    eventId: event.id,
    customerId: String(data.customerId),
    attribute: String(data.attribute),
    previousValue: String(data.previousValue),
    value: String(data.value),
    asOf: String(data.asOf),
  };
}
