/** What a paged read returns: its first page (for the fields every page repeats), the items, and where it stopped. */
export type PagedRead<Page, Item> = { firstPage: Page; items: Item[]; nextPageToken: string };

/**
 * Asks for pages of at most `maxPageSize` until `limit` items are read or the pages end;
 * `nextPageToken` is empty when every item was read.
 */
export async function readUpTo<Page extends { nextPageToken: string }, Item>(
  limit: number,
  maxPageSize: number,
  ask: (pageSize: number, pageToken: string) => Promise<Page>,
  itemsOf: (page: Page) => readonly Item[],
): Promise<PagedRead<Page, Item>> {
  const firstPage = await ask(Math.min(limit, maxPageSize), "");
  const items = [...itemsOf(firstPage)].slice(0, limit);
  let nextPageToken = firstPage.nextPageToken;
  while (nextPageToken !== "" && items.length < limit) {
    const page = await ask(Math.min(limit - items.length, maxPageSize), nextPageToken);
    items.push(...itemsOf(page).slice(0, limit - items.length));
    nextPageToken = page.nextPageToken;
  }
  return { firstPage, items, nextPageToken };
}
