import type { Server } from "@grpc/grpc-js";
import {
  type Identifier,
  type IdentifierRules,
  identifierTypes,
  normaliseIdentifier,
  normaliseIdentifiers,
  type PostalAddress,
} from "@rapport/events";
import { type GrpcError, grpcErrors, unary } from "@rapport/grpc";
import {
  type DecideMatchRequest,
  type DecideMatchResponse,
  type GetIdentityGraphRequest,
  type GetIdentityGraphResponse,
  type GetIdentityStatsRequest,
  type GetIdentityStatsResponse,
  type GoldenTrait,
  IdentityServiceService,
  identifierTypeFromJSON,
  identifierTypeToJSON,
  type ListMatchProposalsRequest,
  type ListMatchProposalsResponse,
  type ListSourceRecordsRequest,
  type ListSourceRecordsResponse,
  MatchDecision,
  type MatchEvidence,
  type MergeRecord,
  type Identifier as ProtoIdentifier,
  type ResolveRequest,
  type ResolveResponse,
  type SplitCustomerRequest,
  type SplitCustomerResponse,
} from "@rapport/proto";
import type { Logger } from "@rapport/telemetry";
import type { GoldenRecord } from "../domain/golden-record.js";
import { byPriority, type IdentityRules } from "../domain/identifier-rules.js";
import type {
  CustomerSplit,
  DecisionRefusalReason,
  MatchDecided,
  MergeEvidence,
} from "../domain/identity-events.js";
import { identifiersOf, resolveRoot } from "../domain/identity-graph.js";
import { type CustomerId, compareEventTimes, compareText, identifierKey } from "../domain/identity-types.js";
import type { DecisionOutcome, PersonDecision } from "../domain/person-decisions.js";
import { decideAcceptedMatch } from "../domain/probabilistic-match.js";
import { decideSplit, type SplitRequest } from "../domain/split.js";
import { type CustomerDocument, goldenRecordOfDocument, nodeOf } from "./customer-documents.js";
import type { DecisionWaiters } from "./decision-waiters.js";
import type { GraphWriter } from "./graph-writer.js";
import type { IdentityStore } from "./identity-store.js";
import type { PendingSwitch } from "./identity-switch.js";
import type { MatchStore, ProposalDocument } from "./match-store.js";

export type IdentityGrpcDependencies = {
  /** The build of the graph answering now, with its review queue of probable matches. */
  serving: () => { store: IdentityStore; matches: MatchStore; writer: GraphWriter };
  /** Whether this instance writes the graph: a standby instance answers reads and refuses changes. */
  isWriter: () => boolean;
  /** The switch a replay has begun, if one is pending: no split or match decision is taken meanwhile. */
  pendingSwitch: () => Promise<PendingSwitch | undefined>;
  rules: IdentityRules;
  /** Appends a person's decision to the decision log; resolves when Kafka acknowledged it. */
  appendDecision: (decision: PersonDecision) => Promise<void>;
  /** Where a request that waits until its decision is applied waits. */
  waiters: DecisionWaiters;
  /** How incoming identifiers are normalised: as ingestion does, in the same default phone region. */
  identifierRules: IdentifierRules;
  clock: () => Date;
  logger: Logger;
};

const defaultPageSize = 500;
const maxPageSize = 5_000;
const defaultProposalPageSize = 50;
const maxProposalPageSize = 500;
/** Roots of one page of source records are looked up this many at a time. */
const rootLookupsInFlight = 64;
/** How long a request waits for its decision to be applied without a deadline, and at most. */
const maxApplyWaitMs = 30_000;
/** A waiting request answers this long before its deadline, so that the caller reads the answer. */
const answerMarginMs = 250;

