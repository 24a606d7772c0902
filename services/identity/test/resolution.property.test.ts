import type { Identifier } from "@rapport/events";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { foldIdentityGraph } from "../src/domain/evolve-identity-graph.js";
import { defaultIdentityRules } from "../src/domain/identifier-rules.js";
import type { IdentityEvent } from "../src/domain/identity-events.js";
import {
  emptyIdentityGraph,
  type IdentityGraph,
  identifierCount,
  identifierPartition,
  identifiersOf,
  ownerOf,
  resolveRoot,
  rootCustomers,
} from "../src/domain/identity-graph.js";
import { compareText, identifierKey } from "../src/domain/identity-types.js";
import type { ResolutionRequest } from "../src/domain/resolution.js";
import { at, eventOf, resolve } from "./identity-fixtures.js";

/**
 * People whose identifiers stay within every rule: at most one customer number, and no more of a
 * type than its default limit. Events about one person carry some of that person's identifiers,
 * so no order of them can ever bring a protection rule into play.
 */
const personArbitrary = fc
  .record({
    customer_number: fc.integer({ min: 0, max: 1 }),
    loyalty_card: fc.integer({ min: 0, max: 3 }),
    email: fc.integer({ min: 0, max: 5 }),
    phone: fc.integer({ min: 0, max: 2 }),
    device_id: fc.integer({ min: 0, max: 2 }),
    cookie_id: fc.integer({ min: 0, max: 4 }),
  })
  .filter((counts) => Object.values(counts).some((count) => count > 0));

const peopleArbitrary = fc
  .array(personArbitrary, { minLength: 1, maxLength: 4 })
  .map((people) =>
    people.map((counts, person) =>
      Object.entries(counts).flatMap(([type, count]) =>
        Array.from({ length: count }, (_, index) => ({ type, value: `p${person}-${index}` }) as Identifier),
      ),
    ),
  );

const eventSetArbitrary = peopleArbitrary.chain((people) =>
  fc
    .array(
      fc.record({
        identifiers: fc.integer({ min: 0, max: people.length - 1 }).chain((person) => {
          const identifiers = people[person] ?? [];
          return fc.shuffledSubarray(identifiers, {
            minLength: 1,
            maxLength: Math.min(4, identifiers.length),
          });
        }),
        minute: fc.integer({ min: 0, max: 59 }),
      }),
      { minLength: 1, maxLength: 25 },
    )
    .map((drafts) =>
      drafts.map(({ identifiers, minute }, index) =>
        eventOf(`src:${index}`, at(`10:${String(minute).padStart(2, "0")}`), identifiers),
      ),
    ),
);

/** Any order of the events, with some of them delivered again (at-least-once delivery). */
function deliveriesOf(events: ResolutionRequest[]): fc.Arbitrary<ResolutionRequest[]> {
  return fc.tuple(fc.constant(events), fc.subarray(events)).chain(([all, redelivered]) =>
    fc.shuffledSubarray([...all, ...redelivered], {
      minLength: all.length + redelivered.length,
      maxLength: all.length + redelivered.length,
    }),
  );
}

type Outcome = { graph: IdentityGraph; identityEvents: IdentityEvent[]; attributed: Map<string, string> };

function resolveAll(deliveries: ResolutionRequest[]): Outcome {
  const outcome: Outcome = { graph: emptyIdentityGraph(), identityEvents: [], attributed: new Map() };
  for (const event of deliveries) {
    const step = resolve(outcome.graph, event);
    outcome.graph = step.graph;
    outcome.identityEvents.push(...step.identityEvents);
    outcome.attributed.set(event.eventId, step.customerId);
  }
  return outcome;
}

/** The expected partition: identifiers that ever met in one event are one customer (union-find). */
function connectedIdentifiers(events: ResolutionRequest[]): string[][] {
  const parent = new Map<string, string>();
  const find = (key: string): string => {
    const up = parent.get(key) ?? key;
    if (up === key) return key;
    const root = find(up);
    parent.set(key, root);
    return root;
  };
  for (const { identifiers } of events) {
    const [first, ...rest] = identifiers.map(identifierKey);
    if (first === undefined) continue;
    parent.set(find(first), find(first));
    for (const key of rest) parent.set(find(key), find(first));
  }
  const groups = new Map<string, string[]>();
  for (const key of parent.keys()) groups.set(find(key), [...(groups.get(find(key)) ?? []), key]);
  return [...groups.values()]
    .map((keys) => keys.sort(compareText))
    .sort((a, b) => compareText(a[0] ?? "", b[0] ?? ""));
}

