import { GrpcError } from "@rapport/grpc";
import type { AdminResponse, AdminRoute } from "@rapport/runtime";
import type { Logger } from "@rapport/telemetry";
import type { OfferOperations } from "./offer-operations.js";

/**
 * POST /v1/unsubscribe?token=… — what an email's unsubscribe page posts (a POST, so link scanners
 * that fetch every URL in a mail unsubscribe nobody). Answers 202 once the revocation is on its way
 * through ingestion, 400 for a token that is not valid.
 */
export function unsubscribeRoute(
  operations: Pick<OfferOperations, "unsubscribe">,
  logger: Logger,
): AdminRoute {
  const json = (status: number, body: unknown): AdminResponse => ({
    status,
    contentType: "application/json",
    body: JSON.stringify(body),
  });
  return async ({ method, url }) => {
    if (url.pathname !== "/v1/unsubscribe") return undefined;
    if (method !== "POST") return json(405, { error: "POST the token to unsubscribe" });
    const token = url.searchParams.get("token");
    if (!token) return json(400, { error: "the token query parameter is missing" });
    try {
      const { customerId } = await operations.unsubscribe(token);
      return json(202, { status: "unsubscribed", customerId, channel: "email" });
    } catch (error) {
      if (error instanceof GrpcError) return json(400, { error: error.message });
      logger.error({ err: error }, "recording an unsubscription failed");
      return json(503, { error: "the unsubscription could not be recorded now; try again" });
    }
  };
}
