import { describe, expect, it } from "vitest";
import { readUpTo } from "../src/io/paged-read.js";

/** 25 items served in pages of the asked size, at most 10; the token is the next item's index. */
function pagedSource() {
  const asked: { pageSize: number; pageToken: string }[] = [];
  const items = Array.from({ length: 25 }, (_, n) => n);
  const ask = async (pageSize: number, pageToken: string) => {
    asked.push({ pageSize, pageToken });
    const start = pageToken === "" ? 0 : Number(pageToken);
    const end = start + Math.min(pageSize, 10);
    return { items: items.slice(start, end), nextPageToken: end < items.length ? String(end) : "" };
  };
  return { ask, asked };
}

describe("reading pages up to a limit", () => {
  it("asks page after page until the limit, never for more than it needs", async () => {
    const { ask, asked } = pagedSource();
    const read = await readUpTo(23, 10, ask, (page) => page.items);
    expect(read.items).toEqual(Array.from({ length: 23 }, (_, n) => n));
    expect(read.nextPageToken).toBe("23");
    expect(asked).toEqual([
      { pageSize: 10, pageToken: "" },
      { pageSize: 10, pageToken: "10" },
      { pageSize: 3, pageToken: "20" },
    ]);
  });

  it("stops at the last page, with no token, when the limit is more than there is", async () => {
    const { ask } = pagedSource();
    const read = await readUpTo(100, 10, ask, (page) => page.items);
    expect(read.items).toHaveLength(25);
    expect(read.nextPageToken).toBe("");
    expect(read.firstPage.items).toEqual(Array.from({ length: 10 }, (_, n) => n));
  });
});
