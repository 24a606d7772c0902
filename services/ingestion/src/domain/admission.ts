import {
  type CustomerEvent,
  canonicalJson,
  createDataValidator,
  type Identifier,
  type IdentifierRules,
  isEventType,
  normaliseEventData,
  normaliseEventTime,
  normaliseIdentifiers,
  type RejectionReason,
} from "@rapport/events";
import { eventIdOf } from "./event-id.js";
import { pageViewedEvent } from "./page-view.js";
import {
  parseCombinedLogLine,
  type WeblogIgnoredReason,
  type WeblogParseOptions,
} from "./weblog/combined-log-line.js";

export type AdmissionRules = IdentifierRules & {
  maxEventBytes: number;
  maxFutureSkewMs: number;
  weblog: WeblogParseOptions;
};

/** Where an input came from, as far as admission cares. */
export type AdmissionContext = {
  /** The source a caller authenticated as (write key) or that a trusted front door vouched for. */
  authenticatedSource?: string | undefined;
  /** The source assumed when neither authentication nor the event names one: the raw lane. */
  fallbackSource: string;
  /** Time of receipt, for the future-timestamp rule. */
  now: Date;
};

export type AdmissionResult =
  | { kind: "accepted"; event: CustomerEvent }
  | { kind: "ignored"; reason: WeblogIgnoredReason }
  | { kind: "rejected"; reason: RejectionReason; detail: string };

const knownAttributes = new Set([
  "specversion",
  "id",
  "source",
  "type",
  "time",
  "subject",
  "datacontenttype",
  "dataschema",
  "data",
]);
// CloudEvents extension attribute names: lower-case letters and digits.
const extensionName = /^[a-z0-9]{1,20}$/;

export type Admission = ReturnType<typeof createAdmission>;

/**
 * Decides what becomes of one input: an accepted event in its canonical form, an ignored web hit, or
 * a rejection with a machine-readable reason and a sentence for people. Pure apart from a compiled
 * schema cache: the same input and context give the same result, including the event id.
 */
