import { type Context, propagation, ROOT_CONTEXT } from "@opentelemetry/api";
import type { IHeaders } from "kafkajs";

/** W3C trace context (traceparent, tracestate) of `context` as Kafka headers. */
export function traceHeaders(context: Context): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(context, carrier);
  return carrier;
}

/** The trace context a Kafka message carries, or the root context when it carries none. */
export function extractTraceContext(headers: Record<string, string>): Context {
  return propagation.extract(ROOT_CONTEXT, headers);
}

/** Kafka headers as strings (kafkajs gives Buffers, arrays for repeated headers: the last one wins). */
export function decodeHeaders(headers: IHeaders | undefined): Record<string, string> {
  const decoded: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const last = Array.isArray(value) ? value.at(-1) : value;
    if (last !== undefined) decoded[name] = last.toString();
  }
  return decoded;
}
