import {
  type handleServerStreamingCall,
  type handleUnaryCall,
  type Metadata,
  type ServerErrorResponse,
  type ServerUnaryCall,
  type ServerWritableStream,
  status,
} from "@grpc/grpc-js";
import { context, propagation, type Span, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
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
  return (call, callback) =>
    handle(method, logger, call, () => handler(call.request, call), {
      succeed: (response) => callback(null, response),
      fail: (error) => callback(error),
    });
}

/**
 * A server-streaming handler, with the same trace, deadline and error handling as `unary`: each
 * message the handler yields is written as the client reads (backpressure), and a cancelled call
 * stops the handler at its next message.
 */
export function serverStream<Request, Response>(
  method: string,
  logger: Logger,
  handler: (request: Request) => AsyncIterable<Response>,
): handleServerStreamingCall<Request, Response> {
  return (call: ServerWritableStream<Request, Response>) =>
    handle(
      method,
      logger,
      call,
      async () => {
        for await (const message of handler(call.request)) {
          if (call.cancelled) return;
          if (!call.write(message)) await new Promise((resolve) => call.once("drain", resolve));
        }
      },
      { succeed: () => call.end(), fail: (error) => call.emit("error", error) },
    );
}

function handle<Result>(
  method: string,
  logger: Logger,
  call: { metadata: Metadata; getDeadline(): Date | number },
  run: () => Promise<Result>,
  answer: { succeed: (result: Result) => void; fail: (error: Partial<ServerErrorResponse>) => void },
): void {
  const parent = propagation.extract(context.active(), metadataCarrier(call.metadata));
  const span: Span = tracer.startSpan(
    method,
    { kind: SpanKind.SERVER, attributes: { "rpc.system": "grpc", "rpc.method": method } },
    parent,
  );
  const deadline = call.getDeadline();
  if (deadline instanceof Date && deadline.getTime() <= Date.now()) {
    span.end();
    answer.fail({
      code: status.DEADLINE_EXCEEDED,
      details: "the deadline passed before the call was handled",
    });
    return;
  }
  // The handler and the failure log run in the call's span, so its log lines carry the trace id.
  void context.with(trace.setSpan(parent, span), async () => {
    let result: Result;
    try {
      result = await run();
    } catch (error) {
      const code = error instanceof GrpcError ? error.code : status.INTERNAL;
      span.setAttribute("rpc.grpc.status_code", code);
      if (error instanceof GrpcError) {
        answer.fail({ code, details: error.message });
      } else {
        span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
        logger.error({ err: error, method }, "gRPC handler failed");
        answer.fail({ code, details: "internal error; the service log has the details" });
      }
      span.end();
      return;
    }
    span.setAttribute("rpc.grpc.status_code", status.OK);
    span.end();
    answer.succeed(result);
  });
}

function metadataCarrier(metadata: Metadata): Record<string, string> {
  const carrier: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata.getMap())) {
    if (typeof value === "string") carrier[key] = value;
  }
  return carrier;
}