/** IdentityService: resolution, the identity graph of a customer, splits, stats and source records. */
export function registerIdentityService(server: Server, deps: IdentityGrpcDependencies): void {
  const { serving, logger } = deps;
  const method = (name: string) => `crm.v1.IdentityService/${name}`;
  /** A change is made by the instance writing the graph, and not while a replay switches builds. */
  const refuseUnlessWriting = async () => {
    if (!deps.isWriter())
      throw grpcErrors.unavailable(
        "this identity instance stands by while another writes the graph; send the change to that one, or try again (a standby takes over when the writer stops)",
      );
    const pending = await deps.pendingSwitch();
    if (pending !== undefined)
      throw grpcErrors.unavailable(
        `identity is switching to its rebuilt graph (version ${pending.to}) and takes no decision meanwhile; try again in a few seconds`,
      );
  };
  /**
   * Appends a checked decision to the decision log, and when asked waits (within the call's
   * deadline) for the writer to apply it: its outcome, or undefined when it is logged but not
   * applied yet. Nothing changes unless the log holds the decision; a refusal is a status.
   */
  const logDecision = async (
    decision: PersonDecision,
    options: { waitUntilApplied: boolean; deadline: Date | number },
  ): Promise<Extract<DecisionOutcome, { kind: "applied" }> | undefined> => {
    const waiter = options.waitUntilApplied ? deps.waiters.expect(decision) : undefined;
    try {
      try {
        await deps.appendDecision(decision);
      } catch (error) {
        logger.warn({ err: error, decisionId: decision.eventId }, "a decision could not be logged");
        throw grpcErrors.unavailable(
          `the decision could not be logged (${(error as Error).message}); nothing changed: try again`,
        );
      }
      const outcome = await waiter?.outcome(applyWaitMs(options.deadline));
      if (outcome?.kind === "refused")
        throw decisionRefusal(
          outcome.refusal.reason,
          `${outcome.refusal.detail} (decision ${decision.eventId} was logged, and refused when it was applied)`,
        );
      return outcome;
    } finally {
      waiter?.forget();
    }
  };

  server.addService(IdentityServiceService, {
    resolve: unary<ResolveRequest, ResolveResponse>(method("Resolve"), logger, async (request) => {
      if (request.identifiers.length === 0) throw grpcErrors.invalidArgument("name at least one identifier");
      const strongestFirst = byPriority(deps.rules, normalised(request.identifiers, deps.identifierRules));
      const { store } = serving();
      const customers = await Promise.all(strongestFirst.map((id) => store.customerOfIdentifier(id)));
      const decisive = customers.findIndex((customer) => customer !== null);
      const customer = customers[decisive];
      const matchedBy = strongestFirst[decisive];
      if (!customer || matchedBy === undefined) {
        throw grpcErrors.notFound("no customer holds any of these identifiers");
      }
      return { customerId: customer._id, matchedBy: identifierMessage(matchedBy) };
    }),

    getIdentityGraph: unary<GetIdentityGraphRequest, GetIdentityGraphResponse>(
      method("GetIdentityGraph"),
      logger,
      async (request) => {
        const { store } = serving();
        const root = await subjectCustomer(store, request.subject, deps.identifierRules);
        const aliases = await store.aliasesOf(root._id);
        const held = identifiersOf(nodeOf(root));
        const [links, eventCounts] = await Promise.all([
          store.identifierDocuments(held.map(identifierKey)),
          store.eventCountsBySource([root._id, ...aliases.map((alias) => alias._id)]),
        ]);
        const linkOf = new Map(links.map((link) => [link._id, link.linkedBy]));
        return {
          graph: {
            customerId: root._id,
            aliases: aliases.map((alias) => alias._id).sort(compareText),
            identifiers: held.map((identifier) => {
              const linkedBy = linkOf.get(identifierKey(identifier));
              return {
                identifier: identifierMessage(identifier),
                eventId: linkedBy?.eventId ?? "",
                linkedAt: linkedBy?.time ?? "",
              };
            }),
            merges: mergeHistory(aliases),
            goldenRecord: goldenTraits(goldenRecordOfDocument(root.goldenRecord)),
            eventsBySource: [...eventCounts]
              .sort(([a], [b]) => compareText(a, b))
              .map(([source, events]) => ({ source, events })),
            firstSeenAt: root.firstSeen.time,
          },
        };
      },
    ),

    splitCustomer: unary<SplitCustomerRequest, SplitCustomerResponse>(
      method("SplitCustomer"),
      logger,
      async (request, call) => {
        if (request.customerId === "") throw grpcErrors.invalidArgument("name the customer_id to split");
        const reason = request.reason.trim();
        if (reason === "") throw grpcErrors.invalidArgument("give the reason for the split, for the record");
        await refuseUnlessWriting();
        const split = await checkSplit(serving().writer, {
          customerId: request.customerId,
          identifiers: normalised(request.identifiers, deps.identifierRules),
          time: deps.clock().toISOString(),
          reason,
        });
        const outcome = await logDecision(split, {
          waitUntilApplied: request.waitUntilApplied,
          deadline: call.getDeadline(),
        });
        logger.info(
          { customerId: split.customerId, newCustomerId: split.newCustomerId, splitId: split.eventId },
          "customer split logged",
        );
        return {
          customerId: split.customerId,
          newCustomerId: split.newCustomerId,
          splitId: split.eventId,
          applied: outcome !== undefined,
        };
      },
    ),

    getIdentityStats: unary<GetIdentityStatsRequest, GetIdentityStatsResponse>(
      method("GetIdentityStats"),
      logger,
      async () => ({ stats: await serving().store.stats() }),
    ),

    listSourceRecords: unary<ListSourceRecordsRequest, ListSourceRecordsResponse>(
      method("ListSourceRecords"),
      logger,
      async (request) => {
        const pageSize = pageSizeOf(request.pageSize);
        // One more than the page tells whether another page follows without an empty last page.
        const { store } = serving();
        const found = await store.sourceRecordsAfter(afterIdOf(request.pageToken), pageSize + 1);
        const page = found.slice(0, pageSize);
        const roots = await currentRoots(
          store,
          page.map((record) => record.customerId),
        );
        const last = page.at(-1);
        return {
          sourceRecords: page.map((record) => ({
            sourceRecordId: record._id,
            source: record.source,
            customerId: roots.get(record.customerId) ?? record.customerId,
          })),
          nextPageToken: found.length > pageSize && last !== undefined ? pageTokenOf(last._id) : "",
        };
      },
    ),

    listMatchProposals: unary<ListMatchProposalsRequest, ListMatchProposalsResponse>(
      method("ListMatchProposals"),
      logger,
      async (request) => {
        const pageSize = request.pageSize === 0 ? defaultProposalPageSize : request.pageSize;
        if (pageSize < 0 || pageSize > maxProposalPageSize)
          throw grpcErrors.invalidArgument(`page_size must be between 1 and ${maxProposalPageSize}`);
        const open = await serving().matches.openProposals(request.minScore);
        const start =
          request.pageToken === ""
            ? 0
            : open.findIndex(({ _id }) => _id === afterIdOf(request.pageToken)) + 1;
        if (start === 0 && request.pageToken !== "")
          throw grpcErrors.invalidArgument(
            "page_token names no open proposal: list again from the first page",
          );
        const page = open.slice(start, start + pageSize);
        const last = page.at(-1);
        return {
          proposals: page.map((proposal) => ({
            proposalId: proposal._id,
            leftCustomerId: proposal.customers[0],
            rightCustomerId: proposal.customers[1],
            score: proposal.score,
            matchWeight: proposal.evidence.reduce((sum, field) => sum + field.weight, 0),
            evidence: proposal.evidence.map(({ field, level, weight }) => ({
              field,
              level,
              leftValue: "",
              rightValue: "",
              weight,
            })),
            proposedAt: proposal.time,
          })),
          nextPageToken: start + pageSize < open.length && last !== undefined ? pageTokenOf(last._id) : "",
        };
      },
    ),

    decideMatch: unary<DecideMatchRequest, DecideMatchResponse>(
      method("DecideMatch"),
      logger,
      async (request, call) => {
        const { writer, matches, store } = serving();
        const proposal = await matches.proposal(request.proposalId);
        if (proposal === null) throw grpcErrors.notFound(`no match proposal ${request.proposalId}`);
        const decision = matchDecisionOf(request.decision);
        const decisionId = `decision:${proposal._id}`;
        if (proposal.status !== "open") {
          if (proposal.status !== decision)
            throw grpcErrors.failedPrecondition(
              `proposal ${request.proposalId} was ${proposal.status} already`,
            );
          // Taken already (a request whose answer was lost, asked again): answered as it was, logged once.
          const customerId =
            decision === "accepted" ? ((await store.rootCustomer(proposal.customers[0]))?._id ?? "") : "";
          return { customerId, decisionId, applied: true };
        }
        await refuseUnlessWriting();
        const decided: MatchDecided = {
          type: "MatchDecided",
          proposalId: proposal._id,
          decision,
          decidedBy: request.decidedBy.trim() || "unknown",
          note: request.note,
          eventId: decisionId,
          time: deps.clock().toISOString(),
        };
        const customerId =
          decision === "accepted" ? await checkAcceptedMatch(writer, deps.rules, proposal, decided) : "";
        const outcome = await logDecision(decided, {
          waitUntilApplied: request.waitUntilApplied,
          deadline: call.getDeadline(),
        });
        logger.info({ proposalId: proposal._id, decision }, "match decision logged");
        return { customerId: outcome?.customerId ?? customerId, decisionId, applied: outcome !== undefined };
      },
    ),
  });
}

