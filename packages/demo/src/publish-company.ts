import { createIngestionClient } from "@rapport/cli";
import { crmTopics } from "@rapport/events";
import { Kafka, logLevel } from "kafkajs";
import type { Delivery } from "./company/upstream.js";
import type { DemoEndpoints } from "./demo-endpoints.js";
import { type ProgressOutput, progressLine } from "./progress-line.js";

export type PublishTally = {
  sent: number;
  accepted: number;
  rejected: number;
  byPath: Record<Delivery["path"], number>;
};

/** How many deliveries go out together: one raw-topic send, one POST /v1/events and one POST /v1/weblogs. */
const chunkSize = 900;

/**
 * Sends the company through ingestion's three doors, in time order chunk by chunk: orders and calls to
 * the Kafka raw topics as the shop and the call center would, sign-ups, consents, surveys and logins in
 * batches to POST /v1/events, and page views as access-log lines to POST /v1/weblogs. Ingestion's
 * answers are checked: a rejected event stops the demo with ingestion's reason.
 */
export async function publishCompany(
  deliveries: readonly Delivery[],
  endpoints: DemoEndpoints,
  progress: ProgressOutput,
): Promise<PublishTally> {
  const topics = crmTopics(endpoints.topicPrefix);
  const kafka = new Kafka({
    brokers: endpoints.kafkaBrokers,
    clientId: "rapport-demo",
    logLevel: logLevel.NOTHING,
  });
  const producer = kafka.producer();
  await producer.connect().catch((error: Error) => {
    throw new Error(
      `cannot reach Kafka at ${endpoints.kafkaBrokers.join(",")}: ${error.message} — is it running? (npm start)`,
    );
  });
  const ingestion = createIngestionClient({ url: endpoints.ingestionUrl, writeKey: endpoints.writeKey });
  const reporter = progressLine(progress);
  const started = performance.now();
  const tally: PublishTally = { sent: 0, accepted: 0, rejected: 0, byPath: { kafka: 0, http: 0, weblog: 0 } };
  const line = () => {
    const seconds = (performance.now() - started) / 1_000;
    return `publishing: ${tally.sent.toLocaleString("en")} / ${deliveries.length.toLocaleString("en")} events (${Math.round(tally.sent / Math.max(seconds, 0.001)).toLocaleString("en")}/s)`;
  };
  try {
    for (let from = 0; from < deliveries.length; from += chunkSize) {
      const chunk = deliveries.slice(from, from + chunkSize);
      const raw = chunk.flatMap((delivery) => (delivery.path === "kafka" ? [delivery] : []));
      const http = chunk.flatMap((delivery) => (delivery.path === "http" ? [delivery.event] : []));
      const lines = chunk.flatMap((delivery) => (delivery.path === "weblog" ? [delivery.line] : []));
      const [, answers] = await Promise.all([
        raw.length === 0
          ? undefined
          : producer.sendBatch({
              acks: -1,
              topicMessages: [...new Set(raw.map((delivery) => delivery.lane))].map((lane) => ({
                topic: topics.raw(lane),
                messages: raw
                  .filter((delivery) => delivery.lane === lane)
                  .map(({ event }) => ({ key: event.id, value: JSON.stringify(event) })),
              })),
            }),
        ingestion.publish(http),
        postLogLines(endpoints, lines),
      ]);
      const rejected = answers.find((answer) => answer.status === "rejected");
      if (rejected?.status === "rejected")
        throw new Error(`ingestion rejected a demo event: ${rejected.reason}: ${rejected.detail}`);
      tally.byPath.kafka += raw.length;
      tally.byPath.http += http.length;
      tally.byPath.weblog += lines.length;
      tally.sent += chunk.length;
      reporter.update(line);
    }
    reporter.finish(line());
    return tally;
  } finally {
    await producer.disconnect();
  }
}

type WeblogAnswer = {
  accepted: number;
  rejected: number;
  results?: { status: string; reason?: string; detail?: string }[];
};

async function postLogLines(endpoints: DemoEndpoints, lines: readonly string[]): Promise<void> {
  if (lines.length === 0) return;
  const response = await fetch(`${endpoints.ingestionUrl}/v1/weblogs`, {
    method: "POST",
    headers: { "content-type": "text/plain", authorization: `Bearer ${endpoints.writeKey}` },
    body: lines.join("\n"),
    signal: AbortSignal.timeout(60_000),
  });
  const body = await response.text();
  if (response.status === 202) return;
  const answer = JSON.parse(body) as WeblogAnswer;
  const rejected = answer.results?.find((result) => result.status === "rejected");
  if (rejected?.reason === "missing_identifier")
    throw new Error(
      "ingestion does not read the visitor cookie from access-log lines: start it with WEBLOG_VISITOR_COOKIE_FIELD=1 (npm start sets it)",
    );
  throw new Error(
    `ingestion answered POST /v1/weblogs with HTTP ${response.status}: ${rejected ? `${rejected.reason}: ${rejected.detail}` : body.slice(0, 300)}`,
  );
}
