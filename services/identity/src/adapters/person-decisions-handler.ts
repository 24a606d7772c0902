import type { CrmTopics } from "@rapport/events";
import {
  type BatchHandler,
  type ConsumedMessage,
  type OutgoingRecord,
  type PoisonMessage,
  traceHeaders,
} from "@rapport/kafka";
import type { DecisionOutcome, PersonDecision } from "../domain/person-decisions.js";
import { decisionOfRecord } from "./decision-records.js";
import { identityEventRecord } from "./identity-records.js";

export type PersonDecisionsHandlerDependencies = {
  /** Applies a part's decisions in order (the graph writer): one outcome per decision, once written. */
  decide: (decisions: readonly PersonDecision[]) => Promise<DecisionOutcome[]>;
  topics: CrmTopics;
  /** Told each decision's outcome once the graph shows it: a request waiting for it is answered. */
  onDecided: (decision: PersonDecision, outcome: DecisionOutcome) => void;
};

/**
 * Applies a part of the decision log in one unit of work of the graph writer, as a part of
 * crm.events is resolved: what each decision did goes to crm.identity with the part's offsets (a
 * split, a decision on a proposal and the merge it made, or the refusal of one that no longer
 * applies). A record that holds no decision is poison: it goes to the dead-letter topic.
 */
export function createPersonDecisionsHandler(deps: PersonDecisionsHandlerDependencies): BatchHandler {
  return async (messages) => {
    const poison: PoisonMessage[] = [];
    const decisions: { message: ConsumedMessage; decision: PersonDecision }[] = [];
    for (const message of messages) {
      const decision = decisionOfRecord(message.value);
      if (typeof decision === "string")
        poison.push({ message, reason: "invalid_decision", detail: decision });
      else decisions.push({ message, decision });
    }
    const outcomes = await deps.decide(decisions.map(({ decision }) => decision));
    const records: OutgoingRecord[] = [];
    decisions.forEach(({ message, decision }, index) => {
      const outcome = outcomes[index];
      if (outcome === undefined)
        throw new Error(`the writer gave no outcome for decision ${decision.eventId}`);
      const events = outcome.kind === "applied" ? outcome.identityEvents : [outcome.refusal];
      const headers = traceHeaders(message.traceContext);
      events.forEach((event, position) => {
        records.push(identityEventRecord(deps.topics, event, position, headers));
      });
      deps.onDecided(decision, outcome);
    });
    return { records, poison };
  };
}
