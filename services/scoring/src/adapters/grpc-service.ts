import type { Server } from "@grpc/grpc-js";
import { grpcErrors, serverStream, unary } from "@rapport/grpc";
import {
  type BacktestModelsRequest,
  type BacktestModelsResponse,
  CustomerServiceService,
  type GetCustomerRequest,
  type GetCustomerResponse,
  type GetModelRequest,
  type GetModelResponse,
  type GetSegmentReportRequest,
  type GetSegmentReportResponse,
  type GetTimelineRequest,
  type GetTimelineResponse,
  type GetValuationRequest,
  type GetValuationResponse,
  type GetWebAnalyticsRequest,
  type GetWebAnalyticsResponse,
  ListCustomersRequest,
  type ListCustomersResponse,
  type Identifier as ProtoIdentifier,
  type RefitModelsRequest,
  type RefitModelsResponse,
  type StreamCustomersRequest,
  type StreamCustomersResponse,
} from "@rapport/proto";
import type { Logger } from "@rapport/telemetry";
import type { BacktestPeriod } from "../domain/backtest.js";
import { compareFacts, type PageViewFact } from "../domain/customer-facts.js";
import type { CustomerHistory } from "../domain/customer-history.js";
import { type ListedCustomer, matchesFilter, sortCustomers } from "../domain/customer-list.js";
import { profileFrom, profileOf, type ScoringSettings } from "../domain/customer-profile.js";
import { type PurchaseCountModelName, purchaseCountModelNames } from "../domain/lifetime-value/index.js";
import type { PopulationModel } from "../domain/population-model.js";
import { webAnalyticsOf } from "../domain/projections/web-analytics.js";
import { summaryOf } from "../domain/scored-customer.js";
import { cellOfKey, responsePolicyOf } from "../domain/scores/segment-grid.js";
import { segmentReportOf } from "../domain/segment-report.js";
import { timelineLineOf } from "../domain/timeline.js";
import { backtestMessage } from "./backtest-messages.js";
import type { CustomerDocument } from "./customer-documents.js";
import {
  countsMessage,
  customerSortOf,
  modelMessage,
  profileMessage,
  summaryMessage,
  valuationMessage,
} from "./customer-messages.js";
import type { CustomerStore } from "./customer-store.js";
import type { ModelBacktestRun } from "./model-backtests.js";
import type { PopulationModels } from "./population-models.js";

export type CustomerGrpcDependencies = {
  /** The projection version serving now: a replay swaps it while the server runs. */
  projection: () => { store: CustomerStore; models: PopulationModels };
  settings: ScoringSettings;
  /** Asks identity which customer an identifier belongs to; undefined when none does. */
  resolveIdentifier: (identifier: ProtoIdentifier) => Promise<string | undefined>;
  /** Fits, records and publishes a population model now, or as of a past time. */
  refitModels: (asOf?: Date) => Promise<PopulationModel>;
  /** Backtests the purchase-count models on a period, and keeps the report as the latest. */
  backtestModels: (period: BacktestPeriod, models: PurchaseCountModelName[]) => Promise<ModelBacktestRun>;
  clock: () => Date;
  logger: Logger;
};

