import { describe, expect, it } from "vitest";
import { foldIdentityGraph } from "../src/domain/evolve-identity-graph.js";
import { identityRules } from "../src/domain/identifier-rules.js";
import {
  emptyIdentityGraph,
  identifierPartition,
  ownerOf,
  resolveRoot,
} from "../src/domain/identity-graph.js";
import { decideResolution } from "../src/domain/resolution.js";
import {
  at,
  cookie,
  customerNumber,
  device,
  email,
  eventOf,
  foundedBy,
  given,
  loyaltyCard,
  phone,
  resolve,
} from "./identity-fixtures.js";

describe("resolving an event to a customer", () => {
  it("founds a customer when no identifier is known, its id derived from the event id", () => {
    // Given an empty graph, when an order arrives with a customer number and an email
    const step = resolve(
      emptyIdentityGraph(),
      eventOf("shop:order-1", at("10:00"), [email("ann@example.com"), customerNumber("C-1")]),
    );

    // Then a customer is founded, and both identifiers are linked to it, strongest first
    const ann = foundedBy("shop:order-1");
    expect(ann).toMatch(/^cus_[0-9a-f]{24}$/);
    expect(step.customerId).toBe(ann);
    expect(step.identityEvents).toEqual([
      {
        type: "IdentifierLinked",
        customerId: ann,
        identifier: customerNumber("C-1"),
        eventId: "shop:order-1",
        time: at("10:00"),
      },
      {
        type: "IdentifierLinked",
        customerId: ann,
        identifier: email("ann@example.com"),
        eventId: "shop:order-1",
        time: at("10:00"),
      },
    ]);
    expect(step.graph.customers.get(ann)?.firstSeen).toEqual({ time: at("10:00"), eventId: "shop:order-1" });
  });

  it("gives the same ids when the log is replayed", () => {
    const history = [
      eventOf("shop:order-1", at("10:00"), [email("ann@example.com")]),
      eventOf("web:view-1", at("10:05"), [cookie("k1")]),
      eventOf("shop:order-2", at("10:10"), [email("ann@example.com"), cookie("k1")]),
    ];
    expect(given(history)).toEqual(given(history));
  });

  it("attributes an event to the customer owning its identifier and links its new identifiers there", () => {
    const graph = given([eventOf("shop:order-1", at("10:00"), [email("ann@example.com")])]);

    const step = resolve(
      graph,
      eventOf("calls:1", at("11:00"), [phone("+821011112222"), email("ann@example.com")]),
    );

    expect(step.customerId).toBe(foundedBy("shop:order-1"));
    expect(step.identityEvents).toEqual([
      {
        type: "IdentifierLinked",
        customerId: foundedBy("shop:order-1"),
        identifier: phone("+821011112222"),
        eventId: "calls:1",
        time: at("11:00"),
      },
    ]);
  });

  it("decides nothing new for a redelivered event", () => {
    const order = eventOf("shop:order-1", at("10:00"), [email("ann@example.com"), phone("+821011112222")]);
    const graph = given([order]);

    expect(resolve(graph, order)).toMatchObject({
      customerId: foundedBy("shop:order-1"),
      identityEvents: [],
    });
  });

  it("refuses an event without identifiers rather than founding a customer nobody can find again", () => {
    expect(decideResolution(eventOf("shop:order-1", at("10:00"), []), emptyIdentityGraph())).toEqual({
      kind: "unresolvable",
      reason: "no_identifiers",
    });
  });
});

