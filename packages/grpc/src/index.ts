export { bearerToken, GrpcError, grpcErrors } from "./errors.js";
export { type GrpcServerOptions, type RunningGrpcServer, startGrpcServer } from "./server.js";
export { unary } from "./unary.js";
