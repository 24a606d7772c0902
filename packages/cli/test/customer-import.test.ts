import { describe, expect, it } from "vitest";
import type { MappedOutput } from "../src/index.js";
import { eventsOf, mapCsv, rejectionsOf } from "./import-fixture.js";

function warningsOf(outputs: readonly MappedOutput[]) {
  return outputs.flatMap((output) => (output.kind === "event" ? output.warnings : []));
}

const header = [
  "customer_number",
  "email",
  "phone",
  "first_name",
  "last_name",
  "birth_date",
  "address_line1",
  "city",
  "postal_code",
  "country_code",
  "registration_channel",
  "time",
];

describe("customers: one row, one CustomerRegistered", () => {
  it("makes the event with normalised identifiers, traits and address, keyed by the customer number", () => {
    const events = eventsOf(
      mapCsv(
        "customers",
        header,
        [
          [
            "C-1",
            "ji@example.com",
            "010-1234-5678",
            "Ji-woo",
            "Kim",
            "1985/07/14",
            "1 Main St",
            "Seoul",
            "04524",
            "kr",
            "store",
            "2019-05-02 14:00",
          ],
        ],
        { settings: { timeZone: "Asia/Seoul" } },
      ),
    );
    expect(events).toEqual([
      {
        specversion: "1.0",
        id: "customer-C-1",
        type: "crm.v1.CustomerRegistered",
        time: "2019-05-02T14:00:00+09:00",
        datacontenttype: "application/json",
        data: {
          customer: {
            identifiers: [
              { type: "customer_number", value: "C-1" },
              { type: "email", value: "ji@example.com" },
              { type: "phone", value: "+821012345678" },
            ],
            traits: {
              firstName: "Ji-woo",
              lastName: "Kim",
              birthDate: "1985-07-14",
              address: { line1: "1 Main St", city: "Seoul", postalCode: "04524", countryCode: "kr" },
            },
          },
          registrationChannel: "store",
        },
      },
    ]);
  });

  it("leaves out traits the row does not have, and uses --registered-at when the time is empty", () => {
    const events = eventsOf(
      mapCsv("customers", ["customer_number", "time"], [["C-2", ""]], {
        settings: { registeredAt: "2020-01-01T00:00:00+00:00" },
      }),
    );
    expect(events[0]).toMatchObject({
      time: "2020-01-01T00:00:00+00:00",
      data: { customer: { identifiers: [{ type: "customer_number", value: "C-2" }] } },
    });
    expect(events[0]?.data).not.toHaveProperty("registrationChannel");
    expect(events[0]?.data).not.toHaveProperty("customer.traits");
  });

  it("rejects rows without a valid identifier or time, and keys seen before", () => {
    const outputs = mapCsv(
      "customers",
      ["customer_number", "email", "birth_date", "time"],
      [
        ["", "", "1985-07-14", "2019-01-01"],
        ["C-2", "", "19850714", "last week"],
        ["C-3", "", "", "2019-01-01"],
        ["C-3", "", "", "2019-01-02"],
      ],
    );
    expect(rejectionsOf(outputs)).toEqual([
      {
        row: 2,
        reason: "missing_identifier",
        detail: "the row names no customer: customer_number, email, phone and loyalty_card are all empty",
      },
      {
        row: 3,
        reason: "invalid_time",
        detail:
          'time: "last week" is not a date or time; write 2024-03-01, 2024-03-01 09:30[:00] or 2024-03-01T09:30:00+09:00',
      },
      {
        row: 5,
        reason: "duplicate_key",
        detail: "customer_number C-3 already appeared at row 4; a customer registers once",
      },
    ]);
    expect(eventsOf(outputs).map((event) => event.id)).toEqual(["customer-C-3"]);
  });
});