describe("merging customers that share an identifier", () => {
  it("merges the customers an event bridges into the earliest first seen, with the bridging identifiers as evidence", () => {
    // Given Ann known by email from an order, and by phone from a later call
    const graph = given([
      eventOf("shop:order-1", at("10:00"), [email("ann@example.com")]),
      eventOf("calls:1", at("11:00"), [phone("+821011112222")]),
    ]);

    // When a survey carries both
    const step = resolve(
      graph,
      eventOf("survey:1", at("12:00"), [phone("+821011112222"), email("ann@example.com")]),
    );

    // Then the call's customer is merged into the order's, which was seen first
    expect(step.customerId).toBe(foundedBy("shop:order-1"));
    expect(step.identityEvents).toEqual([
      {
        type: "CustomersMerged",
        survivor: foundedBy("shop:order-1"),
        merged: [foundedBy("calls:1")],
        rule: "shared_identifier",
        evidence: {
          kind: "shared_identifiers",
          identifiers: [email("ann@example.com"), phone("+821011112222")],
        },
        eventId: "survey:1",
        time: at("12:00"),
      },
    ]);
    expect(ownerOf(step.graph, phone("+821011112222"))).toBe(foundedBy("shop:order-1"));
    expect(resolveRoot(step.graph, foundedBy("calls:1"))).toBe(foundedBy("shop:order-1"));
  });

  it("keeps the earliest first seen as survivor even when the event's strongest identifier is the later customer's", () => {
    const graph = given([
      eventOf("web:view-1", at("09:00"), [cookie("k1")]),
      eventOf("shop:order-1", at("10:00"), [customerNumber("C-1")]),
      eventOf("calls:1", at("10:30"), [phone("+821011112222")]),
    ]);

    const step = resolve(
      graph,
      eventOf("shop:order-2", at("11:00"), [phone("+821011112222"), cookie("k1"), customerNumber("C-1")]),
    );

    // The cookie's visitor was seen first: downstream systems have known that id longest.
    expect(step.customerId).toBe(foundedBy("web:view-1"));
    expect(step.identityEvents).toMatchObject([
      { type: "CustomersMerged", survivor: foundedBy("web:view-1") },
    ]);
    expect(step.identityEvents[0]).toHaveProperty("merged", [
      foundedBy("shop:order-1"),
      foundedBy("calls:1"),
    ]);
  });

  it("breaks a tie on first-seen time by the smaller customer id", () => {
    const graph = given([
      eventOf("shop:order-1", at("10:00"), [email("ann@example.com")]),
      eventOf("calls:1", at("10:00"), [phone("+821011112222")]),
    ]);
    const [smaller, larger] = [foundedBy("shop:order-1"), foundedBy("calls:1")].sort();

    const step = resolve(
      graph,
      eventOf("survey:1", at("12:00"), [email("ann@example.com"), phone("+821011112222")]),
    );

    expect(step.identityEvents).toMatchObject([
      { type: "CustomersMerged", survivor: smaller, merged: [larger] },
    ]);
  });

  it("follows a chain of merges: a merged id answers with the survivor of the survivor", () => {
    // B merges into A, then A merges into C (seen before both)
    const graph = given([
      eventOf("web:view-0", at("08:00"), [cookie("k0")]),
      eventOf("shop:order-1", at("10:00"), [email("ann@example.com")]),
      eventOf("calls:1", at("11:00"), [phone("+821011112222")]),
      eventOf("survey:1", at("12:00"), [email("ann@example.com"), phone("+821011112222")]),
      eventOf("shop:order-2", at("13:00"), [email("ann@example.com"), cookie("k0")]),
    ]);
    const [a, b, c] = [foundedBy("shop:order-1"), foundedBy("calls:1"), foundedBy("web:view-0")];

    expect(resolveRoot(graph, b)).toBe(c);
    expect(resolveRoot(graph, a)).toBe(c);
    expect(graph.customers.get(b)?.mergedInto).toBe(a);
    expect(resolve(graph, eventOf("calls:2", at("14:00"), [phone("+821011112222")])).customerId).toBe(c);
  });
});

describe("stitching anonymous history to a known customer", () => {
  it("links a known customer's new login to the visitor's cookie customer when the email is new", () => {
    const graph = given([eventOf("web:view-1", at("09:00"), [cookie("k1")], "web")]);

    const step = resolve(
      graph,
      eventOf("web:login-1", at("09:10"), [email("ann@example.com"), cookie("k1")], "web"),
    );

    expect(step.customerId).toBe(foundedBy("web:view-1"));
    expect(step.identityEvents).toMatchObject([
      { type: "IdentifierLinked", identifier: email("ann@example.com") },
    ]);
  });

  it("merges the visitor's cookies and devices into the known customer on login", () => {
    const graph = given([
      eventOf("shop:order-1", at("08:00"), [email("ann@example.com")]),
      eventOf("web:view-1", at("09:00"), [cookie("k1")], "web"),
      eventOf("app:open-1", at("09:05"), [device("d1")], "app"),
    ]);

    const step = resolve(
      graph,
      eventOf("web:login-1", at("09:10"), [cookie("k1"), email("ann@example.com"), device("d1")], "web"),
    );

    expect(step.identityEvents).toEqual([
      {
        type: "CustomersMerged",
        survivor: foundedBy("shop:order-1"),
        merged: [foundedBy("web:view-1"), foundedBy("app:open-1")],
        rule: "anonymous_stitch",
        evidence: {
          kind: "shared_identifiers",
          identifiers: [email("ann@example.com"), device("d1"), cookie("k1")],
        },
        eventId: "web:login-1",
        time: at("09:10"),
      },
    ]);
  });
});

