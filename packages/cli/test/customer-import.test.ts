import { describe, expect, it } from "vitest";
import { eventsOf, mapCsv, rejectionsOf } from "./import-fixture.js";

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
  it("makes the event with identifiers, traits and address, keyed by the customer number", () => {
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
              { type: "phone", value: "010-1234-5678" },
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

  it("rejects rows without a customer number or with a bad birth date or time, and customer numbers seen before", () => {
    const outputs = mapCsv(
      "customers",
      ["customer_number", "birth_date", "time"],
      [
        ["", "1985-07-14", "2019-01-01"],
        ["C-1", "1985-02-30", "2019-01-01"],
        ["C-2", "19850714", "last week"],
        ["C-3", "", "2019-01-01"],
        ["C-3", "", "2019-01-02"],
      ],
    );
    expect(rejectionsOf(outputs)).toEqual([
      {
        row: 2,
        reason: "missing_identifier",
        detail: "customer_number is empty; a registration is keyed by it",
      },
      { row: 3, reason: "invalid_date", detail: 'birth_date: birth date "1985-02-30" is not a real date' },
      {
        row: 4,
        reason: "invalid_time",
        detail:
          'time: "last week" is not a date or time; write 2024-03-01, 2024-03-01 09:30[:00] or 2024-03-01T09:30:00+09:00',
      },
      {
        row: 6,
        reason: "duplicate_key",
        detail: "customer_number C-3 already appeared at row 5; a customer registers once",
      },
    ]);
    expect(eventsOf(outputs).map((event) => event.id)).toEqual(["customer-C-3"]);
  });
});
