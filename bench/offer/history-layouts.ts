import { parseArgs } from "node:util";
import { type Collection, type Document, MongoClient } from "mongodb";
import { acquireInfra } from "../shared/bench-infra.js";
import { logToStderr } from "../shared/progress.js";

/**
 * How three ways of keeping customers' contact facts cost on the document store, at several
 * population sizes: what the offer service's consumer does for a part (read what it names, write one
 * new fact for each of its customers) and what a decision does (read one customer's facts).
 *
 * - pages: `contact_history_pages`, `<customer>#<n>` pages appended by insert (the layout chosen);
 * - customer: one document per customer, replaced whole when it changes;
 * - fact: one document per fact with a `customerId` field (the earlier layout), found by that field.
 *
 * `npx tsx --conditions=source bench/offer/history-layouts.ts [--sizes 20000,100000] [--parts 10]`
 * (a throwaway Kafka and FerretDB unless KAFKA_BROKERS and MONGODB_URI are set). Prints a table.
 */

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "20000,100000" },
    parts: { type: "string", default: "10" },
    "part-customers": { type: "string", default: "150" },
    reads: { type: "string", default: "30" },
  },
});
const sizes = (values.sizes as string).split(",").map(Number);
const parts = Number(values.parts);
const partCustomers = Number(values["part-customers"]);
const reads = Number(values.reads);
const factsPerCustomer = 4;
const log = logToStderr;

type Fact = Document & { eventId: string; kind: string };
type StoredDocument = Document & { _id: string };

function factOf(customer: number, index: number): Fact {
  const eventId = `bench:${customer}:${index}`;
  const time = new Date(Date.UTC(2026, 0, 1) + (customer * 7 + index) * 3_600_000).toISOString();
  const contactPoints = {
    emails: [`person${customer}@example.com`],
    phones: [`+8210${String(customer).padStart(8, "0")}`],
  };
  switch (index % 4) {
    case 0:
      return { eventId, time, kind: "profile", contactPoints };
    case 1:
      return { eventId, time, kind: "consent", channel: "email", granted: true };
    default:
      return { eventId, time, kind: "order", amountMinor: 10_000 + index, contactPoints };
  }
}

const customerId = (customer: number) => `cus_${String(customer).padStart(24, "0")}`;

/** Seeded choice of distinct customers (mulberry32). */
function chooser(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return (population: number, count: number) => {
    const chosen = new Set<number>();
    while (chosen.size < Math.min(count, population)) chosen.add(Math.floor(next() * population));
    return [...chosen];
  };
}

async function fill(
  collection: Collection<StoredDocument>,
  documents: Iterable<StoredDocument>,
): Promise<void> {
  let batch: StoredDocument[] = [];
  for (const document of documents) {
    batch.push(document);
    if (batch.length === 1_000) {
      await collection.insertMany(batch, { ordered: false });
      batch = [];
    }
  }
  if (batch.length > 0) await collection.insertMany(batch, { ordered: false });
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

const median = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
};

