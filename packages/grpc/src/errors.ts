import { type Metadata, status } from "@grpc/grpc-js";

/** An expected failure, answered with its status code and a readable message. */
export class GrpcError extends Error {
  override readonly name = "GrpcError";
  constructor(
    readonly code: status,
    message: string,
  ) {
    super(message);
  }
}

export const grpcErrors = {
  invalidArgument: (message: string) => new GrpcError(status.INVALID_ARGUMENT, message),
  notFound: (message: string) => new GrpcError(status.NOT_FOUND, message),
  alreadyExists: (message: string) => new GrpcError(status.ALREADY_EXISTS, message),
  failedPrecondition: (message: string) => new GrpcError(status.FAILED_PRECONDITION, message),
  unauthenticated: (message: string) => new GrpcError(status.UNAUTHENTICATED, message),
  unavailable: (message: string) => new GrpcError(status.UNAVAILABLE, message),
  deadlineExceeded: (message: string) => new GrpcError(status.DEADLINE_EXCEEDED, message),
};

/** The bearer token of the `authorization` metadata, if any. */
export function bearerToken(metadata: Metadata): string | undefined {
  const [header] = metadata.get("authorization");
  const match = typeof header === "string" ? /^Bearer\s+(\S+)$/i.exec(header.trim()) : null;
  return match?.[1];
}
