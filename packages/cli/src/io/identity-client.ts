import { credentials, Metadata, type ServiceError, status } from "@grpc/grpc-js";
import { IdentityServiceClient, type ListSourceRecordsResponse } from "@rapport/proto";
import { FatalError } from "../cli-errors.js";
import type { SourceRecordPage } from "../export/export-identities.js";
import { type ReadRetry, readFromService, serviceFailure } from "./grpc-reads.js";

export type IdentityClientOptions = ReadRetry & {
  /** host:port of identity's gRPC server, e.g. 127.0.0.1:50052. */
  address: string;
  timeoutMs?: number;
};

/**
 * Reads identity's source records a page at a time through IdentityService.ListSourceRecords.
 * A page is asked again while identity is unavailable (restarting): reading changes nothing.
 */
export function createIdentityClient(options: IdentityClientOptions) {
  const client = new IdentityServiceClient(options.address, credentials.createInsecure());
  const timeoutMs = options.timeoutMs ?? 60_000;
  const at = `identity at ${options.address}`;

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
    const page = await readFromService(() => ask(pageSize, pageToken), options, failureOf);
    return {
      records: page.sourceRecords.map(({ sourceRecordId, customerId, source }) => ({
        sourceRecordId,
        customerId,
        source,
      })),
      nextPageToken: page.nextPageToken,
    };
  }

  function failureOf(error: ServiceError): FatalError {
    switch (error.code) {
      case status.DEADLINE_EXCEEDED:
        return new FatalError(
          `${at} did not answer a page within ${timeoutMs / 1000} s; try a smaller --page-size`,
        );
      case status.UNIMPLEMENTED:
        return new FatalError(`${at} does not serve ListSourceRecords: is it an older version?`);
      default:
        return serviceFailure(at, error);
    }
  }

  return { listSourceRecords, close: () => client.close() };
}

export type IdentityClient = ReturnType<typeof createIdentityClient>;
