import { describe, expect, it } from "vitest";
import { rawUnits } from "../src/domain/raw-message.js";

describe("rawUnits", () => {
  it("reads one CloudEvent, keeping its text", () => {
    expect(rawUnits(' {"type":"x"} ', { allowLogLines: false })).toEqual([
      { kind: "cloud_event", value: { type: "x" }, text: '{"type":"x"}' },
    ]);
  });

  it("reads a batch as one unit per event", () => {
    expect(rawUnits('[{"a":1},{"b":2}]', { allowLogLines: false })).toEqual([
      { kind: "cloud_event", value: { a: 1 }, text: '{"a":1}' },
      { kind: "cloud_event", value: { b: 2 }, text: '{"b":2}' },
    ]);
  });

  it("says why broken JSON cannot be read", () => {
    expect(rawUnits('{"type":', { allowLogLines: true })).toEqual([
      {
        kind: "unparseable",
        text: '{"type":',
        detail: expect.stringMatching(/^the message is not valid JSON: /),
      },
    ]);
  });

  it("reads log lines only where they are allowed, one unit per non-empty line", () => {
    expect(rawUnits("line one\r\n\nline two\n", { allowLogLines: true })).toEqual([
      { kind: "log_line", text: "line one" },
      { kind: "log_line", text: "line two" },
    ]);
    expect(rawUnits("line one", { allowLogLines: false })).toEqual([
      {
        kind: "unparseable",
        text: "line one",
        detail: "the message is not JSON; expected a CloudEvent in structured JSON mode",
      },
    ]);
  });

  it("refuses an empty message", () => {
    expect(rawUnits("  ", { allowLogLines: true })).toEqual([
      { kind: "unparseable", text: "  ", detail: "the message is empty" },
    ]);
  });
});
