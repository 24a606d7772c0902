import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type handleUnaryCall, Server, ServerCredentials } from "@grpc/grpc-js";
import {
  ContactChannel,
  CustomerServiceService,
  GetCustomerResponse,
  GetNextBestOffersResponse,
  type GetValuationRequest,
  type GetValuationResponse,
  IdentityGraph,
} from "@rapport/proto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type CloudEventJson,
  checkValuation,
  customer360Lines,
  type EventAnswer,
  exitCodeOf,
  exitCodes,
  type PlatformValuation,
  planImport,
  runImport,
  summaryJson,
  summaryText,
  unvaluedOrderOf,
  type ValuationCheck,
} from "../src/index.js";
import { createProgressReporter } from "../src/io/progress-reporter.js";
import { readFileColumns } from "../src/io/record-stream.js";
import { createRejectionFile, rejectionFilePath } from "../src/io/rejection-file.js";
import { createWarningFile, warningFilePath } from "../src/io/warning-file.js";

/** A KRW platform with a fixed EUR rate and USD rates from 2024-03-02 on. */
const valuation: PlatformValuation = {
  reportingCurrency: "KRW",
  ratedCurrencies: [
    { currency: "EUR", firstRatedDay: "" },
    { currency: "USD", firstRatedDay: "2024-03-02" },
  ],
};

const orderPlaced = (time: string, currency: string): CloudEventJson => ({
  specversion: "1.0",
  id: "order-1",
  type: "crm.v1.OrderPlaced",
  time,
  data: { orderId: "1", total: { amountMinor: 100, currency } },
});

describe("which imported orders scoring cannot value", () => {
  it("is an order in another currency without a rate on its UTC day", () => {
    expect(unvaluedOrderOf(orderPlaced("2024-03-01T10:00:00Z", "KRW"), valuation)).toBeUndefined();
    expect(unvaluedOrderOf(orderPlaced("2020-01-01T00:00:00Z", "eur"), valuation)).toBeUndefined();
    expect(unvaluedOrderOf(orderPlaced("2024-03-02T08:00:00+09:00", "USD"), valuation)).toEqual({
      currency: "USD",
      day: "2024-03-01",
    });
    expect(unvaluedOrderOf(orderPlaced("2024-03-02T09:00:00+09:00", "USD"), valuation)).toBeUndefined();
    expect(unvaluedOrderOf(orderPlaced("2024-03-02T09:00:00Z", "JPY"), valuation)).toEqual({
      currency: "JPY",
      day: "2024-03-02",
    });
    expect(
      unvaluedOrderOf(
        { ...orderPlaced("2024-03-02T09:00:00Z", "JPY"), type: "crm.v1.OrderCancelled" },
        valuation,
      ),
    ).toBeUndefined();
  });
});

describe("an order import under a platform that cannot value every currency", () => {
  let directory = "";

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), "rapport-valuation-"));
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  async function importOrders(rows: readonly string[], check: ValuationCheck) {
    const file = join(directory, "orders.csv");
    await writeFile(file, ["order_id,customer_number,time,amount,currency", ...rows, ""].join("\n"));
    const plan = planImport("orders", new Map(), await readFileColumns(file, "csv"), {
      timeZone: "UTC",
      identifierRules: { defaultPhoneRegion: "KR" },
    });
    if (!plan.ok) throw new Error(plan.detail);
    const tally = await runImport(
      {
        file,
        format: "csv",
        plan: plan.value,
        batchSize: 2,
        maxInFlight: 1,
        ...(check.checked ? { valuation: check.valuation } : {}),
      },
      {
        publish: async (events: readonly CloudEventJson[]): Promise<EventAnswer[]> =>
          events.map((event) =>
            String(event.id).includes("bad")
              ? { status: "rejected", reason: "invalid_identifier", detail: "phone is not valid" }
              : { status: "accepted", eventId: String(event.id) },
          ),
        rejections: await createRejectionFile(rejectionFilePath(file)),
        warnings: await createWarningFile(warningFilePath(file)),
        progress: createProgressReporter({ output: { write: () => true }, clock: () => 0 }),
        clock: () => 0,
      },
    );
    const summary = {
      kind: "orders" as const,
      file,
      rejectionFile: undefined,
      warningFile: undefined,
      elapsedMs: 0,
      tally,
      valuation: check,
    };
    return { tally, text: summaryText(summary), json: JSON.parse(summaryJson(summary)) };
  }

  const rows = [
    "K-1,C-1,2024-03-01 10:00,12000,KRW",
    "U-1,C-2,2024-02-27 10:00,19.99,USD",
    "U-2,C-3,2024-03-01 23:00,5.00,USD",
    "U-3,C-4,2024-03-05 10:00,7.50,USD",
    "E-1,C-5,2024-03-05 10:00,7.50,EUR",
    "J-1,C-6,2024-03-04 10:00,700,JPY",
  ];

  it("imports every order, names each currency it cannot value with what to configure, and exits 3", async () => {
    const { tally, text, json } = await importOrders(rows, { checked: true, valuation });

    expect(tally).toMatchObject({ accepted: 6, rejectedByIngestion: 0 });
    expect(tally.unvaluedOrders).toEqual([
      { currency: "JPY", orders: 1, firstDay: "2024-03-04", lastDay: "2024-03-04" },
      { currency: "USD", orders: 2, firstDay: "2024-02-27", lastDay: "2024-03-01" },
    ]);
    expect(text).toContain(
      "  not valued              3 (in the log, but in no value or score until scoring has their rates)\n" +
        "    JPY × 1, 2024-03-04: scoring has no JPY rate; set SCORING_EXCHANGE_RATES=JPY=<KRW for one JPY>, " +
        "or add JPY lines to SCORING_EXCHANGE_RATES_FILE\n" +
        "    USD × 2, 2024-02-27 to 2024-03-01: before scoring's first USD rate (2024-03-02); add USD rates " +
        "of those days to SCORING_EXCHANGE_RATES_FILE\n",
    );
    expect(json.valuation).toMatchObject({
      checked: true,
      reportingCurrency: "KRW",
      unvaluedOrders: [
        { currency: "JPY", orders: 1 },
        { currency: "USD", orders: 2 },
      ],
    });
    expect(exitCodeOf(tally)).toBe(exitCodes.unvalued);
    expect(exitCodes.unvalued).toBe(3);
  });

  it("exits 2 rather than 3 when rows were also rejected", async () => {
    const { tally } = await importOrders([...rows, "bad-1,C-7,2024-03-05 10:00,1,JPY"], {
      checked: true,
      valuation,
    });

    expect(tally.unvaluedOrders.find((entry) => entry.currency === "JPY")?.orders).toBe(1);
    expect(exitCodeOf(tally)).toBe(exitCodes.rejected);
  });

  it("says every order is valued when scoring has every rate, and exits 0", async () => {
    const { tally, text } = await importOrders(rows.slice(0, 1).concat(rows[4] as string), {
      checked: true,
      valuation,
    });

    expect(text).toContain("  valued in               KRW, every order\n");
    expect(exitCodeOf(tally)).toBe(exitCodes.ok);
  });

  it("imports all the same and says so when scoring could not be asked", async () => {
    const reason =
      "cannot reach scoring at 127.0.0.1:1: is it running? (npm start) [No connection established]";
    const { tally, text, json } = await importOrders(rows, { checked: false, reason });

    expect(tally.accepted).toBe(6);
    expect(text).toContain(`  currencies not checked: ${reason}\n`);
    expect(json.valuation).toEqual({ checked: false, reason });
    expect(exitCodeOf(tally)).toBe(exitCodes.ok);
  });
});

