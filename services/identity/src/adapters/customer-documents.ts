import type { GoldenRecord, Trait } from "../domain/golden-record.js";
import type { CustomerSplit, CustomersMerged, IdentityEvent } from "../domain/identity-events.js";
import type { CustomerNode, IdentifiersByType } from "../domain/identity-graph.js";
import type { CustomerId, EventId, EventTime, FirstSeen, IdentifierKey } from "../domain/identity-types.js";

/**
 * A customer as the identity database stores it. A merged customer keeps its document: `mergedInto`
 * makes its id an alias for ever, and `merge` says why. Written by the graph writer alone.
 */
export type CustomerDocument = {
  _id: CustomerId;
  firstSeen: FirstSeen;
  identifiers: IdentifiersByType;
  mergedInto?: CustomerId;
  keptApartFrom?: CustomerId[];
  status: "active" | "merged";
  goldenRecord: StoredGoldenRecord;
  merge?: MergeRecord;
  split?: SplitRecord;
};

/** How a customer was merged into its survivor: the CustomersMerged that did it. */
export type MergeRecord = Pick<CustomersMerged, "survivor" | "rule" | "evidence" | "eventId" | "time">;

/** How a customer was founded by a split. */
export type SplitRecord = Pick<CustomerSplit, "customerId" | "reason" | "eventId" | "time">;

/** Preferences as a list of objects: FerretDB stores no nested arrays, and keys may hold dots. */
export type StoredGoldenRecord = Omit<GoldenRecord, "preferences"> & {
  preferences: ({ key: string } & Trait<string>)[];
};

/**
 * The owner of an identifier. `_id` is the identifier key, so the index makes it unique; `linkedBy`
 * is the event that first linked it.
 */
export type IdentifierDocument = {
  _id: IdentifierKey;
  customerId: CustomerId;
  linkedBy?: { eventId: EventId; time: EventTime };
};

/**
 * The resolution of one crm.events event: its customer and the identity events it caused. Written
 * before the graph is changed, so an event handled again (a crash before the offset commit) is
 * published exactly as decided the first time; it also counts the customer's events by source.
 */
export type ResolutionDocument = {
  _id: EventId;
  customerId: CustomerId;
  source: string;
  time: EventTime;
  identityEvents: IdentityEvent[];
  /** What probabilistic matching decided after the event, once it has run for it. */
  matchEvents?: IdentityEvent[];
};

/** One record an upstream system keeps about a person (see identity-stats.ts sourceRecordIdOf). */
export type SourceRecordDocument = { _id: string; customerId: CustomerId; source: string };

export function nodeOf(document: CustomerDocument): CustomerNode {
  return {
    id: document._id,
    firstSeen: document.firstSeen,
    identifiers: document.identifiers,
    ...(document.mergedInto === undefined ? {} : { mergedInto: document.mergedInto }),
    ...(document.keptApartFrom === undefined ? {} : { keptApartFrom: document.keptApartFrom }),
  };
}

/**
 * The document of a customer: its node, its golden record, and why it was merged (the merge that made
 * it an alias) or founded (the split that moved identifiers to it), when one did.
 */
export function customerDocumentOf(
  node: CustomerNode,
  goldenRecord: GoldenRecord,
  why: { merge: MergeRecord | undefined; split: SplitRecord | undefined },
): CustomerDocument {
  return {
    _id: node.id,
    firstSeen: node.firstSeen,
    identifiers: node.identifiers,
    status: node.mergedInto === undefined ? "active" : "merged",
    ...(node.mergedInto === undefined ? {} : { mergedInto: node.mergedInto }),
    ...(node.keptApartFrom === undefined ? {} : { keptApartFrom: [...node.keptApartFrom] }),
    goldenRecord: storedGoldenRecord(goldenRecord),
    ...(why.merge === undefined || node.mergedInto === undefined
      ? {}
      : {
          merge: {
            survivor: why.merge.survivor,
            rule: why.merge.rule,
            evidence: why.merge.evidence,
            eventId: why.merge.eventId,
            time: why.merge.time,
          },
        }),
    ...(why.split === undefined
      ? {}
      : {
          split: {
            customerId: why.split.customerId,
            reason: why.split.reason,
            eventId: why.split.eventId,
            time: why.split.time,
          },
        }),
  };
}

export function storedGoldenRecord(record: GoldenRecord): StoredGoldenRecord {
  return {
    ...record,
    preferences: Object.entries(record.preferences).map(([key, trait]) => ({ key, ...trait })),
  };
}

export function goldenRecordOfDocument(stored: StoredGoldenRecord | undefined): GoldenRecord {
  if (stored === undefined) return { preferences: {} };
  return {
    ...stored,
    preferences: Object.fromEntries(stored.preferences.map(({ key, ...trait }) => [key, trait])),
  };
}

/**
 * A customer as it is stored: what reads filter on (status, the survivor of an alias) beside the
 * rest as one JSON text. The document store takes a document apart field by field: FerretDB reads and
 * inserts one text field in about a quarter of the work of the same content as nested fields, and
 * replaces it in about half (docs/benchmarks.md, "Document store", "Document shape").
 */
export type StoredCustomer = {
  _id: CustomerId;
  status: CustomerDocument["status"];
  mergedInto?: CustomerId;
  state: string;
};

export function storedCustomerOf(document: CustomerDocument): StoredCustomer {
  const { _id, status, mergedInto, ...rest } = document;
  return { _id, status, ...(mergedInto === undefined ? {} : { mergedInto }), state: JSON.stringify(rest) };
}

/** The customer of a stored document (one written before the state was one text field reads as it is). */
export function customerOfStored(stored: StoredCustomer | CustomerDocument): CustomerDocument {
  if (!("state" in stored) || typeof stored.state !== "string") return stored as CustomerDocument;
  const { _id, status, mergedInto } = stored;
  return { _id, status, ...(mergedInto === undefined ? {} : { mergedInto }), ...JSON.parse(stored.state) };
}

/** A recorded decision as it is stored: its customer and source beside the identity events as JSON text. */
export type StoredResolution = Pick<ResolutionDocument, "_id" | "customerId" | "source" | "time"> & {
  decision: string;
};

export function storedResolutionOf(document: ResolutionDocument): StoredResolution {
  const { _id, customerId, source, time, ...decision } = document;
  return { _id, customerId, source, time, decision: JSON.stringify(decision) };
}

export function resolutionOfStored(stored: StoredResolution | ResolutionDocument): ResolutionDocument {
  if (!("decision" in stored) || typeof stored.decision !== "string") return stored as ResolutionDocument;
  const { _id, customerId, source, time } = stored;
  return { _id, customerId, source, time, ...JSON.parse(stored.decision) };
}
