import { credentials } from "@grpc/grpc-js";
import { rawSourceOf } from "@rapport/events";
import { callUnary } from "@rapport/grpc";
import { IngestionServiceClient, type PublishEventsResponse } from "@rapport/proto";
import type { Producer } from "kafkajs";
import type { Delivery, Source, UpstreamEvent } from "./dataset.js";
import { bearerOf, type Platform } from "./platform.js";

/** What ingestion answered an HTTP POST /v1/events. */
export type HttpAnswer = { status: number; body: { accepted: number; rejected: number } };

/** Ingestion's answers to the HTTP and gRPC requests; Kafka has none (the raw topic is the input). */
export type PublishAnswers = { http: HttpAnswer[]; grpc: PublishEventsResponse[] };

/**
 * Sends deliveries the way upstream systems would: Kafka records on the raw topic of each event's
 * lane, one HTTP POST /v1/events and one gRPC PublishEvents per source with its write key.
 */
export async function publish(
  platform: Platform,
  producer: Producer,
  deliveries: readonly Delivery[],
): Promise<PublishAnswers> {
  const on = (path: Delivery["path"]) => deliveries.filter((d) => d.path === path).map((d) => d.event);
  const answers: PublishAnswers = { http: [], grpc: [] };

  const kafkaEvents = on("kafka");
  if (kafkaEvents.length > 0)
    await producer.sendBatch({
      acks: -1,
      topicMessages: kafkaEvents.map((event) => ({
        topic: platform.topics.raw(rawSourceOf(event.type)),
        messages: [{ key: event.data.customer.identifiers[0]?.value ?? null, value: JSON.stringify(event) }],
      })),
    });

  for (const [source, events] of bySource(on("http"))) {
    const response = await fetch(`${platform.ingestionUrl}/v1/events`, {
      method: "POST",
      headers: { authorization: bearerOf(source), "content-type": "application/json" },
      body: JSON.stringify(events),
    });
    answers.http.push({ status: response.status, body: (await response.json()) as HttpAnswer["body"] });
  }

  const grpcEvents = on("grpc");
  if (grpcEvents.length > 0) {
    const client = new IngestionServiceClient(platform.grpcAddress.ingestion, credentials.createInsecure());
    try {
      for (const [source, events] of bySource(grpcEvents))
        answers.grpc.push(
          await callUnary(
            client,
            client.publishEvents,
            {
              events: events.map((event) => ({
                id: event.id,
                source: event.source,
                type: event.type,
                specVersion: event.specversion,
                time: event.time,
                subject: "",
                data: event.data,
              })),
            },
            60_000,
            { authorization: bearerOf(source) },
          ),
        );
    } finally {
      client.close();
    }
  }
  return answers;
}

function bySource(events: readonly UpstreamEvent[]): Map<Source, UpstreamEvent[]> {
  const grouped = new Map<Source, UpstreamEvent[]>();
  for (const event of events) grouped.set(event.source, [...(grouped.get(event.source) ?? []), event]);
  return grouped;
}
