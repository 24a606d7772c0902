import { credentials, Metadata, type ServiceError, status } from "@grpc/grpc-js";
import { CustomerServiceClient, type GetModelResponse, type PopulationModel } from "@rapport/proto";
import { FatalError } from "../cli-errors.js";

export type ScoringClientOptions = {
  /** host:port of scoring's gRPC server (CustomerService), e.g. 127.0.0.1:50053. */
  address: string;
  /** Tries per request while scoring is unreachable or unavailable. */
  attempts?: number;
  /** Wait before the second try; doubled before each further one. */
  backoffMs?: number;
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
};

/**
 * Asks scoring's CustomerService for the population model in force (GetModel). The question is
 * asked again while scoring is unavailable (restarting): reading changes nothing.
 */
export function createScoringClient(options: ScoringClientOptions) {
  const client = new CustomerServiceClient(options.address, credentials.createInsecure());
  const attempts = options.attempts ?? 3;
  const backoffMs = options.backoffMs ?? 500;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const at = `scoring at ${options.address}`;

  function ask(): Promise<GetModelResponse> {
    return new Promise((resolve, reject) =>
      client.getModel({}, new Metadata(), { deadline: Date.now() + timeoutMs }, (error, response) =>
        error ? reject(error) : resolve(response),
      ),
    );
  }

  async function getModel(): Promise<PopulationModel> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const { model } = await ask();
        if (!model) throw new FatalError(`${at} answered GetModel without a model`);
        return model;
      } catch (error) {
        if (!isServiceError(error)) throw error;
        if (error.code === status.UNAVAILABLE && attempt < attempts) {
          await sleep(backoffMs * 2 ** (attempt - 1));
          continue;
        }
        throw failureOf(error);
      }
    }
  }

  function failureOf(error: ServiceError): FatalError {
    switch (error.code) {
      case status.UNAVAILABLE:
        return new FatalError(
          `cannot reach ${at}: is it running? (npm start) [${error.details || "no detail"}]`,
        );
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
        return new FatalError(`${at} answered ${status[error.code] ?? error.code}: ${error.details}`);
    }
  }

  return { getModel, close: () => client.close() };
}

export type ScoringClient = ReturnType<typeof createScoringClient>;

function isServiceError(error: unknown): error is ServiceError {
  return error instanceof Error && typeof (error as Partial<ServiceError>).code === "number";
}
