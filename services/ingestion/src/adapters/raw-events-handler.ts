import type { CrmTopics, CustomerEvent } from "@rapport/events";
import {
  type BatchHandler,
  type ConsumedMessage,
  deadLetterRecord,
  type OutgoingRecord,
  traceHeaders,
} from "@rapport/kafka";
import type { Admission, AdmissionResult } from "../domain/admission.js";
import { partitionKeyOf } from "../domain/partition-key.js";
import { type RawUnit, rawUnits } from "../domain/raw-message.js";
import type { AppendClaim, EventMarks } from "./event-marks.js";
import type { IngestionMetrics } from "./ingestion-metrics.js";
import { sourceHeader } from "./source-header.js";

type Candidate = AppendClaim & { event: CustomerEvent; message: ConsumedMessage };

export type RawEventsHandlerDependencies = {
  admission: Admission;
  marks: EventMarks;
  topics: CrmTopics;
  consumerGroup: string;
  metrics: IngestionMetrics;
  clock: () => Date;
};

/**
 * Turns a batch of raw messages into appends to crm.events (each event id once) and dead-letter
 * records for everything that cannot be admitted. Nothing is skipped silently.
 */
export function createRawEventsHandler(deps: RawEventsHandlerDependencies): BatchHandler {
  const { admission, marks, topics, metrics } = deps;

  return async (messages) => {
    const now = deps.clock();
    const candidates = new Map<string, Candidate>();
    const records: OutgoingRecord[] = [];

    for (const message of messages) {
      const lane = topics.laneOf(message.topic);
      const context = {
        authenticatedSource: message.headers[sourceHeader],
        fallbackSource: lane ?? message.topic,
        now,
      };
      const text = message.value?.toString("utf8") ?? "";
      const units = rawUnits(text, { allowLogLines: lane === "weblogs" });
      units.forEach((unit, index) => {
        const result = admit(admission, unit, context);
        if (result.kind === "accepted") {
          metrics.accepted.inc({ path: "kafka", type: result.event.type });
          const origin = `${message.topic}/${message.partition}/${message.offset}/${index}`;
          if (!candidates.has(result.event.id)) {
            candidates.set(result.event.id, {
              eventId: result.event.id,
              origin,
              event: result.event,
              message,
            });
          } else {
            metrics.duplicates.inc();
          }
        } else if (result.kind === "ignored") {
          metrics.ignored.inc({ path: "kafka", reason: result.reason });
        } else {
          metrics.rejected.inc({ path: "kafka", reason: result.reason });
          // A unit that is the whole message keeps the message's exact bytes.
          const value = units.length === 1 ? message.value : unit.text;
          records.push(
            deadLetterRecord(
              topics.deadLetter,
              { key: message.key, value, headers: message.headers },
              {
                reason: result.reason,
                detail: result.detail,
                origin: { topic: message.topic, partition: message.partition, offset: message.offset },
                consumerGroup: deps.consumerGroup,
                rejectedAt: now,
              },
            ),
          );
        }
      });
    }

    const owned = await marks.claim([...candidates.values()]);
    metrics.duplicates.inc(candidates.size - owned.length);
    for (const claim of owned) {
      const { event, message } = candidates.get(claim.eventId) as Candidate;
      records.push({
        topic: topics.events,
        key: partitionKeyOf(event),
        value: JSON.stringify(event),
        headers: { ...traceHeaders(message.traceContext), ce_id: event.id, ce_type: event.type },
      });
      metrics.appended.inc({ type: event.type });
    }
    return { records, poison: [] };
  };
}

function admit(
  admission: Admission,
  unit: RawUnit,
  context: Parameters<Admission["admitLogLine"]>[1],
): AdmissionResult {
  switch (unit.kind) {
    case "cloud_event":
      return admission.admitCloudEvent(unit.value, Buffer.byteLength(unit.text), context);
    case "log_line":
      return admission.admitLogLine(unit.text, context);
    case "unparseable":
      return { kind: "rejected", reason: "unparseable", detail: unit.detail };
    default: {
      const unhandled: never = unit;
      return unhandled;
    }
  }
}
