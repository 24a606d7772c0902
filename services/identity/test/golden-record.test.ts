import type { CustomerEvent } from "@rapport/events";
import { describe, expect, it } from "vitest";
import {
  combineGoldenRecords,
  emptyGoldenRecord,
  evolveGoldenRecord,
  type SurvivorshipRules,
  type TraitObservation,
} from "../src/domain/golden-record.js";
import { traitObservationOf } from "../src/domain/golden-record-observation.js";
import { at } from "./identity-fixtures.js";

const observed = (
  source: string,
  eventId: string,
  time: string,
  traits: TraitObservation["traits"],
): TraitObservation => ({ source, eventId, time, traits });

const fold = (observations: TraitObservation[], rules?: SurvivorshipRules) =>
  observations.reduce(
    (record, observation) => evolveGoldenRecord(record, observation, rules),
    emptyGoldenRecord(),
  );

describe("the golden record", () => {
  it("keeps the most recent value of each trait, with the source and event it came from", () => {
    const record = fold([
      observed("calls", "calls:2", at("12:00"), { lastName: "Kim-Park" }),
      observed("shop", "shop:1", at("10:00"), { firstName: "Ji-woo", lastName: "Kim" }),
    ]);

    expect(record).toEqual({
      firstName: { value: "Ji-woo", lineage: { source: "shop", eventId: "shop:1", time: at("10:00") } },
      lastName: { value: "Kim-Park", lineage: { source: "calls", eventId: "calls:2", time: at("12:00") } },
      preferences: {},
    });
  });

  it("breaks a tie in time by source priority, then by event id", () => {
    const rules: SurvivorshipRules = { sourcePriority: ["crm", "shop"] };
    const sameTime = [
      observed("web", "web:9", at("10:00"), { phone: "+821000000001" }),
      observed("shop", "shop:1", at("10:00"), { phone: "+821000000002" }),
      observed("crm", "crm:1", at("10:00"), { birthDate: "1990-01-01" }),
      observed("crm", "crm:2", at("10:00"), { birthDate: "1990-01-02" }),
    ];

    const record = fold(sameTime, rules);

    expect(record.phone?.value).toBe("+821000000002");
    expect(record.birthDate?.lineage.eventId).toBe("crm:2");
  });

  it("lets an empty value say nothing rather than erase a known one", () => {
    const record = fold([
      observed("shop", "shop:1", at("10:00"), { firstName: "Ji-woo" }),
      observed("web", "web:1", at("11:00"), { firstName: " ", postalAddress: {} }),
    ]);

    expect(record.firstName?.value).toBe("Ji-woo");
    expect(record.postalAddress).toBeUndefined();
  });

  it("keeps a postal address whole and preferences key by key", () => {
    const record = fold([
      observed("shop", "shop:1", at("10:00"), {
        postalAddress: { line1: "1 Tea Street", city: "Seoul", postalCode: "04524" },
        preferences: { favourite_category: "tea", preferred_contact_time: "evening" },
      }),
      observed("calls", "calls:1", at("11:00"), {
        postalAddress: { line1: "9 Harbour Road", city: "Busan" },
        preferences: { preferred_contact_time: "morning" },
      }),
    ]);

    expect(record.postalAddress?.value).toEqual({ line1: "9 Harbour Road", city: "Busan" });
    expect(record.preferences).toEqual({
      favourite_category: {
        value: "tea",
        lineage: { source: "shop", eventId: "shop:1", time: at("10:00") },
      },
      preferred_contact_time: {
        value: "morning",
        lineage: { source: "calls", eventId: "calls:1", time: at("11:00") },
      },
    });
  });

  it("combines two merged customers' records into the record of both histories", () => {
    const ann = [observed("shop", "shop:1", at("10:00"), { firstName: "Ji-woo", email: "ann@example.com" })];
    const duplicate = [observed("web", "web:1", at("11:00"), { email: "ann.kim@example.com" })];

    expect(combineGoldenRecords(fold(ann), fold(duplicate))).toEqual(fold([...duplicate, ...ann]));
    expect(combineGoldenRecords(fold(ann), emptyGoldenRecord())).toEqual(fold(ann));
  });

  it("reads an event's traits, first email and phone, and a profile's preferences", () => {
    const event: CustomerEvent = {
      specversion: "1.0",
      id: "crm:profile-1",
      source: "crm",
      type: "crm.v1.ProfileUpdated",
      time: at("10:00"),
      datacontenttype: "application/json",
      data: {
        customer: {
          identifiers: [
            { type: "customer_number", value: "C-1" },
            { type: "email", value: "ann@example.com" },
            { type: "email", value: "old@example.com" },
          ],
          traits: { firstName: "Ji-woo", address: { city: "Seoul" } },
        },
        preferences: { favourite_category: "tea" },
      },
    };

    expect(traitObservationOf(event)).toEqual({
      source: "crm",
      eventId: "crm:profile-1",
      time: at("10:00"),
      traits: {
        firstName: "Ji-woo",
        email: "ann@example.com",
        postalAddress: { city: "Seoul" },
        preferences: { favourite_category: "tea" },
      },
    });
  });
});