describe("customers: a field that is no good is left out, not the row", () => {
  it("imports a row with a malformed birth date without it, with a warning naming the field", () => {
    const outputs = mapCsv(
      "customers",
      ["customer_number", "first_name", "birth_date", "time"],
      [["C-1", "Ji-woo", "1985-02-30", "2019-01-01"]],
    );
    expect(rejectionsOf(outputs)).toEqual([]);
    expect(eventsOf(outputs)[0]?.data).toEqual({
      customer: {
        identifiers: [{ type: "customer_number", value: "C-1" }],
        traits: { firstName: "Ji-woo" },
      },
    });
    expect(warningsOf(outputs)).toEqual([
      {
        row: 2,
        field: "birth_date",
        value: "1985-02-30",
        reason: "invalid_date",
        detail: 'birth date "1985-02-30" is not a real date',
      },
    ]);
  });

  it("drops a malformed phone while the email still identifies the row", () => {
    const outputs = mapCsv(
      "customers",
      ["email", "phone", "time"],
      [["Ji@Example.com", "555", "2019-01-01"]],
    );
    expect(eventsOf(outputs)).toMatchObject([
      {
        id: "customer-email:ji@example.com",
        data: { customer: { identifiers: [{ type: "email", value: "ji@example.com" }] } },
      },
    ]);
    expect(warningsOf(outputs)).toEqual([
      {
        row: 2,
        field: "phone",
        value: "555",
        reason: "invalid_identifier",
        detail: expect.stringContaining('phone "555" is not a valid phone number'),
      },
    ]);
  });

  it("refuses a row whose identifiers are all invalid, naming each", () => {
    const outputs = mapCsv(
      "customers",
      ["email", "phone", "birth_date", "time"],
      [["ji.example.com", "555", "1985-13-01", "2019-01-01"]],
    );
    expect(eventsOf(outputs)).toEqual([]);
    expect(rejectionsOf(outputs)).toEqual([
      {
        row: 2,
        reason: "missing_identifier",
        detail:
          'the row names no customer by a valid identifier; email: email "ji.example.com" is not an email address; ' +
          'phone: phone "555" is not a valid phone number (give it in E.164, e.g. +821012345678, or in the default region\'s format); ' +
          'birth_date: birth date "1985-13-01" is not a real date',
      },
    ]);
  });

  it("drops what the contract would refuse: an over-long postal code or name, a country that is not two letters", () => {
    const outputs = mapCsv(
      "customers",
      ["customer_number", "last_name", "city", "postal_code", "country_code", "registration_channel", "time"],
      [["C-1", "K".repeat(129), "Seoul", "0".repeat(33), "Korea", "store", "2019-01-01"]],
    );
    expect(eventsOf(outputs)[0]?.data).toEqual({
      customer: {
        identifiers: [{ type: "customer_number", value: "C-1" }],
        traits: { address: { city: "Seoul" } },
      },
      registrationChannel: "store",
    });
    expect(warningsOf(outputs).map(({ field, reason, detail }) => ({ field, reason, detail }))).toEqual([
      { field: "postal_code", reason: "too_long", detail: "33 characters long; at most 32 are allowed" },
      {
        field: "country_code",
        reason: "invalid_country_code",
        detail: '"Korea" is not a two-letter ISO 3166-1 country code, e.g. KR or DE',
      },
      { field: "last_name", reason: "too_long", detail: "129 characters long; at most 128 are allowed" },
    ]);
  });
});

describe("customers: a row is keyed by any identifier, or by its source record id", () => {
  it("imports rows keyed by email only, refusing an email the file already registered", () => {
    const outputs = mapCsv(
      "customers",
      ["email", "first_name", "time"],
      [
        ["ann@example.com", "Ann", "2019-01-01"],
        ["bo@example.com", "Bo", "2019-01-02"],
        ["ANN@example.com", "Ann", "2019-01-03"],
      ],
    );
    expect(eventsOf(outputs).map((event) => event.id)).toEqual([
      "customer-email:ann@example.com",
      "customer-email:bo@example.com",
    ]);
    expect(rejectionsOf(outputs)).toEqual([
      {
        row: 4,
        reason: "duplicate_key",
        detail: "email ann@example.com already appeared at row 2; a customer registers once",
      },
    ]);
  });

  it("keys a row by its strongest identifier: a loyalty card before an email", () => {
    const outputs = mapCsv(
      "customers",
      ["email", "loyalty_card", "time"],
      [["ann@example.com", "lc 1234-5678", "2019-01-01"]],
    );
    expect(eventsOf(outputs).map((event) => event.id)).toEqual(["customer-loyalty_card:LC12345678"]);
  });

  it("keys rows by a mapped source record id, which identifies nobody by itself", () => {
    const outputs = mapCsv(
      "customers",
      ["Contact ID", "customer_number", "email", "time"],
      [
        ["4711", "C-1", "ann@example.com", "2019-01-01"],
        ["4712", "", "ann@example.com", "2019-01-02"],
        ["4713", "", "", "2019-01-03"],
        ["4711", "C-9", "", "2019-01-04"],
      ],
      { map: ["source_record_id=Contact ID"] },
    );
    expect(eventsOf(outputs)).toMatchObject([
      {
        id: "customer-source_record_id:4711",
        data: {
          customer: {
            identifiers: [
              { type: "customer_number", value: "C-1" },
              { type: "email", value: "ann@example.com" },
            ],
          },
        },
      },
      {
        id: "customer-source_record_id:4712",
        data: { customer: { identifiers: [{ type: "email", value: "ann@example.com" }] } },
      },
    ]);
    expect(rejectionsOf(outputs)).toEqual([
      {
        row: 4,
        reason: "missing_identifier",
        detail: "the row names no customer: customer_number, email, phone and loyalty_card are all empty",
      },
      {
        row: 5,
        reason: "duplicate_key",
        detail: "source_record_id 4711 already appeared at row 2; a customer registers once",
      },
    ]);
  });

  it("drops a record id too long for an event id, and keys the row by its identifier instead", () => {
    const recordId = "R".repeat(231);
    const outputs = mapCsv(
      "customers",
      ["source_record_id", "email", "time"],
      [
        ["R".repeat(230), "ann@example.com", "2019-01-01"],
        [recordId, "bo@example.com", "2019-01-01"],
      ],
    );
    expect(eventsOf(outputs).map((event) => String(event.id).length)).toEqual([256, 29]);
    expect(eventsOf(outputs)[1]?.id).toBe("customer-email:bo@example.com");
    expect(warningsOf(outputs)).toEqual([
      {
        row: 3,
        field: "source_record_id",
        value: recordId,
        reason: "too_long",
        detail: "231 characters long; at most 230 are allowed",
      },
    ]);
  });
});
