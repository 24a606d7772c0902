import { type CallOptions, type Client, Metadata, type ServiceError } from "@grpc/grpc-js";

/** A unary method of a generated grpc-js client, in the overload that takes metadata and call options. */
export type UnaryMethod<Request, Response> = (
  request: Request,
  metadata: Metadata,
  options: Partial<CallOptions>,
  callback: (error: ServiceError | null, response: Response) => void,
) => unknown;

/**
 * One unary call of `client` as a promise, answered within `timeoutMs` or failed DEADLINE_EXCEEDED;
 * a failure rejects with the gRPC ServiceError. `metadata` is sent as given (e.g. authorization).
 */
export function callUnary<Request, Response>(
  client: Client,
  method: UnaryMethod<Request, Response>,
  request: Request,
  timeoutMs: number,
  metadata: Readonly<Record<string, string>> = {},
): Promise<Response> {
  const sent = new Metadata();
  for (const [key, value] of Object.entries(metadata)) sent.set(key, value);
  return new Promise((resolve, reject) =>
    method.call(client, request, sent, { deadline: Date.now() + timeoutMs }, (error, response) =>
      error ? reject(error) : resolve(response),
    ),
  );
}
