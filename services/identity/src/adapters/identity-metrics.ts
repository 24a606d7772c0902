import { Counter, type Registry } from "@rapport/telemetry";

/** What an operator watches on identity: events resolved, and the identity events they caused. */
export function createIdentityMetrics(registry: Registry) {
  return {
    resolved: new Counter({
      name: "rapport_identity_events_resolved_total",
      help: "crm.events events resolved to a customer and appended to crm.events.resolved, by whether a merge happened",
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
