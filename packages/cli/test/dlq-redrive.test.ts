import { crmTopics } from "@rapport/events";
import { describe, expect, it } from "vitest";
import { redriveJson, redriveText } from "../src/dlq/dlq-text.js";
import { planRedrive } from "../src/dlq/redrive-plan.js";
import { badOrder, deadLetterAt, frontDoor, rawTopic } from "./dlq-fixture.js";

const topics = crmTopics("staging.");
const fixedOrder = Buffer.from(badOrder.replace('"a lot"', '{"amountMinor":1999,"currency":"EUR"}'));

describe("where a redrive sends a dead letter", () => {
  it("sends input read from a raw topic back to that topic, marked with where it came from", () => {
    const entry = deadLetterAt(
      "0:4",
      badOrder,
      rawTopic("staging.crm.raw.orders"),
      { "rapport-source": "shop" },
      "k-1",
    );
    const [step] = planRedrive([entry], topics);
    expect(step?.target).toEqual({ kind: "send", topic: "staging.crm.raw.orders" });
    expect(step?.record).toEqual({
      topic: "staging.crm.raw.orders",
      key: "k-1",
      value: entry.value,
      headers: { "rapport-source": "shop", "rapport-redriven-from": "staging.crm.events.dlq/0:4" },
    });
  });

  it("sends a front-door rejection to the raw lane of its type, keyed by its id, with the source vouched for", () => {
    const [step] = planRedrive([deadLetterAt("1:9", badOrder, frontDoor("grpc"))], topics, fixedOrder);
    expect(step).toMatchObject({
      fixed: true,
      event: { id: "order-1001", type: "crm.v1.OrderPlaced" },
      target: { kind: "send", topic: "staging.crm.raw.orders" },
      record: { key: "order-1001", value: fixedOrder, headers: { "rapport-source": "shop" } },
    });
  });

  it("sends an access-log line rejected at the front door to the weblogs lane", () => {
    const [step] = planRedrive(
      [deadLetterAt("0:1", '1.2.3.4 - - [01/Mar/2026:09:30:00 +0000] "GET /', frontDoor("http"))],
      topics,
    );
    expect(step?.target).toEqual({ kind: "send", topic: "staging.crm.raw.weblogs" });
  });

  it("refuses what has no raw topic to go to, saying why and what to do", () => {
    const steps = planRedrive(
      [
        deadLetterAt("0:1", JSON.stringify({ id: "x", type: "crm.v1.Unheard" }), frontDoor("http")),
        deadLetterAt("0:2", badOrder, rawTopic("staging.crm.events.resolved", "rapport-scoring")),
      ],
      topics,
    );
    expect(steps.map((step) => step.record)).toEqual([undefined, undefined]);
    expect(steps[0]?.target).toMatchObject({
      kind: "refused",
      why: expect.stringContaining('its type "crm.v1.Unheard" is not an event type'),
    });
    expect(steps[0]?.target).toMatchObject({ why: expect.stringContaining("--fixed") });
    expect(steps[1]?.target).toMatchObject({
      kind: "refused",
      why: expect.stringMatching(
        /came from staging.crm.events.resolved, a topic the platform writes itself.*rapport-scoring could not read it/,
      ),
    });
  });

  it("refuses a fixed version that broke the JSON of an event", () => {
    const [step] = planRedrive(
      [deadLetterAt("0:1", badOrder, frontDoor("http"))],
      topics,
      Buffer.from('{"id": "order-1001",'),
    );
    expect(step?.target).toMatchObject({ kind: "refused", why: expect.stringContaining("not JSON") });
  });

  it("takes a fixed version for one dead letter only", () => {
    const entry = deadLetterAt("0:1", badOrder, frontDoor("http"));
    expect(() => planRedrive([entry, entry], topics, fixedOrder)).toThrow("exactly one");
  });

  it("reports what was sent where and what was refused", () => {
    const steps = planRedrive(
      [
        deadLetterAt("0:1", badOrder, frontDoor("http")),
        deadLetterAt("0:2", badOrder, rawTopic("staging.crm.identity")),
      ],
      topics,
    );
    const text = redriveText(steps, false);
    expect(text).toContain("sent 0:1 crm.v1.OrderPlaced order-1001 → staging.crm.raw.orders\n");
    expect(text).toContain(
      "not redriven: 0:2 crm.v1.OrderPlaced order-1001: it came from staging.crm.identity",
    );
    expect(text).toContain("redrove 1 of 2 dead letters; 1 cannot be redriven\n");
    expect(redriveText(steps, true)).toContain("would send 0:1");
    expect(redriveJson(steps, true)).toMatchObject({
      dryRun: true,
      steps: [
        { position: "0:1", eventId: "order-1001", sentTo: "staging.crm.raw.orders", refused: null },
        { position: "0:2", sentTo: null, refused: expect.stringContaining("staging.crm.identity") },
      ],
    });
  });
});
