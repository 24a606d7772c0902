import { describe, expect, it } from "vitest";
import { chooseSurvivor } from "../src/domain/survivor.js";
import { at } from "./identity-fixtures.js";

const customer = (id: string, time: string) => ({ id, firstSeen: { time, eventId: `e-${id}` } });

describe("choosing the survivor of a merge", () => {
  it("keeps the customer first seen earliest", () => {
    expect(chooseSurvivor([customer("cus_b", at("10:00")), customer("cus_a", at("11:00"))])).toEqual({
      survivor: customer("cus_b", at("10:00")),
      merged: [customer("cus_a", at("11:00"))],
    });
  });

  it("breaks a tie by the smaller id", () => {
    const { survivor, merged } = chooseSurvivor([
      customer("cus_c", at("10:00")),
      customer("cus_a", at("10:00")),
      customer("cus_b", at("10:00")),
    ]);

    expect([survivor.id, ...merged.map(({ id }) => id)]).toEqual(["cus_a", "cus_b", "cus_c"]);
  });

  it("compares instants, not text: an offset time is placed by when it happened", () => {
    const { survivor } = chooseSurvivor([
      customer("cus_a", "2026-03-01T10:00:00.000Z"),
      customer("cus_b", "2026-03-01T18:30:00+09:00"),
    ]);

    expect(survivor.id).toBe("cus_b");
  });
});
