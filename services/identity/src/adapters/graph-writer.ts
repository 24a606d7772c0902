import type { CustomerEvent, Identifier } from "@rapport/events";
import type { GoldenRecord, SurvivorshipRules, TraitObservation } from "../domain/golden-record.js";
import { statesPersonTraits, traitObservationOf } from "../domain/golden-record-observation.js";
import { type AppliedDecision, applyDecision, type GraphPart, goldenRecordIn } from "../domain/graph-part.js";
import type { IdentityRules } from "../domain/identifier-rules.js";
import {
  type CustomerSplit,
  type CustomersMerged,
  customersNamedBy,
  type IdentityEvent,
  identifiersNamedBy,
  type MatchProposed,
} from "../domain/identity-events.js";
import { type CustomerNode, resolveRoot } from "../domain/identity-graph.js";
import { sourceRecordIdOf } from "../domain/identity-stats.js";
import { type CustomerId, type IdentifierKey, identifierKey } from "../domain/identity-types.js";
import { pairKey } from "../domain/matching/person-record.js";
import { hasPersonTraits, personRecordOf } from "../domain/matching/person-record-of.js";
import {
  type DecisionOutcome,
  decidePersonDecision,
  mergeOf,
  type PersonDecision,
  proposalDecidedBy,
} from "../domain/person-decisions.js";
import {
  candidatesWorthDeciding,
  decideProbabilisticMatches,
  type MatchCandidate,
  proposalIdOf,
} from "../domain/probabilistic-match.js";
import {
  decideResolution,
  type Resolution,
  type ResolutionRequest,
  type UnresolvableEvent,
} from "../domain/resolution.js";
import {
  type CustomerDocument,
  customerDocumentOf,
  goldenRecordOfDocument,
  type IdentifierDocument,
  nodeOf,
  type ResolutionDocument,
} from "./customer-documents.js";
import type { GraphCache } from "./graph-cache.js";
import type { GraphWrites, IdentityStore } from "./identity-store.js";
import { type MatchStore, proposalStateOf } from "./match-store.js";
import type { ProbabilisticMatcher } from "./probabilistic-matcher.js";

/**
 * A decision the log holds for an event (crm.events.resolved and crm.identity), as a rebuild applies it
 * again: the same customer, the same identity events, the same matches, never decided afresh.
 */
export type LoggedResolution = {
  customerId: CustomerId;
  identityEvents: IdentityEvent[];
  matchEvents: IdentityEvent[];
};

export type GraphWriterDependencies = {
  store: IdentityStore;
  matches: MatchStore;
  matcher: ProbabilisticMatcher;
  rules: IdentityRules;
  survivorship: SurvivorshipRules;
  cache: GraphCache;
};

/** The part of the graph a check names: the owners of these identifiers and these customers. */
export type GraphSubject = { identifiers: readonly Identifier[]; customerIds: readonly CustomerId[] };

/**
 * The one writer of identity's graph: resolves a part of crm.events at a time, exactly once in
 * effect, and applies the changes people ask for, one unit of work at a time. A unit of work reads
 * what it names (from the cache, the rest by `_id` lists), decides everything in memory with the
 * pure domain functions (each event on the graph as the events before it left it), and writes the
 * outcome in a few bulk commands. For a part of crm.events the decisions are recorded under the
 * event ids before the graph changes: an event handled again (a crash, an aborted transaction before
 * its offsets were committed) is answered with the decision recorded for it, never decided afresh on
 * a graph it already changed. Only one instance writes at a time (writer-lease.ts), so what it keeps
 * in its cache is what the store holds.
 */
