import type { ConsentFact, ContactChannel } from "../customer-facts.js";
import { type CustomerHistory, factsOfKind } from "../customer-history.js";

export type ChannelConsent = {
  channel: ContactChannel;
  status: ConsentFact["status"];
  changedAt: string;
  via?: string;
};

/**
 * The standing consent per channel: the latest change by event time. Two changes at the same
 * instant resolve to revoked, so a simultaneous opt-out is never lost.
 */
export function consentsOf(history: CustomerHistory): ChannelConsent[] {
  const byChannel = new Map<ContactChannel, ConsentFact>();
  for (const change of factsOfKind(history, "consent")) {
    const standing = byChannel.get(change.channel);
    const sameInstant = standing !== undefined && Date.parse(standing.time) === Date.parse(change.time);
    if (sameInstant && standing.status === "revoked") continue;
    byChannel.set(change.channel, change);
  }
  return [...byChannel.values()]
    .map((change) => ({
      channel: change.channel,
      status: change.status,
      changedAt: change.time,
      ...(change.via ? { via: change.via } : {}),
    }))
    .sort((a, b) => (a.channel < b.channel ? -1 : 1));
}
