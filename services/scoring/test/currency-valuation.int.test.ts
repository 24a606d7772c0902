import { credentials, type ServiceError, status } from "@grpc/grpc-js";
import { crmTopics } from "@rapport/events";
import {
  CustomerServiceClient,
  type GetCustomerResponse,
  type GetValuationResponse,
  ListCustomersRequest,
  type ListCustomersResponse,
} from "@rapport/proto";
import { infraEndpoints, uniqueName, waitFor } from "@rapport/testing";
import { Kafka, logLevel, type Producer } from "kafkajs";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningScoringService, startScoringService } from "../src/app.js";
import { loadScoringConfig } from "../src/config.js";
import { resolvedOrderMessage } from "./resolved-order.js";

// Two KRW platforms read the same log: one was given a USD rate, the other none. A customer who
// paid in USD is valued in KRW by the first and announced as unvalued by the second; neither is silent.

const endpoints = infraEndpoints();
const prefix = `${uniqueName("scoring-currency-it")}.`;
const topics = crmTopics(prefix);
const fatalErrors: Error[] = [];
const running: RunningScoringService[] = [];
const clients: CustomerServiceClient[] = [];
let producer: Producer;
let withRate: CustomerServiceClient;
let withoutRate: CustomerServiceClient;

async function startScoring(name: string, rates: Record<string, string>) {
  const service = await startScoringService({
    config: loadScoringConfig({
      KAFKA_BROKERS: endpoints.kafkaBrokers.join(","),
      MONGODB_URI: endpoints.mongodbUri,
      KAFKA_TOPIC_PREFIX: prefix,
      KAFKA_TOPIC_PARTITIONS: "1",
      HTTP_PORT: "0",
      GRPC_PORT: "0",
      LOG_LEVEL: "silent",
      SCORING_DATABASE: uniqueName(`scoring-currency-${name}`),
      SCORING_CONSUMER_GROUP: `${prefix}scoring-${name}`,
      SCORING_SCHEDULER: "false",
      INSTANCE_ID: `scoring-${name}`,
      IDENTITY_GRPC_ADDRESS: "127.0.0.1:1",
      ...rates,
    }),
    logger: pino({ level: "silent" }),
    onFatal: (error) => fatalErrors.push(error),
  });
  running.push(service);
  const client = new CustomerServiceClient(`127.0.0.1:${service.grpcPort}`, credentials.createInsecure());
  clients.push(client);
  return client;
}

const usdOrder = (customerId: string, orderId: string, time: string, amountMinor: number) =>
  resolvedOrderMessage({ customerId, orderId, time, amountMinor, currency: "USD" });

function unaryCall<Response>(
  call: (callback: (error: ServiceError | null, response: Response) => void) => void,
): Promise<Response> {
  return new Promise((resolve, reject) =>
    call((error, response) => (error ? reject(error) : resolve(response))),
  );
}

const getCustomer = (client: CustomerServiceClient, customerId: string) =>
  unaryCall<GetCustomerResponse>((callback) =>
    client.getCustomer({ subject: { $case: "customerId", value: customerId }, asOf: "" }, callback),
  );

const getValuation = (client: CustomerServiceClient) =>
  unaryCall<GetValuationResponse>((callback) => client.getValuation({}, callback));

async function customerWhen(
  client: CustomerServiceClient,
  customerId: string,
  ready: (response: GetCustomerResponse) => boolean,
): Promise<GetCustomerResponse> {
  let latest: GetCustomerResponse | undefined;
  await waitFor(
    async () => {
      try {
        latest = await getCustomer(client, customerId);
        return ready(latest);
      } catch (error) {
        if ((error as ServiceError).code === status.NOT_FOUND) return false;
        throw error;
      }
    },
    { timeoutMs: 45_000, intervalMs: 250, description: `customer ${customerId}` },
  );
  return latest as GetCustomerResponse;
}

beforeAll(async () => {
  producer = new Kafka({ brokers: endpoints.kafkaBrokers, logLevel: logLevel.WARN }).producer();
  await producer.connect();
  withRate = await startScoring("rated", { SCORING_EXCHANGE_RATES: "USD=1350.5" });
  withoutRate = await startScoring("unrated", {});
  await producer.send({
    topic: topics.resolvedEvents,
    acks: -1,
    messages: [
      usdOrder("cus_usd", "U-1", "2026-03-01T10:00:00.000Z", 2_000),
      usdOrder("cus_usd", "U-2", "2026-03-08T10:00:00.000Z", 1_000),
    ],
  });
});

afterAll(async () => {
  for (const client of clients) client.close();
  for (const service of running.reverse()) await service.stop();
  await producer?.disconnect();
  expect(fatalErrors).toEqual([]);
});

describe("USD orders under a KRW platform, against a real Kafka broker and FerretDB", () => {
  it("are converted at the operator's rate and count in every score", async () => {
    const answer = await customerWhen(withRate, "cus_usd", (r) => r.customer?.orders?.orders === 2);

    // 20.00 and 10.00 USD at 1,350.5 KRW each.
    expect(answer.customer).toMatchObject({
      currency: "KRW",
      tier: "purchasing",
      lifecycleStage: "new_stage_2",
      orders: { orders: 2, ordersInOtherCurrencies: 2, unvaluedOrders: [], revenueMinor: 27_010 + 13_505 },
    });
    expect(answer.summary?.revenueMinor).toBe(40_515);
    const listed = await unaryCall<ListCustomersResponse>((callback) =>
      withRate.listCustomers(ListCustomersRequest.fromPartial({}), callback),
    );
    expect(listed.customers.find((customer) => customer.customerId === "cus_usd")?.revenueMinor).toBe(40_515);
    expect(await getValuation(withRate)).toEqual({
      reportingCurrency: "KRW",
      ratedCurrencies: [{ currency: "USD", firstRatedDay: "" }],
    });
  });

  it("are announced as unvalued on the customer when no rate is given", async () => {
    const answer = await customerWhen(
      withoutRate,
      "cus_usd",
      (r) => r.customer?.orders?.unvaluedOrders[0]?.orders === 2,
    );

    expect(answer.customer).toMatchObject({
      tier: "all",
      lifecycleStage: "prospect",
      orders: {
        orders: 0,
        revenueMinor: 0,
        ordersInOtherCurrencies: 2,
        unvaluedOrders: [
          {
            currency: "USD",
            orders: 2,
            firstOrderAt: "2026-03-01T10:00:00.000Z",
            lastOrderAt: "2026-03-08T10:00:00.000Z",
          },
        ],
      },
    });
    expect(await getValuation(withoutRate)).toEqual({ reportingCurrency: "KRW", ratedCurrencies: [] });
  });
});