describe("merge protection", () => {
  const annAndBen = given([
    eventOf("shop:order-1", at("10:00"), [customerNumber("C-1"), email("ann@example.com"), cookie("k1")]),
    eventOf("shop:order-2", at("10:30"), [customerNumber("C-2"), phone("+821033334444")]),
  ]);
  const [ann, ben] = [foundedBy("shop:order-1"), foundedBy("shop:order-2")];

  it("never merges customers with different customer numbers, and attributes the event by its strongest identifier", () => {
    // A survey answered from Ann's email, giving the family phone registered by Ben
    const step = resolve(
      annAndBen,
      eventOf("survey:1", at("12:00"), [phone("+821033334444"), email("ann@example.com")]),
    );

    expect(step.customerId).toBe(ann);
    expect(step.identityEvents).toEqual([
      {
        type: "MergeRefused",
        customers: [ann, ben],
        identifier: phone("+821033334444"),
        rule: "customer_number_conflict",
        eventId: "survey:1",
        time: at("12:00"),
      },
    ]);
    expect(resolveRoot(step.graph, ben)).toBe(ben);
  });

  it("founds a new customer for an unknown customer number met on another customer's cookie (a shared computer)", () => {
    const step = resolve(
      annAndBen,
      eventOf("web:login-9", at("12:00"), [cookie("k1"), customerNumber("C-3")], "web"),
    );

    const carol = foundedBy("web:login-9");
    expect(step.customerId).toBe(carol);
    expect(step.identityEvents).toEqual([
      {
        type: "IdentifierLinked",
        customerId: carol,
        identifier: customerNumber("C-3"),
        eventId: "web:login-9",
        time: at("12:00"),
      },
      {
        type: "MergeRefused",
        customers: [carol, ann],
        identifier: cookie("k1"),
        rule: "customer_number_conflict",
        eventId: "web:login-9",
        time: at("12:00"),
      },
    ]);
    expect(ownerOf(step.graph, cookie("k1"))).toBe(ann);
  });

  it("protects customer numbers even when the configured limit would allow two", () => {
    const rules = identityRules({ limits: { customer_number: 2 } });
    const graph = given(
      [
        eventOf("shop:order-1", at("10:00"), [customerNumber("C-1"), email("ann@example.com")]),
        eventOf("shop:order-2", at("10:30"), [customerNumber("C-2"), phone("+821033334444")]),
      ],
      rules,
    );

    const step = resolve(
      graph,
      eventOf("survey:1", at("12:00"), [email("ann@example.com"), phone("+821033334444")]),
      rules,
    );

    expect(step.identityEvents).toMatchObject([{ type: "MergeRefused", rule: "customer_number_conflict" }]);
  });

  it("lets the priority list decide whose event it is when the customers stay apart", () => {
    const event = eventOf(
      "web:view-9",
      at("12:00"),
      [email("ann@example.com"), phone("+821033334444")],
      "web",
    );
    const phoneFirst = identityRules({
      priority: ["customer_number", "loyalty_card", "phone", "email", "device_id", "cookie_id"],
    });

    expect(resolve(annAndBen, event).customerId).toBe(ann);
    expect(resolve(annAndBen, event, phoneFirst).customerId).toBe(ben);
  });

  it("refuses a merge that would give the survivor more identifiers of a type than its limit", () => {
    const rules = identityRules({ limits: { email: 3 } });
    const graph = given(
      [
        eventOf("shop:order-1", at("10:00"), [email("a1@example.com"), email("a2@example.com")]),
        eventOf("calls:1", at("11:00"), [
          phone("+821011112222"),
          email("b1@example.com"),
          email("b2@example.com"),
        ]),
      ],
      rules,
    );

    const step = resolve(
      graph,
      eventOf("survey:1", at("12:00"), [email("a1@example.com"), phone("+821011112222")]),
      rules,
    );

    expect(step.customerId).toBe(foundedBy("shop:order-1"));
    expect(step.identityEvents).toEqual([
      {
        type: "MergeRefused",
        customers: [foundedBy("shop:order-1"), foundedBy("calls:1")],
        identifier: phone("+821011112222"),
        rule: "identifier_limit",
        identifierType: "email",
        eventId: "survey:1",
        time: at("12:00"),
      },
    ]);
  });

  it("merges what it may and keeps apart only what a rule forbids", () => {
    // Ann (C-1), her anonymous cookie, and Ben (C-2) all meet in one event
    const graph = given([
      eventOf("shop:order-1", at("10:00"), [customerNumber("C-1")]),
      eventOf("web:view-1", at("10:10"), [cookie("k7")], "web"),
      eventOf("shop:order-2", at("10:20"), [customerNumber("C-2")]),
    ]);

    const step = resolve(
      graph,
      eventOf(
        "web:checkout-1",
        at("12:00"),
        [cookie("k7"), customerNumber("C-2"), customerNumber("C-1")],
        "web",
      ),
    );

    // C-2 comes first in the event, so Ben owns it; Ann's number is refused, the cookie joins Ben
    expect(step.customerId).toBe(foundedBy("web:view-1"));
    expect(step.identityEvents).toMatchObject([
      { type: "CustomersMerged", survivor: foundedBy("web:view-1"), merged: [foundedBy("shop:order-2")] },
      {
        type: "MergeRefused",
        customers: [foundedBy("web:view-1"), foundedBy("shop:order-1")],
        identifier: customerNumber("C-1"),
        rule: "customer_number_conflict",
      },
    ]);
  });
});

