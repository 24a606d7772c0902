import { Counter, type Registry } from "@rapport/telemetry";

/** What an operator watches on identity: events resolved, and the identity events they caused. */
export function createIdentityMetrics(registry: Registry) {
  return {
    resolved: new Counter({
      name: "rapport_identity_events_resolved_total",
      help: "crm.events events resolved to a customer, by whether a merge happened (a part handled again after a failed commit counts again)",
      labelNames: ["merged"] as const,
      registers: [registry],
    }),
    identityEvents: new Counter({
      name: "rapport_identity_identity_events_total",
      help: "Identity events emitted on crm.identity, by type (IdentifierLinked, CustomersMerged, MergeRefused, ...)",
      labelNames: ["type"] as const,
      registers: [registry],
    }),
  };
}

export type IdentityMetrics = ReturnType<typeof createIdentityMetrics>;
