import { status } from "@grpc/grpc-js";
import { type LatencySummary, latencySummary, percentile } from "../shared/percentiles.js";
import { coresUsed, cpuSnapshot, type WatchedProcesses } from "../shared/process-cpu.js";
import { type Log, throttled } from "../shared/progress.js";
import {
  type DecisionAnswer,
  type DecisionChannel,
  decisionAsks,
  offersPerCall,
  runDecisionLoad,
} from "./decision-load.js";

export type DecisionPhaseOptions = {
  address: string;
  /** Customers whose facts the offer service holds: the calls ask about these. */
  customerIds: readonly string[];
  clients: number;
  calls: number;
  watched: WatchedProcesses;
  log: Log;
};

/** What one channel's answers held; `offersPerAnswer[n]` counts the answers with n offers. */
export type ChannelAnswers = { calls: number; withOffers: number; offers: number; offersPerAnswer: number[] };

export type DecisionFigures = {
  latencyMs: LatencySummary & { p95: number };
  callsPerSecond: number;
  /** Offers presented (recorded on crm.offers and in the contact facts), over all calls. */
  offersPresented: number;
  byChannel: Record<DecisionChannel, ChannelAnswers>;
  /** Calls per number of offers in the answer (0 … 3). */
  offersPerAnswer: number[];
  cores: Record<string, number>;
};

const deadlineMs = 10_000;
const sequentialWarmUp = 50;
const warmUpPerClient = 5;
const loadSeed = 1;

/**
 * K clients make M GetNextBestOffers calls (limit 3, preview off: every offer made is presented, as
 * in production), after a warm-up in preview (50 calls one at a time, then 5 per client) that records
 * nothing. Every answer must be OK.
 */
export async function measureDecisions(options: DecisionPhaseOptions): Promise<DecisionFigures> {
  for (const [clients, count, seed] of [
    [1, sequentialWarmUp, 1_001],
    [options.clients, warmUpPerClient * options.clients, 1_002],
  ] as const) {
    const warmUp = await runDecisionLoad({
      address: options.address,
      clients,
      asks: decisionAsks(options.customerIds, count, seed),
      preview: true,
      deadlineMs,
    });
    expectOk(warmUp.answers, "warm-up");
  }
  const progress = throttled(options.log);
  const before = cpuSnapshot(options.watched);
  const load = await runDecisionLoad({
    address: options.address,
    clients: options.clients,
    asks: decisionAsks(options.customerIds, options.calls, loadSeed),
    preview: false,
    deadlineMs,
    onAnswer: (answered) =>
      progress(
        `  GetNextBestOffers: ${answered.toLocaleString("en")} / ${options.calls.toLocaleString("en")} answered`,
      ),
  });
  const after = cpuSnapshot(options.watched);
  expectOk(load.answers, "GetNextBestOffers load");
  const latencies = load.answers.map((answer) => answer.latencyMs);
  const channel = (name: DecisionChannel): ChannelAnswers => {
    const answers = load.answers.filter((answer) => answer.ask.channel === name);
    return {
      calls: answers.length,
      withOffers: answers.filter((answer) => answer.offers > 0).length,
      offers: answers.reduce((sum, answer) => sum + answer.offers, 0),
      offersPerAnswer: histogram(answers),
    };
  };
  return {
    latencyMs: {
      ...latencySummary(latencies),
      p95: percentile(
        [...latencies].sort((a, b) => a - b),
        95,
      ),
    },
    callsPerSecond: options.calls / load.wallSeconds,
    offersPresented: load.answers.reduce((sum, answer) => sum + answer.offers, 0),
    byChannel: { email: channel("email"), web: channel("web") },
    offersPerAnswer: histogram(load.answers),
    cores: coresUsed(before, after),
  };
}

/** How many answers made 0, 1, … offers. */
function histogram(answers: readonly DecisionAnswer[]): number[] {
  const counts = new Array<number>(offersPerCall + 1).fill(0);
  for (const { offers } of answers) counts[offers] = (counts[offers] ?? 0) + 1;
  return counts;
}

/** A call that is not answered OK voids the figures: the stand-in knows every customer asked about. */
function expectOk(answers: readonly DecisionAnswer[], what: string): void {
  const failed = answers.filter((answer) => answer.code !== status.OK);
  if (failed.length === 0) return;
  const examples = failed
    .slice(0, 3)
    .map(({ ask, code, details }) => `${ask.customerId} (${ask.channel}): code ${code} ${details}`);
  throw new Error(`${what}: ${failed.length} calls failed, e.g.\n${examples.join("\n")}`);
}
