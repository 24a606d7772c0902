import { createRequire } from "node:module";
import {
  type CallOptions,
  type Client,
  type ClientDuplexStream,
  credentials,
  loadPackageDefinition,
  Metadata,
  type ServiceClientConstructor,
  status,
} from "@grpc/grpc-js";
import { loadSync } from "@grpc/proto-loader";
import { context, propagation, SpanKind, trace } from "@opentelemetry/api";
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-node";
import { createMetricsRegistry } from "@rapport/telemetry";
import { metricSample, waitFor } from "@rapport/testing";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  bearerToken,
  grpcErrors,
  type RunningGrpcServer,
  serverStream,
  startGrpcServer,
  tracingInterceptor,
  unary,
} from "../src/index.js";

const require = createRequire(import.meta.url);
const healthProto = require.resolve("grpc-health-check/proto/health/v1/health.proto");
type Callback<Response> = (error: Error | null, response: Response) => void;

const reflectionProto = require.resolve("@grpc/reflection/build/proto/grpc/reflection/v1/reflection.proto");

function clientOf(protoPath: string, servicePath: string[]) {
  let node: unknown = loadPackageDefinition(loadSync(protoPath, { keepCase: true, enums: String }));
  for (const name of servicePath) node = (node as Record<string, unknown>)[name];
  return node as ServiceClientConstructor;
}

// A tiny service defined inline, standing for any of Rapport's services.
const echoProto = `${import.meta.dirname}/echo.proto`;