/** The decision a request names; an unspecified one is INVALID_ARGUMENT. */
function matchDecisionOf(decision: MatchDecision): MatchDecided["decision"] {
  switch (decision) {
    case MatchDecision.MATCH_DECISION_ACCEPT:
      return "accepted";
    case MatchDecision.MATCH_DECISION_REJECT:
      return "rejected";
    default:
      throw grpcErrors.invalidArgument("decision must be MATCH_DECISION_ACCEPT or MATCH_DECISION_REJECT");
  }
}

/**
 * Checks an accepted proposal on the graph as it stands: the customer both sides will belong to. A
 * protection rule a person cannot overrule is FAILED_PRECONDITION, and the proposal stays open.
 */
function checkAcceptedMatch(
  writer: GraphWriter,
  rules: IdentityRules,
  proposal: ProposalDocument,
  decided: MatchDecided,
): Promise<CustomerId> {
  return writer.inspect({ identifiers: [], customerIds: proposal.customers }, ({ graph }) => {
    const merge = decideAcceptedMatch(proposal, graph, rules, {
      eventId: decided.eventId,
      time: decided.time,
    });
    if (merge === undefined) return resolveRoot(graph, proposal.customers[0]) ?? proposal.customers[0];
    if (merge.type === "MergeRefused")
      throw grpcErrors.failedPrecondition(
        `the identity rules keep these customers apart (${merge.rule}${merge.identifierType ? `: ${merge.identifierType}` : ""}); split or correct the records instead`,
      );
    return merge.survivor;
  });
}

