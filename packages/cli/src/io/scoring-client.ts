import { credentials, Metadata, type ServiceError, status } from "@grpc/grpc-js";
import { CustomerServiceClient, type GetModelResponse, type PopulationModel } from "@rapport/proto";
import { FatalError } from "../cli-errors.js";
import { type ReadRetry, readFromService, serviceFailure } from "./grpc-reads.js";

export type ScoringClientOptions = ReadRetry & {
  /** host:port of scoring's gRPC server (CustomerService), e.g. 127.0.0.1:50053. */
  address: string;
  timeoutMs?: number;
};

/**
 * Asks scoring's CustomerService for the population model in force (GetModel). The question is
 * asked again while scoring is unavailable (restarting): reading changes nothing.
 */
export function createScoringClient(options: ScoringClientOptions) {
  const client = new CustomerServiceClient(options.address, credentials.createInsecure());
  const timeoutMs = options.timeoutMs ?? 30_000;
  const at = `scoring at ${options.address}`;

  function ask(): Promise<GetModelResponse> {
    return new Promise((resolve, reject) =>
      client.getModel({}, new Metadata(), { deadline: Date.now() + timeoutMs }, (error, response) =>
        error ? reject(error) : resolve(response),
      ),
    );
  }

  async function getModel(): Promise<PopulationModel> {
    const { model } = await readFromService(ask, options, failureOf);
    if (!model) throw new FatalError(`${at} answered GetModel without a model`);
    return model;
  }

  function failureOf(error: ServiceError): FatalError {
    switch (error.code) {
      case status.FAILED_PRECONDITION:
        return new FatalError(
          `${at} has no population model yet. Wait for the scheduled fit (every ` +
            "SCORING_REFIT_MINUTES, 24 h by default, on the instance with SCORING_SCHEDULER=true), or fit " +
            `one now: grpcurl -plaintext ${options.address} crm.v1.CustomerService/RefitModels`,
        );
      case status.DEADLINE_EXCEEDED:
        return new FatalError(`${at} did not answer within ${timeoutMs / 1000} s`);
      case status.UNIMPLEMENTED:
        return new FatalError(`${at} does not serve GetModel: is it an older version?`);
      default:
        return serviceFailure(at, error);
    }
  }

  return { getModel, close: () => client.close() };
}

export type ScoringClient = ReturnType<typeof createScoringClient>;
