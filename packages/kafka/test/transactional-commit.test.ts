import { describe, expect, it } from "vitest";
import { inSendableChunks } from "../src/transactional-commit.js";

const record = (value: string) => ({ topic: "t", key: "k", value });

describe("the records of a transaction, in sendable chunks", () => {
  it("keeps their order and cuts before a chunk would pass the limit, a record larger than it on its own", () => {
    const records = [record("a".repeat(100)), record("b".repeat(100)), record("c".repeat(500)), record("d")];
    const chunks = inSendableChunks(records, 400);
    expect(chunks).toEqual([[records[0], records[1]], [records[2]], [records[3]]]);
    expect(chunks.flat()).toEqual(records);
    expect(inSendableChunks([], 400)).toEqual([]);
  });
});
