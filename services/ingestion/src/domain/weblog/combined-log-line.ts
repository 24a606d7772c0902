import { excerpt } from "./excerpt.js";
import { type LogLineField, readLogLineFields } from "./log-line-fields.js";
import { parseLogTimestamp } from "./log-timestamp.js";
import { describeReferrer } from "./referrer.js";
import { parseRequestLine } from "./request-line.js";
import { type BrowserFamily, classifyUserAgent, type DeviceFamily, type OsFamily } from "./user-agent.js";
import { findVisitorCookie } from "./visitor-cookie.js";

export type WeblogParseOptions = {
  /** Which trailing field (1 = the first field after the user agent) holds the visitor cookie; undefined = none. */
  visitorCookieField?: number;
  /** When that field is a whole Cookie header ("a=1; visitor_id=abc"), the cookie name to take; when the field has no "=", the whole field is the visitor id. */
  visitorCookieName?: string;
  /** Own site hosts: a referrer from these is internal navigation, not an external referrer. A leading dot (".example.com") also matches subdomains. */
  ownHosts: readonly string[];
  /** Path extensions that are static assets ("css", "js", "png"; case and a leading dot do not matter), not page views. */
  staticAssetExtensions: readonly string[];
};

/** One request as the web server logged it, with what can be read from it about the visitor. */
export type WeblogHit = {
  /** UTC ISO-8601 with milliseconds. */
  occurredAt: string;
  clientAddress: string;
  /** Empty, like url, path and protocol, when the logged request was not a request for a page (see "malformed_request"). */
  method: string;
  /** The request target as logged: path and query. */
  url: string;
  /** The percent-decoded path, without query. */
  path: string;
  /** `HTTP/1.1`; empty for HTTP/0.9 and malformed requests. */
  protocol: string;
  statusCode: number;
  /** 0 when the server logged "-" (no body sent). */
  responseBytes: number;
  referrer?: string;
  referrerHost?: string;
  isInternalReferrer: boolean;
  /** The search phrase from a search engine referrer, as one normalised entry; see searchKeywordsFromReferrer. */
  searchKeywords: string[];
  /** Empty when the client sent none (logged as "-"). */
  userAgent: string;
  browserFamily: BrowserFamily;
  osFamily: OsFamily;
  deviceFamily: DeviceFamily;
  visitorCookie?: string;
};

export type WeblogIgnoredReason = "malformed_request" | "bot" | "static_asset";

export type WeblogRejectedReason = "unparseable_log_line" | "invalid_timestamp";

export type WeblogLineResult =
  | { kind: "page_view"; hit: WeblogHit }
  /** A well-formed line that is not a page view: counted, not an error. */
  | { kind: "ignored"; reason: WeblogIgnoredReason; hit: WeblogHit }
  | { kind: "rejected"; reason: WeblogRejectedReason; detail: string };

type Rejection = Extract<WeblogLineResult, { kind: "rejected" }>;

// Fields before the timestamp: %h %l %u. A user name containing spaces makes more of them, which is harmless.
const fieldsBeforeTimestamp = 3;

function unparseable(detail: string): Rejection {
  return { kind: "rejected", reason: "unparseable_log_line", detail };
}

function describeField(field: LogLineField | undefined): string {
  return field === undefined ? "the end of the line" : excerpt(field.text);
}

function staticAssetExtensionOf(path: string): string | undefined {
  const lastSegment = path.slice(path.lastIndexOf("/") + 1);
  const dot = lastSegment.lastIndexOf(".");
  return dot === -1 ? undefined : lastSegment.slice(dot + 1).toLowerCase();
}

function isStaticAsset(path: string, staticAssetExtensions: readonly string[]): boolean {
  const extension = staticAssetExtensionOf(path);
  return (
    extension !== undefined &&
    staticAssetExtensions.some((candidate) => candidate.replace(/^\./, "").toLowerCase() === extension)
  );
}

