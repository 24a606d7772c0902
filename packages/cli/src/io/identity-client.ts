import { credentials, type ServiceError, status } from "@grpc/grpc-js";
import { callUnary } from "@rapport/grpc";
import { type IdentityGraph, IdentityServiceClient } from "@rapport/proto";
import { FatalError } from "../cli-errors.js";
import type { CustomerSubject } from "../customer-subject.js";
import type { SourceRecordPage } from "../export/export-identities.js";
import { callFailure, type ReadRetry, readFromService } from "./grpc-reads.js";

export type IdentityClientOptions = ReadRetry & {
  /** host:port of identity's gRPC server, e.g. 127.0.0.1:50052. */
  address: string;
  timeoutMs?: number;
};

/**
 * Reads identity's gRPC API: source records a page at a time (ListSourceRecords) and a customer's
 * identity graph. A question is asked again while identity is unavailable (restarting): reading
 * changes nothing.
 */
export function createIdentityClient(options: IdentityClientOptions) {
  const client = new IdentityServiceClient(options.address, credentials.createInsecure());
  const timeoutMs = options.timeoutMs ?? 60_000;
  const at = `identity at ${options.address}`;

  async function listSourceRecords(pageSize: number, pageToken: string): Promise<SourceRecordPage> {
    const page = await readFromService(
      () => callUnary(client, client.listSourceRecords, { pageSize, pageToken }, timeoutMs),
      options,
      (error: ServiceError) =>
        error.code === status.DEADLINE_EXCEEDED
          ? new FatalError(
              `${at} did not answer a page within ${timeoutMs / 1000} s; try a smaller --page-size`,
            )
          : callFailure(at, "ListSourceRecords", timeoutMs, error),
    );
    return {
      records: page.sourceRecords.map(({ sourceRecordId, customerId, source }) => ({
        sourceRecordId,
        customerId,
        source,
      })),
      nextPageToken: page.nextPageToken,
    };
  }

  /** Everything identity knows of the customer; NOT_FOUND (in words) when no customer matches. */
  async function getIdentityGraph(subject: CustomerSubject): Promise<IdentityGraph> {
    const { graph } = await readFromService(
      () => callUnary(client, client.getIdentityGraph, { subject }, timeoutMs),
      options,
      (error) => callFailure(at, "GetIdentityGraph", timeoutMs, error),
    );
    if (!graph) throw new FatalError(`${at} answered GetIdentityGraph without a graph`);
    return graph;
  }

  return { listSourceRecords, getIdentityGraph, close: () => client.close() };
}

export type IdentityClient = ReturnType<typeof createIdentityClient>;
