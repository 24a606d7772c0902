import { credentials, Metadata, status } from "@grpc/grpc-js";
import type { Identifier } from "@rapport/events";
import { IdentifierType, IdentityServiceClient, type ResolveRequest } from "@rapport/proto";
import type { ResolveLookup } from "./resolve-lookups.js";

const protoTypes: Record<Identifier["type"], IdentifierType> = {
  customer_number: IdentifierType.IDENTIFIER_TYPE_CUSTOMER_NUMBER,
  email: IdentifierType.IDENTIFIER_TYPE_EMAIL,
  phone: IdentifierType.IDENTIFIER_TYPE_PHONE,
  loyalty_card: IdentifierType.IDENTIFIER_TYPE_LOYALTY_CARD,
  device_id: IdentifierType.IDENTIFIER_TYPE_DEVICE_ID,
  cookie_id: IdentifierType.IDENTIFIER_TYPE_COOKIE_ID,
};

/** An identifier as the gRPC services take it. */
export function protoIdentifierOf(identifier: Identifier): { type: IdentifierType; value: string } {
  return { type: protoTypes[identifier.type], value: identifier.value };
}

export function resolveRequestOf(identifier: Identifier): ResolveRequest {
  return { identifiers: [protoIdentifierOf(identifier)] };
}

export type ResolveLoadOptions = {
  /** host:port of identity instances; client k calls instance k mod n. */
  addresses: readonly string[];
  /** Concurrent clients, each with its own connection and one call in flight. */
  clients: number;
  /** The calls, made in order by whichever client is free next. */
  lookups: readonly ResolveLookup[];
  deadlineMs: number;
  /** Called after each answer with the number answered so far. */
  onAnswer?: (answered: number) => void;
};

/** An answer that is not what the lookup expects: OK for a known identifier, NOT_FOUND for an unknown one. */
export type UnexpectedAnswer = { identifier: Identifier; code: number; details: string };

export type ResolveLoadResult = {
  /** Each call's wall time from the call to its answer, in milliseconds. */
  latenciesMs: number[];
  found: number;
  notFound: number;
  unexpected: UnexpectedAnswer[];
  /** The customer id each answered lookup got, by position in `lookups` (undefined: not found). */
  customerIds: (string | undefined)[];
  wallSeconds: number;
};

type Answer = { code: number; details: string; customerId?: string };

/**
 * Calls crm.v1.IdentityService/Resolve from a fixed number of concurrent clients (a closed loop: a
 * client makes its next call when the previous answer has arrived) and times each call.
 */
export async function runResolveLoad(options: ResolveLoadOptions): Promise<ResolveLoadResult> {
  const clients = Array.from(
    { length: options.clients },
    (_, k) =>
      new IdentityServiceClient(
        options.addresses[k % options.addresses.length] as string,
        credentials.createInsecure(),
        // Its own connection, as K separate callers (web servers, call-center desks) would have.
        { "grpc.use_local_subchannel_pool": 1 },
      ),
  );
  const latenciesMs: number[] = [];
  const customerIds: (string | undefined)[] = new Array(options.lookups.length).fill(undefined);
  const unexpected: UnexpectedAnswer[] = [];
  let found = 0;
  let notFound = 0;
  let next = 0;

  const resolve = (client: IdentityServiceClient, identifier: Identifier) =>
    new Promise<Answer>((settle) => {
      client.resolve(
        resolveRequestOf(identifier),
        new Metadata(),
        { deadline: Date.now() + options.deadlineMs },
        (error, response) =>
          settle(
            error
              ? { code: error.code, details: error.details }
              : { code: status.OK, details: "", customerId: response.customerId },
          ),
      );
    });

  const caller = async (client: IdentityServiceClient) => {
    while (next < options.lookups.length) {
      const position = next++;
      const lookup = options.lookups[position] as ResolveLookup;
      const startMs = performance.now();
      const answer = await resolve(client, lookup.identifier);
      latenciesMs.push(performance.now() - startMs);
      if (answer.code === status.OK) found += 1;
      if (answer.code === status.NOT_FOUND) notFound += 1;
      customerIds[position] = answer.customerId;
      const expected = lookup.isKnown ? status.OK : status.NOT_FOUND;
      if (answer.code !== expected) {
        unexpected.push({ identifier: lookup.identifier, code: answer.code, details: answer.details });
      }
      options.onAnswer?.(latenciesMs.length);
    }
  };

  try {
    await Promise.all(
      clients.map(
        (client) =>
          new Promise<void>((ready, fail) =>
            client.waitForReady(Date.now() + 30_000, (error) => (error ? fail(error) : ready())),
          ),
      ),
    );
    const startMs = performance.now();
    await Promise.all(clients.map(caller));
    return {
      latenciesMs,
      found,
      notFound,
      unexpected,
      customerIds,
      wallSeconds: (performance.now() - startMs) / 1000,
    };
  } finally {
    for (const client of clients) client.close();
  }
}
