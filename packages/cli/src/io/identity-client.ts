import { credentials, Metadata, type ServiceError, status } from "@grpc/grpc-js";
import { IdentityServiceClient, type ListSourceRecordsResponse } from "@rapport/proto";
import { FatalError } from "../cli-errors.js";
import type { SourceRecordPage } from "../export/export-identities.js";

export type IdentityClientOptions = {
  /** host:port of identity's gRPC server, e.g. 127.0.0.1:50052. */
  address: string;
  /** Tries per request while identity is unreachable or unavailable. */
  attempts?: number;
  /** Wait before the second try; doubled before each further one. */
  backoffMs?: number;
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
};

/**
 * Reads identity's source records a page at a time through IdentityService.ListSourceRecords.
 * A page is asked again while identity is unavailable (restarting): reading changes nothing.
 */
export function createIdentityClient(options: IdentityClientOptions) {
  const client = new IdentityServiceClient(options.address, credentials.createInsecure());
  const attempts = options.attempts ?? 3;
  const backoffMs = options.backoffMs ?? 500;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  function ask(pageSize: number, pageToken: string): Promise<ListSourceRecordsResponse> {
    return new Promise((resolve, reject) =>
      client.listSourceRecords(
        { pageSize, pageToken },
        new Metadata(),
        { deadline: Date.now() + timeoutMs },
        (error, response) => (error ? reject(error) : resolve(response)),
      ),
    );
  }

  async function listSourceRecords(pageSize: number, pageToken: string): Promise<SourceRecordPage> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const page = await ask(pageSize, pageToken);
        return {
          records: page.sourceRecords.map(({ sourceRecordId, customerId, source }) => ({
            sourceRecordId,
            customerId,
            source,
          })),
          nextPageToken: page.nextPageToken,
        };
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
    const at = `identity at ${options.address}`;
    switch (error.code) {
      case status.UNAVAILABLE:
        return new FatalError(
          `cannot reach ${at}: is it running? (npm start) [${error.details || "no detail"}]`,
        );
      case status.DEADLINE_EXCEEDED:
        return new FatalError(
          `${at} did not answer a page within ${timeoutMs / 1000} s; try a smaller --page-size`,
        );
      case status.UNIMPLEMENTED:
        return new FatalError(`${at} does not serve ListSourceRecords: is it an older version?`);
      default:
        return new FatalError(`${at} answered ${status[error.code] ?? error.code}: ${error.details}`);
    }
  }

  return { listSourceRecords, close: () => client.close() };
}

export type IdentityClient = ReturnType<typeof createIdentityClient>;

function isServiceError(error: unknown): error is ServiceError {
  return error instanceof Error && typeof (error as Partial<ServiceError>).code === "number";
}
