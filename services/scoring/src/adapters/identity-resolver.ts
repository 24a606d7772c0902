import { credentials, Metadata, type ServiceError, status } from "@grpc/grpc-js";
import { grpcErrors, tracingInterceptor } from "@rapport/grpc";
import { type Identifier, IdentityServiceClient } from "@rapport/proto";

/**
 * Asks identity's Resolve which customer an identifier belongs to (identity owns the identity graph;
 * scoring keeps none). NOT_FOUND answers undefined; identity being down is UNAVAILABLE to the caller.
 */
export function createIdentityResolver(address: string, timeoutMs = 5_000) {
  const client = new IdentityServiceClient(address, credentials.createInsecure(), {
    interceptors: [tracingInterceptor],
  });
  return {
    resolve(identifier: Identifier): Promise<string | undefined> {
      return new Promise((resolve, reject) =>
        client.resolve(
          { identifiers: [identifier] },
          new Metadata(),
          { deadline: Date.now() + timeoutMs },
          (error: ServiceError | null, response) => {
            if (!error) resolve(response.customerId);
            else if (error.code === status.NOT_FOUND) resolve(undefined);
            else if (error.code === status.INVALID_ARGUMENT)
              reject(grpcErrors.invalidArgument(error.details));
            else
              reject(
                grpcErrors.unavailable(
                  `identity at ${address} cannot resolve identifiers now: ${error.details}`,
                ),
              );
          },
        ),
      );
    },
    close: () => client.close(),
  };
}