/**
 * Parses one NCSA combined log line (Apache `%h %l %u %t \"%r\" %>s %b \"%{Referer}i\"
 * \"%{User-agent}i\"`, nginx `combined`), optionally followed by more fields such as a logged
 * cookie, into a page view, an ignored hit, or a rejection saying what was wrong with the line.
 *
 * A line whose request is not a request for a page (nginx's `"-"`, binary from scanners) is
 * still a well-formed record of real traffic, so it is ignored as "malformed_request" rather than
 * rejected; rejection is kept for lines that are not combined log lines at all.
 */
export function parseCombinedLogLine(line: string, options: WeblogParseOptions): WeblogLineResult {
  const trimmed = line.trim();
  if (trimmed === "") return unparseable("The log line is empty.");
  const read = readLogLineFields(trimmed);
  if (!read.ok) return unparseable(read.detail);
  const fields = read.fields;

  const timestampIndex = fields.findIndex((field) => field.delimiter !== "bare");
  const timestampField = fields[timestampIndex];
  if (timestampField?.delimiter !== "bracketed" || timestampIndex < fieldsBeforeTimestamp) {
    return unparseable(
      `Expected client address, identity and user followed by a [timestamp], found ${excerpt(trimmed)}.`,
    );
  }
  const [requestField, statusField, bytesField, referrerField, userAgentField, ...trailingFields] =
    fields.slice(timestampIndex + 1);
  if (requestField?.delimiter !== "quoted") {
    return unparseable(
      `Expected a quoted request after the timestamp, found ${describeField(requestField)}.`,
    );
  }
  if (statusField?.delimiter !== "bare" || !/^\d{3}$/.test(statusField.text)) {
    return unparseable(
      `Expected a three-digit status code after the request, found ${describeField(statusField)}.`,
    );
  }
  if (bytesField?.delimiter !== "bare" || !/^(?:\d+|-)$/.test(bytesField.text)) {
    return unparseable(
      `Expected the response size in bytes (or "-") after the status code, found ${describeField(bytesField)}.`,
    );
  }
  if (referrerField?.delimiter !== "quoted") {
    return unparseable(
      `Expected a quoted referrer after the response size, found ${describeField(referrerField)}.`,
    );
  }
  if (userAgentField?.delimiter !== "quoted") {
    return unparseable(
      `Expected a quoted user agent after the referrer, found ${describeField(userAgentField)}.`,
    );
  }
  const timestamp = parseLogTimestamp(timestampField.text);
  if (!timestamp.ok) return { kind: "rejected", reason: "invalid_timestamp", detail: timestamp.detail };

  const request = parseRequestLine(requestField.text);
  const userAgent = userAgentField.text === "-" ? "" : userAgentField.text;
  const userAgentClass = classifyUserAgent(userAgent);
  const visitorCookie =
    options.visitorCookieField === undefined
      ? undefined
      : findVisitorCookie(trailingFields[options.visitorCookieField - 1]?.text, options.visitorCookieName);
  const hit: WeblogHit = {
    occurredAt: timestamp.occurredAt,
    clientAddress: fields[0]?.text ?? "",
    method: request?.method ?? "",
    url: request?.url ?? "",
    path: request?.path ?? "",
    protocol: request?.protocol ?? "",
    statusCode: Number(statusField.text),
    responseBytes: bytesField.text === "-" ? 0 : Number(bytesField.text),
    ...describeReferrer(referrerField.text, options.ownHosts),
    userAgent,
    ...userAgentClass,
    ...(visitorCookie === undefined ? {} : { visitorCookie }),
  };

  // One reason per hit, most telling first: a crawler's stylesheet fetch is counted as bot traffic.
  if (request === undefined) return { kind: "ignored", reason: "malformed_request", hit };
  if (hit.deviceFamily === "bot") return { kind: "ignored", reason: "bot", hit };
  if (isStaticAsset(hit.path, options.staticAssetExtensions)) {
    return { kind: "ignored", reason: "static_asset", hit };
  }
  return { kind: "page_view", hit };
}
