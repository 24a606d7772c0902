import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus } from "node:os";
import { parseArgs } from "node:util";
import {
  defaultMatchQualityOptions,
  type MatchQualityOptions,
  runMatchQuality,
} from "./match-quality-run.js";
import { qualitySection, qualitySummary, writeQualitySection } from "./quality-report.js";

const usage = `Identity resolution quality: pairwise precision, recall and F1 of probabilistic matching on
labelled synthetic people; writes "## Identity resolution quality" into docs/benchmarks.md.

  npx tsx --conditions=source bench/identity/match-quality.ts [options]

  --people N          people to generate (default ${defaultMatchQualityOptions.people})
  --seed N            seed of the population and of u's random pairs (default ${defaultMatchQualityOptions.seed})
  --more-seeds A,B    further populations whose headline figures are reported too (default 7,2026,1,99,314)
  --u-sample N        random pairs for u (default ${defaultMatchQualityOptions.uSampleSize})
  --max-block N       largest block compared (default ${defaultMatchQualityOptions.maxBlockSize})
  --auto-merge P      auto-merge threshold (default ${defaultMatchQualityOptions.thresholds.autoMerge})
  --review P          review threshold (default ${defaultMatchQualityOptions.thresholds.review})
  --no-write          print only; leave docs/benchmarks.md alone`;

const { values } = parseArgs({
  options: {
    people: { type: "string" },
    seed: { type: "string" },
    "more-seeds": { type: "string", default: "7,2026,1,99,314" },
    "u-sample": { type: "string" },
    "max-block": { type: "string" },
    "auto-merge": { type: "string" },
    review: { type: "string" },
    "no-write": { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});

if (values.help) {
  console.log(usage);
  process.exit(0);
}

function numberOption(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) {
    console.error(`--${name} must be a number, got ${value}`);
    process.exit(2);
  }
  return parsed;
}

const defaults = defaultMatchQualityOptions;
const options: MatchQualityOptions = {
  ...defaults,
  people: numberOption("people", values.people, defaults.people),
  seed: numberOption("seed", values.seed, defaults.seed),
  uSampleSize: numberOption("u-sample", values["u-sample"], defaults.uSampleSize),
  maxBlockSize: numberOption("max-block", values["max-block"], defaults.maxBlockSize),
  thresholds: {
    autoMerge: numberOption("auto-merge", values["auto-merge"], defaults.thresholds.autoMerge),
    review: numberOption("review", values.review, defaults.thresholds.review),
  },
};
const moreSeeds = (values["more-seeds"] ?? "")
  .split(",")
  .filter((seed) => seed.trim() !== "")
  .map((seed) => numberOption("more-seeds", seed, 0));

const loadAverage = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
const commit = () => {
  try {
    const head = execFileSync("git", ["log", "-1", "--format=%h %s"], { encoding: "utf8" }).trim();
    const dirty = execFileSync(
      "git",
      ["status", "--porcelain", "--", "bench/identity", "services/identity"],
      {
        encoding: "utf8",
      },
    ).trim();
    return `${head.slice(0, 60)}${dirty === "" ? "" : " (with uncommitted changes)"}`;
  } catch {
    return "unknown";
  }
};

const loadBefore = loadAverage();
const started = performance.now();
const result = runMatchQuality(options);
const otherSeeds = moreSeeds.map((seed) => runMatchQuality({ ...options, seed }));
const context = {
  command: ["npx tsx --conditions=source bench/identity/match-quality.ts", ...process.argv.slice(2)].join(
    " ",
  ),
  date: new Date().toISOString().slice(0, 16).replace("T", " "),
  commit: commit(),
  node: process.version,
  cpu: `${cpus()[0]?.model.trim() ?? "unknown"}, ${cpus().length} cores`,
  loadBefore,
  loadAfter: loadAverage(),
  totalSeconds: (performance.now() - started) / 1000,
  otherSeeds,
};

console.log(qualitySummary(result, context));
if (!values["no-write"]) {
  await writeQualitySection(qualitySection(result, context));
  console.log("wrote the section “Identity resolution quality” of docs/benchmarks.md");
}
