import { createServer } from "node:http";
import { gunzipSync } from "node:zlib";

/** A span as an OTLP/HTTP JSON export carries it, with its resource's service.name. */
export type ReceivedSpan = {
  serviceName: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
};

export type OtlpReceiver = {
  /** The traces endpoint to give OTEL_EXPORTER_OTLP_TRACES_ENDPOINT. */
  tracesUrl: string;
  spans(): readonly ReceivedSpan[];
  close(): Promise<void>;
};

type ExportTraceServiceRequest = {
  resourceSpans?: {
    resource?: { attributes?: { key: string; value?: { stringValue?: string } }[] };
    scopeSpans?: { spans?: { traceId: string; spanId: string; parentSpanId?: string; name: string }[] }[];
  }[];
};

/**
 * The smallest OpenTelemetry collector a test needs: it accepts POST /v1/traces as
 * @opentelemetry/exporter-trace-otlp-http sends it (JSON, ids in hex, gzip when compression is
 * configured) and keeps the spans.
 */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const received: ReceivedSpan[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      if (request.method !== "POST" || request.url !== "/v1/traces") {
        response.writeHead(404).end();
        return;
      }
      try {
        const body = Buffer.concat(chunks);
        const json = request.headers["content-encoding"] === "gzip" ? gunzipSync(body) : body;
        received.push(...spansOf(JSON.parse(json.toString("utf8")) as ExportTraceServiceRequest));
        response.writeHead(200, { "content-type": "application/json" }).end("{}");
      } catch (error) {
        response.writeHead(400).end(String(error));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    tracesUrl: `http://127.0.0.1:${port}/v1/traces`,
    spans: () => received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function spansOf(request: ExportTraceServiceRequest): ReceivedSpan[] {
  return (request.resourceSpans ?? []).flatMap((resourceSpans) => {
    const serviceName =
      resourceSpans.resource?.attributes?.find((attribute) => attribute.key === "service.name")?.value
        ?.stringValue ?? "";
    return (resourceSpans.scopeSpans ?? []).flatMap((scope) =>
      (scope.spans ?? []).map((span) => ({
        serviceName,
        traceId: span.traceId,
        spanId: span.spanId,
        parentSpanId: span.parentSpanId ?? "",
        name: span.name,
      })),
    );
  });
}
