import { type CrmTopics, customersMergedOf, recordJson, resolvedEventOf } from "@rapport/events";
import type { BatchHandler, PoisonMessage } from "@rapport/kafka";
import { CustomerSummary } from "@rapport/proto";
import type { Campaign } from "../domain/campaign.js";
import type { ContactFact } from "../domain/contact-facts.js";
import type { ContactChange } from "../domain/contact-history.js";
import type { CustomerScores } from "../domain/customer-scores.js";
import { contactFactOf } from "../domain/fact-of-event.js";
import { type CustomerChange, mayQueueTreatment } from "../domain/treatments.js";
import type { CampaignStore, FrozenTargetPart } from "./campaign-store.js";
import type { CatalogStore, LoggedCatalogEvent } from "./catalog-store.js";
import type { ContactHistories } from "./contact-histories.js";
import { catalogEventOf, contactFactOfOfferEvent, offerEventOf } from "./offer-records.js";
import { scoresOf } from "./scoring-client.js";
import { type ObservedChange, queueTreatments } from "./treatment-queue.js";

export type OfferHandlerDependencies = {
  contacts: ContactHistories;
  catalog: CatalogStore;
  campaigns: CampaignStore;
  topics: CrmTopics;
  /** The customer's current scores: a change queues a treatment only for the customers it suits. */
  scoresOf: (customerId: string) => Promise<CustomerScores | undefined>;
  /** Score lookups in flight at once while a part's changes are decided. */
  scoreLookupsInFlight: number;
  /**
   * React to customer changes by queueing treatments. A replay does not: the treatments were
   * queued on crm.offers when the changes happened, and the replay folds them from there.
   */
  reacting: boolean;
};

/** What a consumed part asks of the stores, gathered before any of it is read or written. */
type PartWork = {
  merges: ContactChange[];
  catalogEvents: LoggedCatalogEvent[];
  targetParts: FrozenTargetPart[];
  campaigns: Campaign[];
  customerChanges: ObservedChange[];
  poison: PoisonMessage[];
};

/**
 * Folds a part of a batch from crm.events.resolved, crm.offers, crm.customer.changes or crm.identity
 * as one unit of work: every record decoded, then customers' contact facts and merges recorded in
 * one go (contact-histories.ts: read by `_id`, decided in memory, appended in a few inserts), catalog
 * events applied in log order in one read and one bulk write, campaigns stored in a few inserts, and
 * the changes that call for a treatment decided on scores looked up side by side, their
 * TreatmentQueued records in the part's order. A record that is none of these is poison. Every write
 * is idempotent, so a part handled again after a crash writes nothing twice and queues the same
 * treatments.
 */
export function createOfferHandler(deps: OfferHandlerDependencies): BatchHandler {
  const { topics } = deps;
  return async (messages) => {
    const work: PartWork = {
      merges: [],
      catalogEvents: [],
      targetParts: [],
      campaigns: [],
      customerChanges: [],
      poison: [],
    };
    const factsByCustomer = new Map<string, ContactFact[]>();
    const addFact = (customerId: string, fact: ContactFact) => {
      const facts = factsByCustomer.get(customerId);
      if (facts === undefined) factsByCustomer.set(customerId, [fact]);
      else facts.push(fact);
    };

    for (const message of messages) {
      if (message.topic === topics.resolvedEvents) {
        const resolved = resolvedEventOf(message.value);
        if (typeof resolved === "string") {
          work.poison.push({ message, reason: "invalid_event", detail: resolved });
          continue;
        }
        try {
          const fact = contactFactOf(resolved.event);
          if (fact) addFact(resolved.customerId, fact);
        } catch (error) {
          work.poison.push({
            message,
            reason: "invalid_event",
            detail: `the ${resolved.event.type} data cannot be read: ${(error as Error).message}`,
          });
        }
      } else if (message.topic === topics.offers) {
        const event = offerEventOf(message.value);
        if (typeof event === "string") {
          work.poison.push({ message, reason: "invalid_offer_event", detail: event });
          continue;
        }
        const catalogEvent = catalogEventOf(event);
        const contact = contactFactOfOfferEvent(event);
        if (catalogEvent) {
          const offerId =
            catalogEvent.type === "crm.v1.OfferUpserted" ? catalogEvent.offer.offerId : catalogEvent.offerId;
          work.catalogEvents.push({
            offerId,
            event: { ...catalogEvent, id: event.id },
            offset: message.offset,
          });
        } else if (contact) addFact(contact.customerId, contact.fact);
        else if (event.type === "crm.v1.CampaignCreated") work.campaigns.push(event.campaign);
        else if (event.type === "crm.v1.CampaignTargetsFrozen")
          work.targetParts.push({
            campaignId: event.campaignId,
            part: event.part,
            group: event.group,
            targets: event.targets,
          });
      } else if (message.topic === topics.customerChanges) {
        const observed = customerChangeOf(message.value);
        if (typeof observed === "string") {
          work.poison.push({ message, reason: "invalid_customer_change", detail: observed });
          continue;
        }
        if (deps.reacting && mayQueueTreatment(observed.change))
          work.customerChanges.push({ ...observed, traceContext: message.traceContext });
      } else {
        const merge = customersMergedOf(message.value);
        if (typeof merge === "string")
          work.poison.push({ message, reason: "invalid_identity_event", detail: merge });
        else if (merge) work.merges.push({ kind: "merge", survivor: merge.survivor, merged: merge.merged });
      }
    }

    // Facts first, merges after: either order leaves the histories the same (facts for a merged
    // customer go to its survivor), and a part holds only one of them (one topic).
    await deps.contacts.record([
      ...[...factsByCustomer].map(
        ([customerId, facts]): ContactChange => ({ kind: "facts", customerId, facts }),
      ),
      ...work.merges,
    ]);
    await deps.catalog.applyAll(work.catalogEvents);
    await deps.campaigns.save({ parts: work.targetParts, campaigns: work.campaigns });
    const records = await queueTreatments(work.customerChanges, {
      topics,
      scoresOf: deps.scoresOf,
      lookupsInFlight: deps.scoreLookupsInFlight,
    });
    return { records, poison: work.poison };
  };
}

/** The change a crm.customer.changes record announces, or why it is not one. */
function customerChangeOf(
  value: Buffer | null,
): { change: CustomerChange; scores?: CustomerScores } | string {
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
  const change = {
    eventId: event.id,
    customerId: String(data.customerId),
    attribute: String(data.attribute),
    previousValue: String(data.previousValue),
    value: String(data.value),
    asOf: String(data.asOf),
  };
  if (typeof data.summary !== "object" || data.summary === null) return { change };
  return { change, scores: scoresOf(CustomerSummary.fromJSON(data.summary)) };
}
