import { credentials, type ServiceError } from "@grpc/grpc-js";
import { callUnary } from "@rapport/grpc";
import {
  type CreateCampaignRequest,
  type CreateCampaignResponse,
  type GetCampaignReportResponse,
  type GetCampaignTargetsRequest,
  type GetCampaignTargetsResponse,
  type GetNextBestOffersRequest,
  type GetNextBestOffersResponse,
  OfferServiceClient,
} from "@rapport/proto";
import { callFailure, type ReadRetry, readFromService } from "./grpc-reads.js";

export type OfferClientOptions = ReadRetry & {
  /** host:port of the offer service's gRPC server (OfferService), e.g. 127.0.0.1:50054. */
  address: string;
  timeoutMs?: number;
};

/**
 * Calls the offer service's OfferService: next best offers, campaigns, their call lists and
 * reports. Reads, previews and creates that name their campaign are asked again while the service
 * is unavailable (restarting); a presentation that is recorded is sent once, so it is never
 * recorded twice.
 */
export function createOfferClient(options: OfferClientOptions) {
  const client = new OfferServiceClient(options.address, credentials.createInsecure());
  const timeoutMs = options.timeoutMs ?? 60_000;
  const at = `the offer service at ${options.address}`;
  const failureOf = (method: string) => (error: ServiceError) => callFailure(at, method, timeoutMs, error);

  function getNextBestOffers(request: GetNextBestOffersRequest): Promise<GetNextBestOffersResponse> {
    const isPreview = request.context?.preview ?? false;
    return readFromService(
      () => callUnary(client, client.getNextBestOffers, request, timeoutMs),
      isPreview ? options : { ...options, attempts: 1 },
      failureOf("GetNextBestOffers"),
    );
  }

  /** A campaign id chosen by the caller makes a repeated create the same campaign, so it is safe to retry. */
  function createCampaign(request: CreateCampaignRequest): Promise<CreateCampaignResponse> {
    return readFromService(
      () => callUnary(client, client.createCampaign, request, timeoutMs),
      request.campaignId === "" ? { ...options, attempts: 1 } : options,
      failureOf("CreateCampaign"),
    );
  }

  function getCampaignTargets(request: GetCampaignTargetsRequest): Promise<GetCampaignTargetsResponse> {
    return readFromService(
      () => callUnary(client, client.getCampaignTargets, request, timeoutMs),
      options,
      failureOf("GetCampaignTargets"),
    );
  }

  function getCampaignReport(campaignId: string): Promise<GetCampaignReportResponse> {
    return readFromService(
      () => callUnary(client, client.getCampaignReport, { campaignId }, timeoutMs),
      options,
      failureOf("GetCampaignReport"),
    );
  }

  return {
    getNextBestOffers,
    createCampaign,
    getCampaignTargets,
    getCampaignReport,
    close: () => client.close(),
  };
}

export type OfferClient = ReturnType<typeof createOfferClient>;