export function createGraphWriter(deps: GraphWriterDependencies) {
  const { store, cache, rules, survivorship } = deps;
  /**
   * Units of work are decided one after the other, each on what the ones before it decided, and
   * written one after the other: the next unit is decided while the one before it is written. What
   * a decided unit will write is kept here until it is written, and read before the cache and the
   * store. A unit that fails starts a new epoch: the units decided on it fail too, and are decided
   * again (the cache, which only ever holds what the store holds, is emptied).
   */
  let deciding: Promise<unknown> = Promise.resolve();
  let writing: Promise<unknown> = Promise.resolve();
  let epoch = 0;
  const pending: PendingWrites[] = [];
  /** Where each partition's next part starts, after a part of it this writer wrote. */
  const continuesAt = new Map<string, string>();

  function unitOfWork<Result>(decide: () => Promise<DecidedUnit<Result>>): Promise<Result> {
    const decidedIn = epoch;
    const decided = deciding.then(async () => {
      if (decidedIn !== epoch) throw staleUnit();
      const unit = await decide();
      // A unit before it failed to write while it was being decided: it may have read that unit's writes.
      if (decidedIn !== epoch) throw staleUnit();
      pending.push(unit.writes);
      return unit;
    });
    deciding = decided.catch(() => undefined);
    const written = Promise.all([decided, writing]).then(async ([unit]) => {
      try {
        if (decidedIn !== epoch) throw staleUnit();
        await unit.write();
        keepInCache(unit.writes);
        return unit.result;
      } catch (error) {
        if (decidedIn === epoch) {
          // The units decided after this one read its writes: they fail, and are decided again.
          epoch += 1;
          pending.length = 0;
          continuesAt.clear();
          // Some of it may be written: what the store holds is read again.
          cache.clear();
        }
        throw error;
      } finally {
        forgetPending(unit.writes);
      }
    });
    writing = written.catch(() => undefined);
    return written;
  }

  function forgetPending(writes: PendingWrites): void {
    const index = pending.indexOf(writes);
    if (index >= 0) pending.splice(index, 1);
  }

  function keepInCache(writes: PendingWrites): void {
    for (const [id, document] of writes.customers) cache.customers.set(id, document);
    for (const [key, owner] of writes.owners) cache.owners.set(key, owner);
    for (const id of writes.sourceRecords) cache.sourceRecords.set(id, true);
  }

  /** What decided units will write, newest first: read before the cache. */
  function pendingCustomer(id: CustomerId): CustomerDocument | undefined {
    for (let index = pending.length - 1; index >= 0; index -= 1) {
      const document = pending[index]?.customers.get(id);
      if (document !== undefined) return document;
    }
    return undefined;
  }

  function pendingOwner(key: IdentifierKey): CustomerId | undefined {
    for (let index = pending.length - 1; index >= 0; index -= 1) {
      const owner = pending[index]?.owners.get(key);
      if (owner !== undefined) return owner;
    }
    return undefined;
  }

  function isSourceRecordKnown(id: string): boolean {
    return cache.sourceRecords.has(id) || pending.some((writes) => writes.sourceRecords.has(id));
  }

  async function load(identifiers: Iterable<IdentifierKey>, customerIds: Iterable<CustomerId>) {
    const loaded = emptyLoad();
    await loadInto(loaded, identifiers, customerIds);
    return loaded;
  }

  /**
   * Adds to the unit of work the owners of `keys`, the customers `customerIds` and everything a
   * decision reads next to them: the owners' customers, alias chains to the survivors, and the
   * customers those are kept apart from. What the unit of work holds already is left as it is.
   */
  async function loadInto(loaded: Loaded, keys: Iterable<IdentifierKey>, customerIds: Iterable<CustomerId>) {
    const unreadKeys: IdentifierKey[] = [];
    const owners: CustomerId[] = [];
    for (const key of new Set(keys)) {
      if (loaded.owners.has(key)) continue;
      const cached = pendingOwner(key) ?? cache.owners.get(key);
      if (cached === undefined) unreadKeys.push(key);
      else setOwner(loaded, key, cached, owners);
    }
    if (unreadKeys.length > 0) {
      const found = new Map((await store.identifiersByKeys(unreadKeys)).map((doc) => [doc._id, doc]));
      for (const key of unreadKeys) {
        const owner = found.get(key)?.customerId ?? null;
        cache.owners.set(key, owner);
        setOwner(loaded, key, owner, owners);
      }
    }
    let frontier = [...new Set([...customerIds, ...owners])];
    while (frontier.length > 0) {
      const unread: CustomerId[] = [];
      const arrived: CustomerDocument[] = [];
      for (const id of frontier) {
        if (loaded.part.graph.customers.has(id) || loaded.absent.has(id)) continue;
        const cached = pendingCustomer(id) ?? cache.customers.get(id);
        if (cached === undefined) unread.push(id);
        else arrived.push(cached);
      }
      if (unread.length > 0) {
        const found = await store.customersByIds(unread);
        for (const document of found) cache.customers.set(document._id, document);
        arrived.push(...found);
        const foundIds = new Set(found.map((document) => document._id));
        for (const id of unread) if (!foundIds.has(id)) loaded.absent.add(id);
      }
      const next: CustomerId[] = [];
      for (const document of arrived) {
        if (loaded.part.graph.customers.has(document._id)) continue;
        const node = nodeOf(document);
        const golden = goldenRecordOfDocument(document.goldenRecord);
        loaded.documents.set(document._id, document);
        loaded.nodes.set(document._id, node);
        loaded.goldenRecords.set(document._id, golden);
        loaded.part.graph.customers.set(document._id, node);
        loaded.part.goldenRecords.set(document._id, golden);
        if (document.mergedInto !== undefined) next.push(document.mergedInto);
        next.push(...(document.keptApartFrom ?? []));
      }
      frontier = next;
    }
  }

  /** Applies a decision to the unit of work, noting what its documents will say of why. */
  function apply(loaded: Loaded, decision: AppliedDecision, observation: TraitObservation | undefined): void {
    const merges = decision.identityEvents.filter(
      (event): event is CustomersMerged => event.type === "CustomersMerged",
    );
    const mergedWithRoots = merges.map((merge) => ({
      merge,
      ids: merge.merged.flatMap((id) => [id, resolveRoot(loaded.part.graph, id)]),
    }));
    applyDecision(loaded.part, decision, observation, survivorship);
    for (const { merge, ids } of mergedWithRoots) {
      for (const id of ids) {
        if (id === undefined || loaded.reasons.merges.has(id)) continue;
        if (loaded.part.graph.customers.get(id)?.mergedInto !== undefined)
          loaded.reasons.merges.set(id, merge);
      }
    }
    for (const event of decision.identityEvents) {
      if (event.type === "CustomerSplit" && !loaded.reasons.splits.has(event.newCustomerId))
        loaded.reasons.splits.set(event.newCustomerId, event);
      if (event.type === "IdentifierLinked") {
        const key = identifierKey(event.identifier);
        if (!loaded.reasons.linkedBy.has(key))
          loaded.reasons.linkedBy.set(key, { eventId: event.eventId, time: event.time });
      }
      if (event.type === "MatchProposed") loaded.proposals.push(event);
    }
  }

  /** The writes of a decided unit: what it changed, and what the cache will hold once it is written. */
  function unitWrites(loaded: Loaded): { graph: GraphWrites; pending: PendingWrites } {
    const graph = writesOf(loaded);
    const customers = new Map<CustomerId, CustomerDocument>();
    for (const document of [...graph.foundedCustomers, ...graph.changedCustomers])
      customers.set(document._id, document);
    const owners = new Map<IdentifierKey, CustomerId>();
    for (const document of [...graph.claimedIdentifiers, ...graph.movedIdentifiers])
      owners.set(document._id, document.customerId);
    return { graph, pending: { customers, owners, sourceRecords: new Set() } };
  }

  async function writeGraph(graph: GraphWrites, proposals: readonly MatchProposed[]): Promise<void> {
    await store.writeGraph(graph);
    for (const proposal of proposals) await deps.matches.addProposal(proposal);
  }

  /**
   * Records the decisions on proposals among a person's decisions' events, each with the merge it
   * made: before the graph changes, so that a decision met again finds itself taken (and the merge it
   * made) rather than deciding afresh on a graph it already changed.
   */
  async function recordMatchDecisions(events: readonly IdentityEvent[]): Promise<void> {
    for (const event of events) {
      if (event.type !== "MatchDecided") continue;
      const merged = mergeOf(event, events);
      await deps.matches.recordDecision(event.proposalId, event.decision, {
        decidedBy: event.decidedBy,
        note: event.note,
        at: event.time,
        ...(merged === undefined ? {} : { merged }),
      });
    }
  }

  /**
   * Scores the customer an event resolved to against the customers sharing a blocking key with it
   * and applies what that decides: merges (probabilistic_match) and proposals for review. None
   * without a model or without person traits.
   */
  async function matchesOf(
    loaded: Loaded,
    customerId: CustomerId,
    fact: { eventId: string; time: string },
  ): Promise<IdentityEvent[]> {
    const model = deps.matcher.model();
    if (model === undefined) return [];
    const subjectId = resolveRoot(loaded.part.graph, customerId) ?? customerId;
    const subjectNode = loaded.part.graph.customers.get(subjectId);
    if (subjectNode === undefined) return [];
    const record = personRecordOf(subjectId, goldenRecordIn(loaded.part, subjectId));
    if (!hasPersonTraits(record)) return [];
    const candidateIds = deps.matcher.fileAndFindCandidates(subjectId, record);
    await loadInto(loaded, [], candidateIds);
    const candidates = new Map<CustomerId, MatchCandidate>();
    for (const id of candidateIds) {
      const root = resolveRoot(loaded.part.graph, id);
      const node = root === undefined ? undefined : loaded.part.graph.customers.get(root);
      if (node === undefined || node.id === subjectId || candidates.has(node.id)) continue;
      candidates.set(node.id, {
        node,
        record: personRecordOf(node.id, goldenRecordIn(loaded.part, node.id)),
      });
    }
    const subject = { node: subjectNode, record };
    const worth = candidatesWorthDeciding(subject, [...candidates.values()], model, deps.matcher.thresholds);
    if (worth.length === 0) return [];
    const proposalIds = worth.map((candidate) => proposalIdOf(subjectId, candidate.node.id));
    const stored = await deps.matches.proposalsByIds(proposalIds);
    const rejected = new Set<string>();
    const proposed = new Set<string>(loaded.proposals.map((proposal) => proposal.proposalId));
    for (const proposal of stored) {
      if (proposal.status === "rejected") rejected.add(pairKey(proposal.customers[0], proposal.customers[1]));
      else proposed.add(proposal._id);
    }
    const events = decideProbabilisticMatches(subject, worth, loaded.part.graph, {
      model,
      thresholds: deps.matcher.thresholds,
      rejected,
      proposed,
      rules,
      ...fact,
    });
    apply(loaded, { customerId: subjectId, identityEvents: events }, undefined);
    return events;
  }

  /** Decides the part's events in order on the loaded graph, each applied before the next is decided. */
  async function decidePart(loaded: Loaded, items: readonly PartItem[], recorded: RecordedDecisions) {
    const outcomes: (Resolution | UnresolvableEvent)[] = [];
    const documents: ResolutionDocument[] = [];
    for (const item of items) {
      const known = recorded.get(item.event.id);
      const decision = known ?? decideResolution(item.request, loaded.part.graph, rules);
      if (decision.kind === "unresolvable") {
        outcomes.push(decision);
        continue;
      }
      apply(loaded, decision, item.observation);
      const fact = { eventId: item.event.id, time: item.event.time };
      let matchEvents: IdentityEvent[] = [];
      if (known?.matchEvents !== undefined) {
        matchEvents = known.matchEvents;
        apply(loaded, { customerId: decision.customerId, identityEvents: matchEvents }, undefined);
      } else if (item.statesPersonTraits) {
        matchEvents = await matchesOf(loaded, decision.customerId, fact);
      }
      outcomes.push({
        kind: "resolved",
        customerId: decision.customerId,
        identityEvents: [...decision.identityEvents, ...matchEvents],
      });
      documents.push({
        _id: item.event.id,
        customerId: decision.customerId,
        source: item.event.source,
        time: item.event.time,
        identityEvents: decision.identityEvents,
        ...(item.statesPersonTraits || matchEvents.length > 0 ? { matchEvents } : {}),
      });
    }
    return { outcomes, documents };
  }

  /** The source records the part's events are the first of (a record keeps its first customer). */
  function newSourceRecords(
    items: readonly PartItem[],
    outcomes: readonly (Resolution | UnresolvableEvent)[],
  ) {
    const records = new Map<string, { _id: string; customerId: CustomerId; source: string }>();
    items.forEach((item, index) => {
      const outcome = outcomes[index];
      if (item.sourceRecordId === undefined || outcome?.kind !== "resolved") return;
      if (records.has(item.sourceRecordId) || isSourceRecordKnown(item.sourceRecordId)) return;
      records.set(item.sourceRecordId, {
        _id: item.sourceRecordId,
        customerId: outcome.customerId,
        source: item.event.source,
      });
    });
    return [...records.values()];
  }

  return {
    /**
     * Resolves a part of crm.events: each event's customer and the identity events its resolution
     * caused, in the part's order. `place` says where in crm.events the part is: a part that starts
     * where this writer's last part of the partition ended was never decided before; any other may
     * have been (a crash, a rebalance, a failed commit), and its events' recorded decisions are read
     * first and stand. Given the decisions the log holds for the events (`replay identity`), applies
     * those instead of deciding.
     */
    resolveEvents(
      events: readonly CustomerEvent[],
      options: { place?: PartPlace; logged?: readonly LoggedResolution[] } = {},
    ): Promise<(Resolution | UnresolvableEvent)[]> {
      const { place, logged } = options;
      return unitOfWork(async () => {
        const items = events.map((event) => partItemOf(event, rules));
        const recorded: RecordedDecisions = new Map(
          (logged ?? []).map((decision, index) => {
            const item = items[index] as PartItem;
            return [item.event.id, { kind: "resolved", ...decision }];
          }),
        );
        const continues = place !== undefined && continuesAt.get(placeKey(place)) === place.firstOffset;
        if (logged === undefined && !continues) {
          for (const document of await store.resolutionsByIds(items.map((item) => item.event.id)))
            recorded.set(document._id, recordedDecisionOf(document));
        }
        const loaded = await loadForPart(items, recorded);
        const { outcomes, documents } = await decidePart(loaded, items, recorded);
        const writes = unitWrites(loaded);
        const sources = newSourceRecords(items, outcomes);
        for (const { _id } of sources) writes.pending.sourceRecords.add(_id);
        // Logged decisions are recorded too (a replay may apply a part again); a decision recorded
        // before stays as it is.
        const toRecord = logged === undefined ? documents.filter(({ _id }) => !recorded.has(_id)) : documents;
        return {
          writes: writes.pending,
          result: outcomes,
          write: async () => {
            // Recorded first, then written: a crash in between leaves decisions the part stands by
            // when it comes again.
            const present = await store.insertResolutions(toRecord);
            if (logged === undefined && present.size > 0)
              throw new Error(
                `events ${[...present].slice(0, 3).join(", ")} were decided by another writer meanwhile; the part is decided again`,
              );
            await writeGraph(writes.graph, loaded.proposals);
            if (sources.length > 0) await store.insertSourceRecords(sources);
            if (place !== undefined) continuesAt.set(placeKey(place), place.nextOffset);
          },
        };
      });
    },

    /**
     * Reads the part of the graph `subject` names as the writer has it (after every unit of work
     * decided before) and answers what `read` makes of it; changes nothing. A person's request is
     * checked this way before it is logged.
     */
    inspect<Result>(subject: GraphSubject, read: (part: GraphPart) => Result): Promise<Result> {
      return unitOfWork(async () => {
        const loaded = await load(subject.identifiers.map(identifierKey), subject.customerIds);
        const nothing: PendingWrites = { customers: new Map(), owners: new Map(), sourceRecords: new Set() };
        return { writes: nothing, result: read(loaded.part), write: async () => undefined };
      });
    },

    /**
     * Applies a part of the decision log, people's splits and match decisions, in the log's order,
     * each decided (decidePersonDecision) on the graph the ones before it left: applied, its decision
     * on a proposal recorded first, then the graph written, as a rebuild applies the logged outcome
     * (`applyLogged`); or refused, changing nothing. One outcome per decision, to publish.
     */
    decidePersonDecisions(decisions: readonly PersonDecision[]): Promise<DecisionOutcome[]> {
      return unitOfWork(async () => {
        const proposalIds = decisions.flatMap((decision) =>
          decision.type === "MatchDecided" ? [decision.proposalId] : [],
        );
        const proposals = new Map(
          (await deps.matches.proposalsByIds(proposalIds)).map((document) => [
            document._id,
            proposalStateOf(document),
          ]),
        );
        const loaded = await load(decisions.flatMap(identifiersNamedBy).map(identifierKey), [
          ...decisions.flatMap(customersNamedBy),
          ...[...proposals.values()].flatMap((proposal) => proposal.customers),
        ]);
        const outcomes = decisions.map((decision) => {
          const proposal = decision.type === "MatchDecided" ? proposals.get(decision.proposalId) : undefined;
          const outcome = decidePersonDecision(decision, loaded.part.graph, { proposal, rules });
          if (outcome.kind === "refused") return outcome;
          apply(loaded, outcome, undefined);
          if (proposal !== undefined && decision.type === "MatchDecided")
            proposals.set(decision.proposalId, proposalDecidedBy(proposal, outcome.identityEvents));
          return outcome;
        });
        const applied = outcomes.flatMap((outcome) =>
          outcome.kind === "applied" ? outcome.identityEvents : [],
        );
        const writes = unitWrites(loaded);
        return {
          writes: writes.pending,
          result: outcomes,
          write: async () => {
            await recordMatchDecisions(applied);
            await writeGraph(writes.graph, loaded.proposals);
          },
        };
      });
    },

    /**
     * Applies the identity events of a person's decision as the log holds them (a rebuild): its
     * decision on a proposal recorded first, then the graph written, as when the writer applied it.
     */
    applyLogged(identityEvents: readonly IdentityEvent[]): Promise<void> {
      return unitOfWork(async () => {
        const loaded = await load(
          identityEvents.flatMap(identifiersNamedBy).map(identifierKey),
          identityEvents.flatMap(customersNamedBy),
        );
        const [first] = identityEvents.flatMap(customersNamedBy);
        if (first !== undefined) apply(loaded, { customerId: first, identityEvents }, undefined);
        const writes = unitWrites(loaded);
        return {
          writes: writes.pending,
          result: undefined,
          write: async () => {
            await recordMatchDecisions(identityEvents);
            await writeGraph(writes.graph, loaded.proposals);
          },
        };
      });
    },
  };

  function loadForPart(items: readonly PartItem[], recorded: RecordedDecisions): Promise<Loaded> {
    const keys = items.flatMap((item) => item.request.identifiers.map(identifierKey));
    const named = [...recorded.values()].flatMap((decision) => [
      decision.customerId,
      ...decision.identityEvents.flatMap(customersNamedBy),
      ...(decision.matchEvents ?? []).flatMap(customersNamedBy),
    ]);
    return load(keys, named);
  }
}

