import { credentials, type ServiceError, status } from "@grpc/grpc-js";
import { crmTopics } from "@rapport/events";
import {
  type BacktestModelsResponse,
  CustomerServiceClient,
  type GetCustomerResponse,
  ListCustomersRequest,
  type ListCustomersResponse,
  type PopulationModel,
} from "@rapport/proto";
import { infraEndpoints, uniqueName, waitFor } from "@rapport/testing";
import { Kafka, logLevel, type Producer } from "kafkajs";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningScoringService, startScoringService } from "../src/app.js";
import { loadScoringConfig } from "../src/config.js";
import { resolvedOrderMessage } from "./resolved-order.js";

// A model fitted as of a past time, against a real Kafka broker and FerretDB: one scoring service
// holds a year of orders, another only the orders up to the calibration time. Fitted as of that
// time, the first must give the second's model; and a customer asked about as of a time after it is
// scored with it.

const endpoints = infraEndpoints();
const fatalErrors: Error[] = [];
const services: RunningScoringService[] = [];
const clients: CustomerServiceClient[] = [];
let producer: Producer;

const calibrationEnd = "2025-07-01T00:00:00.000Z";
const dayMs = 86_400_000;
const dayOf2025 = (n: number) => new Date(Date.parse("2025-01-01T00:00:00.000Z") + n * dayMs).toISOString();

type Order = { customerId: string; orderId: string; time: string; amountMinor: number };

/**
 * 60 customers over 2025: the first 50 start within the calibration half-year and buy every 9 to 60
 * days (some stop early), the last 10 first buy after it. Deterministic, so both services see the
 * same orders.
 */
const orders: Order[] = Array.from({ length: 60 }, (_, i) => {
  const customerId = `cus_${String(i).padStart(2, "0")}`;
  const first = i < 50 ? (i * 37) % 170 : 190 + ((i * 13) % 150);
  const gap = 9 + ((i * 17) % 52);
  const last = i % 4 === 0 ? first + 2 * gap : 364;
  const days: number[] = [];
  for (let d = first; d <= last; d += gap) days.push(d);
  return days.map((d, n) => ({
    customerId,
    orderId: `O-${customerId}-${n}`,
    time: dayOf2025(d),
    amountMinor: 10_000 + ((i * 7 + n * 3) % 9) * 2_500,
  }));
}).flat();

const isCalibration = (order: Order) => order.time <= calibrationEnd;

async function startScoring(name: string, settings: Record<string, string> = {}) {
  const prefix = `${uniqueName(name)}.`;
  const service = await startScoringService({
    config: loadScoringConfig({
      KAFKA_BROKERS: endpoints.kafkaBrokers.join(","),
      MONGODB_URI: endpoints.mongodbUri,
      KAFKA_TOPIC_PREFIX: prefix,
      KAFKA_TOPIC_PARTITIONS: "3",
      HTTP_PORT: "0",
      GRPC_PORT: "0",
      LOG_LEVEL: "silent",
      SCORING_DATABASE: uniqueName(name),
      SCORING_CONSUMER_GROUP: `${prefix}scoring`,
      SCORING_SCHEDULER: "false",
      INSTANCE_ID: `${name}-1`,
      IDENTITY_GRPC_ADDRESS: "127.0.0.1:1",
      ...settings,
    }),
    logger: pino({ level: "silent" }),
    onFatal: (error) => fatalErrors.push(error),
  });
  services.push(service);
  const client = new CustomerServiceClient(`127.0.0.1:${service.grpcPort}`, credentials.createInsecure());
  clients.push(client);
  return { service, client, topic: crmTopics(prefix).resolvedEvents };
}

async function appendOrders(topic: string, appended: readonly Order[]) {
  await producer.send({
    topic,
    acks: -1,
    messages: appended.map((order) => resolvedOrderMessage({ ...order, currency: "KRW" })),
  });
}

function call<Response>(invoke: (done: (error: ServiceError | null, response: Response) => void) => void) {
  return new Promise<Response>((resolve, reject) =>
    invoke((error, response) => (error ? reject(error) : resolve(response))),
  );
}

const refit = (client: CustomerServiceClient, asOf = "") =>
  call<{ model?: PopulationModel }>((done) => client.refitModels({ asOf }, done)).then(
    ({ model }) => model as PopulationModel,
  );

