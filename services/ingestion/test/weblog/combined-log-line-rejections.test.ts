import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCombinedLogLine } from "../../src/domain/weblog/combined-log-line.js";
import { rejectionOf, shopOptions, windowsChrome } from "./weblog-fixtures.js";

describe("parseCombinedLogLine: rejections say what was wrong", () => {
  const valid = `203.0.113.7 - - [10/Oct/2024:13:55:36 +0900] "GET / HTTP/1.1" 200 100 "-" "${windowsChrome}"`;

  it.each([
    ["an empty line", "  \r\n", "The log line is empty."],
    [
      "a line without a timestamp",
      "this is not an access log",
      'Expected client address, identity and user followed by a [timestamp], found "this is not an access log".',
    ],
    [
      "an unclosed quote",
      '203.0.113.7 - - [10/Oct/2024:13:55:36 +0900] "GET / HTTP/1.1 200 100',
      'The quoted field "\\"GET / HTTP/1.1 200 100" is never closed.',
    ],
    [
      "an unclosed bracket",
      '203.0.113.7 - - [10/Oct/2024:13:55:36 +0900 "GET /"',
      'The bracketed field "[10/Oct/2024:13:55:36 +0900 \\"GET /\\"" is never closed.',
    ],
    [
      "an unquoted request",
      '203.0.113.7 - - [10/Oct/2024:13:55:36 +0900] GET / HTTP/1.1 200 100 "-" "-"',
      'Expected a quoted request after the timestamp, found "GET".',
    ],
    [
      "a status that is not three digits",
      '203.0.113.7 - - [10/Oct/2024:13:55:36 +0900] "GET / HTTP/1.1" OK 100 "-" "-"',
      'Expected a three-digit status code after the request, found "OK".',
    ],
    [
      "a size that is not a number",
      '203.0.113.7 - - [10/Oct/2024:13:55:36 +0900] "GET / HTTP/1.1" 200 1.5k "-" "-"',
      'Expected the response size in bytes (or "-") after the status code, found "1.5k".',
    ],
    [
      "a Common Log Format line, which has no referrer or user agent",
      '203.0.113.7 - - [10/Oct/2024:13:55:36 +0900] "GET / HTTP/1.1" 200 100',
      "Expected a quoted referrer after the response size, found the end of the line.",
    ],
    [
      "a line cut off after the referrer",
      '203.0.113.7 - - [10/Oct/2024:13:55:36 +0900] "GET / HTTP/1.1" 200 100 "-"',
      "Expected a quoted user agent after the referrer, found the end of the line.",
    ],
  ])("rejects %s as unparseable", (_case, line, detail) => {
    expect(rejectionOf(parseCombinedLogLine(line, shopOptions))).toEqual({
      reason: "unparseable_log_line",
      detail,
    });
  });

  it("cuts long offending text short in the detail", () => {
    const { detail } = rejectionOf(parseCombinedLogLine(`${"x".repeat(5000)} [oops`, shopOptions));

    expect(detail).toBe(`The bracketed field "[oops" is never closed.`);
    expect(rejectionOf(parseCombinedLogLine("y".repeat(5000), shopOptions)).detail).toBe(
      `Expected client address, identity and user followed by a [timestamp], found "${"y".repeat(60)}…".`,
    );
  });

  it.each([
    [
      "10/Okt/2024:13:55:36 +0900",
      'The timestamp "10/Okt/2024:13:55:36 +0900" names an unknown month "Okt".',
    ],
    [
      "30/Feb/2024:13:55:36 +0900",
      'The timestamp "30/Feb/2024:13:55:36 +0900" names a day its month does not have.',
    ],
    [
      "29/Feb/2023:13:55:36 +0900",
      'The timestamp "29/Feb/2023:13:55:36 +0900" names a day its month does not have.',
    ],
    [
      "10/Oct/2024:24:00:00 +0900",
      'The timestamp "10/Oct/2024:24:00:00 +0900" has a time of day outside 00:00:00–23:59:59.',
    ],
    [
      "10/Oct/2024:13:55:36 +0975",
      'The timestamp "10/Oct/2024:13:55:36 +0975" has an impossible UTC offset.',
    ],
    [
      "2024-10-10T13:55:36+09:00",
      'The timestamp "2024-10-10T13:55:36+09:00" is not in the form dd/Mon/yyyy:HH:MM:SS ±hhmm.',
    ],
  ])("rejects [%s] as an invalid timestamp", (timestamp, detail) => {
    const line = valid.replace("10/Oct/2024:13:55:36 +0900", timestamp);

    expect(rejectionOf(parseCombinedLogLine(line, shopOptions))).toEqual({
      reason: "invalid_timestamp",
      detail,
    });
  });

  it("answers every input with a result instead of throwing", () => {
    const logAlphabet = fc.constantFrom(...'0123456789 -[]"\\x/:%+GET/HTTP.'.split(""), "\r", "é", "\u0000");
    const logLike = fc.array(logAlphabet, { maxLength: 120 }).map((chars) => chars.join(""));

    fc.assert(
      fc.property(fc.oneof(fc.string(), logLike), (line) => {
        expect(["page_view", "ignored", "rejected"]).toContain(parseCombinedLogLine(line, shopOptions).kind);
      }),
    );
  });
});
