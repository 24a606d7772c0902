import { createHash } from "node:crypto";
import { type CrmTopics, recordJson } from "@rapport/events";
import type { OutgoingRecord } from "@rapport/kafka";
import { CustomerSummary as CustomerSummaryMessage } from "@rapport/proto";
import { type PopulationModel, recordedPopulationModel } from "../domain/population-model.js";
import type { CustomerChange, CustomerSummary } from "../domain/scored-customer.js";
import { summaryMessage } from "./customer-messages.js";

/** The CloudEvents source of everything scoring emits. */
export const scoringSource = "rapport/scoring";

/**
 * A rescoring asked for on crm.scoring, so that a clock tick or a model fit rescores every customer in
 * parts that each commit (and publish their changes) on their own. Without customer ids it asks for
 * every customer: the part that meets it lists them and asks again in chunks; with them, the part that
 * meets it rescores those. Only the build that asked (its consumer group) acts on it, and its changes
 * are published only when the build publishes (a replay's are not).
 */
export type RescoreRequest = {
  type: "crm.v1.RescoreRequested";
  id: string;
  build: string;
  announce: boolean;
  /** The tick or fit the changes are announced as caused by, and the time to score as of. */
  cause: { eventId: string; asOf: string };
  customerIds?: string[];
};

/** Scoring's own facts on crm.scoring: what moves every customer's scores at once, and the rescorings it asks for. */
export type ScoringFact =
  | { type: "crm.v1.ScoringClockTicked"; id: string; asOf: string }
  | { type: "crm.v1.PopulationModelFitted"; id: string; model: PopulationModel }
  | RescoreRequest;

/**
 * A change as a CloudEvent on crm.customer.changes, keyed by customer id. Its id derives from the
 * change itself, so the change a redelivered event causes again carries the same id.
 */
export function customerChangeRecord(
  topics: CrmTopics,
  customerId: string,
  change: CustomerChange,
  summary: CustomerSummary,
  headers: Record<string, string>,
): OutgoingRecord {
  const id = createHash("sha256")
    .update([customerId, change.attribute, change.value, change.asOf, change.causeEventId].join("\n"))
    .digest("hex")
    .slice(0, 32);
  return {
    topic: topics.customerChanges,
    key: customerId,
    value: JSON.stringify({
      specversion: "1.0",
      id: `scoring:${id}`,
      source: scoringSource,
      type: "crm.v1.CustomerChanged",
      time: change.asOf,
      subject: customerId,
      datacontenttype: "application/json",
      data: {
        customerId,
        attribute: change.attribute,
        previousValue: change.previousValue,
        value: change.value,
        asOf: change.asOf,
        causeEventId: change.causeEventId,
        summary: CustomerSummaryMessage.toJSON(summaryMessage({ customerId, summary })),
      },
    }),
    headers,
  };
}

/** A scoring fact as a CloudEvent on crm.scoring (one partition: they apply in order). */
export function scoringFactRecord(
  topics: CrmTopics,
  fact: ScoringFact,
  headers: Record<string, string>,
): OutgoingRecord {
  const { type, id, ...data } = fact;
  const time =
    fact.type === "crm.v1.ScoringClockTicked"
      ? fact.asOf
      : fact.type === "crm.v1.PopulationModelFitted"
        ? fact.model.fittedAsOf
        : fact.cause.asOf;
  return {
    topic: topics.scoring,
    key: null,
    value: JSON.stringify({
      specversion: "1.0",
      id,
      source: scoringSource,
      type,
      time,
      datacontenttype: "application/json",
      data,
    }),
    headers,
  };
}

/** The scoring fact a crm.scoring record holds, or why it is not one. */
export function scoringFactOf(value: Buffer | null): ScoringFact | string {
  const parsed = recordJson(value);
  if (!parsed.ok) return parsed.problem;
  const { id, type, data } = parsed.value as { id?: unknown; type?: unknown; data?: Record<string, unknown> };
  if (typeof id !== "string") return "the record is not a CloudEvent with an id";
  if (
    type === "crm.v1.ScoringClockTicked" &&
    typeof data?.asOf === "string" &&
    !Number.isNaN(Date.parse(data.asOf))
  )
    return { type, id, asOf: data.asOf };
  if (type === "crm.v1.PopulationModelFitted" && typeof data?.model === "object" && data.model !== null)
    return { type, id, model: recordedPopulationModel(data.model as PopulationModel) };
  if (type === "crm.v1.RescoreRequested") {
    const cause = data?.cause as { eventId?: unknown; asOf?: unknown } | undefined;
    const customerIds = data?.customerIds;
    if (
      typeof data?.build === "string" &&
      typeof data.announce === "boolean" &&
      typeof cause?.eventId === "string" &&
      typeof cause.asOf === "string" &&
      !Number.isNaN(Date.parse(cause.asOf)) &&
      (customerIds === undefined ||
        (Array.isArray(customerIds) && customerIds.every((id) => typeof id === "string")))
    )
      return {
        type,
        id,
        build: data.build,
        announce: data.announce,
        cause: { eventId: cause.eventId, asOf: cause.asOf },
        ...(customerIds === undefined ? {} : { customerIds: customerIds as string[] }),
      };
  }
  return `crm.scoring holds no ${String(type)} with that data`;
}
