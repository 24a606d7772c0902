import type { Server } from "node:http";
import { context, propagation, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { adminResponse } from "@rapport/runtime";
import type { Logger, Registry } from "@rapport/telemetry";
import express, { type NextFunction, type Request, type Response } from "express";
import type { FrontDoor, InputResult } from "../front-door.js";

export type HttpLimits = { maxRequestBytes: number; maxEventsPerRequest: number };

export type HttpServerDependencies = {
  frontDoor: FrontDoor;
  /** write key → source */
  writeKeys: ReadonlyMap<string, string>;
  limits: HttpLimits;
  registry: Registry;
  isReady: () => boolean;
  logger: Logger;
};

const tracer = trace.getTracer("@rapport/ingestion");

type Problem = { status: number; title: string; detail: string };

function sendProblem(response: Response, problem: Problem, headers: Record<string, string> = {}) {
  response
    .status(problem.status)
    .set({ "content-type": "application/problem+json", ...headers })
    .send(JSON.stringify({ type: "about:blank", ...problem }));
}

/** 202 when everything was taken, 400 when nothing was, 207 when the batch was split. */
function statusOf(results: readonly InputResult[]): number {
  const rejected = results.filter((result) => result.status === "rejected").length;
  if (rejected === 0) return 202;
  return rejected === results.length ? 400 : 207;
}

function summary(results: readonly InputResult[]) {
  const count = (status: InputResult["status"]) =>
    results.filter((result) => result.status === status).length;
  return { accepted: count("accepted"), ignored: count("ignored"), rejected: count("rejected"), results };
}

/** The HTTP front door (POST /v1/events, POST /v1/weblogs) and the admin endpoints. */
export function createHttpApp(deps: HttpServerDependencies) {
  const app = express();
  app.disable("x-powered-by");

  app.get(["/healthz", "/readyz", "/metrics"], async (request, response, next) => {
    const answer = await adminResponse(request.path, deps);
    if (answer === undefined) return next();
    response.status(answer.status).type(answer.contentType).send(answer.body);
  });

  /** The request's server span, continuing the caller's trace (W3C traceparent header). */
  const traced = (request: Request, response: Response, next: NextFunction) => {
    const parent = propagation.extract(context.active(), request.headers);
    const span = tracer.startSpan(
      `${request.method} ${request.path}`,
      {
        kind: SpanKind.SERVER,
        attributes: { "http.request.method": request.method, "url.path": request.path },
      },
      parent,
    );
    response.on("finish", () => {
      span.setAttribute("http.response.status_code", response.statusCode);
      if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(trace.setSpan(parent, span), next);
  };

  const authenticated = (request: Request, response: Response, next: NextFunction) => {
    const match = /^Bearer\s+(\S+)$/i.exec(request.get("authorization")?.trim() ?? "");
    const source = match?.[1] ? deps.writeKeys.get(match[1]) : undefined;
    if (!source) {
      sendProblem(
        response,
        {
          status: 401,
          title: "Unauthorized",
          detail: "send your source's write key as Authorization: Bearer <write key>",
        },
        { "www-authenticate": 'Bearer realm="rapport-ingestion"' },
      );
      return;
    }
    response.locals.source = source;
    next();
  };

  /** Answers 413 when a request carries more inputs than one request may. */
  const isOverCount = (response: Response, count: number, what: "events" | "lines") => {
    if (count <= deps.limits.maxEventsPerRequest) return false;
    sendProblem(response, {
      status: 413,
      title: "Content Too Large",
      detail: `the request has ${count} ${what}; the limit is ${deps.limits.maxEventsPerRequest} per request`,
    });
    return true;
  };

  const jsonBody = express.json({
    limit: deps.limits.maxRequestBytes,
    type: ["application/json", "application/cloudevents+json", "application/cloudevents-batch+json"],
  });
  const textBody = express.text({ limit: deps.limits.maxRequestBytes, type: "text/plain" });

  app.post("/v1/events", traced, authenticated, jsonBody, async (request, response) => {
    const body: unknown = request.body;
    if (body === undefined) {
      sendProblem(response, {
        status: 415,
        title: "Unsupported Media Type",
        detail: "send a JSON CloudEvent or an array of them with Content-Type: application/json",
      });
      return;
    }
    const events = Array.isArray(body) ? body : [body];
    if (isOverCount(response, events.length, "events")) return;
    const results = await deps.frontDoor.publishEvents(
      "http",
      response.locals.source as string,
      events.map((value: unknown) => ({ value, text: JSON.stringify(value) })),
      context.active(),
    );
    response.status(statusOf(results)).json(summary(results));
  });

  app.post("/v1/weblogs", traced, authenticated, textBody, async (request, response) => {
    if (typeof request.body !== "string") {
      sendProblem(response, {
        status: 415,
        title: "Unsupported Media Type",
        detail: "send access-log lines with Content-Type: text/plain",
      });
      return;
    }
    const lines = request.body.split(/\r?\n/).filter((line) => line.trim() !== "");
    if (isOverCount(response, lines.length, "lines")) return;
    const results = await deps.frontDoor.publishLogLines(
      "http",
      response.locals.source as string,
      lines,
      context.active(),
    );
    response.status(statusOf(results)).json(summary(results));
  });

  app.use(
    (
      error: Error & { type?: string; status?: number },
      _request: Request,
      response: Response,
      _next: NextFunction,
    ) => {
      if (error.type === "entity.too.large") {
        sendProblem(response, {
          status: 413,
          title: "Content Too Large",
          detail: `the request body is larger than ${deps.limits.maxRequestBytes} bytes; split the batch`,
        });
      } else if (error.type === "entity.parse.failed") {
        sendProblem(response, {
          status: 400,
          title: "Bad Request",
          detail: `the body is not valid JSON: ${error.message}`,
        });
      } else if (error.status && error.status < 500) {
        sendProblem(response, { status: error.status, title: "Bad Request", detail: error.message });
      } else {
        deps.logger.error({ err: error }, "HTTP request failed");
        sendProblem(response, {
          status: 503,
          title: "Service Unavailable",
          detail: "the event log could not be written; retry later",
        });
      }
    },
  );

  return app;
}

export async function listen(
  app: ReturnType<typeof createHttpApp>,
  host: string,
  port: number,
): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (error?: Error) =>
      error
        ? reject(new Error(`cannot listen for HTTP on ${host}:${port}: ${error.message}`))
        : resolve(server),
    );
  });
}
