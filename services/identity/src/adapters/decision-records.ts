import { identifierTypes } from "@rapport/events";
import type { OutgoingRecord } from "@rapport/kafka";
import { z } from "zod";
import type { PersonDecision } from "../domain/person-decisions.js";
import { identitySource } from "./identity-records.js";

/**
 * A person's decision as it goes on the decision log: a CloudEvent of type crm.v1.CustomerSplit or
 * crm.v1.MatchDecided whose data is the decision as checked, keyed by what it is about (the customer
 * split, the proposal decided), so that the requests about one of them are applied in the order they
 * were logged. Its id is the decision's id and time: one record per request.
 */
export function decisionRecord(
  topic: string,
  decision: PersonDecision,
  headers: Record<string, string>,
): OutgoingRecord {
  const { type, ...data } = decision;
  return {
    topic,
    key: decision.type === "CustomerSplit" ? decision.customerId : decision.proposalId,
    value: JSON.stringify({
      specversion: "1.0",
      id: `${decision.eventId}@${decision.time}`,
      source: identitySource,
      type: `crm.v1.${type}`,
      time: decision.time,
      datacontenttype: "application/json",
      data,
    }),
    headers,
  };
}

const text = z.string().min(1);
const loggedSplit = z.object({
  type: z.literal("CustomerSplit"),
  customerId: text,
  newCustomerId: text,
  identifiers: z.array(z.object({ type: z.enum(identifierTypes), value: text })).min(1),
  reason: text,
  eventId: text,
  time: z.iso.datetime(),
});
const loggedMatchDecision = z.object({
  type: z.literal("MatchDecided"),
  proposalId: text,
  decision: z.enum(["accepted", "rejected"]),
  decidedBy: z.string(),
  note: z.string(),
  eventId: text,
  time: z.iso.datetime(),
});
const loggedDecision = z.discriminatedUnion("type", [loggedSplit, loggedMatchDecision]);

/** The decision a record of the decision log holds, or why it holds none (it then goes to the dead-letter topic). */
export function decisionOfRecord(value: Buffer | null): PersonDecision | string {
  if (value === null) return "the record has no value";
  let envelope: { type?: unknown; data?: unknown } | null;
  try {
    envelope = JSON.parse(value.toString("utf8"));
  } catch (error) {
    return `the value is not JSON: ${(error as Error).message}`;
  }
  if (typeof envelope?.type !== "string" || !envelope.type.startsWith("crm.v1."))
    return "the value is not a CloudEvent of type crm.v1.<decision>";
  const data = envelope.data;
  const parsed = loggedDecision.safeParse(
    typeof data === "object" && data !== null
      ? { ...data, type: envelope.type.slice("crm.v1.".length) }
      : data,
  );
  if (!parsed.success) return `not a decision identity takes: ${z.prettifyError(parsed.error)}`;
  return parsed.data;
}
