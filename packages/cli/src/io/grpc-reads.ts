import { type ServiceError, status } from "@grpc/grpc-js";
import { FatalError } from "../cli-errors.js";

/** How a read from a service is tried again while the service is restarting. */
export type ReadRetry = {
  /** Tries while the service is unreachable or unavailable. */
  attempts?: number;
  /** Wait before the second try; doubled before each further one. */
  backoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
};

/**
 * Reads with `ask`, asking again while the service answers UNAVAILABLE (restarting: reading changes
 * nothing); any other failure, and the last, becomes the FatalError `failureOf` words for it.
 */
export async function readFromService<T>(
  ask: () => Promise<T>,
  retry: ReadRetry,
  failureOf: (error: ServiceError) => FatalError,
): Promise<T> {
  const attempts = retry.attempts ?? 3;
  const backoffMs = retry.backoffMs ?? 500;
  const sleep = retry.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await ask();
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

/** The words for the failures every service read can meet: unreachable, or anything unexpected. */
export function serviceFailure(at: string, error: ServiceError): FatalError {
  if (error.code === status.UNAVAILABLE)
    return new FatalError(`cannot reach ${at}: is it running? (npm start) [${error.details || "no detail"}]`);
  return new FatalError(`${at} answered ${status[error.code] ?? error.code}: ${error.details}`);
}

/**
 * The words for a failed call of one method: too slow, not served by this version, or what
 * serviceFailure says (a refusal keeps the service's own explanation).
 */
export function callFailure(at: string, method: string, timeoutMs: number, error: ServiceError): FatalError {
  switch (error.code) {
    case status.DEADLINE_EXCEEDED:
      return new FatalError(`${at} did not answer ${method} within ${timeoutMs / 1000} s`);
    case status.UNIMPLEMENTED:
      return new FatalError(`${at} does not serve ${method}: is it an older version?`);
    default:
      return serviceFailure(at, error);
  }
}

function isServiceError(error: unknown): error is ServiceError {
  return error instanceof Error && typeof (error as Partial<ServiceError>).code === "number";
}
