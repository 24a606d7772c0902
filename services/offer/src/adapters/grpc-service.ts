import type { Server } from "@grpc/grpc-js";
import { grpcErrors, unary } from "@rapport/grpc";
import {
  type CreateCampaignRequest,
  type CreateCampaignResponse,
  type GetCampaignReportRequest,
  type GetCampaignReportResponse,
  type GetCampaignTargetsRequest,
  type GetCampaignTargetsResponse,
  type GetNextBestOffersRequest,
  type GetNextBestOffersResponse,
  type ListOffersRequest,
  type ListOffersResponse,
  type ListQueuedTreatmentsRequest,
  type ListQueuedTreatmentsResponse,
  OfferServiceService,
  type RecordResponseRequest,
  type RecordResponseResponse,
  type RetireOfferRequest,
  type RetireOfferResponse,
  type UpsertOfferRequest,
  type UpsertOfferResponse,
} from "@rapport/proto";
import type { Logger } from "@rapport/telemetry";
import type { CampaignGroup } from "../domain/campaign-targets.js";
import type { Channel, Strategy } from "../domain/offer-catalog.js";
import {
  campaignMessage,
  channelNames,
  definitionOf,
  offerMessage,
  responseNames,
  strategyNames,
  targetMessage,
} from "./offer-messages.js";
import type { CustomerSubject, OfferOperations } from "./offer-operations.js";

