import { credentials, type ServiceError, status } from "@grpc/grpc-js";
import { callUnary } from "@rapport/grpc";
import {
  CustomerServiceClient,
  type GetCustomerResponse,
  type GetSegmentReportResponse,
  type GetTimelineResponse,
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
 * timeline and the segment report. A question is asked again while scoring is unavailable
 * (restarting): reading changes nothing.
 */
export function createScoringClient(options: ScoringClientOptions) {
  const client = new CustomerServiceClient(options.address, credentials.createInsecure());
  const timeoutMs = options.timeoutMs ?? 30_000;
  const at = `scoring at ${options.address}`;
  const failureOf = (method: string) => (error: ServiceError) => callFailure(at, method, timeoutMs, error);

  async function getModel(): Promise<PopulationModel> {
    const { model } = await readFromService(
      () => callUnary(client, client.getModel, {}, timeoutMs),
      options,
      (error) =>
        error.code === status.FAILED_PRECONDITION
          ? new FatalError(
              `${at} has no population model yet. Wait for the scheduled fit (every ` +
                "SCORING_REFIT_MINUTES, 24 h by default, on the instance with SCORING_SCHEDULER=true), or fit " +
                `one now: grpcurl -plaintext ${options.address} crm.v1.CustomerService/RefitModels`,
            )
          : failureOf("GetModel")(error),
    );
    if (!model) throw new FatalError(`${at} answered GetModel without a model`);
    return model;
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

  return { getModel, getCustomer, getTimeline, getSegmentReport, close: () => client.close() };
}

export type ScoringClient = ReturnType<typeof createScoringClient>;
