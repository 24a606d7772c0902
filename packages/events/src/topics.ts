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

export type CrmTopics = {
  /** The event log: every accepted event, normalised, exactly once by id. */
  events: string;
  /** Rejected input, with the reason in headers and the original bytes as the value. */
  deadLetter: string;
  /** Events with the customer id identity resolved, keyed by customer id. */
  resolvedEvents: string;
  identity: string;
  customerChanges: string;
  /** Scoring's own facts: population models fitted and clock ticks that rescore every customer. */
  scoring: string;
  offers: string;
  raw(source: RawSource): string;
  /** The lane of a raw topic name, or undefined when the topic is not a raw topic. */
  laneOf(topic: string): RawSource | undefined;
};

/**
 * Topic names are part of the contract between services and with upstream systems. A prefix lets
 * several deployments (or test runs) share one Kafka cluster.
 */
export function crmTopics(prefix = ""): CrmTopics {
  const rawPrefix = `${prefix}crm.raw.`;
  return {
    events: `${prefix}crm.events`,
    deadLetter: `${prefix}crm.events.dlq`,
    resolvedEvents: `${prefix}crm.events.resolved`,
    identity: `${prefix}crm.identity`,
    customerChanges: `${prefix}crm.customer.changes`,
    scoring: `${prefix}crm.scoring`,
    offers: `${prefix}crm.offers`,
    raw: (source) => `${rawPrefix}${source}`,
    laneOf: (topic) => {
      if (!topic.startsWith(rawPrefix)) return undefined;
      const lane = topic.slice(rawPrefix.length);
      return isRawSource(lane) ? lane : undefined;
    },
  };
}

export function isRawSource(value: string): value is RawSource {
  return (rawSources as readonly string[]).includes(value);
}
