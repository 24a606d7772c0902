import { type CrmTopics, isEventType, rawSourceOf } from "@rapport/events";
import { type DeadLetterEntry, originText, parsedJson } from "./dead-letter-entry.js";

/** Where a dead letter goes to be processed again, or why it cannot go anywhere. */
export type RedriveTarget = { kind: "send"; topic: string } | { kind: "refused"; why: string };

/**
 * Rejected input goes back to the raw topic ingestion reads it from, so it is admitted by the same
 * rules as the first time and ingestion's claim of each event id still holds: an event redriven
 * twice is appended to the log once. A consumer's rejection from a raw topic goes back to that
 * topic; a front-door rejection goes to the raw lane of its event type (where the front door
 * queues what it accepts), keeping the `rapport-source` header the front door vouched for, so no
 * write key is needed. Records of the platform's own topics (the log, resolved events, identity,
 * offers…) are not input: a consumer that could not read one has a bug, and writing it again would
 * put a second copy into a log that holds each record once.
 *
 * `value` is what would be sent: the original bytes, or a fixed version of them.
 */
export function redriveTarget(entry: DeadLetterEntry, value: Buffer, topics: CrmTopics): RedriveTarget {
  const { origin } = entry;
  const wasJson = parsedJson(entry.value) !== undefined;
  const sent = parsedJson(value);
  if (wasJson && sent === undefined)
    return {
      kind: "refused",
      why: "the fixed version is not JSON, though the rejected event was: correct the file and redrive again",
    };
  if (origin.kind === "topic") {
    if (topics.laneOf(origin.topic) !== undefined) return { kind: "send", topic: origin.topic };
    return {
      kind: "refused",
      why:
        `it came from ${origin.topic}, a topic the platform writes itself, not input: ` +
        `${origin.consumerGroup ?? "its consumer"} could not read it, which is a bug to fix in the service ` +
        "that wrote or read it; re-submitting would put a second copy of the record into that topic",
    };
  }
  // The front door takes CloudEvents (JSON) and, on /v1/weblogs, access-log lines (not JSON).
  if (sent === undefined) return { kind: "send", topic: topics.raw("weblogs") };
  const type = typeOf(sent.json);
  if (isEventType(type)) return { kind: "send", topic: topics.raw(rawSourceOf(type)) };
  return {
    kind: "refused",
    why:
      `it was rejected at the ${originText(origin)} and ${type === undefined ? "has no type" : `its type "${type}" is not an event type`}, ` +
      "so it has no raw topic to go to: fix its type (rapport dlq show <position> --raw > event.json, edit, " +
      "rapport dlq redrive <position> --fixed event.json)",
  };
}

function typeOf(json: unknown): string | undefined {
  if (typeof json !== "object" || json === null || Array.isArray(json)) return undefined;
  const { type } = json as Record<string, unknown>;
  return typeof type === "string" ? type : undefined;
}
