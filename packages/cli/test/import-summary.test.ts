import { describe, expect, it } from "vitest";
import {
  evolveTally,
  exitCodeOf,
  type ImportTally,
  initialTally,
  progressText,
  summaryJson,
  summaryText,
} from "../src/index.js";

function tallyOf(): ImportTally {
  let tally = initialTally();
  for (let row = 2; row <= 26; row += 1)
    tally = evolveTally(tally, { type: "record_read", bytesRead: row * 10 });
  for (let row = 2; row <= 23; row += 1) {
    tally = evolveTally(tally, {
      type: "rejected_locally",
      rejection: { row, reason: "invalid_amount", detail: `amount of row ${row}`, record: {} },
    });
  }
  return evolveTally(tally, {
    type: "events_answered",
    answers: [
      { answer: { status: "accepted", eventId: "importer:order-1" }, rows: [24] },
      {
        answer: { status: "rejected", reason: "invalid_identifier", detail: 'phone "1" is not valid' },
        rows: [25],
      },
      {
        answer: { status: "rejected", reason: "invalid_identifier", detail: 'phone "2" is not valid' },
        rows: [26, 27],
      },
    ],
  });
}

describe("the import summary", () => {
  it("counts rows, events and rejections, grouping ingestion's by reason", () => {
    const tally = tallyOf();
    expect(tally).toMatchObject({
      rowsRead: 25,
      eventsSent: 3,
      accepted: 1,
      rejectedByIngestion: 2,
      rejectedLocally: 22,
    });
    expect(tally.ingestionReasons).toEqual([
      {
        reason: "invalid_identifier",
        count: 2,
        examples: [
          { rows: [25], detail: 'phone "1" is not valid' },
          { rows: [26, 27], detail: 'phone "2" is not valid' },
        ],
      },
    ]);
    expect(exitCodeOf(tally)).toBe(2);
    expect(exitCodeOf(initialTally())).toBe(0);
  });

  it("prints the first 20 local rejections and how many more there are", () => {
    const text = summaryText({
      kind: "orders",
      file: "orders.csv",
      rejectionFile: "orders.csv.rejected.ndjson",
      warningFile: undefined,
      elapsedMs: 1234,
      tally: tallyOf(),
    });
    expect(text).toContain("Imported orders from orders.csv in 1.2 s");
    expect(text).toContain(
      '    invalid_identifier × 2\n      row 25: phone "1" is not valid\n      rows 26, 27:',
    );
    expect(text).toContain("    row 21 invalid_amount: amount of row 21\n    and 2 more\n");
    expect(text).not.toContain("row 22 invalid_amount");
    expect(text).toContain("rejected rows are in orders.csv.rejected.ndjson");
    expect(text).not.toContain("fields dropped");
  });

  it("counts the fields left out of rows that were sent, and where they are listed", () => {
    let tally = initialTally();
    for (let row = 2; row <= 23; row += 1) {
      tally = evolveTally(tally, {
        type: "fields_dropped",
        warnings: [
          {
            row,
            field: "birth_date",
            value: "1985-13-01",
            reason: "invalid_date",
            detail: 'birth date "1985-13-01" is not a real date',
          },
          ...(row === 2
            ? [
                {
                  row,
                  field: "phone" as const,
                  value: "12",
                  reason: "invalid_identifier" as const,
                  detail: 'phone "12" is not a valid phone number',
                },
              ]
            : []),
        ],
      });
    }
    expect(tally).toMatchObject({ fieldsDropped: 23, rowsWithDroppedFields: 22 });
    expect(tally.droppedExamples).toHaveLength(20);
    // Dropped fields alone leave the exit code alone: the rows got in.
    expect(exitCodeOf(tally)).toBe(0);

    const summary = {
      kind: "customers" as const,
      file: "c.csv",
      rejectionFile: undefined,
      warningFile: "c.csv.warnings.ndjson",
      elapsedMs: 5,
      tally,
    };
    const text = summaryText(summary);
    expect(text).toContain(
      [
        "  fields dropped          23 in 22 rows (sent without them)",
        '    row 2 birth_date invalid_date: birth date "1985-13-01" is not a real date',
        '    row 2 phone invalid_identifier: phone "12" is not a valid phone number',
        '    row 3 birth_date invalid_date: birth date "1985-13-01" is not a real date',
      ].join("\n"),
    );
    expect(text).toContain("    and 3 more\n  dropped fields are in c.csv.warnings.ndjson\n");
    expect(JSON.parse(summaryJson(summary))).toMatchObject({
      fieldsDropped: {
        count: 23,
        rows: 22,
        examples: expect.arrayContaining([
          { row: 2, field: "phone", value: "12", reason: "invalid_identifier", detail: expect.any(String) },
        ]),
      },
      warningFile: "c.csv.warnings.ndjson",
    });
  });

  it("can be JSON for scripts", () => {
    const summary = JSON.parse(
      summaryJson({
        kind: "customers",
        file: "c.csv",
        rejectionFile: undefined,
        warningFile: undefined,
        elapsedMs: 5,
        tally: initialTally(),
      }),
    );
    expect(summary).toEqual({
      kind: "customers",
      file: "c.csv",
      rowsRead: 0,
      eventsSent: 0,
      accepted: 0,
      ignored: 0,
      rejectedByIngestion: { count: 0, reasons: [] },
      rejectedLocally: { count: 0, examples: [] },
      rejectionFile: null,
      fieldsDropped: { count: 0, rows: 0, examples: [] },
      warningFile: null,
      // Only an order import asks scoring which currencies it can value.
      valuation: null,
      elapsedMs: 5,
    });
  });

  it("shows progress as rows, events, rate and how much of the file is read", () => {
    const tally = tallyOf();
    expect(
      progressText({ file: "orders.csv", phase: "sending", tally, fileBytes: 520, elapsedMs: 2000 }),
    ).toBe("orders.csv: 25 rows · 3 sent · 1 accepted · 24 rejected · 13 rows/s · 50%");
  });
});
