import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { type Db, MongoServerError } from "mongodb";
import { type CustomerId, compareText } from "../domain/identity-types.js";

type CustomerLock = { _id: CustomerId; holder: string; takenAt: Date };

export type CustomerLockOptions = {
  /** A lock older than this is taken to belong to a crashed instance and is taken over. */
  leaseMs: number;
  /** How long to wait for the locks before the batch is retried. */
  waitMs: number;
};

const defaults: CustomerLockOptions = { leaseMs: 30_000, waitMs: 20_000 };

/**
 * Short locks on customers, so that two service instances never change one customer at once. A lock
 * is a document whose `_id` is the customer id: inserting it is the one write FerretDB and MongoDB
 * both make atomic (a conditional update is not atomic on FerretDB: two racing writers both match).
 * Locks are taken in id order, so two instances wanting the same customers never wait on each other
 * in a circle; a lock left by a crashed instance is taken over after its lease.
 */
export function createCustomerLocks(db: Db, options: CustomerLockOptions = defaults) {
  const locks = db.collection<CustomerLock>("customer_locks");

  async function take(customerId: CustomerId, holder: string, deadline: number): Promise<void> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        await locks.insertOne({ _id: customerId, holder, takenAt: new Date() });
        return;
      } catch (error) {
        if (!(error instanceof MongoServerError && error.code === 11000)) throw error;
      }
      const current = await locks.findOne({ _id: customerId });
      if (current !== null && Date.now() - current.takenAt.getTime() > options.leaseMs) {
        await locks.deleteOne({ _id: customerId, holder: current.holder });
        continue;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `customer ${customerId} stayed locked by ${current?.holder ?? "another instance"}; the batch is retried`,
        );
      }
      await sleep(Math.min(5 * 2 ** Math.min(attempt, 4), 50) * (0.5 + Math.random()));
    }
  }

  return {
    /** Runs `work` holding the locks of these customers; releases them whatever happens. */
    async withLocks<T>(customerIds: Iterable<CustomerId>, work: () => Promise<T>): Promise<T> {
      const holder = randomUUID();
      const ordered = [...new Set(customerIds)].sort(compareText);
      const deadline = Date.now() + options.waitMs;
      const taken: CustomerId[] = [];
      try {
        for (const customerId of ordered) {
          await take(customerId, holder, deadline);
          taken.push(customerId);
        }
        return await work();
      } finally {
        await Promise.all(taken.map((customerId) => locks.deleteOne({ _id: customerId, holder })));
      }
    },
  };
}

export type CustomerLocks = ReturnType<typeof createCustomerLocks>;
