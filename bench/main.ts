import { documentStoreBenchUsage } from "./document-store/options.js";
import { runDocumentStoreBenchmark } from "./document-store/run.js";
import { identityBenchUsage } from "./identity-throughput/options.js";
import { runIdentityThroughputBenchmark } from "./identity-throughput/run.js";
import { ingestionBenchUsage } from "./ingestion/options.js";
import { runIngestionBenchmark } from "./ingestion/run.js";
import { offerBenchUsage } from "./offer/options.js";
import { runOfferBenchmark } from "./offer/run.js";
import { pipelineBenchUsage } from "./pipeline/options.js";
import { runPipelineBenchmark } from "./pipeline/run.js";
import { valueModelBenchUsage } from "./value-models/options.js";
import { runValueModelBenchmark } from "./value-models/run.js";

/** Every benchmark by name; `npm run bench` runs them all, one after the other. */
const benchmarks: Record<string, { run: (args: readonly string[]) => Promise<void>; usage: string }> = {
  ingestion: { run: runIngestionBenchmark, usage: ingestionBenchUsage },
  "identity-throughput": { run: runIdentityThroughputBenchmark, usage: identityBenchUsage },
  "document-store": { run: runDocumentStoreBenchmark, usage: documentStoreBenchUsage },
  offer: { run: runOfferBenchmark, usage: offerBenchUsage },
  pipeline: { run: runPipelineBenchmark, usage: pipelineBenchUsage },
  "value-models": { run: runValueModelBenchmark, usage: valueModelBenchUsage },
};

const args = process.argv.slice(2);
const firstOption = args.findIndex((arg) => arg.startsWith("-"));
const names = firstOption < 0 ? args : args.slice(0, firstOption);
const options = firstOption < 0 ? [] : args.slice(firstOption);
const unknown = names.filter((name) => !(name in benchmarks));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(", ")}; known: ${Object.keys(benchmarks).join(", ")}`);
  process.exit(2);
}
if (options.includes("--help") || options.includes("-h")) {
  // The named benchmarks' options, or every benchmark's.
  console.log(
    (names.length > 0 ? names : Object.keys(benchmarks)).map((name) => benchmarks[name]?.usage).join("\n\n"),
  );
  process.exit(0);
}
try {
  for (const name of names.length > 0 ? names : Object.keys(benchmarks)) {
    await benchmarks[name]?.run(options);
  }
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
}
