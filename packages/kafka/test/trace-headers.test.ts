import {
  context,
  createTraceState,
  propagation,
  ROOT_CONTEXT,
  type SpanContext,
  TraceFlags,
  trace,
} from "@opentelemetry/api";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeHeaders, extractTraceContext, traceHeaders } from "../src/trace-headers.js";

describe("decodeHeaders", () => {
  it("decodes Buffer and string header values as UTF-8 strings", () => {
    expect(
      decodeHeaders({ "ce-id": Buffer.from("shop:o-1"), "ce-source": "shop", emoji: Buffer.from("☕") }),
    ).toEqual({ "ce-id": "shop:o-1", "ce-source": "shop", emoji: "☕" });
  });

  it("keeps the last value of a repeated header", () => {
    expect(decodeHeaders({ traceparent: [Buffer.from("first"), "second", Buffer.from("last")] })).toEqual({
      traceparent: "last",
    });
  });

  it("leaves out headers without a value", () => {
    expect(decodeHeaders({ present: "yes", absent: undefined, empty: [] })).toEqual({ present: "yes" });
  });

  it("decodes a record without headers as no headers", () => {
    expect(decodeHeaders(undefined)).toEqual({});
    expect(decodeHeaders({})).toEqual({});
  });
});

describe("traceHeaders and extractTraceContext with the W3C propagator", () => {
  const provider = new NodeTracerProvider();
  // register() installs the W3C trace-context (and baggage) propagator globally.
  beforeAll(() => provider.register());
  afterAll(async () => {
    await provider.shutdown();
    trace.disable();
    propagation.disable();
    context.disable();
  });

  const spanContext: SpanContext = {
    traceId: "0af7651916cd43dd8448eb211c80319c",
    spanId: "b7ad6b7169203331",
    traceFlags: TraceFlags.SAMPLED,
    traceState: createTraceState("rapport=ingestion,vendor=x"),
  };

  it("writes a context's span as traceparent and tracestate headers", () => {
    const headers = traceHeaders(trace.setSpanContext(ROOT_CONTEXT, spanContext));

    expect(headers).toEqual({
      traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
      tracestate: "rapport=ingestion,vendor=x",
    });
  });

  it("reads back the same trace, span, flags and state, as a remote parent", () => {
    const headers = traceHeaders(trace.setSpanContext(ROOT_CONTEXT, spanContext));

    const extracted = trace.getSpanContext(extractTraceContext(headers));

    expect(extracted).toMatchObject({
      traceId: spanContext.traceId,
      spanId: spanContext.spanId,
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
    });
    expect(extracted?.traceState?.serialize()).toBe("rapport=ingestion,vendor=x");
  });

  it("reads the decoded headers of a Kafka record", () => {
    const headers = decodeHeaders({
      traceparent: Buffer.from("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"),
    });

    expect(trace.getSpanContext(extractTraceContext(headers))).toMatchObject({
      traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
      spanId: "00f067aa0ba902b7",
      traceFlags: TraceFlags.NONE,
    });
  });

  it("gives the root context for a record without trace headers or with a malformed traceparent", () => {
    expect(trace.getSpanContext(extractTraceContext({}))).toBeUndefined();
    expect(trace.getSpanContext(extractTraceContext({ traceparent: "not-a-traceparent" }))).toBeUndefined();
  });

  it("writes no headers for a context without a span", () => {
    expect(traceHeaders(ROOT_CONTEXT)).toEqual({});
  });
});
