import type { Db } from "mongodb";
import { type CatalogEvent, evolveOffer } from "../domain/catalog.js";
import type { Offer } from "../domain/offer-catalog.js";

/**
 * The catalog's projection: each offer as of the latest catalog event applied, with the event's
 * position on crm.offers (an offer's events share one partition, so positions only grow). The
 * consumer is the only writer; the API publishes and waits for it to apply.
 */
type OfferDocument = { _id: string; offer: Offer; eventId: string; offset: string };

export function createCatalogStore(db: Db) {
  const offers = db.collection<OfferDocument>("offers");
  return {
    /** Applies a catalog event read at `offset` unless an event at or after it was applied already. */
    async apply(offerId: string, event: CatalogEvent & { id: string }, offset: string): Promise<void> {
      const stored = await offers.findOne({ _id: offerId });
      if (stored && BigInt(stored.offset) >= BigInt(offset)) return;
      const offer = evolveOffer(stored?.offer, event);
      if (offer === undefined) return;
      await offers.replaceOne({ _id: offerId }, { offer, eventId: event.id, offset }, { upsert: true });
    },

    async get(offerId: string): Promise<{ offer: Offer; eventId: string } | undefined> {
      const stored = await offers.findOne({ _id: offerId });
      return stored ? { offer: stored.offer, eventId: stored.eventId } : undefined;
    },

    async all(): Promise<Offer[]> {
      const stored = await offers.find({}).toArray();
      return stored.map((document) => document.offer).sort((a, b) => (a.offerId < b.offerId ? -1 : 1));
    },
  };
}

export type CatalogStore = ReturnType<typeof createCatalogStore>;
