import type { Identifier } from "@rapport/events";
import { seededRandom } from "../shared/random.js";
import { type JourneyOptions, unknownIdentifier } from "./customer-journeys.js";

/** One Resolve call: the identifier looked up and whether identity must know it. */
export type ResolveLookup = { identifier: Identifier; isKnown: boolean };

export type ResolveLookupOptions = {
  /** Identifiers the resolved events named (each once): the known ones are drawn from these. */
  known: readonly Identifier[];
  /** The journeys' population: unknown identifiers are of customers it never mentions. */
  journeys: JourneyOptions;
  count: number;
  /** Share of lookups for identifiers identity has never seen (answered NOT_FOUND). */
  unknownShare: number;
  seed: number;
};

/**
 * The identifiers Resolve callers look up, in order: each known identifier is equally likely (a call
 * center looks up by phone, the web site by cookie, the CRM by customer number or email), and a share
 * are identifiers of nobody. The same options give the same lookups.
 */
export function resolveLookups(options: ResolveLookupOptions): ResolveLookup[] {
  if (options.known.length === 0) throw new Error("Resolve lookups need at least one known identifier");
  const random = seededRandom(options.seed);
  let unknownDraws = 0;
  return Array.from({ length: options.count }, () =>
    random.chance(options.unknownShare)
      ? { identifier: unknownIdentifier(options.journeys, unknownDraws++), isKnown: false }
      : { identifier: random.pick(options.known), isKnown: true },
  );
}
