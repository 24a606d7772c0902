import { credentials, type ServiceError, status } from "@grpc/grpc-js";
import { type Identifier, identifierTypes } from "@rapport/events";
import { callUnary } from "@rapport/grpc";
import {
  CustomerServiceClient,
  enumNames,
  type GetCustomerResponse,
  IdentifierType,
  IdentityServiceClient,
  type IdentityStats,
} from "@rapport/proto";
import type { Dataset } from "./dataset.js";
import type { Platform } from "./platform.js";

const identifierTypeNames = enumNames(IdentifierType, "IDENTIFIER_TYPE_", identifierTypes);

/** An identifier as identity's and scoring's gRPC requests take it. */
export function protoIdentifier(identifier: Identifier) {
  return { type: identifierTypeNames.valueOf(identifier.type) as IdentifierType, value: identifier.value };
}

/**
 * What the platform made of a dataset, with its customer ids replaced by labels: each customer is
 * named by the smallest of the dataset's identifiers that resolve to it. A customer id is derived
 * from the event that founded the customer, and which event that is depends on how the partitions
 * of crm.events interleave, so two runs over the same dataset may give one person different ids;
 * the labels make two runs comparable.
 */
export type PlatformProjection = {
  /** Every identifier of the dataset (as sent) → the label of its customer. */
  customerOf: Record<string, string>;
  identityStats: IdentityStats | undefined;
  /** Scoring's GetCustomer answer for each label, its customer ids replaced by labels. */
  customers: Record<string, GetCustomerResponse>;
};

/** Reads the projection through identity's and scoring's gRPC APIs; NOT_FOUND leaves a customer out. */
export async function readProjection(platform: Platform, dataset: Dataset): Promise<PlatformProjection> {
  const identity = new IdentityServiceClient(platform.grpcAddress.identity, credentials.createInsecure());
  const scoring = new CustomerServiceClient(platform.grpcAddress.scoring, credentials.createInsecure());
  try {
    const idOf = new Map<string, string>();
    for (const identifier of identifiersOf(dataset)) {
      const answer = await callUnary(
        identity,
        identity.resolve,
        {
          identifiers: [protoIdentifier(identifier)],
        },
        60_000,
      ).catch(notFoundAsUndefined);
      if (answer) idOf.set(keyOf(identifier), answer.customerId);
    }
    const labelOf = new Map<string, string>();
    for (const [key, customerId] of [...idOf].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      if (!labelOf.has(customerId)) labelOf.set(customerId, key);

    const customers: Record<string, GetCustomerResponse> = {};
    for (const [customerId, label] of labelOf) {
      const answer = await callUnary(
        scoring,
        scoring.getCustomer,
        {
          subject: { $case: "customerId", value: customerId },
          asOf: "",
        },
        60_000,
      ).catch(notFoundAsUndefined);
      if (answer) customers[label] = withLabels(answer, labelOf);
    }
    const stats = await callUnary(identity, identity.getIdentityStats, {}, 60_000);
    return {
      customerOf: Object.fromEntries([...idOf].map(([key, id]) => [key, labelOf.get(id) ?? id])),
      identityStats: stats.stats,
      customers,
    };
  } finally {
    identity.close();
    scoring.close();
  }
}

export function keyOf(identifier: Identifier): string {
  return `${identifier.type}:${identifier.value}`;
}

/** Every identifier the dataset's events name, as sent. */
function identifiersOf(dataset: Dataset): Identifier[] {
  const byKey = new Map<string, Identifier>();
  for (const { event } of [...dataset.firstPhase, ...dataset.secondPhase])
    for (const identifier of event.data.customer.identifiers) byKey.set(keyOf(identifier), identifier);
  return [...byKey.values()];
}

const customerIdPattern = /^cus_[0-9a-f]{24}$/;

/** The answer with every customer id replaced by its label; ids of merged customers by "merged". */
function withLabels(answer: GetCustomerResponse, labelOf: ReadonlyMap<string, string>): GetCustomerResponse {
  return JSON.parse(JSON.stringify(answer), (_key, value: unknown) =>
    typeof value === "string" && customerIdPattern.test(value) ? (labelOf.get(value) ?? "merged") : value,
  ) as GetCustomerResponse;
}

function notFoundAsUndefined(error: ServiceError): undefined {
  if (error.code === status.NOT_FOUND) return undefined;
  throw error;
}
