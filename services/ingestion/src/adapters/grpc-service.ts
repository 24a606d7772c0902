import type { Server } from "@grpc/grpc-js";
import { context } from "@opentelemetry/api";
import { bearerToken, grpcErrors, unary } from "@rapport/grpc";
import {
  type CloudEvent,
  EventOutcome,
  IngestionServiceService,
  type PublishEventsRequest,
  type PublishEventsResponse,
  rejectionReasonFromJSON,
} from "@rapport/proto";
import type { Logger } from "@rapport/telemetry";
import type { FrontDoor, InputResult } from "../front-door.js";

export type IngestionGrpcDependencies = {
  frontDoor: FrontDoor;
  writeKeys: ReadonlyMap<string, string>;
  maxEventsPerRequest: number;
  logger: Logger;
};

/** IngestionService.PublishEvents: the same admission and answers as POST /v1/events. */
export function registerIngestionService(server: Server, deps: IngestionGrpcDependencies): void {
  server.addService(IngestionServiceService, {
    publishEvents: unary<PublishEventsRequest, PublishEventsResponse>(
      "crm.v1.IngestionService/PublishEvents",
      deps.logger,
      async (request, call) => {
        const key = bearerToken(call.metadata);
        const source = key ? deps.writeKeys.get(key) : undefined;
        if (!source)
          throw grpcErrors.unauthenticated(
            "send your source's write key as metadata authorization: Bearer <write key>",
          );
        if (request.events.length === 0) throw grpcErrors.invalidArgument("the request has no events");
        if (request.events.length > deps.maxEventsPerRequest) {
          throw grpcErrors.invalidArgument(
            `the request has ${request.events.length} events; the limit is ${deps.maxEventsPerRequest} per request`,
          );
        }
        const events = request.events.map((event) => {
          const value = cloudEventJson(event);
          return { value, text: JSON.stringify(value) };
        });
        const results = await deps.frontDoor.publishEvents("grpc", source, events, context.active());
        return publishEventsResponse(results);
      },
    ),
  });
}

/** The CloudEvent JSON form of the proto message; empty proto strings are absent attributes. */
function cloudEventJson(event: CloudEvent): Record<string, unknown> {
  const attributes: Record<string, unknown> = { specversion: event.specVersion || "1.0" };
  for (const [name, value] of [
    ["id", event.id],
    ["source", event.source],
    ["type", event.type],
    ["time", event.time],
    ["subject", event.subject],
  ] as const) {
    if (value !== "") attributes[name] = value;
  }
  if (event.data !== undefined) attributes.data = event.data;
  return attributes;
}

function publishEventsResponse(results: readonly InputResult[]): PublishEventsResponse {
  return {
    results: results.map((result) => ({
      index: result.index,
      eventId: result.status === "accepted" ? result.eventId : "",
      outcome:
        result.status === "rejected"
          ? EventOutcome.EVENT_OUTCOME_REJECTED
          : EventOutcome.EVENT_OUTCOME_ACCEPTED,
      reason:
        result.status === "rejected"
          ? rejectionReasonFromJSON(`REJECTION_REASON_${result.reason.toUpperCase()}`)
          : rejectionReasonFromJSON("REJECTION_REASON_UNSPECIFIED"),
      detail: result.status === "rejected" ? result.detail : "",
    })),
    acceptedCount: results.filter((result) => result.status === "accepted").length,
    rejectedCount: results.filter((result) => result.status === "rejected").length,
  };
}
