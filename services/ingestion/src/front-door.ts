import type { Context } from "@opentelemetry/api";
import { type CrmTopics, type RejectionReason, rawSourceOf } from "@rapport/events";
import {
  deadLetterRecord,
  type KafkaMetrics,
  type OutgoingRecord,
  type RecordSender,
  traceHeaders,
} from "@rapport/kafka";
import type { IngestionMetrics, IngestionPath } from "./adapters/ingestion-metrics.js";
import { sourceHeader } from "./adapters/source-header.js";
import type { Admission, AdmissionResult } from "./domain/admission.js";
import type { WeblogIgnoredReason } from "./domain/weblog/combined-log-line.js";

export type InputResult =
  | { index: number; status: "accepted"; eventId: string }
  | { index: number; status: "ignored"; reason: WeblogIgnoredReason }
  | { index: number; status: "rejected"; reason: RejectionReason; detail: string };

/** One event as a caller sent it: the parsed JSON and its text (what is queued and dead-lettered). */
export type SubmittedEvent = { value: unknown; text: string };

export type FrontDoorDependencies = {
  admission: Admission;
  sender: RecordSender;
  topics: CrmTopics;
  metrics: IngestionMetrics;
  /** Counts the rejected inputs dead-lettered here with those the consumer loops dead-letter. */
  kafkaMetrics: Pick<KafkaMetrics, "countDeadLetters">;
  clock: () => Date;
};

/**
 * Where HTTP and gRPC callers hand in events. Each input is admitted at once, so the caller learns
 * per event whether it was accepted; accepted inputs are queued on their raw lane (the same path as
 * events published to Kafka directly, which appends each id once) and rejected ones go to the
 * dead-letter topic. The answer is given only after Kafka has acknowledged both.
 */
export function createFrontDoor(deps: FrontDoorDependencies) {
  const { admission, topics, metrics } = deps;

  async function submit(
    path: IngestionPath,
    source: string,
    inputs: readonly {
      text: string;
      result: AdmissionResult;
      rawTopic: (result: AdmissionResult) => string;
    }[],
    traceContext: Context,
  ): Promise<InputResult[]> {
    const now = deps.clock();
    const trace = traceHeaders(traceContext);
    const records: OutgoingRecord[] = [];
    const results = inputs.map(({ text, result, rawTopic }, index): InputResult => {
      switch (result.kind) {
        case "accepted":
          metrics.accepted.inc({ path, type: result.event.type });
          records.push({
            topic: rawTopic(result),
            key: result.event.id,
            value: text,
            headers: { ...trace, [sourceHeader]: source },
          });
          return { index, status: "accepted", eventId: result.event.id };
        case "ignored":
          metrics.ignored.inc({ path, reason: result.reason });
          return { index, status: "ignored", reason: result.reason };
        case "rejected":
          metrics.rejected.inc({ path, reason: result.reason });
          records.push(
            deadLetterRecord(
              topics.deadLetter,
              { key: null, value: text, headers: { ...trace, [sourceHeader]: source } },
              { reason: result.reason, detail: result.detail, origin: { frontDoor: path }, rejectedAt: now },
            ),
          );
          return { index, status: "rejected", reason: result.reason, detail: result.detail };
        default: {
          const unhandled: never = result;
          return unhandled;
        }
      }
    });
    await deps.sender.send(records);
    deps.kafkaMetrics.countDeadLetters(records, topics.deadLetter);
    return results;
  }

  const laneOfEvent = (result: AdmissionResult) =>
    result.kind === "accepted" ? topics.raw(rawSourceOf(result.event.type)) : topics.deadLetter;

  return {
    /** CloudEvents from a caller authenticated as `source`. */
    publishEvents(
      path: IngestionPath,
      source: string,
      events: readonly SubmittedEvent[],
      traceContext: Context,
    ) {
      const now = deps.clock();
      const context = { authenticatedSource: source, fallbackSource: source, now };
      return submit(
        path,
        source,
        events.map(({ value, text }) => ({
          text,
          result: admission.admitCloudEvent(value, Buffer.byteLength(text), context),
          rawTopic: laneOfEvent,
        })),
        traceContext,
      );
    },

    /** Access-log lines from a caller authenticated as `source`. */
    publishLogLines(path: IngestionPath, source: string, lines: readonly string[], traceContext: Context) {
      const now = deps.clock();
      const context = { authenticatedSource: source, fallbackSource: source, now };
      return submit(
        path,
        source,
        lines.map((line) => ({
          text: line,
          result: admission.admitLogLine(line, context),
          rawTopic: () => topics.raw("weblogs"),
        })),
        traceContext,
      );
    },
  };
}

export type FrontDoor = ReturnType<typeof createFrontDoor>;