describe("confluence of resolution", () => {
  it("gives the same partition of identifiers into customers for any order and redelivery of the events", () => {
    fc.assert(
      fc.property(
        eventSetArbitrary.chain((events) =>
          fc.tuple(fc.constant(events), deliveriesOf(events), deliveriesOf(events)),
        ),
        ([events, someOrder, anotherOrder]) => {
          const first = resolveAll(someOrder);
          const second = resolveAll(anotherOrder);

          expect(identifierPartition(first.graph)).toEqual(identifierPartition(second.graph));
          expect(identifierPartition(first.graph)).toEqual(connectedIdentifiers(events));
          expect(first.identityEvents.filter(({ type }) => type.endsWith("Refused"))).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("attributes every event to the customer that owns its identifiers once all are resolved", () => {
    fc.assert(
      fc.property(
        eventSetArbitrary.chain((events) => fc.tuple(fc.constant(events), deliveriesOf(events))),
        ([events, deliveries]) => {
          const { graph, attributed } = resolveAll(deliveries);
          for (const event of events) {
            const customer = resolveRoot(graph, attributed.get(event.eventId) ?? "");
            for (const identifier of event.identifiers) expect(ownerOf(graph, identifier)).toBe(customer);
          }
        },
      ),
    );
  });
});

/** Events over a small shared pool, so that customer numbers collide and limits are reached. */
const collidingEventsArbitrary = fc
  .array(
    fc.tuple(
      fc.uniqueArray(
        fc.record({
          type: fc.constantFrom("customer_number", "email", "loyalty_card", "cookie_id"),
          value: fc.constantFrom("1", "2", "3", "4", "5"),
        }),
        { minLength: 1, maxLength: 4, selector: (identifier) => `${identifier.type}:${identifier.value}` },
      ),
      fc.integer({ min: 0, max: 59 }),
    ),
    { minLength: 1, maxLength: 30 },
  )
  .map((drafts) =>
    drafts.map(([identifiers, minute], index) =>
      eventOf(`src:${index}`, at(`10:${String(minute).padStart(2, "0")}`), identifiers as Identifier[]),
    ),
  );

describe("invariants of the graph under any events", () => {
  const rules = {
    ...defaultIdentityRules,
    limits: { ...defaultIdentityRules.limits, email: 2, cookie_id: 3 },
  };

  it("never gives a customer two customer numbers or more identifiers of a type than its limit", () => {
    fc.assert(
      fc.property(collidingEventsArbitrary, (events) => {
        const graph = events.reduce(
          (current, event) => resolve(current, event, rules).graph,
          emptyIdentityGraph(),
        );
        for (const customer of rootCustomers(graph)) {
          for (const type of rules.priority) {
            expect(identifierCount(customer, type)).toBeLessThanOrEqual(rules.limits[type]);
          }
        }
      }),
    );
  });

  it("keeps every identifier owned by exactly the root that lists it", () => {
    fc.assert(
      fc.property(collidingEventsArbitrary, (events) => {
        const graph = events.reduce(
          (current, event) => resolve(current, event, rules).graph,
          emptyIdentityGraph(),
        );
        const listed = rootCustomers(graph).flatMap((customer) =>
          identifiersOf(customer).map((identifier) => [identifierKey(identifier), customer.id] as const),
        );
        expect(new Map(listed).size).toBe(listed.length);
        expect(listed.length).toBe(graph.owners.size);
        for (const [key, customerId] of listed)
          expect(resolveRoot(graph, graph.owners.get(key) ?? "")).toBe(customerId);
      }),
    );
  });

  it("applies every identity event idempotently: applying each twice gives the graph of applying it once", () => {
    fc.assert(
      fc.property(collidingEventsArbitrary, (events) => {
        const identityEvents = resolveAll(events).identityEvents;
        expect(foldIdentityGraph(identityEvents.flatMap((event) => [event, event]))).toEqual(
          foldIdentityGraph(identityEvents),
        );
      }),
    );
  });
});
