import { stat } from "node:fs/promises";
import { basename } from "node:path";
import { FatalError } from "../cli-errors.js";
import type { EventAnswer } from "../import/event-answer.js";
import type { ImportPlan } from "../import/import-plan.js";
import { evolveTally, type ImportHappening, type ImportTally, initialTally } from "../import/import-tally.js";
import type { CloudEventJson, MappedOutput } from "../import/mapped-output.js";
import type { OrderCompletion } from "../import/order-assembly.js";
import { type PlatformValuation, unvaluedOrderOf } from "../import/order-valuation.js";
import { progressText } from "../import/progress-text.js";
import { createRecordMapper, needsOrderIndex, noteOrderRow } from "../import/record-mapper.js";
import { createBatchSender, type EventToSend } from "./batch-sender.js";
import type { ProgressReporter } from "./progress-reporter.js";
import { type InputFormat, readRecords } from "./record-stream.js";
import type { RejectionFile } from "./rejection-file.js";
import type { WarningFile } from "./warning-file.js";

export type ImportRequest = {
  file: string;
  format: InputFormat;
  plan: ImportPlan;
  batchSize: number;
  maxInFlight: number;
  /** What scoring can value, when it could be asked: each accepted order it cannot is counted. */
  valuation?: PlatformValuation;
};

export type ImportRunDependencies = {
  publish: (events: readonly CloudEventJson[]) => Promise<EventAnswer[]>;
  rejections: RejectionFile;
  warnings: WarningFile;
  progress: ProgressReporter;
  clock: () => number;
};

/**
 * Reads the file, maps its records and sends the events in batches, writing every row that was not
 * taken to the rejection file and every field left out of a row sent to the warnings file. Returns
 * the tally; a fatal failure (ingestion unreachable, write key refused) is thrown after both files
 * are closed.
 */
export async function runImport(request: ImportRequest, deps: ImportRunDependencies): Promise<ImportTally> {
  const { file, format, plan } = request;
  const fileBytes = (await stat(file)).size;
  const name = basename(file);
  let tally = initialTally();
  let phaseStartedAt = deps.clock();
  const happened = (happening: ImportHappening) => {
    tally = evolveTally(tally, happening);
  };
  const showProgress = (phase: "scanning" | "sending", shown: ImportTally) =>
    progressText({ file: name, phase, tally: shown, fileBytes, elapsedMs: deps.clock() - phaseStartedAt });

  try {
    let completion: OrderCompletion = { kind: "row_is_order" };
    if (needsOrderIndex(plan)) {
      const lastRowOf = new Map<string, number>();
      let scanned = initialTally();
      for await (const { record, bytesRead } of readRecords(file, format)) {
        noteOrderRow(lastRowOf, record, plan);
        scanned = evolveTally(scanned, { type: "record_read", bytesRead });
        deps.progress.update(() => showProgress("scanning", scanned));
      }
      completion = { kind: "complete_at_last_row", lastRowOf };
      phaseStartedAt = deps.clock();
    }

    const sender = createBatchSender({
      publish: deps.publish,
      maxInFlight: request.maxInFlight,
      onAnswered: async (batch, answers) => {
        happened({
          type: "events_answered",
          answers: answers.map((answer, index) => {
            const sent = batch[index];
            const unvaluedOrder =
              sent && request.valuation ? unvaluedOrderOf(sent.event, request.valuation) : undefined;
            return {
              answer,
              rows: sent?.origin.map(({ row }) => row) ?? [],
              ...(unvaluedOrder ? { unvaluedOrder } : {}),
            };
          }),
        });
        await writeIngestionRejections(batch, answers, deps.rejections);
      },
    });
    let batch: EventToSend[] = [];
    const take = async (outputs: readonly MappedOutput[]) => {
      for (const output of outputs) {
        if (output.kind === "event") {
          if (output.warnings.length > 0) {
            happened({ type: "fields_dropped", warnings: output.warnings });
            for (const warning of output.warnings) await deps.warnings.write(warning);
          }
          batch.push(output);
          if (batch.length >= request.batchSize) {
            await sender.send(batch);
            batch = [];
          }
        } else {
          happened({ type: "rejected_locally", rejection: output.rejection });
          const { row, reason, detail, record } = output.rejection;
          await deps.rejections.write({ row, rejectedBy: "importer", reason, detail, record });
        }
      }
    };

    const mapper = createRecordMapper(plan, completion);
    for await (const { record, bytesRead } of readRecords(file, format)) {
      happened({ type: "record_read", bytesRead });
      await take(mapper.add(record));
      deps.progress.update(() => showProgress("sending", tally));
    }
    await take(mapper.finish());
    if (batch.length > 0) await sender.send(batch);
    await sender.drain();
    return tally;
  } catch (error) {
    if (error instanceof FatalError && tally.eventsSent > 0) {
      throw new FatalError(
        `${error.message}\n${tally.eventsSent} events were sent before that; importing the file again is safe (event ids are deterministic)`,
      );
    }
    throw error;
  } finally {
    deps.progress.finish(showProgress("sending", tally));
    await Promise.all([deps.rejections.close(), deps.warnings.close()]);
  }
}

async function writeIngestionRejections(
  batch: readonly EventToSend[],
  answers: readonly EventAnswer[],
  rejections: RejectionFile,
): Promise<void> {
  for (const [index, answer] of answers.entries()) {
    if (answer.status !== "rejected") continue;
    for (const { row, record } of batch[index]?.origin ?? []) {
      await rejections.write({
        row,
        rejectedBy: "ingestion",
        reason: answer.reason,
        detail: answer.detail,
        record,
      });
    }
  }
}
