import { Server as GrpcServer, type Server, ServerCredentials } from "@grpc/grpc-js";
import { loadFileDescriptorSetFromBuffer } from "@grpc/proto-loader";
import { ReflectionService } from "@grpc/reflection";
import { descriptorSetBase64 } from "@rapport/proto";
import type { Registry } from "@rapport/telemetry";
import { HealthImplementation } from "grpc-health-check";
import { callLatencyInterceptor } from "./server-metrics.js";

export type GrpcServerOptions = {
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** Fully qualified names of the services registered, for health checks, e.g. crm.v1.IngestionService. */
  serviceNames: readonly string[];
  register(server: Server): void;
  /** The service's metrics registry: every call is observed in `rapport_grpc_server_handling_seconds`. */
  registry: Registry;
};

export type RunningGrpcServer = {
  port: number;
  health: HealthImplementation;
  /** Stops taking calls, lets calls in flight finish for up to the grace period, then cuts them off. */
  stop(graceMs?: number): Promise<void>;
};

/** A gRPC server with the service's handlers, grpc.health.v1, server reflection and call latency metrics. */
export async function startGrpcServer(options: GrpcServerOptions): Promise<RunningGrpcServer> {
  const server = new GrpcServer({ interceptors: [callLatencyInterceptor(options.registry)] });
  options.register(server);
  const health = new HealthImplementation(
    Object.fromEntries([["", "SERVING"], ...options.serviceNames.map((name) => [name, "SERVING"])]),
  );
  health.addToServer(server);
  new ReflectionService(
    loadFileDescriptorSetFromBuffer(Buffer.from(descriptorSetBase64, "base64")),
  ).addToServer(server);

  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(
      `${options.host}:${options.port}`,
      ServerCredentials.createInsecure(),
      (error, boundPort) =>
        error
          ? reject(new Error(`cannot listen for gRPC on ${options.host}:${options.port}: ${error.message}`))
          : resolve(boundPort),
    );
  });

  return {
    port,
    health,
    stop(graceMs = 5_000) {
      for (const name of ["", ...options.serviceNames]) health.setStatus(name, "NOT_SERVING");
      return new Promise<void>((resolve) => {
        const forced = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, graceMs);
        server.tryShutdown(() => {
          clearTimeout(forced);
          resolve();
        });
      });
    },
  };
}
