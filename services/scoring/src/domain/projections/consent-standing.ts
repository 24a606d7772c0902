import { type ConsentFact, type ContactChannel, compareText, momentOf } from "../customer-facts.js";
import type { ChannelConsent } from "./consents.js";
import { mergeEntries, withEntry } from "./keyed-entries.js";

/** The consent change that stands for a channel, with its moment. */
export type ConsentStanding = {
  channel: ContactChannel;
  status: ConsentFact["status"];
  at: number;
  eventId: string;
  time: string;
  via?: string;
};

const channelOf = (standing: ConsentStanding) => standing.channel;

/**
 * The standing consent per channel (sorted by channel), incrementally: the latest change by event
 * time; at the same instant a revocation beats a grant (the first revocation by event id, else the
 * last grant), which is what consentsOf decides over the history in time order. Choosing the best
 * change by that one order makes the result the same whatever order the changes arrive in.
 */
export function recordConsent(standings: readonly ConsentStanding[], change: ConsentFact): ConsentStanding[] {
  const candidate: ConsentStanding = {
    channel: change.channel,
    status: change.status,
    ...momentOf(change),
    time: change.time,
    ...(change.via ? { via: change.via } : {}),
  };
  return withEntry(standings, change.channel, channelOf, (standing) =>
    standing === undefined ? candidate : standingOf(standing, candidate),
  );
}

export function combineConsentStandings(
  a: readonly ConsentStanding[],
  b: readonly ConsentStanding[],
): ConsentStanding[] {
  return mergeEntries(a, b, channelOf, standingOf);
}

export function consentsOfStandings(standings: readonly ConsentStanding[]): ChannelConsent[] {
  return standings.map((standing) => ({
    channel: standing.channel,
    status: standing.status,
    changedAt: standing.time,
    ...(standing.via ? { via: standing.via } : {}),
  }));
}

function standingOf(standing: ConsentStanding, candidate: ConsentStanding): ConsentStanding {
  if (candidate.at !== standing.at) return candidate.at > standing.at ? candidate : standing;
  if (standing.status === "revoked")
    return candidate.status === "revoked" && compareText(candidate.eventId, standing.eventId) < 0
      ? candidate
      : standing;
  return candidate.status === "revoked" || compareText(candidate.eventId, standing.eventId) > 0
    ? candidate
    : standing;
}
