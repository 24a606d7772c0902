/** One input unit found in a raw message: a message may carry one event, a batch of them, or log lines. */
export type RawUnit =
  | { kind: "cloud_event"; value: unknown; text: string }
  | { kind: "log_line"; text: string }
  | { kind: "unparseable"; text: string; detail: string };

/**
 * Splits a raw message into the inputs it carries: a CloudEvent in structured JSON mode, a JSON array of
 * them (batched mode), or, where log lines are allowed, one or more newline-separated access-log lines.
 */
export function rawUnits(value: string, options: { allowLogLines: boolean }): RawUnit[] {
  const text = value.trim();
  if (text === "") return [{ kind: "unparseable", text: value, detail: "the message is empty" }];
  if (text.startsWith("{") || text.startsWith("[")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      return [
        {
          kind: "unparseable",
          text: value,
          detail: `the message is not valid JSON: ${(error as Error).message}`,
        },
      ];
    }
    return Array.isArray(parsed)
      ? parsed.map((element) => ({ kind: "cloud_event", value: element, text: JSON.stringify(element) }))
      : [{ kind: "cloud_event", value: parsed, text }];
  }
  if (!options.allowLogLines) {
    return [
      {
        kind: "unparseable",
        text: value,
        detail: "the message is not JSON; expected a CloudEvent in structured JSON mode",
      },
    ];
  }
  return text
    .split(/\r?\n/)
    .filter((line) => line.trim() !== "")
    .map((line) => ({ kind: "log_line", text: line }));
}
