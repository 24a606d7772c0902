import { type handleUnaryCall, type Metadata, type ServerUnaryCall, status } from "@grpc/grpc-js";
import { context, propagation, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import type { Logger } from "@rapport/telemetry";
import { GrpcError } from "./errors.js";

const tracer = trace.getTracer("@rapport/grpc");

/**
 * Adapts an async handler to grpc-js: continues the caller's trace, refuses calls whose deadline has
 * passed, answers expected failures (GrpcError) with their status, and anything unexpected with
 * INTERNAL without leaking internals (it is logged instead).
 */
export function unary<Request, Response>(
  method: string,
  logger: Logger,
  handler: (request: Request, call: ServerUnaryCall<Request, Response>) => Promise<Response>,
): handleUnaryCall<Request, Response> {
  return (call, callback) => {
    const parent = propagation.extract(context.active(), metadataCarrier(call.metadata));
    const span = tracer.startSpan(
      method,
      { kind: SpanKind.SERVER, attributes: { "rpc.system": "grpc", "rpc.method": method } },
      parent,
    );
    const deadline = call.getDeadline();
    if (deadline instanceof Date && deadline.getTime() <= Date.now()) {
      span.end();
      callback({
        code: status.DEADLINE_EXCEEDED,
        details: "the deadline passed before the call was handled",
      });
      return;
    }
    context
      .with(trace.setSpan(parent, span), () => handler(call.request, call))
      .then(
        (response) => callback(null, response),
        (error: unknown) => {
          if (error instanceof GrpcError) {
            span.setAttribute("rpc.grpc.status_code", error.code);
            callback({ code: error.code, details: error.message });
            return;
          }
          span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
          logger.error({ err: error, method }, "gRPC handler failed");
          callback({ code: status.INTERNAL, details: "internal error; the service log has the details" });
        },
      )
      .finally(() => span.end());
  };
}

function metadataCarrier(metadata: Metadata): Record<string, string> {
  const carrier: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata.getMap())) {
    if (typeof value === "string") carrier[key] = value;
  }
  return carrier;
}
