import type { CustomerEvent, Identifier } from "@rapport/events";
import { describe, expect, it } from "vitest";
import { foldIdentityGraph } from "../src/domain/evolve-identity-graph.js";
import type { IdentityEvent } from "../src/domain/identity-events.js";
import { resolveRoot } from "../src/domain/identity-graph.js";
import {
  type EarlierReads,
  type LoggedDecision,
  type LoggedIdentityEvent,
  type LoggedResolvedEvent,
  type LogPlace,
  markApplied,
  orderLoggedDecisions,
} from "../src/domain/logged-decisions.js";
import { at, email, eventOf, foundedBy, phone, resolve } from "./identity-fixtures.js";

const resolvedTopic = "crm.events.resolved";
const identityTopic = "crm.identity";

function customerEvent(id: string, identifiers: Identifier[]): CustomerEvent {
  return {
    specversion: "1.0",
    id,
    source: "shop",
    type: "crm.v1.OrderPlaced",
    time: at("10:00"),
    data: { customer: { identifiers } },
  } as unknown as CustomerEvent;
}

const placeAt = (topic: string, partition: number, offset: number, timestamp: number): LogPlace => ({
  topic,
  partition,
  offset: BigInt(offset),
  timestamp,
});

/** A resolution as the log holds it: the resolved event, and its identity events on crm.identity. */
function logged(
  id: string,
  identifiers: Identifier[],
  customerId: string,
  events: IdentityEvent[],
  place: LogPlace,
): { resolved: LoggedResolvedEvent; identity: LoggedIdentityEvent[] } {
  return {
    resolved: { place, event: customerEvent(id, identifiers), customerId },
    // Each identity event in a partition of its own customer: reversed, so position is what orders them.
    identity: events
      .map((event, position) => ({
        place: placeAt(identityTopic, position, 0, place.timestamp),
        event,
        position,
      }))
      .reverse(),
  };
}

/**
 * The decisions of a last read of the log in the order they are applied (those still waiting last),
 * checking that no identity event was left waiting for its resolved event.
 */
function ordered(...args: Parameters<typeof orderLoggedDecisions>): LoggedDecision[] {
  const { decisions, waiting, awaitingResolvedEvent } = orderLoggedDecisions(...args);
  expect(awaitingResolvedEvent).toEqual([]);
  return [...decisions, ...waiting];
}

const nothingEarlier = (): EarlierReads => ({ applied: new Set(), waiting: [], awaitingResolvedEvent: [] });

/**
 * In the order made: e1 founds Ann by email, e2 founds a customer by phone, e3 bridges them (a merge).
 * e1's transaction was written last, in another partition.
 */
function bridgedLateFounder() {
  const e1 = resolve(foldIdentityGraph([]), eventOf("e1", at("10:00"), [email("ann@x.com")]));
  const e2 = resolve(e1.graph, eventOf("e2", at("10:01"), [phone("+821012345678")]));
  const e3 = resolve(e2.graph, eventOf("e3", at("10:02"), [email("ann@x.com"), phone("+821012345678")]));
  const log = [
    logged("e1", [email("ann@x.com")], e1.customerId, e1.identityEvents, placeAt(resolvedTopic, 0, 0, 300)),
    logged(
      "e2",
      [phone("+821012345678")],
      e2.customerId,
      e2.identityEvents,
      placeAt(resolvedTopic, 1, 0, 100),
    ),
    logged("e3", [email("ann@x.com")], e3.customerId, e3.identityEvents, placeAt(resolvedTopic, 2, 0, 200)),
  ];
  return { e1, e2, e3, log };
}

const idsOf = (decisions: readonly LoggedDecision[]) =>
  decisions.map((decision) => (decision.kind === "resolution" ? decision.event.id : decision.eventId));

