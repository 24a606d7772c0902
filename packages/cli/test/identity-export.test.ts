import { describe, expect, it } from "vitest";
import {
  csvField,
  defaultExportPageSize,
  type ExportedSourceRecord,
  exportIdentities,
  exportSummaryText,
  FatalError,
  identityExportFormat,
  parseExportOptions,
  type SourceRecordPage,
  UsageError,
} from "../src/index.js";

const ann: ExportedSourceRecord = {
  sourceRecordId: "shop/customer_number:C-1001",
  customerId: "cus_ann",
  source: "shop",
};
const odd: ExportedSourceRecord = {
  sourceRecordId: 'web/cookie_id:a,"b"\nc',
  customerId: "cus_odd",
  source: "web",
};

describe("the lines of an identity export", () => {
  it("quotes a CSV field only when it holds a comma, a quote or a line break", () => {
    expect(csvField("shop/email:ann@example.com")).toBe("shop/email:ann@example.com");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField("cr\r")).toBe('"cr\r"');
    expect(csvField("")).toBe("");
  });

  it("writes CSV as source_record_id,customer_id,source under a header", () => {
    const csv = identityExportFormat("csv");
    expect(csv.header).toBe("source_record_id,customer_id,source\n");
    expect(csv.line(ann)).toBe("shop/customer_number:C-1001,cus_ann,shop\n");
    expect(csv.line(odd)).toBe('"web/cookie_id:a,""b""\nc",cus_odd,web\n');
  });

  it("writes NDJSON as one object a line with the CSV's field names, and no header", () => {
    const ndjson = identityExportFormat("ndjson");
    expect(ndjson.header).toBe("");
    const line = ndjson.line(odd);
    expect(line.endsWith("\n")).toBe(true);
    expect(line.slice(0, -1)).not.toContain("\n");
    expect(JSON.parse(line)).toEqual({
      source_record_id: 'web/cookie_id:a,"b"\nc',
      customer_id: "cus_odd",
      source: "web",
    });
  });
});

/** A stand-in for ListSourceRecords serving `records` in pages of `pageSize`, tokens "p1", "p2", ... */
function pagesOf(records: readonly ExportedSourceRecord[], pageSize: number) {
  const asked: string[] = [];
  const listPage = async (pageToken: string): Promise<SourceRecordPage> => {
    asked.push(pageToken);
    const page = pageToken === "" ? 0 : Number(pageToken.slice(1));
    const start = page * pageSize;
    const hasMore = start + pageSize < records.length;
    return { records: records.slice(start, start + pageSize), nextPageToken: hasMore ? `p${page + 1}` : "" };
  };
  return { listPage, asked };
}

const records = Array.from({ length: 7 }, (_, n) => ({
  sourceRecordId: `shop/customer_number:C-${n}`,
  customerId: `cus_${n % 3}`,
  source: "shop",
}));

describe("exportIdentities", () => {
  it("pages through every record, passing each page's token on, and writes the header once", async () => {
    const { listPage, asked } = pagesOf(records, 3);
    let written = "";
    const progress: number[] = [];
    const result = await exportIdentities("csv", {
      listPage,
      write: async (text) => {
        written += text;
      },
      onPage: (count) => progress.push(count),
    });
    expect(result).toEqual({ records: 7, pages: 3 });
    expect(asked).toEqual(["", "p1", "p2"]);
    expect(progress).toEqual([3, 6, 7]);
    const lines = written.split("\n");
    expect(lines[0]).toBe("source_record_id,customer_id,source");
    expect(lines.slice(1, -1)).toEqual(records.map((r) => `${r.sourceRecordId},${r.customerId},${r.source}`));
    expect(lines.at(-1)).toBe("");
  });

  it("writes only the header when identity has no source records", async () => {
    let written = "";
    const result = await exportIdentities("csv", {
      listPage: async () => ({ records: [], nextPageToken: "" }),
      write: async (text) => {
        written += text;
      },
    });
    expect(result).toEqual({ records: 0, pages: 1 });
    expect(written).toBe("source_record_id,customer_id,source\n");
  });

  it("writes nothing when the first page cannot be had", async () => {
    let written = "";
    const failed = exportIdentities("csv", {
      listPage: async () => {
        throw new FatalError("cannot reach identity");
      },
      write: async (text) => {
        written += text;
      },
    });
    await expect(failed).rejects.toThrow("cannot reach identity");
    expect(written).toBe("");
  });

  it("stops instead of paging for ever when identity answers a token with itself", async () => {
    const stuck = exportIdentities("ndjson", {
      listPage: async () => ({ records: [ann], nextPageToken: "p1" }),
      write: async () => {},
    });
    await expect(stuck).rejects.toThrow(FatalError);
  });

  it("says how much it wrote, and where", () => {
    expect(exportSummaryText(12_345, "/tmp/identities.csv", 2_500)).toBe(
      "exported 12,345 source records to /tmp/identities.csv in 2.5 s",
    );
    expect(exportSummaryText(1, "stdout", 40)).toBe("exported 1 source record to stdout in 0.0 s");
  });
});

describe("rapport export options", () => {
  const io = { env: {}, cwd: "/work" };

  it("exports CSV to stdout from identity on 127.0.0.1:50052 unless told otherwise", () => {
    expect(parseExportOptions(["identities"], io)).toEqual({
      kind: "identities",
      format: "csv",
      output: undefined,
      identityAddress: "127.0.0.1:50052",
      pageSize: defaultExportPageSize,
    });
  });

  it("takes identity's address from --identity, else IDENTITY_GRPC_ADDRESS", () => {
    const env = { IDENTITY_GRPC_ADDRESS: "identity.internal:6000" };
    expect(parseExportOptions(["identities"], { env, cwd: "/" }).identityAddress).toBe(
      "identity.internal:6000",
    );
    expect(
      parseExportOptions(["identities", "--identity", "[::1]:50052"], { env, cwd: "/" }).identityAddress,
    ).toBe("[::1]:50052");
  });

  it("resolves --output against the working directory and reads NDJSON from its extension", () => {
    const options = parseExportOptions(["identities", "--output", "out/ids.ndjson"], io);
    expect(options).toMatchObject({ output: "/work/out/ids.ndjson", format: "ndjson" });
    const forced = parseExportOptions(["identities", "--output", "ids.ndjson", "--format", "csv"], io);
    expect(forced.format).toBe("csv");
  });

  it("refuses what it cannot do as usage errors", () => {
    const refusals: [string[], string][] = [
      [[], "give what to export"],
      [["customers"], 'cannot export "customers"; choose one of identities'],
      [["identities", "--format", "xml"], '--format "xml": choose one of csv, ndjson'],
      [["identities", "--identity", "localhost"], "is not host:port"],
      [["identities", "--page-size", "0"], "is not a whole number from 1 to 5000"],
      [["identities", "--page-size", "5001"], "is not a whole number from 1 to 5000"],
      [["identities", "--frobnicate"], "frobnicate"],
    ];
    for (const [args, message] of refusals) {
      expect(() => parseExportOptions(args, io), args.join(" ")).toThrow(UsageError);
      expect(() => parseExportOptions(args, io), args.join(" ")).toThrow(message);
    }
  });
});
