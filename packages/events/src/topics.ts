/** The upstream lanes: each has a raw topic crm.raw.<source> that upstream systems may publish to. */
export const rawSources = [
  "orders",
  "calls",
  "weblogs",
  "surveys",
  "customers",
  "consents",
  "offer-responses",
] as const;
export type RawSource = (typeof rawSources)[number];

/** Topic names are part of the contract between services and with upstream systems. */
export const topics = {
  /** The event log: every accepted event, normalised, exactly once by id. */
  events: "crm.events",
  /** Rejected input, with the reason in headers and the original bytes as the value. */
  deadLetter: "crm.events.dlq",
  /** Events with the customer id identity resolved, keyed by customer id. */
  resolvedEvents: "crm.events.resolved",
  identity: "crm.identity",
  customerChanges: "crm.customer.changes",
  offers: "crm.offers",
  raw: (source: RawSource) => `crm.raw.${source}`,
} as const;

export function isRawSource(value: string): value is RawSource {
  return (rawSources as readonly string[]).includes(value);
}
