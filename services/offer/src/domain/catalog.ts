import { ruleProblem } from "./eligibility.js";
import {
  channels,
  monetaryOfferKinds,
  nonMonetaryOfferKinds,
  type Offer,
  type OfferKind,
  strategies,
} from "./offer-catalog.js";

/** What a caller defines of an offer; the catalog adds the revision, the times and retirement. */
export type OfferDefinition = Omit<Offer, "revision" | "updatedAt" | "retiredAt">;

/** The catalog's events on crm.offers, each with the time it was recorded. */
export type CatalogEvent =
  | { type: "crm.v1.OfferUpserted"; time: string; offer: OfferDefinition }
  | { type: "crm.v1.OfferRetired"; time: string; offerId: string; reason: string };

/** An offer after one of its catalog events: each event is the next revision. */
export function evolveOffer(current: Offer | undefined, event: CatalogEvent): Offer | undefined {
  const revision = (current?.revision ?? 0) + 1;
  if (event.type === "crm.v1.OfferUpserted")
    return {
      ...event.offer,
      revision,
      updatedAt: event.time,
      ...(current?.retiredAt ? { retiredAt: current.retiredAt } : {}),
    };
  if (current === undefined) return undefined;
  return { ...current, revision, updatedAt: event.time, retiredAt: current.retiredAt ?? event.time };
}

/** Everything wrong with an offer definition, as an API caller reads it; empty when it is valid. */
export function offerProblems(offer: OfferDefinition): string[] {
  const problems: string[] = [];
  if (!/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/.test(offer.offerId))
    problems.push(
      "offer_id must be 1-128 letters, digits, '.', '_', ':' or '-', starting with a letter or digit",
    );
  if (offer.name.trim() === "") problems.push("name the offer");
  if (!isOfferKind(offer.kind)) problems.push("kind must be set");
  if (!(strategies as readonly string[]).includes(offer.strategy)) problems.push("strategy must be set");
  if (offer.channels.length === 0) problems.push("name at least one channel");
  if (offer.channels.some((channel) => !(channels as readonly string[]).includes(channel)))
    problems.push("every channel must be set");
  if (!(offer.costMinor >= 0)) problems.push("cost_minor must not be negative");
  if (!(offer.valueMinor >= 0)) problems.push("value_minor must not be negative");
  for (const [name, instant] of [
    ["valid_from", offer.validFrom],
    ["valid_until", offer.validUntil],
  ] as const)
    if (instant !== undefined && Number.isNaN(Date.parse(instant)))
      problems.push(`${name} must be an RFC 3339 instant`);
  if (offer.validFrom && offer.validUntil && Date.parse(offer.validFrom) >= Date.parse(offer.validUntil))
    problems.push("valid_until must be after valid_from");
  if (!Number.isInteger(offer.perCustomerCap) || offer.perCustomerCap < 0)
    problems.push("per_customer_cap must be 0 (no cap) or more");
  if (!(offer.priorResponseRate > 0 && offer.priorResponseRate < 1))
    problems.push("prior_response_rate must be between 0 and 1 (0 for the default)");
  offer.eligibility.forEach((rule, index) => {
    const problem = ruleProblem(rule);
    if (problem) problems.push(`eligibility[${index}]: ${problem}`);
  });
  return problems;
}

export function isOfferKind(kind: string): kind is OfferKind {
  return (
    (monetaryOfferKinds as readonly string[]).includes(kind) ||
    (nonMonetaryOfferKinds as readonly string[]).includes(kind)
  );
}
