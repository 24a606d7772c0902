import { describe, expect, it } from "vitest";
import {
  countIdentityStats,
  evolveIdentityStats,
  type IdentityStatsFact,
  initialIdentityStats,
  sourceRecordIdOf,
} from "../src/domain/identity-stats.js";
import { decideSplit } from "../src/domain/split.js";
import {
  at,
  cookie,
  customerNumber,
  device,
  email,
  eventOf,
  foundedBy,
  given,
  identityEventsOf,
} from "./identity-fixtures.js";

// Three shop sign-ups (one a duplicate made for a welcome coupon), a visitor who logs in, and one
// who never does.
const history = [
  eventOf("shop:signup-1", at("09:00"), [customerNumber("C-1"), email("ann@example.com")]),
  eventOf("shop:signup-2", at("09:10"), [customerNumber("C-2"), email("ben@example.com")]),
  eventOf("shop:signup-3", at("09:20"), [email("ann+coupon@example.com"), cookie("k1")]),
  eventOf("web:view-1", at("09:30"), [cookie("k1")], "web"),
  eventOf("web:view-2", at("09:40"), [cookie("k2"), device("d2")], "web"),
  eventOf("web:login-1", at("10:00"), [email("ann@example.com"), cookie("k1")], "web"),
];

function statsAfter(facts: IdentityStatsFact[]) {
  return facts.reduce(evolveIdentityStats, initialIdentityStats());
}

const sourceRecordsSeen: IdentityStatsFact[] = history.flatMap((event) => {
  const sourceRecordId = sourceRecordIdOf(event);
  return sourceRecordId === undefined ? [] : [{ type: "SourceRecordSeen", sourceRecordId }];
});

describe("identity stats: registered versus real customers", () => {
  it("counts source records, unique customers, duplicates merged and anonymous-only customers", () => {
    const state = statsAfter([...identityEventsOf(history), ...sourceRecordsSeen]);

    expect(state.stats).toEqual({
      // shop/C-1, shop/C-2, shop/email ann+coupon, web/cookie k1, web/device d2, web/email ann
      sourceRecords: 6,
      uniqueCustomers: 3,
      duplicatesMerged: 1,
      anonymousOnlyCustomers: 1,
    });
  });

  it("names a source record by its system and strongest identifier", () => {
    expect(
      sourceRecordIdOf(eventOf("web:1", at("10:00"), [cookie("k1"), email("ann@example.com")], "web")),
    ).toBe("web/email:ann@example.com");
  });

  it("counts a source record once however many of its events are seen", () => {
    const seen: IdentityStatsFact = { type: "SourceRecordSeen", sourceRecordId: "shop/customer_number:C-1" };

    expect(statsAfter([seen, seen]).stats.sourceRecords).toBe(1);
  });

  it("counts a split-off visitor as a new, anonymous-only customer", () => {
    const graph = given(history);
    const split = decideSplit(
      {
        customerId: foundedBy("shop:signup-1"),
        identifiers: [cookie("k1")],
        time: at("12:00"),
        reason: "shared",
      },
      graph,
    );
    if (!split.ok) throw new Error(split.message);

    const state = statsAfter([...identityEventsOf(history), split.event]);

    expect(state.stats).toMatchObject({ uniqueCustomers: 4, duplicatesMerged: 1, anonymousOnlyCustomers: 2 });
  });

  it("keeps incremental counts equal to counting the whole graph, event by event", () => {
    let state = initialIdentityStats();
    for (const fact of [...identityEventsOf(history), ...sourceRecordsSeen]) {
      state = evolveIdentityStats(state, fact);
      expect(state.stats).toEqual(countIdentityStats(state.graph, state.sourceRecordIds));
    }
  });
});