export function registerCustomerService(server: Server, deps: CustomerGrpcDependencies): void {
  const { logger } = deps;
  const method = (name: string) => `crm.v1.CustomerService/${name}`;

  async function customerOf(subject: GetCustomerRequest["subject"]): Promise<CustomerDocument> {
    let customerId: string | undefined;
    if (subject?.$case === "customerId" && subject.value !== "") customerId = subject.value;
    else if (subject?.$case === "identifier") {
      if (subject.value.value === "") throw grpcErrors.invalidArgument("the identifier needs a value");
      customerId = await deps.resolveIdentifier(subject.value);
      if (customerId === undefined)
        throw grpcErrors.notFound("identity knows no customer with that identifier");
    } else throw grpcErrors.invalidArgument("name the customer: customer_id or identifier");
    const document = await deps.projection().store.current(customerId);
    if (!document) throw grpcErrors.notFound(`scoring has no events of customer ${customerId} yet`);
    return document;
  }

  /** Every fact of the customer (its merged customers' too), as a history. */
  async function historyOf(document: CustomerDocument): Promise<CustomerHistory> {
    const facts = await deps.projection().store.factsOf(document);
    return { facts: [...new Map(facts.map((fact) => [fact.eventId, fact])).values()].sort(compareFacts) };
  }

  /** Every customer's summary, the number merged away, and the latest scoring time among them. */
  async function listed(): Promise<{ customers: ListedCustomer[]; aliases: number; asOf: string }> {
    const customers: ListedCustomer[] = [];
    let aliases = 0;
    let asOf = "";
    for await (const document of deps.projection().store.customers()) {
      if (document.aliasOf !== undefined) aliases += 1;
      else customers.push({ customerId: document._id, summary: document.customer.summary });
      if (document.customer.asOf > asOf) asOf = document.customer.asOf;
    }
    return { customers, aliases, asOf };
  }

  /** The customers a list's filters match, in its order. */
  async function matchingCustomers(request: ListCustomersRequest): Promise<ListedCustomer[]> {
    const sort = customerSortOf(request.sort);
    if (sort === undefined) throw grpcErrors.invalidArgument("unknown sort");
    const { customers } = await listed();
    return sortCustomers(
      customers.filter(({ summary }) =>
        matchesFilter(summary, {
          tiers: request.tiers,
          lifecycleStages: request.lifecycleStages,
          rfmSegments: request.rfmSegments,
          segmentCells: request.segmentCells,
          predictedValueMinor: { min: request.minPredictedValueMinor, max: request.maxPredictedValueMinor },
          churnRisk: { min: request.minChurnRisk, max: request.maxChurnRisk },
          minRfmScores: {
            recency: request.minRecencyScore,
            frequency: request.minFrequencyScore,
            monetary: request.minMonetaryScore,
          },
        }),
      ),
      sort,
      request.ascending,
    );
  }

  server.addService(CustomerServiceService, {
    getCustomer: unary<GetCustomerRequest, GetCustomerResponse>(
      method("GetCustomer"),
      logger,
      async (request) => {
        const asOf = request.asOf === "" ? undefined : instantOf(request.asOf, "as_of");
        const document = await customerOf(request.subject);
        const { customer } = document;
        const at = asOf ?? Date.parse(customer.asOf);
        const model = await deps.projection().models.inForce(at);
        // The profile state answers from the customer's latest fact on; before it, the facts up to
        // then are folded.
        const profile =
          customer.state.latestAt === undefined || at >= customer.state.latestAt
            ? profileFrom(customer, at, model, deps.settings)
            : profileOf({ ...customer, history: await historyOf(document) }, at, model, deps.settings);
        return {
          customer: profileMessage(profile),
          summary: summaryMessage({ customerId: customer.customerId, summary: summaryOf(profile) }),
        };
      },
    ),

    getTimeline: unary<GetTimelineRequest, GetTimelineResponse>(
      method("GetTimeline"),
      logger,
      async (request) => {
        const document = await customerOf(request.subject);
        const pageSize = pageSizeOf(request.pageSize, 50, 500);
        const start = offsetOf(request.pageToken);
        const newestFirst = [...(await historyOf(document)).facts].reverse();
        const page = newestFirst.slice(start, start + pageSize);
        return {
          customerId: document._id,
          entries: page.map((fact) => ({
            eventId: fact.eventId,
            time: fact.time,
            kind: fact.kind,
            source: fact.source,
            summary: timelineLineOf(fact),
          })),
          nextPageToken: start + pageSize < newestFirst.length ? String(start + pageSize) : "",
        };
      },
    ),

    listCustomers: unary<ListCustomersRequest, ListCustomersResponse>(
      method("ListCustomers"),
      logger,
      async (request) => {
        const pageSize = pageSizeOf(request.pageSize, 100, 1000);
        const start = offsetOf(request.pageToken);
        const matching = await matchingCustomers(request);
        return {
          customers: matching.slice(start, start + pageSize).map(summaryMessage),
          totalMatching: matching.length,
          nextPageToken: start + pageSize < matching.length ? String(start + pageSize) : "",
        };
      },
    ),

    streamCustomers: serverStream<StreamCustomersRequest, StreamCustomersResponse>(
      method("StreamCustomers"),
      logger,
      async function* (request) {
        const matching = await matchingCustomers(request.list ?? ListCustomersRequest.fromPartial({}));
        for (const customer of matching) yield { customer: summaryMessage(customer) };
      },
    ),

    getSegmentReport: unary<GetSegmentReportRequest, GetSegmentReportResponse>(
      method("GetSegmentReport"),
      logger,
      async () => {
        const { customers, aliases, asOf } = await listed();
        const report = segmentReportOf(customers, aliases);
        return {
          asOf,
          grid: report.grid.map((figures) => {
            const cell = cellOfKey(figures.name);
            return { cell: { ...cell, responsePolicy: responsePolicyOf(cell) }, figures };
          }),
          tiers: report.tiers,
          lifecycleStages: report.lifecycleStages,
          rfmSegments: report.rfmSegments,
          customerBase: report.customerBase,
        };
      },
    ),

    getWebAnalytics: unary<GetWebAnalyticsRequest, GetWebAnalyticsResponse>(
      method("GetWebAnalytics"),
      logger,
      async (request) => {
        const from = request.from === "" ? Number.NEGATIVE_INFINITY : instantOf(request.from, "from");
        const to = request.to === "" ? Number.POSITIVE_INFINITY : instantOf(request.to, "to");
        if (from >= to) throw grpcErrors.invalidArgument("from must be before to");
        const viewsByCustomer = await pageViewsByCustomer(deps.projection().store, from, to);
        const analytics = webAnalyticsOf(viewsByCustomer, pageSizeOf(request.top, 10, 100));
        return {
          pageViews: analytics.pageViews,
          sessions: analytics.sessions,
          visitors: analytics.visitors,
          entryPages: countsMessage(analytics.entryPages),
          exitPages: countsMessage(analytics.exitPages),
          referrers: countsMessage(analytics.referrers),
          searchKeywords: countsMessage(analytics.searchKeywords),
          browsers: countsMessage(analytics.browsers),
          operatingSystems: countsMessage(analytics.operatingSystems),
          mostVisitedPages: countsMessage(analytics.mostVisitedPages),
          leastVisitedPages: countsMessage(analytics.leastVisitedPages),
          errorPages: countsMessage(analytics.errorPages),
          topVisitors: countsMessage(analytics.topVisitors),
        };
      },
    ),

    getModel: unary<GetModelRequest, GetModelResponse>(method("GetModel"), logger, async (request) => {
      const asOf = request.asOf === "" ? undefined : instantOf(request.asOf, "as_of");
      const model = await deps.projection().models.inForce(asOf);
      if (!model)
        throw grpcErrors.failedPrecondition(
          asOf === undefined
            ? "no population model has been fitted yet; call RefitModels"
            : `no population model was fitted as of ${request.asOf} or before; call RefitModels with that as_of`,
        );
      return { model: modelMessage(model) };
    }),

    refitModels: unary<RefitModelsRequest, RefitModelsResponse>(
      method("RefitModels"),
      logger,
      async (request) => {
        if (request.asOf === "") return { model: modelMessage(await deps.refitModels()) };
        const asOf = instantOf(request.asOf, "as_of");
        const now = deps.clock();
        if (asOf > now.getTime())
          throw grpcErrors.invalidArgument(
            `as_of must not be after the scoring time (${now.toISOString()}): the events after it are not known yet`,
          );
        return { model: modelMessage(await deps.refitModels(new Date(asOf))) };
      },
    ),

    getValuation: unary<GetValuationRequest, GetValuationResponse>(method("GetValuation"), logger, async () =>
      valuationMessage(deps.settings.orders),
    ),

    backtestModels: unary<BacktestModelsRequest, BacktestModelsResponse>(
      method("BacktestModels"),
      logger,
      async (request) => {
        const calibrationEnd = instantOf(request.calibrationEnd, "calibration_end");
        const holdoutEnd = instantOf(request.holdoutEnd, "holdout_end");
        if (holdoutEnd <= calibrationEnd)
          throw grpcErrors.invalidArgument("holdout_end must be after calibration_end");
        const now = deps.clock();
        if (holdoutEnd > now.getTime())
          throw grpcErrors.invalidArgument(
            `holdout_end must not be after the scoring time (${now.toISOString()}): what happens after it is not known yet`,
          );
        const unknown = request.models.filter(
          (model) => !(purchaseCountModelNames as readonly string[]).includes(model),
        );
        if (unknown.length > 0)
          throw grpcErrors.invalidArgument(
            `no purchase-count model ${unknown.join(", ")}; choose from ${purchaseCountModelNames.join(", ")}`,
          );
        const models =
          request.models.length === 0
            ? [...purchaseCountModelNames]
            : (request.models as PurchaseCountModelName[]);
        const run = await deps.backtestModels({ calibrationEnd, holdoutEnd }, models);
        return backtestMessage(run, deps.settings.orders.currency);
      },
    ),
  });
}

