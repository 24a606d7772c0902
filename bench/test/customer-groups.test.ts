import type { Identifier } from "@rapport/events";
import { describe, expect, it } from "vitest";
import { customerGroupsOf } from "../identity-throughput/customer-groups.js";

const cookie = (value: string): Identifier => ({ type: "cookie_id", value });
const email = (value: string): Identifier => ({ type: "email", value });
const phone = (value: string): Identifier => ({ type: "phone", value });
const customerNumber = (value: string): Identifier => ({ type: "customer_number", value });

describe("the customers a sequence of events makes", () => {
  it("a visitor's cookie and an order found two customers; the login that names both merges them", () => {
    const groups = customerGroupsOf([
      [cookie("v-1")],
      [customerNumber("C-1"), email("ann@example.com")],
      [email("ann@example.com"), cookie("v-1")],
    ]);
    expect(groups).toMatchObject({ customers: 1, mergingEvents: 1, foundingEvents: 2 });
    expect(groups.groupOf(cookie("v-1"))).toBe(groups.groupOf(customerNumber("C-1")));
  });

  it("an event that only adds a new identifier to a known customer merges nothing", () => {
    const groups = customerGroupsOf([
      [customerNumber("C-1"), email("ann@example.com")],
      [email("ann@example.com"), phone("+821012345678")],
    ]);
    expect(groups).toMatchObject({ customers: 1, mergingEvents: 0, foundingEvents: 1 });
  });

  it("ends with the same customers in any order, while the merges counted depend on the order", () => {
    const events = [
      [phone("+821012345678")],
      [cookie("v-1")],
      [email("a@x.kr"), phone("+821012345678")],
      [email("a@x.kr"), cookie("v-1")],
      [cookie("v-2")],
    ];
    const inOrder = customerGroupsOf(events);
    const linksFirst = customerGroupsOf([
      events[2],
      events[3],
      events[0],
      events[1],
      events[4],
    ] as Identifier[][]);
    expect(inOrder.customers).toBe(2);
    expect(linksFirst.customers).toBe(2);
    expect(inOrder.mergingEvents).toBe(1);
    expect(linksFirst.mergingEvents).toBe(0);
    expect(inOrder.groupOf(cookie("v-2"))).not.toBe(inOrder.groupOf(cookie("v-1")));
    expect(inOrder.groupOf(email("nobody@x.kr"))).toBeUndefined();
  });
});