describe("startGrpcServer", () => {
  let server: RunningGrpcServer;
  let address: string;
  const registry = createMetricsRegistry("grpc-test");
  const spanExporter = new InMemorySpanExporter();
  const tracerProvider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spanExporter)] });

  beforeAll(async () => {
    // Global tracer provider, W3C trace-context propagator and async context manager.
    tracerProvider.register();
    const Echo = clientOf(echoProto, ["test", "Echo"]);
    server = await startGrpcServer({
      host: "127.0.0.1",
      port: 0,
      serviceNames: ["test.Echo"],
      registry,
      register: (grpcServer) =>
        grpcServer.addService(Echo.service, {
          say: unary<{ text: string }, { text: string }>(
            "test.Echo/Say",
            pino({ level: "silent" }),
            async (request, call) => {
              if (request.text === "") throw grpcErrors.invalidArgument("text is empty");
              if (request.text === "boom") throw new Error("database password is hunter2");
              return { text: `${request.text} (${bearerToken(call.metadata) ?? "anonymous"})` };
            },
          ),
          spell: serverStream<{ text: string }, { text: string }>(
            "test.Echo/Spell",
            pino({ level: "silent" }),
            async function* (request) {
              if (request.text === "") throw grpcErrors.invalidArgument("text is empty");
              for (const word of request.text.split(" ")) yield { text: word };
            },
          ),
        }),
    });
    address = `127.0.0.1:${server.port}`;
  });

  afterAll(async () => {
    await server.stop(100);
    await tracerProvider.shutdown();
    trace.disable();
    propagation.disable();
    context.disable();
  });

  function say(text: string, options: { token?: string; deadline?: Date } = {}) {
    const Echo = clientOf(echoProto, ["test", "Echo"]);
    const client = new Echo(address, credentials.createInsecure(), {
      interceptors: [tracingInterceptor],
    }) as unknown as Client & {
      say(
        request: { text: string },
        metadata: Metadata,
        options: CallOptions,
        callback: Callback<{ text: string }>,
      ): void;
    };
    const metadata = new Metadata();
    if (options.token) metadata.set("authorization", `Bearer ${options.token}`);
    return new Promise<{ text: string }>((resolve, reject) =>
      client.say(
        { text },
        metadata,
        { deadline: options.deadline ?? Date.now() + 5_000 },
        (error, response) => (error ? reject(error) : resolve(response)),
      ),
    ).finally(() => client.close());
  }

  it("answers calls and reads the bearer token", async () => {
    await expect(say("hello", { token: "k1" })).resolves.toEqual({ text: "hello (k1)" });
  });

  it("maps expected failures to their status with the message", async () => {
    await expect(say("")).rejects.toMatchObject({ code: status.INVALID_ARGUMENT, details: "text is empty" });
  });

  it("answers unexpected failures with INTERNAL and does not leak them", async () => {
    const failure = say("boom");
    await expect(failure).rejects.toMatchObject({ code: status.INTERNAL });
    await expect(failure).rejects.not.toMatchObject({ details: expect.stringContaining("hunter2") });
  });

  it("streams what a streaming handler yields, and ends a failed stream with its status", async () => {
    const Echo = clientOf(echoProto, ["test", "Echo"]);
    const client = new Echo(address, credentials.createInsecure()) as unknown as Client & {
      spell(request: { text: string }): AsyncIterable<{ text: string }>;
    };
    const spell = async (text: string) => {
      const words: string[] = [];
      for await (const message of client.spell({ text })) words.push(message.text);
      return words;
    };
    await expect(spell("one two three")).resolves.toEqual(["one", "two", "three"]);
    await expect(spell("")).rejects.toMatchObject({
      code: status.INVALID_ARGUMENT,
      details: "text is empty",
    });
    client.close();
  });

  it("observes every call in the latency histogram by method and status code", async () => {
    const count = async (method: string, code: string) =>
      metricSample(await registry.metrics(), "rapport_grpc_server_handling_seconds_count", {
        method,
        code,
      }) ?? 0;
    const before = {
      ok: await count("test.Echo/Say", "OK"),
      invalid: await count("test.Echo/Say", "INVALID_ARGUMENT"),
      internal: await count("test.Echo/Say", "INTERNAL"),
    };

    await say("hello");
    await say("again");
    await expect(say("")).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
    await expect(say("boom")).rejects.toMatchObject({ code: status.INTERNAL });

    expect(await count("test.Echo/Say", "OK")).toBe(before.ok + 2);
    expect(await count("test.Echo/Say", "INVALID_ARGUMENT")).toBe(before.invalid + 1);
    expect(await count("test.Echo/Say", "INTERNAL")).toBe(before.internal + 1);
    const exposition = await registry.metrics();
    // The buckets a p99 is computed from: every OK call took at most forever.
    expect(
      metricSample(exposition, "rapport_grpc_server_handling_seconds_bucket", {
        method: "test.Echo/Say",
        code: "OK",
        le: "+Inf",
      }),
    ).toBe(before.ok + 2);
  });

  it("continues the caller's trace: the call's client span is the parent of the server's span", async () => {
    const caller = trace.getTracer("test").startSpan("caller");
    await context.with(trace.setSpan(context.active(), caller), () => say("traced"));
    caller.end();

    const { traceId, spanId: callerSpanId } = caller.spanContext();
    const spansOfTrace = () =>
      spanExporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);
    const clientSpan = await waitFor(
      () => spansOfTrace().find((span) => span.kind === SpanKind.CLIENT && span.name === "test.Echo/Say"),
      { description: "the client span of the call" },
    );
    const serverSpan = await waitFor(
      () => spansOfTrace().find((span) => span.kind === SpanKind.SERVER && span.name === "test.Echo/Say"),
      { description: "the server span of the call" },
    );
    expect(clientSpan.parentSpanContext?.spanId).toBe(callerSpanId);
    expect(serverSpan.parentSpanContext?.spanId).toBe(clientSpan.spanContext().spanId);
  });

  it("reports SERVING on grpc.health.v1 for the server and each service", async () => {
    const Health = clientOf(healthProto, ["grpc", "health", "v1", "Health"]);
    const client = new Health(address, credentials.createInsecure()) as unknown as Client & {
      check(request: { service: string }, callback: Callback<{ status: string }>): void;
    };
    const check = (service: string) =>
      new Promise<{ status: string }>((resolve, reject) =>
        client.check({ service }, (error: Error | null, response: { status: string }) =>
          error ? reject(error) : resolve(response),
        ),
      );
    await expect(check("")).resolves.toEqual({ status: "SERVING" });
    await expect(check("test.Echo")).resolves.toEqual({ status: "SERVING" });
    await expect(check("no.Such")).rejects.toMatchObject({ code: status.NOT_FOUND });
    client.close();
  });

  it("lists Rapport's services through server reflection", async () => {
    const Reflection = clientOf(reflectionProto, ["grpc", "reflection", "v1", "ServerReflection"]);
    const client = new Reflection(address, credentials.createInsecure()) as unknown as Client & {
      serverReflectionInfo(): ClientDuplexStream<
        object,
        { list_services_response: { service: { name: string }[] } }
      >;
    };
    const stream = client.serverReflectionInfo();
    const response = new Promise<{ list_services_response: { service: { name: string }[] } }>(
      (resolve, reject) => {
        stream.on("data", resolve);
        stream.on("error", reject);
      },
    );
    stream.write({ list_services: "" });
    const services = (await response).list_services_response.service.map((service) => service.name);
    stream.end();
    client.close();
    expect(services).toContain("crm.v1.IngestionService");
  });
});