const infra = await acquireInfra(log);
const client = new MongoClient(infra.endpoints.mongodbUri, { retryWrites: false });
await client.connect();
const rows: string[][] = [];
try {
  for (const size of sizes) {
    const db = client.db(`offer_history_layouts_${size}_${Date.now()}`);
    const pages = db.collection<StoredDocument>("contact_history_pages");
    const customers = db.collection<StoredDocument>("contact_histories");
    const facts = db.collection<StoredDocument>("contact_facts");
    const pageOf = (customer: number, page: number, listed: Fact[]) => ({
      _id: `${customerId(customer)}#${page}`,
      customerId: customerId(customer),
      page,
      facts: listed,
    });
    log(`${size.toLocaleString("en")} customers: filling the three layouts`);
    const all = Array.from({ length: size }, (_, customer) => customer);
    const factsOf = (customer: number) =>
      Array.from({ length: factsPerCustomer }, (_, index) => factOf(customer, index));
    const fillTimes = {
      pages: await timed(() =>
        fill(
          pages,
          all.flatMap((customer) => [
            pageOf(customer, 0, factsOf(customer).slice(0, 2)),
            pageOf(customer, 1, factsOf(customer).slice(2)),
          ]),
        ),
      ),
      customer: await timed(() =>
        fill(
          customers,
          all.map((customer) => ({ _id: customerId(customer), facts: factsOf(customer) })),
        ),
      ),
      fact: await timed(() =>
        fill(
          facts,
          all.flatMap((customer) =>
            factsOf(customer).map((fact) => ({
              _id: `${customerId(customer)}/${fact.eventId}`,
              customerId: customerId(customer),
              fact,
            })),
          ),
        ),
      ),
    };
    log(`  filled: ${JSON.stringify(fillTimes)}`);
    const choose = chooser(size);
    const partTimes = { pages: [] as number[], customer: [] as number[], fact: [] as number[] };
    for (let part = 0; part < parts; part++) {
      const named = choose(size, partCustomers);
      const extra = (customer: number) => factOf(customer, 100 + part);
      partTimes.pages.push(
        await timed(async () => {
          const probe = named.flatMap((customer) =>
            Array.from({ length: 8 }, (_, page) => `${customerId(customer)}#${page}`),
          );
          const found = await pages.find({ _id: { $in: probe } } as Document).toArray();
          const next = new Map<number, number>();
          for (const document of found)
            next.set(
              Number(String(document.customerId).slice(4)),
              Math.max(
                next.get(Number(String(document.customerId).slice(4))) ?? 0,
                Number(document.page) + 1,
              ),
            );
          await pages.insertMany(
            named.map((customer) => pageOf(customer, next.get(customer) ?? 0, [extra(customer)])),
            { ordered: false },
          );
        }),
      );
      partTimes.customer.push(
        await timed(async () => {
          const found = await customers.find({ _id: { $in: named.map(customerId) } } as Document).toArray();
          await customers.bulkWrite(
            found.map((document) => ({
              replaceOne: {
                filter: { _id: document._id },
                replacement: { facts: [...document.facts, extra(Number(String(document._id).slice(4)))] },
              },
            })),
            { ordered: true },
          );
        }),
      );
      partTimes.fact.push(
        await timed(async () => {
          // The earlier handler: one insertMany per customer of the part, one after the other.
          for (const customer of named)
            await facts.insertMany(
              [
                {
                  _id: `${customerId(customer)}/${extra(customer).eventId}`,
                  customerId: customerId(customer),
                  fact: extra(customer),
                },
              ],
              { ordered: false },
            );
        }),
      );
    }
    log(
      `  parts: ${JSON.stringify(Object.fromEntries(Object.entries(partTimes).map(([k, v]) => [k, median(v)])))}`,
    );
    const readTimes = { pages: [] as number[], customer: [] as number[], fact: [] as number[] };
    for (const customer of choose(size, reads)) {
      readTimes.pages.push(
        await timed(() =>
          pages
            .find({
              _id: { $in: Array.from({ length: 8 }, (_, page) => `${customerId(customer)}#${page}`) },
            } as Document)
            .toArray(),
        ),
      );
      readTimes.customer.push(
        await timed(() => customers.findOne({ _id: customerId(customer) } as Document)),
      );
    }
    // A scan per read: three are enough to tell.
    for (const customer of choose(size, 3))
      readTimes.fact.push(await timed(() => facts.find({ customerId: customerId(customer) }).toArray()));
    log(
      `  reads: ${JSON.stringify(Object.fromEntries(Object.entries(readTimes).map(([k, v]) => [k, median(v)])))}`,
    );
    const scanPages = await timed(() => pages.find({}).toArray());
    const scanFacts = await timed(() => facts.find({}).toArray());
    log(`  scans: pages ${scanPages.toFixed(0)} ms, facts ${scanFacts.toFixed(0)} ms`);
    const ms = (value: number) => value.toFixed(1);
    rows.push(
      [
        `${size.toLocaleString("en")} customers: a part of ${partCustomers} customers (read + write), ms`,
        ms(median(partTimes.pages)),
        ms(median(partTimes.customer)),
        ms(median(partTimes.fact)),
      ],
      [
        `${size.toLocaleString("en")} customers: one customer's facts read, ms`,
        ms(median(readTimes.pages)),
        ms(median(readTimes.customer)),
        ms(median(readTimes.fact)),
      ],
      [
        `${size.toLocaleString("en")} customers: every document read (find {}), s`,
        (scanPages / 1000).toFixed(1),
        "",
        (scanFacts / 1000).toFixed(1),
      ],
    );
    await db.dropDatabase();
  }
} finally {
  await client.close();
  await infra.stop();
}
console.log(
  `\n| median of ${parts} parts / ${reads} reads | pages (chosen) | one per customer | one per fact (earlier) |`,
);
console.log("| --- | ---: | ---: | ---: |");
for (const row of rows) console.log(`| ${row.join(" | ")} |`);
