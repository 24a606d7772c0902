import type { EventAnswer } from "../import/event-answer.js";
import type { CloudEventJson, MappedOutput } from "../import/mapped-output.js";

export type EventToSend = Extract<MappedOutput, { kind: "event" }>;

export type BatchSenderDependencies = {
  publish: (events: readonly CloudEventJson[]) => Promise<EventAnswer[]>;
  /** Batches on the wire at once: enough to overlap reading with sending, few enough to be gentle. */
  maxInFlight: number;
  onAnswered: (batch: readonly EventToSend[], answers: readonly EventAnswer[]) => Promise<void>;
};

/**
 * Sends batches with bounded concurrency. `send` returns once there is room for another batch, so
 * the reader waits for ingestion instead of piling up the file in memory. The first failure stops
 * everything: it is thrown from the next `send` or from `drain`.
 */
export function createBatchSender(deps: BatchSenderDependencies) {
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;

  const throwIfFailed = () => {
    if (failure) throw failure.error;
  };

  async function send(batch: readonly EventToSend[]): Promise<void> {
    throwIfFailed();
    while (inFlight.size >= deps.maxInFlight) {
      await Promise.race(inFlight);
      throwIfFailed();
    }
    const sending: Promise<void> = deps
      .publish(batch.map(({ event }) => event))
      .then((answers) => deps.onAnswered(batch, answers))
      .catch((error: unknown) => {
        failure ??= { error };
      })
      .finally(() => inFlight.delete(sending));
    inFlight.add(sending);
  }

  /** Waits for every batch on the wire. */
  async function drain(): Promise<void> {
    await Promise.all(inFlight);
    throwIfFailed();
  }

  return { send, drain };
}
