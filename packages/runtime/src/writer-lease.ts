import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "@rapport/telemetry";
import { type Db, MongoServerError } from "mongodb";

type LeaseDocument = { _id: string; holder: string; until: Date };

export type WriterLeaseOptions = {
  /** What the lease is for (e.g. "graph_writer"): one document per lease in `writer_leases`. */
  name: string;
  /** Names this instance (INSTANCE_ID): a restarted instance takes its own lease back at once. */
  holder: string;
  leaseMs: number;
  logger: Logger;
  /** Called once when a held lease is lost (not renewed in time, or taken over): stop writing. */
  onLost: (error: Error) => void;
  clock?: () => Date;
};

const duplicateKey = 11000;

/**
 * Which instance of a service writes its projection: the one holding this lease, a document in the
 * service's database taken by an insert (the one write FerretDB and MongoDB both make atomic) and
 * renewed every third of its length. Another instance waits; it takes the lease over once the holder
 * stopped renewing it for its whole length (a crash), or at once when the holder released it (a clean
 * stop). A holder considers itself the writer only until a renewal is overdue by a fifth of the lease,
 * well before another instance may take over, and stops at once when a renewal finds the lease gone.
 */
export function createWriterLease(db: Db, options: WriterLeaseOptions) {
  const leases = db.collection<LeaseDocument>("writer_leases");
  const clock = options.clock ?? (() => new Date());
  const { name, holder, leaseMs, logger } = options;
  let heldUntil = 0;
  let renewal: NodeJS.Timeout | undefined;
  let stopped = false;

  const untilFromNow = () => new Date(clock().getTime() + leaseMs);

  /** One attempt: true when this instance holds the lease now. */
  async function tryAcquire(): Promise<boolean> {
    const until = untilFromNow();
    try {
      await leases.insertOne({ _id: name, holder, until });
      return true;
    } catch (error) {
      if (!(error instanceof MongoServerError && error.code === duplicateKey)) throw error;
    }
    const current = await leases.findOne({ _id: name });
    if (current === null) return false;
    if (current.holder === holder) {
      await leases.updateOne({ _id: name, holder }, { $set: { until } });
      return true;
    }
    if (current.until.getTime() > clock().getTime()) return false;
    // Left by an instance that stopped renewing: removed if it is still that one, then taken by insert.
    await leases.deleteOne({ _id: name, holder: current.holder, until: current.until });
    return false;
  }

  function lose(error: Error): void {
    if (stopped) return;
    stopped = true;
    heldUntil = 0;
    clearInterval(renewal);
    options.onLost(error);
  }

  async function renew(): Promise<void> {
    const startedAt = clock().getTime();
    const result = await leases.updateOne({ _id: name, holder }, { $set: { until: untilFromNow() } });
    if (result.matchedCount === 0) {
      lose(new Error(`instance ${holder} lost the ${name} lease to another instance`));
      return;
    }
    heldUntil = startedAt + leaseMs - leaseMs / 5;
  }

  function startRenewing(): void {
    heldUntil = clock().getTime() + leaseMs - leaseMs / 5;
    renewal = setInterval(() => {
      renew().catch((error) =>
        logger.warn({ err: error, lease: name }, "renewing the writer's lease failed"),
      );
      if (clock().getTime() > heldUntil)
        lose(new Error(`instance ${holder} could not renew the ${name} lease in time`));
    }, leaseMs / 3);
    renewal.unref();
  }

  return {
    /**
     * Waits until this instance holds the lease (`onWaiting` is told once when another holds it).
     * Resolves false when `release` was called meanwhile.
     */
    async acquire(onWaiting: (currentHolder: string) => void): Promise<boolean> {
      let told = false;
      while (!stopped) {
        if (await tryAcquire()) {
          startRenewing();
          return true;
        }
        if (!told) {
          told = true;
          const current = await leases.findOne({ _id: name });
          onWaiting(current?.holder ?? "another instance");
        }
        await sleep(Math.min(2_000, leaseMs / 4));
      }
      return false;
    },

    /** Whether this instance may write now. */
    isHeld: () => clock().getTime() < heldUntil,

    /** Stops renewing and hands the lease over at once (a clean stop). */
    async release(): Promise<void> {
      const wasHeld = heldUntil > 0;
      stopped = true;
      heldUntil = 0;
      clearInterval(renewal);
      if (wasHeld) await leases.deleteOne({ _id: name, holder });
    },
  };
}

export type WriterLease = ReturnType<typeof createWriterLease>;

/**
 * How a service instance starts: it waits for the lease in the background and, once it holds it,
 * runs `write` (the writer's work); an instance that finds another holding the lease is told so
 * (`standingBy`, once) and answers reads meanwhile. Resolves as soon as this instance writes or stands
 * by, so that the first instance starts writing before it answers. A failure of the wait or of `write`
 * goes to `onFatal`. `writing` settles when `write` has (or never will run): a stop waits for it
 * before it stops what `write` started.
 */
export async function writeOrStandBy(
  lease: WriterLease,
  handlers: {
    standingBy: (holder: string) => void;
    write: () => Promise<void>;
    onFatal: (error: Error) => void;
  },
): Promise<{ writing: Promise<void> }> {
  let standingBy = () => {};
  const isStandingBy = new Promise<void>((resolve) => {
    standingBy = resolve;
  });
  const writing = lease
    .acquire((holder) => {
      handlers.standingBy(holder);
      standingBy();
    })
    .then((held) => (held ? handlers.write() : undefined));
  writing.catch((error) => handlers.onFatal(error as Error));
  await Promise.race([writing, isStandingBy]);
  return { writing: writing.catch(() => undefined) };
}
