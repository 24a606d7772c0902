import { credentials, type ServiceError, status } from "@grpc/grpc-js";
import { callUnary } from "@rapport/grpc";
import {
  type BacktestModelsResponse,
  CustomerServiceClient,
  type GetCustomerResponse,
  type GetSegmentReportResponse,
  type GetTimelineResponse,
  type GetValuationResponse,
  type PopulationModel,
} from "@rapport/proto";
import { FatalError } from "../cli-errors.js";
import type { CustomerSubject } from "../customer-subject.js";
import { callFailure, type ReadRetry, readFromService } from "./grpc-reads.js";

export type ScoringClientOptions = ReadRetry & {
  /** host:port of scoring's gRPC server (CustomerService), e.g. 127.0.0.1:50053. */
  address: string;
  timeoutMs?: number;
};

/**
 * Reads scoring's CustomerService: the population model in force, a customer's 360, their
 * timeline, the segment report and the currencies it can value. A question is asked again while scoring is unavailable
 * (restarting): reading changes nothing.
 */
export function createScoringClient(options: ScoringClientOptions) {
  const client = new CustomerServiceClient(options.address, credentials.createInsecure());
  const timeoutMs = options.timeoutMs ?? 30_000;
  const fitTimeoutMs = options.timeoutMs ?? 30 * 60_000;
  const at = `scoring at ${options.address}`;
  const failureOf = (method: string) => (error: ServiceError) => callFailure(at, method, timeoutMs, error);

  /** The model in force now, or at `asOf` (an ISO instant). */
  async function getModel(asOf = ""): Promise<PopulationModel> {
    const { model } = await readFromService(
      () => callUnary(client, client.getModel, { asOf }, timeoutMs),
      options,
      (error) =>
        error.code === status.FAILED_PRECONDITION
          ? new FatalError(
              asOf === ""
                ? `${at} has no population model yet. Wait for the scheduled fit (every ` +
                    "SCORING_REFIT_MINUTES, 24 h by default, on the instance with SCORING_SCHEDULER=true), " +
                    "or fit one now: rapport model scoring --refit"
                : `${at} has no population model fitted as of ${asOf} or before. Fit one as of then: ` +
                    `rapport model scoring --refit --as-of ${asOf}`,
            )
          : failureOf("GetModel")(error),
    );
    if (!model) throw new FatalError(`${at} answered GetModel without a model`);
    return model;
  }

  /**
   * Fits the population model now, or as of `asOf` on the events up to it, and answers it. A fit
   * reads every customer: it may take minutes on a large population.
   */
  async function refitModels(asOf = ""): Promise<PopulationModel> {
    const { model } = await readFromService(
      () => callUnary(client, client.refitModels, { asOf }, fitTimeoutMs),
      options,
      (error) => callFailure(at, "RefitModels", fitTimeoutMs, error),
    );
    if (!model) throw new FatalError(`${at} answered RefitModels without a model`);
    return model;
  }

  /** Backtests the purchase-count models on a period (ISO instants); models empty for every one. */
  async function backtestModels(
    calibrationEnd: string,
    holdoutEnd: string,
    models: readonly string[],
  ): Promise<BacktestModelsResponse> {
    return readFromService(
      () =>
        callUnary(
          client,
          client.backtestModels,
          { calibrationEnd, holdoutEnd, models: [...models] },
          fitTimeoutMs,
        ),
      options,
      (error) => callFailure(at, "BacktestModels", fitTimeoutMs, error),
    );
  }

  /** The customer's profile and summary now; NOT_FOUND (in words) when scoring has not seen them. */
  function getCustomer(subject: CustomerSubject): Promise<GetCustomerResponse> {
    return readFromService(
      () => callUnary(client, client.getCustomer, { subject, asOf: "" }, timeoutMs),
      options,
      failureOf("GetCustomer"),
    );
  }

  /** One page of the customer's timeline, newest first. */
  function getTimeline(
    subject: CustomerSubject,
    pageSize: number,
    pageToken: string,
  ): Promise<GetTimelineResponse> {
    return readFromService(
      () => callUnary(client, client.getTimeline, { subject, pageSize, pageToken }, timeoutMs),
      options,
      failureOf("GetTimeline"),
    );
  }

  function getSegmentReport(): Promise<GetSegmentReportResponse> {
    return readFromService(
      () => callUnary(client, client.getSegmentReport, {}, timeoutMs),
      options,
      failureOf("GetSegmentReport"),
    );
  }

  /** The reporting currency and the currencies scoring has rates to it for. */
  function getValuation(): Promise<GetValuationResponse> {
    return readFromService(
      () => callUnary(client, client.getValuation, {}, timeoutMs),
      options,
      failureOf("GetValuation"),
    );
  }

  return {
    getModel,
    refitModels,
    backtestModels,
    getCustomer,
    getTimeline,
    getSegmentReport,
    getValuation,
    close: () => client.close(),
  };
}

export type ScoringClient = ReturnType<typeof createScoringClient>;