/** Decides the split on the graph as it stands; a refusal is a status. */
function checkSplit(writer: GraphWriter, request: SplitRequest): Promise<CustomerSplit> {
  return writer.inspect(
    { identifiers: request.identifiers, customerIds: [request.customerId] },
    ({ graph }) => {
      const decision = decideSplit(request, graph);
      if (!decision.ok) throw decisionRefusal(decision.reason, decision.message);
      return decision.event;
    },
  );
}

/** The one place a refused decision (when it is checked, or when the writer applies it) becomes a status. */
function decisionRefusal(reason: DecisionRefusalReason, message: string): GrpcError {
  switch (reason) {
    case "unknown_customer":
    case "unknown_proposal":
      return grpcErrors.notFound(message);
    case "nothing_to_move":
      return grpcErrors.invalidArgument(message);
    case "identifier_not_owned":
    case "nothing_would_remain":
    case "customer_merged":
    case "decided_already":
    case "customer_number_conflict":
    case "identifier_limit":
    case "split_apart":
      return grpcErrors.failedPrecondition(message);
    default: {
      const unhandled: never = reason;
      return unhandled;
    }
  }
}

/** How long a request may wait for its decision to be applied: until shortly before its deadline. */
function applyWaitMs(deadline: Date | number): number {
  const until = deadline instanceof Date ? deadline.getTime() : deadline;
  if (!Number.isFinite(until)) return maxApplyWaitMs;
  return Math.max(0, Math.min(maxApplyWaitMs, until - Date.now() - answerMarginMs));
}

