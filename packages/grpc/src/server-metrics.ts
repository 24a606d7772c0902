import { ServerInterceptingCall, type ServerInterceptor, status } from "@grpc/grpc-js";
import { Histogram, type Registry } from "@rapport/telemetry";

/**
 * Observes every call the server answers (the service's methods, health checks and reflection
 * alike) in a latency histogram by method and status code: p99 per method from its buckets, the
 * error rate from the counts of codes other than OK.
 */
export function callLatencyInterceptor(registry: Registry): ServerInterceptor {
  const latency = new Histogram({
    name: "rapport_grpc_server_handling_seconds",
    help: "Time from a gRPC call's arrival to its status, by method (crm.v1.CustomerService/GetCustomer) and status code (OK, NOT_FOUND, ...)",
    labelNames: ["method", "code"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return (methodDescriptor, call) => {
    const method = methodDescriptor.path.replace(/^\//, "");
    const endTimer = latency.startTimer({ method });
    let observed = false;
    const observe = (code: status) => {
      if (observed) return;
      observed = true;
      endTimer({ code: status[code] ?? String(code) });
    };
    return new ServerInterceptingCall(call, {
      start: (next) =>
        next({
          // Called when the stream closes, also after a status was sent: then it was observed already.
          // Without one, the caller went away, or the server's deadline timer answered for the handler.
          onCancel: () => {
            const deadline = call.getDeadline();
            const deadlineMs = deadline instanceof Date ? deadline.getTime() : deadline;
            observe(deadlineMs <= Date.now() ? status.DEADLINE_EXCEEDED : status.CANCELLED);
          },
        }),
      sendStatus: (statusObject, next) => {
        observe(statusObject.code ?? status.UNKNOWN);
        next(statusObject);
      },
    });
  };
}
