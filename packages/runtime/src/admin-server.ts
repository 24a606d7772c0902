import { createServer } from "node:http";
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

/** The admin endpoints on their own HTTP port, for services with no HTTP API of their own. */
export function startAdminServer(
  options: AdminEndpoints & { host: string; port: number },
): Promise<AdminServer> {
  const server = createServer(async (request, response) => {
    const path = new URL(request.url ?? "/", "http://admin").pathname;
    const answer = request.method === "GET" ? await adminResponse(path, options) : undefined;
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
