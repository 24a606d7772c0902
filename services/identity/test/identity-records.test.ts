import { crmTopics } from "@rapport/events";
import { describe, expect, it } from "vitest";
import {
  identityEventOfRecord,
  identityEventRecord,
  resolvedEventOfRecord,
  resolvedEventRecord,
} from "../src/adapters/identity-records.js";
import type { IdentityEvent } from "../src/domain/identity-events.js";
import { at, email, foundedBy } from "./identity-fixtures.js";
import { customerEvent } from "./identity-harness.js";

const topics = crmTopics("test.");
const bytes = (value: string | Buffer | null) => Buffer.from(value ?? "");

describe("identity's records read back from its log", () => {
  const link: IdentityEvent = {
    type: "IdentifierLinked",
    customerId: foundedBy("shop:1"),
    identifier: email("ann@x.com"),
    eventId: "shop:1",
    time: at("10:00"),
  };

  it("gives back an identity event and its place among its decision's events", () => {
    const record = identityEventRecord(topics, link, 3, {});
    expect(identityEventOfRecord(bytes(record.value))).toEqual({ event: link, position: 3 });
  });

  it("says what is wrong with a record identity did not write", () => {
    const record = JSON.parse(String(identityEventRecord(topics, link, 0, {}).value));
    expect(() => identityEventOfRecord(bytes(JSON.stringify({ ...record, id: "identity:forged" })))).toThrow(
      "identity event identity:forged has an id its fact shop:1 does not give",
    );
    expect(() => identityEventOfRecord(bytes("{}"))).toThrow("the record is not an identity event");
  });

  it("gives back a resolved event and the customer it was resolved to", () => {
    const event = customerEvent("shop:1", [email("ann@x.com")], at("10:00"));
    const record = resolvedEventRecord(topics, event, foundedBy("shop:1"), {});
    expect(resolvedEventOfRecord(bytes(record.value))).toEqual({ event, customerId: foundedBy("shop:1") });
    expect(() => resolvedEventOfRecord(bytes(JSON.stringify(event)))).toThrow(
      "the record is not a resolved event: no id and customerid",
    );
  });
});