describe("orderLoggedDecisions", () => {
  it("keeps each partition's order and interleaves partitions by timestamp", () => {
    const first = logged("e1", [email("a@x.com")], foundedBy("e1"), [], placeAt(resolvedTopic, 0, 0, 100));
    const second = logged("e2", [email("b@x.com")], foundedBy("e2"), [], placeAt(resolvedTopic, 1, 0, 150));
    // Written at an earlier timestamp than e1, but after it in its partition: the partition's order wins.
    const third = logged("e3", [email("c@x.com")], foundedBy("e3"), [], placeAt(resolvedTopic, 0, 1, 90));
    const decisions = ordered(
      [second.resolved, third.resolved, first.resolved],
      [...first.identity, ...second.identity, ...third.identity],
    );
    expect(idsOf(decisions)).toEqual(["e1", "e3", "e2"]);
  });

  it("groups each resolution's identity events in their published order, rules' first, matching's after", () => {
    const step = resolve(
      foldIdentityGraph([]),
      eventOf("e1", at("10:00"), [email("ann@x.com"), phone("+821012345678")]),
    );
    const proposal: IdentityEvent = {
      type: "MatchProposed",
      proposalId: "match:1",
      customers: [step.customerId, "cus_other"],
      score: 0.8,
      evidence: [],
      eventId: "e1",
      time: at("10:00"),
    };
    const events = [...step.identityEvents, proposal];
    const log = logged(
      "e1",
      [email("ann@x.com")],
      step.customerId,
      events,
      placeAt(resolvedTopic, 0, 0, 100),
    );
    const [decision] = ordered([log.resolved], log.identity);
    expect(decision).toMatchObject({
      kind: "resolution",
      customerId: step.customerId,
      identityEvents: step.identityEvents,
      matchEvents: [proposal],
    });
  });

  it("holds a merge back until the customers it merges are founded, when their decisions were written later", () => {
    const { e1, e2, e3, log } = bridgedLateFounder();
    expect(e3.identityEvents.map(({ type }) => type)).toContain("CustomersMerged");
    const decisions = ordered(
      log.map(({ resolved }) => resolved),
      log.flatMap(({ identity }) => identity),
    );
    expect(idsOf(decisions)).toEqual(["e2", "e1", "e3"]);
    const graph = foldIdentityGraph(
      decisions.flatMap((decision) => (decision.kind === "resolution" ? decision.identityEvents : [])),
    );
    expect(graph).toEqual(e3.graph);
    expect(resolveRoot(graph, e2.customerId)).toBe(e1.customerId);
  });

  it("places a person's decision by its own record, and keeps a resolved event logged twice once", () => {
    const e1 = logged("e1", [email("a@x.com")], foundedBy("e1"), [], placeAt(resolvedTopic, 0, 0, 100));
    const again = { ...e1.resolved, place: placeAt(resolvedTopic, 0, 1, 120) };
    const split: IdentityEvent = {
      type: "CustomerSplit",
      customerId: foundedBy("e1"),
      newCustomerId: foundedBy("split:1"),
      identifiers: [email("a@x.com")],
      reason: "two people",
      eventId: "split:1",
      time: at("11:00"),
    };
    const decisions = ordered(
      [e1.resolved, again],
      [{ place: placeAt(identityTopic, 3, 7, 110), event: split, position: 0 }],
    );
    expect(decisions).toEqual([
      expect.objectContaining({ kind: "resolution" }),
      { kind: "operator", eventId: "split:1", identityEvents: [split] },
    ]);
  });

  it("takes the customers founded by decisions applied before (the log read before) as founded", () => {
    const e1 = resolve(foldIdentityGraph([]), eventOf("e1", at("10:00"), [email("ann@x.com")]));
    const e2 = resolve(e1.graph, eventOf("e2", at("10:01"), [email("ann@x.com"), phone("+821012345678")]));
    const before = logged(
      "e1",
      [email("ann@x.com")],
      e1.customerId,
      e1.identityEvents,
      placeAt(resolvedTopic, 0, 0, 100),
    );
    const earlier = nothingEarlier();
    for (const decision of ordered([before.resolved], before.identity))
      markApplied(earlier.applied, decision);
    const tail = logged(
      "e2",
      [email("ann@x.com")],
      e2.customerId,
      e2.identityEvents,
      placeAt(resolvedTopic, 1, 0, 200),
    );
    const split: IdentityEvent = {
      type: "CustomerSplit",
      customerId: "cus_never_founded",
      newCustomerId: foundedBy("split:2"),
      identifiers: [],
      reason: "test",
      eventId: "split:2",
      time: at("11:00"),
    };
    const decisions = ordered(
      [tail.resolved],
      [...tail.identity, { place: placeAt(identityTopic, 0, 9, 50), event: split, position: 0 }],
      earlier,
    );
    // e2 names Ann, founded before: it goes first; the split names a customer nobody founded: last.
    expect(idsOf(decisions)).toEqual(["e2", "split:2"]);
  });

  it("holds a person's decision on a proposal back until the proposal is made", () => {
    const proposal: IdentityEvent = {
      type: "MatchProposed",
      proposalId: "match:7",
      customers: [foundedBy("e1"), foundedBy("e1")],
      score: 0.8,
      evidence: [],
      eventId: "e1",
      time: at("10:00"),
    };
    const decided: IdentityEvent = {
      type: "MatchDecided",
      proposalId: "match:7",
      decision: "rejected",
      decidedBy: "reviewer",
      note: "",
      eventId: "decision:match:7",
      time: at("10:05"),
    };
    const e1 = logged(
      "e1",
      [email("a@x.com")],
      foundedBy("e1"),
      [proposal],
      placeAt(resolvedTopic, 0, 0, 300),
    );
    const decisions = ordered(
      [e1.resolved],
      [...e1.identity, { place: placeAt(identityTopic, 5, 0, 100), event: decided, position: 0 }],
    );
    expect(idsOf(decisions)).toEqual(["e1", "decision:match:7"]);
  });

  it("hands back the identity events of a resolution whose resolved event was not read with them", () => {
    const e1 = resolve(foldIdentityGraph([]), eventOf("e1", at("10:00"), [email("ann@x.com")]));
    const log = logged(
      "e1",
      [email("ann@x.com")],
      e1.customerId,
      e1.identityEvents,
      placeAt(resolvedTopic, 0, 0, 100),
    );
    // The log was read up to a point between e1's identity events and its resolved event.
    const first = orderLoggedDecisions([], log.identity);
    expect(first.decisions).toEqual([]);
    expect(first.awaitingResolvedEvent).toHaveLength(e1.identityEvents.length);
    // Read again with the rest of the log, they join their resolution.
    const [decision] = ordered([log.resolved], [], {
      ...nothingEarlier(),
      awaitingResolvedEvent: first.awaitingResolvedEvent,
    });
    expect(decision).toMatchObject({ kind: "resolution", identityEvents: e1.identityEvents });
  });

  it("hands back a decision naming a customer whose founder was not read yet, and places it after the founder", () => {
    const { log } = bridgedLateFounder();
    // The first read ends before e1 was written.
    const [e1Log, ...firstRead] = log;
    const first = orderLoggedDecisions(
      firstRead.map(({ resolved }) => resolved),
      firstRead.flatMap(({ identity }) => identity),
    );
    expect(idsOf(first.decisions)).toEqual(["e2"]);
    expect(idsOf(first.waiting)).toEqual(["e3"]);
    const earlier = { ...nothingEarlier(), waiting: first.waiting };
    for (const decision of first.decisions) markApplied(earlier.applied, decision);
    const next = ordered([e1Log?.resolved as LoggedResolvedEvent], e1Log?.identity ?? [], earlier);
    expect(idsOf(next)).toEqual(["e1", "e3"]);
  });
});
