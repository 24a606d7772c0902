import {
  type handleUnaryCall,
  Server,
  ServerCredentials,
  type ServerWritableStream,
  type ServiceError,
  status,
} from "@grpc/grpc-js";
import {
  type CustomerServiceServer,
  CustomerServiceService,
  type CustomerSummary,
  type ListCustomersRequest,
  type StreamCustomersRequest,
  type StreamCustomersResponse,
} from "@rapport/proto";

/** One StreamCustomers call as the stand-in served it (performance.now() times). */
export type StreamServed = { startMs: number; endMs: number; written: number; wasCancelled: boolean };

export type ScoringStandIn = {
  /** host:port for SCORING_GRPC_ADDRESS. */
  address: string;
  /** The customers scoring knows from now on, in the order StreamCustomers streams them. */
  setCustomers(summaries: readonly CustomerSummary[]): void;
  /** The StreamCustomers calls served so far (finished ones). */
  streams(): readonly StreamServed[];
  /** Customers written by StreamCustomers calls so far, finished or not. */
  streamedCustomers(): number;
  getCustomerCalls(): number;
  stop(): Promise<void>;
};

/**
 * A stand-in for scoring's crm.v1.CustomerService on 127.0.0.1, in the benchmark process: GetCustomer
 * by customer id answers the customer's CustomerSummary (no CustomerProfile) or NOT_FOUND, and
 * StreamCustomers streams every customer of an unfiltered list, honouring flow control. Scoring is one
 * of our services, not infrastructure: the real one needs identity and a scored population, whose
 * building would mix their cost into the offer service's figures. Its other methods answer UNIMPLEMENTED.
 */
export async function startScoringStandIn(): Promise<ScoringStandIn> {
  let customers: readonly CustomerSummary[] = [];
  let byId = new Map<string, CustomerSummary>();
  const served: StreamServed[] = [];
  const streamed = { customers: 0 };
  let getCustomerCalls = 0;
  const unimplemented: handleUnaryCall<unknown, never> = (_call, callback) =>
    callback({
      code: status.UNIMPLEMENTED,
      details: "the benchmark's scoring stand-in does not answer this",
    });

  const implementation: CustomerServiceServer = {
    getCustomer(call, callback) {
      getCustomerCalls += 1;
      const subject = call.request.subject;
      if (subject?.$case !== "customerId") {
        callback(failure(status.INVALID_ARGUMENT, "the stand-in looks customers up by customer_id only"));
        return;
      }
      const summary = byId.get(subject.value);
      if (summary) callback(null, { customer: undefined, summary });
      else callback(failure(status.NOT_FOUND, `no customer ${subject.value}`));
    },
    streamCustomers(call: ServerWritableStream<StreamCustomersRequest, StreamCustomersResponse>) {
      if (isFiltered(call.request.list)) {
        call.emit("error", failure(status.INVALID_ARGUMENT, "the stand-in streams unfiltered lists only"));
        return;
      }
      void stream(call, customers, streamed).then((record) => served.push(record));
    },
    getTimeline: unimplemented,
    listCustomers: unimplemented,
    getSegmentReport: unimplemented,
    getWebAnalytics: unimplemented,
    getModel: unimplemented,
    refitModels: unimplemented,
    getValuation: unimplemented,
    backtestModels: unimplemented,
  };

  const server = new Server();
  server.addService(CustomerServiceService, implementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return {
    address: `127.0.0.1:${port}`,
    setCustomers(summaries) {
      customers = summaries;
      byId = new Map(summaries.map((summary) => [summary.customerId, summary]));
    },
    streams: () => served,
    streamedCustomers: () => streamed.customers,
    getCustomerCalls: () => getCustomerCalls,
    stop: () =>
      new Promise<void>((resolve) => {
        const forced = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 5_000);
        server.tryShutdown(() => {
          clearTimeout(forced);
          resolve();
        });
      }),
  };
}

async function stream(
  call: ServerWritableStream<StreamCustomersRequest, StreamCustomersResponse>,
  customers: readonly CustomerSummary[],
  streamed: { customers: number },
): Promise<StreamServed> {
  const startMs = performance.now();
  let written = 0;
  for (const customer of customers) {
    if (call.cancelled) return { startMs, endMs: performance.now(), written, wasCancelled: true };
    written += 1;
    streamed.customers += 1;
    if (!call.write({ customer })) await new Promise((resolve) => call.once("drain", resolve));
  }
  call.end();
  return { startMs, endMs: performance.now(), written, wasCancelled: false };
}

function isFiltered(list: ListCustomersRequest | undefined): boolean {
  if (!list) return false;
  return (
    list.tiers.length + list.lifecycleStages.length + list.rfmSegments.length + list.segmentCells.length >
      0 ||
    list.minPredictedValueMinor !== undefined ||
    list.minChurnRisk !== undefined
  );
}

function failure(code: status, details: string): Partial<ServiceError> {
  return { code, details, message: details };
}
