import type { Identifier } from "@rapport/events";
import { describe, expect, it } from "vitest";
import { evolveIdentityGraph, foldIdentityGraph } from "../src/domain/evolve-identity-graph.js";
import type { IdentityEvent } from "../src/domain/identity-events.js";
import {
  emptyIdentityGraph,
  identifierPartition,
  isAnonymousOnly,
  ownerOf,
  resolveRoot,
} from "../src/domain/identity-graph.js";
import { at, cookie, customerNumber, email, phone } from "./identity-fixtures.js";

const linked = (
  customerId: string,
  identifier: Identifier,
  eventId: string,
  time: string,
): IdentityEvent => ({
  type: "IdentifierLinked",
  customerId,
  identifier,
  eventId,
  time,
});

const history: IdentityEvent[] = [
  linked("cus_ann", email("ann@example.com"), "shop:order-1", at("10:00")),
  linked("cus_ann", customerNumber("C-1"), "shop:order-1", at("10:00")),
  linked("cus_visitor", cookie("k1"), "web:view-1", at("10:05")),
  {
    type: "CustomersMerged",
    survivor: "cus_ann",
    merged: ["cus_visitor"],
    rule: "anonymous_stitch",
    evidence: { kind: "shared_identifiers", identifiers: [email("ann@example.com"), cookie("k1")] },
    eventId: "web:login-1",
    time: at("10:10"),
  },
  {
    type: "CustomerSplit",
    customerId: "cus_ann",
    newCustomerId: "cus_ann_sister",
    identifiers: [cookie("k1")],
    reason: "shared laptop",
    eventId: "split:1",
    time: at("11:00"),
  },
];

describe("the identity graph as a fold of identity events", () => {
  it("founds a customer with its first link, first seen at that event", () => {
    const graph = foldIdentityGraph(history.slice(0, 2));

    expect(graph.customers.get("cus_ann")).toEqual({
      id: "cus_ann",
      firstSeen: { time: at("10:00"), eventId: "shop:order-1" },
      identifiers: { email: ["ann@example.com"], customer_number: ["C-1"] },
    });
    expect(ownerOf(graph, email("ann@example.com"))).toBe("cus_ann");
  });

  it("makes a merged customer an alias that hands its identifiers to the survivor", () => {
    const graph = foldIdentityGraph(history.slice(0, 4));

    expect(graph.customers.get("cus_visitor")).toMatchObject({ identifiers: {}, mergedInto: "cus_ann" });
    expect(graph.customers.get("cus_ann")?.identifiers.cookie_id).toEqual(["k1"]);
    expect(ownerOf(graph, cookie("k1"))).toBe("cus_ann");
    expect(resolveRoot(graph, "cus_visitor")).toBe("cus_ann");
  });

  it("moves split identifiers to a new customer first seen at the split", () => {
    const graph = foldIdentityGraph(history);

    expect(graph.customers.get("cus_ann_sister")).toEqual({
      id: "cus_ann_sister",
      firstSeen: { time: at("11:00"), eventId: "split:1" },
      identifiers: { cookie_id: ["k1"] },
      keptApartFrom: ["cus_ann"],
    });
    expect(graph.customers.get("cus_ann")).toMatchObject({
      identifiers: { email: ["ann@example.com"], customer_number: ["C-1"] },
      keptApartFrom: ["cus_ann_sister"],
    });
    expect([...graph.customers.values()].filter(isAnonymousOnly).map(({ id }) => id)).toEqual([
      "cus_ann_sister",
    ]);
  });

  it.each(history.map((event) => [event.type, event] as const))(
    "applies %s idempotently: a redelivery changes nothing",
    (_type, event) => {
      const before = foldIdentityGraph(history.slice(0, history.indexOf(event)));
      const once = evolveIdentityGraph(before, event);

      expect(evolveIdentityGraph(once, event)).toEqual(once);
    },
  );

  it("never lets a link take an identifier from its owner: only merges and splits move identifiers", () => {
    const graph = foldIdentityGraph([
      linked("cus_ann", phone("+821033334444"), "shop:order-1", at("10:00")),
      linked("cus_ben", phone("+821033334444"), "shop:order-2", at("10:00")),
    ]);

    expect(ownerOf(graph, phone("+821033334444"))).toBe("cus_ann");
    expect(graph.customers.has("cus_ben")).toBe(false);
  });

  it("does not undo a split when the link that first gave the identifier is redelivered", () => {
    const graph = foldIdentityGraph([
      ...history,
      linked("cus_visitor", cookie("k1"), "web:view-1", at("10:05")),
    ]);

    expect(ownerOf(graph, cookie("k1"))).toBe("cus_ann_sister");
  });

  it("lands a link to a merged id on its survivor", () => {
    const graph = foldIdentityGraph([
      ...history.slice(0, 4),
      linked("cus_visitor", cookie("k2"), "web:view-2", at("10:20")),
    ]);

    expect(ownerOf(graph, cookie("k2"))).toBe("cus_ann");
  });

  it("ignores an old merge replayed after its survivor was merged elsewhere", () => {
    const laterMerge: IdentityEvent = {
      type: "CustomersMerged",
      survivor: "cus_first",
      merged: ["cus_ann"],
      rule: "shared_identifier",
      evidence: { kind: "shared_identifiers", identifiers: [email("ann@example.com")] },
      eventId: "calls:1",
      time: at("12:00"),
    };
    const graph = foldIdentityGraph([
      linked("cus_first", phone("+821011112222"), "calls:0", at("09:00")),
      ...history.slice(0, 4),
      laterMerge,
    ]);

    const replayed = foldIdentityGraph([history[3] as IdentityEvent], graph);

    expect(replayed).toEqual(graph);
    expect(resolveRoot(graph, "cus_visitor")).toBe("cus_first");
  });

  it("records refusals and proposals without changing who is whom", () => {
    const graph = foldIdentityGraph(history);
    const records: IdentityEvent[] = [
      {
        type: "MergeRefused",
        customers: ["cus_ann", "cus_ann_sister"],
        identifier: cookie("k1"),
        rule: "customer_number_conflict",
        eventId: "web:view-3",
        time: at("12:00"),
      },
      {
        type: "LinkRefused",
        customerId: "cus_ann",
        identifier: customerNumber("C-9"),
        rule: "identifier_limit",
        limit: 1,
        eventId: "shop:order-3",
        time: at("12:00"),
      },
      {
        type: "MatchProposed",
        proposalId: "match:1",
        customers: ["cus_ann", "cus_ann_sister"],
        score: 0.93,
        evidence: [{ field: "lastName", level: "exact", weight: 4.2 }],
        eventId: "match:1",
        time: at("12:00"),
      },
      {
        type: "MatchDecided",
        proposalId: "match:1",
        decision: "rejected",
        decidedBy: "reviewer",
        note: "sisters",
        eventId: "decision:1",
        time: at("13:00"),
      },
    ];

    expect(foldIdentityGraph(records, graph)).toEqual(graph);
  });

  it("answers undefined for a customer id it has never seen", () => {
    expect(resolveRoot(emptyIdentityGraph(), "cus_nobody")).toBeUndefined();
  });

  it("describes who is whom as a partition of identifiers, whatever the customers are called", () => {
    expect(identifierPartition(foldIdentityGraph(history))).toEqual([
      ["cookie_id:k1"],
      ["customer_number:C-1", "email:ann@example.com"],
    ]);
  });
});
