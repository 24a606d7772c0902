import { createHash, randomUUID } from "node:crypto";
import { context } from "@opentelemetry/api";
import type { CrmTopics } from "@rapport/events";
import { grpcErrors } from "@rapport/grpc";
import { type OutgoingRecord, type RecordSender, traceHeaders } from "@rapport/kafka";
import type { Identifier } from "@rapport/proto";
import {
  type Campaign,
  type CampaignAudience,
  campaignProblem,
  partsOf,
  targetsPerPart,
} from "../domain/campaign.js";
import { campaignReportOf } from "../domain/campaign-report.js";
import { buildCampaignTargets, type CampaignGroup } from "../domain/campaign-targets.js";
import { type OfferDefinition, offerProblems } from "../domain/catalog.js";
import { type ContactFact, contactPointsOf, type ResponseKind } from "../domain/contact-facts.js";
import type { ContactPolicySettings } from "../domain/contact-policy.js";
import type { CustomerScores } from "../domain/customer-scores.js";
import { decideNextBestOffers, type NextBestOffers, openTreatments } from "../domain/next-best-offers.js";
import type { Channel, Offer, Strategy } from "../domain/offer-catalog.js";
import type { ResponseCounts } from "../domain/offer-ranking.js";
import { readUnsubscribeToken, unsubscribeTokenOf } from "../domain/unsubscribe-token.js";
import type { CampaignStore } from "./campaign-store.js";
import type { CatalogStore } from "./catalog-store.js";
import type { ContactHistories } from "./contact-histories.js";
import {
  contactFactOfOfferEvent,
  type OfferEvent,
  offerEventRecord,
  offerSource,
  type QueuedTreatment,
} from "./offer-records.js";
import type { ScoringClient } from "./scoring-client.js";

export type OfferOperationsDependencies = {
  contacts: ContactHistories;
  catalog: CatalogStore;
  campaigns: CampaignStore;
  scoring: Pick<ScoringClient, "scoresOf" | "audience">;
  sender: RecordSender;
  topics: CrmTopics;
  policy: ContactPolicySettings;
  timeZone: string;
  unsubscribeSecret: string;
  /** The response rates learned last (see learning.ts). */
  responseCounts: () => ResponseCounts;
  clock: () => Date;
  random: () => number;
  /** How long a catalog change may take to be applied by the consumer before the caller is told. */
  catalogWaitMs?: number;
};

export type CustomerSubject = { customerId: string } | { identifier: Identifier };

/** A decision as the API answers it: the presentation recorded (empty in a preview), and the unsubscribe token of an email. */
export type PresentedDecision = NextBestOffers["decisions"][number] & {
  presentationId: string;
  channel: Channel;
  unsubscribeToken?: string;
};

const bytesPerSend = 512 * 1024;

/**
 * What the offer service does when asked: the catalog, decisions, responses, campaigns and
 * reports. Every change is published on crm.offers first; what a caller must read back at once
 * (presentations, responses, campaigns) is also written through to the stores, idempotently with
 * the consumer that folds the same events.
 */
