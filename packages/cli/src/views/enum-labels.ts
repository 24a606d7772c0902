import { ContactChannel, enumNames, OfferKind, OfferStrategy } from "@rapport/proto";

/** A generated enum's values by their short names (OFFER_STRATEGY_CROSS_SELL is cross_sell), both ways. */
function shortNamesOf(enumObject: Record<string, string | number>, prefix: string) {
  const names = Object.keys(enumObject)
    .filter((key) => key.startsWith(prefix) && key !== `${prefix}UNSPECIFIED`)
    .map((key) => key.slice(prefix.length).toLowerCase());
  const mapping = enumNames(enumObject, prefix, names);
  return {
    names,
    valueOf: mapping.valueOf,
    /** The short name, or "unspecified" for a value this build does not know. */
    label: (value: number) => mapping.shortName(value) ?? "unspecified",
  };
}

export const channelNames = shortNamesOf(ContactChannel, "CONTACT_CHANNEL_");
export const strategyNames = shortNamesOf(OfferStrategy, "OFFER_STRATEGY_");
export const offerKindNames = shortNamesOf(OfferKind, "OFFER_KIND_");
