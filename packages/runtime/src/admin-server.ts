import { createServer, type IncomingMessage } from "node:http";
import { context, propagation, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import type { Registry } from "@rapport/telemetry";

export type AdminEndpoints = { registry: Registry; isReady: () => boolean };

export type AdminResponse = { status: number; contentType: string; body: string };

/**
 * The admin endpoints every service answers: /healthz (the process is up), /readyz (it does its
 * work: consuming, serving) and /metrics (Prometheus). Undefined for any other path.
 */
export async function adminResponse(
  path: string,
  endpoints: AdminEndpoints,
): Promise<AdminResponse | undefined> {
  const json = (status: number, body: unknown) => ({
    status,
    contentType: "application/json",
    body: JSON.stringify(body),
  });
  switch (path) {
    case "/healthz":
      return json(200, { status: "ok" });
    case "/readyz":
      return endpoints.isReady() ? json(200, { status: "ready" }) : json(503, { status: "starting" });
    case "/metrics":
      return {
        status: 200,
        contentType: endpoints.registry.contentType,
        body: await endpoints.registry.metrics(),
      };
    default:
      return undefined;
  }
}

export type AdminServer = { port: number; stop(): Promise<void> };

/** A service's own small HTTP endpoint beside the admin ones: undefined when it is not for it. */
export type AdminRoute = (request: { method: string; url: URL }) => Promise<AdminResponse | undefined>;

/**
 * The admin endpoints on their own HTTP port, for services with no HTTP API of their own, and the
 * service's `route` (for the offer service, the unsubscribe link) when it has one.
 */
export function startAdminServer(
  options: AdminEndpoints & { host: string; port: number; route?: AdminRoute },
): Promise<AdminServer> {
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://admin");
    const method = request.method ?? "GET";
    const answer =
      (method === "GET" ? await adminResponse(url.pathname, options) : undefined) ??
      (options.route ? await tracedRoute(options.route, request, { method, url }) : undefined);
    if (answer === undefined) {
      response.writeHead(404, { "content-type": "application/json" }).end('{"error":"not found"}');
      return;
    }
    response.writeHead(answer.status, { "content-type": answer.contentType }).end(answer.body);
  });
  return new Promise((resolve, reject) => {
    server.once("error", (error) =>
      reject(new Error(`cannot listen for HTTP on ${options.host}:${options.port}: ${error.message}`)),
    );
    server.listen(options.port, options.host, () => {
      const address = server.address();
      resolve({
        port: typeof address === "object" && address ? address.port : options.port,
        stop: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

const tracer = trace.getTracer("@rapport/runtime");

/**
 * Answers a request from the service's route in a server span continuing the caller's trace (W3C
 * traceparent header), so that what the route writes joins it. The span is named after the path
 * only when the route answered it, so that scanners' paths do not become span names.
 */
async function tracedRoute(
  route: AdminRoute,
  request: IncomingMessage,
  { method, url }: { method: string; url: URL },
): Promise<AdminResponse | undefined> {
  const parent = propagation.extract(context.active(), request.headers);
  const span = tracer.startSpan(
    method,
    { kind: SpanKind.SERVER, attributes: { "http.request.method": method, "url.path": url.pathname } },
    parent,
  );
  const answer = await context.with(trace.setSpan(parent, span), () =>
    route({ method, url }).catch((error: unknown): AdminResponse => {
      span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
      return {
        status: 500,
        contentType: "application/json",
        body: '{"error":"internal error; the service log has the details"}',
      };
    }),
  );
  if (answer !== undefined) {
    span.updateName(`${method} ${url.pathname}`);
    span.setAttribute("http.response.status_code", answer.status);
    if (answer.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
  return answer;
}
