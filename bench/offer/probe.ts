import { acquireInfra } from "../shared/bench-infra.js";
import { logToStderr } from "../shared/progress.js";
import { measureOfferRun } from "./offer-run.js";
import { parseOfferBenchOptions } from "./options.js";

const options = parseOfferBenchOptions(process.argv.slice(2));
const infra = await acquireInfra(logToStderr);
const result = await measureOfferRun({
  endpoints: infra.endpoints,
  watched: { ...infra.processes, bench: process.pid },
  customers: options.customers,
  clients: options.clients,
  calls: options.calls,
  audience: options.audience,
  campaignFacts: options.campaignFacts,
  campaignChannels: options.campaignChannels,
  holdoutPercent: 10,
  campaignDeadlineMs: options.campaignMinutes * 60_000,
  storeBuckets: options.storeBuckets,
  log: logToStderr,
});
console.log(JSON.stringify(result, null, 2));
await infra.stop();