export function createOfferOperations(deps: OfferOperationsDependencies) {
  const { topics } = deps;
  const catalogWaitMs = deps.catalogWaitMs ?? 10_000;
  const now = () => deps.clock().toISOString();

  /**
   * Publishes in sends of at most `bytesPerSend`: records of one key (a campaign's parts) share a
   * partition and so one record batch, which the broker refuses above its message.max.bytes (1 MB).
   */
  async function publish(events: readonly OfferEvent[]): Promise<void> {
    // Every operation runs in the span of the gRPC call that asked for it: the events join its trace.
    const headers = traceHeaders(context.active());
    let send: OutgoingRecord[] = [];
    let bytes = 0;
    for (const event of events) {
      const record = offerEventRecord(topics, event, headers);
      const size = Buffer.byteLength(record.value);
      if (send.length > 0 && bytes + size > bytesPerSend) {
        await deps.sender.send(send);
        send = [];
        bytes = 0;
      }
      send.push(record);
      bytes += size;
    }
    await deps.sender.send(send);
  }

  /**
   * Publishes customers' events and stores their contact facts at once, so the caller's next
   * decision sees them; the consumer folding the same events later adds nothing.
   */
  async function publishAndStore(events: readonly OfferEvent[]): Promise<void> {
    await publish(events);
    await deps.contacts.record(
      events.flatMap((event) => {
        const contact = contactFactOfOfferEvent(event);
        return contact
          ? [{ kind: "facts" as const, customerId: contact.customerId, facts: [contact.fact] }]
          : [];
      }),
    );
  }

  /** Publishes a catalog event and waits until the consumer applied it (or a later one). */
  async function changeCatalog(offerId: string, event: OfferEvent): Promise<Offer> {
    const before = (await deps.catalog.get(offerId))?.offer.revision ?? 0;
    await publish([event]);
    const deadline = Date.now() + catalogWaitMs;
    for (;;) {
      const stored = await deps.catalog.get(offerId);
      if (stored && (stored.eventId === event.id || stored.offer.revision > before)) return stored.offer;
      if (Date.now() > deadline)
        throw grpcErrors.unavailable(
          `the change of offer ${offerId} is recorded on crm.offers but the catalog has not applied it yet; ListOffers shows it once it has`,
        );
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function offerOf(offerId: string): Promise<Offer> {
    const stored = await deps.catalog.get(offerId);
    if (!stored) throw grpcErrors.notFound(`the catalog has no offer ${offerId}`);
    return stored.offer;
  }

  async function scoresOf(subject: CustomerSubject): Promise<CustomerScores> {
    const scores = await deps.scoring.scoresOf(subject);
    if (!scores) throw grpcErrors.notFound("scoring knows no such customer (yet)");
    return scores;
  }

  /** The decision for one customer, with the address an email would go to. */
  function decide(
    input: {
      offers: readonly Offer[];
      scores: CustomerScores;
      facts: readonly ContactFact[];
      channel: Channel;
    },
    options: { limit: number; strategies: readonly Strategy[]; explore: boolean },
  ): NextBestOffers & { email?: string } {
    const { email } = contactPointsOf(input.facts);
    return {
      ...decideNextBestOffers({
        ...input,
        ...options,
        now: deps.clock().getTime(),
        random: deps.random,
        counts: deps.responseCounts(),
        settings: deps.policy,
      }),
      ...(email ? { email } : {}),
    };
  }

  return {
    async upsertOffer(definition: OfferDefinition): Promise<Offer> {
      const problems = offerProblems(definition);
      if (problems.length > 0) throw grpcErrors.invalidArgument(problems.join("; "));
      const existing = await deps.catalog.get(definition.offerId);
      if (existing?.offer.retiredAt)
        throw grpcErrors.failedPrecondition(
          `offer ${definition.offerId} was retired on ${existing.offer.retiredAt}; define the new offer under a new id`,
        );
      return changeCatalog(definition.offerId, {
        type: "crm.v1.OfferUpserted",
        id: `offer:${definition.offerId}:${randomUUID()}`,
        time: now(),
        offer: definition,
      });
    },

    async retireOffer(offerId: string, reason: string): Promise<Offer> {
      const offer = await offerOf(offerId);
      if (offer.retiredAt) return offer;
      return changeCatalog(offerId, {
        type: "crm.v1.OfferRetired",
        id: `offer:${offerId}:retired:${randomUUID()}`,
        time: now(),
        offerId,
        reason,
      });
    },

    async listOffers(includeRetired: boolean): Promise<Offer[]> {
      const offers = await deps.catalog.all();
      return includeRetired ? offers : offers.filter((offer) => !offer.retiredAt);
    },

    /** Decides, records every offer made as presented (unless previewing), and answers with the explanations. */
    async nextBestOffers(request: {
      subject: CustomerSubject;
      channel: Channel;
      limit: number;
      strategies: Strategy[];
      explore: boolean;
      /** Decide only: record no presentation. */
      preview: boolean;
    }): Promise<{ customerId: string; decisions: PresentedDecision[]; notMade: NextBestOffers["notMade"] }> {
      const scores = await scoresOf(request.subject);
      const [{ facts }, offers] = await Promise.all([
        deps.contacts.historyOf(scores.customerId),
        deps.catalog.all(),
      ]);
      const decided = decide(
        { offers: offers.filter((offer) => !offer.retiredAt), scores, facts, channel: request.channel },
        request,
      );
      const time = now();
      const decisions: PresentedDecision[] = decided.decisions.map((decision) => ({
        ...decision,
        presentationId: request.preview ? "" : `presented:${randomUUID()}`,
        channel: request.channel,
        ...(request.channel === "email" && decided.email
          ? {
              unsubscribeToken: unsubscribeTokenOf(
                { customerId: scores.customerId, email: decided.email },
                deps.unsubscribeSecret,
              ),
            }
          : {}),
      }));
      const presentations = decisions.map((decision) =>
        presentationEvent(scores, decision.offer, request.channel, decision.presentationId, time),
      );
      if (!request.preview) await publishAndStore(presentations);
      return { customerId: scores.customerId, decisions, notMade: decided.notMade };
    },

    async recordResponse(request: {
      customerId: string;
      offerId: string;
      campaignId?: string;
      presentationId?: string;
      response: ResponseKind;
      channel?: Channel;
      revenueMinor?: number;
      currency?: string;
      respondedAt?: string;
    }): Promise<string> {
      if (request.customerId === "") throw grpcErrors.invalidArgument("name the customer: customer_id");
      await offerOf(request.offerId);
      const time = request.respondedAt ?? now();
      if (Number.isNaN(Date.parse(time)))
        throw grpcErrors.invalidArgument("responded_at must be an RFC 3339 instant");
      // A retried call for the same presentation and response records it once.
      const id = request.presentationId
        ? `response:${request.presentationId}:${request.response}`
        : `response:${randomUUID()}`;
      const event: OfferEvent = {
        type: "crm.v1.ResponseRecorded",
        id,
        time: new Date(Date.parse(time)).toISOString(),
        customerId: request.customerId,
        offerId: request.offerId,
        ...(request.campaignId ? { campaignId: request.campaignId } : {}),
        ...(request.presentationId ? { presentationId: request.presentationId } : {}),
        response: request.response,
        ...(request.channel ? { channel: request.channel } : {}),
        ...(request.revenueMinor !== undefined && request.currency
          ? { revenue: { amountMinor: request.revenueMinor, currency: request.currency } }
          : {}),
      };
      await publishAndStore([event]);
      return id;
    },

    /**
     * Freezes a campaign: the audience's customers from scoring, screened by the offer's rules and
     * the channel's contact policy, in priority order with a deterministic holdout. Creating a
     * campaign that exists answers with it (a retried create). Treatment targets of a channel other
     * than phone are presented the offer at once (the list goes to the sending tool); a phone
     * campaign's targets are contacted when the call center calls them.
     */
    async createCampaign(
      request: {
        campaignId: string;
        name: string;
        offerId: string;
        channel: Channel;
        audience: CampaignAudience;
        holdoutPercent: number;
        measurementDays: number;
      },
      progress?: (stage: string, done: number) => void,
    ): Promise<Campaign> {
      const campaignId = request.campaignId || `campaign:${randomUUID()}`;
      const problem = campaignProblem({ ...request, campaignId, maxTargets: request.audience.maxTargets });
      if (problem) throw grpcErrors.invalidArgument(problem);
      const existing = await deps.campaigns.campaign(campaignId);
      if (existing) return existing;
      const offer = await offerOf(request.offerId);
      if (offer.retiredAt) throw grpcErrors.failedPrecondition(`offer ${offer.offerId} is retired`);
      if (!offer.channels.includes(request.channel))
        throw grpcErrors.invalidArgument(`offer ${offer.offerId} does not go out by ${request.channel}`);

      const audience = new Map<string, CustomerScores>();
      for await (const scores of deps.scoring.audience(request.audience)) {
        audience.set(scores.customerId, scores);
        if (audience.size % 10_000 === 0) progress?.("audience", audience.size);
      }
      const factsByCustomer = new Map<string, ContactFact[]>();
      for await (const [customerId, facts] of deps.contacts.all())
        if (audience.has(customerId)) factsByCustomer.set(customerId, facts);
      progress?.("contact facts", factsByCustomer.size);

      const createdAt = deps.clock();
      const built = buildCampaignTargets({
        campaignId,
        offer,
        holdoutPercent: request.holdoutPercent,
        maxTargets: request.audience.maxTargets,
        timeZone: deps.timeZone,
        now: createdAt.getTime(),
        candidates: [...audience.values()].map((scores) => ({
          scores,
          facts: factsByCustomer.get(scores.customerId) ?? [],
        })),
        screen: ({ scores, facts }) => {
          const decided = decide(
            { offers: [offer], scores, facts, channel: request.channel },
            { limit: 1, strategies: [], explore: false },
          );
          const refused = decided.notMade[0];
          return refused ? { allowed: false, reason: refused.reason } : { allowed: true };
        },
      });
      const byGroup = (group: CampaignGroup) =>
        built.targets
          .filter((target) => target.group === group)
          .map((target) =>
            request.channel === "email" && target.email
              ? {
                  ...target,
                  unsubscribeToken: unsubscribeTokenOf(
                    { customerId: target.customerId, email: target.email },
                    deps.unsubscribeSecret,
                  ),
                }
              : target,
          );
      const treatment = byGroup("treatment");
      const holdout = byGroup("holdout");
      const campaign: Campaign = {
        campaignId,
        name: request.name,
        offerId: offer.offerId,
        channel: request.channel,
        audience: request.audience,
        holdoutPercent: request.holdoutPercent,
        measurementDays: request.measurementDays,
        createdAt: createdAt.toISOString(),
        treatmentTargets: treatment.length,
        holdoutTargets: holdout.length,
        exclusions: built.exclusions,
      };
      const parts = [
        ...Array.from({ length: partsOf(treatment.length) }, (_, index) => ({
          group: "treatment" as const,
          targets: treatment.slice(index * targetsPerPart, (index + 1) * targetsPerPart),
        })),
        ...Array.from({ length: partsOf(holdout.length) }, (_, index) => ({
          group: "holdout" as const,
          targets: holdout.slice(index * targetsPerPart, (index + 1) * targetsPerPart),
        })),
      ];
      const time = campaign.createdAt;
      const presentations =
        request.channel === "phone"
          ? []
          : treatment.map((target) =>
              presentationEvent(
                audience.get(target.customerId) as CustomerScores,
                offer,
                request.channel,
                `presented:${campaignId}:${target.customerId}`,
                time,
                campaignId,
              ),
            );
      // The campaign itself goes last: until it is on the log the consumer does not show it, so a
      // create that failed half-way is built again by the retry.
      await publish([
        ...parts.map(
          (part, index): OfferEvent => ({
            type: "crm.v1.CampaignTargetsFrozen",
            id: `${campaignId}:targets:${index}`,
            time,
            campaignId,
            part: index,
            group: part.group,
            targets: part.targets,
          }),
        ),
        ...presentations,
        {
          type: "crm.v1.CampaignCreated",
          id: `${campaignId}:created`,
          time,
          campaign,
          targetParts: parts.length,
        },
      ]);
      progress?.("published", presentations.length);
      await deps.campaigns.save({
        parts: parts.map((part, index) => ({ campaignId, part: index, ...part })),
        campaigns: [campaign],
      });
      return campaign;
    },

    async campaignTargets(campaignId: string, group: CampaignGroup, start: number, count: number) {
      const campaign = await frozenCampaign(deps.campaigns, campaignId);
      const total = group === "holdout" ? campaign.holdoutTargets : campaign.treatmentTargets;
      return { campaign, targets: await deps.campaigns.targets(campaign, group, start, count), total };
    },

    async campaignReport(campaignId: string) {
      const campaign = await frozenCampaign(deps.campaigns, campaignId);
      const targets = await deps.campaigns.allTargets(campaign);
      const targeted = new Set(targets.map((target) => target.customerId));
      const factsByCustomer = new Map<string, ContactFact[]>();
      for await (const [customerId, facts] of deps.contacts.all([
        "presentation",
        "response",
        "call",
        "order",
      ]))
        if (targeted.has(customerId)) factsByCustomer.set(customerId, facts);
      const offer = await offerOf(campaign.offerId);
      return {
        campaign,
        asOf: now(),
        report: campaignReportOf({
          campaignId,
          createdAt: campaign.createdAt,
          measurementDays: campaign.measurementDays,
          offerCostMinor: offer.costMinor,
          targets,
          factsByCustomer,
        }),
      };
    },

    /** Open treatments (no offer of their strategy presented since), oldest first. */
    async queuedTreatments(): Promise<QueuedTreatment[]> {
      const open: QueuedTreatment[] = [];
      const at = deps.clock().getTime();
      for await (const [customerId, facts] of deps.contacts.all(["treatment", "presentation"]))
        for (const treatment of openTreatments(facts, at).values())
          open.push({
            treatmentId: treatment.eventId,
            customerId,
            strategy: treatment.strategy,
            reason: treatment.reason,
            queuedAt: treatment.time,
          });
      return open.sort(
        (a, b) => a.queuedAt.localeCompare(b.queuedAt) || a.treatmentId.localeCompare(b.treatmentId),
      );
    },

    /**
     * Honours an unsubscribe link: a ConsentChanged (email revoked, via unsubscribe_link) goes to
     * ingestion's consents lane like any upstream consent, so every service learns it the same way.
     * Using a link twice records one event (its id derives from the token).
     */
    async unsubscribe(token: string): Promise<{ customerId: string }> {
      const unsubscription = readUnsubscribeToken(token, deps.unsubscribeSecret);
      if (typeof unsubscription === "string") throw grpcErrors.invalidArgument(unsubscription);
      const id = `unsubscribe:${createHash("sha256").update(token).digest("hex").slice(0, 32)}`;
      await deps.sender.send([
        {
          topic: topics.raw("consents"),
          key: unsubscription.email,
          // The span of the unsubscribe request: ingestion and the services after it continue its trace.
          headers: traceHeaders(context.active()),
          value: JSON.stringify({
            specversion: "1.0",
            id,
            source: offerSource,
            type: "crm.v1.ConsentChanged",
            time: now(),
            datacontenttype: "application/json",
            data: {
              customer: { identifiers: [{ type: "email", value: unsubscription.email }] },
              channel: "email",
              status: "revoked",
              source: "unsubscribe_link",
            },
          }),
        },
      ]);
      return { customerId: unsubscription.customerId };
    },
  };
}

export type OfferOperations = ReturnType<typeof createOfferOperations>;

async function frozenCampaign(campaigns: CampaignStore, campaignId: string): Promise<Campaign> {
  const campaign = await campaigns.campaign(campaignId);
  if (!campaign) throw grpcErrors.notFound(`there is no campaign ${campaignId}`);
  return campaign;
}

function presentationEvent(
  scores: CustomerScores,
  offer: Offer,
  channel: Channel,
  id: string,
  time: string,
  campaignId?: string,
): Extract<OfferEvent, { type: "crm.v1.OfferPresented" }> {
  return {
    type: "crm.v1.OfferPresented",
    id,
    time,
    customerId: scores.customerId,
    offerId: offer.offerId,
    channel,
    ...(campaignId ? { campaignId } : {}),
    strategy: offer.strategy,
    segmentCell: scores.segmentCell,
  };
}
