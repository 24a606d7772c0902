import { Metadata, type ServiceError } from "@grpc/grpc-js";

type UnaryMethod<Request, Response> = (
  request: Request,
  metadata: Metadata,
  options: { deadline: number },
  callback: (error: ServiceError | null, response: Response) => void,
) => unknown;

/** One gRPC call as a promise, with a deadline; `method` is a generated client's method, bound to `client`. */
export function unary<Client, Request, Response>(
  client: Client,
  method: UnaryMethod<Request, Response>,
  request: Request,
  timeoutMs = 60_000,
): Promise<Response> {
  return new Promise((resolve, reject) =>
    method.call(client, request, new Metadata(), { deadline: Date.now() + timeoutMs }, (error, response) =>
      error ? reject(error) : resolve(response),
    ),
  );
}
