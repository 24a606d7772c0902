import { InterceptingCall, type Interceptor, type Metadata, status } from "@grpc/grpc-js";
import { context, propagation, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";

const tracer = trace.getTracer("@rapport/grpc");

const metadataSetter = { set: (metadata: Metadata, key: string, value: string) => metadata.set(key, value) };

/**
 * A client interceptor that makes each call a span of the caller's active trace and sends its
 * W3C trace context (traceparent, tracestate) in the call's metadata, so the server's span of the
 * call is its child: `new CustomerServiceClient(address, credentials, { interceptors: [tracingInterceptor] })`.
 */
export const tracingInterceptor: Interceptor = (options, nextCall) => {
  const method = options.method_definition.path.replace(/^\//, "");
  // The caller's context is active now, while it makes the call; later callbacks may run elsewhere.
  const span = tracer.startSpan(method, {
    kind: SpanKind.CLIENT,
    attributes: { "rpc.system": "grpc", "rpc.method": method },
  });
  const callContext = trace.setSpan(context.active(), span);
  return new InterceptingCall(nextCall(options), {
    start(metadata, _listener, next) {
      propagation.inject(callContext, metadata, metadataSetter);
      next(metadata, {
        onReceiveStatus(statusObject, nextStatus) {
          span.setAttribute("rpc.grpc.status_code", statusObject.code);
          if (statusObject.code !== status.OK)
            span.setStatus({ code: SpanStatusCode.ERROR, message: statusObject.details });
          span.end();
          nextStatus(statusObject);
        },
      });
    },
  });
};
