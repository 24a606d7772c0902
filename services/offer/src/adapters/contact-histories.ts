import { LeastRecentlyUsed } from "@rapport/runtime";
import type { Db } from "mongodb";
import type { ContactFact, PresentationFact, ResponseFact } from "../domain/contact-facts.js";
import {
  type ContactChange,
  type ContactHistory,
  decideContactChanges,
  emptyHistory,
  type HistoryAddition,
  survivorOf,
} from "../domain/contact-history.js";
import { type ContactPageDocument, openContactPages, pageIdOf } from "./contact-pages.js";
import type { StoreLayout } from "./store-buckets.js";

/** A history as read from its first `pages` pages. */
type KnownHistory = { history: ContactHistory; pages: number };

export type ContactHistoriesOptions = StoreLayout & {
  /** Histories kept in memory, least recently used forgotten first. */
  cachedCustomers: number;
  /** Units of work tried again after losing a page to another writer before the caller is told. */
  maxAttempts?: number;
};

/** Pages read at once after what is known: a few after a cached history, more for one never read. */
const pagesAfterCached = 4;
const pagesOfUnread = 8;

/**
 * Every customer's contact history, as pages in `contact_history_pages` (spread over the layout's
 * buckets by customer id). Everything a decision or a consumed part needs is read by `_id`: a
 * customer's pages from 0 until the first one missing (in `_id` `$in` lists, for every customer of a
 * part at once). A unit of work (a consumed part, a decision's presentations, a response) reads the
 * histories it names, decides in memory (decideContactChanges) and appends at most one page of facts
 * and one closing page per customer, in a few inserts.
 *
 * Appending is the only write, and it is the one FerretDB and MongoDB both make atomic: a page number
 * is taken by inserting it, so of two writers appending to one history (two partitions, two instances,
 * the API) one gets the page and the other reads it and decides again. A fact already in the history
 * adds nothing, so a part handled again writes nothing. A merge appends the merged customers' facts
 * to the survivor first and closes the merged histories after, so a merge handled again after a crash
 * finishes without doubling anything; facts arriving for a closed history go to its survivor.
 *
 * Pages never change, so the histories kept in memory are exact for the pages they were read from:
 * only the pages after them are read again, by every instance, and no writer lease is needed.
 */