const getCustomer = (client: CustomerServiceClient, customerId: string, asOf = "") =>
  call<GetCustomerResponse>((done) =>
    client.getCustomer({ subject: { $case: "customerId", value: customerId }, asOf }, done),
  );

/** Waits until the service has taken in every order it was sent. */
async function takenIn(client: CustomerServiceClient, sent: readonly Order[]) {
  const ordersByCustomer = new Map<string, number>();
  for (const order of sent)
    ordersByCustomer.set(order.customerId, (ordersByCustomer.get(order.customerId) ?? 0) + 1);
  await waitFor(
    async () => {
      for (const [customerId, count] of ordersByCustomer) {
        try {
          if ((await getCustomer(client, customerId)).customer?.orders?.orders !== count) return false;
        } catch (error) {
          if ((error as ServiceError).code === status.NOT_FOUND) return false;
          throw error;
        }
      }
      return true;
    },
    { timeoutMs: 60_000, intervalMs: 500, description: `${ordersByCustomer.size} customers taken in` },
  );
}

let wholeYear: Awaited<ReturnType<typeof startScoring>>;
let firstHalf: Awaited<ReturnType<typeof startScoring>>;

beforeAll(async () => {
  producer = new Kafka({ brokers: endpoints.kafkaBrokers, logLevel: logLevel.WARN }).producer();
  await producer.connect();
  wholeYear = await startScoring("as-of-whole-year", { SCORING_PURCHASE_MODEL: "auto" });
  firstHalf = await startScoring("as-of-first-half");
  await appendOrders(wholeYear.topic, orders);
  await appendOrders(firstHalf.topic, orders.filter(isCalibration));
  await Promise.all([
    takenIn(wholeYear.client, orders),
    takenIn(firstHalf.client, orders.filter(isCalibration)),
  ]);
}, 120_000);

afterAll(async () => {
  for (const client of clients) client.close();
  for (const service of services) await service.stop();
  await producer?.disconnect();
  expect(fatalErrors).toEqual([]);
});