async function subjectCustomer(
  store: IdentityStore,
  subject: GetIdentityGraphRequest["subject"],
  identifierRules: IdentifierRules,
): Promise<CustomerDocument> {
  switch (subject?.$case) {
    case "customerId": {
      if (subject.value === "") throw grpcErrors.invalidArgument("customer_id is empty");
      const customer = await store.rootCustomer(subject.value);
      if (customer === null) throw grpcErrors.notFound(`no customer ${subject.value}`);
      return customer;
    }
    case "identifier": {
      const identifier = normalisedOne(subject.value, identifierRules);
      const customer = await store.customerOfIdentifier(identifier);
      if (customer === null) throw grpcErrors.notFound(`no customer holds ${identifierKey(identifier)}`);
      return customer;
    }
    case undefined:
      throw grpcErrors.invalidArgument("name a customer_id or an identifier");
    default: {
      const unhandled: never = subject;
      return unhandled;
    }
  }
}

/** The identifiers of a request in the form the graph stores them; a bad one is INVALID_ARGUMENT. */
function normalised(messages: readonly ProtoIdentifier[], identifierRules: IdentifierRules): Identifier[] {
  const result = normaliseIdentifiers(messages.map(identifierOfMessage), identifierRules);
  if (!result.ok) throw grpcErrors.invalidArgument(result.detail);
  return result.identifiers;
}

function normalisedOne(message: ProtoIdentifier | undefined, identifierRules: IdentifierRules): Identifier {
  if (message === undefined) throw grpcErrors.invalidArgument("the identifier is empty");
  const result = normaliseIdentifier(identifierOfMessage(message), identifierRules);
  if (!result.ok) throw grpcErrors.invalidArgument(result.detail);
  return result.identifier;
}

/** IDENTIFIER_TYPE_CUSTOMER_NUMBER ↔ customer_number: the proto enum names are ours, prefixed. */
const enumPrefix = "IDENTIFIER_TYPE_";

function identifierOfMessage(message: ProtoIdentifier): Identifier {
  const name = identifierTypeToJSON(message.type);
  const type = identifierTypes.find((candidate) => `${enumPrefix}${candidate.toUpperCase()}` === name);
  if (type === undefined) {
    throw grpcErrors.invalidArgument(
      `identifier ${JSON.stringify(message.value)} has no known type; give one of ${identifierTypes.join(", ")}`,
    );
  }
  return { type, value: message.value };
}

function identifierMessage(identifier: Identifier): ProtoIdentifier {
  return {
    type: identifierTypeFromJSON(`${enumPrefix}${identifier.type.toUpperCase()}`),
    value: identifier.value,
  };
}

