import { runOnWorkerThread, siblingModule } from "@rapport/runtime";
import type { Logger } from "@rapport/telemetry";
import type { CustomerId } from "../domain/identity-types.js";
import { createBlockIndex } from "../domain/matching/block-index.js";
import { defaultBlockingOptions } from "../domain/matching/blocking.js";
import { defaultBlockingRules } from "../domain/matching/blocking-rules.js";
import type { MatchModel } from "../domain/matching/match-model.js";
import type { MatchThresholds } from "../domain/matching/match-policy.js";
import type { PersonRecord } from "../domain/matching/person-record.js";
import { hasPersonTraits, personRecordOf } from "../domain/matching/person-record-of.js";
import { goldenRecordOfDocument } from "./customer-documents.js";
import type { IdentityStore } from "./identity-store.js";
import type { MatchFitResult } from "./match-fit-task.js";
import type { FittedModelDocument, MatchStore } from "./match-store.js";

const matchFitTask = siblingModule(import.meta.url, "match-fit-task");

export type MatcherOptions = {
  thresholds: MatchThresholds;
  /** Fewer customers with person traits than this: no model is fitted, and nothing is matched. */
  minRecords: number;
};

export type FitReport =
  | { fitted: true; records: number; candidatePairs: number; fittedAt: string }
  | { fitted: false; records: number; reason: string };

/**
 * Probabilistic matching's model and blocking index. The model (Fellegi-Sunter: u from random pairs,
 * m by EM, match-training.ts) is fitted on the stored customers and kept in the match store; the
 * index of which customers share a blocking key lives in memory, filled from the stored customers
 * when a model is loaded or fitted and kept current by the graph writer, which files every customer
 * it matches. The graph writer decides the matches (graph-writer.ts).
 */
export function createProbabilisticMatcher(
  store: IdentityStore,
  matches: MatchStore,
  options: MatcherOptions,
  logger: Logger,
) {
  let model: MatchModel | undefined;
  const index = createBlockIndex(defaultBlockingRules, defaultBlockingOptions.maxBlockSize);

  async function personRecords(): Promise<PersonRecord[]> {
    const records: PersonRecord[] = [];
    for await (const customer of store.activeCustomers()) {
      const record = personRecordOf(customer._id, goldenRecordOfDocument(customer.goldenRecord));
      if (hasPersonTraits(record)) records.push(record);
    }
    return records;
  }

  function fileAll(records: readonly PersonRecord[]): void {
    for (const record of records) index.add(record.recordId, record);
  }

  return {
    thresholds: options.thresholds,

    /** Loads the fitted model, if there is one, and files every customer with person traits. */
    async loadModel(): Promise<void> {
      model = (await matches.currentModel())?.model;
      if (model !== undefined) fileAll(await personRecords());
    },

    hasModel: () => model !== undefined,

    model: () => model,

    /** Files the customer under its blocking keys; answers the customers sharing one with it (it too). */
    fileAndFindCandidates(customerId: CustomerId, record: PersonRecord): Set<CustomerId> {
      index.add(customerId, record);
      return index.candidatesOf(record);
    },

    /**
     * Takes over a model fitted elsewhere (on the graph a rebuild replaces) and files every customer
     * with person traits under its blocking keys, so that matching goes on as it did.
     */
    async adoptModel(fitted: Omit<FittedModelDocument, "_id">): Promise<void> {
      await matches.saveModel(fitted);
      model = fitted.model;
      fileAll(await personRecords());
    },

    /** Fits the model on every customer with person traits and files them all under their blocks. */
    async fit(clock: () => Date): Promise<FitReport> {
      const records = await personRecords();
      if (records.length < options.minRecords) {
        return {
          fitted: false,
          records: records.length,
          reason: `${records.length} customers with person traits; matching needs ${options.minRecords}`,
        };
      }
      // Seconds of CPU on a large population: on a worker thread, so that the writer goes on
      // resolving and renewing its lease meanwhile.
      const fit = await runOnWorkerThread<PersonRecord[], MatchFitResult>(matchFitTask, records);
      fileAll(records);
      const fittedAt = clock().toISOString();
      await matches.saveModel({
        model: fit.model,
        fittedAt,
        records: records.length,
        candidatePairs: fit.candidatePairs,
      });
      model = fit.model;
      logger.info({ records: records.length, candidatePairs: fit.candidatePairs }, "match model fitted");
      return { fitted: true, records: records.length, candidatePairs: fit.candidatePairs, fittedAt };
    },
  };
}

export type ProbabilisticMatcher = ReturnType<typeof createProbabilisticMatcher>;
