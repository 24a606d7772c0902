import type { Kafka, Producer } from "kafkajs";
import { connectIdempotentProducer } from "./producers.js";
import { type OutgoingRecord, topicMessagesOf } from "./records.js";

type Waiting = { records: readonly OutgoingRecord[]; resolve: () => void; reject: (error: unknown) => void };

/**
 * Sends records through one idempotent producer, one produce request at a time. kafkajs numbers an
 * idempotent producer's records when a send starts, so concurrent sends can reach the broker out of
 * sequence (OUT_OF_ORDER_SEQUENCE_NUMBER), after which the producer fails every send. Callers that
 * arrive while a send is in flight are coalesced into the next one; each caller's promise settles
 * when Kafka has acknowledged (or refused) the request that carried its records. After a failed
 * send the producer's sequence state cannot be trusted, so the next send goes through a new one.
 */
export async function connectRecordSender(kafka: Kafka) {
  let producer: Producer | undefined = await connectIdempotentProducer(kafka);
  let waiting: Waiting[] = [];
  let sending = false;

  async function replaceProducer(): Promise<void> {
    const failed = producer;
    producer = undefined;
    await failed?.disconnect().catch(() => undefined);
  }

  async function drain(): Promise<void> {
    sending = true;
    while (waiting.length > 0) {
      const batch = waiting;
      waiting = [];
      try {
        producer ??= await connectIdempotentProducer(kafka);
        await producer.sendBatch({
          topicMessages: topicMessagesOf(batch.flatMap((entry) => entry.records)),
          acks: -1,
        });
        for (const entry of batch) entry.resolve();
      } catch (error) {
        for (const entry of batch) entry.reject(error);
        await replaceProducer();
      }
    }
    sending = false;
  }

  return {
    send(records: readonly OutgoingRecord[]): Promise<void> {
      if (records.length === 0) return Promise.resolve();
      const sent = new Promise<void>((resolve, reject) => waiting.push({ records, resolve, reject }));
      if (!sending) void drain();
      return sent;
    },
    /** Disconnects the producer; call after the last send has settled. */
    disconnect: () => replaceProducer(),
  };
}

export type RecordSender = Awaited<ReturnType<typeof connectRecordSender>>;