export type GraphWriter = ReturnType<typeof createGraphWriter>;

/** Where a part of crm.events is: its partition, its first offset and the offset after it. */
export type PartPlace = { topic: string; partition: number; firstOffset: string; nextOffset: string };

function placeKey(place: PartPlace): string {
  return `${place.topic}/${place.partition}`;
}

/** What a decided unit of work will write: the documents as they will be, read before the cache. */
type PendingWrites = {
  customers: Map<CustomerId, CustomerDocument>;
  owners: Map<IdentifierKey, CustomerId>;
  sourceRecords: Set<string>;
};

type DecidedUnit<Result> = { writes: PendingWrites; result: Result; write: () => Promise<void> };

function staleUnit(): Error {
  return new Error("decided on a graph an earlier unit of work failed to write; decided again");
}

/** A decision recorded for an event: its customer, its identity events, and its matches if matching ran. */
type RecordedDecision = Resolution & { matchEvents?: IdentityEvent[] };
type RecordedDecisions = Map<string, RecordedDecision>;

function recordedDecisionOf(document: ResolutionDocument): RecordedDecision {
  return {
    kind: "resolved",
    customerId: document.customerId,
    identityEvents: document.identityEvents,
    ...(document.matchEvents === undefined ? {} : { matchEvents: document.matchEvents }),
  };
}