describe("per-customer identifier limits on new identifiers", () => {
  const defaultLimits = [
    { identifier: customerNumber, limit: 1 },
    { identifier: email, limit: 5 },
    { identifier: phone, limit: 5 },
    { identifier: loyaltyCard, limit: 3 },
    { identifier: device, limit: 20 },
    { identifier: cookie, limit: 100 },
  ];

  it.each(defaultLimits)("links at most $limit of $identifier.name", ({ identifier, limit }) => {
    // Given a customer already holding the limit of the type
    const held = Array.from({ length: limit }, (_, index) => identifier(`held-${index}`));
    const graph = given([eventOf("shop:order-1", at("10:00"), held)]);
    const customer = foundedBy("shop:order-1");

    // When an event of that customer brings one more
    const step = resolve(
      graph,
      eventOf("shop:order-2", at("11:00"), [held[0] ?? identifier("none"), identifier("extra")]),
    );

    // Then it is not linked, and the refusal says so
    expect(step.customerId).toBe(customer);
    expect(step.identityEvents).toEqual([
      {
        type: "LinkRefused",
        customerId: customer,
        identifier: identifier("extra"),
        rule: "identifier_limit",
        limit,
        eventId: "shop:order-2",
        time: at("11:00"),
      },
    ]);
    expect(ownerOf(step.graph, identifier("extra"))).toBeUndefined();
  });

  it("links the first of two customer numbers in one event, in the order the event gives them", () => {
    const step = resolve(
      emptyIdentityGraph(),
      eventOf("shop:order-1", at("10:00"), [customerNumber("C-2"), customerNumber("C-1")]),
    );

    expect(step.identityEvents).toMatchObject([
      { type: "IdentifierLinked", identifier: customerNumber("C-2") },
      { type: "LinkRefused", identifier: customerNumber("C-1"), limit: 1 },
    ]);
  });

  it("takes configured limits", () => {
    const rules = identityRules({ limits: { phone: 1 } });
    const graph = given([eventOf("calls:1", at("10:00"), [phone("+821011112222")])], rules);

    const step = resolve(
      graph,
      eventOf("calls:2", at("11:00"), [phone("+821011112222"), phone("+821099998888")]),
      rules,
    );

    expect(step.identityEvents).toMatchObject([{ type: "LinkRefused", limit: 1 }]);
  });
});

describe("two instances deciding at once", () => {
  it("lets the first link of an identifier win, and the loser's event, decided again, joins that customer", () => {
    // Two consumers on two partitions resolve events with the same new email against the same graph
    const graph = emptyIdentityGraph();
    const call = eventOf("calls:1", at("10:00"), [email("ann@example.com"), phone("+821011112222")]);
    const fromShop = resolve(graph, eventOf("shop:order-1", at("10:00"), [email("ann@example.com")]));
    const fromCalls = decideResolution(call, graph);
    if (fromCalls.kind !== "resolved") throw new Error("a call with identifiers is resolvable");

    // The shop's links are written first; the call's decision lands on top of them
    const raced = foldIdentityGraph(fromCalls.identityEvents, fromShop.graph);
    expect(ownerOf(raced, email("ann@example.com"))).toBe(foundedBy("shop:order-1"));

    // The lost insert sends the call back to be decided on the graph as it now is
    const retried = resolve(raced, call);
    expect(identifierPartition(retried.graph)).toEqual([["email:ann@example.com", "phone:+821011112222"]]);
    expect(ownerOf(retried.graph, email("ann@example.com"))).toBe(retried.customerId);
  });
});
