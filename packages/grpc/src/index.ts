export { callUnary, type UnaryMethod } from "./call-unary.js";
export { tracingInterceptor } from "./client-tracing.js";
export { bearerToken, GrpcError, grpcErrors } from "./errors.js";
export { mapConcurrently } from "./map-concurrently.js";
export { type GrpcServerOptions, type RunningGrpcServer, startGrpcServer } from "./server.js";
export { serverStream, unary } from "./unary.js";