/** What resolving one crm.events event needs of it. */
type PartItem = {
  event: CustomerEvent;
  request: ResolutionRequest;
  observation: TraitObservation;
  statesPersonTraits: boolean;
  sourceRecordId: string | undefined;
};

function partItemOf(event: CustomerEvent, rules: IdentityRules): PartItem {
  const request: ResolutionRequest = {
    eventId: event.id,
    time: event.time,
    source: event.source,
    identifiers: event.data.customer.identifiers,
  };
  const observation = traitObservationOf(event);
  return {
    event,
    request,
    observation,
    statesPersonTraits: statesPersonTraits(observation),
    sourceRecordId: sourceRecordIdOf(request, rules),
  };
}

/**
 * A unit of work: the working copy of the graph it decides on, what that copy was loaded from (to
 * tell what changed), and why the customers it merges or founds by a split were merged or founded.
 */
type Loaded = {
  part: GraphPart;
  documents: Map<CustomerId, CustomerDocument>;
  nodes: Map<CustomerId, CustomerNode>;
  goldenRecords: Map<CustomerId, GoldenRecord>;
  /** Each identifier looked up: its owner when loaded, or null when nobody held it. */
  owners: Map<IdentifierKey, CustomerId | null>;
  /** Ids named that no customer document has. */
  absent: Set<CustomerId>;
  reasons: {
    merges: Map<CustomerId, CustomersMerged>;
    splits: Map<CustomerId, CustomerSplit>;
    linkedBy: Map<IdentifierKey, { eventId: string; time: string }>;
  };
  proposals: MatchProposed[];
};

