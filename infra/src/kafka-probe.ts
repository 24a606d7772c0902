import { Kafka, logLevel } from "kafkajs";

const CLIENT_ID = "rapport-infra";

function quietClient(brokers: string, retries: number): Kafka {
  return new Kafka({
    clientId: CLIENT_ID,
    brokers: brokers.split(","),
    // A broker that is still starting refuses connections; that is expected, not worth a log line.
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    requestTimeout: 5000,
    retry: { retries },
  });
}

/** One metadata round trip: true when the broker answered. */
export async function probeKafka(brokers: string): Promise<boolean> {
  const admin = quietClient(brokers, 0).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * A fresh broker creates its transaction and consumer-offsets topics on first use, and clients
 * that arrive meanwhile get "coordinator not available" errors (which kafkajs retries but logs as
 * ERROR). Touching both coordinators once here makes the broker fully ready before any test or
 * service connects: beginning a transaction finds the transaction coordinator (connect alone only
 * fetches a non-transactional producer id), and describing a group finds the group coordinator.
 */
export async function warmUpKafkaCoordinators(brokers: string): Promise<void> {
  const kafka = quietClient(brokers, 10);
  const producer = kafka.producer({
    transactionalId: `${CLIENT_ID}-readiness`,
    idempotent: true,
    maxInFlightRequests: 1,
  });
  const admin = kafka.admin();
  const transactionCoordinator = async (): Promise<void> => {
    await producer.connect();
    const transaction = await producer.transaction();
    await transaction.abort();
  };
  const groupCoordinator = async (): Promise<void> => {
    await admin.connect();
    await admin.describeGroups([`${CLIENT_ID}-readiness`]);
  };
  try {
    await Promise.all([transactionCoordinator(), groupCoordinator()]);
  } finally {
    await producer.disconnect().catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
}
