import { type Context, context } from "@opentelemetry/api";
import type { CrmTopics } from "@rapport/events";
import { mapConcurrently } from "@rapport/grpc";
import { type OutgoingRecord, traceHeaders } from "@rapport/kafka";
import type { CustomerScores } from "../domain/customer-scores.js";
import { type CustomerChange, treatmentFor } from "../domain/treatments.js";
import { offerEventRecord } from "./offer-records.js";

/**
 * A change from crm.customer.changes that may call for a treatment, in the trace it came with, with
 * the customer's scores when the change carries them (scoring sends its summary with every change).
 */
export type ObservedChange = { change: CustomerChange; scores?: CustomerScores; traceContext: Context };

export type TreatmentQueueDependencies = {
  topics: CrmTopics;
  /**
   * The customer's current scores, for a change that does not carry them: a change queues a
   * treatment only for the customers it suits.
   */
  scoresOf: (customerId: string) => Promise<CustomerScores | undefined>;
  /** Score lookups in flight at once. */
  lookupsInFlight: number;
};

/**
 * The TreatmentQueued records a part's changes call for, in the part's order: each change is decided
 * on the scores it carries, or else on the customer's scores looked up (`lookupsInFlight` at a time,
 * each in the trace of its change, so that scoring's answer is part of it). A treatment's id derives from its change, so
 * a part handled again queues the same treatments.
 */
export async function queueTreatments(
  changes: readonly ObservedChange[],
  deps: TreatmentQueueDependencies,
): Promise<OutgoingRecord[]> {
  const treatments = await mapConcurrently(
    changes,
    deps.lookupsInFlight,
    async ({ change, scores: carried, traceContext }) => {
      const scores = carried ?? (await context.with(traceContext, () => deps.scoresOf(change.customerId)));
      return scores && treatmentFor(change, scores);
    },
  );
  return changes.flatMap(({ change, traceContext }, index) => {
    const treatment = treatments[index];
    if (!treatment) return [];
    const treatmentId = `treatment:${change.eventId}`;
    return [
      offerEventRecord(
        deps.topics,
        {
          type: "crm.v1.TreatmentQueued",
          id: treatmentId,
          time: change.asOf,
          treatment: { treatmentId, customerId: change.customerId, queuedAt: change.asOf, ...treatment },
          causeEventId: change.eventId,
        },
        traceHeaders(traceContext),
      ),
    ];
  });
}
