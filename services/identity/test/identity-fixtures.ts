import type { Identifier } from "@rapport/events";
import { foldIdentityGraph } from "../src/domain/evolve-identity-graph.js";
import { defaultIdentityRules, type IdentityRules } from "../src/domain/identifier-rules.js";
import type { IdentityEvent } from "../src/domain/identity-events.js";
import { emptyIdentityGraph, type IdentityGraph } from "../src/domain/identity-graph.js";
import { customerIdFoundedBy } from "../src/domain/identity-types.js";
import { decideResolution, type Resolution, type ResolutionRequest } from "../src/domain/resolution.js";

export const customerNumber = (value: string): Identifier => ({ type: "customer_number", value });
export const email = (value: string): Identifier => ({ type: "email", value });
export const phone = (value: string): Identifier => ({ type: "phone", value });
export const loyaltyCard = (value: string): Identifier => ({ type: "loyalty_card", value });
export const device = (value: string): Identifier => ({ type: "device_id", value });
export const cookie = (value: string): Identifier => ({ type: "cookie_id", value });

/** A time on 1 March 2026, e.g. at("10:30"). */
export const at = (clock: string): string => `2026-03-01T${clock}:00.000Z`;

/** An event of crm.events as resolution sees it; the source only matters to stats. */
export function eventOf(
  eventId: string,
  time: string,
  identifiers: Identifier[],
  source = "shop",
): ResolutionRequest {
  return { eventId, time, source, identifiers };
}

/** The customer founded by an event that met no known identifier. */
export const foundedBy = customerIdFoundedBy;

/** The outcome of resolving one event, and the graph once its identity events are applied. */
export type ResolutionStep = Resolution & { graph: IdentityGraph };

/**
 * Resolves one event against a graph and applies what was decided, as the service does for each
 * event of crm.events.
 */
export function resolve(
  graph: IdentityGraph,
  event: ResolutionRequest,
  rules: IdentityRules = defaultIdentityRules,
): ResolutionStep {
  const resolution = decideResolution(event, graph, rules);
  if (resolution.kind !== "resolved") throw new Error(`event ${event.eventId} is unresolvable`);
  return { ...resolution, graph: foldIdentityGraph(resolution.identityEvents, graph) };
}

/** The graph after resolving a history of events, in order (from an empty graph unless told). */
export function given(
  events: ResolutionRequest[],
  rules: IdentityRules = defaultIdentityRules,
  start: IdentityGraph = emptyIdentityGraph(),
): IdentityGraph {
  return events.reduce((graph, event) => resolve(graph, event, rules).graph, start);
}

/** The identity events deciding a history produced, in order. */
export function identityEventsOf(
  events: ResolutionRequest[],
  rules: IdentityRules = defaultIdentityRules,
): IdentityEvent[] {
  const produced: IdentityEvent[] = [];
  events.reduce((graph, event) => {
    const step = resolve(graph, event, rules);
    produced.push(...step.identityEvents);
    return step.graph;
  }, emptyIdentityGraph());
  return produced;
}
