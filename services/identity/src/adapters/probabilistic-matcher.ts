import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "@rapport/telemetry";
import type { IdentityRules } from "../domain/identifier-rules.js";
import type { IdentityEvent } from "../domain/identity-events.js";
import type { CustomerId, EventId, EventTime } from "../domain/identity-types.js";
import { findCandidatePairs } from "../domain/matching/blocking.js";
import { defaultBlockingRules } from "../domain/matching/blocking-rules.js";
import type { MatchModel } from "../domain/matching/match-model.js";
import type { MatchThresholds } from "../domain/matching/match-policy.js";
import { trainMatchModel } from "../domain/matching/match-training.js";
import { type PersonRecord, pairKey } from "../domain/matching/person-record.js";
import { hasPersonTraits, personRecordOf } from "../domain/matching/person-record-of.js";
import {
  candidatesWorthDeciding,
  decideProbabilisticMatches,
  type MatchCandidate,
  proposalIdOf,
} from "../domain/probabilistic-match.js";
import { goldenRecordOfDocument, nodeOf } from "./customer-documents.js";
import type { IdentityStore } from "./identity-store.js";
import type { FittedModelDocument, MatchStore } from "./match-store.js";

export type MatcherOptions = {
  rules: IdentityRules;
  thresholds: MatchThresholds;
  /** Fewer customers with person traits than this: no model is fitted, and nothing is matched. */
  minRecords: number;
};

export type FitReport =
  | { fitted: true; records: number; candidatePairs: number; fittedAt: string }
  | { fitted: false; records: number; reason: string };

const maxApplyAttempts = 5;

/**
 * Probabilistic matching in the service: fits the Fellegi-Sunter model on the stored customers
 * (u from random pairs, m by EM: match-training.ts), and after each event that states person traits
 * scores the customer against the customers sharing a blocking key with it.
 */
export function createProbabilisticMatcher(
  store: IdentityStore,
  matches: MatchStore,
  options: MatcherOptions,
  logger: Logger,
) {
  let model: MatchModel | undefined;

  async function personRecords(): Promise<PersonRecord[]> {
    const records: PersonRecord[] = [];
    for await (const customer of store.activeCustomers()) {
      const record = personRecordOf(customer._id, goldenRecordOfDocument(customer.goldenRecord));
      if (hasPersonTraits(record)) records.push(record);
    }
    return records;
  }

  async function fileUnderBlocks(records: readonly PersonRecord[]): Promise<void> {
    for (const record of records) await matches.index(record.recordId, record);
  }

  async function candidatesOf(subjectId: CustomerId, record: PersonRecord): Promise<MatchCandidate[]> {
    const candidates = new Map<CustomerId, MatchCandidate>();
    const roots = await Promise.all([...(await matches.candidatesOf(record))].map(store.rootCustomer));
    for (const root of roots) {
      if (root === null || root._id === subjectId || candidates.has(root._id)) continue;
      candidates.set(root._id, {
        node: nodeOf(root),
        record: personRecordOf(root._id, goldenRecordOfDocument(root.goldenRecord)),
      });
    }
    return [...candidates.values()];
  }

  /** Stores the proposals and applies the merges; "conflict" when a customer changed since the decision. */
  async function apply(events: readonly IdentityEvent[]): Promise<"applied" | "conflict"> {
    for (const event of events) if (event.type === "MatchProposed") await matches.addProposal(event);
    return store.applyUnderLocks(events.filter((event) => event.type !== "MatchProposed"));
  }

  return {
    async loadModel(): Promise<void> {
      model = (await matches.currentModel())?.model;
    },

    hasModel: () => model !== undefined,

    /**
     * Takes over a model fitted elsewhere (on the graph a rebuild replaces) and files every customer
     * with person traits under its blocking keys, so that matching goes on as it did.
     */
    async adoptModel(fitted: Omit<FittedModelDocument, "_id">): Promise<void> {
      await matches.saveModel(fitted);
      model = fitted.model;
      await fileUnderBlocks(await personRecords());
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
      const candidatePairs = findCandidatePairs(records, defaultBlockingRules).pairs;
      const trained = trainMatchModel(records, candidatePairs);
      await fileUnderBlocks(records);
      const fittedAt = clock().toISOString();
      await matches.saveModel({
        model: trained.model,
        fittedAt,
        records: records.length,
        candidatePairs: candidatePairs.length,
      });
      model = trained.model;
      logger.info({ records: records.length, candidatePairs: candidatePairs.length }, "match model fitted");
      return { fitted: true, records: records.length, candidatePairs: candidatePairs.length, fittedAt };
    },

    /**
     * Scores the customer an event resolved to against its candidates and applies what that
     * decides: merges (rule probabilistic_match) and proposals for review. Returns the identity
     * events to publish; none without a model or without person traits.
     */
    async matchCustomer(
      customerId: CustomerId,
      fact: { eventId: EventId; time: EventTime },
    ): Promise<IdentityEvent[]> {
      if (model === undefined) return [];
      for (let attempt = 1; attempt <= maxApplyAttempts; attempt += 1) {
        const subject = await store.rootCustomer(customerId);
        if (subject === null) return [];
        const record = personRecordOf(subject._id, goldenRecordOfDocument(subject.goldenRecord));
        if (!hasPersonTraits(record)) return [];
        await matches.index(subject._id, record);
        const subjectCandidate = { node: nodeOf(subject), record };
        const candidates = candidatesWorthDeciding(
          subjectCandidate,
          await candidatesOf(subject._id, record),
          model,
          options.thresholds,
        );
        if (candidates.length === 0) return [];
        const rejected = new Set<string>();
        const proposed = new Set<string>();
        await Promise.all(
          candidates.map(async (candidate) => {
            const proposalId = proposalIdOf(subject._id, candidate.node.id);
            const proposal = await matches.proposal(proposalId);
            if (proposal?.status === "rejected") rejected.add(pairKey(subject._id, candidate.node.id));
            else if (proposal !== null) proposed.add(proposalId);
          }),
        );
        const snapshot = await store.snapshot([], [subject._id, ...candidates.map(({ node }) => node.id)]);
        const events = decideProbabilisticMatches(subjectCandidate, candidates, snapshot.graph, {
          model,
          thresholds: options.thresholds,
          rejected,
          proposed,
          rules: options.rules,
          ...fact,
        });
        if ((await apply(events)) === "applied") return events;
        await sleep(Math.random() * 10 * attempt);
      }
      throw new Error(`customer ${customerId}: its match candidates kept changing; the batch is retried`);
    },

    apply,
  };
}

export type ProbabilisticMatcher = ReturnType<typeof createProbabilisticMatcher>;