function instantOf(text: string, field: string): number {
  const instant = Date.parse(text);
  if (Number.isNaN(instant))
    throw grpcErrors.invalidArgument(`${field} must be an RFC 3339 instant, not ${JSON.stringify(text)}`);
  return instant;
}

function pageSizeOf(requested: number, fallback: number, maximum: number): number {
  if (requested < 0) throw grpcErrors.invalidArgument("page_size must not be negative");
  return requested === 0 ? fallback : Math.min(requested, maximum);
}

function offsetOf(pageToken: string): number {
  if (pageToken === "") return 0;
  const offset = Number(pageToken);
  if (!Number.isSafeInteger(offset) || offset < 0)
    throw grpcErrors.invalidArgument("page_token is not one this service gave");
  return offset;
}

/**
 * The page views in [from, to) of every customer, each customer's in time order (merged customers'
 * views under their survivor): a scan of the customer ids and of the fact chunks.
 */
async function pageViewsByCustomer(
  store: CustomerStore,
  from: number,
  to: number,
): Promise<Map<string, PageViewFact[]>> {
  const survivorOf = new Map<string, string>();
  for await (const listed of store.customerIds())
    if (listed.aliasOf !== undefined) survivorOf.set(listed._id, listed.aliasOf);
  const rootOf = (customerId: string) => {
    let id = customerId;
    for (let hop = 0; hop < 64 && survivorOf.has(id); hop += 1) id = survivorOf.get(id) as string;
    return id;
  };
  const viewsByCustomer = new Map<string, PageViewFact[]>();
  for await (const chunk of store.factChunks()) {
    for (const fact of chunk.facts) {
      if (fact.kind !== "page_view") continue;
      const at = Date.parse(fact.time);
      if (at < from || at >= to) continue;
      const customerId = rootOf(chunk.customerId);
      const views = viewsByCustomer.get(customerId);
      if (views) views.push(fact);
      else viewsByCustomer.set(customerId, [fact]);
    }
  }
  for (const views of viewsByCustomer.values()) views.sort(compareFacts);
  return viewsByCustomer;
}