function emptyLoad(): Loaded {
  return {
    part: { graph: { customers: new Map(), owners: new Map() }, goldenRecords: new Map() },
    documents: new Map(),
    nodes: new Map(),
    goldenRecords: new Map(),
    owners: new Map(),
    absent: new Set(),
    reasons: { merges: new Map(), splits: new Map(), linkedBy: new Map() },
    proposals: [],
  };
}

function setOwner(loaded: Loaded, key: IdentifierKey, owner: CustomerId | null, owners: CustomerId[]): void {
  loaded.owners.set(key, owner);
  if (owner === null) return;
  loaded.part.graph.owners.set(key, owner);
  owners.push(owner);
}

/**
 * The documents the unit of work changed: customers founded (inserted) and changed (survivors
 * first), identifiers claimed (nobody held them when looked up) and moved (a merge or a split moved
 * them, whether or not they were looked up).
 */
function writesOf(loaded: Loaded): GraphWrites {
  const foundedCustomers: CustomerDocument[] = [];
  const changedCustomers: CustomerDocument[] = [];
  for (const [id, node] of loaded.part.graph.customers) {
    const golden = goldenRecordIn(loaded.part, id);
    const stored = loaded.documents.get(id);
    if (stored === undefined) {
      foundedCustomers.push(
        customerDocumentOf(node, golden, {
          merge: loaded.reasons.merges.get(id),
          split: loaded.reasons.splits.get(id),
        }),
      );
    } else if (
      node !== loaded.nodes.get(id) ||
      loaded.part.goldenRecords.get(id) !== loaded.goldenRecords.get(id)
    ) {
      changedCustomers.push(
        customerDocumentOf(node, golden, {
          merge: stored.merge ?? loaded.reasons.merges.get(id),
          split: stored.split,
        }),
      );
    }
  }
  changedCustomers.sort((a, b) => Number(a.mergedInto !== undefined) - Number(b.mergedInto !== undefined));
  const claimedIdentifiers: IdentifierDocument[] = [];
  const movedIdentifiers: IdentifierDocument[] = [];
  for (const [key, customerId] of loaded.part.graph.owners) {
    const before = loaded.owners.get(key);
    if (before === customerId) continue;
    if (before === null) {
      const linkedBy = loaded.reasons.linkedBy.get(key);
      claimedIdentifiers.push({ _id: key, customerId, ...(linkedBy === undefined ? {} : { linkedBy }) });
    } else {
      movedIdentifiers.push({ _id: key, customerId });
    }
  }
  return { foundedCustomers, changedCustomers, claimedIdentifiers, movedIdentifiers };
}