/** crm.v1.OfferService over the offer operations: requests checked and mapped, answers shaped. */
export function registerOfferService(server: Server, operations: OfferOperations, logger: Logger): void {
  const method = (name: string) => `crm.v1.OfferService/${name}`;

  server.addService(OfferServiceService, {
    upsertOffer: unary<UpsertOfferRequest, UpsertOfferResponse>(
      method("UpsertOffer"),
      logger,
      async (request) => {
        if (!request.offer) throw grpcErrors.invalidArgument("send the offer");
        return { offer: offerMessage(await operations.upsertOffer(definitionOf(request.offer))) };
      },
    ),

    listOffers: unary<ListOffersRequest, ListOffersResponse>(
      method("ListOffers"),
      logger,
      async (request) => ({
        offers: (await operations.listOffers(request.includeRetired)).map(offerMessage),
      }),
    ),

    retireOffer: unary<RetireOfferRequest, RetireOfferResponse>(
      method("RetireOffer"),
      logger,
      async (request) => {
        if (request.offerId === "") throw grpcErrors.invalidArgument("name the offer: offer_id");
        return { offer: offerMessage(await operations.retireOffer(request.offerId, request.reason)) };
      },
    ),

    getNextBestOffers: unary<GetNextBestOffersRequest, GetNextBestOffersResponse>(
      method("GetNextBestOffers"),
      logger,
      async (request) => {
        const strategies = (request.context?.strategies ?? []).map((value) => {
          const strategy = strategyNames.shortName(value);
          if (!strategy) throw grpcErrors.invalidArgument("context.strategies holds an unknown strategy");
          return strategy as Strategy;
        });
        const answer = await operations.nextBestOffers({
          subject: subjectOf(request.subject),
          channel: channelOf(request.channel),
          limit: request.limit === 0 ? 3 : Math.min(Math.max(request.limit, 1), 20),
          strategies,
          explore: request.context?.explore ?? false,
          preview: request.context?.preview ?? false,
        });
        return {
          customerId: answer.customerId,
          offers: answer.decisions.map((decision) => ({
            presentationId: decision.presentationId,
            offer: offerMessage(decision.offer),
            channel: channelNames.valueOf(decision.channel),
            score: {
              ...decision.score,
              expectedNetValueMinor: Math.round(decision.score.expectedNetValueMinor),
            },
            reasons: decision.reasons,
            unsubscribeToken: decision.unsubscribeToken ?? "",
            queuedTreatment: decision.queuedTreatment ?? "",
          })),
          notMade: answer.notMade,
        };
      },
    ),

    recordResponse: unary<RecordResponseRequest, RecordResponseResponse>(
      method("RecordResponse"),
      logger,
      async (request) => {
        const response = responseNames.shortName(request.response);
        if (!response)
          throw grpcErrors.invalidArgument("response must be accepted, declined, no_answer or converted");
        if (request.offerId === "") throw grpcErrors.invalidArgument("name the offer: offer_id");
        const channel = channelNames.shortName(request.channel);
        const responseId = await operations.recordResponse({
          customerId: request.customerId,
          offerId: request.offerId,
          ...(request.campaignId ? { campaignId: request.campaignId } : {}),
          ...(request.presentationId ? { presentationId: request.presentationId } : {}),
          response,
          ...(channel ? { channel } : {}),
          ...(request.revenue
            ? { revenueMinor: request.revenue.amountMinor, currency: request.revenue.currency }
            : {}),
          ...(request.respondedAt ? { respondedAt: request.respondedAt } : {}),
        });
        return { responseId };
      },
    ),

    createCampaign: unary<CreateCampaignRequest, CreateCampaignResponse>(
      method("CreateCampaign"),
      logger,
      async (request) => {
        if (request.offerId === "") throw grpcErrors.invalidArgument("name the offer: offer_id");
        const audience = request.audience;
        const campaign = await operations.createCampaign({
          campaignId: request.campaignId,
          name: request.name,
          offerId: request.offerId,
          channel: channelOf(request.channel),
          audience: {
            tiers: audience?.tiers ?? [],
            lifecycleStages: audience?.lifecycleStages ?? [],
            rfmSegments: audience?.rfmSegments ?? [],
            segmentCells: audience?.segmentCells ?? [],
            ...(audience?.minPredictedValueMinor !== undefined
              ? { minPredictedValueMinor: audience.minPredictedValueMinor }
              : {}),
            ...(audience?.minChurnRisk !== undefined ? { minChurnRisk: audience.minChurnRisk } : {}),
            maxTargets: audience?.maxTargets ?? 0,
          },
          holdoutPercent: request.holdoutPercent,
          measurementDays: request.measurementDays === 0 ? 30 : request.measurementDays,
        });
        return { campaign: campaignMessage(campaign) };
      },
    ),

    getCampaignTargets: unary<GetCampaignTargetsRequest, GetCampaignTargetsResponse>(
      method("GetCampaignTargets"),
      logger,
      async (request) => {
        const group = (request.group || "treatment") as CampaignGroup;
        if (group !== "treatment" && group !== "holdout")
          throw grpcErrors.invalidArgument("group must be treatment or holdout");
        const pageSize = request.pageSize === 0 ? 100 : Math.min(Math.max(request.pageSize, 1), 1000);
        const start = offsetOf(request.pageToken);
        const page = await operations.campaignTargets(request.campaignId, group, start, pageSize);
        return {
          campaign: campaignMessage(page.campaign),
          targets: page.targets.map(targetMessage),
          nextPageToken: start + pageSize < page.total ? String(start + pageSize) : "",
        };
      },
    ),

    getCampaignReport: unary<GetCampaignReportRequest, GetCampaignReportResponse>(
      method("GetCampaignReport"),
      logger,
      async (request) => {
        const { campaign, report, asOf } = await operations.campaignReport(request.campaignId);
        return { campaign: campaignMessage(campaign), ...report, asOf };
      },
    ),

    listQueuedTreatments: unary<ListQueuedTreatmentsRequest, ListQueuedTreatmentsResponse>(
      method("ListQueuedTreatments"),
      logger,
      async (request) => {
        const pageSize = request.pageSize === 0 ? 100 : Math.min(Math.max(request.pageSize, 1), 1000);
        const start = offsetOf(request.pageToken);
        const treatments = await operations.queuedTreatments();
        return {
          treatments: treatments.slice(start, start + pageSize).map((treatment) => ({
            ...treatment,
            strategy: strategyNames.valueOf(treatment.strategy),
          })),
          nextPageToken: start + pageSize < treatments.length ? String(start + pageSize) : "",
        };
      },
    ),
  });
}

function subjectOf(subject: GetNextBestOffersRequest["subject"]): CustomerSubject {
  if (subject?.$case === "customerId" && subject.value !== "") return { customerId: subject.value };
  if (subject?.$case === "identifier") {
    if (subject.value.value === "") throw grpcErrors.invalidArgument("the identifier needs a value");
    return { identifier: subject.value };
  }
  throw grpcErrors.invalidArgument("name the customer: customer_id or identifier");
}

function channelOf(value: number): Channel {
  const channel = channelNames.shortName(value);
  if (!channel) throw grpcErrors.invalidArgument("channel must be email, sms, phone, post, push or web");
  return channel;
}

function offsetOf(token: string): number {
  if (token === "") return 0;
  const offset = Number(token);
  if (!Number.isInteger(offset) || offset < 0)
    throw grpcErrors.invalidArgument("page_token is not one this service gave");
  return offset;
}
