import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { NodeSDK } from "@opentelemetry/sdk-node";

export type TracingOptions = {
  serviceName: string;
  /** OTLP/HTTP traces endpoint; when absent spans are still created (so trace context flows through
   * Kafka headers and logs carry trace ids) but nothing is exported. */
  otlpTracesEndpoint?: string | undefined;
};

export type Tracing = { shutdown(): Promise<void> };

/** Sets up the OpenTelemetry SDK of one process. Called once, first thing, by each service's main. */
export function startTracing(options: TracingOptions): Tracing {
  const sdk = new NodeSDK({
    serviceName: options.serviceName,
    ...(options.otlpTracesEndpoint
      ? { traceExporter: new OTLPTraceExporter({ url: options.otlpTracesEndpoint }) }
      : { spanProcessors: [] }),
    instrumentations: [],
  });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
}
