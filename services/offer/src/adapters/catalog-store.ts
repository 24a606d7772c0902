import { randomUUID } from "node:crypto";
import { chunksOf, idsPerCommand } from "@rapport/mongo";
import type { Db } from "mongodb";
import { type CatalogEvent, evolveOffer } from "../domain/catalog.js";
import type { Offer } from "../domain/offer-catalog.js";

/**
 * The catalog's projection: each offer as of the latest catalog event applied, with the event's
 * position on crm.offers (an offer's events share one partition, so positions only grow). The
 * consumer is the only writer; the API publishes and waits for it to apply.
 */
type OfferDocument = { _id: string; offer: Offer; eventId: string; offset: string };

/**
 * Names the catalog's latest change: a new random id after every write of offers. A reader that read
 * the id before reading the offers has the catalog at least as of that change, and sees another id as
 * soon as any later change is written (ids are never reused, so racing writers cannot restore one).
 */
type CatalogChangeDocument = { _id: "catalog"; changeId: string };

/** A catalog event read from crm.offers at `offset`. */
export type LoggedCatalogEvent = { offerId: string; event: CatalogEvent & { id: string }; offset: string };

type StoredOffer = { offer: Offer; eventId: string };

/**
 * The catalog, kept in memory by every instance: a call reads the change id by `_id` and reads the
 * offers again only when it changed. Small, and changed rarely.
 */
export function createCatalogStore(db: Db) {
  const offers = db.collection<OfferDocument>("offers");
  const changes = db.collection<CatalogChangeDocument>("catalog_changes");
  let known: { changeId: string | null; offers: ReadonlyMap<string, StoredOffer> } | undefined;

  async function current(): Promise<ReadonlyMap<string, StoredOffer>> {
    const changeId = (await changes.findOne({ _id: "catalog" }))?.changeId ?? null;
    if (known !== undefined && known.changeId === changeId) return known.offers;
    const stored = await offers.find({}).toArray();
    const read = new Map(
      stored.map((document) => [document._id, { offer: document.offer, eventId: document.eventId }]),
    );
    known = { changeId, offers: read };
    return read;
  }

  return {
    /**
     * Applies catalog events in log order (one consumed part's), each unless an event at or after its
     * position was applied already: the offers they name are read in one command and written in one
     * bulk command, then the catalog's change id is renewed.
     */
    async applyAll(events: readonly LoggedCatalogEvent[]): Promise<void> {
      if (events.length === 0) return;
      const named = [...new Set(events.map((logged) => logged.offerId))];
      const stored = new Map<string, OfferDocument>();
      for (const chunk of chunksOf(named, idsPerCommand))
        for (const document of await offers.find({ _id: { $in: chunk } }).toArray())
          stored.set(document._id, document);
      const changed = new Set<string>();
      for (const { offerId, event, offset } of events) {
        const before = stored.get(offerId);
        if (before && BigInt(before.offset) >= BigInt(offset)) continue;
        const offer = evolveOffer(before?.offer, event);
        if (offer === undefined) continue;
        stored.set(offerId, { _id: offerId, offer, eventId: event.id, offset });
        changed.add(offerId);
      }
      if (changed.size === 0) return;
      for (const chunk of chunksOf([...changed], idsPerCommand))
        await offers.bulkWrite(
          chunk.map((offerId) => {
            const { _id, ...document } = stored.get(offerId) as OfferDocument;
            return { replaceOne: { filter: { _id }, replacement: document, upsert: true } };
          }),
          { ordered: true },
        );
      await changes.replaceOne({ _id: "catalog" }, { changeId: randomUUID() }, { upsert: true });
    },

    async get(offerId: string): Promise<StoredOffer | undefined> {
      return (await current()).get(offerId);
    },

    /** Every offer, retired ones too, by id. */
    async all(): Promise<Offer[]> {
      return [...(await current()).values()]
        .map((stored) => stored.offer)
        .sort((a, b) => (a.offerId < b.offerId ? -1 : 1));
    },
  };
}

export type CatalogStore = ReturnType<typeof createCatalogStore>;
