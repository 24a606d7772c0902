import type { CustomerEvent, PostalAddress } from "@rapport/events";
import type { TraitObservation } from "./golden-record.js";

/**
 * The traits a crm.events event states about its customer: the person traits it carries, its first
 * email and phone (the upstream system lists the primary one first), and the preferences of a
 * profile update. Email and phone are already normalised by ingestion.
 */
export function traitObservationOf(event: CustomerEvent): TraitObservation {
  const { identifiers, traits = {} } = event.data.customer;
  const email = identifiers.find(({ type }) => type === "email")?.value;
  const phone = identifiers.find(({ type }) => type === "phone")?.value;
  const preferences = preferencesOf(event.data.preferences);
  const postalAddress: PostalAddress | undefined = traits.address;
  return {
    source: event.source,
    eventId: event.id,
    time: event.time,
    traits: {
      ...(traits.firstName === undefined ? {} : { firstName: traits.firstName }),
      ...(traits.lastName === undefined ? {} : { lastName: traits.lastName }),
      ...(traits.birthDate === undefined ? {} : { birthDate: traits.birthDate }),
      ...(email === undefined ? {} : { email }),
      ...(phone === undefined ? {} : { phone }),
      ...(postalAddress === undefined ? {} : { postalAddress }),
      ...(preferences === undefined ? {} : { preferences }),
    },
  };
}

/** Only ProfileUpdated carries preferences; its data was validated on ingestion as a string map. */
function preferencesOf(value: unknown): Record<string, string> | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const entries = Object.entries(value).filter(
    (entry): entry is [string, string] => typeof entry[1] === "string",
  );
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}

/** Whether the observation states who the person is (name, birth date, address): what matching compares. */
export function statesPersonTraits(observation: TraitObservation): boolean {
  const { firstName, lastName, birthDate, postalAddress } = observation.traits;
  return [firstName, lastName, birthDate, postalAddress].some((trait) => trait !== undefined);
}
