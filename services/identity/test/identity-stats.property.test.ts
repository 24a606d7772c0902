import type { Identifier } from "@rapport/events";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { identifiersOf, rootCustomers } from "../src/domain/identity-graph.js";
import {
  countIdentityStats,
  evolveIdentityStats,
  type IdentityStatsFact,
  type IdentityStatsState,
  initialIdentityStats,
  sourceRecordIdOf,
} from "../src/domain/identity-stats.js";
import { compareText } from "../src/domain/identity-types.js";
import { decideResolution } from "../src/domain/resolution.js";
import { decideSplit } from "../src/domain/split.js";
import { at, eventOf } from "./identity-fixtures.js";

/** Events over a small pool (so merges, refusals and limits happen) with splits in between. */
const actionArbitrary = fc.oneof(
  fc.record({
    kind: fc.constant("event" as const),
    source: fc.constantFrom("shop", "web"),
    identifiers: fc.uniqueArray(
      fc.record({
        type: fc.constantFrom("customer_number", "email", "cookie_id", "device_id"),
        value: fc.constantFrom("1", "2", "3", "4"),
      }),
      { minLength: 1, maxLength: 3, selector: ({ type, value }) => `${type}:${value}` },
    ),
  }),
  fc.record({ kind: fc.constant("split" as const), customer: fc.nat(), keep: fc.nat() }),
);

function apply(state: IdentityStatsState, facts: IdentityStatsFact[]): IdentityStatsState {
  return facts.reduce(evolveIdentityStats, state);
}

describe("identity stats kept incrementally", () => {
  it("always equal the counts of the whole graph, whatever merges, refusals and splits happened", () => {
    fc.assert(
      fc.property(fc.array(actionArbitrary, { minLength: 1, maxLength: 30 }), (actions) => {
        let state = initialIdentityStats();
        actions.forEach((action, index) => {
          const time = at(`10:${String(index).padStart(2, "0")}`);
          if (action.kind === "event") {
            const event = eventOf(`src:${index}`, time, action.identifiers as Identifier[], action.source);
            const resolution = decideResolution(event, state.graph);
            const sourceRecordId = sourceRecordIdOf(event);
            if (resolution.kind === "resolved" && sourceRecordId !== undefined) {
              state = apply(state, [
                ...resolution.identityEvents,
                { type: "SourceRecordSeen", sourceRecordId },
              ]);
            }
          } else {
            const customers = rootCustomers(state.graph).sort((a, b) => compareText(a.id, b.id));
            const customer = customers[action.customer % Math.max(customers.length, 1)];
            const identifiers = customer === undefined ? [] : identifiersOf(customer);
            const split = decideSplit(
              {
                customerId: customer?.id ?? "cus_nobody",
                identifiers: identifiers.slice(action.keep % Math.max(identifiers.length, 1) || 1),
                time,
                reason: "property",
              },
              state.graph,
            );
            if (split.ok) state = apply(state, [split.event]);
          }
          expect(state.stats).toEqual(countIdentityStats(state.graph, state.sourceRecordIds));
        });
      }),
      { numRuns: 200 },
    );
  });
});