export async function createContactHistories(db: Db, options: ContactHistoriesOptions) {
  const pages = await openContactPages(db, options);
  const cache = new LeastRecentlyUsed<string, KnownHistory>(options.cachedCustomers);
  const maxAttempts = options.maxAttempts ?? 10;

  /** The current histories of these customers: what the cache knows, and the pages after it. */
  async function readCurrent(customerIds: readonly string[]): Promise<Map<string, KnownHistory>> {
    const current = new Map<string, KnownHistory>();
    let pending = customerIds.map((customerId) => {
      const cached = cache.get(customerId);
      return {
        customerId,
        known: cached ?? { history: emptyHistory(customerId), pages: 0 },
        window: cached ? pagesAfterCached : pagesOfUnread,
      };
    });
    while (pending.length > 0) {
      const found = await pages.read(
        pending.flatMap(({ customerId, known, window }) =>
          Array.from({ length: window }, (_, index) => ({
            customerId,
            pageId: pageIdOf(customerId, known.pages + index),
          })),
        ),
      );
      const unfinished: typeof pending = [];
      for (const { customerId, known, window } of pending) {
        const read: ContactPageDocument[] = [];
        for (let page = known.pages; read.length < window; page++) {
          const document = found.get(pageIdOf(customerId, page));
          if (document === undefined) break;
          read.push(document);
        }
        const after = withPages(known, read);
        // A full window may have more pages after it: read on, twice as far.
        if (read.length === window) unfinished.push({ customerId, known: after, window: window * 2 });
        else current.set(customerId, after);
      }
      pending = unfinished;
    }
    for (const [customerId, known] of current) remember(customerId, known);
    return current;
  }

  function remember(customerId: string, known: KnownHistory): void {
    if (known.pages === 0) return;
    const cached = cache.get(customerId);
    if (cached === undefined || cached.pages <= known.pages) cache.set(customerId, known);
  }

  /** The histories of these customers and of every survivor they were merged into. */
  async function load(customerIds: Iterable<string>): Promise<Map<string, KnownHistory>> {
    const loaded = new Map<string, KnownHistory>();
    let frontier = [...new Set(customerIds)];
    while (frontier.length > 0) {
      const next = new Set<string>();
      for (const [customerId, known] of await readCurrent(frontier)) {
        loaded.set(customerId, known);
        const survivor = known.history.mergedInto;
        if (survivor !== undefined && !loaded.has(survivor)) next.add(survivor);
      }
      frontier = [...next].filter((customerId) => !loaded.has(customerId));
    }
    return loaded;
  }

  /**
   * Appends what a decision added: every history's page of facts first, then the pages that close
   * merged histories, so a closed history's facts are always in its survivor's. Answers the customers
   * whose next page another writer took meanwhile (nothing is closed then; the unit of work is
   * decided again).
   */
  async function append(
    loaded: ReadonlyMap<string, KnownHistory>,
    decided: ReadonlyMap<string, ContactHistory>,
    additions: ReadonlyMap<string, HistoryAddition>,
  ): Promise<Set<string>> {
    const factPages: ContactPageDocument[] = [];
    const closingPages: ContactPageDocument[] = [];
    const pagesAfter = new Map<string, number>();
    for (const [customerId, addition] of additions) {
      let page = loaded.get(customerId)?.pages ?? 0;
      if (addition.facts.length > 0) {
        factPages.push({
          _id: pageIdOf(customerId, page),
          customerId,
          page,
          kinds: [...new Set(addition.facts.map((fact) => fact.kind))],
          facts: addition.facts,
        });
        page += 1;
      }
      if (addition.mergedInto !== undefined) {
        closingPages.push({
          _id: pageIdOf(customerId, page),
          customerId,
          page,
          kinds: [],
          facts: [],
          mergedInto: addition.mergedInto,
        });
        page += 1;
      }
      pagesAfter.set(customerId, page);
    }
    // What learning reads goes first: a crash before the pages leaves the part to be handled again,
    // which records these again (nothing twice) and then appends the pages.
    await pages.recordForLearning({
      presentationsAndResponses: [...additions].flatMap(([customerId, addition]) =>
        addition.facts
          .filter((fact) => fact.kind === "presentation" || fact.kind === "response")
          .map((fact) => ({ _id: fact.eventId, customerId, fact })),
      ),
      merges: [...additions].flatMap(([customerId, { mergedInto }]) =>
        mergedInto === undefined ? [] : [{ _id: customerId, survivor: mergedInto }],
      ),
    });
    const taken = await pages.insert(factPages);
    if (taken.size > 0) return taken;
    const closedMeanwhile = await pages.insert(closingPages);
    if (closedMeanwhile.size > 0) return closedMeanwhile;
    for (const [customerId, page] of pagesAfter) {
      const history = decided.get(customerId);
      if (history !== undefined) remember(customerId, { history, pages: page });
    }
    return new Set();
  }

  return {
    /** The history holding a customer's facts now: its own, or its survivor's once it was merged. */
    async historyOf(customerId: string): Promise<ContactHistory> {
      const histories = historiesOf(await load([customerId]));
      const survivor = survivorOf(histories, customerId);
      return histories.get(survivor) ?? emptyHistory(survivor);
    },

    /**
     * Applies changes (a consumed part's facts or merges, a decision's presentations, a response) as
     * one unit of work: read, decided in memory, appended; decided again on what another writer
     * appended meanwhile.
     */
    async record(changes: readonly ContactChange[]): Promise<void> {
      if (changes.length === 0) return;
      const named = changes.flatMap((change) =>
        change.kind === "facts" ? [change.customerId] : [change.survivor, ...change.merged],
      );
      for (let attempt = 1; ; attempt++) {
        const loaded = await load(named);
        const decided = decideContactChanges(historiesOf(loaded), changes);
        if (decided.additions.size === 0) return;
        const taken = await append(loaded, decided.histories, decided.additions);
        if (taken.size === 0) return;
        if (attempt >= maxAttempts)
          throw new Error(
            `the contact histories of ${[...taken].slice(0, 5).join(", ")} kept changing under ${attempt} attempts to append to them`,
          );
      }
    },

    /**
     * Every presentation and response stored, by the customer whose history holds it now (a merged
     * customer's are its survivor's): what learning reads, one pass over those and the merges
     * rather than over every history.
     */
    async presentationsAndResponsesByCustomer(): Promise<(PresentationFact | ResponseFact)[][]> {
      const recorded = await pages.forLearning();
      const mergedInto = new Map(recorded.merges.map((merge) => [merge._id, { mergedInto: merge.survivor }]));
      const byCustomer = new Map<string, (PresentationFact | ResponseFact)[]>();
      for (const { customerId, fact } of recorded.presentationsAndResponses) {
        const survivor = survivorOf(mergedInto, customerId);
        const facts = byCustomer.get(survivor);
        if (facts === undefined) byCustomer.set(survivor, [fact]);
        else facts.push(fact);
      }
      return [...byCustomer.values()];
    },

    /**
     * Every open history (merged customers' facts are their survivors'), bucket by bucket: one read
     * of the whole collection, grouped in memory. With `kinds`, only the pages holding facts of those
     * kinds (and the pages that close a history) come back from the store, and only those facts are
     * given; customers with none of them are left out.
     */
    async *all(kinds?: readonly ContactFact["kind"][]): AsyncGenerator<[string, ContactFact[]]> {
      for await (const bucket of pages.byCustomer(kinds)) {
        for (const [customerId, listed] of bucket) {
          listed.sort((a, b) => a.page - b.page);
          const { history } = withPages({ history: emptyHistory(customerId), pages: 0 }, listed);
          if (history.mergedInto !== undefined) continue;
          const facts = kinds
            ? history.facts.filter((fact) => kinds.includes(fact.kind))
            : [...history.facts];
          if (facts.length > 0) yield [customerId, facts];
        }
      }
    },
  };
}

export type ContactHistories = Awaited<ReturnType<typeof createContactHistories>>;

function historiesOf(loaded: ReadonlyMap<string, KnownHistory>): Map<string, ContactHistory> {
  return new Map([...loaded].map(([customerId, known]) => [customerId, known.history]));
}

/** A history with the pages after the ones it was read from; each event's fact once. */
function withPages(known: KnownHistory, read: readonly ContactPageDocument[]): KnownHistory {
  if (read.length === 0) return known;
  const held = new Set(known.history.facts.map((fact) => fact.eventId));
  const facts = [...known.history.facts];
  let mergedInto = known.history.mergedInto;
  for (const page of read) {
    for (const fact of page.facts) {
      if (held.has(fact.eventId)) continue;
      held.add(fact.eventId);
      facts.push(fact);
    }
    mergedInto ??= page.mergedInto;
  }
  return {
    history: { customerId: known.history.customerId, facts, ...(mergedInto ? { mergedInto } : {}) },
    pages: known.pages + read.length,
  };
}