describe("asking scoring what it can value", () => {
  let server: Server | undefined;

  afterEach(() => {
    server?.forceShutdown();
    server = undefined;
  });

  async function scoring(answer: GetValuationResponse): Promise<string> {
    const listening = new Server();
    const getValuation: handleUnaryCall<GetValuationRequest, GetValuationResponse> = (_call, callback) =>
      callback(null, answer);
    listening.addService(CustomerServiceService, { getValuation });
    server = listening;
    const port = await new Promise<number>((resolve, reject) =>
      listening.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      ),
    );
    return `127.0.0.1:${port}`;
  }

  it("learns the reporting currency and the currencies with rates", async () => {
    const address = await scoring({
      reportingCurrency: "KRW",
      ratedCurrencies: [{ currency: "USD", firstRatedDay: "2024-03-02" }],
    });

    expect(await checkValuation(address)).toEqual({
      checked: true,
      valuation: {
        reportingCurrency: "KRW",
        ratedCurrencies: [{ currency: "USD", firstRatedDay: "2024-03-02" }],
      },
    });
  });

  it("is unchecked, with the reason, when scoring cannot be reached", async () => {
    const check = await checkValuation("127.0.0.1:1", 2_000);

    expect(check.checked).toBe(false);
    expect(check.checked ? "" : check.reason).toContain("cannot reach scoring at 127.0.0.1:1");
  });
});

describe("the customer 360's orders", () => {
  it("say which orders scoring cannot value, why, and what to configure", () => {
    const text = customer360Lines({
      graph: IdentityGraph.fromPartial({ customerId: "cus_ann" }),
      customer: GetCustomerResponse.fromPartial({
        customer: {
          customerId: "cus_ann",
          currency: "KRW",
          orders: {
            orders: 1,
            revenueMinor: 26_996,
            ordersInOtherCurrencies: 3,
            unvaluedOrders: [
              {
                currency: "EUR",
                orders: 2,
                firstOrderAt: "2024-02-27T10:00:00.000Z",
                lastOrderAt: "2024-03-01T23:00:00.000Z",
              },
            ],
          },
        },
        summary: { customerId: "cus_ann" },
      }),
      offers: GetNextBestOffersResponse.fromPartial({ customerId: "cus_ann" }),
      channel: ContactChannel.CONTACT_CHANNEL_EMAIL,
    }).join("\n");

    expect(text).toContain("  revenue             26,996 KRW, margin 0 KRW, average order 0 KRW");
    expect(text).toContain(
      "  not valued          2 EUR orders (2024-02-27 10:00 to 2024-03-01 23:00): scoring has no EUR rate to KRW " +
        "for their days, so they are in no amount or score; give one in SCORING_EXCHANGE_RATES or " +
        "SCORING_EXCHANGE_RATES_FILE and they count from the next rescoring",
    );
  });
});