describe("a population model fitted as of a past time", () => {
  it("is the model fitted on the events up to that time alone", async () => {
    const asOfFit = await refit(wholeYear.client, calibrationEnd);
    const onlyBefore = await refit(firstHalf.client, calibrationEnd);

    expect(asOfFit.fittedAsOf).toBe(calibrationEnd);
    expect(asOfFit.customers).toBe(50);
    expect(asOfFit.purchaseCounts).toBeDefined();
    // Before any backtest, auto fits the default model.
    expect(asOfFit.purchaseCountChoice).toBe("auto: no backtest has fitted a model yet");
    expect(onlyBefore.purchaseCountChoice).toBe("SCORING_PURCHASE_MODEL=pareto-nbd");
    const { modelId: _a, fitDurationMs: _b, purchaseCountChoice: _c, ...fitted } = asOfFit;
    const { modelId: _d, fitDurationMs: _e, purchaseCountChoice: _f, ...expected } = onlyBefore;
    expect(fitted).toEqual(expected);
  });

  it("scores a customer asked about as of a time after it, and nobody before it", async () => {
    const model = await refit(wholeYear.client, calibrationEnd);
    const later = await getCustomer(wholeYear.client, "cus_03", dayOf2025(200));
    expect(later.customer?.modelId).toBe(model.modelId);
    expect(later.customer?.lifetimeValue?.probabilityAlive).toBeGreaterThan(0);

    // The same model and the same orders up to then: the same predictions.
    const atCalibrationEnd = await getCustomer(wholeYear.client, "cus_03", calibrationEnd);
    const inFirstHalf = await getCustomer(firstHalf.client, "cus_03", calibrationEnd);
    expect(atCalibrationEnd.customer?.lifetimeValue?.predictedMinor).toBeGreaterThan(0);
    expect(atCalibrationEnd.customer?.lifetimeValue).toEqual(inFirstHalf.customer?.lifetimeValue);
    const before = await getCustomer(wholeYear.client, "cus_03", dayOf2025(150));
    expect(before.customer?.modelId).toBe("");
    expect(before.customer?.lifetimeValue?.probabilityAlive).toBeUndefined();
  });

  it("leaves the scores of now with the model fitted now", async () => {
    const now = await refit(wholeYear.client);
    await waitFor(
      async () => (await getCustomer(wholeYear.client, "cus_55")).customer?.modelId === now.modelId,
      {
        timeoutMs: 45_000,
        intervalMs: 250,
        description: "customers scored with the model fitted now",
      },
    );
    expect(now.customers).toBe(60);

    const refitted = await refit(wholeYear.client, calibrationEnd);
    const tickedAt = new Date();
    await wholeYear.service.tick(tickedAt);
    await waitFor(
      async () => (await getCustomer(wholeYear.client, "cus_55")).customer?.asOf === tickedAt.toISOString(),
      { timeoutMs: 45_000, intervalMs: 250, description: "customers rescored by the tick" },
    );

    const current = await getCustomer(wholeYear.client, "cus_55");
    expect(current.customer?.modelId).toBe(now.modelId);
    // What the writer stored (the list reads it) is what the 360 computes with the model of now.
    const listed = await call<ListCustomersResponse>((done) =>
      wholeYear.client.listCustomers(ListCustomersRequest.fromPartial({ pageSize: 100 }), done),
    );
    expect(listed.customers.find((customer) => customer.customerId === "cus_55")).toEqual(current.summary);
    expect((await getCustomer(wholeYear.client, "cus_03", dayOf2025(200))).customer?.modelId).toBe(
      refitted.modelId,
    );
  });

  it("backtests every model on the calibration period against the holdout, and auto fits with the closest", async () => {
    const holdoutEnd = "2025-12-31T00:00:00.000Z";
    const backtest = await call<BacktestModelsResponse>((done) =>
      wholeYear.client.backtestModels({ calibrationEnd, holdoutEnd, models: [] }, done),
    );

    expect(backtest).toMatchObject({ customers: 50, calibrationEnd, holdoutEnd, currency: "KRW" });
    expect(backtest.models.map((model) => [model.model, model.failure])).toEqual([
      ["bg-nbd", ""],
      ["mbg-nbd", ""],
      ["pareto-nbd", ""],
    ]);
    // What happened in the holdout: the repeat purchase days of the 50 customers, counted from the orders.
    const holdoutDays = new Set(
      orders
        .filter((order) => order.time > calibrationEnd && order.time <= holdoutEnd)
        .filter((order) =>
          orders.some((first) => first.customerId === order.customerId && isCalibration(first)),
        )
        .map((order) => `${order.customerId} ${order.time.slice(0, 10)}`),
    );
    for (const model of backtest.models) expect(model.purchases?.actual).toBe(holdoutDays.size);
    const errors = backtest.models.map((model) => Math.abs(model.purchases?.percentError ?? Number.NaN));
    const closest = backtest.models[errors.indexOf(Math.min(...errors))];
    expect(backtest.bestModel).toBe(closest?.model);

    const fitted = await refit(wholeYear.client);
    expect(fitted.purchaseCounts?.model).toBe(backtest.bestModel);
    expect(fitted.purchaseCountChoice).toContain(`auto: best on the backtest of ${backtest.ranAt}`);
  });

  it("refuses a backtest whose holdout has not ended, or a model it does not know", async () => {
    const refused = (calibrationEnd: string, holdoutEnd: string, models: string[] = []) =>
      call<BacktestModelsResponse>((done) =>
        wholeYear.client.backtestModels({ calibrationEnd, holdoutEnd, models }, done),
      ).then(
        () => undefined,
        (error: ServiceError) => `${status[error.code]}: ${error.details}`,
      );
    expect(await refused(calibrationEnd, new Date(Date.now() + 86_400_000).toISOString())).toMatch(
      /^INVALID_ARGUMENT: holdout_end must not be after the scoring time/,
    );
    expect(await refused(calibrationEnd, calibrationEnd)).toBe(
      "INVALID_ARGUMENT: holdout_end must be after calibration_end",
    );
    expect(await refused(calibrationEnd, "2025-12-31T00:00:00.000Z", ["nbd"])).toBe(
      "INVALID_ARGUMENT: no purchase-count model nbd; choose from bg-nbd, mbg-nbd, pareto-nbd",
    );
  });

  it("refuses a time after now, and a time that is not one", async () => {
    const refused = (asOf: string) =>
      refit(wholeYear.client, asOf).then(
        () => undefined,
        (error: ServiceError) => error.code,
      );
    expect(await refused(new Date(Date.now() + 86_400_000).toISOString())).toBe(status.INVALID_ARGUMENT);
    expect(await refused("last summer")).toBe(status.INVALID_ARGUMENT);
  });
});