/** One record per merge that made an alias: aliases merged by one event share a record. */
function mergeHistory(aliases: readonly CustomerDocument[]): MergeRecord[] {
  const records = new Map<string, MergeRecord>();
  for (const alias of aliases) {
    const { merge } = alias;
    if (merge === undefined) continue;
    const known = records.get(`${merge.eventId}\u0000${merge.survivor}`);
    if (known !== undefined) {
      known.merged.push(alias._id);
      continue;
    }
    records.set(`${merge.eventId}\u0000${merge.survivor}`, {
      survivor: merge.survivor,
      merged: [alias._id],
      rule: merge.rule,
      evidence: evidenceMessages(merge.evidence),
      eventId: merge.eventId,
      mergedAt: merge.time,
    });
  }
  return [...records.values()]
    .map((record) => ({ ...record, merged: record.merged.sort(compareText) }))
    .sort((a, b) => compareEventTimes(a.mergedAt, b.mergedAt) || compareText(a.eventId, b.eventId));
}

function evidenceMessages(evidence: MergeEvidence): MatchEvidence[] {
  switch (evidence.kind) {
    case "shared_identifiers":
      return evidence.identifiers.map((identifier) => ({
        field: identifier.type,
        level: "exact",
        leftValue: identifier.value,
        rightValue: "",
        weight: 0,
      }));
    case "match":
      return evidence.fields.map((field) => ({ ...field, leftValue: "", rightValue: "" }));
    default: {
      const unhandled: never = evidence;
      return unhandled;
    }
  }
}

/** The golden record as named traits, each with its lineage; preferences as preference.<key>. */
function goldenTraits(record: GoldenRecord): GoldenTrait[] {
  const traits: GoldenTrait[] = [];
  const add = (name: string, value: string, lineage: { source: string; eventId: string; time: string }) =>
    traits.push({ name, value, source: lineage.source, eventId: lineage.eventId, observedAt: lineage.time });
  for (const name of ["firstName", "lastName", "email", "phone", "birthDate"] as const) {
    const trait = record[name];
    if (trait !== undefined) add(name, trait.value, trait.lineage);
  }
  if (record.postalAddress !== undefined) {
    add("postalAddress", addressLine(record.postalAddress.value), record.postalAddress.lineage);
  }
  for (const key of Object.keys(record.preferences).sort(compareText)) {
    const trait = record.preferences[key];
    if (trait !== undefined) add(`preference.${key}`, trait.value, trait.lineage);
  }
  return traits;
}

/** An address as one line, in the order it is written on an envelope in most countries. */
function addressLine(address: PostalAddress): string {
  return [address.line1, address.line2, address.city, address.region, address.postalCode, address.countryCode]
    .map((part) => part?.trim() ?? "")
    .filter((part) => part !== "")
    .join(", ");
}

function pageSizeOf(requested: number): number {
  if (requested < 0) throw grpcErrors.invalidArgument(`page_size ${requested} is negative`);
  return requested === 0 ? defaultPageSize : Math.min(requested, maxPageSize);
}

/** The token is the last source record id of the page, base64url-encoded: opaque to callers. */
function pageTokenOf(lastId: string): string {
  return Buffer.from(lastId, "utf8").toString("base64url");
}

function afterIdOf(token: string): string {
  if (token === "") return "";
  const lastId = Buffer.from(token, "base64url").toString("utf8");
  if (lastId === "" || pageTokenOf(lastId) !== token) {
    throw grpcErrors.invalidArgument("page_token is not one this service gave; start again without it");
  }
  return lastId;
}

/** The customer each stored id stands for today: source records keep the id they first resolved to. */
async function currentRoots(
  store: IdentityStore,
  customerIds: readonly CustomerId[],
): Promise<Map<CustomerId, CustomerId>> {
  const distinct = [...new Set(customerIds)];
  const roots = new Map<CustomerId, CustomerId>();
  for (let start = 0; start < distinct.length; start += rootLookupsInFlight) {
    const batch = distinct.slice(start, start + rootLookupsInFlight);
    const found = await Promise.all(batch.map((id) => store.rootCustomer(id)));
    batch.forEach((id, index) => {
      const root = found[index];
      if (root) roots.set(id, root._id);
    });
  }
  return roots;
}
