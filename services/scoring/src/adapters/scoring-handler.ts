import type { Context } from "@opentelemetry/api";
import { type CrmTopics, customersMergedOf, recordJson, resolvedEventOf } from "@rapport/events";
import { type BatchHandler, type OutgoingRecord, type PoisonMessage, traceHeaders } from "@rapport/kafka";
import type { ContactChannel, CustomerFact, OfferResponse } from "../domain/customer-facts.js";
import { factOfEvent } from "../domain/fact-of-event.js";
import type { LoggedFact } from "../domain/scored-customer.js";
import type { CustomerPart, CustomerWriter } from "./customer-writer.js";
import { customerChangeRecord, scoringFactOf, scoringFactRecord } from "./scoring-records.js";

export type ScoringHandlerDependencies = {
  writer: CustomerWriter;
  topics: CrmTopics;
  /** Whether changes are published (not when a replay rebuilds the projections). */
  announces: boolean;
};

/**
 * Folds a part of crm.events.resolved, crm.offers, crm.identity or crm.scoring (one partition of one
 * topic) into the stored customers in one unit of the customer writer, and returns what goes out with
 * the part: the changes on crm.customer.changes, each in the trace of the record that caused it, and
 * the rescorings a clock tick or model fit asks for on crm.scoring. A record that is none of these is
 * poison.
 */
export function createScoringHandler(deps: ScoringHandlerDependencies): BatchHandler {
  return async (messages) => {
    const poison: PoisonMessage[] = [];
    const facts: LoggedFact[] = [];
    const merges: CustomerPart["merges"][number][] = [];
    const scoringFacts: CustomerPart["scoringFacts"][number][] = [];
    const traceAt = new Map<number, Context>();
    for (const message of messages) {
      const position = { stream: streamOf(message), offset: Number(message.offset) };
      traceAt.set(position.offset, message.traceContext);
      if (message.topic === deps.topics.resolvedEvents) {
        const resolved = resolvedFactOf(message.value);
        if (typeof resolved === "string") poison.push({ message, reason: "invalid_event", detail: resolved });
        else facts.push({ ...resolved, position });
      } else if (message.topic === deps.topics.offers) {
        const offerFact = offerFactOf(message.value);
        if (typeof offerFact === "string")
          poison.push({ message, reason: "invalid_offer_event", detail: offerFact });
        else if (offerFact) facts.push({ ...offerFact, position });
      } else if (message.topic === deps.topics.identity) {
        const merge = customersMergedOf(message.value);
        if (typeof merge === "string")
          poison.push({ message, reason: "invalid_identity_event", detail: merge });
        else if (merge) merges.push({ merge, position });
      } else {
        const fact = scoringFactOf(message.value);
        if (typeof fact === "string") poison.push({ message, reason: "invalid_scoring_fact", detail: fact });
        else scoringFacts.push({ fact, position });
      }
    }
    const [first, last] = [messages[0], messages.at(-1)];
    if (first === undefined || last === undefined) return { records: [], poison };
    const outcome = await deps.writer.handle({
      stream: streamOf(first),
      firstOffset: Number(first.offset),
      lastOffset: Number(last.offset),
      facts,
      merges,
      scoringFacts,
      announces: deps.announces,
    });
    const records: OutgoingRecord[] = [];
    const headersAt = (offset: number) => {
      const traceContext = traceAt.get(offset);
      return traceContext ? traceHeaders(traceContext) : {};
    };
    for (const { customerId, change, summary, causedAt } of outcome.changes)
      records.push(
        customerChangeRecord(deps.topics, customerId, change, summary, headersAt(causedAt.offset)),
      );
    for (const request of outcome.rescoreRequests)
      records.push(scoringFactRecord(deps.topics, request, headersAt(Number(last.offset))));
    return { records, poison };
  };
}

/** The stream of the log a consumed record belongs to: its topic's partition. */
export function streamOf(message: { topic: string; partition: number }): string {
  return `${message.topic}:${message.partition}`;
}

/** The fact of a crm.events.resolved record and its customer id, or why the record is not one. */
function resolvedFactOf(value: Buffer | null): { customerId: string; fact: CustomerFact } | string {
  const resolved = resolvedEventOf(value);
  if (typeof resolved === "string") return resolved;
  try {
    return { customerId: resolved.customerId, fact: factOfEvent(resolved.event) };
  } catch (error) {
    return `the ${resolved.event.type} data cannot be read: ${(error as Error).message}`;
  }
}

/**
 * The contact fact a crm.offers record holds: an offer presented, or a response recorded over the
 * offer service's API. Undefined for the catalog's and campaigns' events, which scoring does not need.
 */
function offerFactOf(value: Buffer | null): { customerId: string; fact: CustomerFact } | undefined | string {
  const parsed = recordJson(value);
  if (!parsed.ok) return parsed.problem;
  const event = parsed.value as {
    type?: unknown;
    id?: unknown;
    time?: unknown;
    source?: unknown;
    data?: Record<string, unknown>;
  };
  if (event?.type !== "crm.v1.OfferPresented" && event?.type !== "crm.v1.ResponseRecorded") return undefined;
  const { customerId, offerId, channel, campaignId } = event.data ?? {};
  if (
    typeof event.id !== "string" ||
    typeof event.time !== "string" ||
    Number.isNaN(Date.parse(event.time)) ||
    typeof customerId !== "string" ||
    customerId === "" ||
    typeof offerId !== "string"
  )
    return `a ${event.type} needs an id, a time, data.customerId and data.offerId`;
  const origin = {
    eventId: event.id,
    time: new Date(Date.parse(event.time)).toISOString(),
    source: typeof event.source === "string" ? event.source : "offer",
    offerId,
    ...(typeof channel === "string" && channel !== "" ? { channel: channel as ContactChannel } : {}),
    ...(typeof campaignId === "string" && campaignId !== "" ? { campaignId } : {}),
  };
  if (event.type === "crm.v1.OfferPresented")
    return { customerId, fact: { ...origin, kind: "offer_presented" } };
  const response = event.data?.response;
  if (!offerResponses.includes(response as OfferResponse))
    return `a ResponseRecorded needs data.response, one of ${offerResponses.join(", ")}`;
  const revenue = event.data?.revenue as { amountMinor?: unknown } | undefined;
  return {
    customerId,
    fact: {
      ...origin,
      kind: "offer_response",
      response: response as OfferResponse,
      ...(typeof revenue?.amountMinor === "number" ? { revenueMinor: revenue.amountMinor } : {}),
    },
  };
}

const offerResponses: readonly OfferResponse[] = ["accepted", "declined", "no_answer", "converted"];
