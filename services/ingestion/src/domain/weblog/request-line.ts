import { decodePercentEscapes } from "./percent-decoding.js";

/** The request line of an access-log entry (`%r`): `GET /products?id=7 HTTP/1.1`. */
export type RequestLine = {
  method: string;
  /** The request target as logged: path and query (or an absolute URL, for requests sent as to a proxy). */
  url: string;
  /** The percent-decoded path, without query or fragment. */
  path: string;
  /** `HTTP/1.1`; empty for HTTP/0.9 requests, which name no protocol. */
  protocol: string;
};

// Methods are case-sensitive tokens; every real one (GET, M-SEARCH, VERSION-CONTROL) is upper-case.
const methodShape = /^[A-Z][A-Z_-]*$/;
const protocolShape = /^HTTP\/\d+(?:\.\d+)?$/;
const absoluteTargetShape = /^https?:\/\/[^/?#]*/i;

function pathOf(target: string): string {
  const originForm = target.replace(absoluteTargetShape, "");
  const pathEnd = originForm.search(/[?#]/);
  const rawPath = pathEnd === -1 ? originForm : originForm.slice(0, pathEnd);
  return decodePercentEscapes(rawPath === "" ? "/" : rawPath);
}

/**
 * Parses `%r`, or returns undefined when it is not a request for a resource: nginx logs `-` for a
 * connection closed before any request, scanners send binary (TLS handshakes to the plain port),
 * and CONNECT or `OPTIONS *` name no page. A target containing spaces is kept whole, because some
 * clients send them unencoded and the server logs them as received.
 */
export function parseRequestLine(request: string): RequestLine | undefined {
  const words = request.split(" ");
  const method = words[0] ?? "";
  const last = words.at(-1) ?? "";
  const hasProtocol = words.length > 2 && protocolShape.test(last);
  const url = words
    .slice(1, hasProtocol ? -1 : undefined)
    .join(" ")
    .trim();
  const isResourceTarget = url.startsWith("/") || absoluteTargetShape.test(url);
  if (!methodShape.test(method) || !isResourceTarget) return undefined;
  return { method, url, path: pathOf(url), protocol: hasProtocol ? last : "" };
}
