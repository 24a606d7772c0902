import { Metadata, type ServiceError } from "@grpc/grpc-js";

type UnaryMethod<Request, Response> = (
  request: Request,
  metadata: Metadata,
  options: { deadline: number },
  callback: (error: ServiceError | null, response: Response) => void,
) => unknown;

/** One unary call with a deadline of a minute; a failure rejects with the gRPC ServiceError. */
export function unary<Client, Request, Response>(
  client: Client,
  method: UnaryMethod<Request, Response>,
  request: Request,
  metadata: Record<string, string> = {},
): Promise<Response> {
  const sent = new Metadata();
  for (const [key, value] of Object.entries(metadata)) sent.set(key, value);
  return new Promise((resolve, reject) =>
    method.call(client, request, sent, { deadline: Date.now() + 60_000 }, (error, response) =>
      error ? reject(error) : resolve(response),
    ),
  );
}