export function createAdmission(rules: AdmissionRules) {
  const validateData = createDataValidator();

  const reject = (reason: RejectionReason, detail: string): AdmissionResult => ({
    kind: "rejected",
    reason,
    detail,
  });

  function admitCloudEvent(input: unknown, sizeBytes: number, context: AdmissionContext): AdmissionResult {
    if (sizeBytes > rules.maxEventBytes) {
      return reject(
        "oversized",
        `the event is ${sizeBytes} bytes; the limit is ${rules.maxEventBytes} bytes`,
      );
    }
    if (input === null || typeof input !== "object" || Array.isArray(input)) {
      return reject("unparseable", "an event must be a JSON object (a CloudEvent in structured mode)");
    }
    const event = input as Record<string, unknown>;
    if (event.specversion !== "1.0") {
      return reject(
        "schema_violation",
        `specversion must be "1.0" (CloudEvents 1.0), got ${JSON.stringify(event.specversion)}`,
      );
    }
    if (!isEventType(event.type)) {
      return reject(
        "unknown_type",
        `type ${JSON.stringify(event.type)} is not a Rapport event type; see docs/schemas`,
      );
    }
    const envelopeProblem = checkEnvelope(event);
    if (envelopeProblem) return reject("schema_violation", envelopeProblem);
    const source = sourceOf(event, context);
    if (!source.ok) return reject("source_mismatch", source.detail);

    const time = normaliseEventTime(event.time, { now: context.now, maxFutureSkewMs: rules.maxFutureSkewMs });
    if (!time.ok) return reject(time.reason, time.detail);

    const identifiers = identifiersOf(event.data);
    if (identifiers.length === 0) {
      return reject(
        "missing_identifier",
        "data.customer.identifiers names no identifier; give at least one of customer_number, email, phone, loyalty_card, device_id, cookie_id",
      );
    }
    const validation = validateData(event.type, event.data);
    if (!validation.ok) return reject("schema_violation", validation.problems.join("; "));
    const data = normaliseEventData(event.type, event.data as Record<string, unknown>);
    if (!data.ok) return reject("schema_violation", data.problems.join("; "));
    const customer = data.data.customer as CustomerEvent["data"]["customer"];
    const normalisedIdentifiers = normaliseIdentifiers(customer.identifiers, rules);
    if (!normalisedIdentifiers.ok) return reject(normalisedIdentifiers.reason, normalisedIdentifiers.detail);

    const content = {
      type: event.type,
      time: time.time,
      ...(typeof event.subject === "string" ? { subject: event.subject } : {}),
      data: { ...data.data, customer: { ...customer, identifiers: normalisedIdentifiers.identifiers } },
    };
    const upstreamId = typeof event.id === "string" ? event.id : undefined;
    return {
      kind: "accepted",
      event: {
        specversion: "1.0",
        id: eventIdOf(source.source, upstreamId, canonicalJson(content)),
        source: source.source,
        datacontenttype: "application/json",
        ...extensionsOf(event),
        ...content,
      },
    };
  }

  function admitLogLine(line: string, context: AdmissionContext): AdmissionResult {
    const sizeBytes = Buffer.byteLength(line);
    if (sizeBytes > rules.maxEventBytes) {
      return reject(
        "oversized",
        `the log line is ${sizeBytes} bytes; the limit is ${rules.maxEventBytes} bytes`,
      );
    }
    const parsed = parseCombinedLogLine(line, rules.weblog);
    switch (parsed.kind) {
      case "rejected":
        return reject(
          parsed.reason === "invalid_timestamp" ? "invalid_timestamp" : "unparseable",
          parsed.detail,
        );
      case "ignored":
        return { kind: "ignored", reason: parsed.reason };
      case "page_view": {
        // The line itself is the upstream record: its hash is the id, so a re-shipped line is appended once.
        const source = context.authenticatedSource ?? context.fallbackSource;
        const admitted = admitCloudEvent(
          {
            ...pageViewedEvent(parsed.hit),
            id: eventIdOf(source, undefined, line.trim()).slice(source.length + 1),
          },
          sizeBytes,
          { ...context, authenticatedSource: source },
        );
        return admitted;
      }
      default: {
        const unhandled: never = parsed;
        return unhandled;
      }
    }
  }

  return { admitCloudEvent, admitLogLine };
}

function checkEnvelope(event: Record<string, unknown>): string | undefined {
  for (const attribute of ["id", "source", "subject"] as const) {
    const value = event[attribute];
    if (value !== undefined && (typeof value !== "string" || value === "" || value.length > 256)) {
      return `${attribute} must be a non-empty string of at most 256 characters`;
    }
  }
  if (event.datacontenttype !== undefined && event.datacontenttype !== "application/json") {
    return `datacontenttype must be application/json, got ${JSON.stringify(event.datacontenttype)}`;
  }
  if (event.data === null || typeof event.data !== "object" || Array.isArray(event.data)) {
    return "data must be a JSON object";
  }
  return undefined;
}

function sourceOf(
  event: Record<string, unknown>,
  context: AdmissionContext,
): { ok: true; source: string } | { ok: false; detail: string } {
  const claimed = typeof event.source === "string" ? event.source : undefined;
  if (context.authenticatedSource !== undefined) {
    if (claimed !== undefined && claimed !== context.authenticatedSource) {
      return {
        ok: false,
        detail: `the event says source ${JSON.stringify(claimed)} but the write key belongs to ${JSON.stringify(context.authenticatedSource)}`,
      };
    }
    return { ok: true, source: context.authenticatedSource };
  }
  return { ok: true, source: claimed ?? context.fallbackSource };
}

function identifiersOf(data: unknown): Identifier[] {
  const customer = (data as { customer?: { identifiers?: unknown } }).customer;
  return Array.isArray(customer?.identifiers) ? (customer.identifiers as Identifier[]) : [];
}

function extensionsOf(event: Record<string, unknown>): Record<string, string | number | boolean> {
  const extensions: Record<string, string | number | boolean> = {};
  for (const [name, value] of Object.entries(event)) {
    if (knownAttributes.has(name) || !extensionName.test(name)) continue;
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean")
      extensions[name] = value;
  }
  return extensions;
}
