import { credentials, Metadata, type ServiceError, status } from "@grpc/grpc-js";
import { grpcErrors, tracingInterceptor } from "@rapport/grpc";
import {
  CustomerServiceClient,
  CustomerSort,
  type CustomerSummary,
  type Identifier,
  ListCustomersRequest,
  type StreamCustomersResponse,
} from "@rapport/proto";
import type { CampaignAudience } from "../domain/campaign.js";
import type { CustomerScores } from "../domain/customer-scores.js";

/**
 * Reads customers' scores from scoring's CustomerService (scoring owns them; the offer service
 * keeps none). A customer scoring does not know is undefined; scoring being down is UNAVAILABLE to
 * the caller.
 */
export function createScoringClient(address: string, timeoutMs = 5_000) {
  const client = new CustomerServiceClient(address, credentials.createInsecure(), {
    interceptors: [tracingInterceptor],
  });
  const unavailable = (error: ServiceError) =>
    grpcErrors.unavailable(`scoring at ${address} cannot answer now: ${error.details}`);

  return {
    /** The customer's current scores, by customer id or identifier; a merged id answers with its survivor. */
    scoresOf(
      subject: { customerId: string } | { identifier: Identifier },
    ): Promise<CustomerScores | undefined> {
      return new Promise((resolve, reject) =>
        client.getCustomer(
          {
            subject:
              "customerId" in subject
                ? { $case: "customerId", value: subject.customerId }
                : { $case: "identifier", value: subject.identifier },
            asOf: "",
          },
          new Metadata(),
          { deadline: Date.now() + timeoutMs },
          (error: ServiceError | null, response) => {
            if (!error) resolve(response.summary ? scoresOf(response.summary) : undefined);
            else if (error.code === status.NOT_FOUND) resolve(undefined);
            else if (error.code === status.INVALID_ARGUMENT)
              reject(grpcErrors.invalidArgument(error.details));
            else reject(unavailable(error));
          },
        ),
      );
    },

    /** Every customer the audience's list filters match, highest retention priority first. */
    async *audience(audience: CampaignAudience): AsyncGenerator<CustomerScores> {
      const list = ListCustomersRequest.fromPartial({
        tiers: audience.tiers,
        lifecycleStages: audience.lifecycleStages,
        rfmSegments: audience.rfmSegments,
        segmentCells: audience.segmentCells,
        minPredictedValueMinor: audience.minPredictedValueMinor,
        minChurnRisk: audience.minChurnRisk,
        sort: CustomerSort.CUSTOMER_SORT_RETENTION_PRIORITY,
      });
      const stream = client.streamCustomers({ list });
      try {
        for await (const message of stream as AsyncIterable<StreamCustomersResponse>)
          if (message.customer) yield scoresOf(message.customer);
      } catch (error) {
        throw unavailable(error as ServiceError);
      } finally {
        stream.cancel();
      }
    },

    close: () => client.close(),
  };
}

export type ScoringClient = ReturnType<typeof createScoringClient>;

export function scoresOf(summary: CustomerSummary): CustomerScores {
  return {
    customerId: summary.customerId,
    tier: summary.tier,
    lifecycleStage: summary.lifecycleStage,
    ...(summary.rfmSegment ? { rfmSegment: summary.rfmSegment } : {}),
    ...(summary.recencyScore > 0
      ? {
          rfmScores: {
            recency: summary.recencyScore,
            frequency: summary.frequencyScore,
            monetary: summary.monetaryScore,
          },
        }
      : {}),
    segmentCell: summary.segmentCell,
    responsePolicy: summary.responsePolicy,
    revenueMinor: summary.revenueMinor,
    historicValueMinor: summary.historicValueMinor,
    marginMinor: summary.marginMinor,
    ...(summary.predictedValueMinor !== undefined
      ? { predictedValueMinor: summary.predictedValueMinor }
      : {}),
    ...(summary.churnRisk !== undefined ? { churnRisk: summary.churnRisk } : {}),
    ...(summary.churnRiskBand ? { churnRiskBand: summary.churnRiskBand } : {}),
    topCategories: summary.topCategories,
    ...(summary.latestNpsClass ? { npsClass: summary.latestNpsClass } : {}),
    openComplaints: summary.openComplaints,
    ...(summary.lastOrderAt ? { lastOrderAt: summary.lastOrderAt } : {}),
  };
}
