import { parentPort, workerData } from "node:worker_threads";
import { findCandidatePairs } from "../domain/matching/blocking.js";
import { defaultBlockingRules } from "../domain/matching/blocking-rules.js";
import { trainMatchModel } from "../domain/matching/match-training.js";
import type { PersonRecord } from "../domain/matching/person-record.js";

/** The match model's fit, on a worker thread (runOnWorkerThread): seconds of CPU on a large population. */
export type MatchFitResult = { model: ReturnType<typeof trainMatchModel>["model"]; candidatePairs: number };

const records = workerData as PersonRecord[];
const candidatePairs = findCandidatePairs(records, defaultBlockingRules).pairs;
const result: MatchFitResult = {
  model: trainMatchModel(records, candidatePairs).model,
  candidatePairs: candidatePairs.length,
};
parentPort?.postMessage(result);
