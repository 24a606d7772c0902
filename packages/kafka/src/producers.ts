import { type Kafka, Partitioners, type Producer } from "kafkajs";

/** Idempotent producer with acks from all in-sync replicas: no duplicates from its own retries. */
export async function connectIdempotentProducer(kafka: Kafka): Promise<Producer> {
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  return producer;
}

/**
 * Transactional producer for consume-transform-produce: the records a batch produces and the batch's
 * offsets commit together or not at all. The transactional id must be stable per consumer instance so
 * that a restarted instance fences its predecessor and aborts its open transaction at once.
 */
export async function connectTransactionalProducer(kafka: Kafka, transactionalId: string): Promise<Producer> {
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    transactionalId,
    transactionTimeout: 30_000,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  return producer;
}
