import { describe, expect, it } from "vitest";
import { foldIdentityGraph } from "../src/domain/evolve-identity-graph.js";
import { ownerOf, resolveRoot } from "../src/domain/identity-graph.js";
import { decideSplit, type SplitRequest } from "../src/domain/split.js";
import { at, cookie, device, email, eventOf, foundedBy, given, phone, resolve } from "./identity-fixtures.js";

// Ann and her sister share a laptop: the sister's email and the laptop's cookie were joined to Ann.
const graph = given([
  eventOf("shop:order-1", at("10:00"), [email("ann@example.com"), phone("+821011112222")]),
  eventOf("web:login-1", at("10:30"), [email("ann@example.com"), cookie("k1")], "web"),
  eventOf("web:login-2", at("11:00"), [cookie("k1"), email("sis@example.com")], "web"),
]);
const ann = foundedBy("shop:order-1");

const request: SplitRequest = {
  customerId: ann,
  identifiers: [email("sis@example.com"), cookie("k1")],
  time: at("15:00"),
  reason: "two people on a shared laptop",
};

function split(splitRequest: SplitRequest) {
  const decision = decideSplit(splitRequest, graph);
  if (!decision.ok) throw new Error(decision.message);
  return decision.event;
}

describe("splitting a customer", () => {
  it("moves the named identifiers to a new customer whose id derives from the request", () => {
    const event = split(request);

    expect(event).toEqual({
      type: "CustomerSplit",
      customerId: ann,
      newCustomerId: expect.stringMatching(/^cus_[0-9a-f]{24}$/),
      identifiers: [email("sis@example.com"), cookie("k1")],
      reason: "two people on a shared laptop",
      eventId: expect.stringMatching(/^split:[0-9a-f]{24}$/),
      time: at("15:00"),
    });
    expect(event.newCustomerId).toBe(foundedBy(event.eventId));
    expect(split(request)).toEqual(event);
  });

  it("resolves events carrying the moved identifiers to the new customer from then on", () => {
    const event = split(request);
    const after = foldIdentityGraph([event], graph);

    expect(resolve(after, eventOf("web:view-9", at("16:00"), [cookie("k1")], "web")).customerId).toBe(
      event.newCustomerId,
    );
    expect(resolve(after, eventOf("calls:9", at("16:00"), [phone("+821011112222")])).customerId).toBe(ann);
    expect(ownerOf(after, email("sis@example.com"))).toBe(event.newCustomerId);
  });

  it("keeps the split customers apart when a later event carries identifiers of both", () => {
    const event = split(request);
    const after = foldIdentityGraph([event], graph);

    // Ann logs in on the shared laptop again
    const step = resolve(
      after,
      eventOf("web:login-3", at("16:00"), [cookie("k1"), email("ann@example.com")], "web"),
    );

    expect(step.customerId).toBe(ann);
    expect(step.identityEvents).toEqual([
      {
        type: "MergeRefused",
        customers: [ann, event.newCustomerId],
        identifier: cookie("k1"),
        rule: "split_apart",
        eventId: "web:login-3",
        time: at("16:00"),
      },
    ]);
  });

  it("keeps them apart after either side has merged with someone else", () => {
    const event = split(request);
    const sister = event.newCustomerId;
    const after = given(
      [
        eventOf("app:open-1", at("09:00"), [device("d1")], "app"),
        eventOf("app:login-1", at("16:10"), [email("sis@example.com"), device("d1")], "app"),
      ],
      undefined,
      foldIdentityGraph([event], graph),
    );
    // The app was opened before the split, so its customer survives and the sister's id is an alias
    const sistersSurvivor = resolveRoot(after, sister);
    expect(sistersSurvivor).not.toBe(sister);

    const step = resolve(
      after,
      eventOf("web:login-4", at("17:00"), [email("ann@example.com"), device("d1")], "web"),
    );

    expect(step.identityEvents).toMatchObject([
      { type: "MergeRefused", customers: [ann, sistersSurvivor], rule: "split_apart" },
    ]);
  });

  it("splits a merged id through its survivor", () => {
    const merged = given([
      eventOf("shop:order-1", at("10:00"), [email("ann@example.com")]),
      eventOf("calls:1", at("11:00"), [phone("+821011112222")]),
      eventOf("survey:1", at("12:00"), [email("ann@example.com"), phone("+821011112222")]),
    ]);

    const decision = decideSplit(
      {
        customerId: foundedBy("calls:1"),
        identifiers: [phone("+821011112222")],
        time: at("15:00"),
        reason: "wrong",
      },
      merged,
    );

    expect(decision).toMatchObject({ ok: true, event: { customerId: ann } });
  });

  it("refuses an unknown customer", () => {
    expect(decideSplit({ ...request, customerId: "cus_nobody" }, graph)).toMatchObject({
      ok: false,
      reason: "unknown_customer",
    });
  });

  it("refuses an identifier the customer does not hold", () => {
    expect(decideSplit({ ...request, identifiers: [email("someone@example.com")] }, graph)).toEqual({
      ok: false,
      reason: "identifier_not_owned",
      message: `email:someone@example.com does not belong to customer ${ann}`,
    });
  });

  it("refuses a split that names nothing to move", () => {
    expect(decideSplit({ ...request, identifiers: [] }, graph)).toMatchObject({
      ok: false,
      reason: "nothing_to_move",
    });
  });

  it("refuses to move every identifier out: the customer could never be found again", () => {
    const everything = [
      email("ann@example.com"),
      phone("+821011112222"),
      cookie("k1"),
      email("sis@example.com"),
    ];

    expect(decideSplit({ ...request, identifiers: everything }, graph)).toMatchObject({
      ok: false,
      reason: "nothing_would_remain",
    });
  });
});
